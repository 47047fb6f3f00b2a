"""Writes for coordinated access. Each service validates, saves and writes its audit entry in one transaction."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext as _
from django_tasks import task

from ancrage.access.chronic import ChronicVerdict, is_chronically_homeless
from ancrage.access.models import (
    MATCH_IN_PROGRESS,
    ByNameEntry,
    ByNameStatus,
    ByNameStatusChange,
    HouseholdType,
    IncomeSource,
    Intake,
    LivingSituationPeriod,
    Match,
    MatchStatus,
    MatchStep,
    Opening,
    PersonFlag,
    PriorityPolicy,
    Referral,
)
from ancrage.accounts.models import User
from ancrage.core import audit, clock
from ancrage.core.permissions import Category
from ancrage.organisations.models import Organisation
from ancrage.people.models import Consent, Participant

if TYPE_CHECKING:
    # Imported where used: assessments and housing import this module.
    from ancrage.assessments.models import Administration
    from ancrage.housing.models import Unit
    from ancrage.organisations.models import Program

# --- Referrals and intake (A1) -----------------------------------------------------------------------


@transaction.atomic
def referral_create(
    *,
    actor: User,
    person_name: str,
    source_kind: str,
    reason: str,
    source_name: str = "",
    person_description: str = "",
    participant: Participant | None = None,
    organisation: Organisation | None = None,
    referred_at: datetime.datetime | None = None,
    program: Program | None = None,
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
    referred_at = referred_at or clock.now()
    if referred_at > clock.now():
        errors["referred_at"] = [_("A referral cannot be dated in the future.")]
    if program is not None and (not program.is_active or program.kind not in program.HOUSING_FIRST_KINDS):
        errors["program"] = [_("Choose an active Housing First program (ICM or ACT).")]
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
        program=program,
    )
    audit.record(
        actor=actor,
        action="access.referral.created",
        obj=referral,
        participant=participant,
        organisation=organisation,
        data={"source_kind": source_kind, "program": program.pk if program is not None else None},
    )
    return referral


@transaction.atomic
def referral_withdraw(*, actor: User, referral: Referral, reason: str) -> Referral:
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


def coordinated_access_consent(
    actor: User, participant: Participant, on: datetime.date | None = None
) -> Consent | None:
    """The newest in-force consent covering coordinated access that lets `actor` act, or None.

    It must be shared with one of the actor's organisations, unless the actor works in the participant's
    home organisation, where any such consent recorded for the participant counts.
    """
    on = on or clock.today()
    consents = Consent.objects.in_force(on).filter(
        participant=participant, category_rows__category=Category.COORDINATED_ACCESS
    )
    if participant.organisation_id not in actor.organisation_ids:
        consents = consents.filter(organisations__in=actor.organisation_ids)
    return consents.order_by("-starts_on", "-id").first()


@transaction.atomic
def intake_start(
    *, actor: User, referral: Referral, participant: Participant, consent: Consent | None = None
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
def intake_complete(
    *,
    actor: User,
    intake: Intake,
    reference_worker: User | None = None,
    entered_on: datetime.date | None = None,
) -> Intake:
    """Close the intake; with a reference worker, the person is also put on the by-name list (A1, A4):
    added if new, made active again if they had left it, or given that worker if already active."""
    intake = Intake.objects.select_for_update().select_related("referral", "participant").get(pk=intake.pk)
    if intake.done_at is not None:
        raise ValidationError(_("This intake is already complete."))
    if reference_worker is not None:
        _intake_to_list(actor, intake.participant, reference_worker, entered_on)
    intake.done_at = clock.now()
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


def _intake_to_list(actor, participant: Participant, worker, entered_on: datetime.date | None) -> None:
    entry = ByNameEntry.objects.filter(participant=participant).first()
    if entry is None:
        by_name_entry_add(
            actor=actor, participant=participant, reference_worker=worker, entered_on=entered_on
        )
    elif entry.status != ByNameStatus.ACTIVE:
        by_name_status_change(
            actor=actor,
            entry=entry,
            status=ByNameStatus.ACTIVE,
            reason=_("Back on the list through a new intake"),
            on=entered_on or clock.today(),
            reference_worker=worker,
        )
    elif entry.reference_worker_id != worker.pk:
        before = entry.reference_worker_id
        ByNameEntry.objects.filter(pk=entry.pk).update(reference_worker=worker, updated_at=clock.now())
        audit.record(
            actor=actor,
            action="access.by_name.status_changed",
            obj=entry,
            participant=participant,
            data={"changes": {"reference_worker": [before, worker.pk]}, "reason": _("New intake")},
        )


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
    if on > clock.today():
        raise ValidationError({field: [_("This date cannot be in the future.")]})


@transaction.atomic
def by_name_entry_add(
    *, actor: User, participant: Participant, reference_worker: User, entered_on: datetime.date | None = None
) -> ByNameEntry:
    entered_on = entered_on or clock.today()
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
    _refresh_chronic(entry, clock.today())
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
    # A triage given before the person was on the list still places them (A3).
    latest = latest_triage(participant)
    if latest is not None:
        by_name_acuity_record(administration=latest)
    else:
        schedule_ranks_recompute()
    entry.refresh_from_db()
    return entry


def latest_triage(participant: Participant) -> Administration | None:
    from ancrage.assessments.models import Administration

    completed = Administration.objects.filter(
        participant=participant, status=Administration.Status.COMPLETED, completed_at__isnull=False
    ).select_related("version")
    for administration in completed.order_by("-completed_at", "-pk")[:20]:
        if administration.version.definition.get("category") == "coordinated_access":
            return administration
    return None


@transaction.atomic
def by_name_status_change(
    *,
    actor: User,
    entry: ByNameEntry,
    status: str,
    reason: str,
    on: datetime.date | None = None,
    reference_worker: User | None = None,
) -> ByNameStatusChange:
    entry = ByNameEntry.objects.select_for_update().select_related("participant").get(pk=entry.pk)
    on = on or clock.today()
    errors: dict[str, list[str]] = {}
    if status not in ByNameStatus.values:
        errors["status"] = [_("Unknown status.")]
    elif status == entry.status:
        errors["status"] = [_("The person already has this status.")]
    if not reason.strip():
        errors["reason"] = [_("Say why the status changes.")]
    if on > clock.today():
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
    if status != ByNameStatus.ACTIVE:
        # Someone who leaves the list no longer holds an opening: their match in progress is withdrawn.
        for match in Match.objects.filter(entry=entry, status__in=MATCH_IN_PROGRESS):
            match_step(
                actor=actor,
                match=match,
                to_status=MatchStatus.WITHDRAWN,
                expected_status=match.status,
                reason=_("The person left the by-name list: %(status)s.")
                % {"status": ByNameStatus(status).label},
            )
    schedule_ranks_recompute()
    return change


@transaction.atomic
def by_name_contact_record(
    *, actor: User, entry: ByNameEntry, on: datetime.date | None = None
) -> ByNameEntry:
    on = on or clock.today()
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
def by_name_mark_inactive_without_contact(
    *, on: datetime.date | None = None, actor: User | None = None
) -> int:
    """Active entries with no contact for INACTIVE_AFTER_DAYS become inactive on `on`; returns how many."""
    on = on or clock.today()
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
        for match in Match.objects.filter(entry=entry, status__in=MATCH_IN_PROGRESS):
            match_step(
                actor=actor,
                match=match,
                to_status=MatchStatus.WITHDRAWN,
                expected_status=match.status,
                reason=_("The person left the by-name list: %(status)s.")
                % {"status": ByNameStatus(ByNameStatus.INACTIVE).label},
            )
        count += 1
    if count:
        schedule_ranks_recompute()
    return count


@transaction.atomic
def by_name_chronic_refresh(*, on: datetime.date | None = None) -> int:
    """Recompute the cached chronic figures of every entry (time passing changes them); returns how many."""
    on = on or clock.today()
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
    actor: User,
    participant: Participant,
    kind: str,
    starts_on: datetime.date,
    ends_on: datetime.date | None = None,
) -> LivingSituationPeriod:
    errors: dict[str, list[str]] = {}
    if kind not in LivingSituationPeriod.Kind.values:
        errors["kind"] = [_("Choose a living situation.")]
    today = clock.today()
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
        schedule_ranks_recompute()
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


# --- What matching reads of a person (A2, A6) and their triage (A3) ----------------------------------

PROFILE_FIELDS = (
    "household_type",
    "income_sources",
    "accessibility_needs",
    "flags",
    "preferred_neighbourhoods",
    "preferred_unit_kinds",
)


@transaction.atomic
def by_name_profile_update(*, actor: User, entry: ByNameEntry, **values) -> ByNameEntry:
    """Household, income, accessibility needs, flags and housing preferences; the rank follows."""
    from ancrage.housing.models import AccessibilityFeature, UnitKind

    entry = ByNameEntry.objects.select_for_update().select_related("participant").get(pk=entry.pk)
    allowed = {
        "household_type": HouseholdType.values,
        "income_sources": IncomeSource.values,
        "accessibility_needs": AccessibilityFeature.values,
        "flags": PersonFlag.values,
        "preferred_unit_kinds": UnitKind.values,
    }
    errors: dict[str, list[str]] = {}
    for name, value in values.items():
        if name not in PROFILE_FIELDS:
            raise TypeError(f"Unknown field {name}")
        if name == "household_type":
            if value not in allowed[name]:
                errors[name] = [_("Choose the household.")]
            continue
        if not isinstance(value, list | tuple):
            errors[name] = [_("Expected a list.")]
            continue
        if name == "preferred_neighbourhoods":
            values[name] = sorted({str(v).strip() for v in value if str(v).strip()})
            continue
        unknown = [v for v in value if v not in allowed[name]]
        if unknown:
            errors[name] = [_("Unknown value: %(values)s.") % {"values": ", ".join(map(str, unknown))}]
        values[name] = sorted(set(value))
    if errors:
        raise ValidationError(errors)
    before = audit.snapshot(entry, list(values))
    for name, value in values.items():
        setattr(entry, name, value)
    entry.save(update_fields=[*values, "updated_at"])
    audit.record(
        actor=actor,
        action="access.by_name.profile_changed",
        obj=entry,
        participant=entry.participant,
        data={"changes": audit.changes(before, audit.snapshot(entry, list(values)))},
    )
    schedule_ranks_recompute()
    return entry


def by_name_acuity_record(*, administration: Administration) -> ByNameEntry | None:
    """Keep the latest completed triage on the person's entry (called inside the assessment's transaction)."""
    entry = (
        ByNameEntry.objects.select_for_update().filter(participant_id=administration.participant_id).first()
    )
    if entry is None or administration.completed_at is None:
        return None
    completed_on = clock.localdate(administration.completed_at)
    if entry.acuity_on is not None and entry.acuity_on > completed_on:
        return entry
    entry.acuity_score = administration.score.get("total")
    entry.acuity_max = administration.score.get("max_total")
    entry.acuity_band = administration.score.get("band") or ""
    entry.acuity_on = completed_on
    entry.acuity_administration = administration
    entry.save(
        update_fields=[
            "acuity_score",
            "acuity_max",
            "acuity_band",
            "acuity_on",
            "acuity_administration",
            "updated_at",
        ]
    )
    schedule_ranks_recompute()
    return entry


# --- Prioritisation (A5) -----------------------------------------------------------------------------


class _RanksRecompute:
    """One queued recomputation; `done` once it has run, so a later change queues another."""

    done = False

    def __call__(self) -> None:
        self.done = True
        recompute_ranks.enqueue()


def schedule_ranks_recompute() -> None:
    """Recompute every rank once the current transaction commits (a background task: ranks are global).

    Many changes in one transaction (an import, the demo) queue one recomputation, not one each; a
    transaction rolled back queues none.
    """
    connection = transaction.get_connection()
    pending = getattr(connection, "_ancrage_ranks_pending", None)
    if (
        pending is not None
        and not pending.done
        and any(item[1] is pending for item in connection.run_on_commit)
    ):
        return
    callback = _RanksRecompute()
    connection._ancrage_ranks_pending = callback  # type: ignore[attr-defined]
    transaction.on_commit(callback)


def _policy_errors(text: str) -> dict[str, Any]:
    from ancrage.access.priority import PolicyError, validate_policy

    try:
        return validate_policy(text)
    except PolicyError as error:
        raise ValidationError({"definition_text": [str(p) for p in error.problems]}) from None


@transaction.atomic
def policy_draft_create(*, actor: User, text: str) -> PriorityPolicy:
    definition = _policy_errors(text)
    _ranks_lock()
    last = PriorityPolicy.objects.select_for_update().order_by("-version").first()
    policy = PriorityPolicy.objects.create(
        version=(last.version + 1) if last else 1,
        title=definition["title"],
        definition_text=text,
        definition=definition,
        created_by=actor,
    )
    audit.record(actor=actor, action="access.policy.drafted", obj=policy, data={"version": policy.version})
    return policy


@transaction.atomic
def policy_draft_update(*, actor: User, policy: PriorityPolicy, text: str) -> PriorityPolicy:
    policy = PriorityPolicy.objects.select_for_update().get(pk=policy.pk)
    if policy.status != PriorityPolicy.Status.DRAFT:
        raise ValidationError(_("Only a draft can change: an active or retired policy stays as it was used."))
    definition = _policy_errors(text)
    policy.definition_text = text
    policy.definition = definition
    policy.title = definition["title"]
    policy.save(update_fields=["definition_text", "definition", "title"])
    audit.record(
        actor=actor, action="access.policy.draft_changed", obj=policy, data={"version": policy.version}
    )
    return policy


@transaction.atomic
def policy_activate(*, actor: User, policy: PriorityPolicy, reason: str) -> PriorityPolicy:
    """The draft becomes the policy in force, the previous one retires, and every rank is recomputed."""
    _ranks_lock()
    policy = PriorityPolicy.objects.select_for_update().get(pk=policy.pk)
    if policy.status != PriorityPolicy.Status.DRAFT:
        raise ValidationError(_("Only a draft can be activated."))
    if not reason.strip():
        raise ValidationError({"reason": [_("Say why this policy replaces the one in force.")]})
    now = clock.now()
    previous = PriorityPolicy.objects.select_for_update().filter(status=PriorityPolicy.Status.ACTIVE).first()
    if previous is not None:
        previous.status = PriorityPolicy.Status.RETIRED
        previous.retired_at = now
        previous.save(update_fields=["status", "retired_at"])
    policy.status = PriorityPolicy.Status.ACTIVE
    policy.activated_at = now
    policy.activated_by = actor
    policy.activation_reason = reason.strip()
    policy.save(update_fields=["status", "activated_at", "activated_by", "activation_reason"])
    audit.record(
        actor=actor,
        action="access.policy.activated",
        obj=policy,
        data={
            "version": policy.version,
            "replaces": previous.version if previous else None,
            "reason": reason.strip(),
        },
    )
    ranks_recompute()
    return policy


def active_policy() -> PriorityPolicy | None:
    return PriorityPolicy.objects.filter(status=PriorityPolicy.Status.ACTIVE).first()


def _active_facts(on: datetime.date):
    from ancrage.access.eligibility import FACT_FIELDS, facts_from_row

    rows = (
        _with_history(
            ByNameEntry.objects.filter(status=ByNameStatus.ACTIVE, participant__merged_into__isnull=True)
        )
        .values(*FACT_FIELDS, "has_history")
        .order_by("pk")
    )
    return [facts_from_row(row, on) for row in rows.iterator(chunk_size=5000)]


def _with_history(entries):
    """Whether a living situation is recorded: without one, chronic homelessness is unknown, not false."""
    return entries.annotate(
        has_history=models.Exists(
            LivingSituationPeriod.objects.filter(participant_id=models.OuterRef("participant_id"))
        )
    )


def ranks_recompute(*, on: datetime.date | None = None) -> int:
    """Score and rank every active person under the active policy; clear ranks of everyone else.

    Ranks are global over the list (not per organisation) so that a rank means the same to everyone.
    Returns how many people were ranked.
    """
    from ancrage.access.priority import rank

    on = on or clock.today()
    with transaction.atomic():
        _ranks_lock()
        policy = active_policy()
        ByNameEntry.objects.exclude(status=ByNameStatus.ACTIVE).exclude(priority_rank__isnull=True).update(
            priority_rank=None, priority_score=None, priority_explanation=[], priority_policy=None
        )
        if policy is None:
            ByNameEntry.objects.exclude(priority_rank__isnull=True).update(
                priority_rank=None, priority_score=None, priority_explanation=[], priority_policy=None
            )
            return 0
        ranked = rank(policy.definition, _active_facts(on), on)
        _write_ranks(policy, ranked)
    return len(ranked)


# Declared here rather than in tasks.py because a change queues it (schedule_ranks_recompute): tasks.py
# calls services, so services calling into tasks.py would make the two import each other.
@task()
def recompute_ranks() -> int:
    return ranks_recompute()


# Ranks and policies change one writer at a time (a task and an activation may run together).
_RANKS_LOCK_KEY = 73_411_903


def _ranks_lock() -> None:
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_RANKS_LOCK_KEY])


def _write_ranks(policy: PriorityPolicy, ranked) -> None:
    import json

    from django.db import connection

    now = clock.now()
    if connection.vendor == "postgresql":
        # COPY into a temporary table, then one UPDATE of the rows whose rank or explanation changed:
        # bulk_update's CASE per row, or VALUES lists, are several times slower at 100,000 people.
        with connection.cursor() as cursor:
            cursor.execute(
                "CREATE TEMPORARY TABLE ancrage_ranks (id bigint PRIMARY KEY, score double precision, "
                "rank integer, explanation jsonb) ON COMMIT DROP"
            )
            raw = cursor.cursor
            with raw.copy("COPY ancrage_ranks (id, score, rank, explanation) FROM STDIN") as copy:
                for position, item in enumerate(ranked, start=1):
                    copy.write_row((item.facts.entry_id, item.score, position, json.dumps(item.explanation)))
            cursor.execute(
                "UPDATE access_bynameentry AS e SET priority_score = v.score, priority_rank = v.rank, "
                "priority_explanation = v.explanation, priority_policy_id = %s, priority_computed_at = %s "
                "FROM ancrage_ranks AS v WHERE e.id = v.id AND (e.priority_rank IS DISTINCT FROM v.rank "
                "OR e.priority_score IS DISTINCT FROM v.score OR e.priority_policy_id IS DISTINCT FROM %s "
                "OR e.priority_explanation IS DISTINCT FROM v.explanation)",
                [policy.pk, now, policy.pk],
            )
            cursor.execute("DROP TABLE ancrage_ranks")
        return
    objs = []
    for position, item in enumerate(ranked, start=1):
        objs.append(
            ByNameEntry(
                pk=item.facts.entry_id,
                priority_score=item.score,
                priority_rank=position,
                priority_explanation=item.explanation,
                priority_policy=policy,
                priority_computed_at=now,
            )
        )
    ByNameEntry.objects.bulk_update(
        objs,
        [
            "priority_score",
            "priority_rank",
            "priority_explanation",
            "priority_policy",
            "priority_computed_at",
        ],
        batch_size=500,
    )


@dataclass(frozen=True)
class Movement:
    entry_id: int
    old_rank: int | None
    new_rank: int
    old_score: float | None
    new_score: float
    old_explanation: list
    new_explanation: list

    @property
    def change(self) -> int:
        """Places gained (positive) or lost (negative); 0 for someone not ranked before."""
        return 0 if self.old_rank is None else self.old_rank - self.new_rank


def policy_preview(policy: PriorityPolicy, *, on: datetime.date | None = None) -> list[Movement]:
    """Today's list ranked by `policy` next to the ranks in force: who moves up or down, and why (reads only)."""
    from ancrage.access.priority import rank

    on = on or clock.today()
    current: dict[int, dict[str, Any]] = {
        row["pk"]: dict(row)
        for row in ByNameEntry.objects.filter(status=ByNameStatus.ACTIVE).values(
            "pk", "priority_rank", "priority_score", "priority_explanation"
        )
    }
    ranked = rank(policy.definition, _active_facts(on), on)
    movements = []
    for position, item in enumerate(ranked, start=1):
        before: dict[str, Any] = current.get(item.facts.entry_id, {})
        movements.append(
            Movement(
                entry_id=item.facts.entry_id,
                old_rank=before.get("priority_rank"),
                new_rank=position,
                old_score=before.get("priority_score"),
                new_score=item.score,
                old_explanation=before.get("priority_explanation") or [],
                new_explanation=item.explanation,
            )
        )
    return movements


