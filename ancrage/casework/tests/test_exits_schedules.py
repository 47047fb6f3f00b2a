"""Assessment schedules (B4): the services, and what is due or overdue, declined or postponed."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from ancrage.assessments import services as assessment_services
from ancrage.assessments.models import Instrument
from ancrage.assessments.tests.factories import load_shipped_instruments, start_administration
from ancrage.casework.exits import services as services_exits
from ancrage.casework.models import AssessmentSchedule, Enrollment
from ancrage.casework.schedules import due_assessments
from ancrage.casework.tests.test_exits_services import completed
from ancrage.core import clock
from ancrage.core.models import AuditEntry
from ancrage.core.permissions import Role
from ancrage.organisations.models import Program
from ancrage.people.tests.factories import ProgramFactory, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def instruments(db):
    load_shipped_instruments()
    return {i.key: i for i in Instrument.objects.all()}


@pytest.fixture
def program(org_a):
    return ProgramFactory(organisation=org_a, kind=Program.Kind.ICM)


@pytest.fixture
def lead(org_a):
    return member(org_a, Role.TEAM_LEAD)


def enroll(participant, program, worker, days_ago: int) -> Enrollment:
    return Enrollment.objects.create(
        participant=participant,
        program=program,
        primary_worker=worker,
        enrolled_on=clock.today() - datetime.timedelta(days=days_ago),
    )


# --- services ---------------------------------------------------------------------------------------------


def test_schedule_set_adds_then_changes_and_is_audited(lead, program, instruments):
    s = services_exits.schedule_set(
        actor=lead,
        program=program,
        instrument=instruments["progress_scale"],
        position=0,
        within_days_of_enrollment=10,
    )
    assert (s.within_days_of_enrollment, s.every_months, s.at_exit) == (10, None, False)
    s2 = services_exits.schedule_set(
        actor=lead,
        program=program,
        instrument=instruments["progress_scale"],
        position=1,
        within_days_of_enrollment=10,
        every_months=3,
        at_exit=True,
    )
    assert s2.pk == s.pk
    assert AssessmentSchedule.objects.count() == 1
    assert (s2.position, s2.every_months, s2.at_exit) == (1, 3, True)
    entries = AuditEntry.objects.filter(action="casework.schedule.changed").order_by("id")
    assert [e.data["after"]["every_months"] for e in entries] == [None, 3]
    assert entries[1].data["before"]["every_months"] is None
    assert entries[0].organisation_id == program.organisation_id


def test_schedule_needs_a_timing_and_sensible_numbers(lead, program, instruments):
    i = instruments["progress_scale"]
    with pytest.raises(ValidationError) as err:
        services_exits.schedule_set(actor=lead, program=program, instrument=i, position=0)
    assert "__all__" in err.value.message_dict
    with pytest.raises(ValidationError) as err:
        services_exits.schedule_set(
            actor=lead,
            program=program,
            instrument=i,
            position=-1,
            within_days_of_enrollment=400,
            every_months=0,
        )
    assert {"position", "within_days_of_enrollment"} <= set(err.value.message_dict)
    assert not AssessmentSchedule.objects.exists()


def test_schedule_only_for_own_icm_or_act_programs(lead, org_a, org_b, instruments):
    other = ProgramFactory(organisation=org_b, kind=Program.Kind.ICM)
    housing = ProgramFactory(organisation=org_a, kind=Program.Kind.HOUSING_TEAM)
    for program in (other, housing):
        with pytest.raises(ValidationError) as err:
            services_exits.schedule_set(
                actor=lead,
                program=program,
                instrument=instruments["progress_scale"],
                position=0,
                at_exit=True,
            )
        assert "program" in err.value.message_dict


def test_schedule_remove_is_audited(lead, program, instruments):
    s = services_exits.schedule_set(
        actor=lead, program=program, instrument=instruments["progress_scale"], position=0, at_exit=True
    )
    services_exits.schedule_remove(actor=lead, schedule=s)
    assert not AssessmentSchedule.objects.exists()
    last = AuditEntry.objects.filter(action="casework.schedule.changed").latest("id")
    assert last.data["after"] is None
    assert last.data["instrument"] == "progress_scale"


# --- due and overdue --------------------------------------------------------------------------------------


def test_baseline_due_then_overdue_then_settled(case_manager_a, participant_a, program, instruments):
    AssessmentSchedule.objects.create(
        program=program,
        instrument=instruments["progress_scale"],
        within_days_of_enrollment=10,
        every_months=3,
    )
    today = clock.today()
    e = enroll(participant_a, program, case_manager_a, days_ago=3)
    (due,) = due_assessments([e], today)[e.pk]
    assert (due.occasion, due.due_on, due.overdue) == (
        "baseline",
        e.enrolled_on + datetime.timedelta(days=10),
        False,
    )
    e.enrolled_on = today - datetime.timedelta(days=20)
    e.save()
    (due,) = due_assessments([e], today)[e.pk]
    assert due.overdue
    assert due.occasion == "baseline"
    completed(case_manager_a, participant_a)
    # Settled: the next follow-up is three months on, beyond the two weeks looked ahead.
    assert due_assessments([e], today) == {}
    (follow,) = due_assessments([e], today + datetime.timedelta(days=95))[e.pk]
    assert follow.occasion == "follow_up"
    assert follow.overdue


def test_declined_settles_and_postponed_stays_due_with_its_reason(
    case_manager_a, participant_a, program, instruments
):
    AssessmentSchedule.objects.create(
        program=program, instrument=instruments["progress_scale"], within_days_of_enrollment=5
    )
    e = enroll(participant_a, program, case_manager_a, days_ago=10)
    today = clock.today()
    a = start_administration(case_manager_a, participant_a, "progress_scale")
    assessment_services.administration_postpone(actor=case_manager_a, administration=a, reason="Trop fatigué")
    (due,) = due_assessments([e], today)[e.pk]
    assert due.overdue
    assert due.postponed_reason == "Trop fatigué"
    assert due.postponed_on == today
    b = start_administration(case_manager_a, participant_a, "progress_scale")
    assessment_services.administration_decline(actor=case_manager_a, administration=b, reason="Ne veut pas")
    assert due_assessments([e], today) == {}


def test_a_postponement_from_an_earlier_enrollment_is_not_shown(
    case_manager_a, participant_a, program, instruments
):
    AssessmentSchedule.objects.create(
        program=program, instrument=instruments["progress_scale"], within_days_of_enrollment=5
    )
    a = start_administration(case_manager_a, participant_a, "progress_scale")
    assessment_services.administration_postpone(actor=case_manager_a, administration=a, reason="Ancien")
    type(a).objects.filter(pk=a.pk).update(started_at=clock.now() - datetime.timedelta(days=200))
    e = enroll(participant_a, program, case_manager_a, days_ago=10)
    (due,) = due_assessments([e], clock.today())[e.pk]
    assert due.postponed_reason == ""
    assert due.postponed_on is None


def test_exited_enrollments_have_nothing_due(case_manager_a, participant_a, program, instruments):
    AssessmentSchedule.objects.create(
        program=program, instrument=instruments["progress_scale"], within_days_of_enrollment=5
    )
    e = enroll(participant_a, program, case_manager_a, days_ago=10)
    e.status = Enrollment.Status.EXITED
    e.save()
    assert due_assessments([e], clock.today()) == {}
