"""The figures of a month's funder report, computed once from the data and frozen as JSON (A7, B1, C7, C9, F3).

What each figure counts (the report's page says it in words too):

* **Monthly flow** (A7): the community's by-name list for the month (`community_monthly_flow`): inflow (new,
  back from housing, back from inactive), outflow (housed, moved away, inactive, institution, deceased), the
  people actively homeless at the month's end, and placements (people housed) against MONTHLY_PLACEMENT_GOAL.
* Per ICM or ACT program, and for the community (every such program, each person counted once):
  **served**: people with an enrollment open at any time in the month; **enrolled**: enrollments open on the
  month's last day; **new enrollments**: enrollments begun in the month.
* **Caseload ratio** (B1): people enrolled on the last day per case manager (distinct primary case managers of
  those enrollments that day), against the program's ratio.
* **Housing retention at 6 and 12 months** (C9) on the month's last day, as `ancrage.housing.outcomes` defines it,
  each person with the program of their first tenancy; **first move-ins** in the month.
* **Exits by destination** (F): casework exits dated in the month, by the destination recorded.
* **Costs of the month** (C7, C5): housing-budget expenses dated in the month (by the budget line's program) and
  the rent supplement part of the month's approved or closed rent rolls (by the tenancy's program). Support
  staff salaries are not in the data and are not counted.

No name is kept: counts only. A count from 1 to SMALL_COUNT_THRESHOLD - 1 is kept as "small" (never its value),
and a second figure is hidden ("covering") wherever a sum would give a hidden one back: the exits' total and its
destinations, a retention cohort and its two parts, the community's row and its programs' rows. Money is kept
as text of exact decimals.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db.models import Q, Sum

from ancrage.access import disclosure
from ancrage.access.selectors import community_monthly_flow
from ancrage.casework.models import Assignment, Enrollment, Exit
from ancrage.housing import outcomes
from ancrage.housing.models import Expense, Tenancy
from ancrage.housing.models_rent import RentCharge, RentRoll
from ancrage.organisations.models import Program

SCHEMA = 1
SMALL = "small"
COVERING = "covering"
# The figures of a row that count people (each kept as a protected cell).
COUNTS = (
    "served",
    "enrolled",
    "new_enrollments",
    "cohort_6",
    "retained_6",
    "not_retained_6",
    "cohort_12",
    "retained_12",
    "not_retained_12",
    "move_ins",
    "exits",
)
DESTINATIONS = tuple(Exit.Destination.values)
COMMUNITY = "community"


def housing_first_programs(consortium_id: int):
    return (
        Program.objects.filter(
            organisation__consortium_id=consortium_id, kind__in=Program.HOUSING_FIRST_KINDS
        )
        .select_related("organisation")
        .order_by("organisation__short_name", "name", "id")
    )


def _overlapping(first: datetime.date, last: datetime.date) -> Q:
    return Q(enrolled_on__lte=last) & (Q(exited_on__isnull=True) | Q(exited_on__gte=first))


def _money(value: Decimal | None) -> str:
    return str((value or Decimal("0")).quantize(Decimal("0.01")))


def _people_housing(program_ids: set[int], consortium_id: int) -> tuple[list[outcomes.PersonHousing], dict]:
    """Every person's tenancies in the consortium, and the program of each person's first tenancy."""
    rows = (
        Tenancy.objects.filter(participant__organisation__consortium_id=consortium_id)
        .order_by("participant_id", "lease_start", "id")
        .values_list(
            "participant_id",
            "lease_start",
            "moved_in_on",
            "ended_on",
            "end_reason",
            "previous_id",
            "program_id",
        )
    )
    stays: dict[int, list[outcomes.Stay]] = defaultdict(list)
    died: dict[int, datetime.date] = {}
    first_program: dict[int, int | None] = {}
    for pid, lease_start, moved_in_on, ended_on, end_reason, previous_id, program_id in rows:
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
        first_program.setdefault(pid, program_id)
    people = [outcomes.PersonHousing(pid, tuple(s), died_on=died.get(pid)) for pid, s in stays.items()]
    return people, first_program


class _Cell:
    """A count on its way to the JSON: its value, and why it is hidden if it is."""

    def __init__(self, value: int):
        self.value = value
        self.hidden = ""

    def frozen(self) -> int | str:
        return self.hidden or self.value


def _protect(rows: list[dict[str, Any]], threshold: int) -> None:
    """Hide small counts, then hide a second figure wherever a sum would give a hidden one back."""
    cells = [cell for row in rows for cell in _row_cells(row)]
    for cell in cells:
        if 0 < cell.value < threshold:
            cell.hidden = SMALL
    equations: list[list[_Cell]] = []
    for row in rows:
        equations.append([row["exits"], *row["destinations"].values()])
        for months in outcomes.MILESTONES:
            equations.append(
                [row[f"cohort_{months}"], row[f"retained_{months}"], row[f"not_retained_{months}"]]
            )
    # The community's row against its programs' rows (close to a sum: a person is rarely in two programs).
    if len(rows) > 1:
        for key in COUNTS:
            equations.append([row[key] for row in rows])
        for destination in DESTINATIONS:
            equations.append([row["destinations"][destination] for row in rows])
    changed = True
    while changed:
        changed = False
        for equation in equations:
            if sum(1 for c in equation if c.hidden) != 1:
                continue
            visible = sorted((c for c in equation if not c.hidden), key=lambda c: c.value)
            if visible:
                visible[0].hidden = COVERING
                changed = True


def _row_cells(row: dict[str, Any]) -> Iterable[_Cell]:
    yield from (row[key] for key in COUNTS)
    yield from row["destinations"].values()


def _freeze_row(row: dict[str, Any]) -> dict[str, Any]:
    frozen = {key: value for key, value in row.items() if key not in COUNTS and key != "destinations"}
    for key in COUNTS:
        frozen[key] = row[key].frozen()
    frozen["destinations"] = {key: cell.frozen() for key, cell in row["destinations"].items()}
    for months in outcomes.MILESTONES:
        cohort, retained = row[f"cohort_{months}"], row[f"retained_{months}"]
        shown = cohort.value and not (
            cohort.hidden or retained.hidden or row[f"not_retained_{months}"].hidden
        )
        frozen[f"rate_{months}"] = (
            str((Decimal(retained.value) * 100 / Decimal(cohort.value)).quantize(Decimal("0.1")))
            if shown
            else None
        )
    enrolled = row["enrolled"]
    managers = row["case_managers"]
    frozen["caseload_ratio"] = (
        str((Decimal(enrolled.value) / Decimal(managers)).quantize(Decimal("0.1")))
        if managers and not enrolled.hidden
        else None
    )
    return frozen


def month_figures(consortium_id: int, month: datetime.date) -> dict[str, Any]:
    """The report's figures for the month starting on `month` (its first day), JSON-ready: a constant number of
    queries whatever the number of programs and people."""
    first = month.replace(day=1)
    last = first + relativedelta(months=1, days=-1)
    threshold = settings.ANCRAGE["SMALL_COUNT_THRESHOLD"]
    goal = settings.ANCRAGE["MONTHLY_PLACEMENT_GOAL"]
    gap_days = settings.ANCRAGE["RETENTION_GAP_DAYS"]
    programs = list(housing_first_programs(consortium_id))
    program_ids = {p.pk for p in programs}

    # Enrollments open in the month, and who follows each on the last day.
    enrollments = list(
        Enrollment.objects.filter(_overlapping(first, last), program_id__in=program_ids).values_list(
            "pk", "participant_id", "program_id", "enrolled_on", "exited_on"
        )
    )
    served: dict[int | None, set[int]] = defaultdict(set)
    enrolled: dict[int | None, set[int]] = defaultdict(set)
    new: dict[int | None, set[int]] = defaultdict(set)
    open_on_last: dict[int, int] = {}
    for pk, pid, program_id, enrolled_on, exited_on in enrollments:
        for key in (program_id, None):
            served[key].add(pid)
            if first <= enrolled_on <= last:
                new[key].add(pid)
            if exited_on is None or exited_on >= last:
                enrolled[key].add(pid)
        if exited_on is None or exited_on >= last:
            open_on_last[pk] = program_id
    workers: dict[int | None, set[int]] = defaultdict(set)
    for enrollment_id, worker_id in (
        Assignment.objects.filter(enrollment_id__in=list(open_on_last), starts_on__lte=last)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=last))
        .values_list("enrollment_id", "worker_id")
    ):
        workers[open_on_last[enrollment_id]].add(worker_id)
        workers[None].add(worker_id)

    # Retention and first move-ins, each person with the program of their first tenancy.
    people, first_program = _people_housing(program_ids, consortium_id)
    retained: dict[str, dict[int | None, int]] = defaultdict(lambda: defaultdict(int))
    for months in outcomes.MILESTONES:
        figure = outcomes.retention(people, months=months, reference=last, gap_days=gap_days)
        for name, ids in (
            (f"cohort_{months}", figure.cohort),
            (f"retained_{months}", figure.retained),
            (f"not_retained_{months}", figure.not_retained),
        ):
            for pid in ids:
                retained[name][first_program.get(pid)] += 1
                retained[name][None] += 1
    for person in people:
        if person.first_move_in and first <= person.first_move_in <= last:
            retained["move_ins"][first_program.get(person.participant_id)] += 1
            retained["move_ins"][None] += 1

    # Exits of the month by destination.
    exits: dict[int | None, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for program_id, destination in Exit.objects.filter(
        exited_on__range=(first, last), enrollment__program_id__in=program_ids
    ).values_list("enrollment__program_id", "destination"):
        exits[program_id][destination] += 1
        exits[None][destination] += 1

    # Costs of the month.
    expenses = dict(
        Expense.objects.filter(line__program_id__in=program_ids, spent_on__range=(first, last))
        .values("line__program_id")
        .annotate(total=Sum("amount"))
        .values_list("line__program_id", "total")
    )
    supplements = dict(
        RentCharge.objects.filter(
            tenancy__program_id__in=program_ids, roll__month=first, roll__status__in=PAID_ROLLS
        )
        .values("tenancy__program_id")
        .annotate(total=Sum("supplement_part"))
        .values_list("tenancy__program_id", "total")
    )

    def row(key: int | None, program: Program | None) -> dict[str, Any]:
        spent = expenses.get(key) if key else sum(expenses.values(), Decimal("0"))
        paid = supplements.get(key) if key else sum(supplements.values(), Decimal("0"))
        destinations = {d: _Cell(exits[key].get(d, 0)) for d in DESTINATIONS}
        result: dict[str, Any] = {
            "key": f"program-{key}" if key else COMMUNITY,
            "program_id": key,
            "name": program.name if program else "",
            "name_en": (program.name_en or program.name) if program else "",
            "organisation": program.organisation.short_name if program else "",
            "kind": program.kind if program else "",
            "ratio_target": program.effective_caseload_ratio if program else None,
            "case_managers": len(workers[key]),
            "served": _Cell(len(served[key])),
            "enrolled": _Cell(len(enrolled[key])),
            "new_enrollments": _Cell(len(new[key])),
            "move_ins": _Cell(retained["move_ins"][key]),
            "exits": _Cell(sum(c.value for c in destinations.values())),
            "destinations": destinations,
            "costs": {
                "expenses": _money(spent),
                "rent_supplements": _money(paid),
                "total": _money((spent or Decimal("0")) + (paid or Decimal("0"))),
            },
        }
        for months in outcomes.MILESTONES:
            for name in (f"cohort_{months}", f"retained_{months}", f"not_retained_{months}"):
                result[name] = _Cell(retained[name][key])
        return result

    rows = [row(None, None), *(row(p.pk, p) for p in programs)]
    _protect(rows, threshold)

    # The monthly flow, protected with the month before (the stock at its end is a figure of the table).
    before = first - relativedelta(months=1)
    flows = [
        community_monthly_flow(before.year, before.month),
        community_monthly_flow(first.year, first.month),
    ]
    cells = disclosure.protect(flows, threshold)[-1]
    flow: dict[str, Any] = {key: (cell.hidden or cell.value) for key, cell in cells.items()}
    placements = cells["housed"]
    if placements.shown:
        flow["goal_met"] = placements.value >= goal
    else:
        flow["goal_met"] = False if placements.hidden == "small" and threshold <= goal else None

    return {
        "schema": SCHEMA,
        "month": first.isoformat(),
        "last_day": last.isoformat(),
        "threshold": threshold,
        "goal": goal,
        "gap_days": gap_days,
        "flow": flow,
        "rows": [_freeze_row(r) for r in rows],
    }


PAID_ROLLS = (RentRoll.Status.APPROVED, RentRoll.Status.CLOSED)
