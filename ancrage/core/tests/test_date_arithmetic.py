"""Months later and whole years (`core.dates`) count exactly as `dateutil.relativedelta`, which the outcomes
definitions used before: every day of twelve years (four leap years), month ends and 29 February."""

from __future__ import annotations

import datetime

from dateutil.relativedelta import relativedelta

from ancrage.core.dates import months_later, whole_years

DAYS = [datetime.date(1995, 1, 1) + datetime.timedelta(days=n) for n in range(365 * 12 + 3)]


def test_months_later_is_relativedelta_months():
    for day in DAYS:
        for months in (-25, -12, -1, 0, 1, 2, 6, 11, 12, 13, 24):
            assert months_later(day, months) == day + relativedelta(months=months), (day, months)


def test_whole_years_are_relativedelta_years():
    births = [*DAYS[::7], *(datetime.date(year, 2, 29) for year in range(1996, 2008, 4))]
    ends = [
        datetime.date(year, month, day)
        for year in range(1995, 2012)
        for month, day in ((1, 1), (2, 27), (2, 28), (2, 29), (3, 1), (6, 15), (12, 31))
        if not (month == 2 and day == 29 and year % 4)
    ]
    checked = 0
    for birth in births:
        for on in (birth, *ends):
            if on >= birth:
                assert whole_years(birth, on) == relativedelta(on, birth).years, (birth, on)
                checked += 1
    assert checked > 10_000
