"""The outcomes report as tables the page, the XLSX and PDF exports and the API all show the same way, with
small counts hidden (a count from 1 to threshold - 1, the rates and medians made of fewer people, and, in a
breakdown that adds up to a shown total, a second count so the hidden one cannot be worked out)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ancrage.reports.outcomes import definitions as d
from ancrage.reports.outcomes import labels
from ancrage.reports.outcomes.selectors import OutcomesReport, Row


@dataclass
class Cell:
    """One value of a table: `value` is None when hidden (or when there is nothing to show)."""

    value: Any
    hidden: bool = False
    figure: str = ""  # the people behind it, for readers allowed to see them
    group: str = ""
    threshold: int = 0
    is_count: bool = False
    # Hidden although not small: shown, it would give a hidden count away (complementary suppression).
    covering: bool = False

    @property
    def text(self) -> str:
        if self.hidden:
            if self.is_count and not self.covering:
                return _("fewer than %(n)s") % {"n": self.threshold}
            return _("hidden")
        if self.value is None:
            return "—"
        return str(self.value)

    @property
    def shown(self) -> Any:
        return None if self.hidden else self.value


@dataclass
class Table:
    key: str
    title: str
    header: list[str]
    rows: list[list[Any]]  # the first item of each row is its label (a string), then cells
    definition: str = ""
    notes: list[str] = field(default_factory=list)


class Disclosure:
    def __init__(self, threshold: int):
        self.threshold = threshold

    def count(self, n: int, figure: str = "", group: str = "") -> Cell:
        return Cell(n, d.hidden(n, self.threshold), figure, group, self.threshold, is_count=True)

    def rate(self, part: Cell, whole: Cell) -> Cell:
        value = d.rate(part.value, whole.value)
        rest = whole.value - part.value
        hide = part.hidden or whole.hidden or d.hidden(rest, self.threshold)
        if hide and not part.hidden:
            part.hidden = part.covering = True
        return Cell(value, hide and value is not None, threshold=self.threshold)

    def summary(self, value: Any, people: int) -> Cell:
        """A median or a mean, hidden when made of fewer people than the threshold."""
        return Cell(value, value is not None and people < self.threshold, threshold=self.threshold)

    def complete(self, cells: list[Cell], total: Cell | None = None) -> None:
        """Complementary suppression: parts adding up to a shown total never have exactly one hidden."""
        if total is not None and total.hidden:
            return
        hidden = [c for c in cells if c.hidden]
        if len(hidden) == 1:
            candidates = sorted((c for c in cells if not c.hidden and c.value), key=lambda c: c.value)
            if candidates:
                candidates[0].hidden = candidates[0].covering = True


def _retention(report: OutcomesReport, show: Disclosure) -> Table:
    rows = []
    for months in (6, 12):
        retained = show.count(report.total.count(f"retained_{months}"), f"retained_{months}")
        cohort = show.count(report.total.count(f"cohort_{months}"), f"cohort_{months}")
        rows.append([_("%(n)s months") % {"n": months}, retained, cohort, show.rate(retained, cohort)])
    return Table(
        "retention",
        _("Housing retention"),
        [_("Milestone"), _("Housed"), _("Cohort"), _("Retention (%)")],
        rows,
        _(
            "The 6- and 12-month cohorts are the people whose first move-in is at least 6 or 12 months before "
            "the end of the period; they are retained when housed on that day in any tenancy (people rehoused "
            "by the program count as retained; a gap of up to %(gap)s days between two tenancies still counts "
            "as housed); people who died before are left out."
        )
        % {"gap": report.gap_days},
    )


def _days(report: OutcomesReport, show: Disclosure) -> Table:
    people = report.total.count("moved_in")
    return Table(
        "days",
        _("Days from referral to move-in"),
        [_("Group"), _("People"), _("Median days"), _("75th percentile")],
        [
            [
                _("All"),
                show.count(people, "moved_in"),
                show.summary(report.total.median_days, people),
                show.summary(report.total.p75_days, people),
            ]
        ],
        _(
            "From the person's first contact with coordinated access (their first referral or their entry on "
            "the by-name list, whichever came first) to their first move-in, for the first move-ins of the "
            "period."
        ),
    )


def _exits(report: OutcomesReport, show: Disclosure) -> Table:
    total = show.count(report.total.count("exits"), "exits")
    cells = [show.count(report.total.count(f"exit_{g}"), f"exit_{g}") for g in d.GROUPS]
    show.complete(cells, total)
    rows: list[list[Any]] = []
    for group, cell in zip(d.GROUPS, cells, strict=True):
        share = Cell(d.rate(cell.value, total.value), cell.hidden or total.hidden, threshold=show.threshold)
        rows.append([str(labels.GROUP_LABELS[group]), cell, share])
    rows.append([_("All exits"), total, Cell(d.rate(total.value, total.value), threshold=show.threshold)])
    return Table(
        "exits",
        _("Exits by destination"),
        [_("Destination"), _("Exits"), _("Share (%)")],
        rows,
        _(
            "The case-management exits of the period, by where the person went: permanent housing (own or "
            "social housing), temporary (family or friends, another program's housing), homelessness (shelter, "
            "street), institutions (hospital, treatment, detention), deceased, other or unknown."
        ),
    )


def _returns(report: OutcomesReport, show: Disclosure) -> Table:
    rows = []
    for months in d.RETURN_WINDOWS:
        back = show.count(report.total.count(f"returned_{months}"), f"returned_{months}")
        cohort = show.count(report.total.count(f"return_cohort_{months}"), f"return_cohort_{months}")
        rows.append([_("within %(n)s months") % {"n": months}, back, cohort, show.rate(back, cohort)])
    return Table(
        "returns",
        _("Returns to homelessness after an exit to permanent housing"),
        [_("Window"), _("Returned"), _("Exits to permanent housing"), _("Rate (%)")],
        rows,
        _(
            "A person returns when, after an exit to permanent housing and at most N months later, their "
            "by-name list entry becomes active again (a new entry or a change back to active) or a later exit "
            "of theirs goes to a shelter or the street. Only exits whose N months are over by the end of the "
            "period are counted, whenever they happened."
        ),
    )


def _community(report: OutcomesReport, show: Disclosure) -> Table:
    rows = []
    for first, figures in sorted(report.months.items()):
        key = first.strftime("%Y-%m")
        rows.append(
            [
                date_format(first, "YEAR_MONTH_FORMAT"),
                *(show.count(len(figures[f]), f"month:{key}:{f}") for f in d.COMMUNITY_FIGURES),
            ]
        )
    return Table(
        "community",
        _("Community outcomes by month (Reaching Home)"),
        [_("Month"), *(str(labels.COMMUNITY_LABELS[f]) for f in d.COMMUNITY_FIGURES)],
        rows,
        _(
            "From the by-name list's status changes: people homeless are those whose entry is active on the "
            "month's last day; chronically homeless, those of them whose entry is chronic (as last computed); "
            "new inflows, people entering the list in the month; returns from housing, changes from housed "
            "back to active in the month."
        ),
    )


def _instrument(result, show: Disclosure) -> Table:
    rows = []
    for follow_up in result.follow_ups:
        n = len(follow_up.people)
        prefix = f"instrument:{result.key}:{follow_up.number}"
        counts = [
            show.count(len(getattr(follow_up, k)), f"{prefix}:{k}") for k in ("improved", "same", "worse")
        ]
        people = show.count(n, f"{prefix}:people")
        show.complete(counts, people)
        rows.append(
            [
                _("Follow-up %(n)s") % {"n": follow_up.number},
                people,
                *counts,
                show.summary(follow_up.mean(), n),
                *(
                    show.summary(follow_up.mean(key), len(follow_up.changes.get(key, [])))
                    for key, _l in result.domains
                ),
            ]
        )
    direction = (
        _("a higher score is better")
        if result.higher_is_better
        else _("a lower score (fewer concerns) is better")
    )
    return Table(
        f"instrument-{result.key}",
        result.name,
        [
            _("Follow-up"),
            _("People"),
            _("Improved"),
            _("The same"),
            _("Worse"),
            _("Mean change of the total"),
            *(label for _key, label in result.domains),
        ],
        rows,
        _(
            "Each person's baseline is their first completed administration; the k-th follow-up is the k-th "
            "completed one after it, up to the end of the period. Improved, the same or worse on the total "
            "(%(direction)s); mean change from baseline per domain."
        )
        % {"direction": direction},
    )


def _equity(report: OutcomesReport, show: Disclosure) -> Table:
    columns: list[list[Cell]] = [[] for _i in range(7)]
    rows = []
    for group, row in report.groups:
        cells = _equity_cells(row, group, show)
        for i, cell in enumerate(cells):
            columns[i].append(cell)
        rows.append([labels.group_label(group), *cells])
    totals = _equity_cells(report.total, "", show)
    for i in (0, 2, 5):  # counts that add up to the total's
        show.complete(columns[i], totals[i])
    rows.append([_("All"), *totals])
    dimension = report.filters.breakdown
    return Table(
        "equity",
        _("Equity view by %(dimension)s") % {"dimension": str(labels.DIMENSION_LABELS[dimension]).lower()},
        [
            _("Group"),
            _("People"),
            _("Retention at 12 months (%)"),
            _("People with a referral-to-move-in time"),
            _("Median days to move-in"),
            _("75th percentile"),
            _("Exits to homelessness"),
            _("Returns within 12 months (%)"),
        ],
        rows,
        _(
            "Do outcomes and waiting times differ? The same figures for each self-identified group (age on "
            "the last day of the period); groups left unsaid are counted as such."
        ),
    )


def _equity_cells(row: Row, group: str, show: Disclosure) -> list[Cell]:
    people = show.count(row.size, "", group)
    retained = show.count(row.count("retained_12"), "retained_12", group)
    cohort = show.count(row.count("cohort_12"), "cohort_12", group)
    waiting = row.count("moved_in")
    back = show.count(row.count("returned_12"), "returned_12", group)
    exits_back = show.count(row.count("return_cohort_12"), "return_cohort_12", group)
    return [
        people,
        show.rate(retained, cohort),
        show.count(waiting, "moved_in", group),
        show.summary(row.median_days, waiting),
        show.summary(row.p75_days, waiting),
        show.count(row.count("exit_homelessness"), "exit_homelessness", group),
        show.rate(back, exits_back),
    ]


def tables(report: OutcomesReport, threshold: int) -> list[Table]:
    show = Disclosure(threshold)
    return [
        _retention(report, show),
        _days(report, show),
        _exits(report, show),
        _returns(report, show),
        _community(report, show),
        *(_instrument(result, show) for result in report.instruments),
        _equity(report, show),
    ]


SMALL_COUNTS_NOTE = gettext_lazy(
    "Counts from 1 to %(n)s minus one are shown as “fewer than %(n)s”, with the rates and medians they would "
    "give away; in a breakdown, a second figure is hidden when one hidden figure could be worked out from the "
    "total. Figures name nobody."
)
