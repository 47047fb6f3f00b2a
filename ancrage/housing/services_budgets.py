"""Housing budgets (C7): a program's budget lines for a year, the expenses recorded against them, and what
is left. Amounts are exact decimals; percentages are decimals rounded to one place.

Recording an expense that brings a line to its warning share says so (a message the page shows); one that
takes the line past its amount is refused unless the person confirms and gives the reason, which is kept on
the expense and in the audit trail: a line is never exceeded silently."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from ancrage.core import audit, clock
from ancrage.core.money import format_money
from ancrage.housing.models import BudgetLine, Expense, Tenancy
from ancrage.housing.services_furniture import may_see_housing_of

if TYPE_CHECKING:
    from ancrage.accounts.models import User
    from ancrage.organisations.models import Program
    from ancrage.people.models import Participant

AMOUNT_MAX = Decimal("99999999.99")
HUNDRED = Decimal("100")
# How far back an expense may be dated, and how far ahead (a typing error beyond).
EXPENSE_BACKDATE_DAYS = 800
EXPENSE_AHEAD_DAYS = 31


@dataclass(frozen=True)
class Spending:
    """One line's spending: spent, left (negative past the line), the share spent, and its state."""

    line: BudgetLine
    spent: Decimal

    @property
    def left(self) -> Decimal:
        return self.line.amount - self.spent

    @property
    def percent(self) -> Decimal:
        if not self.line.amount:
            return Decimal("100.0") if self.spent else Decimal("0.0")
        return (self.spent * HUNDRED / self.line.amount).quantize(Decimal("0.1"))

    @property
    def badge(self) -> str:
        return {"ok": "text-bg-success", "warn": "text-bg-warning", "over": "text-bg-danger"}[self.state]

    @property
    def state(self) -> str:
        """ "over" past the amount, "warn" from the line's warning share, else "ok"."""
        if self.spent > self.line.amount:
            return "over"
        if self.percent >= self.line.warn_at_percent:
            return "warn"
        return "ok"


def spending_for(lines) -> list[Spending]:
    """Each line's spending, in one query for all the lines."""
    lines = list(lines)
    totals = dict(
        Expense.objects.filter(line__in=lines)
        .values("line_id")
        .annotate(total=Sum("amount"))
        .values_list("line_id", "total")
    )
    return [Spending(line, totals.get(line.pk) or Decimal("0.00")) for line in lines]


def _program_in_reach(actor: User, program: Program) -> bool:
    return program.organisation_id in actor.organisation_ids


