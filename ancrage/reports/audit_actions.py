"""The audit action codes of reporting and how each reads in the trail (registered at start-up)."""

from django.utils.translation import gettext_lazy as _

# Codes are stable (stored on every entry); sentences are translated when shown.
ACTIONS: dict = {
    # The monthly funder reports (G6): figures only, no participant.
    "reports.funder_report.generated": _("generated a monthly funder report"),
    "reports.funder_report.regenerated": _("generated a monthly funder report again"),
    # Fidelity (G5): a program's self-assessment, and the people behind a figure.
    "reports.fidelity.assessed": _("assessed a program's fidelity to Housing First"),
    "reports.fidelity.updated": _("corrected a program's fidelity self-assessment"),
    "reports.fidelity.people_viewed": _("viewed the people behind a fidelity figure"),
    "reports.fidelity.casework_people_viewed": _(
        "viewed the people behind a fidelity figure of case management"
    ),
    # Outcomes: the people behind a figure, one code per kind of information the figure is made of.
    "reports.outcomes.housing_people_viewed": _("viewed the people behind a housing outcome of the reports"),
    "reports.outcomes.exit_people_viewed": _("viewed the people behind an exit or return figure"),
    "reports.outcomes.community_people_viewed": _("viewed the people behind a community figure of a month"),
    "reports.outcomes.instrument_people_viewed": _("viewed the people behind a change on an instrument"),
}

# The kind of information each entry's values carry (G1, G2); None: the entry concerns no participant.
CATEGORIES: dict[str, str | None] = {
    "reports.funder_report.generated": None,
    "reports.funder_report.regenerated": None,
    "reports.fidelity.assessed": None,
    "reports.fidelity.updated": None,
    "reports.fidelity.people_viewed": "housing",
    "reports.fidelity.casework_people_viewed": "case_notes",
    "reports.outcomes.housing_people_viewed": "housing",
    "reports.outcomes.exit_people_viewed": "case_notes",
    "reports.outcomes.community_people_viewed": "coordinated_access",
    "reports.outcomes.instrument_people_viewed": "health",
}
