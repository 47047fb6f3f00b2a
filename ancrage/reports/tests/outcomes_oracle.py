"""The outcomes report as it was computed before issue 16 made it fast, kept word for word as the oracle the
new computation is checked against: the selectors' reads and passes, and the definitions whose arithmetic
changed (months and years with `relativedelta`). Tests only."""

from __future__ import annotations

import datetime
from collections import defaultdict
from types import SimpleNamespace

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db.models import Min

from ancrage.access.models import ByNameEntry, ByNameStatusChange, Referral
from ancrage.assessments.models import Administration, InstrumentVersion
from ancrage.casework.models import Enrollment, Exit
from ancrage.core import clock
from ancrage.housing import outcomes as _housing_outcomes
from ancrage.housing.models import Tenancy
from ancrage.people.models import Participant
from ancrage.reports.outcomes import definitions as _definitions
from ancrage.reports.outcomes.selectors import (
    DIMENSIONS,
    INSTRUMENTS,
    ROW_FIGURES,
    Filters,
    InstrumentResult,
    OutcomesReport,
    Row,
    _domain_labels,
    _domains,
    _english,
    consortium_ids,
)

# --- housing's definitions as they were -------------------------------------------------------------------


def milestone(first_move_in: datetime.date, months: int) -> datetime.date:
    """The day `months` after the first move-in (the 31st falls on the month's last day)."""
    return first_move_in + relativedelta(months=months)


def housed_on(stays, day: datetime.date, gap_days: int) -> bool:
    """Whether the person is housed on `day`: inside a stay, or in a gap of at most `gap_days` days between the
    end of one stay and the start of a later one."""
    ordered = sorted(stays, key=lambda s: s.start)
    for stay in ordered:
        if stay.start <= day and (stay.end is None or day <= stay.end):
            return True
    for index, stay in enumerate(ordered):
        if stay.end is None or stay.end >= day:
            continue
        later = [s.start for s in ordered[index + 1 :] if s.start > stay.end]
        if later and min(later) > day and (min(later) - stay.end).days <= gap_days:
            return True
    return False


def _retention(
    people, *, months: int, reference: datetime.date, gap_days: int
) -> _housing_outcomes.Retention:
    result = _housing_outcomes.Retention(months=months)
    for person in people:
        first = person.first_move_in
        if first is None:
            continue
        day = milestone(first, months)
        if day > reference:
            continue
        if person.died_on is not None and person.died_on <= day:
            result.deceased.append(person.participant_id)
            continue
        result.cohort.append(person.participant_id)
        if housed_on(person.stays, day, gap_days):
            result.retained.append(person.participant_id)
    return result


housing_outcomes = SimpleNamespace(
    MILESTONES=_housing_outcomes.MILESTONES,
    PersonHousing=_housing_outcomes.PersonHousing,
    Stay=_housing_outcomes.Stay,
    retention=_retention,
)

# --- the report's definitions as they were ----------------------------------------------------------------


def returns_to_homelessness(
    exits,
    homeless_on,
    *,
    months: int,
    reference: datetime.date,
) -> _definitions.Returns:
    """Of the exits to permanent housing whose `months` are over on `reference`, those followed within
    `months` by a day of homelessness (after the exit day, on or before exit + months)."""
    result = _definitions.Returns(months=months)
    for fact in exits:
        if _definitions.destination_group(fact.destination) != "permanent":
            continue
        until = fact.exited_on + relativedelta(months=months)
        if until > reference:
            continue
        result.cohort.append(fact.participant_id)
        if any(fact.exited_on < day <= until for day in homeless_on.get(fact.participant_id, ())):
            result.returned.append(fact.participant_id)
    return result


def age_band(birth: datetime.date | None, on: datetime.date) -> str:
    """The person's age band on `on` (the end of the period)."""
    if birth is None or birth > on:
        return "not_said"
    age = relativedelta(on, birth).years
    if age < 25:
        return "under_25"
    if age < 40:
        return "25_39"
    if age < 55:
        return "40_54"
    return "55_plus"


d = SimpleNamespace(
    **{name: getattr(_definitions, name) for name in dir(_definitions) if not name.startswith("__")}
)
d.returns_to_homelessness = returns_to_homelessness
d.age_band = age_band

# --- the selectors' reads and passes as they were ---------------------------------------------------------


