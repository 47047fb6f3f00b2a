"""Writes of the by-name list (A4): entries, status, contacts, living situations, profile."""

from __future__ import annotations

import contextlib
import contextvars
import datetime
from collections.abc import Iterator
from typing import TYPE_CHECKING, NamedTuple

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from ancrage.access.chronic import SITUATION_KINDS, ChronicVerdict, chronic_from_history
from ancrage.access.models import (
    ByNameEntry,
    ByNameStatus,
    ByNameStatusChange,
    HistorySource,
    HomelessnessHistory,
    HouseholdType,
    IncomeSource,
    LivingSituation,
    LivingSituationPeriod,
    PersonFlag,
)
from ancrage.access.selectors import latest_triage
from ancrage.access.services import policies
from ancrage.accounts.models import User
from ancrage.core import audit, clock
from ancrage.people.duplicates import linked_groups
from ancrage.people.models import Participant

if TYPE_CHECKING:
    # Imported where used: assessments and housing import this module.
    from ancrage.assessments.models import Administration


# --- By-name list (A4) -------------------------------------------------------------------------------


def _refresh_chronic(entry: ByNameEntry, on: datetime.date) -> ChronicVerdict:
    participant = entry.participant
    verdict = chronic_from_history(
        participant.living_situations.all(), participant.homelessness_histories.all(), on=on
    )
    entry.is_chronic = verdict.is_chronic
    entry.homeless_days_past_year = verdict.days_past_year
    entry.homeless_days_past_three_years = verdict.days_past_three_years
    entry.chronic_computed_on = on
    entry.chronic_evidence = list(verdict.evidence)
    return verdict


_CHRONIC_FIELDS = [
    "is_chronic",
    "homeless_days_past_year",
    "homeless_days_past_three_years",
    "chronic_computed_on",
    "chronic_evidence",
]


# Inside `chronic_refresh_deferred()`: the people whose history changed, each with the moment of its last
# change (participant id: moment), refreshed by `chronic_refresh_flush`.
_chronic_pending: contextvars.ContextVar[dict[int, datetime.datetime] | None] = contextvars.ContextVar(
    "ancrage_chronic_pending", default=None
)


@contextlib.contextmanager
def chronic_refresh_deferred() -> Iterator[None]:
    """A bulk load of histories (the demo's timeline of living situations) that refreshes the chronic figures
    in one go rather than after each record: inside, `refresh_chronic_of` only notes the person and the
    moment, and `chronic_refresh_flush()` (called by the block's end, and by the caller before anything
    else reads or writes a by-name entry or a history) writes each entry as `refresh_chronic_of` would have
    at that moment. A block left on an error writes nothing (its transaction is rolled back)."""
    token = _chronic_pending.set({})
    try:
        yield
        chronic_refresh_flush()
    finally:
        _chronic_pending.reset(token)


def chronic_refresh_flush() -> int:
    """Inside `chronic_refresh_deferred()`: the refreshes noted so far, set-based (the people's stays and
    histories in one query each), each entry written as of the moment of its person's last change (the
    same figures, evidence, day and `updated_at` as `refresh_chronic_of` then). Returns how many entries
    were written."""
    pending = _chronic_pending.get()
    if not pending:
        return 0
    moments = dict(pending)
    pending.clear()
    entries = list(
        ByNameEntry.objects.filter(participant_id__in=moments)
        .order_by("pk")
        .values_list("pk", "participant_id")
    )
    stays, histories = _histories_of([participant_id for _pk, participant_id in entries])
    refreshed = []
    for pk, participant_id in entries:
        moment = moments[participant_id]
        on = clock.localdate(moment)
        verdict = chronic_from_history(
            stays.get(participant_id, []), histories.get(participant_id, []), on=on
        )
        refreshed.append(
            ByNameEntry(
                pk=pk,
                is_chronic=verdict.is_chronic,
                homeless_days_past_year=verdict.days_past_year,
                homeless_days_past_three_years=verdict.days_past_three_years,
                chronic_computed_on=on,
                chronic_evidence=list(verdict.evidence),
                updated_at=moment,
            )
        )
    ByNameEntry.objects.bulk_update(refreshed, [*_CHRONIC_FIELDS, "updated_at"], batch_size=500)
    if refreshed:
        policies.schedule_ranks_recompute()
    return len(refreshed)


def refresh_chronic_of(participant: Participant) -> None:
    """After the history changed: the entry's figures and evidence as of today, and ranks recomputed (noted
    for later inside `chronic_refresh_deferred()`)."""
    pending = _chronic_pending.get()
    if pending is not None:
        pending[participant.pk] = clock.now()
        return
    entry = ByNameEntry.objects.filter(participant=participant).select_related("participant").first()
    if entry is not None:
        _refresh_chronic(entry, clock.today())
        entry.save(update_fields=[*_CHRONIC_FIELDS, "updated_at"])
        policies.schedule_ranks_recompute()


