"""The audit action codes of reporting and how each reads in the trail (registered at start-up)."""

from django.utils.translation import gettext_lazy as _

# Codes are stable (stored on every entry); sentences are translated when shown.
ACTIONS: dict = {
    # Outcomes: the people behind a figure, one code per kind of information the figure is made of.
    "reports.outcomes.housing_people_viewed": _("viewed the people behind a housing outcome of the reports"),
    "reports.outcomes.exit_people_viewed": _("viewed the people behind an exit or return figure"),
    "reports.outcomes.community_people_viewed": _("viewed the people behind a community figure of a month"),
    "reports.outcomes.instrument_people_viewed": _("viewed the people behind a change on an instrument"),
}

# The kind of information each entry's values carry (G1, G2); None: the entry concerns no participant.
CATEGORIES: dict[str, str | None] = {
    "reports.outcomes.housing_people_viewed": "housing",
    "reports.outcomes.exit_people_viewed": "case_notes",
    "reports.outcomes.community_people_viewed": "coordinated_access",
    "reports.outcomes.instrument_people_viewed": "health",
}
