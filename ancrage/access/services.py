"""Writes for coordinated access. Each service validates, saves and writes its audit entry in one transaction."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from ancrage.access.chronic import ChronicVerdict, is_chronically_homeless
from ancrage.access.models import (
    ByNameEntry,
    ByNameStatus,
    ByNameStatusChange,
    Intake,
    LivingSituationPeriod,
    Referral,
)
from ancrage.core import audit
from ancrage.core.permissions import Category
from ancrage.organisations.models import Organisation
from ancrage.people.models import Consent, Participant

# --- Referrals and intake (A1) -----------------------------------------------------------------------


@transaction.atomic
def referral_create(
    *,
    actor,
    person_name: str,
    source_kind: str,
    reason: str,
    source_name: str = "",
    person_description: str = "",
    participant: Participant | None = None,
    organisation: Organisation | None = None,
    referred_at: datetime.datetime | None = None,
) -> Referral:
    if organisation is None:
        membership = actor.primary_membership
        organisation = membership.organisation if membership else None
    errors: dict[str, list[str]] = {}
    if organisation is None:
        errors["organisation"] = [_("Choose the organisation that receives the referral.")]
    if not person_name.strip() and participant is None:
        errors["person_name"] = [_("Give the person's name, or the name they go by.")]
    if source_kind not in Referral.SourceKind.values:
        errors["source_kind"] = [_("Choose where the referral comes from.")]
    if not reason.strip():
        errors["reason"] = [_("Say why the person is referred.")]
    referred_at = referred_at or timezone.now()
    if referred_at > timezone.now():
        errors["referred_at"] = [_("A referral cannot be dated in the future.")]
    if errors or organisation is None:
        raise ValidationError(errors)
    referral = Referral.objects.create(
        organisation=organisation,
        participant=participant,
        person_name=person_name.strip() or (participant.display_name if participant else ""),
        person_description=person_description.strip(),
        source_kind=source_kind,
        source_name=source_name.strip(),
        reason=reason.strip(),
        referred_at=referred_at,
        referred_by=actor,
    )
    audit.record(
        actor=actor,
        action="access.referral.created",
        obj=referral,
        participant=participant,
        organisation=organisation,
        data={"source_kind": source_kind},
    )
    return referral


@transaction.atomic
def referral_withdraw(*, actor, referral: Referral, reason: str) -> Referral:
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if referral.status in {Referral.Status.INTAKE_DONE, Referral.Status.WITHDRAWN}:
        raise ValidationError(_("This referral is already closed."))
    if not reason.strip():
        raise ValidationError({"reason": [_("Say why the referral is withdrawn.")]})
    before = referral.status
    referral.status = Referral.Status.WITHDRAWN
    referral.save(update_fields=["status", "updated_at"])
    audit.record(
        actor=actor,
        action="access.referral.withdrawn",
        obj=referral,
        participant=referral.participant,
        organisation=referral.organisation,
        data={"changes": {"status": [before, referral.status]}, "reason": reason.strip()},
    )
    return referral


def coordinated_access_consent(actor, participant: Participant, on: datetime.date | None = None):
    """The newest in-force consent covering coordinated access that lets `actor` act, or None.

    It must be shared with one of the actor's organisations, unless the actor works in the participant's
    home organisation, where any such consent recorded for the participant counts.
    """
    on = on or timezone.localdate()
    consents = Consent.objects.in_force(on).filter(
        participant=participant, category_rows__category=Category.COORDINATED_ACCESS
    )
    if participant.organisation_id not in actor.organisation_ids:
        consents = consents.filter(organisations__in=actor.organisation_ids)
    return consents.order_by("-starts_on", "-id").first()


@transaction.atomic
def intake_start(
    *, actor, referral: Referral, participant: Participant, consent: Consent | None = None
) -> Intake:
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if referral.status != Referral.Status.RECEIVED:
        raise ValidationError(_("An intake can start only from a referral just received."))
    if participant.is_merged:
        raise ValidationError({"participant": [_("This file was merged into another: use that one.")]})
    if referral.participant_id and referral.participant_id != participant.pk:
        raise ValidationError({"participant": [_("This referral is already matched to another person.")]})
    if consent is not None:
        relied_on = (
            consent if consent.participant_id == participant.pk and _consent_allows(actor, consent) else None
        )
    else:
        relied_on = coordinated_access_consent(actor, participant)
    if relied_on is None:
        raise ValidationError(
            {
                "consent": [
                    _(
                        "Record the person's consent for coordinated access, shared with your "
                        "organisation, before starting the intake."
                    )
                ]
            }
        )
    intake = Intake.objects.create(
        referral=referral, participant=participant, consent=relied_on, done_by=actor
    )
    referral.participant = participant
    referral.status = Referral.Status.INTAKE_STARTED
    referral.save(update_fields=["participant", "status", "updated_at"])
    audit.record(
        actor=actor,
        action="access.intake.started",
        obj=intake,
        participant=participant,
        data={"referral": referral.pk, "consent": intake.consent_id},
    )
    return intake


def _consent_allows(actor, consent: Consent) -> bool:
    """The same test as `coordinated_access_consent`, for one chosen consent."""
    shared = Q(participant__organisation_id__in=actor.organisation_ids) | Q(
        organisations__in=actor.organisation_ids
    )
    return (
        Consent.objects.in_force()
        .filter(pk=consent.pk, category_rows__category=Category.COORDINATED_ACCESS)
        .filter(shared)
        .exists()
    )


@transaction.atomic
def intake_complete(*, actor, intake: Intake) -> Intake:
    intake = Intake.objects.select_for_update().select_related("referral").get(pk=intake.pk)
    if intake.done_at is not None:
        raise ValidationError(_("This intake is already complete."))
    intake.done_at = timezone.now()
    intake.done_by = actor
    intake.save(update_fields=["done_at", "done_by"])
    referral = intake.referral
    referral.status = Referral.Status.INTAKE_DONE
    referral.save(update_fields=["status", "updated_at"])
    audit.record(
        actor=actor,
        action="access.intake.completed",
        obj=intake,
        participant=intake.participant,
        data={"referral": referral.pk},
    )
    return intake


# --- By-name list (A4) -------------------------------------------------------------------------------


def _refresh_chronic(entry: ByNameEntry, on: datetime.date) -> ChronicVerdict:
    verdict = is_chronically_homeless(entry.participant.living_situations.all(), on=on)
    entry.is_chronic = verdict.is_chronic
    entry.homeless_days_past_year = verdict.days_past_year
    entry.homeless_days_past_three_years = verdict.days_past_three_years
    entry.chronic_computed_on = on
    return verdict


_CHRONIC_FIELDS = [
    "is_chronic",
    "homeless_days_past_year",
    "homeless_days_past_three_years",
    "chronic_computed_on",
]


def _check_not_future(on: datetime.date, field: str = "on") -> None:
    if on > timezone.localdate():
        raise ValidationError({field: [_("This date cannot be in the future.")]})


@transaction.atomic
def by_name_entry_add(
    *, actor, participant: Participant, reference_worker, entered_on: datetime.date | None = None
) -> ByNameEntry:
    entered_on = entered_on or timezone.localdate()
    _check_not_future(entered_on, "entered_on")
    if participant.is_merged:
        raise ValidationError({"participant": [_("This file was merged into another: use that one.")]})
    if reference_worker is None:
        raise ValidationError({"reference_worker": [_("Name a reference worker for every active person.")]})
    if ByNameEntry.objects.filter(participant=participant).exists():
        raise ValidationError({"participant": [_("This person is already on the by-name list.")]})
    entry = ByNameEntry(
        participant=participant,
        status=ByNameStatus.ACTIVE,
        reference_worker=reference_worker,
        entered_on=entered_on,
        status_since=entered_on,
        last_contact_on=entered_on,
    )
    _refresh_chronic(entry, timezone.localdate())
    try:
        with transaction.atomic():
            entry.save()
    except IntegrityError:
        # Two workers adding the same person at once: the second one gets the same clear answer.
        raise ValidationError({"participant": [_("This person is already on the by-name list.")]}) from None
    ByNameStatusChange.objects.create(
        entry=entry,
        from_status="",
        to_status=ByNameStatus.ACTIVE,
        on=entered_on,
        reason=_("Added to the by-name list"),
        by=actor,
    )
    audit.record(
        actor=actor,
        action="access.by_name.added",
        obj=entry,
        participant=participant,
        data={"reference_worker": reference_worker.pk, "entered_on": entered_on.isoformat()},
    )
    return entry


@transaction.atomic
def by_name_status_change(
    *,
    actor,
    entry: ByNameEntry,
    status: str,
    reason: str,
    on: datetime.date | None = None,
    reference_worker=None,
) -> ByNameStatusChange:
    entry = ByNameEntry.objects.select_for_update().select_related("participant").get(pk=entry.pk)
    on = on or timezone.localdate()
    errors: dict[str, list[str]] = {}
    if status not in ByNameStatus.values:
        errors["status"] = [_("Unknown status.")]
    elif status == entry.status:
        errors["status"] = [_("The person already has this status.")]
    if not reason.strip():
        errors["reason"] = [_("Say why the status changes.")]
    if on > timezone.localdate():
        errors["on"] = [_("This date cannot be in the future.")]
    elif on < entry.status_since:
        errors["on"] = [_("The change cannot come before the current status began.")]
    worker = reference_worker or entry.reference_worker
    if status == ByNameStatus.ACTIVE and worker is None:
        errors["reference_worker"] = [_("Name a reference worker for every active person.")]
    if errors:
        raise ValidationError(errors)
    before = entry.status
    change = ByNameStatusChange.objects.create(
        entry=entry, from_status=before, to_status=status, on=on, reason=reason.strip(), by=actor
    )
    entry.status = status
    entry.status_since = on
    fields = ["status", "status_since", "updated_at"]
    if reference_worker is not None and reference_worker.pk != entry.reference_worker_id:
        entry.reference_worker = reference_worker
        fields.append("reference_worker")
    if status == ByNameStatus.ACTIVE and (entry.last_contact_on is None or entry.last_contact_on < on):
        # Coming back onto the list is a contact: the inactivity clock starts again.
        entry.last_contact_on = on
        fields.append("last_contact_on")
    entry.save(update_fields=fields)
    audit.record(
        actor=actor,
        action="access.by_name.status_changed",
        obj=entry,
        participant=entry.participant,
        data={"changes": {"status": [before, status]}, "on": on.isoformat(), "reason": reason.strip()},
    )
    return change


@transaction.atomic
def by_name_contact_record(*, actor, entry: ByNameEntry, on: datetime.date | None = None) -> ByNameEntry:
    on = on or timezone.localdate()
    _check_not_future(on)
    entry = ByNameEntry.objects.select_for_update().select_related("participant").get(pk=entry.pk)
    if entry.last_contact_on is None or entry.last_contact_on < on:
        entry.last_contact_on = on
        entry.save(update_fields=["last_contact_on", "updated_at"])
    audit.record(
        actor=actor,
        action="access.by_name.contact_recorded",
        obj=entry,
        participant=entry.participant,
        data={"on": on.isoformat()},
    )
    return entry


@transaction.atomic
def by_name_mark_inactive_without_contact(*, on: datetime.date | None = None, actor=None) -> int:
    """Active entries with no contact for INACTIVE_AFTER_DAYS become inactive on `on`; returns how many."""
    on = on or timezone.localdate()
    days = settings.ANCRAGE["INACTIVE_AFTER_DAYS"]
    cutoff = on - datetime.timedelta(days=days)
    stale = (
        ByNameEntry.objects.select_for_update()
        .annotate(last_seen=Coalesce(F("last_contact_on"), F("entered_on")))
        .filter(status=ByNameStatus.ACTIVE, last_seen__lt=cutoff, status_since__lte=on)
        .select_related("participant")
        .order_by("pk")
    )
    reason = _("No contact for %(days)s days") % {"days": days}
    count = 0
    for entry in stale:
        ByNameStatusChange.objects.create(
            entry=entry,
            from_status=ByNameStatus.ACTIVE,
            to_status=ByNameStatus.INACTIVE,
            on=on,
            reason=reason,
            by=actor,
        )
        entry.status = ByNameStatus.INACTIVE
        entry.status_since = on
        entry.save(update_fields=["status", "status_since", "updated_at"])
        audit.record(
            actor=actor,
            action="access.by_name.marked_inactive",
            obj=entry,
            participant=entry.participant,
            data={
                "changes": {"status": [ByNameStatus.ACTIVE, ByNameStatus.INACTIVE]},
                "last_contact_on": entry.last_seen.isoformat(),
                "days": days,
            },
        )
        count += 1
    return count


@transaction.atomic
def by_name_chronic_refresh(*, on: datetime.date | None = None) -> int:
    """Recompute the cached chronic figures of every entry (time passing changes them); returns how many."""
    on = on or timezone.localdate()
    entries = ByNameEntry.objects.select_related("participant").prefetch_related(
        "participant__living_situations"
    )
    changed = []
    for entry in entries:
        _refresh_chronic(entry, on)
        changed.append(entry)
    ByNameEntry.objects.bulk_update(changed, _CHRONIC_FIELDS, batch_size=500)
    return len(changed)


# --- Living situations (A4: chronic homelessness comes from this history) ----------------------------


@transaction.atomic
def living_situation_record(
    *,
    actor,
    participant: Participant,
    kind: str,
    starts_on: datetime.date,
    ends_on: datetime.date | None = None,
) -> LivingSituationPeriod:
    errors: dict[str, list[str]] = {}
    if kind not in LivingSituationPeriod.Kind.values:
        errors["kind"] = [_("Choose a living situation.")]
    today = timezone.localdate()
    if starts_on > today:
        errors["starts_on"] = [_("A living situation cannot start in the future.")]
    if ends_on is not None and ends_on < starts_on:
        errors["ends_on"] = [_("The end date comes before the start date.")]
    if errors:
        raise ValidationError(errors)
    period = LivingSituationPeriod.objects.create(
        participant=participant, kind=kind, starts_on=starts_on, ends_on=ends_on, recorded_by=actor
    )
    entry = ByNameEntry.objects.filter(participant=participant).select_related("participant").first()
    if entry is not None:
        _refresh_chronic(entry, today)
        entry.save(update_fields=[*_CHRONIC_FIELDS, "updated_at"])
    audit.record(
        actor=actor,
        action="access.living_situation.recorded",
        obj=period,
        participant=participant,
        data={
            "kind": kind,
            "starts_on": starts_on.isoformat(),
            "ends_on": ends_on.isoformat() if ends_on else None,
        },
    )
    return period
