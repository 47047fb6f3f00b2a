"""The alerts coordinated access raises, and their sentences (registered at start-up)."""

from django.utils.translation import gettext_lazy as _

KINDS = {
    "access.match.stalled": _("A match has had no step for %(days)s days."),
}
