"""The audit action codes of reporting and how each reads in the trail (registered at start-up)."""

from django.utils.translation import gettext_lazy as _

# Codes are stable (stored on every entry); sentences are translated when shown.
ACTIONS: dict = {
    # The monthly funder reports (G6): figures only, no participant.
    "reports.funder_report.generated": _("generated a monthly funder report"),
    "reports.funder_report.regenerated": _("generated a monthly funder report again"),
}

# The kind of information each entry's values carry (G1, G2); None: the entry concerns no participant.
CATEGORIES: dict[str, str | None] = {
    "reports.funder_report.generated": None,
    "reports.funder_report.regenerated": None,
}
