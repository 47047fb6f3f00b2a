"""The audit action codes of assessments and how each reads in the trail (registered at start-up)."""

from django.utils.translation import gettext_lazy as _

from ancrage.core.permissions import Category

# Codes are stable (stored on every entry); sentences are translated when shown.
ACTIONS = {
    "assessments.instrument.loaded": _("loaded an assessment instrument version"),
    "assessments.instrument.changed": _("replaced an assessment instrument version not yet used"),
    "assessments.administration.started": _("started an assessment"),
    "assessments.administration.saved": _("saved answers to an assessment"),
    "assessments.administration.completed": _("completed an assessment"),
    "assessments.administration.declined": _("recorded that the participant declined an assessment"),
    "assessments.administration.postponed": _("postponed an assessment"),
    "assessments.administrations.viewed": _("read the participant's assessments"),
    "assessments.administration.viewed": _("read an assessment's answers and scores"),
}


# The kind of information each entry's values carry (G1, G2): the audit screen shows them only to a
# reader who may read that kind for the participant now; None: the entry concerns no participant.
# Answers and scores speak of health (substance use, mental health); loading an instrument names nobody.
CATEGORIES: dict[str, str | None] = {
    "assessments.instrument.loaded": None,
    "assessments.instrument.changed": None,
    "assessments.administration.started": Category.HEALTH,
    "assessments.administration.saved": Category.HEALTH,
    "assessments.administration.completed": Category.HEALTH,
    "assessments.administration.declined": Category.HEALTH,
    "assessments.administration.postponed": Category.HEALTH,
    "assessments.administrations.viewed": Category.HEALTH,
    "assessments.administration.viewed": Category.HEALTH,
}
