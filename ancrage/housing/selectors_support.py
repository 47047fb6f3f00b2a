"""Reads of move-in support, budgets and outcomes, applying organisation and consent (G1, G2).

Reservations and deliveries name a participant: a reader sees those of the furniture banks of their
organisations, and only for participants whose housing information they may read. Budget lines are the
consortium's programs'. Outcomes are counted over the consortium's tenancies (figures name nobody, and small
ones are hidden); the people behind a figure are listed only when the reader may see their housing."""

from __future__ import annotations

import datetime
from array import array
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.utils import translation
from django.utils.translation import gettext as _

from ancrage.core import clock
from ancrage.core.counting import computed_for_a_while
from ancrage.core.permissions import Category
from ancrage.housing import outcomes
from ancrage.housing.models import (
    BudgetLine,
    FurnitureDelivery,
    FurnitureItem,
    FurnitureReservation,
    ReservationLine,
    StarterKit,
    StarterKitLine,
    Tenancy,
)
from ancrage.organisations.models import Organisation, Program
from ancrage.people.selectors import participants_visible_for_category


def consortium_ids(user) -> set[int]:
    return set(
        Organisation.objects.filter(pk__in=user.organisation_ids).values_list("consortium_id", flat=True)
    )


def housing_visible(user) -> QuerySet:
    return participants_visible_for_category(user, Category.HOUSING)


def items_for(user) -> QuerySet[FurnitureItem]:
    return FurnitureItem.objects.filter(
        organisation_id__in=user.organisation_ids, is_active=True
    ).select_related("organisation")


def kits_for(user) -> QuerySet[StarterKit]:
    return (
        StarterKit.objects.filter(organisation_id__in=user.organisation_ids, is_active=True)
        .select_related("organisation")
        .prefetch_related(Prefetch("lines", queryset=StarterKitLine.objects.select_related("item")))
    )


def _lines() -> Prefetch:
    return Prefetch("lines", queryset=ReservationLine.objects.select_related("item", "kit").order_by("id"))


def reservations_for(user) -> QuerySet[FurnitureReservation]:
    return (
        FurnitureReservation.objects.filter(
            organisation_id__in=user.organisation_ids, participant__in=housing_visible(user)
        )
        .select_related("participant", "tenancy__unit", "organisation")
        .prefetch_related(_lines())
    )


def deliveries_for(user) -> QuerySet[FurnitureDelivery]:
    return (
        FurnitureDelivery.objects.filter(
            reservation__organisation_id__in=user.organisation_ids, participant__in=housing_visible(user)
        )
        .select_related("participant", "reservation")
        .prefetch_related(
            Prefetch("reservation__lines", queryset=ReservationLine.objects.select_related("item"))
        )
    )


def received_by(participant) -> list[FurnitureReservation]:
    """Everything reserved for or delivered to the participant (their file's section), newest first."""
    return list(
        FurnitureReservation.objects.filter(participant=participant)
        .exclude(status=FurnitureReservation.Status.CANCELLED)
        .select_related("organisation")
        .prefetch_related(_lines(), "deliveries")
        .order_by("-created_at", "-id")
    )


def programs_for_budgets(user) -> QuerySet[Program]:
    return (
        Program.objects.filter(organisation__consortium_id__in=consortium_ids(user))
        .select_related("organisation")
        .order_by("organisation__short_name", "name", "id")
    )


def budget_lines_for(user) -> QuerySet[BudgetLine]:
    return BudgetLine.objects.filter(
        program__organisation__consortium_id__in=consortium_ids(user)
    ).select_related("program", "program__organisation")


def tenancies_visible(user) -> QuerySet[Tenancy]:
    return Tenancy.objects.filter(participant__in=housing_visible(user))


# --- outcomes -------------------------------------------------------------------------------------------

EVENT_FIGURES = ("moves", "evictions", "rehousings")
FIGURES = (
    "cohort_6",
    "retained_6",
    "not_retained_6",
    "deceased_6",
    "cohort_12",
    "retained_12",
    "not_retained_12",
    "deceased_12",
    "moved_in",
    "moves",
    "evictions",
    "rehousings",
)


