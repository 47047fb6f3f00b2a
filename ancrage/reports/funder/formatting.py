"""Money and counts of the funder reports as the reader's language writes them (fr: « 14 000,00 $ », en:
"$14,000.00"), for pages, PDFs and the API's labels alike."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from ancrage.core.exports import is_french
from ancrage.core.money import format_money
from ancrage.reports.funder.figures import COVERING, SMALL


def money(value: Decimal | str | None) -> str:
    """An amount in dollars with cents, grouped by thousands, in the reader's language (core.money); an
    amount not kept reads as nothing."""
    if value is None or value == "":
        return ""
    return format_money(value)


def decimal(value: Decimal | str | None) -> str:
    """A decimal figure (a rate, a ratio) with the reader's decimal mark."""
    if value is None or value == "":
        return ""
    text = str(value)
    return text.replace(".", ",") if is_french() else text


def count(value: int | str | None, threshold: int) -> str:
    """A kept count: the number, "fewer than 5" for a small one, "hidden" for one hidden to protect another."""
    if value == SMALL:
        return _("fewer than %(n)s") % {"n": threshold}
    if value == COVERING:
        return _("hidden")
    if value is None:
        return ""
    return str(value)
