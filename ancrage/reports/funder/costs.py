"""Cost per participant (G6), per ICM or ACT program and calendar year, against the reference costs.

What is counted: the program's housing-budget expenses dated in the year (furniture, storage, insurance, moving,
damage repairs, temporary stays…, C7) and the rent supplement part of the year's approved or closed rent rolls
for the program's tenancies (C5). Support staff salaries and the program's other costs are not in the data, so
the figure is a part of the reference cost (which includes housing and support), never the whole of it.

* **Participants served**: people with an enrollment in the program open at any time in the year (up to the
  reference day for the current year).
* **Participant-years housed**: the days the program's tenancies were lived in within the year (from the move-in,
  or lease start, to the end or the reference day), divided by the days of the year.
* **Cost per participant served** = counted cost / participants served; **cost per participant-year housed** =
  counted cost / participant-years housed, which compares with the yearly reference cost.
* A program with no budget line for the year and no rent supplement paid has **no budget data**: it is said,
  rather than shown as a cost of 0.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import Q, Sum

from ancrage.casework.models import Enrollment
from ancrage.housing.models import BudgetLine, Expense, Tenancy
from ancrage.housing.models_rent import RentCharge
from ancrage.organisations.models import Program
from ancrage.reports.funder.figures import PAID_ROLLS, housing_first_programs

CENT = Decimal("0.01")


def reference_cost(kind: str) -> Decimal:
    key = "REFERENCE_COST_ACT" if kind == Program.Kind.ACT else "REFERENCE_COST_ICM"
    return Decimal(settings.ANCRAGE[key])


@dataclass
class ProgramCost:
    program: Program
    has_budget_data: bool
    expenses: Decimal
    rent_supplements: Decimal
    served: int
    housed_days: int
    days_in_year: int
    reference: Decimal

    @property
    def total(self) -> Decimal:
        return self.expenses + self.rent_supplements

    @property
    def housed_years(self) -> Decimal:
        return (Decimal(self.housed_days) / self.days_in_year).quantize(CENT)

    @property
    def per_participant(self) -> Decimal | None:
        if not self.has_budget_data or not self.served:
            return None
        return (self.total / self.served).quantize(CENT)

    @property
    def per_housed_year(self) -> Decimal | None:
        if not self.has_budget_data or not self.housed_days:
            return None
        return (self.total * self.days_in_year / self.housed_days).quantize(CENT)

    @property
    def share_of_reference(self) -> Decimal | None:
        """The cost per participant-year housed as a percentage of the reference cost."""
        value = self.per_housed_year
        if value is None or not self.reference:
            return None
        return (value * 100 / self.reference).quantize(Decimal("0.1"))


@dataclass
class CostView:
    year: int
    start: datetime.date
    end: datetime.date
    programs: list[ProgramCost]


def cost_view(consortium_ids, year: int, today: datetime.date) -> CostView:
    """The year's costs of every ICM and ACT program of the consortiums, up to `today` for the current year:
    six queries whatever the number of programs."""
    start = datetime.date(year, 1, 1)
    end = min(datetime.date(year, 12, 31), today)
    days_in_year = (datetime.date(year, 12, 31) - start).days + 1
    programs = [p for cid in sorted(consortium_ids) for p in housing_first_programs(cid)]
    ids = [p.pk for p in programs]
    budgeted = set(
        BudgetLine.objects.filter(program_id__in=ids, year=year).values_list("program_id", flat=True)
    )
    expenses = dict(
        Expense.objects.filter(line__program_id__in=ids, spent_on__range=(start, end))
        .values("line__program_id")
        .annotate(total=Sum("amount"))
        .values_list("line__program_id", "total")
    )
    supplements = dict(
        RentCharge.objects.filter(
            tenancy__program_id__in=ids,
            roll__month__range=(start, end),
            roll__status__in=PAID_ROLLS,
        )
        .values("tenancy__program_id")
        .annotate(total=Sum("supplement_part"))
        .values_list("tenancy__program_id", "total")
    )
    served: dict[int, set[int]] = defaultdict(set)
    for program_id, pid in Enrollment.objects.filter(
        Q(enrolled_on__lte=end) & (Q(exited_on__isnull=True) | Q(exited_on__gte=start)), program_id__in=ids
    ).values_list("program_id", "participant_id"):
        served[program_id].add(pid)
    housed_days: dict[int, int] = defaultdict(int)
    for program_id, lease_start, moved_in_on, ended_on in Tenancy.objects.filter(
        Q(program_id__in=ids), Q(lease_start__lte=end), Q(ended_on__isnull=True) | Q(ended_on__gte=start)
    ).values_list("program_id", "lease_start", "moved_in_on", "ended_on"):
        begin = max(moved_in_on or lease_start, start)
        finish = min(ended_on or end, end)
        if finish >= begin:
            housed_days[program_id] += (finish - begin).days + 1
    rows = []
    for program in programs:
        paid = supplements.get(program.pk) or Decimal("0.00")
        rows.append(
            ProgramCost(
                program=program,
                has_budget_data=program.pk in budgeted or bool(paid),
                expenses=expenses.get(program.pk) or Decimal("0.00"),
                rent_supplements=paid,
                served=len(served[program.pk]),
                housed_days=housed_days[program.pk],
                days_in_year=days_in_year,
                reference=reference_cost(program.kind),
            )
        )
    return CostView(year=year, start=start, end=end, programs=rows)
