"""The audit action codes of the HMIS CSV exchange and how each reads in the trail (registered at start-up)."""

from django.utils.translation import gettext_lazy as _

from ancrage.core.permissions import Category

# Codes are stable (stored on every entry); sentences are translated when shown.
ACTIONS: dict = {}

# The kind of information each entry's values carry (G1, G2); None: the entry concerns no participant.
CATEGORIES: dict[str, str | None] = {}

# The HMIS CSV export (ancrage.interop.hmis.export): the export itself, and one read per person in it.
ACTIONS.update(
    {
        "interop.hmis_export.created": _("exported an HMIS CSV file"),
        "interop.hmis_client.exported": _("exported the person's records in an HMIS CSV file"),
    }
)
CATEGORIES.update({"interop.hmis_export.created": None, "interop.hmis_client.exported": Category.IDENTITY})
