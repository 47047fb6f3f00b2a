"""Pages and API of "my caseload" and the daily team meeting: what they show, to whom, and in constant queries."""

from __future__ import annotations

import datetime
from html import unescape

import pytest
from django.urls import reverse

from ancrage.casework.meeting.services import meeting_settings_set
from ancrage.casework.models import Enrollment, FieldVisit, Incident, RiskAssessment, TeamMeetingSettings
from ancrage.casework.tests.test_meeting_flags import contact, enroll, plan
from ancrage.core import clock
from ancrage.core.models import AuditEntry
from ancrage.core.permissions import Role
from ancrage.organisations.models import Program, Team
from ancrage.people.tests.factories import ProgramFactory, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def program(org_a):
    return ProgramFactory(organisation=org_a, kind=Program.Kind.ICM)


@pytest.fixture
def team(org_a, program):
    return Team.objects.create(organisation=org_a, program=program, name="Équipe Nord", name_en="North team")


@pytest.fixture
def team_lead(org_a, team):
    user = member(org_a, Role.TEAM_LEAD, first_name="Chloé", last_name="Chef")
    user.memberships.update(team=team)
    return user


def fill(worker, org, program, team, n, *, prefix="P"):
    out = []
    for i in range(n):
        e = enroll(worker, org, program, first=f"{prefix}{i}", team=team)
        contact(e, minutes=30 + i)
        plan(e)
        out.append(e)
    return out


# --- my caseload ------------------------------------------------------------------------------------------