def budget_line_set(
    *, actor: User, program: Program, year: int, kind: str, amount: Decimal, warn_at_percent: int = 85
) -> BudgetLine:
    """Set (create or change) a program's line for a year. Only a program of the actor's organisations."""
    errors: dict[str, list[str]] = {}
    if not _program_in_reach(actor, program):
        errors["program"] = [_("Choose a program of your organisation.")]
    this_year = clock.today().year
    if year is None or not this_year - 5 <= year <= this_year + 1:
        errors["year"] = [
            _("Choose a year from %(first)s to %(last)s.") % {"first": this_year - 5, "last": this_year + 1}
        ]
    if kind not in BudgetLine.Kind.values:
        errors["kind"] = [_("Choose the kind of spending.")]
    if amount is None or amount < 0 or amount > AMOUNT_MAX:
        errors["amount"] = [_("The amount is from 0 to %(max)s.") % {"max": AMOUNT_MAX}]
    if warn_at_percent is None or not 1 <= warn_at_percent <= 100:
        errors["warn_at_percent"] = [_("The warning share is from 1 to 100%.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        line = BudgetLine.objects.select_for_update().filter(program=program, year=year, kind=kind).first()
        before = audit.snapshot(line, ["amount", "warn_at_percent"]) if line else {}
        if line is None:
            line = BudgetLine.objects.create(
                program=program, year=year, kind=kind, amount=amount, warn_at_percent=warn_at_percent
            )
            action = "housing.budget.line_created"
        else:
            line.amount, line.warn_at_percent = amount, warn_at_percent
            line.save(update_fields=["amount", "warn_at_percent", "updated_at"])
            action = "housing.budget.line_updated"
        audit.record(
            actor=actor,
            action=action,
            obj=line,
            organisation=program.organisation,
            data={
                "program": program.name,
                "year": year,
                "kind": kind,
                "changes": audit.changes(before, audit.snapshot(line, ["amount", "warn_at_percent"])),
            },
        )
    return line


@dataclass(frozen=True)
class Recorded:
    expense: Expense
    spending: Spending
    # A sentence for the person who recorded it when the line reaches its warning share or goes past it.
    warning: str = ""


def _warning(spending: Spending) -> str:
    values = {
        "line": spending.line,
        "percent": spending.percent,
        "left": format_money(spending.left),
        "over": format_money(-spending.left),
    }
    if spending.state == "over":
        return _("The line %(line)s is exceeded by %(over)s (%(percent)s%% spent).") % values
    if spending.state == "warn":
        return _("The line %(line)s is %(percent)s%% spent: %(left)s left.") % values
    return ""


def expense_record(
    *,
    actor: User,
    line: BudgetLine,
    spent_on: datetime.date,
    amount: Decimal,
    description: str,
    vendor: str = "",
    participant: Participant | None = None,
    tenancy: Tenancy | None = None,
    confirm_over: bool = False,
    over_reason: str = "",
) -> Recorded:
    """Record money spent from a line. A participant (or tenancy) must be one whose housing the actor may
    see; an expense past the line needs `confirm_over` and a reason."""
    errors: dict[str, list[str]] = {}
    today = clock.today()
    consortium_ids = set(
        type(line.program.organisation)
        .objects.filter(pk__in=actor.organisation_ids)
        .values_list("consortium_id", flat=True)
    )
    if line.program.organisation.consortium_id not in consortium_ids:
        errors["line"] = [_("Choose a budget line of your consortium's programs.")]
    if amount is None or amount <= 0 or amount > AMOUNT_MAX:
        errors["amount"] = [_("The amount is more than 0 and at most %(max)s.") % {"max": AMOUNT_MAX}]
    if spent_on is None or not (
        today - datetime.timedelta(days=EXPENSE_BACKDATE_DAYS)
        <= spent_on
        <= today + datetime.timedelta(days=EXPENSE_AHEAD_DAYS)
    ):
        errors["spent_on"] = [_("Choose a day from two years ago to a month from today.")]
    elif spent_on.year != line.year:
        errors["spent_on"] = [_("The day is not in the line's year (%(year)s).") % {"year": line.year}]
    description = (description or "").strip()
    if not description:
        errors["description"] = [_("Say what it paid for.")]
    if tenancy is not None:
        if participant is None:
            participant = tenancy.participant
        elif tenancy.participant_id != participant.pk:
            errors["tenancy"] = [_("This tenancy is not the participant's.")]
    if participant is not None and not may_see_housing_of(actor, participant):
        # The same words as for an id that does not exist (G1).
        errors["participant"] = [_("Choose a participant whose housing you may see.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        # One expense at a time per line: two people cannot both take the last dollars unwarned.
        locked = BudgetLine.objects.select_for_update(of=("self",)).select_related("program").get(pk=line.pk)
        (before,) = spending_for([locked])
        after = Spending(locked, before.spent + amount)
        reason = (over_reason or "").strip()
        if after.state == "over":
            if not confirm_over or not reason:
                raise ValidationError(
                    {
                        "over_budget_reason": [
                            _(
                                "This expense takes the line %(line)s past its amount: %(left)s left, "
                                "%(amount)s asked. Confirm and give the reason to record it anyway."
                            )
                            % {
                                "line": locked,
                                "left": format_money(before.left),
                                "amount": format_money(amount),
                            }
                        ]
                    }
                )
        else:
            reason = ""
        expense = Expense.objects.create(
            line=locked,
            participant=participant,
            tenancy=tenancy,
            spent_on=spent_on,
            amount=amount,
            vendor=(vendor or "").strip()[:200],
            description=description[:300],
            over_budget_reason=reason[:300],
            recorded_by=actor,
        )
        audit.record(
            actor=actor,
            action="housing.budget.expense_recorded",
            obj=expense,
            participant=participant,
            organisation=locked.program.organisation,
            data={
                "line": str(locked),
                "amount": str(amount),
                "spent_on": spent_on.isoformat(),
                "description": expense.description,
                "over_budget_reason": reason,
            },
        )
    return Recorded(expense, after, _warning(after))