@dataclass
class OutcomeRow:
    """One row of the outcomes table: a program, an organisation, or everyone."""

    key: str
    label: str
    # Each figure's people as a compact array, and its count worked out once: a kept report is read back from
    # the cache on every view (a list of 100,000 ints unpickles a thousand times slower than their bytes).
    people: dict[str, Sequence[int]] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    rate_6: Decimal | None = None
    rate_12: Decimal | None = None
    median_days: Decimal | None = None
    p75_days: int | None = None

    def count(self, figure: str) -> int:
        """People, or for moves, evictions and rehousings, how many happened (a person may have two)."""
        if figure not in self.counts:
            found = self.people.get(figure, ())
            self.counts[figure] = len(found) if figure in EVENT_FIGURES else len(set(found))
        return self.counts[figure]


@dataclass
class OutcomesReport:
    start: datetime.date
    end: datetime.date
    gap_days: int
    total: OutcomeRow
    by_program: list[OutcomeRow]
    by_organisation: list[OutcomeRow]
    # When the figures were computed: a report is kept a few minutes (core.counting.computed_for_a_while).
    computed_at: datetime.datetime | None = None

    def row(self, key: str) -> OutcomeRow | None:
        for row in (self.total, *self.by_program, *self.by_organisation):
            if row.key == key:
                return row
        return None


@dataclass
class _Facts:
    """Each person's figures, computed once for the whole report; rows only gather them."""

    people: dict[str, dict[int, int]]  # figure -> {participant id: how many times (events count each one)}
    days: dict[int, int]


def _facts(people: list[outcomes.PersonHousing], start, end, gap_days: int) -> _Facts:
    figures: dict[str, dict[int, int]] = {f: {} for f in FIGURES}

    def add(figure: str, ids) -> None:
        for pk in ids:
            figures[figure][pk] = figures[figure].get(pk, 0) + 1

    for months in outcomes.MILESTONES:
        figure = outcomes.retention(people, months=months, reference=end, gap_days=gap_days)
        add(f"cohort_{months}", figure.cohort)
        add(f"retained_{months}", figure.retained)
        add(f"not_retained_{months}", figure.not_retained)
        add(f"deceased_{months}", figure.deceased)
    add("moved_in", (p.participant_id for p in people if p.first_move_in and start <= p.first_move_in <= end))
    happened = outcomes.events(people, start, end)
    add("moves", happened.moves)
    add("evictions", happened.evictions)
    add("rehousings", happened.rehousings)
    return _Facts(figures, outcomes.days_to_move_in(people, start, end))


def _row(key: str, label: str, ids: list[int], facts: _Facts) -> OutcomeRow:
    """The row of `ids`: each figure's people (an event counts once per time it happened)."""
    row = OutcomeRow(key=key, label=label)
    for figure, found in facts.people.items():
        row.people[figure] = array("q", [pk for pk in ids for _n in range(found.get(pk, 0))])
        row.count(figure)
    for months in outcomes.MILESTONES:
        cohort, retained = len(row.people[f"cohort_{months}"]), len(row.people[f"retained_{months}"])
        rate = (Decimal(retained) * 100 / Decimal(cohort)).quantize(Decimal("0.1")) if cohort else None
        setattr(row, f"rate_{months}", rate)
    days = [facts.days[pk] for pk in ids if pk in facts.days]
    row.median_days = outcomes.median(days)
    row.p75_days = outcomes.percentile(days, 0.75)
    return row


