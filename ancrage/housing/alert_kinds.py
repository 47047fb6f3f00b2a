"""The alerts housing raises, and their sentences (registered at start-up)."""

from django.utils.translation import gettext_lazy as _

KINDS = {
    # The rent payment service (C5).
    "housing.rent.roll_to_approve": _("The draft rent roll of next month is ready: check it and approve it."),
    "housing.rent.plan_broken": _("A repayment plan is broken: %(amount)s still owed."),
}

PARAM_CHOICES: dict[str, dict[str, str]] = {}
