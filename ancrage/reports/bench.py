"""Reporting's part of `make bench`: the time the outcomes page takes to compute its figures on an existing
database (the demo's, or the scale data's 100,000 participants), median and 95th percentile of n runs."""

from __future__ import annotations

import statistics
import time

from dateutil.relativedelta import relativedelta

from ancrage.accounts.models import Membership, User
from ancrage.core import clock
from ancrage.core.permissions import Role
from ancrage.reports.outcomes import present
from ancrage.reports.outcomes import selectors as sel
from ancrage.reports.outcomes.selectors import Filters

# Goals for the page's computation (seconds), at the bench's scale.
OUTCOMES_MEDIAN_GOAL_S = 2.0
OUTCOMES_P95_GOAL_S = 3.0


def _reader(username: str | None) -> User | None:
    if username:
        return User.objects.filter(username=username).first()
    membership = (
        Membership.objects.filter(role__in=[Role.PROGRAM_MANAGER, Role.DATA_COORDINATOR])
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return membership.user if membership else None


def bench_outcomes(*, runs: int = 5, username: str | None = None, months: int = 24) -> list[tuple]:
    """Rows of (label, value, goal, met?): the outcomes report for the last `months` months as a program
    manager (or `username`) sees it, computed `runs` times."""
    reader = _reader(username)
    if reader is None:
        return [("outcomes page: no program manager or data coordinator in this database", "—", "—", False)]
    end = clock.today()
    start = end - relativedelta(months=months)
    filters = Filters(start=start, end=end)
    timings = []
    population = 0
    for _run in range(max(runs, 1)):
        began = time.perf_counter()
        report = sel.outcomes_report(reader, filters)
        present.tables(report, 5)
        timings.append(time.perf_counter() - began)
        population = report.population
    ordered = sorted(timings)
    median = statistics.median(ordered)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return [
        ("outcomes page: participants counted", population, "—", True),
        (
            "outcomes page: median (s)",
            round(median, 3),
            OUTCOMES_MEDIAN_GOAL_S,
            median <= OUTCOMES_MEDIAN_GOAL_S,
        ),
        (
            "outcomes page: 95th percentile (s)",
            round(p95, 3),
            OUTCOMES_P95_GOAL_S,
            p95 <= OUTCOMES_P95_GOAL_S,
        ),
    ]
