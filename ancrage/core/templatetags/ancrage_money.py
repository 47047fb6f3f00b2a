"""{{ amount|money }}: an amount as the reader's language writes it (see ancrage.core.money)."""

from django import template

from ancrage.core.money import format_money

register = template.Library()


@register.filter
def money(amount) -> str:
    return format_money(amount)
