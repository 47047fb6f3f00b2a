"""`{{ day|long_date }}` and `{{ day|long_date:"l j F Y" }}`: a date in words, « 1er » in French."""

from __future__ import annotations

from django import template

from ancrage.core.dates import long_date as _long_date

register = template.Library()


@register.filter
def long_date(value, fmt: str = "j F Y") -> str:
    return _long_date(value, fmt)
