"""The audit action codes of the HMIS CSV exchange and how each reads in the trail (registered at start-up)."""

from django.utils.translation import gettext_lazy as _

from ancrage.core.permissions import Category

# Codes are stable (stored on every entry); sentences are translated when shown.
ACTIONS: dict = {
    # Imports (ancrage.interop.imports): the upload, each stage, the data-quality report, the imported history.
    "interop.import.uploaded": _("uploaded an HMIS CSV export to import"),
    "interop.import.stage_done": _("finished a stage of an HMIS import"),
    "interop.import.report_viewed": _("read the data-quality report of an HMIS import"),
    "interop.import.report_downloaded": _("downloaded the data-quality report of an HMIS import"),
    "interop.history.viewed": _("saw a participant's history imported from another system"),
    # The export (ancrage.interop.hmis.export): the export itself, and one read per person in it.
    "interop.hmis_export.created": _("exported an HMIS CSV file"),
    "interop.hmis_client.exported": _("exported the person's records in an HMIS CSV file"),
}

# The kind of information each entry's values carry (G1, G2); None: the entry concerns no participant.
CATEGORIES: dict[str, str | None] = {
    "interop.import.uploaded": None,
    "interop.import.stage_done": None,
    "interop.import.report_viewed": None,
    "interop.import.report_downloaded": None,
    "interop.history.viewed": Category.HOUSING,
    "interop.hmis_export.created": None,
    "interop.hmis_client.exported": Category.IDENTITY,
}
