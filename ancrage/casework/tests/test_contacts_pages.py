"""Pages and API of contacts, field visits and risk plans (B2, B3, B8, B9)."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
from django.urls import reverse

from ancrage.casework.contacts import services
from ancrage.casework.models import Contact, FieldVisit, RiskAssessment
from ancrage.casework.risk import services as risk_services
from ancrage.core import clock
from ancrage.core.models import AuditEntry
from ancrage.core.permissions import Category, Role
from ancrage.people.tests.factories import member, share

pytestmark = pytest.mark.django_db

MONTREAL = zoneinfo.ZoneInfo("America/Montreal")


def _contact(actor, participant, minutes_ago=30, **kwargs):
    values = {
        "duration_minutes": 30,
        "kind": "home",
        "shared_note": "Note partagée",
        "private_note": "Secret",
    }
    values.update(kwargs)
    return services.contact_log(
        actor=actor,
        participant=participant,
        occurred_at=clock.now() - datetime.timedelta(minutes=minutes_ago),
        **values,
    )


def _visit(actor, participant, **kwargs):
    start = clock.now() + datetime.timedelta(minutes=5)
    return services.visit_plan(
        actor=actor,
        participant=participant,
        location="12 rue des Érables",
        planned_start=start,
        planned_end=start + datetime.timedelta(hours=1),
        **kwargs,
    )


def _local(dt):
    return clock.localtime(dt).strftime("%Y-%m-%dT%H:%M")


# --- contact list -----------------------------------------------------------------------------------


def test_contact_list_shows_notes_and_weekly_standard(
    client_for, case_manager_a, participant_a, time_machine
):
    # A Wednesday afternoon: a contact half an hour ago falls in this week (on Monday at 00:10 it would
    # fall in last week's column, and the test would say nothing about the page).
    time_machine.move_to(datetime.datetime(2026, 12, 9, 14, 0, tzinfo=MONTREAL))
    _contact(case_manager_a, participant_a, shared_note="Visite agréable")
    response = client_for(case_manager_a).get(reverse("casework:contact_list", args=[participant_a.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Visite agréable" in html
    assert "Secret" in html
    assert response.context["standard"].this_week.visits == 1
    assert response.context["standard"].this_week.minutes == 30
    assert AuditEntry.objects.filter(action="casework.contacts.viewed", participant=participant_a).exists()


def test_contact_list_in_english(client_for, case_manager_a, participant_a):
    case_manager_a.language = "en"
    case_manager_a.save()
    _contact(case_manager_a, participant_a)
    html = (
        client_for(case_manager_a)
        .get(reverse("casework:contact_list", args=[participant_a.pk]))
        .content.decode()
    )
    assert "This week against the standard" in html
    assert "Home visit" in html
    assert 'lang="en"' in html


def test_private_note_hidden_from_another_organisation_reading_through_consent(
    client_for, case_manager_a, case_manager_b, participant_a, org_b
):
    _contact(case_manager_a, participant_a, shared_note="Partagé avec B", private_note="Privé à A")
    share(case_manager_a, participant_a, [org_b], [Category.IDENTITY, Category.CASE_NOTES])
    response = client_for(case_manager_b).get(reverse("casework:contact_list", args=[participant_a.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Partagé avec B" in html
    assert "Privé à A" not in html
    # Nor through the API.
    data = client_for(case_manager_b).get(f"/api/v1/participants/{participant_a.pk}/contacts").json()
    assert data[0]["shared_note"] == "Partagé avec B"
    assert data[0]["private_note"] is None
    # Reading is not writing.
    assert (
        client_for(case_manager_b)
        .get(reverse("casework:contact_create", args=[participant_a.pk]))
        .status_code
        == 404
    )
    assert (
        client_for(case_manager_b).get(reverse("casework:visit_plan", args=[participant_a.pk])).status_code
        == 404
    )


def test_another_organisation_without_case_notes_consent_gets_404(
    client_for, case_manager_a, case_manager_b, participant_a, org_b
):
    _contact(case_manager_a, participant_a)
    share(case_manager_a, participant_a, [org_b], [Category.IDENTITY])
    c = client_for(case_manager_b)
    assert c.get(reverse("people:detail", args=[participant_a.pk])).status_code == 200
    assert c.get(reverse("casework:contact_list", args=[participant_a.pk])).status_code == 404
    assert c.get(f"/api/v1/participants/{participant_a.pk}/contacts").status_code == 404
    assert c.get(reverse("casework:risk_list", args=[participant_a.pk])).status_code == 404


def test_partner_without_casework_permission_is_refused(
    client_for, case_manager_a, participant_a, partner_org, partner_rep
):
    share(case_manager_a, participant_a, [partner_org], [Category.IDENTITY])
    response = client_for(partner_rep).get(reverse("casework:contact_list", args=[participant_a.pk]))
    assert response.status_code in {403, 404}


@pytest.mark.parametrize("count", [2, 20])
def test_contact_list_query_count_is_constant(
    count, client_for, case_manager_a, participant_a, org_a, django_assert_max_num_queries
):
    peer = member(org_a, Role.PEER_SUPPORT)
    for i in range(count):
        _contact(case_manager_a, participant_a, minutes_ago=30 + i * 60 * 12, staff=[peer])
    c = client_for(case_manager_a)
    url = reverse("casework:contact_list", args=[participant_a.pk])
    c.get(url)
    with django_assert_max_num_queries(14):
        assert c.get(url).status_code == 200


# --- logging a contact -------------------------------------------------------------------------------


def test_contact_form_defaults(client_for, case_manager_a, participant_a):
    response = client_for(case_manager_a).get(reverse("casework:contact_create", args=[participant_a.pk]))
    assert response.status_code == 200
    form = response.context["form"]
    assert form["kind"].value() == "home"
    assert form["participant_present"].value() == "yes"
    assert form["staff"].value() == [case_manager_a.pk]
    html = response.content.decode()
    assert 'value="home" checked' in html
    assert 'value="30" checked' in html


def test_log_contact_in_a_few_taps(client_for, case_manager_a, participant_a, org_a):
    peer = member(org_a, Role.PEER_SUPPORT)
    when = clock.now() - datetime.timedelta(minutes=20)
    response = client_for(case_manager_a).post(
        reverse("casework:contact_create", args=[participant_a.pk]),
        {
            "kind": "community",
            "occurred_at": _local(when),
            "duration_minutes": "45",
            "participant_present": "yes",
            "staff": [case_manager_a.pk, peer.pk],
            "shared_note": "Café ensemble",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("casework:contact_list", args=[participant_a.pk])
    contact = Contact.objects.get()
    assert contact.kind == "community"
    assert contact.duration_minutes == 45
    assert set(contact.staff.values_list("pk", flat=True)) == {case_manager_a.pk, peer.pk}


def test_contact_in_the_future_is_refused_and_nothing_typed_is_lost(
    client_for, case_manager_a, participant_a
):
    when = clock.now() + datetime.timedelta(hours=3)
    response = client_for(case_manager_a).post(
        reverse("casework:contact_create", args=[participant_a.pk]),
        {
            "kind": "phone",
            "occurred_at": _local(when),
            "duration_minutes": "15",
            "participant_present": "no",
            "shared_note": "Mon long texte à ne pas perdre",
            "private_note": "Privé à garder",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "future" in html or "futur" in html
    assert "Mon long texte à ne pas perdre" in html
    assert "Privé à garder" in html
    assert 'value="phone" checked' in html
    assert Contact.objects.count() == 0


def test_duration_zero_is_refused(client_for, case_manager_a, participant_a):
    response = client_for(case_manager_a).post(
        reverse("casework:contact_create", args=[participant_a.pk]),
        {
            "kind": "phone",
            "occurred_at": _local(clock.now()),
            "duration_other": "0",
            "participant_present": "yes",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["duration_other"]
    assert Contact.objects.count() == 0


def test_duration_is_required(client_for, case_manager_a, participant_a):
    response = client_for(case_manager_a).post(
        reverse("casework:contact_create", args=[participant_a.pk]),
        {"kind": "phone", "occurred_at": _local(clock.now()), "participant_present": "yes"},
    )
    assert response.context["form"].errors["duration_minutes"]


def test_ended_visit_prefills_the_contact(client_for, case_manager_a, participant_a, org_a):
    peer = member(org_a, Role.PEER_SUPPORT)
    visit = _visit(case_manager_a, participant_a, companions=[peer])
    FieldVisit.objects.filter(pk=visit.pk).update(planned_start=clock.now() - datetime.timedelta(minutes=50))
    visit = services.visit_start(
        actor=case_manager_a, visit=visit, at=clock.now() - datetime.timedelta(minutes=45)
    )
    c = client_for(case_manager_a)
    response = c.post(reverse("casework:visit_end", args=[visit.pk]))
    url = reverse("casework:contact_create", args=[participant_a.pk]) + f"?visit={visit.pk}"
    assert response["Location"] == url
    response = c.get(url)
    form = response.context["form"]
    assert form["duration_minutes"].value() == 45
    assert set(form["staff"].value()) == {case_manager_a.pk, peer.pk}
    assert form["visit"].value() == visit.pk
    response = c.post(
        url,
        {
            "kind": "home",
            "occurred_at": _local(visit.started_at),
            "duration_minutes": "45",
            "participant_present": "yes",
            "staff": [case_manager_a.pk, peer.pk],
            "visit": visit.pk,
        },
    )
    assert response.status_code == 302
    assert Contact.objects.get().visit_id == visit.pk


def test_visit_of_another_organisation_is_404(client_for, program_manager_a, case_manager_b, participant_a):
    from ancrage.people.tests.factories import make_participant

    other = make_participant(case_manager_b, case_manager_b.primary_membership.organisation)
    visit_b = _visit(case_manager_b, other)
    c = client_for(program_manager_a)
    for name in ("casework:visit_start", "casework:visit_end", "casework:visit_cancel"):
        assert c.post(reverse(name, args=[visit_b.pk]), {"reason": "x"}).status_code == 404
    assert c.post(f"/api/v1/visits/{visit_b.pk}/end", {}, content_type="application/json").status_code == 404
    url = reverse("casework:contact_create", args=[participant_a.pk]) + f"?visit={visit_b.pk}"
    assert c.get(url).status_code == 404
    visit_b.refresh_from_db()
    assert visit_b.status == FieldVisit.Status.PLANNED


# --- visits -------------------------------------------------------------------------------------------


def test_visit_plan_enforces_paired_visits(client_for, case_manager_a, participant_a, org_a):
    risk_services.risk_assess(
        actor=case_manager_a,
        participant=participant_a,
        assessed_on=clock.today(),
        level=2,
        rating="high",
        description="Menaces",
        paired_visits=True,
        office_only_until=clock.today() + datetime.timedelta(days=10),
    )
    colleague = member(org_a, Role.CASE_MANAGER)
    start = clock.now() + datetime.timedelta(hours=1)
    c = client_for(case_manager_a)
    url = reverse("casework:visit_plan", args=[participant_a.pk])
    page = c.get(url).content.decode()
    assert "pairs" in page or "deux" in page
    data = {
        "location": "Chez lui",
        "planned_start": _local(start),
        "planned_end": _local(start + datetime.timedelta(hours=1)),
    }
    response = c.post(url, data)
    assert response.status_code == 200
    assert response.context["form"].errors["companions"]
    assert FieldVisit.objects.count() == 0
    response = c.post(url, {**data, "companions": [colleague.pk]})
    assert response.status_code == 302
    assert list(FieldVisit.objects.get().companions.all()) == [colleague]


def test_visit_ending_before_it_starts_is_refused_on_the_page(client_for, case_manager_a, participant_a):
    start = clock.now() + datetime.timedelta(hours=2)
    response = client_for(case_manager_a).post(
        reverse("casework:visit_plan", args=[participant_a.pk]),
        {
            "location": "Parc",
            "planned_start": _local(start),
            "planned_end": _local(start - datetime.timedelta(hours=1)),
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["planned_end"]
    assert "Parc" in response.content.decode()


def test_visit_board_mine_and_team_with_overdue(client_for, case_manager_a, participant_a, org_a):
    colleague = member(org_a, Role.CASE_MANAGER)
    mine = _visit(case_manager_a, participant_a)
    theirs = _visit(colleague, participant_a)
    services.visit_start(actor=colleague, visit=theirs)
    FieldVisit.objects.filter(pk=theirs.pk).update(
        planned_start=clock.now() - datetime.timedelta(hours=3),
        planned_end=clock.now() - datetime.timedelta(hours=2),
    )
    response = client_for(case_manager_a).get(reverse("casework:visit_list"))
    board = response.context["board"]
    assert [v.pk for v in board.mine] == [mine.pk]
    assert [v.pk for v in board.team] == [theirs.pk]
    assert board.team[0].overdue
    html = response.content.decode()
    assert reverse("casework:visit_start", args=[mine.pk]) in html


@pytest.mark.parametrize("count", [1, 12])
def test_visit_board_query_count_is_constant(
    count, client_for, case_manager_a, participant_a, org_a, django_assert_max_num_queries
):
    colleague = member(org_a, Role.CASE_MANAGER)
    peer = member(org_a, Role.PEER_SUPPORT)
    for _ in range(count):
        _visit(case_manager_a, participant_a, companions=[peer])
        services.visit_start(actor=colleague, visit=_visit(colleague, participant_a, companions=[peer]))
    c = client_for(case_manager_a)
    url = reverse("casework:visit_list")
    c.get(url)
    with django_assert_max_num_queries(10):
        assert c.get(url).status_code == 200


def test_visit_cancel_from_the_board(client_for, case_manager_a, participant_a):
    visit = _visit(case_manager_a, participant_a)
    c = client_for(case_manager_a)
    assert c.post(reverse("casework:visit_cancel", args=[visit.pk]), {"reason": ""}).status_code == 302
    visit.refresh_from_db()
    assert visit.status == FieldVisit.Status.PLANNED
    c.post(reverse("casework:visit_cancel", args=[visit.pk]), {"reason": "Rendez-vous déplacé"})
    visit.refresh_from_db()
    assert visit.status == FieldVisit.Status.CANCELLED


# --- risk ---------------------------------------------------------------------------------------------


def test_risk_pages(client_for, case_manager_a, participant_a):
    c = client_for(case_manager_a)
    response = c.post(
        reverse("casework:risk_create", args=[participant_a.pk]),
        {
            "assessed_on": clock.today().isoformat(),
            "level": "2",
            "rating": "moderate",
            "description": "Cris dans le corridor",
            "paired_visits": "on",
            "notify_team_on_police": "on",
        },
    )
    assert response.status_code == 302
    risk = RiskAssessment.objects.get()
    assert risk.paired_visits
    assert risk.notify_team_on_police
    response = c.get(reverse("casework:risk_list", args=[participant_a.pk]))
    assert response.context["current"] == risk
    assert "Cris dans le corridor" in response.content.decode()
    assert AuditEntry.objects.filter(action="casework.risk.viewed", participant=participant_a).exists()
    c.post(reverse("casework:risk_end", args=[participant_a.pk, risk.pk]))
    risk.refresh_from_db()
    assert risk.ended_on == clock.today()


def test_risk_in_the_future_is_refused(client_for, case_manager_a, participant_a):
    response = client_for(case_manager_a).post(
        reverse("casework:risk_create", args=[participant_a.pk]),
        {
            "assessed_on": (clock.today() + datetime.timedelta(days=2)).isoformat(),
            "level": "1",
            "rating": "low",
            "description": "Texte gardé",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["assessed_on"]
    assert "Texte gardé" in response.content.decode()


def test_risk_end_of_another_participant_is_404(
    client_for, program_manager_a, case_manager_a, case_manager_b, participant_a
):
    from ancrage.people.tests.factories import make_participant

    other = make_participant(case_manager_b, case_manager_b.primary_membership.organisation)
    risk_b = risk_services.risk_assess(
        actor=case_manager_b,
        participant=other,
        assessed_on=clock.today(),
        level=1,
        rating="low",
        description="x",
    )
    response = client_for(program_manager_a).post(
        reverse("casework:risk_end", args=[participant_a.pk, risk_b.pk])
    )
    assert response.status_code == 404
    risk_b.refresh_from_db()
    assert risk_b.ended_on is None


# --- API ----------------------------------------------------------------------------------------------


def test_api_contact_and_visit_cycle(client_for, case_manager_a, participant_a):
    c = client_for(case_manager_a)
    base = f"/api/v1/participants/{participant_a.pk}"
    future = (clock.now() + datetime.timedelta(hours=1)).isoformat()
    response = c.post(
        f"{base}/contacts",
        {"occurred_at": future, "duration_minutes": 30, "kind": "home"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "occurred_at" in response.json()["errors"]
    start = clock.now() + datetime.timedelta(minutes=1)
    response = c.post(
        f"{base}/visits",
        {
            "location": "Parc",
            "planned_start": start.isoformat(),
            "planned_end": (start - datetime.timedelta(minutes=5)).isoformat(),
        },
        content_type="application/json",
    )
    assert response.status_code == 422
    response = c.post(
        f"{base}/visits",
        {
            "location": "Parc",
            "planned_start": start.isoformat(),
            "planned_end": (start + datetime.timedelta(hours=1)).isoformat(),
        },
        content_type="application/json",
    )
    assert response.status_code == 201
    visit_id = response.json()["id"]
    assert (
        c.post(f"/api/v1/visits/{visit_id}/start", {}, content_type="application/json").json()["status"]
        == "started"
    )
    assert (
        c.post(f"/api/v1/visits/{visit_id}/end", {}, content_type="application/json").json()["status"]
        == "ended"
    )
    response = c.post(
        f"{base}/contacts",
        {
            "occurred_at": (clock.now() - datetime.timedelta(minutes=1)).isoformat(),
            "duration_minutes": 20,
            "kind": "home",
            "visit_id": visit_id,
            "private_note": "Privé",
        },
        content_type="application/json",
    )
    assert response.status_code == 201
    assert response.json()["private_note"] == "Privé"
    assert response.json()["staff_ids"] == [case_manager_a.pk]
    assert [v["id"] for v in c.get(f"{base}/visits").json()] == [visit_id]


def test_contact_form_lists_active_goals(client_for, case_manager_a, participant_a, org_a):
    from ancrage.casework.tests.test_contacts_services import _enrolled

    _enrollment, goal = _enrolled(case_manager_a, participant_a, org_a)
    c = client_for(case_manager_a)
    url = reverse("casework:contact_create", args=[participant_a.pk])
    assert "Avoir mon chat" in c.get(url).content.decode()
    response = c.post(
        url,
        {
            "kind": "home",
            "occurred_at": _local(clock.now()),
            "duration_minutes": "30",
            "participant_present": "yes",
            "goals": [goal.pk],
        },
    )
    assert response.status_code == 302
    assert list(Contact.objects.get().goals_discussed.all()) == [goal]
