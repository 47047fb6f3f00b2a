"""The audit action codes of coordinated access and how each reads in the trail (registered at start-up)."""

from django.utils.translation import gettext_lazy as _

from ancrage.core.permissions import Category

# Codes are stable (stored on every entry); sentences are translated when shown.
ACTIONS = {
    "access.referral.created": _("recorded a referral"),
    "access.referral.withdrawn": _("withdrew a referral"),
    "access.intake.started": _("started an intake"),
    "access.intake.completed": _("completed an intake"),
    "access.by_name.added": _("added the person to the by-name list"),
    "access.by_name.linked": _("counted the person once on the by-name list: a linked file holds their line"),
    "access.by_name.unlinked": _("gave the file its own line on the by-name list again: no longer linked"),
    "access.by_name.status_changed": _("changed the person's status on the by-name list"),
    "access.by_name.contact_recorded": _("recorded a contact with the person on the by-name list"),
    "access.by_name.marked_inactive": _("marked the person inactive on the by-name list: no recent contact"),
    "access.living_situation.recorded": _("recorded a living situation"),
    "access.homelessness_history.recorded": _("recorded the person's homelessness history"),
    "access.homelessness_history.viewed": _("read the person's homelessness history"),
    "access.by_name_list.listed": _("saw the person on the by-name list"),
    "access.by_name_list.exported": _("exported the by-name list"),
    "access.by_name.profile_changed": _("changed the person's household, needs or housing preferences"),
    "access.policy.drafted": _("wrote a draft priority policy"),
    "access.policy.draft_changed": _("changed a draft priority policy"),
    "access.policy.activated": _("activated a priority policy"),
    "access.opening.created": _("opened a place to fill"),
    "access.opening.cancelled": _("cancelled an opening"),
    "access.match.proposed": _("proposed the person for an opening"),
    "access.match.step": _("moved a match one step on"),
    "access.match.stalled": _("flagged a match as stalled"),
    "access.match.viewed": _("viewed a match and its triage information"),
    "access.by_name.conference_flagged": _("flagged the person for a case conference: no match is working"),
    "access.by_name.conference_cleared": _("cleared the case-conference flag: the person was placed"),
    "access.referral.viewed": _("read a referral to coordinated access"),
    "access.intake.viewed": _("read an intake"),
    "access.by_name_entry.viewed": _("read the person's entry on the by-name list"),
    "access.rank.viewed": _("read how the person's rank on the by-name list is computed"),
    "access.eligibility.viewed": _("read the person's eligibility for a program"),
    "access.by_name_entry.exported": _("exported the person's entry on the by-name list"),
    "access.flow.people_listed": _("saw the person among the people behind a monthly flow figure"),
}


# Entries about no participant that concern the whole consortium: the policy in force ranks everyone on
# the list, and the list exported is the consortium's. The audit screen lists them to every organisation
# of the consortium (program managers see who put a policy in force, and who exported the list).
CONSORTIUM_WIDE = frozenset({"access.policy.activated", "access.by_name_list.exported"})


# The kind of information each entry's values carry (G1, G2): the audit screen shows them only to a
# reader who may read that kind for the participant now; None: the entry concerns no participant.
# Coordinated access, except the profile's health and safety flags and the homelessness history (housing);
# policies, openings and exports name nobody.
CATEGORIES: dict[str, str | None] = {
    "access.referral.created": Category.COORDINATED_ACCESS,
    "access.referral.withdrawn": Category.COORDINATED_ACCESS,
    "access.intake.started": Category.COORDINATED_ACCESS,
    "access.intake.completed": Category.COORDINATED_ACCESS,
    "access.by_name.added": Category.COORDINATED_ACCESS,
    "access.by_name.linked": Category.COORDINATED_ACCESS,
    "access.by_name.unlinked": Category.COORDINATED_ACCESS,
    "access.by_name.status_changed": Category.COORDINATED_ACCESS,
    "access.by_name.contact_recorded": Category.COORDINATED_ACCESS,
    "access.by_name.marked_inactive": Category.COORDINATED_ACCESS,
    "access.living_situation.recorded": Category.HOUSING,
    "access.homelessness_history.recorded": Category.HOUSING,
    "access.homelessness_history.viewed": Category.HOUSING,
    "access.by_name_list.listed": Category.COORDINATED_ACCESS,
    "access.by_name_list.exported": None,
    "access.by_name.profile_changed": Category.HEALTH,
    "access.policy.drafted": None,
    "access.policy.draft_changed": None,
    "access.policy.activated": None,
    "access.opening.created": None,
    "access.opening.cancelled": None,
    "access.match.proposed": Category.COORDINATED_ACCESS,
    "access.match.step": Category.COORDINATED_ACCESS,
    "access.match.stalled": Category.COORDINATED_ACCESS,
    "access.match.viewed": Category.COORDINATED_ACCESS,
    "access.by_name.conference_flagged": Category.COORDINATED_ACCESS,
    "access.by_name.conference_cleared": Category.COORDINATED_ACCESS,
    "access.referral.viewed": Category.COORDINATED_ACCESS,
    "access.intake.viewed": Category.COORDINATED_ACCESS,
    "access.by_name_entry.viewed": Category.COORDINATED_ACCESS,
    "access.rank.viewed": Category.COORDINATED_ACCESS,
    "access.eligibility.viewed": Category.COORDINATED_ACCESS,
    "access.by_name_entry.exported": Category.COORDINATED_ACCESS,
    "access.flow.people_listed": Category.COORDINATED_ACCESS,
}
