"""The arithmetic of the rent roll, in exact decimals (never floats).

Rule (C5), said the same on the roll's page: a tenancy active for part of a month (moved in or out during it)
owes `monthly rent × days covered ÷ days in the month`, rounded half up to the cent. The days covered run from
the later of the lease's start and the first of the month to the earlier of the tenancy's end and the last of the
month, both days included. The participant's share is prorated by the same rule and can never exceed the amount
due; the rent supplement part is the rest (amount due − share part), so the two parts always add up to the amount
due to the landlord, to the cent."""

from __future__ import annotations

import calendar
import datetime
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def first_of_month(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def last_of_month(month: datetime.date) -> datetime.date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def next_month(month: datetime.date) -> datetime.date:
    return (last_of_month(month) + datetime.timedelta(days=1)).replace(day=1)


def previous_month(month: datetime.date) -> datetime.date:
    return (first_of_month(month) - datetime.timedelta(days=1)).replace(day=1)


def months_between(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    """Every month from `first`'s to `last`'s, as first days, both included."""
    months = []
    month = first_of_month(first)
    while month <= last:
        months.append(month)
        month = next_month(month)
    return months


def days_covered(
    month: datetime.date, lease_start: datetime.date, ended_on: datetime.date | None
) -> tuple[int, int]:
    """(days of `month` the tenancy covers, days in the month); 0 days when it covers none."""
    first, last = first_of_month(month), last_of_month(month)
    start = max(first, lease_start)
    end = min(last, ended_on) if ended_on is not None else last
    return max(0, (end - start).days + 1), last.day


def prorate(amount: Decimal, days: int, days_in_month: int) -> Decimal:
    """`amount × days ÷ days_in_month`, half up to the cent; the whole amount for a whole month."""
    if days >= days_in_month:
        return Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP)
    return (Decimal(amount) * days / days_in_month).quantize(CENT, rounding=ROUND_HALF_UP)


def split(
    monthly_rent: Decimal, participant_share: Decimal, days: int, days_in_month: int
) -> tuple[Decimal, Decimal, Decimal]:
    """(amount due to the landlord, rent supplement part, participant's share part) for the days covered."""
    amount = prorate(monthly_rent, days, days_in_month)
    share = min(prorate(participant_share, days, days_in_month), amount)
    return amount, amount - share, share
