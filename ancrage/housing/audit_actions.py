"""The audit action codes of housing and how each reads in the trail (registered at start-up)."""

from django.utils.translation import gettext_lazy as _

# Codes are stable (stored on every entry); sentences are translated when shown.
ACTIONS = {
    "housing.unit.created": _("added a housing unit"),
    "housing.unit.updated": _("corrected a housing unit"),
    "housing.unit.held": _("put a housing unit on hold"),
    "housing.unit.released": _("released a housing unit from hold"),
    # The landlords' book (housing-book): landlords, buildings, contacts, complaints, a tenancy's risk.
    "housing.landlord.created": _("added a landlord to the book"),
    "housing.landlord.updated": _("corrected a landlord"),
    "housing.landlord.retired": _("retired a landlord from the book"),
    "housing.representative.added": _("added a landlord's representative"),
    "housing.representative.updated": _("corrected a landlord's representative"),
    "housing.building.created": _("added a building"),
    "housing.building.updated": _("corrected a building"),
    "housing.landlord_contact.logged": _("logged a contact with a landlord"),
    "housing.complaint.recorded": _("recorded a landlord's complaint or notice"),
    "housing.complaint.responded": _("answered a landlord's complaint"),
    "housing.complaint.resolved": _("resolved a landlord's complaint"),
    "housing.complaint.viewed": _("read the complaints about the participant's tenancy"),
    "housing.tenancy.listed": _("saw the participant's tenancy among a landlord's tenancies"),
    "housing.tenancy.risk_changed": _("changed the risk to a tenancy"),
    "housing.unit.withdrawn": _("took a housing unit off the market"),
}


# The kind of information each entry's values carry (G1, G2): the audit screen shows them only to a
# reader who may read that kind for the participant now; None: the entry concerns no participant.
# Units name no participant.
CATEGORIES: dict[str, str | None] = {
    "housing.unit.created": None,
    "housing.unit.updated": None,
    "housing.unit.held": None,
    "housing.unit.released": None,
    # The landlords' book (housing-book): a complaint about a tenancy, and a tenancy's risk, are housing.
    "housing.landlord.created": None,
    "housing.landlord.updated": None,
    "housing.landlord.retired": None,
    "housing.representative.added": None,
    "housing.representative.updated": None,
    "housing.building.created": None,
    "housing.building.updated": None,
    "housing.landlord_contact.logged": None,
    "housing.complaint.recorded": "housing",
    "housing.complaint.responded": "housing",
    "housing.complaint.resolved": "housing",
    "housing.complaint.viewed": "housing",
    "housing.tenancy.listed": "housing",
    "housing.tenancy.risk_changed": "housing",
    "housing.unit.withdrawn": None,
}
