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
    "housing.unit.withdrawn": _("took a housing unit off the market"),
    # Choice, tenancies, inspections, eviction and rehousing (C3, C4, C8).
    "housing.search.started": _("started a housing search"),
    "housing.search.stopped": _("stopped a housing search"),
    "housing.option.offered": _("offered a unit to a participant"),
    "housing.option.ranked": _("recorded the participant's ranking of a unit"),
    "housing.option.stepped": _("recorded a step of a housing option"),
    "housing.tenancy.created": _("recorded a lease"),
    "housing.tenancy.renewed": _("recorded a lease renewal"),
    "housing.tenancy.ended": _("recorded the end of a tenancy"),
    "housing.tenancy.risk_changed": _("changed the risk to a tenancy"),
    "housing.tenancy.viewed": _("read a participant's housing"),
    "housing.unit.occupied": _("marked a unit occupied by a lease"),
    "housing.unit.freed": _("marked a unit available again after a tenancy"),
    "housing.inspection.recorded": _("recorded a unit inspection"),
    "housing.photo.added": _("added an inspection photo"),
    "housing.photo.viewed": _("viewed an inspection photo"),
    "housing.eviction.recorded": _("recorded an eviction"),
    "housing.eviction.plan_written": _("wrote a learning plan after an eviction"),
    "housing.stay.recorded": _("recorded a temporary stay"),
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
    # Choice, tenancies, inspections, eviction and rehousing: a participant's housing information.
    "housing.search.started": "housing",
    "housing.search.stopped": "housing",
    "housing.option.offered": "housing",
    "housing.option.ranked": "housing",
    "housing.option.stepped": "housing",
    "housing.tenancy.created": "housing",
    "housing.tenancy.renewed": "housing",
    "housing.tenancy.ended": "housing",
    "housing.tenancy.viewed": "housing",
    "housing.unit.occupied": None,
    "housing.unit.freed": None,
    "housing.inspection.recorded": "housing",
    "housing.photo.added": "housing",
    "housing.photo.viewed": "housing",
    "housing.eviction.recorded": "housing",
    "housing.eviction.plan_written": "housing",
    "housing.stay.recorded": "housing",
}