# --- Openings and matching (A6) ----------------------------------------------------------------------


@transaction.atomic
def openings_create(
    *,
    actor: User,
    program: Program | None = None,
    unit: Unit | None = None,
    count: int = 1,
    note: str = "",
    opened_on: datetime.date | None = None,
) -> list[Opening]:
    """Open `count` slots in a program, or one opening for a unit (with its program, if given)."""
    errors: dict[str, list[str]] = {}
    if program is None and unit is None:
        errors["program"] = [_("Choose a program, a housing unit, or both.")]
    if program is not None and (not program.is_active or program.kind not in program.HOUSING_FIRST_KINDS):
        errors["program"] = [_("Openings are for active Housing First programs (ICM or ACT).")]
    if unit is not None:
        if count != 1:
            errors["count"] = [_("A housing unit is one opening.")]
        from ancrage.housing.models import Unit

        unit = Unit.objects.select_for_update().get(pk=unit.pk)
        if unit.status != Unit.Status.AVAILABLE:
            errors["unit"] = [_("This unit is not available: it is reserved, occupied or off the market.")]
        elif Opening.objects.filter(
            unit=unit, status__in=[Opening.Status.OPEN, Opening.Status.MATCHING]
        ).exists():
            errors["unit"] = [_("This unit already has an opening.")]
    if not 1 <= count <= 50:
        errors["count"] = [_("Open from 1 to 50 slots at a time.")]
    opened_on = opened_on or clock.today()
    if opened_on > clock.today():
        errors["opened_on"] = [_("This date cannot be in the future.")]
    if errors:
        raise ValidationError(errors)
    openings = [
        Opening.objects.create(
            program=program, unit=unit, opened_on=opened_on, opened_by=actor, note=note.strip()
        )
        for _i in range(count)
    ]
    for opening in openings:
        audit.record(
            actor=actor,
            action="access.opening.created",
            obj=opening,
            organisation=program.organisation if program is not None else None,
            data={"program": program.pk if program else None, "unit": unit.pk if unit else None},
        )
    return openings