def _population(filters: Filters, consortia: list[int]) -> tuple[set[int], dict[int, dict[str, str]]]:
    """The people counted, and each one's groups of the equity view."""
    people = Participant.objects.current().filter(organisation__consortium_id__in=consortia)
    if filters.organisation_id:
        people = people.filter(organisation_id=filters.organisation_id)
    if filters.program_id:
        people = people.filter(
            pk__in=Enrollment.objects.filter(program_id=filters.program_id).values("participant_id")
        )
    chosen: set[int] = set()
    groups: dict[int, dict[str, str]] = {}
    for pk, indigenous, gender, birth in people.values_list(
        "pk", "indigenous_identity", "gender", "date_of_birth"
    ).iterator(chunk_size=5000):
        mine = {
            "indigenous": d.indigenous_group(indigenous),
            "gender": d.gender_group(gender),
            "age": d.age_band(birth, filters.end),
        }
        if filters.indigenous and mine["indigenous"] != filters.indigenous:
            continue
        if filters.gender and mine["gender"] != filters.gender:
            continue
        if filters.age and mine["age"] != filters.age:
            continue
        chosen.add(pk)
        groups[pk] = mine
    return chosen, groups


def _housing(consortia: list[int], chosen: set[int]) -> list[housing_outcomes.PersonHousing]:
    rows = (
        Tenancy.objects.filter(participant__organisation__consortium_id__in=consortia)
        .order_by("participant_id", "lease_start", "id")
        .values_list("participant_id", "lease_start", "moved_in_on", "ended_on", "end_reason", "previous_id")
    )
    stays: dict[int, list[housing_outcomes.Stay]] = defaultdict(list)
    died: dict[int, datetime.date] = {}
    for pid, lease_start, moved_in_on, ended_on, end_reason, previous_id in rows.iterator(chunk_size=5000):
        if pid not in chosen:
            continue
        stays[pid].append(
            housing_outcomes.Stay(
                start=moved_in_on or lease_start,
                end=ended_on,
                evicted=end_reason == Tenancy.EndReason.EVICTION,
                rehousing=previous_id is not None,
            )
        )
        if end_reason == Tenancy.EndReason.DECEASED and ended_on is not None:
            died[pid] = ended_on
    return [housing_outcomes.PersonHousing(pid, tuple(s), died_on=died.get(pid)) for pid, s in stays.items()]


def _first_contact(consortia: list[int], chosen: set[int]) -> dict[int, datetime.date]:
    result: dict[int, datetime.date] = {}
    referred = (
        Referral.objects.filter(participant__organisation__consortium_id__in=consortia)
        .values("participant_id")
        .annotate(first=Min("referred_at"))
        .values_list("participant_id", "first")
    )
    for pid, first in referred:
        if pid in chosen and first is not None:
            result[pid] = clock.localdate(first)
    entered = ByNameEntry.objects.filter(participant__organisation__consortium_id__in=consortia).values_list(
        "participant_id", "entered_on"
    )
    for pid, day in entered.iterator(chunk_size=5000):
        if pid in chosen and (pid not in result or day < result[pid]):
            result[pid] = day
    return result


def _changes(consortia: list[int], chosen: set[int]) -> tuple[list[d.StatusChange], set[int]]:
    # Linked files of one person count once (A4): only the entry holding their line is counted.
    entries = ByNameEntry.objects.filter(
        participant__organisation__consortium_id__in=consortia,
        participant__merged_into__isnull=True,
        listed_via__isnull=True,
    )
    rows = (
        ByNameStatusChange.objects.filter(entry__in=entries.values("pk"))
        .order_by()
        .values_list("entry_id", "entry__participant_id", "on", "from_status", "to_status", "id")
    )
    changes = [
        d.StatusChange(entry, pid, on, src, dst, pk)
        for entry, pid, on, src, dst, pk in rows.iterator(chunk_size=5000)
        if pid in chosen
    ]
    chronic = set(entries.filter(is_chronic=True).values_list("pk", flat=True))
    return changes, chronic


