"""Amounts of money as each language writes them: « 1 234,50 $ » in French, "$1,234.50" in English.

One function for pages, PDFs, emails and messages, so an amount reads the same everywhere. Exports keep
plain numbers (a spreadsheet must be able to add them up).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils import numberformat
from django.utils.translation import get_language

CENT = Decimal("0.01")
# A no-break space groups thousands and ties the sign: every font, PDF ones included, has it.
NBSP = "\xa0"


def format_money(amount, *, language: str | None = None) -> str:
    """`amount` (Decimal, int, float or numeric text) in dollars and cents in `language` (default: the active
    one); an empty or unreadable amount reads "—"."""
    if amount is None or amount == "":
        return "—"
    try:
        value = Decimal(str(amount)).quantize(CENT, rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError):
        return "—"
    lang = (language or get_language() or "fr").lower()
    sign = "-" if value < 0 else ""
    if lang.startswith("fr"):
        digits = numberformat.format(abs(value), ",", 2, 3, NBSP, force_grouping=True)
        return f"{sign}{digits}{NBSP}$"
    digits = numberformat.format(abs(value), ".", 2, 3, ",", force_grouping=True)
    return f"{sign}${digits}"