@transaction.atomic
def opening_cancel(*, actor: User, opening: Opening, reason: str) -> Opening:
    opening = Opening.objects.select_for_update().get(pk=opening.pk)
    if opening.status != Opening.Status.OPEN:
        raise ValidationError(_("Only an open opening with no match in progress can be cancelled."))
    if not reason.strip():
        raise ValidationError({"reason": [_("Say why the opening is cancelled.")]})
    opening.status = Opening.Status.CANCELLED
    opening.closed_at = clock.now()
    opening.save(update_fields=["status", "closed_at", "updated_at"])
    audit.record(actor=actor, action="access.opening.cancelled", obj=opening, data={"reason": reason.strip()})
    return opening


def _excluded_for(openings) -> dict[int, set[int]]:
    """People not to propose for these openings, while they stay on the list as they are now:

    - who declined, or was declined for, the same unit, or a slot of the same program (an opening of the
      same unit or program is the same offer again);
    - who was transferred to a Housing First program: they have their program, so its slots and other
      programs' are not for them; a unit still is. A person whose placement failed comes back onto the
      list with a new status date, and all of this no longer counts against them.
    """
    openings = list(openings)
    declined = Match.objects.filter(
        status__in=[MatchStatus.PERSON_DECLINED, MatchStatus.PROVIDER_DECLINED],
        last_step_at__date__gte=F("entry__status_since"),
        entry__status=ByNameStatus.ACTIVE,
    )
    by_unit: dict[int, set[int]] = {}
    by_program: dict[int, set[int]] = {}
    unit_ids = {o.unit_id for o in openings if o.unit_id}
    program_ids = {o.program_id for o in openings if o.program_id and not o.unit_id}
    for unit_id, entry_id in declined.filter(opening__unit_id__in=unit_ids).values_list(
        "opening__unit_id", "entry_id"
    ):
        by_unit.setdefault(unit_id, set()).add(entry_id)
    for program_id, entry_id in declined.filter(
        opening__program_id__in=program_ids, opening__unit__isnull=True
    ).values_list("opening__program_id", "entry_id"):
        by_program.setdefault(program_id, set()).add(entry_id)
    in_a_program = set(
        Match.objects.filter(
            status=MatchStatus.TRANSFERRED,
            opening__unit__isnull=True,
            transferred_at__date__gte=F("entry__status_since"),
            entry__status=ByNameStatus.ACTIVE,
        ).values_list("entry_id", flat=True)
    )
    excluded: dict[int, set[int]] = {}
    for opening in openings:
        if opening.unit_id:
            excluded[opening.pk] = set(by_unit.get(opening.unit_id, ()))
        else:
            excluded[opening.pk] = by_program.get(opening.program_id, set()) | in_a_program
    return excluded


