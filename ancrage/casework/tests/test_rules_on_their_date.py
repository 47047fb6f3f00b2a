"""Rules about an act read the state in force on the act's day, not whatever is current when it is recorded."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from ancrage.casework.caseload.services import enrollment_create
from ancrage.casework.contacts import services as services_contacts
from ancrage.casework.models import Enrollment, FieldVisit, Incident
from ancrage.casework.reengagement import services as services_referrals
from ancrage.casework.risk import services as risk_services
from ancrage.casework.risk.selectors import current_risk, risk_in_force
from ancrage.casework.tests.factories_caseload import make_program
from ancrage.core import clock
from ancrage.core.permissions import Role
from ancrage.people.models import Consent
from ancrage.people.tests.factories import member, share

pytestmark = pytest.mark.django_db

MONTREAL = zoneinfo.ZoneInfo("America/Montreal")
# The moment of the failed demo build: 7 December 2026, 00:20 in Montréal (05:20 UTC).
NOW = datetime.datetime(2026, 12, 7, 0, 20, tzinfo=MONTREAL)


@pytest.fixture(autouse=True)
def _pinned(time_machine):
    time_machine.move_to(NOW, tick=False)


def _at(year, month, day, hour=10, minute=0):
    return datetime.datetime(year, month, day, hour, minute, tzinfo=MONTREAL)


def _risk(actor, participant, assessed_on, **plan):
    values = {"level": 2, "rating": "moderate", "description": "Agité", "paired_visits": True}
    values.update(plan)
    return risk_services.risk_assess(actor=actor, participant=participant, assessed_on=assessed_on, **values)


def _plan_visit(actor, participant, start, hours=1, **kwargs):
    return services_contacts.visit_plan(
        actor=actor,
        participant=participant,
        location="12 rue des Érables",
        planned_start=start,
        planned_end=start + datetime.timedelta(hours=hours),
        **kwargs,
    )


# --- risk plans in force on a day -------------------------------------------------------------------------


def test_risk_in_force_is_the_plan_of_the_day(case_manager_a, participant_a):
    first = _risk(case_manager_a, participant_a, datetime.date(2026, 11, 1), paired_visits=False)
    second = _risk(case_manager_a, participant_a, datetime.date(2026, 11, 20))
    ids = [participant_a.pk]
    assert risk_in_force(ids, datetime.date(2026, 10, 31)) == {}
    assert risk_in_force(ids, datetime.date(2026, 11, 1)) == {participant_a.pk: first}
    assert risk_in_force(ids, datetime.date(2026, 11, 19)) == {participant_a.pk: first}
    # The day a plan is replaced, the new one is in force.
    assert risk_in_force(ids, datetime.date(2026, 11, 20)) == {participant_a.pk: second}
    assert current_risk(ids) == {participant_a.pk: second}
    risk_services.risk_end(actor=case_manager_a, risk=second, on=datetime.date(2026, 12, 1))
    assert risk_in_force(ids, datetime.date(2026, 11, 30)) == {participant_a.pk: second}
    assert risk_in_force(ids, datetime.date(2026, 12, 1)) == {}
    assert current_risk(ids) == {}


def test_a_visit_before_a_paired_visits_plan_began_needs_no_companion(case_manager_a, participant_a):
    # Today's plan (since 1 December) asks for pairs; on 26 November, no plan did. Planned on 25 November
    # (the demo runs each service at its event's moment), the visit of the 26th is judged by the 26th.
    _risk(case_manager_a, participant_a, datetime.date(2026, 12, 1))
    with clock.at(_at(2026, 11, 25)):
        visit = _plan_visit(case_manager_a, participant_a, _at(2026, 11, 26, 14))
    assert visit.status == FieldVisit.Status.PLANNED
    assert list(visit.companions.all()) == []


def test_a_visit_started_the_evening_before_a_plan_began_is_judged_by_its_own_day(
    case_manager_a, participant_a
):
    # 00:20 on 7 December: a plan assessed today; a visit that started at 23:30 on the 6th, until 01:30.
    _risk(case_manager_a, participant_a, datetime.date(2026, 12, 7))
    visit = _plan_visit(case_manager_a, participant_a, _at(2026, 12, 6, 23, 30), hours=2)
    assert visit.pk is not None


def test_a_visit_inside_a_paired_visits_window_needs_a_companion_even_once_the_plan_has_ended(
    case_manager_a, participant_a, org_a
):
    risk = _risk(case_manager_a, participant_a, datetime.date(2026, 11, 1))
    risk_services.risk_end(actor=case_manager_a, risk=risk, on=datetime.date(2026, 11, 20))
    assert current_risk([participant_a.pk]) == {}
    with clock.at(_at(2026, 11, 18)), pytest.raises(ValidationError) as exc:
        _plan_visit(case_manager_a, participant_a, _at(2026, 11, 19, 14))
    assert "companions" in exc.value.message_dict
    colleague = member(org_a, Role.CASE_MANAGER)
    with clock.at(_at(2026, 11, 18)):
        visit = _plan_visit(case_manager_a, participant_a, _at(2026, 11, 19, 14), companions=[colleague])
    assert list(visit.companions.all()) == [colleague]
    # After the plan's end, one worker may go alone again.
    with clock.at(_at(2026, 11, 20, 8)):
        assert _plan_visit(case_manager_a, participant_a, _at(2026, 11, 20, 14)).pk is not None


def test_a_visit_tomorrow_is_judged_by_the_plan_in_force_today(case_manager_a, participant_a):
    _risk(case_manager_a, participant_a, datetime.date(2026, 12, 7))
    with pytest.raises(ValidationError) as exc:
        _plan_visit(case_manager_a, participant_a, _at(2026, 12, 8, 9))
    assert "companions" in exc.value.message_dict


def test_visit_warnings_read_the_plan_of_the_visit_day(case_manager_a, participant_a):
    _risk(
        case_manager_a,
        participant_a,
        datetime.date(2026, 12, 1),
        paired_visits=False,
        office_only_until=datetime.date(2026, 12, 20),
    )
    assert services_contacts.visit_warnings(participant_a, _at(2026, 11, 26)) == []
    assert len(services_contacts.visit_warnings(participant_a, _at(2026, 12, 8))) == 1
    assert services_contacts.visit_warnings(participant_a, _at(2026, 12, 21)) == []


# --- incidents --------------------------------------------------------------------------------------------


def test_police_called_follows_the_plan_in_force_on_the_incident_day(
    program_manager_a, case_manager_a, participant_a, org_a, django_capture_on_commit_callbacks
):
    member(org_a, Role.TEAM_LEAD, username="chef", email="chef@example.org")
    _risk(case_manager_a, participant_a, datetime.date(2026, 11, 20), notify_team_on_police=True)
    _risk(case_manager_a, participant_a, datetime.date(2026, 12, 5), notify_team_on_police=False)
    with django_capture_on_commit_callbacks(execute=True):
        risk_services.incident_record(
            actor=program_manager_a,
            participant=participant_a,
            kind=Incident.Kind.POLICE_CALLED,
            occurred_at=_at(2026, 12, 2, 22),
            description="Police appelée par un voisin",
        )
    assert [m.to for m in mail.outbox] == [["chef@example.org"]]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        risk_services.incident_record(
            actor=program_manager_a,
            participant=participant_a,
            kind=Incident.Kind.POLICE_CALLED,
            occurred_at=_at(2026, 12, 6, 22),
            description="Police appelée de nouveau",
        )
    assert mail.outbox == []


# --- enrollments ------------------------------------------------------------------------------------------


def test_a_back_dated_enrollment_cannot_overlap_the_earlier_one_in_the_program(
    program_manager_a, case_manager_a, participant_a, org_a
):
    program = make_program(org_a)
    first = enrollment_create(
        actor=program_manager_a,
        participant=participant_a,
        program=program,
        primary_worker=case_manager_a,
        enrolled_on=datetime.date(2026, 1, 5),
    )
    Enrollment.objects.filter(pk=first.pk).update(
        status=Enrollment.Status.EXITED, exited_on=datetime.date(2026, 11, 15)
    )
    with pytest.raises(ValidationError) as exc:
        enrollment_create(
            actor=program_manager_a,
            participant=participant_a,
            program=program,
            primary_worker=case_manager_a,
            enrolled_on=datetime.date(2026, 11, 1),
        )
    assert "enrolled_on" in exc.value.message_dict
    again = enrollment_create(
        actor=program_manager_a,
        participant=participant_a,
        program=program,
        primary_worker=case_manager_a,
        enrolled_on=datetime.date(2026, 11, 15),
    )
    assert again.enrolled_on == datetime.date(2026, 11, 15)


# --- consents ---------------------------------------------------------------------------------------------


def test_a_consent_revoked_today_was_in_force_the_days_before(case_manager_a, participant_a, org_b):
    from ancrage.core.permissions import Category
    from ancrage.people import services as people_services

    consent = share(
        case_manager_a,
        participant_a,
        [org_b],
        [Category.IDENTITY],
        starts_on=clock.today() - datetime.timedelta(days=30),
    )
    people_services.consent_revoke(actor=case_manager_a, consent=consent, reason="Retire son accord")
    consent.refresh_from_db()
    assert consent.revoked_at is not None
    yesterday = clock.today() - datetime.timedelta(days=1)
    assert Consent.objects.in_force(yesterday).filter(pk=consent.pk).exists()
    assert not Consent.objects.in_force(clock.today()).filter(pk=consent.pk).exists()
    assert not Consent.objects.in_force().filter(pk=consent.pk).exists()


# --- contacts and lost contact ----------------------------------------------------------------------------


def _log(actor, participant, occurred_at, present=True):
    return services_contacts.contact_log(
        actor=actor,
        participant=participant,
        occurred_at=occurred_at,
        duration_minutes=30,
        kind="community",
        participant_present=present,
    )


def _enrolled(program_manager_a, case_manager_a, participant_a, org_a, on):
    return enrollment_create(
        actor=program_manager_a,
        participant=participant_a,
        program=make_program(org_a),
        primary_worker=case_manager_a,
        enrolled_on=on,
    )


def test_a_contact_logged_late_belongs_to_the_enrollment_of_its_day(
    program_manager_a, case_manager_a, participant_a, org_a
):
    first = _enrolled(program_manager_a, case_manager_a, participant_a, org_a, datetime.date(2026, 1, 5))
    Enrollment.objects.filter(pk=first.pk).update(
        status=Enrollment.Status.EXITED, exited_on=datetime.date(2026, 11, 15)
    )
    second = _enrolled(program_manager_a, case_manager_a, participant_a, org_a, datetime.date(2026, 12, 1))
    assert _log(case_manager_a, participant_a, _at(2026, 11, 10)).enrollment == first
    assert _log(case_manager_a, participant_a, _at(2026, 11, 20)).enrollment is None
    assert _log(case_manager_a, participant_a, _at(2026, 12, 3)).enrollment == second


def test_a_contact_dated_before_the_loss_of_contact_does_not_close_the_plan(
    settings, program_manager_a, case_manager_a, participant_a, org_a
):
    from ancrage.casework.models import ReengagementPlan

    settings.ANCRAGE = {**settings.ANCRAGE, "LOST_CONTACT_DAYS": 21}
    enrollment = _enrolled(program_manager_a, case_manager_a, participant_a, org_a, datetime.date(2026, 6, 1))
    _log(case_manager_a, participant_a, _at(2026, 11, 1))
    assert services_referrals.lost_contacts_flag() == 1
    plan = ReengagementPlan.objects.get(enrollment=enrollment)
    assert plan.last_contact_on == datetime.date(2026, 11, 1)
    # Written up today, a contact of 1 November (the one before the loss) changes nothing.
    _log(case_manager_a, participant_a, _at(2026, 11, 1, 15))
    plan.refresh_from_db()
    enrollment.refresh_from_db()
    assert plan.status == ReengagementPlan.Status.OPEN
    assert enrollment.lost_contact_since == datetime.date(2026, 11, 1)
    # One of 2 December is a return.
    _log(case_manager_a, participant_a, _at(2026, 12, 2))
    plan.refresh_from_db()
    enrollment.refresh_from_db()
    assert plan.status == ReengagementPlan.Status.RECONNECTED
    assert plan.closed_on == datetime.date(2026, 12, 2)
    assert enrollment.lost_contact_since is None


def test_the_lost_contact_job_run_for_a_past_day_sees_only_the_contacts_known_then(
    settings, program_manager_a, case_manager_a, participant_a, org_a
):
    settings.ANCRAGE = {**settings.ANCRAGE, "LOST_CONTACT_DAYS": 21}
    enrollment = _enrolled(program_manager_a, case_manager_a, participant_a, org_a, datetime.date(2026, 6, 1))
    _log(case_manager_a, participant_a, _at(2026, 10, 1))
    _log(case_manager_a, participant_a, _at(2026, 12, 1))
    # On 1 November (a missed night caught up), the last contact then was 1 October: lost.
    assert services_referrals.lost_contacts_flag(datetime.date(2026, 11, 1)) == 1
    enrollment.refresh_from_db()
    assert enrollment.lost_contact_since == datetime.date(2026, 10, 1)
