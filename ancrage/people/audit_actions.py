"""The audit action codes of participants' files and how each reads in the trail (registered at start-up)."""

from django.utils.translation import gettext_lazy as _

# Codes are stable (stored on every entry); sentences are translated when shown.
ACTIONS = {
    "people.participant.created": _("created the participant's file"),
    "people.participant.updated": _("changed the participant's file"),
    "people.participant.viewed": _("viewed the participant's file"),
    "people.participant.merged": _("merged another file into this one"),
    "people.participant.merge_undone": _("undid a merge"),
    "people.participant.not_duplicate": _("recorded that two files are different people"),
    "people.participant.linked": _("linked two files of the same person"),
    "people.alias.added": _("added an alias"),
    "people.alias.removed": _("removed an alias"),
    "people.identifier.added": _("added an identifier"),
    "people.contact.added": _("added a support or emergency contact"),
    "people.household.added": _("added a household member"),
    "people.consent.recorded": _("recorded a consent"),
    "people.consent.revoked": _("revoked a consent"),
    "people.document.uploaded": _("uploaded a signed document"),
    "people.document.viewed": _("opened a signed document"),
    "people.audit.viewed": _("viewed who saw the file"),
}