def candidates(on: datetime.date):
    """Active people with no match in progress, in rank order (unranked people last, by entry)."""
    from ancrage.access.eligibility import FACT_FIELDS, facts_from_row

    busy = Match.objects.filter(status__in=MATCH_IN_PROGRESS).values("entry_id")
    rows = (
        _with_history(
            ByNameEntry.objects.filter(status=ByNameStatus.ACTIVE, participant__merged_into__isnull=True)
        )
        .exclude(pk__in=busy)
        .order_by(F("priority_rank").asc(nulls_last=True), "entered_on", "pk")
        .values(*FACT_FIELDS, "has_history")
    )
    for row in rows.iterator(chunk_size=2000):
        yield facts_from_row(row, on)


def open_openings():
    return list(
        Opening.objects.filter(status=Opening.Status.OPEN)
        .select_related("program", "program__organisation", "unit")
        .order_by("opened_on", "pk")
    )


def matching_plan(openings: list[Opening] | None = None, *, on: datetime.date | None = None):
    """What a run would propose now, with reasons; writes nothing."""
    from ancrage.access.eligibility import check_opening
    from ancrage.access.matching import plan_matches

    on = on or clock.today()
    openings = open_openings() if openings is None else list(openings)
    plan = plan_matches(
        openings, candidates(on), check_opening, excluded=_excluded_for(openings), signature=opening_signature
    )
    return openings, plan


