"""Flags of the caseload and the team meeting: each one set when it should be, and not when it should not."""

from __future__ import annotations

import datetime

import pytest
from django.utils import translation

from ancrage.casework.flags import FLAG_KEYS, enrollment_rows, flag_counts, overnight_since, sort_rows
from ancrage.casework.models import (
    AssessmentSchedule,
    Contact,
    Enrollment,
    FieldVisit,
    Incident,
    RecoveryPlan,
    RiskAssessment,
)
from ancrage.core import clock
from ancrage.core.permissions import Category, Role
from ancrage.organisations.models import Program
from ancrage.people.tests.factories import ProgramFactory, make_participant, member, share

pytestmark = pytest.mark.django_db


@pytest.fixture
def program(org_a):
    return ProgramFactory(organisation=org_a, kind=Program.Kind.ICM)


def enroll(worker, org, program, *, days_ago=30, **values):
    participant = make_participant(worker, org, legal_first_name=values.pop("first", "Léa"))
    today = clock.today()
    return Enrollment.objects.create(
        participant=participant,
        program=program,
        primary_worker=worker,
        enrolled_on=today - datetime.timedelta(days=days_ago),
        **values,
    )


def contact(enrollment, *, days_ago=1, minutes=60, kind="home", present=True, worker=None):
    return Contact.objects.create(
        participant=enrollment.participant,
        enrollment=enrollment,
        organisation=enrollment.program.organisation,
        occurred_at=clock.now() - datetime.timedelta(days=days_ago),
        duration_minutes=minutes,
        kind=kind,
        participant_present=present,
        recorded_by=worker or enrollment.primary_worker,
    )


def plan(enrollment, *, due_days=-5, completed=True, review_in_days=200):
    today = clock.today()
    return RecoveryPlan.objects.create(
        participant=enrollment.participant,
        enrollment=enrollment,
        due_on=today + datetime.timedelta(days=due_days),
        first_completed_on=today - datetime.timedelta(days=20) if completed else None,
        next_review_on=today + datetime.timedelta(days=review_in_days)
        if review_in_days is not None
        else None,
        updated_by=enrollment.primary_worker,
    )


def keys(enrollment, **kwargs):
    """The flag keys of one enrollment's row, and the row (details in English)."""
    with translation.override("en"):
        (row,) = enrollment_rows(
            [Enrollment.objects.select_related("participant", "primary_worker").get(pk=enrollment.pk)],
            clock.today(),
            **kwargs,
        )
    return row.flag_keys, row


def well_followed(case_manager_a, org_a, program):
    """An enrollment with nothing to flag: seen twice this week for 3 hours, plan done, no review due."""
    e = enroll(case_manager_a, org_a, program)
    contact(e, days_ago=1, minutes=90)
    contact(e, days_ago=3, minutes=90, kind="community")
    plan(e)
    return e


def test_nothing_to_flag(case_manager_a, org_a, program):
    e = well_followed(case_manager_a, org_a, program)
    flags, row = keys(e)
    assert flags == set()
    assert row.week_minutes == 180
    assert row.week_visits == 2
    assert row.last_contact_at is not None


def test_not_seen(case_manager_a, org_a, program):
    e = enroll(case_manager_a, org_a, program)
    plan(e)
    contact(e, days_ago=10, minutes=200)
    # A phone call without the participant does not count as seeing them.
    contact(e, days_ago=1, minutes=10, kind="phone", present=False)
    flags, row = keys(e)
    assert "not_seen" in flags
    assert "Last seen" in next(f.detail for f in row.flags if f.key == "not_seen")
    never = enroll(case_manager_a, org_a, program, first="Noé")
    assert "not_seen" in keys(never)[0]
    assert "not_seen" not in keys(well_followed(case_manager_a, org_a, program))[0]


def test_below_standard_visits_and_minutes(case_manager_a, org_a, program):
    short = enroll(case_manager_a, org_a, program)
    plan(short)
    contact(short, days_ago=1, minutes=30)
    flags, row = keys(short)
    assert "below_standard" in flags
    assert "not_seen" not in flags
    assert "30" in next(f.detail for f in row.flags if f.key == "below_standard")
    # Enough minutes but by phone only: no visit this week.
    phone = enroll(case_manager_a, org_a, program, first="Zoé")
    plan(phone)
    contact(phone, days_ago=1, minutes=200, kind="phone")
    assert "below_standard" in keys(phone)[0]
    assert "below_standard" not in keys(well_followed(case_manager_a, org_a, program))[0]


