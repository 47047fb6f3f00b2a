"""Pages of enrollment and caseloads: what they show, to whom, bad input on the forms, constant queries."""

from __future__ import annotations

import datetime

import pytest
from django.urls import get_resolver, reverse

from ancrage.access.models import ByNameEntry, MatchStatus
from ancrage.casework.caseload import selectors as selectors_caseload
from ancrage.casework.caseload.services import enrollment_assign, enrollment_set_tenancy_risk
from ancrage.casework.models import Assignment, Enrollment
from ancrage.casework.selectors import participant_for_casework
from ancrage.casework.tests.factories_caseload import (
    enroll,
    make_program,
    make_team,
    make_worker,
    transferred_match,
)
from ancrage.core import clock
from ancrage.core.audit import AuditEntry
from ancrage.core.permissions import Category, Role
from ancrage.organisations.models import Program
from ancrage.people.tests.factories import make_participant, member, share

pytestmark = pytest.mark.django_db


@pytest.fixture
def program(org_a):
    return make_program(org_a)


@pytest.fixture
def team(program):
    return make_team(program, name="Équipe Est", name_en="East team")


@pytest.fixture
def lead(org_a, team):
    return make_worker(org_a, role=Role.TEAM_LEAD, team=team, username="lead_a")


def _page(client, name, pk, **query):
    url = reverse(name, args=[pk])
    if query:
        url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return client.get(url)


# --- the participant's case management ---------------------------------------------------------------------