def opening_signature(opening: Opening):
    """Openings with equal signatures ask the same of a person (same program rules, same kind of unit)."""
    import json

    program = json.dumps(opening.program.eligibility, sort_keys=True) if opening.program is not None else None
    unit = opening.unit
    if unit is None:
        return (program,)
    return (
        program,
        json.dumps(unit.requirements, sort_keys=True),
        tuple(sorted(unit.features or [])),
        unit.neighbourhood.casefold(),
        unit.kind,
    )


@transaction.atomic
def matching_run(
    *, actor: User, openings: list[Opening] | None = None, on: datetime.date | None = None
) -> list[Match]:
    """Propose the best people for the open openings (A6) and record each proposal with its reasons."""
    on = on or clock.today()
    ids = [o.pk for o in openings] if openings is not None else None
    locked = Opening.objects.select_for_update().filter(status=Opening.Status.OPEN)
    if ids is not None:
        locked = locked.filter(pk__in=ids)
    list(locked.values_list("pk", flat=True))  # lock them before reading
    openings_now = [o for o in open_openings() if ids is None or o.pk in ids]
    openings_now, plan = matching_plan(openings_now, on=on)
    by_id = {o.pk: o for o in openings_now}
    policy = active_policy()
    entries = ByNameEntry.objects.in_bulk([f.entry_id for f in plan.proposals.values()])
    created = []
    for opening_id, facts in plan.proposals.items():
        entry = entries[facts.entry_id]
        reasons = [c.as_data() for c in plan.checks.get(opening_id, [])]
        passed = [{"entry": f.entry_id, **why} for f, why in plan.passed_over.get(opening_id, [])]
        created.append(
            _match_create(
                actor=actor,
                opening=by_id[opening_id],
                entry=entry,
                policy=policy,
                reasons=[
                    {"kind": "rank", "rank": entry.priority_rank, "score": entry.priority_score},
                    *reasons,
                ],
                passed_over=passed,
            )
        )
    return created


