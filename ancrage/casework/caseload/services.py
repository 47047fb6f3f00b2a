"""Writes of enrollments, assignments and caseloads."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import NoReverseMatch, reverse
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from ancrage.access.models import ByNameEntry, Match, MatchStatus
from ancrage.accounts.models import Membership, User
from ancrage.casework.caseload.weights import caseload_for_workers, weight_of
from ancrage.casework.models import Assignment, Enrollment
from ancrage.core import alerts, audit, clock
from ancrage.core.permissions import Category, Role
from ancrage.organisations.models import Program, Team
from ancrage.people.selectors import categories_for_organisation, participants_visible_to

if TYPE_CHECKING:
    from ancrage.people.models import Participant


# Roles that can be a participant's primary case manager. A peer support worker visits with the case managers
# and is never primary (domain B1, issue 12): not offered, not in a team's capacity.
CASELOAD_ROLES = (Role.CASE_MANAGER, Role.TEAM_LEAD)
# Bounds of the visit frequency a team may set.
MAX_VISITS_PER_WEEK = 14


def _today() -> datetime.date:
    return clock.today()


def _acuity_band(participant) -> str:
    return (
        ByNameEntry.objects.filter(participant=participant).values_list("acuity_band", flat=True).first()
        or ""
    )


def is_caseload_worker(worker: User, organisation_id: int) -> bool:
    return Membership.objects.filter(
        user=worker,
        user__is_active=True,
        organisation_id=organisation_id,
        is_active=True,
        role__in=CASELOAD_ROLES,
    ).exists()


def _participant_url(participant) -> str:
    try:
        return reverse("casework:participant", args=[participant.pk])
    except NoReverseMatch:  # pragma: no cover - the page is part of this module
        return ""


def _check_ratio(
    errors: dict,
    *,
    worker: User,
    program: Program,
    extra_weight: float,
    over_ratio_reason: str,
    exclude_enrollment_id: int | None = None,
) -> bool:
    """True when the assignment takes the worker over the ratio. Without a reason, says why on the form."""
    load = caseload_for_workers([worker.pk], program, exclude_enrollment_id=exclude_enrollment_id)[worker.pk]
    if not load.would_exceed(extra_weight):
        return False
    if not over_ratio_reason.strip():
        errors.setdefault("over_ratio_reason", []).append(
            _(
                "%(worker)s already carries a caseload of %(weight)s for a ratio of %(ratio)s; with this "
                "participant (%(extra)s) it would be over. Say why this assignment is needed anyway."
            )
            % {
                "worker": worker.display_name,
                "weight": number_format(load.weight, decimal_pos=2),
                "ratio": load.ratio,
                "extra": number_format(extra_weight, decimal_pos=2),
            }
        )
    return True


def _check_worker(errors: dict, field: str, worker, organisation_id: int) -> None:
    if worker is None:
        errors.setdefault(field, []).append(_("Choose the primary case manager."))
    elif not is_caseload_worker(worker, organisation_id):
        errors.setdefault(field, []).append(
            _(
                "This person is not a case manager or team lead of the program's organisation: a peer support "
                "worker visits with the primary case manager but is not one."
            )
        )


def _alert_new_worker(*, actor, worker, enrollment: Enrollment) -> None:
    # A worker told they became primary and no longer is (the reassignment was reversed) loses the alert.
    alerts.withdraw(actor=actor, kind="casework.assignment.new", obj=enrollment, keep_recipient_id=worker.pk)
    if worker.pk == getattr(actor, "pk", None) or alerts.is_open(
        kind="casework.assignment.new", obj=enrollment, recipient_id=worker.pk
    ):
        return
    alerts.raise_alert(
        recipient_id=worker.pk,
        kind="casework.assignment.new",
        obj=enrollment,
        participant=enrollment.participant,
        url=_participant_url(enrollment.participant),
    )


# What an organisation needs to receive to serve a participant of another organisation.
SERVING_CATEGORIES = (Category.IDENTITY, Category.CASE_NOTES)


def _consent_gap(actor, participant, organisation) -> str:
    """Why `organisation` (not the participant's home) cannot enroll the participant in one of its programs,
    or "": the actor must see the participant, and an in-force consent must let the organisation receive
    their identity and case notes (what a serving organisation reads and records)."""
    if not participants_visible_to(actor).filter(pk=participant.pk).exists():
        return _("You cannot see this participant's file.")
    allowed = categories_for_organisation(participant, organisation)
    missing = [c for c in SERVING_CATEGORIES if c not in allowed]
    if not missing:
        return ""
    return _(
        "No consent in force lets %(organisation)s receive this information about the participant: "
        "%(what)s. Record the participant's consent first."
    ) % {
        "organisation": organisation.name,
        "what": ", ".join(str(Category(c).label) for c in missing),
    }


def _exited_after(participant, program: Program, on: datetime.date) -> datetime.date | None:
    """The latest exit from `program` after `on`, when an earlier enrollment was still running that day."""
    return (
        Enrollment.objects.filter(
            participant=participant, program=program, status=Enrollment.Status.EXITED, exited_on__gt=on
        )
        .order_by("-exited_on")
        .values_list("exited_on", flat=True)
        .first()
    )


def _reason_text(reason: str, over_ratio_reason: str) -> str:
    parts = [p.strip() for p in (reason, over_ratio_reason) if p and p.strip()]
    unique: list[str] = []
    for p in parts:
        if p not in unique:
            unique.append(p)
    return "\n\n".join(unique)


@transaction.atomic
def enrollment_create(
    *,
    actor: User,
    participant: Participant,
    program: Program,
    primary_worker: User,
    team: Team | None = None,
    enrolled_on: datetime.date | None = None,
    match: Match | None = None,
    over_ratio_reason: str = "",
) -> Enrollment:
    """Enroll a participant in an ICM or ACT program with a primary case manager (B1). A participant who exited
    can be enrolled again: the earlier enrollments stay, with everything recorded under them."""
    errors: dict[str, list[str]] = {}
    enrolled_on = enrolled_on or _today()
    over_ratio_reason = (over_ratio_reason or "").strip()

    if program is None:
        errors["program"] = [_("Choose the program.")]
    elif program.kind not in Program.HOUSING_FIRST_KINDS:
        errors["program"] = [_("Participants are enrolled only in an ICM or ACT program.")]
    elif not program.is_active:
        errors["program"] = [_("This program is no longer active.")]
    elif program.organisation_id not in actor.organisation_ids:
        errors["program"] = [_("You can enroll participants only in your organisation's programs.")]
    elif Enrollment.objects.filter(
        participant=participant, program=program, status=Enrollment.Status.ACTIVE
    ).exists():
        errors["program"] = [_("The participant is already enrolled in this program.")]
    elif overlapped := _exited_after(participant, program, enrolled_on):
        # One enrollment per person and program at a time, on the enrollment's date, not only today's: a
        # back-dated return cannot start while the earlier enrollment was still running.
        errors["enrolled_on"] = [
            _(
                "The participant was enrolled in this program until %(date)s: the new enrollment starts on "
                "or after that day."
            )
            % {"date": date_format(overlapped, "SHORT_DATE_FORMAT")}
        ]
    elif program.organisation_id != participant.organisation_id:
        refusal = _consent_gap(actor, participant, program.organisation)
        if refusal:
            errors["program"] = [refusal]

    if enrolled_on > _today():
        errors["enrolled_on"] = [_("The enrollment date cannot be in the future.")]

    if program is not None and "program" not in errors:
        if team is not None and (
            team.organisation_id != program.organisation_id
            or (team.program_id is not None and team.program_id != program.pk)
        ):
            errors["team"] = [_("This team does not work in this program.")]
        _check_worker(errors, "primary_worker", primary_worker, program.organisation_id)

    if match is not None and program is not None:
        if match.participant_id != participant.pk:
            errors["match"] = [_("This match is for another person.")]
        elif match.status != MatchStatus.TRANSFERRED:
            errors["match"] = [_("The match must be at the assisted transfer before enrollment.")]
        elif match.opening.program_id != program.pk:
            errors["match"] = [_("This match was for an opening in another program.")]
        elif Enrollment.objects.filter(match=match).exists():
            errors["match"] = [_("This match has already led to an enrollment.")]

    over_ratio = False
    if not errors:
        weight = weight_of(settings.ANCRAGE["VISITS_PER_WEEK"], _acuity_band(participant))
        over_ratio = _check_ratio(
            errors,
            worker=primary_worker,
            program=program,
            extra_weight=weight,
            over_ratio_reason=over_ratio_reason,
        )
    if errors:
        raise ValidationError(errors)

    came_back = Enrollment.objects.filter(participant=participant, status=Enrollment.Status.EXITED).exists()
    try:
        with transaction.atomic():
            enrollment = Enrollment.objects.create(
                participant=participant,
                program=program,
                team=team,
                primary_worker=primary_worker,
                match=match,
                enrolled_on=enrolled_on,
                visits_per_week=settings.ANCRAGE["VISITS_PER_WEEK"],
            )
    except IntegrityError as exc:
        raise ValidationError(
            {"program": [_("The participant is already enrolled in this program.")]}
        ) from exc
    assignment = Assignment.objects.create(
        enrollment=enrollment,
        worker=primary_worker,
        starts_on=enrolled_on,
        reason=over_ratio_reason if over_ratio else "",
        over_ratio=over_ratio,
        assigned_by=actor,
    )
    data = {
        "program": program.pk,
        "team": team.pk if team else None,
        "worker": primary_worker.pk,
        "enrolled_on": enrolled_on.isoformat(),
        "match": match.pk if match else None,
        "over_ratio": over_ratio,
    }
    audit.record(
        actor=actor,
        action="casework.enrollment.reopened" if came_back else "casework.enrollment.created",
        obj=enrollment,
        participant=participant,
        organisation=program.organisation,
        data=data,
    )
    audit.record(
        actor=actor,
        action="casework.enrollment.assigned",
        obj=assignment,
        participant=participant,
        organisation=program.organisation,
        data={"worker": primary_worker.pk, "over_ratio": over_ratio},
    )
    _alert_new_worker(actor=actor, worker=primary_worker, enrollment=enrollment)
    return enrollment


def enrollment_run_by(user, enrollment: Enrollment) -> bool:
    """Whether `user` works in the organisation whose program holds `enrollment`.

    Rule B1 (with G2): the enrolling organisation runs its own enrollment, and only its team leads and
    managers assign or reassign its primary case manager; the participant's home organisation sees that
    enrollment on the file but does not run it (its entry would be filed under the other organisation)."""
    return enrollment.program.organisation_id in set(user.organisation_ids)


def not_run_here_message() -> str:
    return _(
        "Only the organisation that runs this program may change its primary case manager: "
        "your organisation sees this enrollment but does not run it."
    )


@transaction.atomic
def enrollment_assign(
    *,
    actor: User,
    enrollment: Enrollment,
    worker: User,
    reason: str,
    on: datetime.date | None = None,
    over_ratio_reason: str = "",
) -> Assignment:
    """Change the primary case manager. A reassignment breaks trust (B1): the reason is required and kept, and
    the earlier assignment stays on the file with its dates. Only the organisation running the program may do
    it (`enrollment_run_by`): PermissionDenied otherwise."""
    enrollment = (
        Enrollment.objects.select_for_update().select_related("program", "participant").get(pk=enrollment.pk)
    )
    if not enrollment_run_by(actor, enrollment):
        raise PermissionDenied(not_run_here_message())
    errors: dict[str, list[str]] = {}
    on = on or _today()
    reason = (reason or "").strip()
    over_ratio_reason = (over_ratio_reason or "").strip()
    program = enrollment.program

    if not enrollment.is_active:
        raise ValidationError(
            {"__all__": [_("This enrollment has ended: reassign within a current enrollment.")]}
        )
    if not reason:
        errors["reason"] = [_("Say why the primary case manager changes: reassignments are kept and shown.")]
    _check_worker(errors, "worker", worker, program.organisation_id)
    if worker is not None and worker.pk == enrollment.primary_worker_id:
        errors.setdefault("worker", []).append(_("This person is already the primary case manager."))
    current = enrollment.assignments.filter(ends_on__isnull=True).order_by("-starts_on", "-id").first()
    if on > _today():
        errors["on"] = [_("The date of the change cannot be in the future.")]
    elif on < enrollment.enrolled_on:
        errors["on"] = [_("The date of the change cannot be before the enrollment.")]
    elif current is not None and on < current.starts_on:
        errors["on"] = [_("The date of the change cannot be before the current assignment began.")]

    over_ratio = False
    if not errors:
        weight = weight_of(enrollment.visits_per_week, _acuity_band(enrollment.participant))
        over_ratio = _check_ratio(
            errors,
            worker=worker,
            program=program,
            extra_weight=weight,
            over_ratio_reason=over_ratio_reason,
            exclude_enrollment_id=enrollment.pk,
        )
    if errors:
        raise ValidationError(errors)

    previous_worker_id = enrollment.primary_worker_id
    enrollment.assignments.filter(ends_on__isnull=True).update(ends_on=on)
    assignment = Assignment.objects.create(
        enrollment=enrollment,
        worker=worker,
        starts_on=on,
        reason=_reason_text(reason, over_ratio_reason if over_ratio else ""),
        over_ratio=over_ratio,
        assigned_by=actor,
    )
    enrollment.primary_worker = worker
    enrollment.save(update_fields=["primary_worker", "updated_at"])
    audit.record(
        actor=actor,
        action="casework.enrollment.reassigned" if previous_worker_id else "casework.enrollment.assigned",
        obj=assignment,
        participant=enrollment.participant,
        organisation=program.organisation,
        data={
            "enrollment": enrollment.pk,
            "from": previous_worker_id,
            "to": worker.pk,
            "on": on.isoformat(),
            "reason": reason,
            "over_ratio": over_ratio,
        },
    )
    _alert_new_worker(actor=actor, worker=worker, enrollment=enrollment)
    return assignment


@transaction.atomic
def enrollment_set_visits(
    *, actor: User, enrollment: Enrollment, visits_per_week, reason: str = ""
) -> Enrollment:
    """How many visits a week the team aims for (B2)."""
    enrollment = (
        Enrollment.objects.select_for_update().select_related("program", "participant").get(pk=enrollment.pk)
    )
    if not enrollment.is_active:
        raise ValidationError({"__all__": [_("This enrollment has ended.")]})
    try:
        visits = int(visits_per_week)
    except (TypeError, ValueError):
        raise ValidationError({"visits_per_week": [_("Enter a whole number of visits a week.")]}) from None
    if visits < 1 or visits > MAX_VISITS_PER_WEEK:
        raise ValidationError(
            {
                "visits_per_week": [
                    _("Between %(min)s and %(max)s visits a week.") % {"min": 1, "max": MAX_VISITS_PER_WEEK}
                ]
            }
        )
    minimum = settings.ANCRAGE["VISITS_PER_WEEK_TENANCY_AT_RISK"]
    if enrollment.tenancy_at_risk and visits < minimum:
        raise ValidationError(
            {
                "visits_per_week": [
                    _("While the tenancy is at risk, the participant is visited at least %(n)s times a week.")
                    % {"n": minimum}
                ]
            }
        )
    before = enrollment.visits_per_week
    if visits == before:
        return enrollment
    enrollment.visits_per_week = visits
    enrollment.save(update_fields=["visits_per_week", "updated_at"])
    audit.record(
        actor=actor,
        action="casework.enrollment.visit_frequency_changed",
        obj=enrollment,
        participant=enrollment.participant,
        organisation=enrollment.program.organisation,
        data={"from": before, "to": visits, "reason": (reason or "").strip()},
    )
    return enrollment


@transaction.atomic
def enrollment_set_tenancy_risk(
    *,
    actor: User,
    enrollment: Enrollment,
    at_risk: bool,
    since: datetime.date | None = None,
    reason: str = "",
) -> Enrollment:
    """Record that the tenancy is at risk (visits go up to at least VISITS_PER_WEEK_TENANCY_AT_RISK, B2), or no
    longer at risk (the frequency stays as it is: the team lowers it when it is ready)."""
    enrollment = (
        Enrollment.objects.select_for_update().select_related("program", "participant").get(pk=enrollment.pk)
    )
    if not enrollment.is_active:
        raise ValidationError({"__all__": [_("This enrollment has ended.")]})
    before = {
        "since": enrollment.tenancy_at_risk_since.isoformat() if enrollment.tenancy_at_risk_since else None,
        "visits_per_week": enrollment.visits_per_week,
    }
    if at_risk:
        since = since or _today()
        if since > _today():
            raise ValidationError({"since": [_("The date cannot be in the future.")]})
        if since < enrollment.enrolled_on:
            raise ValidationError({"since": [_("The date cannot be before the enrollment.")]})
        enrollment.tenancy_at_risk_since = since
        enrollment.visits_per_week = max(
            enrollment.visits_per_week, settings.ANCRAGE["VISITS_PER_WEEK_TENANCY_AT_RISK"]
        )
    else:
        enrollment.tenancy_at_risk_since = None
    after = {
        "since": enrollment.tenancy_at_risk_since.isoformat() if enrollment.tenancy_at_risk_since else None,
        "visits_per_week": enrollment.visits_per_week,
    }
    if after == before:
        return enrollment
    enrollment.save(update_fields=["tenancy_at_risk_since", "visits_per_week", "updated_at"])
    audit.record(
        actor=actor,
        action="casework.enrollment.tenancy_risk_changed",
        obj=enrollment,
        participant=enrollment.participant,
        organisation=enrollment.program.organisation,
        data={"at_risk": bool(at_risk), "before": before, "after": after, "reason": (reason or "").strip()},
    )
    return enrollment