def test_participant_page_shows_enrollment_and_reassignment_reason(
    client_for, lead, case_manager_a, participant_a, program, team, org_a
):
    enrollment = enroll(lead, participant_a, program, case_manager_a, team=team)
    other = make_worker(org_a, first_name="Nadia", last_name="Roy")
    enrollment_assign(actor=lead, enrollment=enrollment, worker=other, reason="Départ en congé")
    response = client_for(case_manager_a).get(reverse("casework:participant", args=[participant_a.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Départ en congé" in html
    assert "Nadia Roy" in html
    assert case_manager_a.display_name in html
    assert program.display_name in html
    assert "Équipe Est" in html


def test_participant_page_english(client_for, lead, case_manager_a, participant_a, program, team):
    enroll(lead, participant_a, program, case_manager_a, team=team)
    case_manager_a.language = "en"
    case_manager_a.save()
    html = _page(client_for(case_manager_a), "casework:participant", participant_a.pk).content.decode()
    assert "Case management" in html
    assert "Primary case manager" in html
    assert "East team" in html
    assert "Not at risk" in html


def test_participant_page_keeps_earlier_enrollments(client_for, lead, case_manager_a, participant_a, program):
    first = enroll(lead, participant_a, program, case_manager_a)
    Enrollment.objects.filter(pk=first.pk).update(
        status=Enrollment.Status.EXITED, exited_on=clock.today() - datetime.timedelta(days=1)
    )
    enroll(lead, participant_a, program, lead)
    response = _page(client_for(case_manager_a), "casework:participant", participant_a.pk)
    assert [e.pk for e in response.context["past"]] == [first.pk]
    assert len(response.context["current"]) == 1
    html = response.content.decode()
    assert f'id="assignments-{first.pk}"' in html
    assert lead.display_name in html


def test_participant_page_links_the_exit(client_for, lead, case_manager_a, participant_a, program):
    from ancrage.casework.models import Exit

    first = enroll(lead, participant_a, program, case_manager_a)
    Enrollment.objects.filter(pk=first.pk).update(status=Enrollment.Status.EXITED, exited_on=clock.today())
    exit_ = Exit.objects.create(
        enrollment=first,
        participant=participant_a,
        kind=Exit.Kind.PLANNED,
        reason=Exit.Reason.MOVED_AWAY,
        exited_on=clock.today(),
        destination=Exit.Destination.FAMILY,
        recorded_by=lead,
    )
    html = _page(client_for(case_manager_a), "casework:participant", participant_a.pk).content.decode()
    assert reverse("casework:exit_detail", kwargs={"pk": participant_a.pk, "exit_pk": exit_.pk}) in html


def test_participant_page_constant_queries(django_assert_max_num_queries, client_for, lead, org_a, program):
    person = make_participant(lead, org_a, legal_first_name="Q")
    client = client_for(lead)

    def grow(n):
        enrollment = Enrollment.objects.filter(participant=person, status="active").first() or enroll(
            lead, person, program, lead
        )
        for _ in range(n):
            worker = make_worker(org_a)
            enrollment_assign(actor=lead, enrollment=enrollment, worker=worker, reason="Rotation")
            Enrollment.objects.filter(pk=enrollment.pk).update(status="exited", exited_on=clock.today())
            enrollment = enroll(lead, person, program, lead)

    grow(1)
    with django_assert_max_num_queries(14) as small:
        assert _page(client, "casework:participant", person.pk).status_code == 200
    grow(4)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert _page(client, "casework:participant", person.pk).status_code == 200


def test_participant_page_another_organisation_is_404(client_for, case_manager_b, participant_a):
    assert _page(client_for(case_manager_b), "casework:participant", participant_a.pk).status_code == 404


def test_participant_page_needs_case_notes_through_consent(client_for, case_manager_a, participant_a, org_b):
    reader = member(org_b, Role.CASE_MANAGER)
    share(case_manager_a, participant_a, [org_b], [Category.IDENTITY])
    assert _page(client_for(reader), "casework:participant", participant_a.pk).status_code == 404
    share(case_manager_a, participant_a, [org_b], [Category.IDENTITY, Category.CASE_NOTES])
    response = _page(client_for(reader), "casework:participant", participant_a.pk)
    assert response.status_code == 200
    # Reading through consent: no enrollment, reassignment or settings button.
    html = response.content.decode()
    assert reverse("casework:enroll", args=[participant_a.pk]) not in html
    assert (
        _page(client_for(member(org_b, Role.TEAM_LEAD)), "casework:enroll", participant_a.pk).status_code
        == 404
    )


def test_links_to_every_part_once_all_exist(monkeypatch, lead, participant_a):
    """Each part's page is linked by name; a name that does not exist yet is skipped, and once they all
    exist they all show (for a user who holds every permission and reads every category)."""
    access = participant_for_casework(lead, participant_a.pk)
    monkeypatch.setattr(selectors_caseload, "reverse", lambda name, kwargs=None: f"/x/{name}/{kwargs['pk']}/")
    links = selectors_caseload.part_links(lead, access)
    assert [link["name"] for link in links] == [link.name for link in selectors_caseload.PART_LINKS]


def test_links_that_exist_take_the_participant(lead, participant_a):
    """The other parts' pages that exist take the participant's pk, so none is silently left out."""
    existing = set(get_resolver().namespace_dict["casework"][1].reverse_dict.keys())
    access = participant_for_casework(lead, participant_a.pk)
    shown = {link["name"] for link in selectors_caseload.part_links(lead, access)}
    for link in selectors_caseload.PART_LINKS:
        if link.name.split(":")[1] in existing:
            assert link.name in shown, link.name


def test_links_hidden_without_the_permission(client_for, org_a, participant_a, monkeypatch):
    peer = member(org_a, Role.PEER_SUPPORT)
    access = participant_for_casework(peer, participant_a.pk)
    monkeypatch.setattr(selectors_caseload, "reverse", lambda name, kwargs=None: f"/x/{name}/")
    names = {link["name"] for link in selectors_caseload.part_links(peer, access)}
    assert "casework:exit_create" not in names
    assert "casework:contact_create" in names


# --- enroll --------------------------------------------------------------------------------------------------


def test_enroll_page_shows_programs_and_loads(
    client_for, lead, case_manager_a, participant_a, program, org_a
):
    enroll(lead, make_participant(lead, org_a, legal_first_name="Déjà"), program, case_manager_a)
    lead.language = "en"
    lead.save()
    response = _page(client_for(lead), "casework:enroll", participant_a.pk)
    html = response.content.decode()
    assert program.display_name in html
    labels = dict(response.context["form"].fields["primary_worker"].choices)
    assert labels[case_manager_a.pk] == f"{case_manager_a.display_name} — 1.00 of 15 (7 %)"


def test_enroll_directly(client_for, lead, case_manager_a, participant_a, program, team):
    response = client_for(lead).post(
        reverse("casework:enroll", args=[participant_a.pk]),
        {
            "program": program.pk,
            "primary_worker": case_manager_a.pk,
            "team": team.pk,
            "enrolled_on": clock.today().isoformat(),
        },
    )
    assert response.status_code == 302
    enrollment = Enrollment.objects.get(participant=participant_a)
    assert (enrollment.program, enrollment.team, enrollment.primary_worker) == (program, team, case_manager_a)
    assert AuditEntry.objects.filter(action="casework.enrollment.created", actor=lead).exists()


def test_enroll_bad_input_messages_and_nothing_saved(
    client_for, lead, case_manager_a, participant_a, program
):
    response = client_for(lead).post(
        reverse("casework:enroll", args=[participant_a.pk]),
        {
            "program": program.pk,
            "primary_worker": case_manager_a.pk,
            "enrolled_on": (clock.today() + datetime.timedelta(days=3)).isoformat(),
        },
    )
    assert response.status_code == 200
    assert (
        "La date de suivi ne peut pas" in response.content.decode()
        or response.context["form"].errors["enrolled_on"]
    )
    assert not Enrollment.objects.exists()
    response = client_for(lead).post(reverse("casework:enroll", args=[participant_a.pk]), {"program": "x"})
    assert response.status_code == 200
    assert set(response.context["form"].errors) >= {"program", "primary_worker", "enrolled_on"}


def test_enroll_over_ratio_asks_for_the_reason(client_for, lead, case_manager_a, participant_a, org_a):
    program = make_program(org_a, caseload_ratio=1)
    enroll(lead, make_participant(lead, org_a, legal_first_name="Un"), program, case_manager_a)
    data = {
        "program": program.pk,
        "primary_worker": case_manager_a.pk,
        "enrolled_on": clock.today().isoformat(),
    }
    client = client_for(lead)
    response = client.post(reverse("casework:enroll", args=[participant_a.pk]), data)
    assert response.status_code == 200
    form = response.context["form"]
    assert "over_ratio_reason" in form.errors
    html = response.content.decode()
    assert '<textarea name="over_ratio_reason"' in html
    assert not Enrollment.objects.filter(participant=participant_a).exists()
    response = client.post(
        reverse("casework:enroll", args=[participant_a.pk]), {**data, "over_ratio_reason": "Parle créole"}
    )
    assert response.status_code == 302
    assignment = Assignment.objects.get(enrollment__participant=participant_a)
    assert assignment.over_ratio
    assert assignment.reason == "Parle créole"


def test_enroll_from_a_transferred_match(client_for, lead, case_manager_a, org_a, program):
    match = transferred_match(lead, org_a, program)
    client = client_for(lead)
    response = _page(client, "casework:enroll", match.participant_id, match=match.pk)
    form = response.context["form"]
    assert form.initial == {"match": match.pk, "program": program.pk}
    response = client.post(
        reverse("casework:enroll", args=[match.participant_id]),
        {
            "program": program.pk,
            "primary_worker": case_manager_a.pk,
            "enrolled_on": clock.today().isoformat(),
            "match": match.pk,
        },
    )
    assert response.status_code == 302
    assert Enrollment.objects.get(participant=match.participant).match == match


def test_enroll_from_a_match_not_transferred_is_refused(client_for, lead, case_manager_a, org_a, program):
    match = transferred_match(lead, org_a, program, status=MatchStatus.PROVIDER_ACCEPTED)
    response = client_for(lead).post(
        reverse("casework:enroll", args=[match.participant_id]),
        {
            "program": program.pk,
            "primary_worker": case_manager_a.pk,
            "enrolled_on": clock.today().isoformat(),
            "match": match.pk,
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["match"]
    assert not Enrollment.objects.exists()


def test_match_detail_links_to_enrollment_when_transferred(client_for, org_a, program):
    manager = member(org_a, Role.PROGRAM_MANAGER)
    match = transferred_match(manager, org_a, program)
    url = reverse("casework:enroll", args=[match.participant_id]) + f"?match={match.pk}"
    html = client_for(manager).get(reverse("access:match_detail", args=[match.pk])).content.decode()
    assert url in html
    enroll(manager, match.participant, program, make_worker(org_a), match=match)
    html = client_for(manager).get(reverse("access:match_detail", args=[match.pk])).content.decode()
    assert url not in html


def test_match_detail_no_link_before_transfer(client_for, org_a, program):
    manager = member(org_a, Role.PROGRAM_MANAGER)
    match = transferred_match(manager, org_a, program, status=MatchStatus.PERSON_ACCEPTED)
    html = client_for(manager).get(reverse("access:match_detail", args=[match.pk])).content.decode()
    assert reverse("casework:enroll", args=[match.participant_id]) not in html


# --- reassign ------------------------------------------------------------------------------------------------


def test_assign_needs_a_reason(client_for, lead, case_manager_a, participant_a, program, org_a):
    enrollment = enroll(lead, participant_a, program, case_manager_a)
    other = make_worker(org_a)
    client = client_for(lead)
    url = reverse("casework:assign", args=[participant_a.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"enrollment": enrollment.pk, "worker": other.pk, "reason": " ", "on": clock.today()}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    enrollment.refresh_from_db()
    assert enrollment.primary_worker == case_manager_a
    response = client.post(
        url,
        {"enrollment": enrollment.pk, "worker": other.pk, "reason": "Conflit", "on": clock.today()},
    )
    assert response.status_code == 302
    enrollment.refresh_from_db()
    assert enrollment.primary_worker == other
    assert "Conflit" in client.get(reverse("casework:participant", args=[participant_a.pk])).content.decode()


def test_assign_without_enrollment_goes_back(client_for, lead, participant_a):
    response = _page(client_for(lead), "casework:assign", participant_a.pk)
    assert response.status_code == 302


def test_assign_over_ratio_asks_for_the_reason(client_for, lead, case_manager_a, participant_a, org_a):
    program = make_program(org_a, caseload_ratio=1)
    busy = make_worker(org_a)
    enroll(lead, make_participant(lead, org_a, legal_first_name="Un"), program, busy)
    enrollment = enroll(lead, participant_a, program, case_manager_a)
    url = reverse("casework:assign", args=[participant_a.pk])
    data = {"enrollment": enrollment.pk, "worker": busy.pk, "reason": "Langue", "on": clock.today()}
    response = client_for(lead).post(url, data)
    assert response.context["form"].errors["over_ratio_reason"]
    response = client_for(lead).post(url, {**data, "over_ratio_reason": "Seul à parler arabe"})
    assert response.status_code == 302


# --- visits and tenancy at risk ------------------------------------------------------------------------------


def test_settings_tenancy_at_risk_raises_visits(client_for, lead, case_manager_a, participant_a, program):
    enrollment = enroll(lead, participant_a, program, case_manager_a)
    url = reverse("casework:enrollment_settings", args=[participant_a.pk])
    client = client_for(case_manager_a)
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"visits_per_week": 1, "tenancy_at_risk": "on", "reason": "Avis du propriétaire"}
    )
    assert response.status_code == 302
    enrollment.refresh_from_db()
    assert enrollment.tenancy_at_risk_since == clock.today()
    assert enrollment.visits_per_week == 2


def test_settings_bad_input_saves_nothing(client_for, lead, case_manager_a, participant_a, program):
    enrollment = enroll(lead, participant_a, program, case_manager_a)
    enrollment_set_tenancy_risk(actor=case_manager_a, enrollment=enrollment, at_risk=True)
    url = reverse("casework:enrollment_settings", args=[participant_a.pk])
    client = client_for(case_manager_a)
    response = client.post(url, {"visits_per_week": 1, "tenancy_at_risk": "on"})
    assert response.status_code == 200
    assert response.context["form"].errors["visits_per_week"]
    future = (clock.today() + datetime.timedelta(days=5)).isoformat()
    response = client.post(url, {"visits_per_week": 3, "tenancy_at_risk": "on", "since": future})
    assert response.context["form"].errors["since"]
    enrollment.refresh_from_db()
    assert enrollment.visits_per_week == 2
    response = client.post(url, {"visits_per_week": 0})
    assert response.context["form"].errors["visits_per_week"]


def test_settings_without_enrollment_is_404(client_for, case_manager_a, participant_a):
    assert (
        _page(client_for(case_manager_a), "casework:enrollment_settings", participant_a.pk).status_code == 404
    )


# --- caseloads of the teams ----------------------------------------------------------------------------------


def test_caseloads_page_shows_weights_and_over_ratio(client_for, lead, org_a, team):
    program = team.program
    program.caseload_ratio = 2
    program.save()
    worker = make_worker(org_a, team=team, first_name="Zoé", last_name="Lavoie")
    for i in range(3):
        person = make_participant(lead, org_a, legal_first_name=f"P{i}")
        if i == 0:
            today = clock.today()
            ByNameEntry.objects.create(
                participant=person, entered_on=today, status_since=today, acuity_band="act"
            )
        enroll(lead, person, program, worker, team=team, over_ratio_reason="Besoin")
    response = client_for(lead).get(reverse("casework:caseloads"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Zoé Lavoie" in html
    assert "3,50" in html  # 1.5 + 1 + 1
    assert reverse("casework:caseload") + f"?worker={worker.pk}" in html
    (row,) = [t for t in response.context["teams"] if t.team == team]
    (w,) = [r for r in row.workers if r.worker == worker]
    assert (w.load.count, w.weight, w.ratio, w.over) == (3, 3.5, 2, True)


def test_caseloads_page_english(client_for, lead):
    lead.language = "en"
    lead.save()
    html = client_for(lead).get(reverse("casework:caseloads")).content.decode()
    assert "How a caseload is weighed" in html
    assert "East team" in html


def test_caseloads_page_only_own_organisations(client_for, lead, case_manager_b):
    html = client_for(lead).get(reverse("casework:caseloads")).content.decode()
    assert case_manager_b.display_name not in html


def test_caseloads_page_constant_queries(django_assert_max_num_queries, client_for, lead, org_a, program):
    client = client_for(lead)

    def grow(n):
        for _ in range(n):
            team = make_team(program)
            worker = make_worker(org_a, team=team)
            enroll(lead, make_participant(lead, org_a, legal_first_name="N"), program, worker, team=team)

    grow(1)
    with django_assert_max_num_queries(14) as small:
        assert client.get(reverse("casework:caseloads")).status_code == 200
    grow(5)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(reverse("casework:caseloads")).status_code == 200


# --- the panel on the participant's file ---------------------------------------------------------------------


def test_panel_on_the_file(client_for, lead, case_manager_a, participant_a, program):
    detail = reverse("people:detail", args=[participant_a.pk])
    html = client_for(case_manager_a).get(detail).content.decode()
    assert 'id="casework-panel-title"' in html
    assert reverse("casework:enroll", args=[participant_a.pk]) not in html  # a case manager does not enroll
    enroll(lead, participant_a, program, case_manager_a)
    html = client_for(case_manager_a).get(detail).content.decode()
    assert case_manager_a.display_name in html
    assert reverse("casework:participant", args=[participant_a.pk]) in html


def test_panel_hidden_from_who_may_not_read_case_management(client_for, case_manager_a, participant_a, org_b):
    reader = member(org_b, Role.CASE_MANAGER)
    share(case_manager_a, participant_a, [org_b], [Category.IDENTITY])
    html = client_for(reader).get(reverse("people:detail", args=[participant_a.pk])).content.decode()
    assert 'id="casework-panel-title"' not in html


def test_panel_constant_queries(
    django_assert_max_num_queries, client_for, lead, case_manager_a, participant_a, org_a
):
    detail = reverse("people:detail", args=[participant_a.pk])
    client = client_for(case_manager_a)
    client.get(detail)
    with django_assert_max_num_queries(60) as before:
        client.get(detail)
    program = make_program(org_a)
    enroll(lead, participant_a, program, case_manager_a)
    act = make_program(org_a, kind=Program.Kind.ACT)
    enroll(lead, participant_a, act, case_manager_a)
    with django_assert_max_num_queries(len(before.captured_queries) + 1):
        client.get(detail)
