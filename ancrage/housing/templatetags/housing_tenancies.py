"""Template helpers of housing: the section's tabs."""

from django import template

from ancrage.housing.navigation import sections_for

register = template.Library()


@register.simple_tag(takes_context=True)
def housing_sections(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    return sections_for(user)
