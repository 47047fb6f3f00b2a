"""Template tags of case management: the panel on a participant's file."""

from __future__ import annotations

from django import template
from django.urls import reverse

from ancrage.casework.caseload import selectors as sel
from ancrage.casework.contacts import selectors as contacts_selectors
from ancrage.casework.models import Exit
from ancrage.casework.partner_view.selectors import partner_view_for
from ancrage.casework.plans.selectors import active_goals_for_panel
from ancrage.casework.selectors import access_can_write, active_enrollment
from ancrage.core.permissions import Category

register = template.Library()

# The next actions offered on the file's panel, most used first (others are on the casework page).
PANEL_LINKS = (
    "casework:contact_create",
    "casework:visit_plan",
    "casework:plan",
    "casework:contact_list",
    "casework:risk_list",
)


@register.inclusion_tag("casework/caseload_panel.html", takes_context=True)
def casework_panel(context, access) -> dict:
    """Current enrollment, primary case manager and next actions, for users who may read the participant's
    case management (casework.view and case-notes information), with its visits under way or overdue (B9);
    nothing otherwise. Three queries at most: the enrollment, its plan's active goals (or the last exit) and
    the plan read's audit entry."""
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    if (
        access is None
        or user is None
        or not user.is_authenticated
        or not user.has_ancrage_perm("casework.view")
        or not access.can(Category.CASE_NOTES)
    ):
        return {"show": False}
    enrollment = active_enrollment(access.participant)
    # Without an active enrollment, the latest exit says how the service ended (one more query).
    last_exit = (
        None
        if enrollment
        else Exit.objects.filter(participant=access.participant)
        .select_related("enrollment__program")
        .order_by("-exited_on", "-id")
        .first()
    )
    goals = active_goals_for_panel(user, access, enrollment) if enrollment else []
    return {
        "show": True,
        "goals": goals,
        "p": access.participant,
        "enrollment": enrollment,
        "open_visits": contacts_selectors.visits_under_way(user, access.participant),
        "last_exit": last_exit,
        "exit_url": reverse(
            "casework:exit_detail", kwargs={"pk": access.participant.pk, "exit_pk": last_exit.pk}
        )
        if last_exit
        else None,
        # Without an active enrollment, only the pages to read (no contact, visit or exit to record).
        "links": sel.part_links(user, access, names=PANEL_LINKS, enrolled=enrollment is not None)
        if enrollment or last_exit
        else [],
        "can_enroll": access_can_write(access) and user.has_ancrage_perm("casework.manage_team"),
    }


@register.inclusion_tag("casework/partner_view_panel.html", takes_context=True)
def partner_panel(context, access) -> dict:
    """A partner's view of the participant (D7, E3): shown outside the home organisation to a viewer who has
    no case management of their own (no casework.view: a partner agency), with what each kind of information
    the consent covers allows. Case managers of other organisations read case management through its pages."""
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    if access is None or user is None or not user.is_authenticated or user.has_ancrage_perm("casework.view"):
        return {"show": False}
    view = partner_view_for(user, access)
    if view is None:
        return {"show": False}
    return {"show": True, "p": access.participant, "view": view, "Category": Category}