def _instruments(consortia: list[int], chosen: set[int], end: datetime.date) -> list[InstrumentResult]:
    versions = {
        v.instrument.key: v
        for v in InstrumentVersion.objects.filter(instrument__key__in=INSTRUMENTS)
        .select_related("instrument")
        .order_by("created_at", "id")
    }
    rows = (
        Administration.objects.filter(
            status=Administration.Status.COMPLETED,
            completed_at__isnull=False,
            version__instrument__key__in=INSTRUMENTS,
            participant__organisation__consortium_id__in=consortia,
        )
        .order_by()
        .values_list("participant_id", "version__instrument__key", "completed_at", "score", "id")
    )
    sittings: dict[str, list[d.Sitting]] = defaultdict(list)
    for pid, key, completed_at, score, pk in rows.iterator(chunk_size=5000):
        day = clock.localdate(completed_at)
        if pid not in chosen or day > end or not isinstance(score, dict):
            continue
        sittings[key].append(d.Sitting(pid, day, float(score.get("total") or 0), _domains(key, score), pk))
    lang = "en" if _english() else "fr"
    result = []
    for key, spec in INSTRUMENTS.items():
        version = versions.get(key)
        if version is None:
            continue
        result.append(
            InstrumentResult(
                key=key,
                name=version.instrument.display_name,
                domains=_domain_labels(version.definition, spec["domains"], lang),
                higher_is_better=spec["higher_is_better"],
                follow_ups=d.instrument_changes(
                    sittings.get(key, []), higher_is_better=spec["higher_is_better"]
                ),
            )
        )
    return result


def _exits(consortia: list[int], chosen: set[int]) -> list[d.ExitFact]:
    rows = (
        Exit.objects.filter(participant__organisation__consortium_id__in=consortia)
        .order_by("exited_on", "id")
        .values_list("participant_id", "exited_on", "destination")
    )
    return [d.ExitFact(pid, day, dest) for pid, day, dest in rows.iterator(chunk_size=5000) if pid in chosen]


def old_outcomes_report(user, filters: Filters) -> OutcomesReport:
    """Every figure of the page for `filters`, in a fixed number of queries."""
    consortia = consortium_ids(user)
    chosen, groups_of = _population(filters, consortia)
    gap_days = settings.ANCRAGE["RETENTION_GAP_DAYS"]
    start, end = filters.start, filters.end

    figures: dict[str, list[int]] = {f: [] for f in ROW_FIGURES}
    housing = _housing(consortia, chosen)
    for months in housing_outcomes.MILESTONES:
        kept = housing_outcomes.retention(housing, months=months, reference=end, gap_days=gap_days)
        figures[f"cohort_{months}"] = kept.cohort
        figures[f"retained_{months}"] = kept.retained
    first_move_in = {p.participant_id: p.first_move_in for p in housing if p.first_move_in}
    days = d.referral_to_move_in(_first_contact(consortia, chosen), first_move_in, start, end)
    figures["moved_in"] = sorted(days)

    exits = _exits(consortia, chosen)
    for group, ids in d.exits_by_group(exits, start, end).items():
        figures[f"exit_{group}"] = ids
        figures["exits"].extend(ids)
    changes, chronic = _changes(consortia, chosen)
    became_active: dict[int, list[datetime.date]] = defaultdict(list)
    for change in changes:
        if change.to_status == d.ACTIVE:
            became_active[change.participant_id].append(change.on)
    homeless_on = d.homeless_days(exits, became_active)
    for months in d.RETURN_WINDOWS:
        back = d.returns_to_homelessness(exits, homeless_on, months=months, reference=end)
        figures[f"return_cohort_{months}"] = back.cohort
        figures[f"returned_{months}"] = back.returned

    def row(key: str, ids: set[int] | None) -> Row:
        if ids is None:
            return Row(key, figures, list(days.values()), len(chosen))
        return Row(
            key,
            {f: [pk for pk in found if pk in ids] for f, found in figures.items()},
            [n for pk, n in days.items() if pk in ids],
            len(ids),
        )

    dimension = filters.breakdown if filters.breakdown in DIMENSIONS else "indigenous"
    members: dict[str, set[int]] = defaultdict(set)
    for pk, mine in groups_of.items():
        members[mine[dimension]].add(pk)
    order = {"indigenous": d.INDIGENOUS_GROUPS, "gender": d.GENDER_GROUPS, "age": d.AGE_BANDS}[dimension]
    return OutcomesReport(
        filters=filters,
        gap_days=gap_days,
        population=len(chosen),
        total=row("all", None),
        groups=[(f"{dimension}:{g}", row(f"{dimension}:{g}", members.get(g, set()))) for g in order],
        months=d.community_by_month(changes, chronic, d.months_between(start, end)),
        instruments=_instruments(consortia, chosen, end),
    )