def outcomes_report(
    user,
    *,
    start: datetime.date,
    end: datetime.date,
    organisation_id: int | None = None,
    program_id: int | None = None,
) -> OutcomesReport:
    """The outcomes of the consortium's tenancies for the period [start, end] (retention on `end`), as a few
    queries whatever the number of tenancies. A person counts with the program (and its organisation) of
    their first tenancy. The same report for the same consortia, period, filters and language is kept
    `ANCRAGE["REPORT_KEEP_SECONDS"]` (its figures are every reader's alike; who may see the people behind a
    figure is decided when they are listed): at 100,000 people it takes seconds of Python to compute."""
    key = (
        "housing-outcomes",
        tuple(sorted(consortium_ids(user))),
        start,
        end,
        organisation_id,
        program_id,
        translation.get_language(),
        clock.today(),
        settings.ANCRAGE["RETENTION_GAP_DAYS"],
    )
    return computed_for_a_while(
        key,
        lambda: _outcomes_report(
            user, start=start, end=end, organisation_id=organisation_id, program_id=program_id
        ),
    )


def _outcomes_report(
    user,
    *,
    start: datetime.date,
    end: datetime.date,
    organisation_id: int | None,
    program_id: int | None,
) -> OutcomesReport:
    gap_days = settings.ANCRAGE["RETENTION_GAP_DAYS"]
    rows = (
        Tenancy.objects.filter(participant__organisation__consortium_id__in=consortium_ids(user))
        .order_by("participant_id", "lease_start", "id")
        .values_list(
            "participant_id",
            "lease_start",
            "moved_in_on",
            "ended_on",
            "end_reason",
            "previous_id",
            "program_id",
            "program__organisation_id",
        )
    )
    stays: dict[int, list[outcomes.Stay]] = defaultdict(list)
    died: dict[int, datetime.date] = {}
    first_program: dict[int, tuple[int | None, int | None]] = {}
    for pid, lease_start, moved_in_on, ended_on, end_reason, previous_id, prog, org in rows:
        stays[pid].append(
            outcomes.Stay(
                start=moved_in_on or lease_start,
                end=ended_on,
                evicted=end_reason == Tenancy.EndReason.EVICTION,
                rehousing=previous_id is not None,
            )
        )
        if end_reason == Tenancy.EndReason.DECEASED and ended_on is not None:
            died[pid] = ended_on
        first_program.setdefault(pid, (prog, org))
    starts = outcomes.start_dates(stays.keys())
    people = [
        outcomes.PersonHousing(pid, tuple(s), died_on=died.get(pid), start_date=starts.get(pid))
        for pid, s in stays.items()
        if (organisation_id is None or first_program[pid][1] == organisation_id)
        and (program_id is None or first_program[pid][0] == program_id)
    ]
    programs = {
        p.pk: p
        for p in Program.objects.filter(pk__in={v[0] for v in first_program.values() if v[0]}).select_related(
            "organisation"
        )
    }
    by_program: dict[int | None, list[int]] = defaultdict(list)
    by_org: dict[int | None, list[int]] = defaultdict(list)
    for person in people:
        first_prog, first_org = first_program[person.participant_id]
        by_program[first_prog].append(person.participant_id)
        by_org[first_org].append(person.participant_id)
    facts = _facts(people, start, end, gap_days)

    def program_label(pk):
        program = programs.get(pk)
        if program is None:
            return _("No program")
        return f"{program.organisation.short_name} — {program.display_name}"

    orgs = {o.pk: o.short_name for o in Organisation.objects.filter(pk__in=[k for k in by_org if k])}
    return OutcomesReport(
        start=start,
        end=end,
        gap_days=gap_days,
        computed_at=clock.now(),
        total=_row("all", _("All"), [p.participant_id for p in people], facts),
        by_program=sorted(
            (_row(f"program-{k}", program_label(k), v, facts) for k, v in by_program.items()),
            key=lambda r: r.label,
        ),
        by_organisation=sorted(
            (_row(f"org-{k}", orgs.get(k or 0, _("No program")), v, facts) for k, v in by_org.items()),
            key=lambda r: r.label,
        ),
    )


def visible_among(user, participant_ids) -> QuerySet:
    """The people of a figure the reader may see (their housing information), by name."""
    return (
        housing_visible(user)
        .filter(pk__in=list(participant_ids))
        .order_by("legal_last_name", "legal_first_name", "id")
    )
