"""The audit action codes of case conferencing, how each reads, and the kind of information each carries."""

from django.utils.translation import gettext_lazy as _

from ancrage.core.permissions import Category

ACTIONS = {
    "conferences.table.created": _("created a case-conference table"),
    "conferences.member.added": _("added a member to a case-conference table"),
    "conferences.member.removed": _("removed a member from a case-conference table"),
    "conferences.meeting.created": _("planned a case-conference meeting"),
    "conferences.meeting.roles_set": _("assigned the roles of a case-conference meeting"),
    "conferences.meeting.attendance": _("recorded attendance at a case-conference meeting"),
    "conferences.meeting.agenda_sent": _("sent a case-conference agenda"),
    "conferences.meeting.minutes_closed": _("closed the minutes of a case-conference meeting"),
    "conferences.proposal.created": _("proposed a person for a case conference"),
    "conferences.item.added": _("put a person on a case-conference agenda"),
    "conferences.item.recorded": _("recorded the discussion of a person at a case conference"),
    "conferences.item.escalated": _("escalated a person discussed three times without progress"),
    "conferences.item.viewed": _("saw a person on a case-conference agenda"),
    "conferences.action.created": _("wrote a case-conference action item"),
    "conferences.action.updated": _("changed a case-conference action item"),
    "conferences.parking.created": _("put an issue in the parking lot"),
    "conferences.parking.updated": _("changed a parking-lot issue"),
    "conferences.evaluation.given": _("evaluated a case-conference meeting"),
}

CATEGORIES: dict[str, str | None] = {
    "conferences.table.created": None,
    "conferences.member.added": None,
    "conferences.member.removed": None,
    "conferences.meeting.created": None,
    "conferences.meeting.roles_set": None,
    "conferences.meeting.attendance": None,
    "conferences.meeting.agenda_sent": None,
    "conferences.meeting.minutes_closed": None,
    "conferences.proposal.created": Category.COORDINATED_ACCESS,
    "conferences.item.added": Category.COORDINATED_ACCESS,
    "conferences.item.recorded": Category.COORDINATED_ACCESS,
    "conferences.item.escalated": Category.COORDINATED_ACCESS,
    "conferences.item.viewed": Category.COORDINATED_ACCESS,
    "conferences.action.created": Category.COORDINATED_ACCESS,
    "conferences.action.updated": Category.COORDINATED_ACCESS,
    "conferences.parking.created": None,
    "conferences.parking.updated": None,
    "conferences.evaluation.given": None,
}