def _match_create(
    *, actor, opening: Opening, entry: ByNameEntry, policy, reasons: list, passed_over: list
) -> Match:
    now = clock.now()
    match = Match(
        opening=opening,
        entry=entry,
        participant_id=entry.participant_id,
        proposed_by=actor,
        proposed_at=now,
        last_step_at=now,
        policy=policy,
        rank_at_proposal=entry.priority_rank,
        score_at_proposal=entry.priority_score,
        reasons=[*reasons, {"kind": "passed_over", "people": passed_over}] if passed_over else reasons,
    )
    try:
        with transaction.atomic():
            match.save()
    except IntegrityError:
        raise ValidationError(
            _("This opening or this person already has a match in progress: reload the page to see it.")
        ) from None
    MatchStep.objects.create(match=match, from_status="", to_status=MatchStatus.PROPOSED, at=now, by=actor)
    opening.status = Opening.Status.MATCHING
    opening.save(update_fields=["status", "updated_at"])
    if opening.unit_id is not None:
        from ancrage.housing.models import Unit

        Unit.objects.filter(pk=opening.unit_id).update(status=Unit.Status.RESERVED)
    audit.record(
        actor=actor,
        action="access.match.proposed",
        obj=match,
        participant=entry.participant,
        data={"opening": opening.pk, "rank": entry.priority_rank},
    )
    return match


@transaction.atomic
def match_propose(
    *, actor: User, opening: Opening, entry: ByNameEntry, on: datetime.date | None = None
) -> Match:
    """Propose one person by hand; they must be active, free and eligible, and the opening open."""
    from ancrage.access.eligibility import check_opening, facts_for_entry, is_eligible

    on = on or clock.today()
    opening = (
        Opening.objects.select_for_update(of=("self",)).select_related("program", "unit").get(pk=opening.pk)
    )
    entry = ByNameEntry.objects.select_for_update().select_related("participant").get(pk=entry.pk)
    if opening.status != Opening.Status.OPEN:
        raise ValidationError(_("This opening is already taken or closed: reload the page to see its match."))
    if entry.status != ByNameStatus.ACTIVE:
        raise ValidationError(_("Only a person active on the by-name list can be proposed."))
    checks = check_opening(opening, facts_for_entry(entry, on))
    if not is_eligible(checks):
        failed = " ".join(c.sentence for c in checks if not c.passed)
        raise ValidationError(_("This person is not eligible for this opening. %(why)s") % {"why": failed})
    return _match_create(
        actor=actor,
        opening=opening,
        entry=entry,
        policy=active_policy(),
        reasons=[
            {"kind": "rank", "rank": entry.priority_rank, "score": entry.priority_score},
            {"kind": "by_hand"},
            *[c.as_data() for c in checks],
        ],
        passed_over=[],
    )


