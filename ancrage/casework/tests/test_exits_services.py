"""Exits (F1–F3): each rule of exit_record, what an exit closes, and coming back (re-enrollment)."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from ancrage.assessments import services as assessment_services
from ancrage.assessments.models import Instrument
from ancrage.assessments.tests.factories import start_administration
from ancrage.casework.caseload import services as services_caseload
from ancrage.casework.exits import selectors as exits_selectors
from ancrage.casework.exits import services as services_exits
from ancrage.casework.models import (
    AssessmentSchedule,
    Assignment,
    Enrollment,
    Exit,
    FieldVisit,
    ReengagementPlan,
    ServiceKind,
)
from ancrage.casework.referrals import services as services_referrals
from ancrage.core import clock
from ancrage.core.models import AuditEntry
from ancrage.core.permissions import Category
from ancrage.organisations.models import Program
from ancrage.people.tests.factories import ProgramFactory, share

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """These tests read the services' messages in English; the pages' tests read both languages."""
    with translation.override("en"):
        yield


TODAY = clock.today


def progress_answers(value: int = 5) -> dict:
    keys = [
        "home",
        "money",
        "self_care",
        "physical_health",
        "wellbeing",
        "substance_use",
        "relationships",
        "activities",
        "safety_rights",
        "hope",
    ]
    return dict.fromkeys(keys, value)


def completed(actor, participant, key: str = "progress_scale", answers=None, *, days_ago: int = 0):
    """A completed administration of `key`, started `days_ago` days ago."""
    a = start_administration(actor, participant, key)
    if days_ago:
        when = clock.now() - datetime.timedelta(days=days_ago)
        type(a).objects.filter(pk=a.pk).update(started_at=when)
        a.refresh_from_db()
    if answers is None:
        answers = (
            progress_answers()
            if key == "progress_scale"
            else {"months_homeless": 3, "slept_last_night": "shelter", "evicted": "no"}
        )
    return assessment_services.administration_save_answers(
        actor=actor, administration=a, answers=answers, complete=True
    )


@pytest.fixture
def program(org_a):
    return ProgramFactory(organisation=org_a, kind=Program.Kind.ICM)


@pytest.fixture
def enrollment(case_manager_a, participant_a, program):
    return services_caseload.enrollment_create(
        actor=case_manager_a,
        participant=participant_a,
        program=program,
        primary_worker=case_manager_a,
        enrolled_on=TODAY() - datetime.timedelta(days=100),
    )


def housing_referrals(actor, participant, count: int, program_manager, kind=ServiceKind.HOUSING_STABILITY):
    result = []
    for i in range(count):
        provider = services_referrals.provider_create(
            actor=program_manager,
            consortium=participant.organisation.consortium,
            name=f"Stabilité {kind} {i}",
            kind=kind,
        )
        result.append(
            services_referrals.referral_create(
                actor=actor, participant=participant, provider=provider, need="Garder un logement"
            )
        )
    return result


# The readiness indicators of a graduation, all in place (F1).
READY = {"stable_housing": True, "rent_supplement": True, "follow_up_care": True}


def record(actor, enrollment, **values):
    defaults = {
        "kind": Exit.Kind.PLANNED,
        "reason": Exit.Reason.GOALS_REACHED,
        "exited_on": TODAY(),
        "destination": Exit.Destination.OWN_HOUSING,
        "procedure_given_on": TODAY(),
    }
    defaults.update(values)
    return services_exits.exit_record(actor=actor, enrollment=enrollment, **defaults)


def assert_nothing_saved(enrollment):
    enrollment.refresh_from_db()
    assert enrollment.status == Enrollment.Status.ACTIVE
    assert enrollment.exited_on is None
    assert not Exit.objects.filter(enrollment=enrollment).exists()


# --- unplanned exit: three housing-stability referrals or the reason why fewer ----------------------------


def test_unplanned_exit_without_enough_referrals_or_reason_is_refused(
    case_manager_a, participant_a, enrollment, program_manager_a
):
    referrals = housing_referrals(case_manager_a, participant_a, 2, program_manager_a)
    with pytest.raises(ValidationError) as err:
        record(
            case_manager_a,
            enrollment,
            kind=Exit.Kind.UNPLANNED,
            reason=Exit.Reason.NEEDS_NOT_MET,
            referral_ids=[r.pk for r in referrals],
        )
    assert "at least 3 housing-stability programs" in err.value.message_dict["no_referrals_reason"][0]
    assert_nothing_saved(enrollment)
    for r in referrals:
        r.refresh_from_db()
        assert r.exit_id is None


def test_unplanned_exit_with_three_referrals_links_them(
    case_manager_a, participant_a, enrollment, program_manager_a
):
    referrals = housing_referrals(case_manager_a, participant_a, 3, program_manager_a)
    exit_ = record(
        case_manager_a,
        enrollment,
        kind=Exit.Kind.UNPLANNED,
        reason=Exit.Reason.PARTICIPANT_ENDED,
        referral_ids=[r.pk for r in referrals],
    )
    assert sorted(exit_.referrals.values_list("pk", flat=True)) == sorted(r.pk for r in referrals)


def test_unplanned_exit_with_a_reason_for_fewer_referrals(case_manager_a, enrollment):
    exit_ = record(
        case_manager_a,
        enrollment,
        kind=Exit.Kind.UNPLANNED,
        reason=Exit.Reason.DETENTION,
        destination=Exit.Destination.DETENTION,
        no_referrals_reason="Détention de deux ans : aucun programme ne prend de référence.",
    )
    assert exit_.no_referrals_reason.startswith("Détention")


def test_the_number_of_referrals_is_a_setting(
    settings, case_manager_a, participant_a, enrollment, program_manager_a
):
    settings.ANCRAGE = {**settings.ANCRAGE, "UNPLANNED_EXIT_REFERRALS": 1}
    (referral,) = housing_referrals(case_manager_a, participant_a, 1, program_manager_a)
    exit_ = record(
        case_manager_a,
        enrollment,
        kind=Exit.Kind.UNPLANNED,
        reason=Exit.Reason.MOVED_AWAY,
        referral_ids=[referral.pk],
    )
    assert exit_.referrals.count() == 1


def test_referrals_of_another_kind_or_participant_or_exit_are_refused(
    case_manager_a, participant_a, enrollment, program_manager_a, org_a
):
    from ancrage.people.tests.factories import make_participant

    employment = housing_referrals(
        case_manager_a, participant_a, 1, program_manager_a, kind=ServiceKind.EMPLOYMENT
    )
    other = make_participant(case_manager_a, org_a, legal_first_name="Autre", legal_last_name="Personne")
    others = housing_referrals(case_manager_a, other, 1, program_manager_a)
    for wrong in (employment, others):
        with pytest.raises(ValidationError) as err:
            record(
                case_manager_a,
                enrollment,
                kind=Exit.Kind.UNPLANNED,
                reason=Exit.Reason.OTHER,
                no_referrals_reason="Raison",
                referral_ids=[wrong[0].pk],
            )
        assert "referral_ids" in err.value.message_dict
    assert_nothing_saved(enrollment)


# --- shelter, consent, procedure --------------------------------------------------------------------------


def test_shelter_destination_needs_a_justification(case_manager_a, enrollment):
    with pytest.raises(ValidationError) as err:
        record(case_manager_a, enrollment, destination=Exit.Destination.SHELTER, shelter_justification="  ")
    assert "no reasonable alternative" in err.value.message_dict["shelter_justification"][0]
    assert_nothing_saved(enrollment)
    exit_ = record(
        case_manager_a,
        enrollment,
        destination=Exit.Destination.SHELTER,
        shelter_justification="Refus de toute autre option ; place au refuge pour femmes.",
    )
    assert exit_.shelter_justification


def test_information_sent_needs_a_consent_naming_the_next_provider(
    case_manager_a, participant_a, enrollment, partner_org, org_b
):
    with pytest.raises(ValidationError) as err:
        record(case_manager_a, enrollment, information_sent=True)
    assert "next_organisation" in err.value.message_dict
    with pytest.raises(ValidationError) as err:
        record(case_manager_a, enrollment, information_sent=True, next_organisation=partner_org)
    assert "Partenaire santé" in err.value.message_dict["information_sent"][0]
    assert_nothing_saved(enrollment)
    # A consent naming another organisation does not do.
    share(case_manager_a, participant_a, [org_b], [Category.CASE_NOTES])
    with pytest.raises(ValidationError):
        record(case_manager_a, enrollment, information_sent=True, next_organisation=partner_org)
    consent = share(case_manager_a, participant_a, [partner_org], [Category.CASE_NOTES])
    exit_ = record(case_manager_a, enrollment, information_sent=True, next_organisation=partner_org)
    assert exit_.information_sent
    assert exit_.consent == consent
    assert exit_.next_provider == partner_org.name


def test_a_revoked_consent_does_not_allow_sending(case_manager_a, participant_a, enrollment, partner_org):
    from ancrage.people import services as people_services

    consent = share(case_manager_a, participant_a, [partner_org], [Category.CASE_NOTES])
    people_services.consent_revoke(actor=case_manager_a, consent=consent, reason="Retrait")
    with pytest.raises(ValidationError) as err:
        record(case_manager_a, enrollment, information_sent=True, next_organisation=partner_org)
    assert "information_sent" in err.value.message_dict
    # Recorded as not sent, the exit goes through.
    exit_ = record(case_manager_a, enrollment, next_organisation=partner_org)
    assert not exit_.information_sent
    assert exit_.consent is None


def test_procedure_given_is_required_and_not_in_the_future(case_manager_a, enrollment):
    with pytest.raises(ValidationError) as err:
        record(case_manager_a, enrollment, procedure_given_on=None)
    assert "complaint and appeal procedure" in err.value.message_dict["procedure_given_on"][0]
    with pytest.raises(ValidationError) as err:
        record(case_manager_a, enrollment, procedure_given_on=TODAY() + datetime.timedelta(days=1))
    assert "procedure_given_on" in err.value.message_dict
    assert_nothing_saved(enrollment)


def test_exit_date_not_in_the_future_nor_before_enrollment(case_manager_a, enrollment):
    # Only a planned exit may be dated ahead (see test_exits_ahead.py); no exit before the enrollment.
    for kind, day in (
        (Exit.Kind.UNPLANNED, TODAY() + datetime.timedelta(days=1)),
        (Exit.Kind.GRADUATION, TODAY() + datetime.timedelta(days=1)),
        (Exit.Kind.PLANNED, enrollment.enrolled_on - datetime.timedelta(days=1)),
    ):
        with pytest.raises(ValidationError) as err:
            record(case_manager_a, enrollment, kind=kind, exited_on=day)
        assert "exited_on" in err.value.message_dict
    assert_nothing_saved(enrollment)


def test_every_problem_is_reported_at_once(case_manager_a, enrollment):
    with pytest.raises(ValidationError) as err:
        record(
            case_manager_a,
            enrollment,
            kind=Exit.Kind.UNPLANNED,
            reason="nope",
            destination=Exit.Destination.SHELTER,
            procedure_given_on=None,
        )
    assert {"reason", "shelter_justification", "no_referrals_reason", "procedure_given_on"} <= set(
        err.value.message_dict
    )


# --- graduation re-administers the intake instrument -----------------------------------------------------


def test_graduation_needs_the_intake_instrument_given_again(
    case_manager_a, participant_a, enrollment, program
):
    start_administration(case_manager_a, participant_a, "progress_scale")  # loads the instruments
    instrument = Instrument.objects.get(key="progress_scale")
    AssessmentSchedule.objects.create(program=program, instrument=instrument, within_days_of_enrollment=10)
    graduation = {"kind": Exit.Kind.GRADUATION, "reason": Exit.Reason.GOALS_REACHED, **READY}
    with pytest.raises(ValidationError) as err:
        record(case_manager_a, enrollment, **graduation)
    assert "graduation_assessment" in err.value.message_dict
    # Another instrument does not do; nor does the intake's own administration (before the enrollment).
    wrong = completed(case_manager_a, participant_a, "acuity_screener")
    intake = completed(case_manager_a, participant_a, days_ago=120)
    for administration in (wrong, intake):
        with pytest.raises(ValidationError) as err:
            record(case_manager_a, enrollment, graduation_assessment=administration, **graduation)
        assert "graduation_assessment" in err.value.message_dict
    assert_nothing_saved(enrollment)
    again = completed(case_manager_a, participant_a, answers=progress_answers(8))
    exit_ = record(case_manager_a, enrollment, graduation_assessment=again, **graduation)
    assert exit_.graduation_assessment == again


def test_graduation_without_a_schedule_uses_the_first_instrument_given(
    case_manager_a, participant_a, enrollment
):
    completed(case_manager_a, participant_a, "acuity_screener", days_ago=110)
    assert exits_selectors.intake_instrument(enrollment).key == "acuity_screener"
    again = completed(case_manager_a, participant_a, "acuity_screener")
    exit_ = record(
        case_manager_a, enrollment, kind=Exit.Kind.GRADUATION, graduation_assessment=again, **READY
    )
    assert exit_.graduation_assessment == again


# --- what an exit closes, and coming back ----------------------------------------------------------------


def test_exit_closes_the_enrollment_visits_reengagement_and_assignment(
    case_manager_a, participant_a, enrollment, org_a
):
    now = clock.now()
    started = FieldVisit.objects.create(
        participant=participant_a,
        organisation=org_a,
        worker=case_manager_a,
        location="Chez lui",
        planned_start=now - datetime.timedelta(hours=1),
        planned_end=now + datetime.timedelta(hours=1),
        started_at=now - datetime.timedelta(hours=1),
        status=FieldVisit.Status.STARTED,
        created_by=case_manager_a,
    )
    planned = FieldVisit.objects.create(
        participant=participant_a,
        organisation=org_a,
        worker=case_manager_a,
        location="Au parc",
        planned_start=now + datetime.timedelta(days=2),
        planned_end=now + datetime.timedelta(days=2, hours=1),
        created_by=case_manager_a,
    )
    plan = ReengagementPlan.objects.create(
        enrollment=enrollment, participant=participant_a, started_on=TODAY() - datetime.timedelta(days=3)
    )
    exit_ = record(case_manager_a, enrollment)
    enrollment.refresh_from_db()
    assert enrollment.status == Enrollment.Status.EXITED
    assert enrollment.exited_on == TODAY()
    started.refresh_from_db()
    planned.refresh_from_db()
    plan.refresh_from_db()
    assert started.status == FieldVisit.Status.ENDED
    assert started.ended_at is not None
    assert planned.status == FieldVisit.Status.CANCELLED
    assert plan.status == ReengagementPlan.Status.CLOSED
    assert plan.closed_on == TODAY()
    assert not Assignment.objects.filter(enrollment=enrollment, ends_on__isnull=True).exists()
    entry = AuditEntry.objects.get(action="casework.exit.recorded")
    assert entry.participant_id == participant_a.pk
    assert entry.data["kind"] == "planned"
    assert set(entry.data["visits_closed"]) == {started.pk, planned.pk}
    assert entry.data["reengagement_closed"] == [plan.pk]
    assert exit_.recorded_by == case_manager_a


def test_an_exit_is_recorded_once(case_manager_a, enrollment):
    record(case_manager_a, enrollment)
    with pytest.raises(ValidationError) as err:
        record(case_manager_a, enrollment)
    assert "__all__" in err.value.message_dict
    assert Exit.objects.count() == 1


def test_an_exited_participant_can_be_enrolled_again_with_history_kept(
    case_manager_a, participant_a, enrollment, program, program_manager_a
):
    referrals = housing_referrals(case_manager_a, participant_a, 3, program_manager_a)
    first = record(
        case_manager_a,
        enrollment,
        kind=Exit.Kind.UNPLANNED,
        reason=Exit.Reason.PARTICIPANT_ENDED,
        referral_ids=[r.pk for r in referrals],
    )
    again = services_caseload.enrollment_create(
        actor=case_manager_a, participant=participant_a, program=program, primary_worker=case_manager_a
    )
    assert again.pk != enrollment.pk
    assert again.status == Enrollment.Status.ACTIVE
    enrollment.refresh_from_db()
    assert enrollment.status == Enrollment.Status.EXITED
    first.refresh_from_db()
    assert first.enrollment == enrollment
    assert first.referrals.count() == 3
    assert participant_a.enrollments.count() == 2
    # The earlier referrals stay with the first exit; a second exit needs its own.
    with pytest.raises(ValidationError):
        record(
            case_manager_a,
            again,
            kind=Exit.Kind.UNPLANNED,
            reason=Exit.Reason.OTHER,
            referral_ids=[referrals[0].pk],
            no_referrals_reason="x",
        )
    second = record(case_manager_a, again)
    assert set(Exit.objects.filter(participant=participant_a)) == {first, second}
