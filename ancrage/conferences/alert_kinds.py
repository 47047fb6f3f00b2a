"""The alerts case conferencing raises, and their sentences (registered at start-up)."""

from django.utils.translation import gettext_lazy as _

KINDS = {
    "conferences.escalation": _(
        "Discussed %(times)s times at %(table)s without progress: to escalate to the program managers."
    ),
    "conferences.delivery.failed": _("An email of the meeting of %(date)s could not be sent to %(member)s."),
}
