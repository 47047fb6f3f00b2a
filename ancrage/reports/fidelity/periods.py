"""Quarters, the periods fidelity is scored and self-assessed for ("2026-Q3")."""

from __future__ import annotations

import datetime
import re

from django.utils.translation import gettext as _

from ancrage.core import clock

_KEY = re.compile(r"^(\d{4})-Q([1-4])$")


def bounds(key: str) -> tuple[datetime.date, datetime.date] | None:
    """The first and last day of a quarter key, None when it is not one."""
    match = _KEY.match(key or "")
    if not match:
        return None
    year, quarter = int(match.group(1)), int(match.group(2))
    if not 1900 <= year <= 9998:
        return None
    start = datetime.date(year, 3 * quarter - 2, 1)
    following = datetime.date(year + (quarter == 4), (3 * quarter) % 12 + 1, 1)
    return start, following - datetime.timedelta(days=1)


def key_of(day: datetime.date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def label(key: str) -> str:
    found = bounds(key)
    if found is None:
        return key
    return _("Q%(quarter)s %(year)s") % {"quarter": key[-1], "year": key[:4]}


def recent(count: int = 12, today: datetime.date | None = None) -> list[str]:
    """The current quarter and the `count - 1` before it, the latest first."""
    day = today or clock.today()
    year, quarter = day.year, (day.month - 1) // 3 + 1
    keys = []
    for _i in range(count):
        keys.append(f"{year}-Q{quarter}")
        quarter -= 1
        if quarter == 0:
            year, quarter = year - 1, 4
    return keys


def default(today: datetime.date | None = None) -> str:
    """The last full quarter: the one a program assesses."""
    return recent(2, today)[1]