def _check_not_future(on: datetime.date, field: str = "on") -> None:
    if on > clock.today():
        raise ValidationError({field: [_("This date cannot be in the future.")]})


def first_record_on(participant: Participant) -> datetime.date:
    """The first day Ancrage knows of the person: their file, a living situation or a referral, the earliest."""
    from ancrage.access.models import Referral

    days = [clock.localdate(participant.created_at)]
    first_night = (
        participant.living_situations.order_by("starts_on").values_list("starts_on", flat=True).first()
    )
    if first_night is not None:
        days.append(first_night)
    referred = Referral.objects.filter(participant=participant).order_by("referred_at").first()
    if referred is not None:
        days.append(clock.localdate(referred.referred_at))
    return min(days)


def check_entered_on(participant: Participant, entered_on: datetime.date, backdate_reason: str) -> None:
    """The date a person entered the list: not in the future, not before their birth or the first record of
    them, and a reason when it is back-dated (it orders the tie-breaker and counts in past months' flow)."""
    from django.conf import settings
    from django.utils.formats import date_format

    errors: list[str] = []
    if entered_on > clock.today():
        errors.append(_("This date cannot be in the future."))
    elif participant.date_of_birth is not None and entered_on < participant.date_of_birth:
        errors.append(_("This date is before the person's date of birth."))
    else:
        first = first_record_on(participant)
        if entered_on < first:
            errors.append(
                _(
                    "This date is before the first record of the person (%(day)s): their file, a "
                    "living situation or a referral."
                )
                % {"day": date_format(first)}
            )
    if errors:
        raise ValidationError({"entered_on": errors})
    days = settings.ANCRAGE["BY_NAME_BACKDATE_DAYS"]
    if (clock.today() - entered_on).days > days and not backdate_reason.strip():
        raise ValidationError(
            {
                "backdate_reason": [
                    _(
                        "This date is more than %(days)s days ago: say why the person is put on the list "
                        "at that date (it moves them ahead in the tie-breaker and changes past months' flow)."
                    )
                    % {"days": days}
                ]
            }
        )


@transaction.atomic
def by_name_entry_add(
    *,
    actor: User,
    participant: Participant,
    reference_worker: User,
    entered_on: datetime.date | None = None,
    backdate_reason: str = "",
) -> ByNameEntry:
    entered_on = entered_on or clock.today()
    backdate_reason = backdate_reason.strip()
    check_entered_on(participant, entered_on, backdate_reason)
    if participant.is_merged:
        raise ValidationError({"participant": [_("This file was merged into another: use that one.")]})
    if reference_worker is None:
        raise ValidationError({"reference_worker": [_("Name a reference worker for every active person.")]})
    if ByNameEntry.objects.filter(participant=participant).exists():
        raise ValidationError({"participant": [_("This person is already on the by-name list.")]})
    linked = group_entry(participant)
    if linked is not None:
        # One line per person (A4): a file linked to this one already holds it.
        raise ValidationError(
            {
                "participant": [
                    _("This person is already on the by-name list through their linked file %(file)s.")
                    % {"file": linked.participant.community_id}
                ]
            }
        )
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
        reason=(
            _("Added to the by-name list, dated back: %(reason)s") % {"reason": backdate_reason}
            if backdate_reason
            else _("Added to the by-name list")
        )[:300],
        by=actor,
    )
    data = {"reference_worker": reference_worker.pk, "entered_on": entered_on.isoformat()}
    if backdate_reason:
        data["backdate_reason"] = backdate_reason
    audit.record(actor=actor, action="access.by_name.added", obj=entry, participant=participant, data=data)
    # A triage given before the person was on the list still places them (A3).
    latest = latest_triage(participant)
    if latest is not None:
        by_name_acuity_record(administration=latest)
    else:
        policies.schedule_ranks_recompute()
    entry.refresh_from_db()
    return entry


def _primary_first(entry: ByNameEntry) -> tuple:
    """Which entry of a person's linked files holds their line: the one holding it already (so a new link
    never moves it), then an active one, then the longest on the list."""
    return (entry.listed_via_id is not None, entry.status != ByNameStatus.ACTIVE, entry.entered_on, entry.pk)


