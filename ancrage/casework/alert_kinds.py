"""The alerts case management raises, and their sentences (registered at start-up)."""

from django.utils.translation import gettext_lazy as _

KINDS = {
    "casework.visit.overdue": _(
        "%(worker)s has not ended a field visit at %(location)s planned to end at %(end)s."
    ),
    "casework.visit.ended_by_colleague": _(
        "%(actor)s ended your field visit at %(location)s for you: %(reason)s"
    ),
    "casework.visit.safe": _("%(worker)s said they are safe (field visit at %(location)s)."),
    "casework.incident.recorded": _("Incident recorded: %(kind)s."),
    "casework.lost_contact": _("No contact for %(days)s days: a re-engagement plan is started."),
    "casework.assignment.new": _("You are now the primary case manager."),
}

# Parameters stored as a choice's code, shown as the choice's label in the reader's language.
PARAM_CHOICES = {
    "casework.incident.recorded": {"kind": "ancrage.casework.models.Incident.Kind"},
}
