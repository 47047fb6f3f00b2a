"""A kept report's frozen figures as tables in the reader's language: the page, the PDF and the workbook show the
same tables, and none of them computes anything again."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from ancrage.casework.models import Exit
from ancrage.reports.funder.figures import COMMUNITY, COVERING, SMALL
from ancrage.reports.funder.formatting import count, decimal, money


class Money(Decimal):
    """An amount in dollars: shown with the reader's money format, written to a workbook as a number."""


class Rate(Decimal):
    """A percentage or a ratio: shown with the reader's decimal mark, written to a workbook as a number."""


FLOW_LABELS: dict[str, Promise] = {
    "new": gettext_lazy("New on the list"),
    "returned_from_housing": gettext_lazy("Back from housing"),
    "returned_from_inactive": gettext_lazy("Back from inactive"),
    "inflow": gettext_lazy("Inflow"),
    "housed": gettext_lazy("Housed (placements)"),
    "moved_away": gettext_lazy("Moved away"),
    "inactive": gettext_lazy("Became inactive"),
    "institution": gettext_lazy("Went into an institution"),
    "deceased": gettext_lazy("Deceased"),
    "outflow": gettext_lazy("Outflow"),
    "actively_homeless": gettext_lazy("Actively homeless at month end"),
}


@dataclass
class Table:
    key: str
    title: str
    header: list[str]
    rows: list[list[Any]] = field(default_factory=list)
    note: str = ""


def month_label(month: datetime.date) -> str:
    return date_format(month, "YEAR_MONTH_FORMAT")


def row_label(row: dict[str, Any]) -> str:
    if row["key"] == COMMUNITY:
        return _("Community (all programs)")
    name = row["name_en"] if (get_language() or "").startswith("en") else row["name"]
    return f"{row['organisation']} — {name}" if row["organisation"] else name


def display(value: Any, threshold: int) -> str:
    """A cell as text, in the reader's language."""
    if isinstance(value, Money):
        return money(value)
    if isinstance(value, Rate):
        return decimal(value)
    if value in (SMALL, COVERING):
        return count(value, threshold)
    if value is None:
        return "—"
    return str(value)


def cell_for_file(value: Any, threshold: int) -> Any:
    """A cell for a workbook: numbers stay numbers; a hidden count is said in words."""
    if value in (SMALL, COVERING) or value is None:
        return display(value, threshold)
    if isinstance(value, Money | Rate):
        return Decimal(value)
    return value


def _rate(value: str | None) -> Rate | None:
    return Rate(value) if value is not None else None


def tables(figures: dict[str, Any]) -> list[Table]:
    """Every table of the report, in the order the page, the PDF and the workbook show them."""
    flow = figures["flow"]
    rows = figures["rows"]
    goal = figures["goal"]
    flow_table = Table(
        "flow",
        _("Monthly flow of the by-name list (A7)"),
        [_("Figure"), _("People")],
        [[str(label), flow[key]] for key, label in FLOW_LABELS.items()],
    )
    goal_met = flow.get("goal_met")
    flow_table.note = _("Placement goal: %(goal)s a month. %(verdict)s") % {
        "goal": goal,
        "verdict": _("Goal met.")
        if goal_met
        else (_("Goal not met.") if goal_met is False else _("Not shown.")),
    }
    programs = Table(
        "programs",
        _("People served, enrolled and caseloads (B1)"),
        [
            _("Program"),
            _("Served in the month"),
            _("Enrolled at month end"),
            _("New enrollments"),
            _("Case managers"),
            _("Participants per case manager"),
            _("Caseload ratio aimed for"),
        ],
        [
            [
                row_label(r),
                r["served"],
                r["enrolled"],
                r["new_enrollments"],
                r["case_managers"],
                _rate(r["caseload_ratio"]),
                r["ratio_target"],
            ]
            for r in rows
        ],
    )
    housing = Table(
        "housing",
        _("Housing: first move-ins and retention (C9)"),
        [
            _("Program"),
            _("First move-ins in the month"),
            _("In the 6-month cohort"),
            _("Housed at 6 months"),
            _("Retention at 6 months (%)"),
            _("In the 12-month cohort"),
            _("Housed at 12 months"),
            _("Retention at 12 months (%)"),
        ],
        [
            [
                row_label(r),
                r["move_ins"],
                r["cohort_6"],
                r["retained_6"],
                _rate(r["rate_6"]),
                r["cohort_12"],
                r["retained_12"],
                _rate(r["rate_12"]),
            ]
            for r in rows
        ],
    )
    housing.note = _(
        "A person counts with the program of their first tenancy; housed on the day 6 or 12 months after their "
        "first move-in, in any tenancy, a gap of at most %(gap)s days between two counting as housed."
    ) % {"gap": figures["gap_days"]}
    exits = Table(
        "exits",
        _("Exits by destination"),
        [_("Destination"), *[row_label(r) for r in rows]],
        [
            [str(label), *[r["destinations"].get(key, 0) for r in rows]]
            for key, label in Exit.Destination.choices
        ]
        + [[_("All exits"), *[r["exits"] for r in rows]]],
    )
    costs = Table(
        "costs",
        _("Costs of the month"),
        [_("Program"), _("Housing budget expenses"), _("Rent supplements paid"), _("Total counted")],
        [
            [
                row_label(r),
                Money(r["costs"]["expenses"]),
                Money(r["costs"]["rent_supplements"]),
                Money(r["costs"]["total"]),
            ]
            for r in rows
        ],
    )
    costs.note = _(
        "Housing budget expenses dated in the month and the rent supplement part of the month's approved rent "
        "rolls; support staff salaries are not counted."
    )
    return [flow_table, programs, housing, exits, costs]


def displayed(tables_: list[Table], threshold: int) -> list[dict[str, Any]]:
    """The tables with every cell as text (the page and the PDF)."""
    return [
        {
            "key": t.key,
            "title": t.title,
            "header": t.header,
            "rows": [[display(v, threshold) for v in row] for row in t.rows],
            "note": t.note,
        }
        for t in tables_
    ]


def long_rows(tables_: list[Table], threshold: int) -> list[list[Any]]:
    """Every figure as one row (section, group, figure, value): the workbook's one sheet."""
    result: list[list[Any]] = []
    for table in tables_:
        for row in table.rows:
            group = row[0]
            for label, value in zip(table.header[1:], row[1:], strict=True):
                result.append([table.title, group, label, cell_for_file(value, threshold)])
    return result
