"""The housing section's tabs, for housing/includes/subnav.html."""

from django import template

from ancrage.housing.navigation import tabs

register = template.Library()


@register.simple_tag(takes_context=True)
def housing_tabs(context, active: str = "") -> list[dict]:
    return tabs(context["request"], active)
