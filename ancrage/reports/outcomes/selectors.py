"""Reads of the outcomes page: the consortium's rows as plain tuples, a fixed number of queries whatever the
number of people, then one pass in Python through the definitions (`definitions.py`).

Figures are counted over the reader's consortium (they name nobody; small counts are hidden when shown); the
people behind a figure are listed only when the reader may see that kind of information about them
(`people_behind`), through the people selectors."""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import compress
from typing import Any

from django.conf import settings
from django.db.models import Min, QuerySet
from django.utils import translation

from ancrage.access.models import ByNameEntry, ByNameStatusChange, Referral
from ancrage.assessments.models import Administration, InstrumentVersion
from ancrage.casework.models import Enrollment, Exit
from ancrage.core import clock
from ancrage.core.bulk import cycle_collector_paused
from ancrage.core.counting import computed_for_a_while
from ancrage.core.permissions import Category
from ancrage.housing import outcomes as housing_outcomes
from ancrage.housing.models import Tenancy
from ancrage.organisations.models import Organisation, Program
from ancrage.people.models import Participant
from ancrage.people.selectors import participants_visible_for_category
from ancrage.reports.outcomes import definitions as d

# The instruments whose changes the page shows: how their domains are read from a score, and which way is
# better. The acuity screener is a triage tool, not an outcome.
INSTRUMENTS: dict[str, dict[str, Any]] = {
    "progress_scale": {"domains": "points", "higher_is_better": True},
    "baseline_functioning": {"domains": "sections", "higher_is_better": False},
}
DIMENSIONS = ("indigenous", "gender", "age")
ROW_FIGURES = (
    "cohort_6",
    "retained_6",
    "cohort_12",
    "retained_12",
    "moved_in",
    *(f"exit_{g}" for g in d.GROUPS),
    "exits",
    *(f"return_cohort_{m}" for m in d.RETURN_WINDOWS),
    *(f"returned_{m}" for m in d.RETURN_WINDOWS),
)
# Which kind of information the people behind each part of the page are (G1): a reader sees a person
# behind a figure only when they may read that kind of information about them.
FIGURE_CATEGORY: dict[str, str] = {
    "cohort": Category.HOUSING,
    "retained": Category.HOUSING,
    "moved_in": Category.HOUSING,
    "exit": Category.CASE_NOTES,
    "exits": Category.CASE_NOTES,
    "return_cohort": Category.CASE_NOTES,
    "returned": Category.CASE_NOTES,
    "month": Category.COORDINATED_ACCESS,
    "instrument": Category.HEALTH,
}
READ_ACTIONS: dict[str, str] = {
    Category.HOUSING: "reports.outcomes.housing_people_viewed",
    Category.CASE_NOTES: "reports.outcomes.exit_people_viewed",
    Category.COORDINATED_ACCESS: "reports.outcomes.community_people_viewed",
    Category.HEALTH: "reports.outcomes.instrument_people_viewed",
}


@dataclass(frozen=True)
class Filters:
    start: datetime.date
    end: datetime.date
    organisation_id: int | None = None
    program_id: int | None = None
    indigenous: str | None = None
    gender: str | None = None
    age: str | None = None
    breakdown: str = "indigenous"


@dataclass
class Row:
    """The figures of a set of people (everyone, or one group of the equity view)."""

    key: str
    people: dict[str, list[int]]
    days: list[int]
    size: int = 0

    def count(self, figure: str) -> int:
        return len(self.people.get(figure, []))

    def rate(self, part: str, whole: str) -> Decimal | None:
        return d.rate(self.count(part), self.count(whole))

    @property
    def median_days(self) -> Decimal | None:
        return d.days_summary(self.days)[0]

    @property
    def p75_days(self) -> int | None:
        return d.days_summary(self.days)[1]


@dataclass
class InstrumentResult:
    key: str
    name: str
    domains: list[tuple[str, str]]  # (key, label)
    higher_is_better: bool
    follow_ups: list[d.FollowUp]


@dataclass
class OutcomesReport:
    filters: Filters
    gap_days: int
    population: int
    total: Row
    groups: list[tuple[str, Row]]
    months: dict[datetime.date, dict[str, list[int]]]
    instruments: list[InstrumentResult]
    programs: list[Program] = field(default_factory=list)
    organisations: list[Organisation] = field(default_factory=list)
    # When the figures were computed: a report is kept a few minutes (core.counting.computed_for_a_while).
    computed_at: datetime.datetime | None = None

    def people_of(self, figure: str, group: str = "") -> list[int] | None:
        """The people behind one figure of the page (None: no such figure)."""
        parts = figure.split(":")
        if parts[0] == "month" and len(parts) == 3:
            try:
                first = datetime.date.fromisoformat(parts[1] + "-01")
            except ValueError:
                return None
            return self.months.get(first, {}).get(parts[2])
        if parts[0] == "instrument" and len(parts) == 4:
            for result in self.instruments:
                if result.key != parts[1]:
                    continue
                for follow_up in result.follow_ups:
                    if str(follow_up.number) == parts[2] and parts[3] in {
                        "people",
                        "improved",
                        "same",
                        "worse",
                    }:
                        return list(getattr(follow_up, parts[3]))
            return None
        if figure not in ROW_FIGURES:
            return None
        if not group:
            return self.total.people[figure]
        for key, row in self.groups:
            if key == group:
                return row.people[figure]
        return None


