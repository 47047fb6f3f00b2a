"""The sub-navigation of case management, shared by every casework page:
`{% include "casework/meeting_subnav.html" with subnav="meeting" %}` (subnav: the key of the current page).

Links the user's role does not open are left out."""

from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

register = template.Library()

# (key, URL name, permission, label), in the order shown.
SUBNAV = [
    ("caseload", "casework:caseload", "casework.view", _("My caseload")),
    ("meeting", "casework:meeting", "casework.view", _("Team meeting")),
    ("caseloads", "casework:caseloads", "casework.manage_team", _("Caseloads")),
    ("visits", "casework:visit_list", "casework.view", _("Field visits")),
    ("on_call", "casework:on_call", "casework.view", _("On-call")),
    ("providers", "casework:provider_list", "casework.view", _("Services directory")),
    ("assessments_due", "casework:assessments_due", "casework.view", _("Assessments due")),
    ("schedules", "casework:schedule_list", "casework.manage_team", _("Assessment schedules")),
]


def subnav_items(perms, current: str = "") -> list[dict]:
    items = []
    for key, name, perm, label in SUBNAV:
        if perm not in perms:
            continue
        url = reverse(name)
        items.append({"key": key, "url": url, "label": label, "active": key == current})
    return items


@register.simple_tag(takes_context=True)
def casework_subnav_items(context, current: str = "") -> list[dict]:
    """For `casework/meeting_subnav.html`: `{% include "casework/meeting_subnav.html" with subnav="visits" %}`."""
    return subnav_items(context.get("ancrage_perms", frozenset()), current)


@register.simple_tag
def casework_url(name: str, *args) -> str:
    """A casework URL by name, for templates that build links from data."""
    return reverse(name, args=args)
