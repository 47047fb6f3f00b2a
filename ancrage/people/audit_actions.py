"""The audit action codes of participants' files and how each reads in the trail (registered at start-up)."""

from django.utils.translation import gettext_lazy as _

from ancrage.core.permissions import Category

# Codes are stable (stored on every entry); sentences are translated when shown.
ACTIONS = {
    "people.participant.created": _("created the participant's file"),
    "people.participant.updated": _("changed the participant's file"),
    "people.participant.viewed": _("viewed the participant's file"),
    "people.participant.listed": _("saw the participant in a list or a search"),
    "people.audit.exported_about": _("exported entries of the audit trail about the participant"),
    "people.participant.merged": _("merged another file into this one"),
    "people.participant.merge_undone": _("undid a merge"),
    "people.participant.not_duplicate": _("recorded that two files are different people"),
    "people.participant.linked": _("linked two files of the same person"),
    "people.participant.transferred": _("changed the participant's home organisation"),
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
    "people.history.viewed": _("viewed the file's history"),
    "people.photo.viewed": _("viewed the participant's photo"),
    "people.audit.exported": _("exported entries of the audit trail"),
}


# The kind of information each entry's values carry (G1, G2): the audit screen shows them only to a
# reader who may read that kind for the participant now; None: the entry concerns no participant.
# Identity: names, birth date, contacts, consents and documents of the file.
CATEGORIES: dict[str, str | None] = {
    "people.participant.created": Category.IDENTITY,
    "people.participant.updated": Category.IDENTITY,
    "people.participant.viewed": Category.IDENTITY,
    "people.participant.listed": Category.IDENTITY,
    "people.audit.exported_about": Category.IDENTITY,
    "people.participant.merged": Category.IDENTITY,
    "people.participant.merge_undone": Category.IDENTITY,
    "people.participant.not_duplicate": Category.IDENTITY,
    "people.participant.linked": Category.IDENTITY,
    "people.participant.transferred": Category.IDENTITY,
    "people.alias.added": Category.IDENTITY,
    "people.alias.removed": Category.IDENTITY,
    "people.identifier.added": Category.IDENTITY,
    "people.contact.added": Category.IDENTITY,
    "people.household.added": Category.IDENTITY,
    "people.consent.recorded": Category.IDENTITY,
    "people.consent.revoked": Category.IDENTITY,
    "people.document.uploaded": Category.IDENTITY,
    "people.document.viewed": Category.IDENTITY,
    "people.audit.viewed": Category.IDENTITY,
    "people.history.viewed": Category.IDENTITY,
    "people.photo.viewed": Category.IDENTITY,
    "people.audit.exported": None,
}