def test_tenancy_at_risk_raises_the_standard(case_manager_a, org_a, program, settings):
    e = well_followed(case_manager_a, org_a, program)
    contact(e, days_ago=20)  # older contacts do not count
    Enrollment.objects.filter(pk=e.pk).update(tenancy_at_risk_since=clock.today())
    flags, row = keys(e)
    assert "tenancy_at_risk" in flags
    assert row.visits_required == settings.ANCRAGE["VISITS_PER_WEEK_TENANCY_AT_RISK"] == 2
    assert "below_standard" not in flags  # two visits this week
    Enrollment.objects.filter(pk=e.pk).update(visits_per_week=3)
    assert "below_standard" in keys(e)[0]


def test_risk_plan(case_manager_a, org_a, program):
    e = well_followed(case_manager_a, org_a, program)
    risk = RiskAssessment.objects.create(
        participant=e.participant,
        organisation=org_a,
        assessed_on=clock.today(),
        level=2,
        rating="high",
        description="Agitation",
        recorded_by=case_manager_a,
    )
    flags, row = keys(e)
    assert "risk_plan" in flags
    assert row.risk == risk
    risk.ended_on = clock.today()
    risk.save()
    assert "risk_plan" not in keys(e)[0]


def test_new_incident_overnight_only(case_manager_a, org_a, program):
    e = well_followed(case_manager_a, org_a, program)
    since = overnight_since(clock.today())
    old = Incident.objects.create(
        participant=e.participant,
        organisation=org_a,
        kind="hospital",
        occurred_at=since - datetime.timedelta(days=3),
        description="Urgence",
        recorded_by=case_manager_a,
    )
    Incident.objects.filter(pk=old.pk).update(recorded_at=since - datetime.timedelta(days=3))
    assert "new_incident" not in keys(e)[0]
    Incident.objects.create(
        participant=e.participant,
        organisation=org_a,
        kind="police_called",
        occurred_at=since + datetime.timedelta(hours=2),
        description="Police",
        recorded_by=case_manager_a,
    )
    flags, row = keys(e)
    assert "new_incident" in flags
    assert len(row.incidents) == 1
    assert "Police called" in next(f.detail for f in row.flags if f.key == "new_incident")


def test_plan_overdue(case_manager_a, org_a, program):
    # No plan written, enrolled 30 days ago: past the 10 business days.
    e = enroll(case_manager_a, org_a, program)
    contact(e, minutes=200)
    contact(e, days_ago=2, kind="community")
    assert "plan_overdue" in keys(e)[0]
    plan(e, due_days=-2, completed=False)
    assert "plan_overdue" in keys(e)[0]
    RecoveryPlan.objects.filter(enrollment=e).update(due_on=clock.today() + datetime.timedelta(days=3))
    assert "plan_overdue" not in keys(e)[0]
    # Just enrolled, no plan yet: not overdue.
    new = enroll(case_manager_a, org_a, program, days_ago=1, first="Ève")
    assert "plan_overdue" not in keys(new)[0]


def test_plan_review_due(case_manager_a, org_a, program):
    e = well_followed(case_manager_a, org_a, program)
    RecoveryPlan.objects.filter(enrollment=e).update(
        next_review_on=clock.today() - datetime.timedelta(days=1)
    )
    assert "plan_review_due" in keys(e)[0]
    # Never reviewed: a year after enrollment.
    RecoveryPlan.objects.filter(enrollment=e).update(next_review_on=None)
    assert "plan_review_due" not in keys(e)[0]
    Enrollment.objects.filter(pk=e.pk).update(enrolled_on=clock.today() - datetime.timedelta(days=400))
    assert "plan_review_due" in keys(e)[0]


