"""The audit action codes of housing and how each reads in the trail (registered at start-up)."""

from django.utils.translation import gettext_lazy as _

# Codes are stable (stored on every entry); sentences are translated when shown.
ACTIONS = {
    "housing.unit.created": _("added a housing unit"),
    "housing.unit.updated": _("corrected a housing unit"),
    "housing.unit.held": _("put a housing unit on hold"),
    "housing.unit.released": _("released a housing unit from hold"),
}


# The kind of information each entry's values carry (G1, G2): the audit screen shows them only to a
# reader who may read that kind for the participant now; None: the entry concerns no participant.
# Units name no participant.
CATEGORIES: dict[str, str | None] = {
    "housing.unit.created": None,
    "housing.unit.updated": None,
    "housing.unit.held": None,
    "housing.unit.released": None,
}
