"""The audit action codes of housing and how each reads in the trail (registered at start-up)."""

from django.utils.translation import gettext_lazy as _

# Codes are stable (stored on every entry); sentences are translated when shown.
ACTIONS = {
    "housing.unit.created": _("added a housing unit"),
}
