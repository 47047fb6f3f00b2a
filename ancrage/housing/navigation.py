"""The housing section's tabs: (key, url name, permission, label). Each part of housing adds its line; the
include template `housing/includes/subnav.html` shows those the user may open."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

SECTIONS = [
    ("furniture", "housing:furniture_bank", "housing.manage_furniture", _("Furniture bank")),
    ("budgets", "housing:budgets", "housing.view_budgets", _("Budgets")),
    ("outcomes", "housing:outcomes", "housing.view_outcomes", _("Outcomes")),
]
