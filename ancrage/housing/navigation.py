"""The housing section's tabs: (key, url name, permission, label); each part of housing adds its line."""

from django.utils.translation import gettext_lazy as _

SECTIONS = [
    ("tenancies", "housing:tenancy_list", "housing.view_tenancies", _("Tenancies")),
]


def sections_for(user) -> list:
    """The tabs the user may open."""
    return [s for s in SECTIONS if user.has_ancrage_perm(s[2])]
