"""The housing section's tabs, for `housing/includes/subnav.html`: those the user's role opens."""

from __future__ import annotations

from django import template
from django.urls import reverse

from ancrage.housing.navigation import SECTIONS

register = template.Library()


@register.simple_tag(takes_context=True)
def housing_sections(context, current: str = "") -> list[dict]:
    perms = context.get("ancrage_perms", frozenset())
    return [
        {"key": key, "url": reverse(name), "label": label, "active": key == current}
        for key, name, perm, label in SECTIONS
        if perm in perms
    ]