# Each status, the steps that may follow it.
MATCH_NEXT: dict[str, tuple[str, ...]] = {
    MatchStatus.PROPOSED: (MatchStatus.CONTACTED, MatchStatus.PERSON_DECLINED, MatchStatus.WITHDRAWN),
    MatchStatus.CONTACTED: (MatchStatus.PERSON_ACCEPTED, MatchStatus.PERSON_DECLINED, MatchStatus.WITHDRAWN),
    MatchStatus.PERSON_ACCEPTED: (
        MatchStatus.PROVIDER_ACCEPTED,
        MatchStatus.PROVIDER_DECLINED,
        MatchStatus.WITHDRAWN,
    ),
    MatchStatus.PROVIDER_ACCEPTED: (MatchStatus.TRANSFERRED, MatchStatus.WITHDRAWN),
}
NEEDS_REASON = {MatchStatus.PERSON_DECLINED, MatchStatus.PROVIDER_DECLINED, MatchStatus.WITHDRAWN}
# What the receiving program gets with an assisted transfer (A1), each only within consent.
TRANSFER_CATEGORIES = (Category.IDENTITY, Category.COORDINATED_ACCESS)


def transfer_consent_gaps(match: Match) -> list[str]:
    """Kinds of triage information the receiving organisation may not receive under the consents in force."""
    from ancrage.people.selectors import categories_for_organisation

    opening = match.opening
    # The program's organisation and the organisation holding the unit both receive the triage data.
    receiving = [holder.organisation for holder in (opening.program, opening.unit) if holder is not None]
    gaps: list[str] = []
    for organisation in receiving:
        allowed = categories_for_organisation(match.participant, organisation)
        gaps += [c for c in TRANSFER_CATEGORIES if c not in allowed and c not in gaps]
    return gaps


@transaction.atomic
def match_step(
    *, actor: User | None, match: Match, to_status: str, expected_status: str, reason: str = ""
) -> Match:
    """Move a match one step on. `expected_status` is the status the user saw: if someone else moved the
    match meanwhile, nothing changes and the user is told (two workers accepting at once)."""
    match = (
        Match.objects.select_for_update(of=("self",))
        .select_related(
            "opening", "opening__program__organisation", "opening__unit__organisation", "entry", "participant"
        )
        .get(pk=match.pk)
    )
    if match.status != expected_status:
        raise ValidationError(
            _("Someone else updated this match meanwhile: it is now “%(status)s”. Nothing was changed.")
            % {"status": match.get_status_display()}
        )
    if to_status not in MATCH_NEXT.get(match.status, ()):
        raise ValidationError(
            _("A match that is “%(status)s” cannot go to “%(next)s”.")
            % {
                "status": match.get_status_display(),
                "next": MatchStatus(to_status).label if to_status in MatchStatus.values else to_status,
            }
        )
    reason = reason.strip()
    if to_status in NEEDS_REASON and not reason:
        raise ValidationError({"reason": [_("Give the reason: it is kept with the match.")]})
    shared: list[str] = []
    if to_status == MatchStatus.TRANSFERRED:
        gaps = transfer_consent_gaps(match)
        if gaps:
            names = ", ".join(str(Category(c).label) for c in gaps)
            raise ValidationError(
                _(
                    "The participant's consent does not let the receiving organisation see: %(what)s. "
                    "Record that consent before the assisted transfer."
                )
                % {"what": names}
            )
        shared = list(TRANSFER_CATEGORIES)
    now = clock.now()
    before = match.status
    MatchStep.objects.create(
        match=match, from_status=before, to_status=to_status, at=now, by=actor, reason=reason
    )
    match.status = to_status
    match.last_step_at = now
    match.stalled_alert_at = None
    fields = ["status", "last_step_at", "stalled_alert_at", "updated_at"]
    if to_status in NEEDS_REASON:
        match.decline_reason = reason
        fields.append("decline_reason")
    if to_status == MatchStatus.TRANSFERRED:
        match.transferred_at = now
        match.shared_categories = shared
        fields += ["transferred_at", "shared_categories"]
    match.save(update_fields=fields)
    _after_step(actor, match, to_status, reason)
    audit.record(
        actor=actor,
        action="access.match.step",
        obj=match,
        participant=match.participant,
        data={"changes": {"status": [before, to_status]}, "reason": reason, "shared": shared},
    )
    from ancrage.core.alerts import resolve

    resolve(kind="access.match.stalled", obj=match)
    return match


