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
        "interop:import_list",
        _("HMIS imports"),
        _("Other systems' HMIS CSV exports imported, with their data-quality reports."),
        "interop.import_hmis",
    ),
]


def sections_for(user) -> list[Section]:
    return [section for section in SECTIONS if user.has_ancrage_perm(section.permission)]
