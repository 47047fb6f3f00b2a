"""Enrollment and caseload services (B1, B2)."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from ancrage.access.models import ByNameEntry, MatchStatus
from ancrage.casework.caseload.services import (
    enrollment_assign,
    enrollment_create,
    enrollment_set_tenancy_risk,
    enrollment_set_visits,
)
from ancrage.casework.caseload.weights import caseload_for_workers, enrollment_weight
from ancrage.casework.models import Assignment, Enrollment
from ancrage.casework.tests.factories_caseload import (
    enroll,
    make_program,
    make_team,
    make_worker,
    transferred_match,
)
from ancrage.core import clock
from ancrage.core.alerts import Alert
from ancrage.core.audit import AuditEntry
from ancrage.core.permissions import Role
from ancrage.organisations.models import Program
from ancrage.people.tests.factories import make_participant

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """The messages are checked in English (the French ones come from the catalogue)."""
    translation.activate("en")


@pytest.fixture
def program(org_a):
    return make_program(org_a)


@pytest.fixture
def team(program):
    return make_team(program)


def messages(exc, field):
    return " ".join(exc.value.message_dict[field])


def test_enroll_directly_creates_first_assignment_audit_and_alert(
    program_manager_a, case_manager_a, participant_a, program, team
):
    enrollment = enrollment_create(
        actor=program_manager_a,
        participant=participant_a,
        program=program,
        primary_worker=case_manager_a,
        team=team,
    )
    assert enrollment.status == Enrollment.Status.ACTIVE
    assert enrollment.enrolled_on == clock.today()
    assert enrollment.visits_per_week == 1
    first = enrollment.assignments.get()
    assert (first.worker, first.ends_on, first.over_ratio) == (case_manager_a, None, False)
    actions = set(AuditEntry.objects.filter(participant=participant_a).values_list("action", flat=True))
    assert {"casework.enrollment.created", "casework.enrollment.assigned"} <= actions
    alert = Alert.objects.get(recipient=case_manager_a, kind="casework.assignment.new")
    assert alert.url == f"/participants/{participant_a.pk}/casework/"


def test_enroll_refuses_other_kinds_inactive_programs_and_twice(
    program_manager_a, case_manager_a, participant_a, org_a, program
):
    housing = make_program(org_a, kind=Program.Kind.HOUSING_TEAM)
    with pytest.raises(ValidationError) as exc:
        enroll(program_manager_a, participant_a, housing, case_manager_a)
    assert "ICM or ACT" in messages(exc, "program")
    closed = make_program(org_a, is_active=False)
    with pytest.raises(ValidationError) as exc:
        enroll(program_manager_a, participant_a, closed, case_manager_a)
    assert "no longer active" in messages(exc, "program")
    enroll(program_manager_a, participant_a, program, case_manager_a)
    with pytest.raises(ValidationError) as exc:
        enroll(program_manager_a, participant_a, program, case_manager_a)
    assert "already enrolled" in messages(exc, "program")
    assert Enrollment.objects.count() == 1


def test_enroll_bad_input(
    program_manager_a, case_manager_a, case_manager_b, participant_a, org_a, org_b, program
):
    other_team = make_team(make_program(org_a, kind=Program.Kind.ACT))
    with pytest.raises(ValidationError) as exc:
        enroll(
            program_manager_a,
            participant_a,
            program,
            case_manager_b,
            team=other_team,
            enrolled_on=clock.today() + datetime.timedelta(days=1),
        )
    assert set(exc.value.message_dict) == {"team", "primary_worker", "enrolled_on"}
    assert "future" in messages(exc, "enrolled_on")
    with pytest.raises(ValidationError) as exc:
        enroll(program_manager_a, participant_a, make_program(org_b), case_manager_a)
    assert "your organisation" in messages(exc, "program")
    housing = make_worker(org_a, role=Role.HOUSING_SPECIALIST)
    with pytest.raises(ValidationError) as exc:
        enroll(program_manager_a, participant_a, program, housing)
    assert "not a case manager" in messages(exc, "primary_worker")
    assert not Enrollment.objects.exists()


def test_enroll_from_match_must_be_transferred_to_that_program(
    program_manager_a, case_manager_a, org_a, program
):
    other = make_program(org_a, kind=Program.Kind.ACT)
    accepted = transferred_match(program_manager_a, org_a, program, status=MatchStatus.PROVIDER_ACCEPTED)
    with pytest.raises(ValidationError) as exc:
        enroll(program_manager_a, accepted.participant, program, case_manager_a, match=accepted)
    assert "assisted transfer" in messages(exc, "match")
    elsewhere = transferred_match(program_manager_a, org_a, other, legal_first_name="Luc")
    with pytest.raises(ValidationError) as exc:
        enroll(program_manager_a, elsewhere.participant, program, case_manager_a, match=elsewhere)
    assert "another program" in messages(exc, "match")
    with pytest.raises(ValidationError) as exc:
        enroll(program_manager_a, accepted.participant, program, case_manager_a, match=elsewhere)
    assert "another person" in messages(exc, "match")
    good = transferred_match(program_manager_a, org_a, program, legal_first_name="Rose")
    enrollment = enroll(program_manager_a, good.participant, program, case_manager_a, match=good)
    assert enrollment.match == good


def test_over_ratio_warns_and_needs_a_reason(program_manager_a, case_manager_a, org_a):
    program = make_program(org_a, caseload_ratio=2)
    people = [make_participant(program_manager_a, org_a, legal_first_name=f"P{i}") for i in range(3)]
    enroll(program_manager_a, people[0], program, case_manager_a)
    enroll(program_manager_a, people[1], program, case_manager_a)
    with pytest.raises(ValidationError) as exc:
        enroll(program_manager_a, people[2], program, case_manager_a)
    assert "ratio of 2" in messages(exc, "over_ratio_reason")
    assert Enrollment.objects.count() == 2
    enrollment = enroll(
        program_manager_a,
        people[2],
        program,
        case_manager_a,
        over_ratio_reason="Seule intervenante hispanophone",
    )
    assignment = enrollment.assignments.get()
    assert assignment.over_ratio
    assert assignment.reason == "Seule intervenante hispanophone"
    load = caseload_for_workers([case_manager_a.pk])[case_manager_a.pk]
    assert (load.count, load.weight, load.ratio, load.over) == (3, 3.0, 2, True)


def test_weights_by_acuity_and_visits(program_manager_a, case_manager_a, org_a):
    program = make_program(org_a)
    high = make_participant(program_manager_a, org_a, legal_first_name="Haut")
    low = make_participant(program_manager_a, org_a, legal_first_name="Bas")
    plain = make_participant(program_manager_a, org_a, legal_first_name="Sans")
    today = clock.today()
    for person, band in ((high, "act"), (low, "rapid_rehousing")):
        ByNameEntry.objects.create(participant=person, entered_on=today, status_since=today, acuity_band=band)
    e_high = enroll(program_manager_a, high, program, case_manager_a)
    enroll(program_manager_a, low, program, case_manager_a)
    e_plain = enroll(program_manager_a, plain, program, case_manager_a)
    enrollment_set_visits(actor=program_manager_a, enrollment=e_plain, visits_per_week=2)
    assert enrollment_weight(e_high, "act") == 1.5
    assert enrollment_weight(e_high, "housing_first_icm") == 1.0
    assert enrollment_weight(e_high, "none") == 0.75
    assert enrollment_weight(e_high, None) == 1.0
    load = caseload_for_workers([case_manager_a.pk, program_manager_a.pk], program)
    assert (load[case_manager_a.pk].count, load[case_manager_a.pk].weight) == (3, 1.5 + 0.75 + 2.0)
    assert load[case_manager_a.pk].ratio == 15
    assert (load[program_manager_a.pk].count, load[program_manager_a.pk].weight) == (0, 0.0)


def test_caseload_for_workers_constant_queries(django_assert_num_queries, program_manager_a, org_a):
    program = make_program(org_a)
    workers = [make_worker(org_a) for _ in range(3)]
    for i in range(6):
        person = make_participant(program_manager_a, org_a, legal_first_name=f"N{i}")
        enroll(program_manager_a, person, program, workers[i % 3])
    with django_assert_num_queries(1):
        loads = caseload_for_workers([w.pk for w in workers])
    assert [loads[w.pk].count for w in workers] == [2, 2, 2]


def test_reassignment_needs_reason_and_keeps_history(
    program_manager_a, case_manager_a, participant_a, org_a, program
):
    enrollment = enroll(program_manager_a, participant_a, program, case_manager_a)
    other = make_worker(org_a, role=Role.CASE_MANAGER)
    with pytest.raises(ValidationError) as exc:
        enrollment_assign(actor=program_manager_a, enrollment=enrollment, worker=other, reason="  ")
    assert "Say why" in messages(exc, "reason")
    with pytest.raises(ValidationError) as exc:
        enrollment_assign(actor=program_manager_a, enrollment=enrollment, worker=case_manager_a, reason="x")
    assert "already the primary" in messages(exc, "worker")
    assignment = enrollment_assign(
        actor=program_manager_a, enrollment=enrollment, worker=other, reason="Congé de maternité"
    )
    enrollment.refresh_from_db()
    assert enrollment.primary_worker == other
    history = list(enrollment.assignments.order_by("id"))
    assert [a.worker for a in history] == [case_manager_a, other]
    assert history[0].ends_on == clock.today()
    assert history[1].ends_on is None
    assert assignment.reason == "Congé de maternité"
    entry = AuditEntry.objects.get(action="casework.enrollment.reassigned")
    assert entry.data["reason"] == "Congé de maternité"
    assert entry.data["from"] == case_manager_a.pk
    assert Alert.objects.filter(recipient=other, kind="casework.assignment.new").exists()


def test_reassignment_over_ratio(program_manager_a, case_manager_a, participant_a, org_a):
    program = make_program(org_a, caseload_ratio=1)
    busy = make_worker(org_a)
    enroll(program_manager_a, make_participant(program_manager_a, org_a, legal_first_name="Y"), program, busy)
    enrollment = enroll(program_manager_a, participant_a, program, case_manager_a)
    with pytest.raises(ValidationError) as exc:
        enrollment_assign(actor=program_manager_a, enrollment=enrollment, worker=busy, reason="Continuité")
    assert "over_ratio_reason" in exc.value.message_dict
    assignment = enrollment_assign(
        actor=program_manager_a,
        enrollment=enrollment,
        worker=busy,
        reason="Continuité",
        over_ratio_reason="Connaît la famille",
    )
    assert assignment.over_ratio
    assert "Connaît la famille" in assignment.reason
    assert "Continuité" in assignment.reason


def test_re_enrollment_after_exit_keeps_history(program_manager_a, case_manager_a, participant_a, program):
    first = enroll(program_manager_a, participant_a, program, case_manager_a)
    Enrollment.objects.filter(pk=first.pk).update(status=Enrollment.Status.EXITED, exited_on=clock.today())
    second = enroll(program_manager_a, participant_a, program, case_manager_a)
    assert second.pk != first.pk
    assert Enrollment.objects.filter(participant=participant_a).count() == 2
    assert Assignment.objects.filter(enrollment__participant=participant_a).count() == 2
    assert AuditEntry.objects.filter(action="casework.enrollment.reopened", object_id=str(second.pk)).exists()
    with pytest.raises(ValidationError):
        enrollment_assign(actor=program_manager_a, enrollment=first, worker=program_manager_a, reason="x")


def test_tenancy_risk_raises_visits_and_keeps_them_after(
    program_manager_a, case_manager_a, participant_a, program
):
    enrollment = enroll(program_manager_a, participant_a, program, case_manager_a)
    with pytest.raises(ValidationError) as exc:
        enrollment_set_tenancy_risk(
            actor=case_manager_a,
            enrollment=enrollment,
            at_risk=True,
            since=clock.today() + datetime.timedelta(days=2),
        )
    assert "future" in messages(exc, "since")
    enrollment = enrollment_set_tenancy_risk(
        actor=case_manager_a, enrollment=enrollment, at_risk=True, reason="Avis de retard de loyer"
    )
    assert enrollment.tenancy_at_risk
    assert enrollment.visits_per_week == 2
    with pytest.raises(ValidationError) as exc:
        enrollment_set_visits(actor=case_manager_a, enrollment=enrollment, visits_per_week=1)
    assert "at least 2" in messages(exc, "visits_per_week")
    enrollment = enrollment_set_tenancy_risk(actor=case_manager_a, enrollment=enrollment, at_risk=False)
    assert not enrollment.tenancy_at_risk
    assert enrollment.visits_per_week == 2
    enrollment = enrollment_set_visits(
        actor=case_manager_a, enrollment=enrollment, visits_per_week=1, reason="Stable"
    )
    assert enrollment.visits_per_week == 1
    for bad in (0, 15, "deux"):
        with pytest.raises(ValidationError):
            enrollment_set_visits(actor=case_manager_a, enrollment=enrollment, visits_per_week=bad)
    actions = list(AuditEntry.objects.filter(object_id=str(enrollment.pk)).values_list("action", flat=True))
    assert actions.count("casework.enrollment.tenancy_risk_changed") == 2
    assert actions.count("casework.enrollment.visit_frequency_changed") == 1
