"""Background parts of the bench: daily jobs, exports and reports timed by the apps that own them.

A part is a callable `part(database_url: str, participants: int) -> iterable of rows`, a row being a
`report.Row` or a tuple (label, value, goal, met) with `met` True, False or None (no goal). It runs after the
pages, against the run's copy of the scale data (`database_url`; writes are dropped with the copy), and is
named here as "module:function". A part whose module is not there yet is reported as missing, not fatal.

Wiring one in (the lead): add its name to BACKGROUND_PARTS, e.g.
    "ancrage.access.bench_jobs:bench_jobs"      (ranks, matching, access_daily: time and peak memory)
    "ancrage.interop.bench:<function>"          (HMIS export)
    "ancrage.reports.bench:<function>"          (reports)
"""

from __future__ import annotations

import importlib
import time
from collections.abc import Iterable

from ancrage.demo.bench.report import Row

BACKGROUND_PARTS: list[str] = [
    "ancrage.demo.bench.background:rent_roll",
    # Ranks, a matching run of 500 openings and access_daily: time and peak memory (issue 16, part 2).
    "ancrage.access.bench_jobs:bench_jobs",
    # Reporting and the HMIS CSV exchange (issue 15).
    "ancrage.demo.bench.background:outcomes",
    "ancrage.demo.bench.background:hmis_export",
    "ancrage.demo.bench.background:hmis_import",
]


def as_row(section: str, row) -> Row:
    """A part's figure as a row of the report: a Row, a (label, value, goal, met) tuple, or any object with
    those attributes (access.bench_jobs.Row)."""
    if isinstance(row, Row):
        return row
    label, value, goal, met = row if isinstance(row, tuple) else (row.label, row.value, row.goal, row.met)
    return Row(section, str(label), str(value), str(goal), met)


def run_parts(database_url: str, participants: int, parts: Iterable[str] | None = None) -> list[Row]:
    rows: list[Row] = []
    for name in BACKGROUND_PARTS if parts is None else parts:
        module_name, _sep, function = name.partition(":")
        section = f"Background: {module_name.rsplit('.', 1)[-1]} ({participants:,} participants)"
        try:
            part = getattr(importlib.import_module(module_name), function)
        except (ImportError, AttributeError):
            rows.append(Row(section, f"{name} not found", "-"))
            continue
        began = time.perf_counter()
        try:
            rows += [as_row(section, row) for row in part(database_url, participants)]
        except Exception as error:
            rows.append(Row(section, f"{name} failed: {error}"[:200], "-", "", False))
        rows.append(Row(section, "part's own wall time", f"{time.perf_counter() - began:.1f} s"))
    return rows


def rent_roll(database_url: str, participants: int) -> list[tuple]:
    """The rent payment service's month roll from 5,000 active tenancies (bench_rent), in a subprocess on
    the run's database: median and p95 of five runs, each rolled back."""
    import json
    import os
    import subprocess

    from ancrage.demo.bench.server import MANAGE

    env = {**os.environ, "DATABASE_URL": database_url, "ANCRAGE_TESTING": "1"}
    done = subprocess.run(  # noqa: S603
        [*MANAGE, "bench", "--rent-roll-json"], env=env, check=True, capture_output=True, text=True
    )
    rent = json.loads(done.stdout.strip().splitlines()[-1])
    return [
        (
            f"rent roll of a month, {rent['tenancies']} tenancies, p50",
            f"{rent['median_s'] * 1000:.0f} ms",
            "",
            None,
        ),
        ("rent roll of a month, p95", f"{rent['p95_s'] * 1000:.0f} ms", "", None),
    ]


def _rows_in_subprocess(database_url: str, module: str, function: str, arguments: str = "") -> list[tuple]:
    """Rows of `module.function(arguments)`, run by `manage.py shell` on the run's database: the part opens
    its own connection there and its memory is its own."""
    import json
    import os
    import subprocess

    from ancrage.demo.bench.server import MANAGE

    code = (
        "import json\n"
        f"from {module} import {function}\n"
        f"rows = {function}({arguments})\n"
        "print('ROWS ' + json.dumps([[str(r[0]), str(r[1]), str(r[2]), r[3]] for r in rows]))\n"
    )
    env = {**os.environ, "DATABASE_URL": database_url, "ANCRAGE_TESTING": "1"}
    done = subprocess.run(  # noqa: S603
        [*MANAGE, "shell", "-c", code], env=env, check=True, capture_output=True, text=True
    )
    line = next(line for line in reversed(done.stdout.splitlines()) if line.startswith("ROWS "))
    return [tuple(row) for row in json.loads(line[len("ROWS ") :])]


def outcomes(database_url: str, participants: int) -> list[tuple]:
    """The reports' outcomes computation for the last 24 months as a program manager sees it (issue 15)."""
    return _rows_in_subprocess(database_url, "ancrage.reports.bench", "bench_outcomes", "runs=5")


def hmis_export(database_url: str, participants: int) -> list[tuple]:
    """The HMIS CSV export of one organisation's people and enrollments, added to the run's copy for it (a tenth
    of the size's participants and one and a half times as many enrollments): time, rate and peak memory
    (issue 15). The copy is dropped afterwards."""
    clients = max(participants // 10, 100)
    return _rows_in_subprocess(
        database_url,
        "ancrage.interop.bench_export",
        "bench_export_seeded",
        f"clients={clients}, enrollments={clients * 3 // 2}",
    )


def hmis_import(database_url: str, participants: int) -> list[tuple]:
    """An HMIS CSV export of another system imported (upload, checks, staging, upserts), against a plain
    COPY of the same files (issue 15): BENCH_HMIS_CLIENTS clients (the issue's 100,000 by default) and one
    and a half times as many enrollments."""
    import os

    clients = int(os.environ.get("BENCH_HMIS_CLIENTS", "100000"))
    return _rows_in_subprocess(
        database_url,
        "ancrage.interop.bench",
        "bench_import",
        f"{database_url!r}, clients={clients}, enrollments={clients * 3 // 2}",
    )
