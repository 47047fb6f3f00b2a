"""Issue 12, parts 6 and 7: what the morning needs comes first (home, my caseload, the file), peer support
workers are not primary case managers, and alerts name their participant, can be dismissed and are withdrawn
when their cause is undone."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from ancrage.casework.caseload.selectors import caseload_workers
from ancrage.casework.caseload.services import enrollment_assign
from ancrage.casework.models import OnCallEntry, OnCallShift, StageOfChange
from ancrage.casework.plans.services import goal_add, plan_create
from ancrage.casework.tests.factories_caseload import enroll, make_program, make_team, make_worker
from ancrage.core import clock
from ancrage.core.models import Alert, AuditEntry
from ancrage.core.permissions import Role
from ancrage.people.tests.factories import make_participant

pytestmark = pytest.mark.django_db


@pytest.fixture
def program(org_a):
    return make_program(org_a)


@pytest.fixture
def team(program):
    return make_team(program, name="Équipe Est", name_en="East team")


@pytest.fixture
def lead(org_a, team):
    return make_worker(org_a, role=Role.TEAM_LEAD, team=team, username="lead_phone", first_name="Léa")


# --- peer support workers (B1) -------------------------------------------------------------------------------


def test_peer_support_worker_is_not_offered_nor_accepted_as_primary(lead, org_a, team, program):
    peer = make_worker(org_a, role=Role.PEER_SUPPORT, team=team, first_name="Pia")
    worker = make_worker(org_a, team=team)
    assert peer not in caseload_workers([org_a.pk])
    assert worker in caseload_workers([org_a.pk])
    person = make_participant(lead, org_a, legal_first_name="Paul")
    with pytest.raises(ValidationError) as exc:
        enroll(lead, person, program, peer, team=team)
    refusal = " ".join(exc.value.message_dict["primary_worker"])
    assert "pair·e aidant·e" in refusal or "peer support worker" in refusal
    enrollment = enroll(lead, person, program, worker, team=team)
    with pytest.raises(ValidationError):
        enrollment_assign(actor=lead, enrollment=enrollment, worker=peer, reason="Congé")


def test_four_case_managers_and_a_peer_make_a_capacity_of_60(client_for, lead, org_a, team):
    for name in ("A", "B", "C", "D"):
        make_worker(org_a, team=team, first_name=name)
    make_worker(org_a, role=Role.PEER_SUPPORT, team=team, first_name="Pia")
    response = client_for(lead).get(reverse("casework:caseloads"))
    (row,) = [t for t in response.context["teams"] if t.team == team]
    assert row.capacity == 60  # not 75


# --- alerts ----------------------------------------------------------------------------------------------------


def test_reversed_reassignment_withdraws_the_alert(lead, org_a, team, program):
    first = make_worker(org_a, team=team, first_name="Ana")
    second = make_worker(org_a, team=team, first_name="Ben")
    person = make_participant(lead, org_a, legal_first_name="Rémi", legal_last_name="Roy")
    enrollment = enroll(lead, person, program, first, team=team)
    enrollment_assign(actor=lead, enrollment=enrollment, worker=second, reason="Congé")
    (to_second,) = Alert.objects.filter(recipient=second, kind="casework.assignment.new")
    assert to_second.resolved_at is None
    enrollment_assign(actor=lead, enrollment=enrollment, worker=first, reason="Retour de congé")
    to_second.refresh_from_db()
    assert to_second.resolved_at is not None
    assert to_second.outcome == Alert.Outcome.WITHDRAWN
    assert AuditEntry.objects.filter(action="core.alert.withdrawn", object_id=str(to_second.pk)).exists()
    # The first worker's alert holds again: one open alert, not two.
    assert Alert.objects.filter(recipient=first, resolved_at__isnull=True).count() == 1


def test_home_names_the_alerts_participant_and_dismisses_it(client_for, lead, org_a, team, program):
    worker = make_worker(org_a, team=team, first_name="Ana")
    person = make_participant(lead, org_a, legal_first_name="Rémi", legal_last_name="Roy")
    enroll(lead, person, program, worker, team=team)
    (alert,) = Alert.objects.filter(recipient=worker)
    client = client_for(worker)
    html = client.get(reverse("home")).content.decode()
    assert "Rémi Roy" in html
    assert reverse("alert_dismiss", args=[alert.pk]) in html
    # Someone else cannot dismiss it: the alert is not theirs (404, like one that does not exist).
    assert client_for(lead).post(reverse("alert_dismiss", args=[alert.pk])).status_code == 404
    client = client_for(worker)
    assert client.get(reverse("alert_dismiss", args=[alert.pk])).status_code == 405
    response = client.post(reverse("alert_dismiss", args=[alert.pk]))
    assert response.status_code == 302
    alert.refresh_from_db()
    assert alert.outcome == Alert.Outcome.DISMISSED
    assert alert.closed_by == worker
    assert AuditEntry.objects.filter(action="core.alert.dismissed", actor=worker).count() == 1
    assert client.post(reverse("alert_dismiss", args=[alert.pk])).status_code == 404
    assert reverse("alert_dismiss", args=[alert.pk]) not in client.get(reverse("home")).content.decode()


def test_outsider_cannot_dismiss(client_for, outsider, lead, org_a, team, program):
    worker = make_worker(org_a, team=team)
    enroll(lead, make_participant(lead, org_a, legal_first_name="X"), program, worker, team=team)
    (alert,) = Alert.objects.filter(recipient=worker)
    assert client_for(outsider).post(reverse("alert_dismiss", args=[alert.pk])).status_code == 404
    alert.refresh_from_db()
    assert alert.resolved_at is None


# --- the morning first ----------------------------------------------------------------------------------------


def test_home_puts_caseload_and_alerts_before_recent_files(client_for, lead, org_a, team, program):
    worker = make_worker(org_a, team=team)
    person = make_participant(lead, org_a, legal_first_name="Rémi", legal_last_name="Roy")
    enroll(lead, person, program, worker, team=team)
    html = client_for(worker).get(reverse("home")).content.decode()
    caseload, alerts, recent = (html.index(f'id="{n}-title"') for n in ("caseload", "alerts", "recent"))
    assert caseload < alerts < recent
    # Who to see first, with "log a contact" (never seen: flagged).
    assert reverse("casework:contact_create", args=[person.pk]) in html


def test_team_lead_home_links_the_team_meeting(client_for, lead, org_a, team, program):
    enroll(lead, make_participant(lead, org_a, legal_first_name="L"), program, lead, team=team)
    html = client_for(lead).get(reverse("home")).content.decode()
    assert reverse("casework:meeting") in html
    worker = make_worker(org_a, team=team)
    enroll(lead, make_participant(lead, org_a, legal_first_name="W"), program, worker, team=team)
    assert reverse("casework:meeting") not in client_for(worker).get(reverse("home")).content.decode()


def test_caseload_card_has_call_link_address_and_plan_a_visit(client_for, lead, org_a, team, program):
    worker = make_worker(org_a, team=team)
    person = make_participant(
        lead,
        org_a,
        legal_first_name="Rémi",
        phone="514 555-0101",
        current_location="Chambre 12, 300 rue Ontario",
    )
    enroll(lead, person, program, worker, team=team)
    html = client_for(worker).get(reverse("casework:caseload")).content.decode()
    assert 'href="tel:514 555-0101"' in html
    assert "Chambre 12, 300 rue Ontario" in html
    assert reverse("casework:visit_plan", args=[person.pk]) in html
    # Flags are one folded filter, not a wall of buttons.
    assert '<details class="flag-filter"' in html


def test_file_shows_log_a_contact_and_goals_before_administration(client_for, lead, org_a, team, program):
    worker = make_worker(org_a, team=team)
    person = make_participant(lead, org_a, legal_first_name="Rémi")
    enrollment = enroll(lead, person, program, worker, team=team)
    plan = plan_create(actor=worker, enrollment=enrollment)
    goal_add(actor=worker, plan=plan, words="Retrouver ma fille", stage=StageOfChange.PREPARATION)
    before = AuditEntry.objects.filter(action="casework.plan.viewed").count()
    html = client_for(worker).get(reverse("people:detail", args=[person.pk])).content.decode()
    assert "Retrouver ma fille" in html
    log = html.index(reverse("casework:contact_create", args=[person.pk]))
    assert log < html.index(reverse("people:history", args=[person.pk]))
    assert AuditEntry.objects.filter(action="casework.plan.viewed").count() == before + 1


# --- on-call: how to reach who is on call, a call logged by the participant's name ---------------------------


def _call(client, org, participant_text):
    return client.post(
        reverse("casework:on_call_create"),
        {
            "organisation": org.pk,
            "called_at": clock.localtime().strftime("%Y-%m-%dT%H:%M"),
            "caller": "Voisine",
            "summary": "Musique forte",
            "participant": participant_text,
        },
    )


def test_on_call_page_gives_the_number_to_call(client_for, lead, org_a, case_manager_a):
    start = clock.localtime() - datetime.timedelta(hours=1)
    response = client_for(lead).post(
        reverse("casework:on_call_shift"),
        {
            "organisation": org_a.pk,
            "worker": case_manager_a.pk,
            "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (start + datetime.timedelta(hours=12)).strftime("%Y-%m-%dT%H:%M"),
            "phone": " 514 555-2000 ",
        },
    )
    assert response.status_code == 302
    assert OnCallShift.objects.get().phone == "514 555-2000"
    html = client_for(case_manager_a).get(reverse("casework:on_call")).content.decode()
    assert 'href="tel:514 555-2000"' in html


def test_after_hours_call_is_logged_by_name(client_for, case_manager_a, org_a, org_b, case_manager_b):
    case_manager_a.language = "en"
    case_manager_a.save(update_fields=["language"])
    remi = make_participant(case_manager_a, org_a, legal_first_name="Rémi", legal_last_name="Roy")
    make_participant(case_manager_a, org_a, legal_first_name="Rémi", legal_last_name="Gagnon")
    make_participant(case_manager_b, org_b, legal_first_name="Zoé", legal_last_name="Ailleurs")
    client = client_for(case_manager_a)
    # Accents and case do not matter; the name is enough when only one person of the organisation has it.
    assert _call(client, org_a, "remi roy").status_code == 302
    assert OnCallEntry.objects.get().participant == remi
    # Two people share the first name: say so, keep what was typed, save nothing.
    response = _call(client, org_a, "Rémi")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Several participants this organisation serves match this name" in html
    assert 'value="Rémi"' in html
    # Another organisation's participant is not found, by name or identifier.
    assert "No participant this organisation serves" in _call(client, org_a, "Zoé Ailleurs").content.decode()
    assert OnCallEntry.objects.count() == 1
