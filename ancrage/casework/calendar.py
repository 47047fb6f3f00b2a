"""Business days in Québec: deadlines such as the recovery plan's 10 business days (B5) skip weekends and the
province's statutory holidays, taken from the maintained `holidays` library."""

from __future__ import annotations

import datetime
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
def _holidays(year: int) -> frozenset[datetime.date]:
    return frozenset(holidays.country_holidays("CA", subdiv="QC", years=year))


def is_business_day(day: datetime.date) -> bool:
    return day.weekday() < 5 and day not in _holidays(day.year)


def add_business_days(start: datetime.date, days: int) -> datetime.date:
    """The date `days` business days after `start` (start itself not counted)."""
    current = start
    remaining = days
    while remaining > 0:
        current += datetime.timedelta(days=1)
        if is_business_day(current):
            remaining -= 1
    return current