def test_caseload_shows_my_participants_and_flags(client_for, case_manager_a, org_a, program, team):
    mine = enroll(case_manager_a, org_a, program, first="Mireille", team=team)
    RiskAssessment.objects.create(
        participant=mine.participant,
        organisation=org_a,
        assessed_on=clock.today(),
        level=3,
        rating="high",
        description="x",
        recorded_by=case_manager_a,
    )
    colleague = member(org_a, Role.CASE_MANAGER)
    enroll(colleague, org_a, program, first="Autrepersonne", team=team)
    exited = enroll(case_manager_a, org_a, program, first="Partie", status=Enrollment.Status.EXITED)
    response = client_for(case_manager_a).get(reverse("casework:caseload"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Mireille" in html
    assert "Autrepersonne" not in html
    assert exited.participant.legal_first_name not in html
    assert reverse("people:detail", args=[mine.participant.pk]) in html
    assert "Plan de risque" in html or "Risk plan" in html
    rows = response.context["rows"]
    assert [r.enrollment.pk for r in rows] == [mine.pk]
    summary = {item["key"]: item["count"] for item in response.context["summary"]}
    assert summary["risk_plan"] == 1
    assert summary["not_seen"] == 1


def test_caseload_filter_by_flag(client_for, case_manager_a, org_a, program):
    seen = enroll(case_manager_a, org_a, program, first="Vue")
    contact(seen)
    enroll(case_manager_a, org_a, program, first="Jamaisvue")
    response = client_for(case_manager_a).get(reverse("casework:caseload") + "?flag=not_seen")
    names = [r.participant.legal_first_name for r in response.context["rows"]]
    assert names == ["Jamaisvue"]
    assert response.context["total"] == 2
    # An unknown flag shows everyone.
    response = client_for(case_manager_a).get(reverse("casework:caseload") + "?flag=nope")
    assert len(response.context["rows"]) == 2


def test_caseload_in_english(client_for, case_manager_a, org_a, program):
    enroll(case_manager_a, org_a, program)
    case_manager_a.language = "en"
    case_manager_a.save()
    html = client_for(case_manager_a).get(reverse("casework:caseload")).content.decode()
    assert "My caseload" in html
    assert "Not seen this week" in html


def test_team_lead_opens_a_workers_caseload(client_for, team_lead, case_manager_a, org_a, program):
    enroll(case_manager_a, org_a, program, first="Suivie")
    url = reverse("casework:caseload") + f"?worker={case_manager_a.pk}"
    response = client_for(team_lead).get(url)
    assert response.status_code == 200
    assert "Suivie" in response.content.decode()
    assert response.context["worker"] == case_manager_a


def test_worker_of_another_organisation_is_404(client_for, team_lead, case_manager_b):
    url = reverse("casework:caseload") + f"?worker={case_manager_b.pk}"
    assert client_for(team_lead).get(url).status_code == 404
    assert client_for(team_lead).get(reverse("casework:caseload") + "?worker=abc").status_code == 404


def test_case_manager_cannot_open_a_colleagues_caseload(client_for, case_manager_a, org_a):
    colleague = member(org_a, Role.CASE_MANAGER)
    url = reverse("casework:caseload") + f"?worker={colleague.pk}"
    assert client_for(case_manager_a).get(url).status_code == 404
    own = reverse("casework:caseload") + f"?worker={case_manager_a.pk}"
    assert client_for(case_manager_a).get(own).status_code == 200


def test_caseload_links_to_log_a_contact_when_that_page_exists(client_for, case_manager_a, org_a, program):

    e = enroll(case_manager_a, org_a, program)
    response = client_for(case_manager_a).get(reverse("casework:caseload"))
    expected = reverse("casework:contact_create", args=[e.participant.pk])
    assert response.context["rows"][0].log_url == expected
    if expected:
        assert expected in response.content.decode()


def test_caseload_constant_queries(
    client_for, case_manager_a, org_a, program, team, django_assert_max_num_queries
):
    c = client_for(case_manager_a)
    fill(case_manager_a, org_a, program, team, 2)
    c.get(reverse("casework:caseload"))
    with django_assert_max_num_queries(20) as small:
        c.get(reverse("casework:caseload"))
    fill(case_manager_a, org_a, program, team, 12, prefix="Q")
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = c.get(reverse("casework:caseload"))
    assert len(response.context["rows"]) == 14


# --- the team meeting -------------------------------------------------------------------------------------


def test_meeting_lists_the_team(client_for, team_lead, case_manager_a, org_a, program, team):
    colleague = member(org_a, Role.CASE_MANAGER, first_name="Paul", last_name="Collègue")
    a = enroll(case_manager_a, org_a, program, first="Annie", team=team)
    b = enroll(colleague, org_a, program, first="Bruno", team=team)
    enroll(case_manager_a, org_a, program, first="Horséquipe")
    response = client_for(team_lead).get(reverse("casework:meeting"))
    assert response.status_code == 200
    html = response.content.decode()
    assert {r.enrollment.pk for r in response.context["rows"]} == {a.pk, b.pk}
    assert "Horséquipe" not in html
    assert "Paul Collègue" in html
    assert "data-print" in html
    assert response.context["form"] is not None  # the team lead sets the order


def test_meeting_filter_by_flag(client_for, team_lead, case_manager_a, org_a, program, team):
    lost = enroll(case_manager_a, org_a, program, first="Perdu", team=team, lost_contact_since=clock.today())
    enroll(case_manager_a, org_a, program, first="Présent", team=team)
    url = reverse("casework:meeting") + f"?team={team.pk}&flag=lost_contact"
    response = client_for(team_lead).get(url)
    assert [r.enrollment.pk for r in response.context["rows"]] == [lost.pk]


def test_case_manager_sees_the_meeting_but_not_the_order_form(
    client_for, case_manager_a, org_a, program, team
):
    case_manager_a.memberships.update(team=team)
    enroll(case_manager_a, org_a, program, team=team)
    response = client_for(case_manager_a).get(reverse("casework:meeting"))
    assert response.status_code == 200
    assert response.context["team"] == team
    assert response.context["form"] is None


def test_no_team_yet(client_for, org_a):
    lonely = member(org_a, Role.CASE_MANAGER)
    response = client_for(lonely).get(reverse("casework:meeting"))
    assert response.status_code == 200
    assert response.context["team"] is None


def test_team_of_another_organisation_is_404(client_for, team_lead, org_b):
    other = Team.objects.create(organisation=org_b, name="Équipe B")
    assert client_for(team_lead).get(reverse("casework:meeting") + f"?team={other.pk}").status_code == 404
    assert client_for(team_lead).get(reverse("casework:meeting") + "?team=x").status_code == 404
    response = client_for(team_lead).post(
        reverse("casework:meeting_settings", args=[other.pk]), {"order": "name"}
    )
    assert response.status_code == 404
    assert not TeamMeetingSettings.objects.filter(team=other).exists()
    assert client_for(team_lead).get(f"/api/v1/teams/{other.pk}/meeting").status_code == 404


def test_order_saved_and_applied(client_for, team_lead, case_manager_a, org_a, program, team):
    zed = enroll(case_manager_a, org_a, program, first="Zed", team=team)
    Enrollment.objects.filter(pk=zed.pk).update(lost_contact_since=clock.today())
    amy = enroll(case_manager_a, org_a, program, first="Amy", team=team)
    amy.participant.legal_last_name = "Aaron"
    amy.participant.save()
    c = client_for(team_lead)
    response = c.get(reverse("casework:meeting"))
    assert [r.enrollment.pk for r in response.context["rows"]] == [zed.pk, amy.pk]  # flags first
    response = c.post(reverse("casework:meeting_settings", args=[team.pk]), {"order": "name"})
    assert response.status_code == 302
    saved = TeamMeetingSettings.objects.get(team=team)
    assert saved.order == "name"
    assert saved.updated_by == team_lead
    entry = AuditEntry.objects.get(action="casework.meeting.order_changed")
    assert entry.actor == team_lead
    assert entry.data["after"]["order"] == "name"
    response = c.get(reverse("casework:meeting"))
    assert [r.enrollment.pk for r in response.context["rows"]] == [amy.pk, zed.pk]
    # Flags weighed first are saved in order.
    c.post(
        reverse("casework:meeting_settings", args=[team.pk]),
        {"order": "flags", "flag_1": "not_seen", "flag_2": "risk_plan"},
    )
    saved.refresh_from_db()
    assert saved.flag_order == ["not_seen", "risk_plan"]


def test_order_bad_input(client_for, team_lead, team):
    c = client_for(team_lead)
    response = c.post(reverse("casework:meeting_settings", args=[team.pk]), {"order": "random"})
    assert response.status_code == 200
    assert response.context["form"].errors["order"]
    response = c.post(
        reverse("casework:meeting_settings", args=[team.pk]),
        {"order": "flags", "flag_1": "not_seen", "flag_2": "not_seen"},
    )
    assert response.status_code == 200
    (message,) = response.context["form"].non_field_errors()
    assert message in unescape(response.content.decode())
    assert not TeamMeetingSettings.objects.filter(team=team).exists()


def test_service_refuses_bad_input(team_lead, case_manager_a, team, org_b):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as exc:
        meeting_settings_set(actor=team_lead, team=team, order="flags", flag_order=["nope"])
    assert "flag_order" in exc.value.error_dict
    with pytest.raises(ValidationError) as exc:
        meeting_settings_set(actor=case_manager_a, team=team, order="name")
    assert "__all__" in exc.value.error_dict
    other = Team.objects.create(organisation=org_b, name="B")
    with pytest.raises(ValidationError):
        meeting_settings_set(actor=team_lead, team=other, order="name")
    assert not TeamMeetingSettings.objects.exists()
    assert not AuditEntry.objects.filter(action="casework.meeting.order_changed").exists()


def test_case_manager_cannot_set_the_order(client_for, case_manager_a, team):
    response = client_for(case_manager_a).post(
        reverse("casework:meeting_settings", args=[team.pk]), {"order": "name"}
    )
    assert response.status_code == 403
    assert not TeamMeetingSettings.objects.exists()


def test_meeting_in_english(client_for, team_lead, case_manager_a, org_a, program, team):
    enroll(case_manager_a, org_a, program, team=team)
    team_lead.language = "en"
    team_lead.save()
    html = client_for(team_lead).get(reverse("casework:meeting")).content.decode()
    assert "Team meeting: North team" in html
    assert "Primary case manager" in html


def _flag_everything(enrollment, worker, org):
    """A risk plan, an incident overnight, a visit under way, contact lost and the tenancy at risk: every
    part of a row the meeting shows, read for it (issue 16: only the columns it needs, none once a row)."""
    now = clock.now()
    Enrollment.objects.filter(pk=enrollment.pk).update(
        lost_contact_since=clock.today(), tenancy_at_risk_since=clock.today()
    )
    RiskAssessment.objects.create(
        participant=enrollment.participant,
        organisation=org,
        assessed_on=clock.today(),
        level=2,
        rating="high",
        description="Agitation",
        recorded_by=worker,
    )
    Incident.objects.create(
        participant=enrollment.participant,
        organisation=org,
        kind="police_called",
        occurred_at=now - datetime.timedelta(hours=1),
        description="Police",
        recorded_by=worker,
    )
    FieldVisit.objects.create(
        participant=enrollment.participant,
        organisation=org,
        worker=worker,
        location="Chez elle",
        planned_start=now - datetime.timedelta(minutes=10),
        planned_end=now + datetime.timedelta(hours=1),
        started_at=now - datetime.timedelta(minutes=10),
        status=FieldVisit.Status.STARTED,
        created_by=worker,
    )


def test_meeting_constant_queries(
    client_for, team_lead, case_manager_a, org_a, program, team, django_assert_max_num_queries
):
    c = client_for(team_lead)
    for e in fill(case_manager_a, org_a, program, team, 2):
        _flag_everything(e, case_manager_a, org_a)
    c.get(reverse("casework:meeting"))
    with django_assert_max_num_queries(14) as small:
        c.get(reverse("casework:meeting"))
    colleague = member(org_a, Role.CASE_MANAGER)
    for e in fill(colleague, org_a, program, team, 12, prefix="Q"):
        _flag_everything(e, colleague, org_a)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = c.get(reverse("casework:meeting"))
    assert len(response.context["rows"]) == 14
    html = unescape(response.content.decode())
    assert html.count('class="badge text-bg-danger">Plan de risque') == 14
    assert html.count("Chez elle") == 14


# --- home page and navigation -----------------------------------------------------------------------------


def test_home_card_and_navigation(client_for, case_manager_a, org_a, program):
    enroll(case_manager_a, org_a, program)
    html = client_for(case_manager_a).get(reverse("home")).content.decode()
    assert reverse("casework:caseload") in html
    assert "?flag=not_seen" in html


def test_home_without_casework_has_no_card(client_for, housing_specialist):
    response = client_for(housing_specialist).get(reverse("home"))
    assert "caseload" not in response.context
    assert reverse("casework:caseload") not in response.content.decode()


def _on_the_home_page(enrollment, worker, org):
    """What the home page lists of a person, besides the caseload: a consent ending soon, an alert, the file
    opened lately, and every flag of the row (issue 16: only the columns it shows, none read once a line)."""
    from ancrage.core.alerts import raise_alert
    from ancrage.core.audit import record_read
    from ancrage.people.tests.factories import share

    _flag_everything(enrollment, worker, org)
    other = member(org, Role.CASE_MANAGER).memberships.get().organisation
    share(worker, enrollment.participant, [other], ["identity"], days=10)
    raise_alert(
        recipient_id=worker.pk,
        kind="casework.lost_contact",
        participant=enrollment.participant,
        params={"days": 21},
    )
    record_read(actor=worker, participant=enrollment.participant, what="people.participant.viewed")


def test_home_constant_queries(
    client_for, case_manager_a, org_a, program, team, django_assert_max_num_queries
):
    c = client_for(case_manager_a)
    for e in fill(case_manager_a, org_a, program, team, 2):
        _on_the_home_page(e, case_manager_a, org_a)
    c.get(reverse("home"))
    # 17 in production, where "participants you can see" is counted once a minute; the tests count it each time.
    with django_assert_max_num_queries(18) as small:
        c.get(reverse("home"))
    for e in fill(case_manager_a, org_a, program, team, 12, prefix="Q"):
        _on_the_home_page(e, case_manager_a, org_a)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = c.get(reverse("home"))
    assert response.context["caseload"]["total"] == 14
    assert len(response.context["expiring"]) == 10
    assert len(response.context["alerts"]) == 10
    assert len(response.context["recent"]) == 6
    assert "Q11" in unescape(response.content.decode())


# --- API ------------------------------------------------------------------------------------------------------


def test_api_caseload_and_meeting(
    client_for, team_lead, case_manager_a, org_a, program, team, case_manager_b
):
    e = enroll(case_manager_a, org_a, program, team=team, lost_contact_since=clock.today())
    contact(e, days_ago=2)
    c = client_for(case_manager_a)
    body = c.get("/api/v1/caseload").json()
    assert body["worker_id"] == case_manager_a.pk
    (row,) = body["rows"]
    assert row["participant_id"] == e.participant_id
    assert "lost_contact" in [f["key"] for f in row["flags"]]
    assert c.get(f"/api/v1/caseload?worker={case_manager_b.pk}").status_code == 404
    lead = client_for(team_lead)
    assert lead.get(f"/api/v1/caseload?worker={case_manager_a.pk}").json()["rows"][0]["enrollment_id"] == e.pk
    assert lead.get(f"/api/v1/caseload?worker={case_manager_b.pk}").status_code == 404
    meeting = lead.get(f"/api/v1/teams/{team.pk}/meeting").json()
    assert meeting["team_id"] == team.pk
    assert meeting["order"] == "flags"
    assert [r["enrollment_id"] for r in meeting["rows"]] == [e.pk]


def test_api_needs_the_permission(client_for, housing_specialist, team):
    c = client_for(housing_specialist)
    assert c.get("/api/v1/caseload").status_code == 403
    assert c.get(f"/api/v1/teams/{team.pk}/meeting").status_code == 403


def test_overnight_incident_shown_on_the_meeting(client_for, team_lead, case_manager_a, org_a, program, team):
    from ancrage.casework.models import Incident

    e = enroll(case_manager_a, org_a, program, team=team)
    Incident.objects.create(
        participant=e.participant,
        organisation=org_a,
        kind="overdose",
        occurred_at=clock.now() - datetime.timedelta(hours=1),
        description="x",
        recorded_by=case_manager_a,
    )
    response = client_for(team_lead).get(reverse("casework:meeting") + "?flag=new_incident")
    assert [r.enrollment.pk for r in response.context["rows"]] == [e.pk]


def _risk(enrollment, org, by):
    return RiskAssessment.objects.create(
        participant=enrollment.participant,
        organisation=org,
        assessed_on=clock.today(),
        level=2,
        rating="moderate",
        description="x",
        recorded_by=by,
    )


def test_risk_shown_on_lists_is_an_audited_read(client_for, team_lead, case_manager_a, org_a, program, team):
    """A risk plan's level on the caseload or the meeting is a read of risk information (G2): logged per person."""
    with_risk = enroll(case_manager_a, org_a, program, first="Risque", team=team)
    without = enroll(case_manager_a, org_a, program, first="Calme", team=team)
    _risk(with_risk, org_a, case_manager_a)
    client_for(case_manager_a).get(reverse("casework:caseload"))
    reads = AuditEntry.objects.filter(action="casework.risk.viewed", actor=case_manager_a, is_read=True)
    assert list(reads.values_list("participant_id", "data")) == [
        (with_risk.participant_id, {"from": "caseload"})
    ]
    client_for(team_lead).get(reverse("casework:meeting"))
    client_for(team_lead).get(reverse("api:team_meeting", args=[team.pk]))
    by_lead = AuditEntry.objects.filter(action="casework.risk.viewed", actor=team_lead)
    assert sorted(by_lead.values_list("participant_id", flat=True)) == [with_risk.participant_id] * 2
    assert not AuditEntry.objects.filter(
        participant=without.participant, action="casework.risk.viewed"
    ).exists()


def test_audited_risk_reads_keep_the_query_count_constant(
    client_for, case_manager_a, org_a, program, team, django_assert_max_num_queries
):
    c = client_for(case_manager_a)
    for e in fill(case_manager_a, org_a, program, team, 2):
        _risk(e, org_a, case_manager_a)
    c.get(reverse("casework:caseload"))
    with django_assert_max_num_queries(25) as small:
        c.get(reverse("casework:caseload"))
    for e in fill(case_manager_a, org_a, program, team, 10, prefix="R"):
        _risk(e, org_a, case_manager_a)
    with django_assert_max_num_queries(len(small.captured_queries)):
        c.get(reverse("casework:caseload"))
    assert AuditEntry.objects.filter(action="casework.risk.viewed").count() == 2 + 2 + 12


def test_meeting_last_contact_is_the_day_the_participant_was_reached(
    client_for, team_lead, case_manager_a, org_a, program, team
):
    """The team meeting's "last contact" is the day the participant was reached, as on the caseload and the
    re-engagement page: a message left since does not reset it (issue 12, part 7)."""
    e = enroll(case_manager_a, org_a, program, first="Annie", team=team)
    reached = contact(e, days_ago=20, present=True)
    missed = contact(e, days_ago=2, kind="phone", present=False)
    response = client_for(team_lead).get(reverse("casework:meeting"))
    (row,) = response.context["rows"]
    assert row.days_since_contact == 20
    html = response.content.decode()
    assert clock.localdate(reached.occurred_at).strftime("%Y-%m-%d") in html
    assert clock.localdate(missed.occurred_at).strftime("%Y-%m-%d") not in html
    assert "il y a 20 jours" in html
