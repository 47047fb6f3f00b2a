"""Small-count protection of the community's monthly flow (A7): which figures a table may show.

A count from 1 to threshold - 1 could point at someone, so it is shown as "fewer than <threshold>"
(primary suppression). A hidden count must not come back through arithmetic either: each month's inflow is
the sum of its three parts, its outflow of its five, and the people actively homeless at a month's end are
those of the month before plus the inflow minus the outflow. Whenever one of these equations would have
exactly one hidden figure, a second one is hidden (complementary suppression), the smallest first, until
every equation has none or at least two. Zero names nobody and stays shown unless it must cover another.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

INFLOW_PARTS = ("new", "returned_from_housing", "returned_from_inactive")
OUTFLOW_PARTS = ("housed", "moved_away", "inactive", "institution", "deceased")
FIGURES = (*INFLOW_PARTS, "inflow", *OUTFLOW_PARTS, "outflow", "actively_homeless")


@dataclass
class Cell:
    value: int
    # "small": the count itself is too small to show; "covering": shown small counts could be worked out
    # from it. Either way the table does not give the number.
    hidden: str = ""

    @property
    def shown(self) -> bool:
        return not self.hidden


def protect(months: Sequence[Any], threshold: int) -> list[dict[str, Cell]]:
    """For each month's figures (objects with the FIGURES as attributes), the cells a table may show."""
    table = [{key: Cell(int(getattr(month, key))) for key in FIGURES} for month in months]
    for row in table:
        for cell in row.values():
            if 0 < cell.value < threshold:
                cell.hidden = "small"
    equations: list[list[Cell]] = []
    for index, row in enumerate(table):
        equations.append([row[k] for k in (*INFLOW_PARTS, "inflow")])
        equations.append([row[k] for k in (*OUTFLOW_PARTS, "outflow")])
        if index:
            # The stock at the end of the month before is a figure of the table too.
            equations.append(
                [
                    row["inflow"],
                    row["outflow"],
                    row["actively_homeless"],
                    table[index - 1]["actively_homeless"],
                ]
            )
    stock = {id(row["actively_homeless"]) for row in table}
    changed = True
    while changed:
        changed = False
        for cells in equations:
            if sum(1 for c in cells if c.hidden) != 1:
                continue
            # Cover with the smallest flow figure; the stock only when nothing else is left.
            visible = [c for c in cells if c.shown]
            visible.sort(key=lambda c: (id(c) in stock, c.value))
            visible[0].hidden = "covering"
            changed = True
    return table