def group_entry(participant: Participant) -> ByNameEntry | None:
    """The entry holding the person's line on the list when it belongs to another file linked to this one."""
    group = linked_groups([participant.pk])[participant.pk] - {participant.pk}
    if not group:
        return None
    entries = ByNameEntry.objects.filter(participant_id__in=group, participant__merged_into__isnull=True)
    held = [e for e in entries.select_related("participant") if e.listed_via_id is None]
    return min(held, key=_primary_first) if held else None


@transaction.atomic
def by_name_links_sync(*, actor: User | None, participant_ids) -> int:
    """Make the by-name list count linked files once (A4): of the entries of one person's linked files, one
    holds the line (an active one, else the earliest on the list) and the others point to it, so they are
    neither listed, counted in the flow nor ranked; a file no longer linked gets its own line back. Each
    entry that changes writes its audit entry; ranks are recomputed once. Returns how many entries changed."""
    groups = linked_groups(list(participant_ids))
    members = set().union(*groups.values()) if groups else set()
    entries = list(
        ByNameEntry.objects.select_for_update()
        .filter(participant_id__in=members)
        .select_related("participant")
        .order_by("pk")
    )
    by_participant = {e.participant_id: e for e in entries}
    changed = 0
    done: set[frozenset[int]] = set()
    for group in groups.values():
        if group in done:
            continue
        done.add(group)
        mine = [by_participant[pk] for pk in sorted(group) if pk in by_participant]
        mine = [e for e in mine if not e.participant.is_merged]
        primary = min(mine, key=_primary_first) if len(mine) > 1 else None
        for entry in mine:
            target = None if primary is None or entry.pk == primary.pk else primary
            if entry.listed_via_id == (target.pk if target else None):
                continue
            before = entry.listed_via_id
            entry.listed_via = target
            entry.save(update_fields=["listed_via", "updated_at"])
            changed += 1
            audit.record(
                actor=actor,
                action="access.by_name.linked" if target else "access.by_name.unlinked",
                obj=entry,
                participant=entry.participant,
                data={
                    "changes": {"listed_via": [before, target.pk if target else None]},
                    "via": target.participant.community_id if target else None,
                },
            )
    if changed:
        policies.schedule_ranks_recompute()
    return changed


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


class _Stay(NamedTuple):
    kind: str
    starts_on: datetime.date
    ends_on: datetime.date | None
    situation: str
    source: str


class _History(NamedTuple):
    pk: int
    reported_on: datetime.date
    source: str
    living_situation: str
    episode_started_on: datetime.date | None
    months_homeless_past_three_years: int | None


# Entries refreshed per round of the daily refresh: its memory is that of one round, at any size.
CHRONIC_CHUNK = 1000


