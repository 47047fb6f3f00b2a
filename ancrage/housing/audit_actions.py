"""The audit action codes of housing and how each reads in the trail (registered at start-up)."""

from django.utils.translation import gettext_lazy as _

# Codes are stable (stored on every entry); sentences are translated when shown.
ACTIONS = {
    "housing.unit.created": _("added a housing unit"),
    "housing.unit.updated": _("corrected a housing unit"),
    "housing.unit.held": _("put a housing unit on hold"),
    "housing.unit.released": _("released a housing unit from hold"),
    # Move-in support, budgets and outcomes (C6, C7, C9)
    "housing.furniture.item_created": _("added an item to the furniture bank"),
    "housing.furniture.stock_moved": _("changed the furniture bank's stock"),
    "housing.furniture.kit_created": _("made a starter kit"),
    "housing.furniture.reserved": _("reserved furniture for a participant"),
    "housing.furniture.reservation_cancelled": _("cancelled a furniture reservation"),
    "housing.furniture.delivery_booked": _("booked a furniture delivery"),
    "housing.furniture.delivery_delivered": _("marked a furniture delivery delivered"),
    "housing.furniture.delivery_cancelled": _("cancelled a furniture delivery"),
    "housing.furniture.viewed": _("viewed furniture reservations and deliveries"),
    "housing.budget.line_created": _("set a housing budget line"),
    "housing.budget.line_updated": _("changed a housing budget line"),
    "housing.budget.expense_recorded": _("recorded a housing expense"),
    "housing.budget.viewed": _("viewed housing expenses"),
    "housing.outcomes.people_viewed": _("viewed the people behind a housing outcome"),
}


# The kind of information each entry's values carry (G1, G2): the audit screen shows them only to a
# reader who may read that kind for the participant now; None: the entry concerns no participant.
# Units name no participant.
CATEGORIES: dict[str, str | None] = {
    "housing.unit.created": None,
    "housing.unit.updated": None,
    "housing.unit.held": None,
    "housing.unit.released": None,
    # Move-in support, budgets and outcomes: stock, kits and lines name nobody; the rest is housing information.
    "housing.furniture.item_created": None,
    "housing.furniture.stock_moved": None,
    "housing.furniture.kit_created": None,
    "housing.furniture.reserved": "housing",
    "housing.furniture.reservation_cancelled": "housing",
    "housing.furniture.delivery_booked": "housing",
    "housing.furniture.delivery_delivered": "housing",
    "housing.furniture.delivery_cancelled": "housing",
    "housing.furniture.viewed": "housing",
    "housing.budget.line_created": None,
    "housing.budget.line_updated": None,
    "housing.budget.expense_recorded": "housing",
    "housing.budget.viewed": "housing",
    "housing.outcomes.people_viewed": "housing",
}