def _after_step(actor, match: Match, to_status: str, reason: str) -> None:
    from ancrage.housing.models import Unit

    opening = match.opening
    if to_status in NEEDS_REASON:
        # The opening is free again; the person keeps their place on the list (their priority is intact).
        opening.status = Opening.Status.OPEN
        opening.save(update_fields=["status", "updated_at"])
        if opening.unit_id:
            Unit.objects.filter(pk=opening.unit_id).update(status=Unit.Status.AVAILABLE)
        if to_status != MatchStatus.WITHDRAWN:
            _flag_if_stuck(actor, match.entry)
    elif to_status == MatchStatus.TRANSFERRED:
        opening.status = Opening.Status.FILLED
        opening.closed_at = clock.now()
        opening.save(update_fields=["status", "closed_at", "updated_at"])
        if opening.unit_id:
            Unit.objects.filter(pk=opening.unit_id).update(status=Unit.Status.OCCUPIED)
            entry = match.entry
            if entry.status == ByNameStatus.ACTIVE:
                by_name_status_change(
                    actor=actor,
                    entry=entry,
                    status=ByNameStatus.HOUSED,
                    reason=_("Housed through a match: %(unit)s") % {"unit": opening.unit},
                    on=clock.today(),
                )
        if match.entry.needs_conference:
            ByNameEntry.objects.filter(pk=match.entry_id).update(
                needs_conference=False, needs_conference_reason="", needs_conference_since=None
            )
            audit.record(
                actor=actor,
                action="access.by_name.conference_cleared",
                obj=match.entry,
                participant=match.participant,
                data={"match": match.pk},
            )


def _flag_if_stuck(actor, entry: ByNameEntry) -> None:
    declines = Match.objects.filter(
        entry=entry, status__in=[MatchStatus.PERSON_DECLINED, MatchStatus.PROVIDER_DECLINED]
    ).count()
    limit = settings.ANCRAGE["MATCH_DECLINES_BEFORE_CONFERENCE"]
    if declines >= limit and not entry.needs_conference:
        _conference_flag(actor, [entry.pk], f"declines:{declines}", clock.today())


def _conference_flag(actor, entry_ids: list[int], reason: str, on: datetime.date) -> None:
    """Flag people for case conferencing (A6: a meeting is only for people who are stuck), each audited."""
    ByNameEntry.objects.filter(pk__in=entry_ids).update(
        needs_conference=True, needs_conference_reason=reason, needs_conference_since=on
    )
    for entry_id, participant_id in ByNameEntry.objects.filter(pk__in=entry_ids).values_list(
        "pk", "participant_id"
    ):
        audit.record(
            actor=actor,
            action="access.by_name.conference_flagged",
            obj=ByNameEntry(pk=entry_id),
            participant=Participant(pk=participant_id),
            data={"reason": reason, "on": on.isoformat()},
        )


def matches_alert_stalled(*, now: datetime.datetime | None = None) -> int:
    """Alert the proposer and the reference worker of each match with no step for MATCH_STALL_DAYS."""
    from ancrage.core.alerts import raise_alert

    now = now or clock.now()
    cutoff = now - datetime.timedelta(days=settings.ANCRAGE["MATCH_STALL_DAYS"])
    stalled = Match.objects.filter(
        status__in=MATCH_IN_PROGRESS, last_step_at__lt=cutoff, stalled_alert_at__isnull=True
    ).select_related("entry", "participant")
    count = 0
    for match in stalled:
        with transaction.atomic():
            recipients = {match.proposed_by_id, match.entry.reference_worker_id}
            # Only people who can open the match and move it on are told.
            users = User.objects.filter(pk__in=[r for r in recipients if r is not None], is_active=True)
            for user in sorted(users, key=lambda u: u.pk):
                if not user.has_ancrage_perm("access.manage_matches"):
                    continue
                raise_alert(
                    recipient_id=user.pk,
                    kind="access.match.stalled",
                    obj=match,
                    participant=match.participant,
                    params={"days": (now - match.last_step_at).days, "status": match.status},
                    url=reverse("access:match_detail", args=[match.pk]),
                )
            Match.objects.filter(pk=match.pk).update(stalled_alert_at=now)
            audit.record(
                actor=None,
                action="access.match.stalled",
                obj=match,
                participant=match.participant,
                data={"days": (now - match.last_step_at).days},
            )
        count += 1
    return count


def by_name_flag_stuck(*, on: datetime.date | None = None) -> int:
    """Flag for case conferencing active people eligible for no active Housing First program, or whose
    matches were declined MATCH_DECLINES_BEFORE_CONFERENCE times; returns how many are newly flagged."""
    from ancrage.access.eligibility import check_requirements, is_eligible
    from ancrage.organisations.models import Program

    on = on or clock.today()
    programs = list(Program.objects.filter(is_active=True, kind__in=Program.HOUSING_FIRST_KINDS))
    limit = settings.ANCRAGE["MATCH_DECLINES_BEFORE_CONFERENCE"]
    declines = dict(
        Match.objects.filter(status__in=[MatchStatus.PERSON_DECLINED, MatchStatus.PROVIDER_DECLINED])
        .values("entry_id")
        .annotate(n=models.Count("pk"))
        .values_list("entry_id", "n")
    )
    flagged = set(ByNameEntry.objects.filter(needs_conference=True).values_list("pk", flat=True))
    new: dict[str, list[int]] = {}
    for facts in _active_facts(on):
        if facts.entry_id in flagged:
            continue
        if declines.get(facts.entry_id, 0) >= limit:
            reason = f"declines:{declines[facts.entry_id]}"
        elif programs and not any(
            is_eligible(check_requirements(p.eligibility or [], facts)) for p in programs
        ):
            reason = "no_eligible_program"
        else:
            continue
        new.setdefault(reason, []).append(facts.entry_id)
    for reason, ids in new.items():
        _conference_flag(None, ids, reason, on)
    return sum(len(ids) for ids in new.values())
