"""The housing section's tabs: (key, url name, permission, label), shown by housing/includes/subnav.html to a
user who holds the tab's permission. Each part of housing adds its own line."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

SECTIONS = [
    ("landlords", "housing:landlord_list", "housing.view_landlords", _("Landlords")),
    ("complaints", "housing:complaint_list", "housing.view_landlords", _("Complaints")),
    ("availability", "housing:availability", "housing.view_units", _("Availability")),
    ("units", "housing:unit_list", "housing.view_units", _("Units")),
    ("tenancies", "housing:tenancy_list", "housing.view_tenancies", _("Tenancies")),
    ("rent", "housing:rent_home", "housing.view_rent", _("Rent")),
    ("furniture", "housing:furniture_bank", "housing.manage_furniture", _("Furniture bank")),
    ("budgets", "housing:budgets", "housing.view_budgets", _("Budgets")),
    ("outcomes", "housing:outcomes", "housing.view_outcomes", _("Outcomes")),
]


def tabs(request, active: str = "") -> list[dict]:
    """The tabs the user may see, the one of the page marked active (by key, else by the path)."""
    from django.urls import reverse

    user = request.user
    items = []
    for key, url_name, perm, label in SECTIONS:
        if perm and not user.has_ancrage_perm(perm):
            continue
        url = reverse(url_name)
        items.append(
            {
                "key": key,
                "url": url,
                "label": label,
                "active": key == active or (not active and request.path.startswith(url)),
            }
        )
    return items