def figure_category(figure: str) -> str:
    head = figure.split(":")[0]
    if head in FIGURE_CATEGORY:
        return FIGURE_CATEGORY[head]
    return FIGURE_CATEGORY[head.rsplit("_", 1)[0]]


def consortium_ids(user) -> list[int]:
    return list(
        Organisation.objects.filter(pk__in=user.organisation_ids).values_list("consortium_id", flat=True)
    )


def programs_for(user) -> QuerySet[Program]:
    return (
        Program.objects.filter(organisation__consortium_id__in=consortium_ids(user))
        .select_related("organisation")
        .order_by("organisation__short_name", "name", "id")
    )


def _population(
    filters: Filters, consortia: list[int], dimension: str
) -> tuple[set[int], dict[int, str], dict[int, datetime.date]]:
    """The people counted, each one's group of the equity view's `dimension`, and the day each one entered
    the by-name list (their first contact, with their referrals): one read of the people."""
    people = Participant.objects.current().filter(organisation__consortium_id__in=consortia)
    if filters.organisation_id:
        people = people.filter(organisation_id=filters.organisation_id)
    if filters.program_id:
        people = people.filter(
            pk__in=Enrollment.objects.filter(program_id=filters.program_id).values("participant_id")
        )
    wanted = (filters.indigenous, filters.gender, filters.age)
    filtered = any(wanted)
    shown = DIMENSIONS.index(dimension)
    chosen: set[int] = set()
    group_of: dict[int, str] = {}
    entered: dict[int, datetime.date] = {}
    rows = people.order_by().values_list(
        "pk", "indigenous_identity", "gender", "date_of_birth", "by_name_entry__entered_on"
    )
    for pk, indigenous, gender, birth, entered_on in rows.iterator(chunk_size=20000):
        mine = (d.indigenous_group(indigenous), d.gender_group(gender), d.age_band(birth, filters.end))
        if filtered and any(want and want != group for want, group in zip(wanted, mine, strict=True)):
            continue
        chosen.add(pk)
        group_of[pk] = mine[shown]
        if entered_on is not None:
            entered[pk] = entered_on
    return chosen, group_of, entered


def _housing(consortia: list[int], chosen: set[int]) -> list[housing_outcomes.PersonHousing]:
    rows = (
        Tenancy.objects.filter(participant__organisation__consortium_id__in=consortia)
        .order_by("participant_id", "lease_start", "id")
        .values_list("participant_id", "lease_start", "moved_in_on", "ended_on", "end_reason", "previous_id")
    )
    stays: dict[int, list[housing_outcomes.Stay]] = defaultdict(list)
    died: dict[int, datetime.date] = {}
    eviction, deceased = Tenancy.EndReason.EVICTION, Tenancy.EndReason.DECEASED
    for pid, lease_start, moved_in_on, ended_on, end_reason, previous_id in rows.iterator(chunk_size=20000):
        if pid not in chosen:
            continue
        stays[pid].append(
            housing_outcomes.Stay(
                moved_in_on or lease_start, ended_on, end_reason == eviction, previous_id is not None
            )
        )
        if end_reason == deceased and ended_on is not None:
            died[pid] = ended_on
    return [housing_outcomes.PersonHousing(pid, tuple(s), died.get(pid)) for pid, s in stays.items()]


def _first_contact(
    consortia: list[int], chosen: set[int], entered: dict[int, datetime.date]
) -> dict[int, datetime.date]:
    """Each person's first contact with coordinated access: the earlier of their first referral and the
    day they entered the by-name list (`entered`, read with the people)."""
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
    for pid, day in entered.items():
        if pid not in result or day < result[pid]:
            result[pid] = day
    return result


def _changes(consortia: list[int], chosen: set[int]) -> tuple[list[d.StatusChange], set[int]]:
    """The status changes of the people counted, and which of their entries are chronic (read with them:
    the monthly figures ask only about entries with changes)."""
    # Linked files of one person count once (A4): only the entry holding their line is counted.
    entries = ByNameEntry.objects.filter(
        participant__organisation__consortium_id__in=consortia,
        participant__merged_into__isnull=True,
        listed_via__isnull=True,
    )
    rows = (
        ByNameStatusChange.objects.filter(entry__in=entries.values("pk"))
        .order_by()
        .values_list(
            "entry_id", "entry__participant_id", "on", "from_status", "to_status", "id", "entry__is_chronic"
        )
    )
    changes = []
    chronic: set[int] = set()
    for entry, pid, on, src, dst, pk, is_chronic in rows.iterator(chunk_size=20000):
        if pid in chosen:
            changes.append(d.StatusChange(entry, pid, on, src, dst, pk))
            if is_chronic:
                chronic.add(entry)
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


def _english() -> bool:
    from django.utils.translation import get_language

    return (get_language() or "").startswith("en")


