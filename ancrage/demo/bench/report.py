"""Figures of the HTTP bench, their goals, and the report printed at the end.

Every figure is printed beside its goal, with a mark where the goal is missed (`✗`), so a run says at once by
how much each goal is missed. Rows of other parts of the bench ("background parts": daily jobs, exports…) are
`Row`s too: (label, value, goal, met?), made by whoever measures them and printed in the same table."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

# The goals of issue 16, on 2 cores.
PAGE_P95_GOAL_MS = 50.0
GROWTH_GOAL = 1.2
PAGE_SQL_RATIO_GOAL = 3.0
LOAD_P95_GOAL_MS = 300.0
MISSED = "✗"
MET = "✓"


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0–100) by the nearest-rank method: a value that was measured, never one in
    between, so a p95 of 120 requests is the 114th fastest."""
    if not values:
        raise ValueError("percentile of no values")
    if not 0 < q <= 100:
        raise ValueError("q must be in (0, 100]")
    ordered = sorted(values)
    rank = math.ceil(q / 100 * len(ordered))
    return ordered[max(rank, 1) - 1]


@dataclass
class Row:
    """One figure of the report: `value` and `goal` as printed, `met` None when there is no goal."""

    section: str
    label: str
    value: str
    goal: str = ""
    met: bool | None = None

    @property
    def mark(self) -> str:
        if self.met is None:
            return ""
        return MET if self.met else MISSED


@dataclass
class PageResult:
    """One page measured over HTTP: wall times seen by the client, and the server's own SQL time and query
    count from its Server-Timing header."""

    key: str
    label: str
    who: str
    wall_ms: list[float] = field(default_factory=list)
    sql_ms: list[float] = field(default_factory=list)
    app_ms: list[float] = field(default_factory=list)
    queries: list[int] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    @property
    def p50(self) -> float:
        return percentile(self.wall_ms, 50) if self.wall_ms else math.nan

    @property
    def p95(self) -> float:
        return percentile(self.wall_ms, 95) if self.wall_ms else math.nan

    @property
    def sql_p50(self) -> float:
        return percentile(self.sql_ms, 50) if self.sql_ms else 0.0

    @property
    def query_range(self) -> str:
        if not self.queries:
            return "?"
        low, high = min(self.queries), max(self.queries)
        return str(low) if low == high else f"{low}-{high}"

    @property
    def ratio(self) -> float | None:
        """Page time over SQL time (medians): how much of the page is Python and the network."""
        if not self.wall_ms or self.sql_p50 <= 0:
            return None
        return self.p50 / self.sql_p50

    @property
    def p95_met(self) -> bool:
        return self.p95 <= PAGE_P95_GOAL_MS

    @property
    def ratio_met(self) -> bool | None:
        ratio = self.ratio
        return None if ratio is None else ratio <= PAGE_SQL_RATIO_GOAL


def growth(small: PageResult | None, large: PageResult | None) -> float | None:
    """p95 at the large size over p95 at the small size."""
    if small is None or large is None or not small.wall_ms or not large.wall_ms or small.p95 <= 0:
        return None
    return large.p95 / small.p95


def _mark(met: bool | None) -> str:
    return "" if met is None else (MET if met else MISSED)


def _table(header: Sequence[str], rows: Sequence[Sequence[str]], right: set[int]) -> str:
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]
    lines = []
    for n, row in enumerate([header, *rows]):
        cells = [
            str(c).rjust(widths[i]) if i in right else str(c).ljust(widths[i]) for i, c in enumerate(row)
        ]
        lines.append("  ".join(cells).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def format_pages(sizes: dict[int, list[PageResult]]) -> str:
    """Per page and per size: p50/p95 (goal p95 ≤ 50 ms), SQL ms, queries, page/SQL (goal ≤ 3×), and the
    growth of p95 from the smallest to the largest size (goal ≤ 1.2×)."""
    ordered = sorted(sizes)
    header = ["page", "user"]
    for size in ordered:
        header += [f"{size:,} p50/p95 ms", "SQL ms", "queries", "page/SQL"]
    if len(ordered) > 1:
        header.append(f"growth {ordered[0]:,}→{ordered[-1]:,}")
    header.append("ok")
    by_key = {size: {r.key: r for r in sizes[size]} for size in ordered}
    keys: list[str] = []
    for size in ordered:
        keys += [r.key for r in sizes[size] if r.key not in keys]
    rows = []
    right = set(range(2, len(header) - 1))
    for key in keys:
        first = next(by_key[s][key] for s in ordered if key in by_key[s])
        row = [first.label, first.who]
        all_met = True
        for size in ordered:
            result = by_key[size].get(key)
            if result is None or not result.wall_ms:
                row += ["-", "-", "-", "-"]
                all_met = False
                continue
            p95 = f"{result.p95:.0f}" + ("" if result.p95_met else MISSED)
            ratio = result.ratio
            ratio_text = "-" if ratio is None else f"{ratio:.1f}×" + _mark(result.ratio_met).replace(MET, "")
            row += [f"{result.p50:.0f} / {p95}", f"{result.sql_p50:.1f}", result.query_range, ratio_text]
            all_met = all_met and result.p95_met and result.ratio_met is not False and not result.failures
        if len(ordered) > 1:
            ratio = growth(by_key[ordered[0]].get(key), by_key[ordered[-1]].get(key))
            if ratio is None:
                row.append("-")
            else:
                ok = ratio <= GROWTH_GOAL
                all_met = all_met and ok
                row.append(f"×{ratio:.2f}" + ("" if ok else MISSED))
        row.append(MET if all_met else MISSED)
        rows.append(row)
    goals = (
        f"Goals: p95 ≤ {PAGE_P95_GOAL_MS:.0f} ms, page/SQL ≤ {PAGE_SQL_RATIO_GOAL:.0f}×, "
        f"growth ≤ {GROWTH_GOAL}×; {MISSED} marks a goal missed."
    )
    return _table(header, rows, right) + "\n" + goals


def format_rows(rows: Sequence[Row]) -> str:
    """Background parts and the load step: label, value, goal, mark; grouped by section."""
    if not rows:
        return ""
    header = ["part", "measured", "goal", "ok"]
    lines: list[str] = []
    sections: list[str] = []
    for row in rows:
        if row.section not in sections:
            sections.append(row.section)
    for section in sections:
        body = [[r.label, r.value, r.goal, r.mark] for r in rows if r.section == section]
        lines.append(f"{section}:")
        lines.append(_table(header, body, {1}))
        lines.append("")
    return "\n".join(lines).rstrip()


def failures(sizes: dict[int, list[PageResult]]) -> list[str]:
    """Every content check that failed, 'size page: reason', at most three per page."""
    out = []
    for size in sorted(sizes):
        for result in sizes[size]:
            for reason in result.failures[:3]:
                out.append(f"{size:,} {result.label} ({result.who}): {reason}")
    return out
