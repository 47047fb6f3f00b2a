"""Writes of exits, assessment schedules and progress (F1..F4)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ancrage.assessments.models import Administration, Instrument
from ancrage.casework.exits.selectors import (
    consent_naming,
    graduation_candidates,
    intake_instrument,
    open_exit_referrals,
    open_reengagement,
)
from ancrage.casework.models import (
    AssessmentSchedule,
    Assignment,
    Enrollment,
    Exit,
    FieldVisit,
    ReengagementPlan,
    ServiceReferral,
)
from ancrage.core import alerts, audit, clock
from ancrage.core.signals import ChangeKind, announce
from ancrage.organisations.models import Organisation, Program

if TYPE_CHECKING:
    from ancrage.accounts.models import User


def _required_referrals() -> int:
    return settings.ANCRAGE["UNPLANNED_EXIT_REFERRALS"]


def planned_exit_days_ahead() -> int:
    """How many days ahead a planned exit may be recorded (F2): the PLANNED_EXIT_DAYS_AHEAD setting."""
    return settings.ANCRAGE["PLANNED_EXIT_DAYS_AHEAD"]


# --- exits ------------------------------------------------------------------------------------------------


@transaction.atomic
def exit_record(
    *,
    actor: User,
    enrollment: Enrollment,
    kind: str,
    reason: str,
    exited_on: datetime.date,
    destination: str,
    destination_detail: str = "",
    shelter_justification: str = "",
    no_referrals_reason: str = "",
    referral_ids: Iterable[int] = (),
    next_provider: str = "",
    next_organisation: Organisation | None = None,
    information_sent: bool = False,
    procedure_given_on: datetime.date | None = None,
    graduation_assessment: Administration | None = None,
    stable_housing: bool = False,
    rent_supplement: bool = False,
    follow_up_care: bool = False,
    readiness_note: str = "",
    lost_contact_reason: str = "",
    note: str = "",
) -> Exit:
    """Record the participant's exit from the program and close the enrollment (F1–F3).

    Every rule is checked before anything is written; all problems are reported together, so nothing
    typed is lost. The enrollment becomes EXITED on `exited_on`, its open field visits end, its open
    re-engagement plans close and the primary case manager's assignment ends. A planned exit may be dated up
    to PLANNED_EXIT_DAYS_AHEAD days ahead: the service goes on until then, and the daily job closes it that day. `next_organisation`, when
    given, is the next provider's organisation: information is sent only under an in-force consent naming it.
    """
    enrollment = (
        Enrollment.objects.select_for_update().select_related("participant", "program").get(pk=enrollment.pk)
    )
    participant = enrollment.participant
    today = clock.today()
    errors: dict[str, list[str]] = {}

    def problem(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if enrollment.status != Enrollment.Status.ACTIVE:
        raise ValidationError(
            {"__all__": [_("This enrollment has already ended: the exit was recorded before.")]}
        )
    if Exit.objects.filter(enrollment=enrollment).exists():
        raise ValidationError(
            {
                "__all__": [
                    _("An exit is already planned for this enrollment: it ends the service on its date.")
                ]
            }
        )
    if not {enrollment.program.organisation_id, participant.organisation_id} & set(actor.organisation_ids):
        raise ValidationError(
            {
                "__all__": [
                    _(
                        "Only the program's organisation or the participant's own organisation records this exit."
                    )
                ]
            }
        )
    if kind not in Exit.Kind.values:
        problem("kind", _("Choose the kind of exit: graduation, planned or unplanned."))
    if reason not in Exit.Reason.values:
        problem("reason", _("Choose the reason for the exit."))
    if destination not in Exit.Destination.values:
        problem("destination", _("Choose where the participant goes."))
    if exited_on is None:
        problem("exited_on", _("Give the exit date."))
    elif exited_on > today:
        ahead = planned_exit_days_ahead()
        if kind != Exit.Kind.PLANNED:
            problem(
                "exited_on",
                _("The exit date cannot be in the future: only a planned exit can be recorded ahead."),
            )
        elif exited_on > today + datetime.timedelta(days=ahead):
            problem(
                "exited_on",
                ngettext(
                    "A planned exit can be recorded at most %(days)d day ahead.",
                    "A planned exit can be recorded at most %(days)d days ahead.",
                    ahead,
                )
                % {"days": ahead},
            )
    elif exited_on < enrollment.enrolled_on:
        problem("exited_on", _("The exit date cannot be before the enrollment date."))

    # F3: a shelter only when no reasonable alternative exists.
    shelter_justification = (shelter_justification or "").strip()
    if destination == Exit.Destination.SHELTER and not shelter_justification:
        problem(
            "shelter_justification",
            _(
                "An emergency shelter as destination needs a justification: say why no reasonable alternative exists."
            ),
        )

    # F3: referrals to housing-stability programs, or why fewer.
    wanted_ids = {int(i) for i in referral_ids}
    referrals = list(
        open_exit_referrals(participant).filter(pk__in=wanted_ids).select_for_update(of=("self",))
    )
    if len(referrals) != len(wanted_ids):
        problem(
            "referral_ids",
            _(
                "Only this participant's housing-stability referrals not yet counted for an exit can be chosen."
            ),
        )
    no_referrals_reason = (no_referrals_reason or "").strip()
    required = _required_referrals()
    if kind == Exit.Kind.UNPLANNED and len(referrals) < required and not no_referrals_reason:
        problem(
            "no_referrals_reason",
            ngettext(
                "An unplanned exit needs a referral to at least %(count)d housing-stability program, or the "
                "reason why not.",
                "An unplanned exit needs referrals to at least %(count)d housing-stability programs, or the "
                "reason why fewer.",
                required,
            )
            % {"count": required},
        )

    # F3: information to the next provider only with consent.
    consent = None
    next_provider = (next_provider or "").strip()
    if next_organisation is not None and not next_provider:
        next_provider = next_organisation.name
    if information_sent:
        if next_organisation is None:
            problem(
                "next_organisation",
                _(
                    "Choose the next provider's organisation: information is sent only under a consent naming it."
                ),
            )
        else:
            consent = consent_naming(participant, next_organisation, exited_on if exited_on else None)
            if consent is None:
                problem(
                    "information_sent",
                    _(
                        "No consent in force names %(organisation)s: record the information as not sent, or "
                        "record the participant's consent first."
                    )
                    % {"organisation": next_organisation.name},
                )

    # F3: the program's contact and complaint and appeal procedure given to the participant.
    if procedure_given_on is None:
        problem(
            "procedure_given_on",
            _(
                "Give the date the participant received the program's contact and complaint and appeal procedure."
            ),
        )
    elif procedure_given_on > today:
        problem("procedure_given_on", _("This date cannot be in the future."))

    # F1: graduation re-administers the intake instrument.
    if kind == Exit.Kind.GRADUATION:
        instrument = intake_instrument(enrollment)
        if graduation_assessment is None:
            problem(
                "graduation_assessment",
                _("A graduation re-administers the intake instrument: choose the completed assessment."),
            )
        elif instrument is None:
            problem(
                "graduation_assessment",
                _("No intake instrument is known for this participant: give it at intake first."),
            )
        elif not graduation_candidates(enrollment, instrument).filter(pk=graduation_assessment.pk).exists():
            problem(
                "graduation_assessment",
                _(
                    "Choose a completed %(instrument)s given to this participant after the enrollment: it is the "
                    "intake instrument."
                )
                % {"instrument": instrument.display_name},
            )
        # F1: graduation by objective readiness indicators, or the reason it goes ahead without one.
        readiness_note = (readiness_note or "").strip()
        if not (stable_housing and rent_supplement and follow_up_care) and not readiness_note:
            problem(
                "readiness_note",
                _(
                    "A graduation rests on stable housing, a rent supplement and follow-up care: tick each one "
                    "in place, or say why the participant graduates without it."
                ),
            )
    else:
        graduation_assessment = None
        stable_housing = rent_supplement = follow_up_care = False
        readiness_note = ""

    # B12: lost contact is a reason to re-engage, not to discharge.
    lost_contact_reason = (lost_contact_reason or "").strip()
    reengagement = open_reengagement(enrollment)
    if kind == Exit.Kind.UNPLANNED and reengagement is not None:
        if not lost_contact_reason:
            problem(
                "lost_contact_reason",
                _(
                    "Lost contact is a reason to re-engage, not to discharge: a re-engagement plan is open "
                    "since %(date)s. Say why the participant leaves the program all the same."
                )
                % {"date": date_format(reengagement.started_on, "j F Y")},
            )
    else:
        lost_contact_reason = ""

    if errors:
        raise ValidationError(errors)

    exit_ = Exit.objects.create(
        enrollment=enrollment,
        participant=participant,
        kind=kind,
        reason=reason,
        exited_on=exited_on,
        destination=destination,
        destination_detail=(destination_detail or "").strip(),
        shelter_justification=shelter_justification,
        no_referrals_reason=no_referrals_reason,
        next_provider=next_provider,
        information_sent=bool(information_sent),
        consent=consent,
        procedure_given_on=procedure_given_on,
        graduation_assessment=graduation_assessment,
        stable_housing=bool(stable_housing),
        rent_supplement=bool(rent_supplement),
        follow_up_care=bool(follow_up_care),
        readiness_note=readiness_note,
        lost_contact_reason=lost_contact_reason,
        note=(note or "").strip(),
        recorded_by=actor,
    )
    if referrals:
        ServiceReferral.objects.filter(pk__in=[r.pk for r in referrals]).update(exit=exit_)

    closed = (
        _close_enrollment(exit_) if exited_on <= today else {"visits_closed": [], "reengagement_closed": []}
    )

    audit.record(
        actor=actor,
        action="casework.exit.recorded",
        obj=exit_,
        participant=participant,
        organisation=enrollment.program.organisation,
        data={
            "enrollment": enrollment.pk,
            "program": enrollment.program_id,
            "kind": kind,
            "reason": reason,
            "destination": destination,
            "exited_on": exited_on.isoformat(),
            "ahead": exited_on > today,
            "referrals": sorted(r.pk for r in referrals),
            "information_sent": bool(information_sent),
            "consent": consent.pk if consent else None,
            "graduation_assessment": graduation_assessment.pk if graduation_assessment else None,
            "readiness": {
                "stable_housing": bool(stable_housing),
                "rent_supplement": bool(rent_supplement),
                "follow_up_care": bool(follow_up_care),
            }
            if kind == Exit.Kind.GRADUATION
            else None,
            "reengagement_open": reengagement.pk if reengagement else None,
            **closed,
        },
    )
    announce(
        sender="casework",
        participant_id=participant.pk,
        kind=ChangeKind.EXIT,
        happened_on=exited_on,
        actor_id=actor.pk,
    )
    return exit_


def _close_enrollment(exit_: Exit) -> dict[str, list[int]]:
    """End the service on the exit's date: the enrollment, the primary assignment, the program's open field
    visits and the open re-engagement plans. Returns what it closed, for the audit entry."""
    enrollment = exit_.enrollment
    participant = exit_.participant
    exited_on = exit_.exited_on
    enrollment.status = Enrollment.Status.EXITED
    enrollment.exited_on = exited_on
    enrollment.save(update_fields=["status", "exited_on", "updated_at"])
    Assignment.objects.filter(enrollment=enrollment, ends_on__isnull=True).update(ends_on=exited_on)

    # Open field visits of the program's organisation end with the service.
    now = clock.now()
    visits = list(
        FieldVisit.objects.select_for_update().filter(
            participant=participant,
            organisation_id=enrollment.program.organisation_id,
            status__in=[FieldVisit.Status.PLANNED, FieldVisit.Status.STARTED],
        )
    )
    for visit in visits:
        if visit.status == FieldVisit.Status.STARTED:
            visit.status, visit.ended_at = FieldVisit.Status.ENDED, now
        else:
            visit.status = FieldVisit.Status.CANCELLED
        visit.save(update_fields=["status", "ended_at"])
        alerts.resolve(kind="casework.visit.overdue", obj=visit)
    plans = ReengagementPlan.objects.filter(enrollment=enrollment, status=ReengagementPlan.Status.OPEN)
    closed_plans = list(plans.values_list("pk", flat=True))
    plans.update(status=ReengagementPlan.Status.CLOSED, closed_on=exited_on)
    return {"visits_closed": [v.pk for v in visits], "reengagement_closed": closed_plans}


def exits_take_effect(today: datetime.date | None = None) -> int:
    """Close the enrollments whose planned exit, recorded ahead, falls due by `today` (the daily job, F2).
    Each in its own transaction, so one that fails leaves the others done. Returns how many were closed."""
    today = today or clock.today()
    due = list(
        Exit.objects.filter(exited_on__lte=today, enrollment__status=Enrollment.Status.ACTIVE).values_list(
            "pk", flat=True
        )
    )
    for pk in due:
        with transaction.atomic():
            exit_ = (
                Exit.objects.select_for_update(of=("self",))
                .select_related("enrollment__program__organisation", "participant")
                .get(pk=pk)
            )
            if exit_.enrollment.status != Enrollment.Status.ACTIVE:
                continue
            closed = _close_enrollment(exit_)
            audit.record(
                actor=None,
                action="casework.exit.took_effect",
                obj=exit_,
                participant=exit_.participant,
                organisation=exit_.enrollment.program.organisation,
                data={"enrollment": exit_.enrollment_id, "exited_on": exit_.exited_on.isoformat(), **closed},
            )
    return len(due)


# --- assessment schedules (B4) ----------------------------------------------------------------------------

MAX_WITHIN_DAYS = 365
MAX_EVERY_MONTHS = 60


def _check_program(actor, program: Program) -> None:
    if program.kind not in Program.HOUSING_FIRST_KINDS:
        raise ValidationError({"program": [_("Assessment schedules are for ICM and ACT programs.")]})
    if program.organisation_id not in actor.organisation_ids:
        raise ValidationError(
            {"program": [_("You can change the schedules of your organisations' programs only.")]}
        )


@transaction.atomic
def schedule_set(
    *,
    actor: User,
    program: Program,
    instrument: Instrument,
    position: int,
    within_days_of_enrollment: int | None = None,
    every_months: int | None = None,
    at_exit: bool = False,
) -> AssessmentSchedule:
    """Say when `instrument` is due in `program` (added, or changed when already scheduled)."""
    _check_program(actor, program)
    errors: dict[str, list[str]] = {}
    if position is None or position < 0:
        errors.setdefault("position", []).append(_("Give the order as a number from 0."))
    if within_days_of_enrollment is not None and not 0 <= within_days_of_enrollment <= MAX_WITHIN_DAYS:
        errors.setdefault("within_days_of_enrollment", []).append(
            _("Give a number of days from 0 to %(max)d.") % {"max": MAX_WITHIN_DAYS}
        )
    if every_months is not None and not 1 <= every_months <= MAX_EVERY_MONTHS:
        errors.setdefault("every_months", []).append(
            _("Give a number of months from 1 to %(max)d.") % {"max": MAX_EVERY_MONTHS}
        )
    if within_days_of_enrollment is None and not every_months and not at_exit:
        errors.setdefault("__all__", []).append(
            _("Say when the instrument is due: within some days of enrollment, every few months, or at exit.")
        )
    if errors:
        raise ValidationError(errors)
    existing = (
        AssessmentSchedule.objects.select_for_update().filter(program=program, instrument=instrument).first()
    )
    before = (
        {
            "position": existing.position,
            "within_days_of_enrollment": existing.within_days_of_enrollment,
            "every_months": existing.every_months,
            "at_exit": existing.at_exit,
        }
        if existing
        else None
    )
    schedule = existing or AssessmentSchedule(program=program, instrument=instrument)
    schedule.position = position
    schedule.within_days_of_enrollment = within_days_of_enrollment
    schedule.every_months = every_months or None
    schedule.at_exit = bool(at_exit)
    schedule.save()
    audit.record(
        actor=actor,
        action="casework.schedule.changed",
        obj=schedule,
        organisation=program.organisation,
        data={
            "program": program.pk,
            "instrument": instrument.key,
            "before": before,
            "after": {
                "position": schedule.position,
                "within_days_of_enrollment": schedule.within_days_of_enrollment,
                "every_months": schedule.every_months,
                "at_exit": schedule.at_exit,
            },
        },
    )
    return schedule


@transaction.atomic
def schedule_remove(*, actor: User, schedule: AssessmentSchedule) -> None:
    """Take an instrument out of a program's schedule (what was given stays on each file)."""
    program = schedule.program
    _check_program(actor, program)
    data = {
        "program": program.pk,
        "instrument": schedule.instrument.key,
        "before": {
            "position": schedule.position,
            "within_days_of_enrollment": schedule.within_days_of_enrollment,
            "every_months": schedule.every_months,
            "at_exit": schedule.at_exit,
        },
        "after": None,
    }
    audit.record(
        actor=actor,
        action="casework.schedule.changed",
        obj=schedule,
        organisation=program.organisation,
        data=data,
    )
    schedule.delete()