def _domains(key: str, score: dict) -> dict[str, float]:
    if INSTRUMENTS[key]["domains"] == "sections":
        return {k: float(v.get("total") or 0) for k, v in (score.get("sections") or {}).items()}
    return {k: float(v or 0) for k, v in (score.get("points") or {}).items()}


def _domain_labels(definition: dict, kind: str, lang: str) -> list[tuple[str, str]]:
    labels = []
    for section in definition.get("sections", []):
        if kind == "sections":
            title = section.get("title") or {}
            labels.append((section["key"], title.get(lang) or title.get("fr") or section["key"]))
            continue
        for question in section.get("questions", []):
            if question.get("scored") and question.get("type") == "scale_1_10":
                text = question.get("text") or {}
                labels.append((question["key"], text.get(lang) or text.get("fr") or question["key"]))
    return labels


def _exits(consortia: list[int], chosen: set[int]) -> list[d.ExitFact]:
    rows = (
        Exit.objects.filter(participant__organisation__consortium_id__in=consortia)
        .order_by("exited_on", "id")
        .values_list("participant_id", "exited_on", "destination")
    )
    return [d.ExitFact(pid, day, dest) for pid, day, dest in rows.iterator(chunk_size=5000) if pid in chosen]


def outcomes_report(user, filters: Filters) -> OutcomesReport:
    """Every figure of the page for `filters`, in a fixed number of queries. The same report for the same
    consortia, filters, language and day is kept `ANCRAGE["REPORT_KEEP_SECONDS"]`: its figures are every
    reader's alike (who may see the people behind a figure is decided when they are listed), and at
    100,000 people it takes a second or two to compute."""
    consortia = sorted(consortium_ids(user))
    key = (
        "reports-outcomes",
        tuple(consortia),
        filters,
        translation.get_language(),
        clock.today(),
        settings.ANCRAGE["RETENTION_GAP_DAYS"],
    )
    return computed_for_a_while(key, lambda: compute_outcomes_report(consortia, filters))


def compute_outcomes_report(consortia: list[int], filters: Filters) -> OutcomesReport:
    """The report of `consortia` for `filters`, computed now (`outcomes_report` keeps it a while)."""
    # Hundreds of thousands of small objects, none in a cycle (core.bulk).
    with cycle_collector_paused():
        return _outcomes_report(consortia, filters)


def _outcomes_report(consortia: list[int], filters: Filters) -> OutcomesReport:
    dimension = filters.breakdown if filters.breakdown in DIMENSIONS else "indigenous"
    chosen, group_of, entered = _population(filters, consortia, dimension)
    gap_days = settings.ANCRAGE["RETENTION_GAP_DAYS"]
    start, end = filters.start, filters.end

    figures: dict[str, list[int]] = {f: [] for f in ROW_FIGURES}
    housing = _housing(consortia, chosen)
    for months in housing_outcomes.MILESTONES:
        kept = housing_outcomes.retention(housing, months=months, reference=end, gap_days=gap_days)
        figures[f"cohort_{months}"] = kept.cohort
        figures[f"retained_{months}"] = kept.retained
    first_move_in = {p.participant_id: first for p in housing if (first := p.first_move_in)}
    days = d.referral_to_move_in(_first_contact(consortia, chosen, entered), first_move_in, start, end)
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

    order = {"indigenous": d.INDIGENOUS_GROUPS, "gender": d.GENDER_GROUPS, "age": d.AGE_BANDS}[dimension]
    return OutcomesReport(
        filters=filters,
        gap_days=gap_days,
        population=len(chosen),
        total=Row("all", figures, list(days.values()), len(chosen)),
        groups=_group_rows(dimension, order, group_of, figures, days),
        months=d.community_by_month(changes, chronic, d.months_between(start, end)),
        instruments=_instruments(consortia, chosen, end),
        computed_at=clock.now(),
    )


def _group_rows(
    dimension: str,
    order: tuple[str, ...],
    group_of: dict[int, str],
    figures: dict[str, list[int]],
    days: dict[int, int],
) -> list[tuple[str, Row]]:
    """The rows of the equity view: each group's people in each figure, in the figure's order (everyone
    counted is in `group_of`; a group outside `order` has no row)."""
    rows = {g: Row(f"{dimension}:{g}", {}, [], 0) for g in order}
    sizes = Counter(group_of.values())
    for group, row in rows.items():
        row.size = sizes[group]
    for figure, found in figures.items():
        groups = list(map(group_of.__getitem__, found))
        for group, row in rows.items():
            row.people[figure] = list(compress(found, map(group.__eq__, groups)))
    groups = list(map(group_of.__getitem__, days))
    for group, row in rows.items():
        row.days = list(compress(days.values(), map(group.__eq__, groups)))
    return [(f"{dimension}:{g}", rows[g]) for g in order]


def people_behind(user, figure: str, ids: list[int]) -> QuerySet[Participant]:
    """The people of a figure the reader may see that way (by the figure's kind of information), by name."""
    category = figure_category(figure)
    return (
        participants_visible_for_category(user, category)
        .filter(pk__in=sorted(set(ids))[:5000])
        .select_related("organisation")
        .order_by("legal_last_name", "legal_first_name", "id")
    )
