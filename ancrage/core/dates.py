"""Dates written out in words, the way each language writes them: in French the first of the month is « 1er »
(« 1er septembre 2026 »), which Django's date formats cannot say."""

from __future__ import annotations

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