@transaction.atomic
def by_name_chronic_refresh(*, on: datetime.date | None = None) -> int:
    """Recompute the cached chronic figures of every entry as of `on` (time passing changes them) and write
    the entries whose figures changed, and only those; returns how many were written.

    People with nothing recorded (no stay, no history) count no day: one UPDATE sets those whose figures say
    otherwise. The others are read a round of CHRONIC_CHUNK entries at a time as plain rows (their stays and
    histories in one query each) and judged by the one rule (`chronic_from_history`)."""
    on = on or clock.today()
    stays = LivingSituationPeriod.objects.filter(participant_id=OuterRef("participant_id"))
    histories = HomelessnessHistory.objects.filter(participant_id=OuterRef("participant_id"))
    written = (
        ByNameEntry.objects.filter(~Exists(stays), ~Exists(histories))
        .exclude(is_chronic=False, homeless_days_past_year=0, homeless_days_past_three_years=0)
        .update(
            is_chronic=False,
            homeless_days_past_year=0,
            homeless_days_past_three_years=0,
            chronic_evidence=[],
            chronic_computed_on=on,
            updated_at=clock.now(),
        )
    )
    with_history = (
        ByNameEntry.objects.filter(Exists(stays) | Exists(histories))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    last = 0
    while True:
        ids = list(with_history.filter(pk__gt=last)[:CHRONIC_CHUNK])
        if not ids:
            break
        last = ids[-1]
        written += _chronic_refresh_round(ids, on)
    return written


def _histories_of(people: list[int]) -> tuple[dict[int, list[_Stay]], dict[int, list[_History]]]:
    """The people's stays (in the order of their start) and histories as plain rows, one query each."""
    stays: dict[int, list[_Stay]] = {}
    for participant_id, kind, starts_on, ends_on, situation, source in (
        LivingSituationPeriod.objects.filter(participant_id__in=people)
        .order_by("starts_on", "id")
        .values_list("participant_id", "kind", "starts_on", "ends_on", "situation", "source")
    ):
        stays.setdefault(participant_id, []).append(_Stay(kind, starts_on, ends_on, situation, source))
    histories: dict[int, list[_History]] = {}
    for row in HomelessnessHistory.objects.filter(participant_id__in=people).values_list(
        "participant_id",
        "pk",
        "reported_on",
        "source",
        "living_situation",
        "episode_started_on",
        "months_homeless_past_three_years",
    ):
        histories.setdefault(row[0], []).append(_History(*row[1:]))
    return stays, histories


def _chronic_refresh_round(ids: list[int], on: datetime.date) -> int:
    rows = list(
        ByNameEntry.objects.filter(pk__in=ids).values_list(
            "pk",
            "participant_id",
            "is_chronic",
            "homeless_days_past_year",
            "homeless_days_past_three_years",
            "chronic_evidence",
        )
    )
    stays, histories = _histories_of([row[1] for row in rows])
    now = clock.now()
    changed = []
    for pk, participant_id, chronic, year, three, evidence in rows:
        verdict = chronic_from_history(
            stays.get(participant_id, []), histories.get(participant_id, []), on=on
        )
        fresh = list(verdict.evidence)
        if (verdict.is_chronic, verdict.days_past_year, verdict.days_past_three_years, fresh) == (
            chronic,
            year,
            three,
            evidence,
        ):
            continue
        changed.append(
            ByNameEntry(
                pk=pk,
                is_chronic=verdict.is_chronic,
                homeless_days_past_year=verdict.days_past_year,
                homeless_days_past_three_years=verdict.days_past_three_years,
                chronic_computed_on=on,
                chronic_evidence=fresh,
                updated_at=now,
            )
        )
    ByNameEntry.objects.bulk_update(changed, [*_CHRONIC_FIELDS, "updated_at"], batch_size=500)
    return len(changed)


# --- Living situations (A4: chronic homelessness comes from this history) ----------------------------


@transaction.atomic
def living_situation_record(
    *,
    actor: User,
    participant: Participant,
    kind: str = "",
    starts_on: datetime.date,
    ends_on: datetime.date | None = None,
    situation: str = "",
    source: str = "",
) -> LivingSituationPeriod:
    """A stay or a sighting: a shelter night, a street outreach contact, a stay in hospital… It adds to the
    person's homelessness history; the kind follows from the precise situation when one is given."""
    errors: dict[str, list[str]] = {}
    if situation:
        if situation not in LivingSituation.values:
            errors["situation"] = [_("Choose where the person stayed.")]
        else:
            kind = SITUATION_KINDS[situation]
    if kind not in LivingSituationPeriod.Kind.values:
        errors.setdefault("situation" if not kind else "kind", [_("Choose a living situation.")])
    if source and source not in HistorySource.values:
        errors["source"] = [_("Choose the source.")]
    today = clock.today()
    if starts_on > today:
        errors["starts_on"] = [_("A living situation cannot start in the future.")]
    elif starts_on.year < 1900:
        errors["starts_on"] = [_("Enter a year after 1900.")]
    if ends_on is not None and ends_on < starts_on:
        errors["ends_on"] = [_("The end date comes before the start date.")]
    if errors:
        raise ValidationError(errors)
    period = LivingSituationPeriod.objects.create(
        participant=participant,
        kind=kind,
        situation=situation,
        source=source,
        starts_on=starts_on,
        ends_on=ends_on,
        recorded_by=actor,
    )
    refresh_chronic_of(participant)
    audit.record(
        actor=actor,
        action="access.living_situation.recorded",
        obj=period,
        participant=participant,
        data={
            "kind": kind,
            "situation": situation,
            "source": source,
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
    "preferred_areas",
    "preferred_neighbourhoods",
    "preferred_unit_kinds",
)


def _areas_problem(value, *, kept) -> str:
    """Why a list of area ids cannot be a person's choice, or "": each must be an active area (an area
    retired since the person chose it may stay chosen)."""
    from ancrage.housing.models import Area

    try:
        ids = {int(v) for v in value}
    except (TypeError, ValueError):
        return _("Choose areas from the list.")
    known = set(Area.objects.filter(pk__in=ids, is_active=True).values_list("pk", flat=True))
    unknown = ids - known - set(kept or [])
    if unknown:
        return _("Unknown or retired area: %(values)s.") % {"values": ", ".join(map(str, sorted(unknown)))}
    return ""


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
        if name == "preferred_areas":
            problem = _areas_problem(value, kept=entry.preferred_areas)
            if problem:
                errors[name] = [problem]
            else:
                values[name] = sorted({int(v) for v in value})
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
    policies.schedule_ranks_recompute()
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
    policies.schedule_ranks_recompute()
    return entry
