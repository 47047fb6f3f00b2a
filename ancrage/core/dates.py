"""Dates written out in words, the way each language writes them: in French the first of the month is « 1er »
(« 1er septembre 2026 »), which Django's date formats cannot say; and the calendar arithmetic reports count
with over every person (months later, whole years), as `dateutil.relativedelta` counts, in a fraction of its
time."""

from __future__ import annotations

import calendar
import datetime

from django.utils import formats
from django.utils.translation import get_language


def long_date(value: datetime.date | None, fmt: str = "j F Y") -> str:
    """`value` in `fmt` (a date format or a format name such as "DATE_FORMAT"), with « 1er » in French."""
    if not value:
        return ""
    pattern = formats.get_format(fmt) if fmt.isupper() else fmt
    if value.day == 1 and (get_language() or "").startswith("fr"):
        # An escaped literal in place of the unpadded day: 'j F Y' -> '\1\e\r F Y'.
        pattern = _replace_day(pattern)
    return formats.date_format(value, pattern)


def _replace_day(pattern: str) -> str:
    out, escaped = [], False
    for ch in pattern:
        if escaped:
            out.append("\\" + ch)
            escaped = False
        elif ch == "\\":
            escaped = True
        elif ch == "j":
            out.append("\\1\\e\\r")
        else:
            out.append(ch)
    return "".join(out)


def months_later(day: datetime.date, months: int) -> datetime.date:
    """`day + relativedelta(months=months)`: the same day `months` later (earlier when negative), or the
    month's last day when it is shorter (31 January + 1 month = 28 or 29 February)."""
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    month += 1
    if day.day <= 28:
        return datetime.date(year, month, day.day)
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def whole_years(birth: datetime.date, on: datetime.date) -> int:
    """`relativedelta(on, birth).years` for `on` on or after `birth`: the years from `birth` to `on`, a
    birthday on 29 February falling on the 28th in other years."""
    years = on.year - birth.year
    if (on.month, on.day) < (birth.month, birth.day):
        if not (birth.month == 2 and birth.day == 29 and on.month == 2 and on.day == 28):
            return years - 1
        if calendar.isleap(on.year):
            return years - 1
    return years
