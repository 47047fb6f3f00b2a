"""The audit action codes of assessments and how each reads in the trail (registered at start-up)."""

from django.utils.translation import gettext_lazy as _

# Codes are stable (stored on every entry); sentences are translated when shown.
ACTIONS = {
    "assessments.instrument.loaded": _("loaded an assessment instrument version"),
    "assessments.instrument.changed": _("replaced an assessment instrument version not yet used"),
    "assessments.administration.started": _("started an assessment"),
    "assessments.administration.saved": _("saved answers to an assessment"),
    "assessments.administration.completed": _("completed an assessment"),
    "assessments.administration.declined": _("recorded that the participant declined an assessment"),
    "assessments.administration.postponed": _("postponed an assessment"),
}
