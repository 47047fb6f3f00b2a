"""The audit action codes of the shared core (alerts closed by a person or by an undone cause)."""

from django.utils.translation import gettext_lazy as _

from ancrage.core.permissions import Category

ACTIONS = {
    "core.alert.dismissed": _("dismissed an alert"),
    "core.alert.withdrawn": _("withdrew an alert whose cause was undone"),
}

# The values are the alert's kind and recipient: shown to who may read the participant's identity.
CATEGORIES: dict[str, str | None] = {
    "core.alert.dismissed": Category.IDENTITY,
    "core.alert.withdrawn": Category.IDENTITY,
}
