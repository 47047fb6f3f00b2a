"""Writes of lost contact and re-engagement (B12)."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from ancrage.accounts.models import Membership, User
from ancrage.casework.models import Contact, Enrollment, OutreachTask, ReengagementPlan
from ancrage.casework.referrals.services import _end_of
from ancrage.casework.selectors import serving_organisation_ids
from ancrage.core import alerts, audit, clock
from ancrage.core.signals import ChangeKind, announce

if TYPE_CHECKING:
    pass


def _last_contact_on(participant, on: datetime.date) -> datetime.date | None:
    """The day of the last contact with the participant present, on or before `on`."""
    last = Contact.objects.filter(
        participant=participant, participant_present=True, occurred_at__lt=_end_of(on)
    ).aggregate(last=Max("occurred_at"))["last"]
    return clock.localdate(last) if last else None


@transaction.atomic
def lost_contact_flag(
    *,
    actor: User | None,
    enrollment: Enrollment,
    on: datetime.date | None = None,
    last_contact_on: datetime.date | None = None,
) -> ReengagementPlan:
    """Flag lost contact on an active enrollment and start a re-engagement plan with the default places to
    look (shelters, hospitals, detention, usual places, and the participant's natural supports). Never a
    discharge: the enrollment stays active (B12)."""
    enrollment = (
        Enrollment.objects.select_for_update(of=("self",)).select_related("participant").get(pk=enrollment.pk)
    )
    participant = enrollment.participant
    on = on or clock.today()
    if not enrollment.is_active:
        raise ValidationError({"__all__": [_("This enrollment has ended: there is no one to look for.")]})
    if ReengagementPlan.objects.filter(enrollment=enrollment, status=ReengagementPlan.Status.OPEN).exists():
        raise ValidationError({"__all__": [_("A re-engagement plan is already open for this participant.")]})
    if last_contact_on is None:
        last_contact_on = _last_contact_on(participant, on)
    since = max(d for d in (last_contact_on, enrollment.enrolled_on) if d is not None)
    plan = ReengagementPlan.objects.create(
        enrollment=enrollment,
        participant=participant,
        started_on=on,
        last_contact_on=last_contact_on,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    worker_id = enrollment.primary_worker_id
    place = OutreachTask.Place
    tasks = [
        OutreachTask(plan=plan, place_kind=place.SHELTER, assigned_to_id=worker_id),
        OutreachTask(plan=plan, place_kind=place.HOSPITAL, assigned_to_id=worker_id),
        OutreachTask(plan=plan, place_kind=place.DETENTION, assigned_to_id=worker_id),
        OutreachTask(
            plan=plan,
            place_kind=place.USUAL_PLACE,
            place=(participant.current_location or "")[:200],
            assigned_to_id=worker_id,
        ),
    ]
    for support in participant.support_contacts.all():
        label = " · ".join(x for x in (support.name, support.relationship, support.phone) if x)
        tasks.append(
            OutreachTask(
                plan=plan, place_kind=place.SUPPORT_CONTACT, place=label[:200], assigned_to_id=worker_id
            )
        )
    OutreachTask.objects.bulk_create(tasks)
    enrollment.lost_contact_since = since
    enrollment.save(update_fields=["lost_contact_since", "updated_at"])
    if worker_id:
        alerts.raise_alert(
            recipient_id=worker_id,
            kind="casework.lost_contact",
            obj=plan,
            participant=participant,
            params={"days": (on - since).days},
            url=reverse("casework:reengagement", kwargs={"pk": participant.pk}),
        )
    audit.record(
        actor=actor,
        action="casework.lost_contact.flagged",
        obj=plan,
        participant=participant,
        organisation=participant.organisation,
        data={"since": since.isoformat(), "tasks": len(tasks)},
    )
    announce(
        sender="casework",
        participant_id=participant.pk,
        kind=ChangeKind.LOST_CONTACT,
        happened_on=on,
        actor_id=getattr(actor, "pk", None),
    )
    return plan


def lost_contacts_flag(today: datetime.date | None = None) -> int:
    """Daily: every active enrollment with no contact with the participant present for LOST_CONTACT_DAYS
    (counted from the enrollment date when there was none since) and no open re-engagement plan gets one.
    Returns how many were flagged."""
    today = today or clock.today()
    days = settings.ANCRAGE["LOST_CONTACT_DAYS"]
    limit = today - datetime.timedelta(days=days)
    # Only contacts up to the day the job runs for count: run for a past day, it sees what was known then.
    seen = Q(participant__contacts__participant_present=True) & Q(
        participant__contacts__occurred_at__lt=_end_of(today)
    )
    candidates = (
        Enrollment.objects.filter(
            status=Enrollment.Status.ACTIVE, lost_contact_since__isnull=True, enrolled_on__lt=limit
        )
        .exclude(reengagement_plans__status=ReengagementPlan.Status.OPEN)
        .annotate(last_contact=Max("participant__contacts__occurred_at", filter=seen))
        .order_by("pk")
    )
    flagged = 0
    for enrollment in candidates:
        last = clock.localdate(enrollment.last_contact) if enrollment.last_contact else None
        if last is not None and last >= limit:
            continue
        try:
            lost_contact_flag(actor=None, enrollment=enrollment, on=today, last_contact_on=last)
        except ValidationError:
            continue
        flagged += 1
    return flagged


@transaction.atomic
def outreach_task_add(
    *,
    actor: User,
    plan: ReengagementPlan,
    place_kind: str,
    place: str = "",
    assigned_to=None,
    due_on: datetime.date | None = None,
) -> OutreachTask:
    errors: dict[str, list[str]] = {}
    if plan.status != ReengagementPlan.Status.OPEN:
        errors["__all__"] = [_("This re-engagement plan is closed.")]
    if place_kind not in OutreachTask.Place.values:
        errors["place_kind"] = [_("Choose where to look.")]
    elif place_kind == OutreachTask.Place.OTHER and not (place or "").strip():
        errors["place"] = [_("Say where to look.")]
    if due_on is not None and due_on < plan.started_on:
        errors["due_on"] = [_("The date must be on or after the plan's start.")]
    if (
        assigned_to is not None
        and not Membership.objects.filter(
            user=assigned_to,
            organisation_id__in=serving_organisation_ids(plan.participant),
            is_active=True,
        ).exists()
    ):
        errors["assigned_to"] = [_("Choose a worker of an organisation serving the participant.")]
    if errors:
        raise ValidationError(errors)
    task = OutreachTask.objects.create(
        plan=plan,
        place_kind=place_kind,
        place=(place or "").strip(),
        assigned_to=assigned_to,
        due_on=due_on,
    )
    audit.record(
        actor=actor,
        action="casework.lost_contact.task_added",
        obj=task,
        participant=plan.participant,
        organisation=plan.participant.organisation,
        data={"place_kind": place_kind},
    )
    return task


@transaction.atomic
def outreach_task_done(
    *, actor: User, task: OutreachTask, outcome: str, done_on: datetime.date | None = None
) -> OutreachTask:
    task = (
        OutreachTask.objects.select_for_update(of=("self",))
        .select_related("plan__participant")
        .get(pk=task.pk)
    )
    done_on = done_on or clock.today()
    errors: dict[str, list[str]] = {}
    if task.done_on is not None:
        errors["__all__"] = [_("This search is already recorded as done.")]
    if not (outcome or "").strip():
        errors["outcome"] = [_("Say what was found, even if nothing.")]
    if done_on > clock.today():
        errors["done_on"] = [_("A search cannot be dated in the future.")]
    if errors:
        raise ValidationError(errors)
    task.done_on = done_on
    task.outcome = outcome.strip()
    task.save(update_fields=["done_on", "outcome"])
    audit.record(
        actor=actor,
        action="casework.lost_contact.task_done",
        obj=task,
        participant=task.plan.participant,
        organisation=task.plan.participant.organisation,
        data={"done_on": done_on.isoformat()},
    )
    return task


def _close_plan(*, actor, plan: ReengagementPlan, status: str, on: datetime.date, note: str) -> None:
    plan.status = status
    plan.closed_on = on
    if note:
        plan.note = note
    plan.save(update_fields=["status", "closed_on", "note"])
    alerts.resolve(kind="casework.lost_contact", obj=plan)
    audit.record(
        actor=actor,
        action="casework.lost_contact.closed",
        obj=plan,
        participant=plan.participant,
        organisation=plan.participant.organisation,
        data={"status": status, "closed_on": on.isoformat()},
    )


@transaction.atomic
def reengagement_close(
    *, actor: User, plan: ReengagementPlan, status: str, note: str = ""
) -> ReengagementPlan:
    """Close a re-engagement plan: back in contact, or closed for another reason said in the note. The
    enrollment stays as it is (an exit is recorded separately, never here)."""
    plan = (
        ReengagementPlan.objects.select_for_update(of=("self",)).select_related("participant").get(pk=plan.pk)
    )
    errors: dict[str, list[str]] = {}
    if plan.status != ReengagementPlan.Status.OPEN:
        errors["__all__"] = [_("This re-engagement plan is already closed.")]
    if status not in {ReengagementPlan.Status.RECONNECTED, ReengagementPlan.Status.CLOSED}:
        errors["status"] = [_("Choose how the plan ends.")]
    elif status == ReengagementPlan.Status.CLOSED and not (note or "").strip():
        errors["note"] = [_("Say why the plan is closed without being back in contact.")]
    if errors:
        raise ValidationError(errors)
    _close_plan(actor=actor, plan=plan, status=status, on=clock.today(), note=(note or "").strip())
    Enrollment.objects.filter(pk=plan.enrollment_id).update(lost_contact_since=None, updated_at=clock.now())
    return plan


@transaction.atomic
def contacts_made(*, contacts: list[Contact]) -> int:
    """`contact_made` for each contact, in order, each at the moment it was recorded (`recorded_at`, when
    `contact_log` calls it), in a few statements: the same plans closed and flags cleared. Returns how many
    plans were closed."""
    present = [c for c in contacts if c.participant_present]
    if not present:
        return 0
    people = {c.participant_id for c in present}
    plans: dict[int, list[ReengagementPlan]] = {}
    for plan in (
        ReengagementPlan.objects.select_for_update(of=("self",))
        .filter(participant_id__in=people, status=ReengagementPlan.Status.OPEN)
        .select_related("participant__organisation")
    ):
        plans.setdefault(plan.participant_id, []).append(plan)
    lost: dict[int, list[list]] = {}
    for pk, participant_id, since in Enrollment.objects.filter(
        participant_id__in=people, status=Enrollment.Status.ACTIVE, lost_contact_since__isnull=False
    ).values_list("pk", "participant_id", "lost_contact_since"):
        lost.setdefault(participant_id, []).append([pk, since])
    closed = 0
    cleared: dict[datetime.datetime, list[int]] = {}
    for contact in present:
        on = clock.localdate(contact.occurred_at)
        with clock.at(contact.recorded_at):
            for plan in plans.get(contact.participant_id, []):
                if plan.status == ReengagementPlan.Status.OPEN and (
                    plan.last_contact_on is None or plan.last_contact_on < on
                ):
                    _close_plan(
                        actor=contact.recorded_by,
                        plan=plan,
                        status=ReengagementPlan.Status.RECONNECTED,
                        on=on,
                        note="",
                    )
                    closed += 1
        for enrollment in lost.get(contact.participant_id, []):
            if enrollment[1] is not None and enrollment[1] < on:
                enrollment[1] = None
                cleared.setdefault(contact.recorded_at, []).append(enrollment[0])
    for moment, ids in cleared.items():
        Enrollment.objects.filter(pk__in=ids).update(lost_contact_since=None, updated_at=moment)
    return closed


def contact_made(*, contact: Contact) -> int:
    """Called by contact_log after each contact: when the participant was present, any open re-engagement plan
    closes as back in contact and the lost-contact flag is cleared. Returns how many plans were closed."""
    if not contact.participant_present:
        return 0
    on = clock.localdate(contact.occurred_at)
    # A contact logged late but dated on or before the last one the plan knew of is not a return: only a
    # contact after the loss of contact closes the plan and clears the flag.
    plans = list(
        ReengagementPlan.objects.select_for_update(of=("self",))
        .filter(participant_id=contact.participant_id, status=ReengagementPlan.Status.OPEN)
        .filter(Q(last_contact_on__isnull=True) | Q(last_contact_on__lt=on))
        .select_related("participant__organisation")
    )
    for plan in plans:
        _close_plan(
            actor=contact.recorded_by, plan=plan, status=ReengagementPlan.Status.RECONNECTED, on=on, note=""
        )
    Enrollment.objects.filter(
        participant_id=contact.participant_id,
        status=Enrollment.Status.ACTIVE,
        lost_contact_since__lt=on,
    ).update(lost_contact_since=None, updated_at=clock.now())
    return len(plans)
