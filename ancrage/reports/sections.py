"""The reports a reader can open from the Reports page, each behind its own permission.

Each part of reporting adds its entry here; the Reports page shows the ones its reader may open.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Section:
    url_name: str
    title: str | Promise
    description: str | Promise
    permission: str


SECTIONS: list[Section] = [
    Section(
        "access:flow",
        _("Monthly flow"),
        _("Inflow, outflow, people actively homeless and placements each month, against the goal (A7)."),
        "access.view_flow",
    ),
    Section(
        "housing:outcomes",
        _("Housing outcomes"),
        _("Housing retention at 6 and 12 months, days to move-in, moves, evictions and rehousings (C9)."),
        "housing.view_outcomes",
    ),
    Section(
        "reports:funder_list",
        _("Funder reports"),
        _(
            "The monthly reports kept for the funders, and the cost per participant against the reference costs (G6)."
        ),
        "reports.view_funder_reports",
    ),
    Section(
        "reports:fidelity",
        _("Housing First fidelity"),
        _(
            "Each program scored against the model's five domains, from the data and a self-assessment, "
            "with the data behind each score and the history (G5)."
        ),
        "reports.view_fidelity",
    ),
    Section(
        "reports:outcomes",
        _("Outcomes"),
        _(
            "Retention, days from referral to move-in, exits and returns to homelessness, the community's "
            "figures by month, changes on the instruments, and the equity view (G5, C9, A7)."
        ),
        "reports.view_outcomes",
    ),
    Section(
        "interop:export",
        _("HMIS CSV export"),
        _("The community's data as an HMIS CSV (FY2026) zip, for a period and the programs you may see."),
        "interop.export_hmis",
    ),
    Section(
        "interop:import_list",
        _("HMIS imports"),
        _("Other systems' HMIS CSV exports imported, with their data-quality reports."),
        "interop.import_hmis",
    ),
]


def sections_for(user) -> list[Section]:
    return [section for section in SECTIONS if user.has_ancrage_perm(section.permission)]
