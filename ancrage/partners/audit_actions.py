"""The audit action codes of partners and how each reads in the trail (registered at start-up)."""

from django.utils.translation import gettext_lazy as _

from ancrage.core.permissions import Category

# Codes are stable (stored on every entry); sentences are translated when shown.
ACTIONS = {
    "partners.partner.created": _("added a partner to the registry"),
    "partners.partner.updated": _("corrected a partner of the registry"),
    "partners.contact.added": _("added a contact person at a partner"),
    "partners.agreement.added": _("recorded an agreement with a partner"),
    "partners.agreement.ended": _("ended an agreement with a partner"),
    "partners.agreement.viewed": _("opened an agreement's document"),
    "partners.contact_log.recorded": _("logged a contact with a partner"),
    "partners.police_link.set": _("linked a police unit to a risk plan"),
    "partners.police_link.removed": _("unlinked a police unit from a risk plan"),
    "partners.notice.sent": _("sent a significant-change notice to a partner"),
    "partners.notice.skipped": _("did not send a significant-change notice to a partner"),
    "partners.notice.viewed": _("read significant-change notices"),
    "partners.police_link.viewed": _("saw a risk plan linked to a police unit"),
}

# The kind of information each entry's values carry (G1, G2); None: the entry concerns no participant.
# A notice's values name the kind of change; police links belong to a risk plan.
CATEGORIES: dict[str, str | None] = {
    "partners.partner.created": None,
    "partners.partner.updated": None,
    "partners.contact.added": None,
    "partners.agreement.added": None,
    "partners.agreement.ended": None,
    "partners.agreement.viewed": None,
    "partners.contact_log.recorded": None,
    "partners.police_link.set": Category.RISK,
    "partners.police_link.removed": Category.RISK,
    "partners.notice.sent": Category.IDENTITY,
    "partners.notice.skipped": Category.IDENTITY,
    "partners.notice.viewed": Category.IDENTITY,
    "partners.police_link.viewed": Category.RISK,
}