def test_assessments_overdue_and_due(case_manager_a, org_a, program):
    from ancrage.assessments.models import Instrument
    from ancrage.assessments.tests.factories import load_shipped_instruments

    load_shipped_instruments()
    instrument = Instrument.objects.order_by("key").first()
    e = well_followed(case_manager_a, org_a, program)
    schedule = AssessmentSchedule.objects.create(
        program=program, instrument=instrument, within_days_of_enrollment=10
    )
    flags, row = keys(e)
    assert "assessment_overdue" in flags
    assert "assessment_due" not in flags
    assert (instrument.name_en or instrument.name) in next(
        f.detail for f in row.flags if f.key == "assessment_overdue"
    )
    schedule.within_days_of_enrollment = 35
    schedule.save()
    flags, _row = keys(e)
    assert "assessment_due" in flags
    assert "assessment_overdue" not in flags
    schedule.within_days_of_enrollment = 90
    schedule.save()
    flags, _row = keys(e)
    assert not {"assessment_due", "assessment_overdue"} & flags


def test_lost_contact(case_manager_a, org_a, program):
    e = well_followed(case_manager_a, org_a, program)
    assert "lost_contact" not in keys(e)[0]
    Enrollment.objects.filter(pk=e.pk).update(lost_contact_since=clock.today())
    assert "lost_contact" in keys(e)[0]


def test_visit_under_way(case_manager_a, org_a, program):
    e = well_followed(case_manager_a, org_a, program)
    now = clock.now()
    visit = FieldVisit.objects.create(
        participant=e.participant,
        organisation=org_a,
        worker=case_manager_a,
        location="Chez Léa",
        planned_start=now - datetime.timedelta(minutes=10),
        planned_end=now + datetime.timedelta(hours=1),
        created_by=case_manager_a,
    )
    assert "visit_under_way" not in keys(e)[0]  # planned, not started
    visit.status = FieldVisit.Status.STARTED
    visit.started_at = now
    visit.save()
    flags, row = keys(e)
    assert "visit_under_way" in flags
    assert "Chez Léa" in next(f.detail for f in row.flags if f.key == "visit_under_way")


def test_risk_hidden_from_a_reader_without_the_risk_category(case_manager_a, org_a, org_b, program):
    """A worker of another organisation reading by consent (identity only) sees no risk or incident."""
    e = well_followed(case_manager_a, org_a, program)
    RiskAssessment.objects.create(
        participant=e.participant,
        organisation=org_a,
        assessed_on=clock.today(),
        level=1,
        rating="low",
        description="x",
        recorded_by=case_manager_a,
    )
    share(case_manager_a, e.participant, [org_b], [Category.IDENTITY])
    reader = member(org_b, Role.CASE_MANAGER)
    assert "risk_plan" in keys(e, user=case_manager_a)[0]
    assert "risk_plan" not in keys(e, user=reader)[0]


def test_sort_and_counts(case_manager_a, org_a, program):
    calm = well_followed(case_manager_a, org_a, program)
    lost = enroll(case_manager_a, org_a, program, first="Alix", lost_contact_since=clock.today())
    rows = enrollment_rows(
        Enrollment.objects.select_related("participant", "primary_worker").order_by("pk"),
        clock.today(),
    )
    counts = flag_counts(rows)
    assert list(counts) == list(FLAG_KEYS)
    assert counts["lost_contact"] == 1
    assert [r.enrollment.pk for r in sort_rows(rows)] == [lost.pk, calm.pk]
    assert [r.enrollment.pk for r in sort_rows(rows, "last_contact")] == [lost.pk, calm.pk]
    # A team that weighs "below the weekly standard" first: still the lost contact (also below).
    assert sort_rows(rows, "flags", ["below_standard"])[0].enrollment.pk == lost.pk
    assert enrollment_rows([], clock.today()) == []


def test_constant_queries(case_manager_a, org_a, program, django_assert_max_num_queries):
    def load():
        qs = Enrollment.objects.select_related("participant", "primary_worker")
        return enrollment_rows(list(qs), clock.today(), user=case_manager_a)

    well_followed(case_manager_a, org_a, program)
    with django_assert_max_num_queries(9):
        assert len(load()) == 1
    for n in range(8):
        e = enroll(case_manager_a, org_a, program, first=f"P{n}")
        contact(e)
        plan(e)
    with django_assert_max_num_queries(9):
        assert len(load()) == 9
