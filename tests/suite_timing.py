"""The suite's time: the slow tests start first on every worker, and each run says where its time went.

Order. pytest-xdist's `--dist worksteal` hands each worker an equal slice of the collection, in order, then moves
tests from the end of a busy worker's slice to an idle one. A long test that sits at the end of a slice starts
late and the whole run waits for it. So the collection is cut into the slices xdist will make, the tests known
to be slow spread over the slices so each starts with its share, and each slice keeps pytest-django's order
(tests in a transaction, then transactional tests such as the browser's, then tests without a database).

Watching. At the end, the run prints the time per area and the slowest files (all phases: setup, call and
teardown, summed over workers), and writes every test's time to test-results/durations.json. A test that takes
longer than SLOW_NOTICE_SECONDS without being in EXPECTED_SECONDS is named, to add it there.
"""

from __future__ import annotations

import json
import time
from collections import defaultdict
from pathlib import Path

import pytest

# Seconds a test takes on one core, by node-id prefix (the longest prefix that matches wins): estimates from CI's
# figures and from --durations on SQLite subsets, December 2026. Only the order depends on them, and only their
# ranking matters: a wrong figure costs time, never a result.
EXPECTED_SECONDS: dict[str, float] = {
    "ancrage/demo/tests/test_seed.py::test_seed_demo_builds_the_consortium": 150,
    "ancrage/demo/tests/test_seed.py": 5,
    "ancrage/demo/tests/test_bench.py": 6,
    "ancrage/demo/tests/test_meeting_bench.py": 8,
    "ancrage/demo/tests/test_http_bench.py::test_the_bench_end_to_end_on_postgresql_over_http": 80,
    "tests/test_api_schemathesis.py::test_every_operation_answers_within_its_schema": 9,
    "tests/test_api_schemathesis.py": 6,
    "tests/test_migrations.py": 5,
    # Every app to zero and back, and the last migrations back and forth with data: one plan each way.
    "tests/test_migrations.py::test_every_app_migrates_to_zero_and_back_to_the_same_schema": 70,
    "tests/test_migrations.py::test_last_migrations_back_and_forth_keep_the_data": 50,
    "ancrage/casework/tests/test_migration_one_contact_per_visit.py": 25,
    # A production process started to check its settings.
    "ancrage/accounts/tests/test_security.py::test_check_deploy_is_clean_in_production": 4,
    "ancrage/accounts/tests/test_security.py::test_production_settings_are_strict": 4,
    "tests/test_i18n.py": 2,
    # Every browser journey: a world, a live server, a real Chromium.
    "tests/browser/": 10,
    # The longest journeys: coordinated access from referral to transfer, a case manager's week.
    "tests/browser/test_coordinated_access_journey.py": 40,
    "tests/browser/test_casework_journey.py": 40,
}
DEFAULT_SECONDS = 0.3
SLOW_NOTICE_SECONDS = 20.0
DURATIONS_FILE = Path(__file__).resolve().parents[1] / "test-results" / "durations.json"


def expected_seconds(nodeid: str) -> float:
    best, seconds = -1, DEFAULT_SECONDS
    for prefix, value in EXPECTED_SECONDS.items():
        if nodeid.startswith(prefix) and len(prefix) > best:
            best, seconds = len(prefix), value
    return seconds


def django_group(item: pytest.Item) -> int:
    """pytest-django's order: 0 in a transaction, 1 transactional (it empties the tables), 2 no database."""
    marker = item.get_closest_marker("django_db")
    fixtures = getattr(item, "fixturenames", [])
    transactional = "transactional_db" in fixtures or "live_server" in fixtures
    uses_db = "db" in fixtures
    if marker is not None:
        uses_db = True
        transactional = transactional or bool(
            marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")
        )
    if transactional:
        return 1
    return 0 if uses_db else 2


def slice_sizes(count: int, workers: int) -> list[int]:
    """The sizes of the slices worksteal hands out first (xdist's WorkStealingScheduling.check_schedule)."""
    sizes, remaining = [], count
    for index in range(workers):
        size = remaining // (workers - index)
        sizes.append(size)
        remaining -= size
    return sizes


def arrange(items: list, workers: int, seconds, group) -> list:
    """`items` in the order to run: `workers` slices of the sizes xdist makes, the longest tests spread over the
    slices (longest first, each to the least loaded slice with room), each slice in (group, longest first,
    collection order)."""
    workers = max(1, min(workers, len(items) or 1))
    sizes = slice_sizes(len(items), workers)
    loads = [0.0] * workers
    slices: list[list[tuple[int, int, float]]] = [[] for _ in range(workers)]
    ranked = sorted(range(len(items)), key=lambda i: (-seconds(items[i]), i))
    for index in ranked:
        cost = seconds(items[index])
        open_slices = [k for k in range(workers) if len(slices[k]) < sizes[k]]
        target = min(open_slices, key=lambda k: (loads[k], k))
        slices[target].append((group(items[index]), index, cost))
        loads[target] += cost
    ordered = []
    for part in slices:
        part.sort(key=lambda entry: (entry[0], -entry[2], entry[1]))
        ordered.extend(items[index] for _group, index, _cost in part)
    return ordered


def _workers(config: pytest.Config) -> int:
    workerinput = getattr(config, "workerinput", None)
    if workerinput is None:
        return 1
    return int(workerinput.get("workercount", 1))


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    items[:] = arrange(items, _workers(config), lambda item: expected_seconds(item.nodeid), django_group)


# --- watching -------------------------------------------------------------------------------------------------


class _Clock:
    def __init__(self) -> None:
        self.started = time.monotonic()
        self.per_test: dict[str, float] = defaultdict(float)
        self.calls: dict[str, float] = {}

    def add(self, report: pytest.TestReport) -> None:
        self.per_test[report.nodeid] += report.duration
        if report.when == "call":
            self.calls[report.nodeid] = report.duration


_clock: _Clock | None = None


def _area(nodeid: str) -> str:
    path = nodeid.split("::", 1)[0]
    if path.startswith("tests/browser/"):
        return "browser"
    if path.startswith("tests/"):
        return "project (tests/)"
    parts = path.split("/")
    return parts[1] if len(parts) > 2 and parts[0] == "ancrage" else parts[0]


def pytest_configure(config: pytest.Config) -> None:
    global _clock
    if getattr(config, "workerinput", None) is None:  # the controller (or a run without xdist) watches
        _clock = _Clock()


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if _clock is not None:
        _clock.add(report)


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:
    clock = _clock
    if clock is None or not clock.per_test:
        return
    wall = time.monotonic() - clock.started
    total = sum(clock.per_test.values())
    per_file: dict[str, float] = defaultdict(float)
    per_area: dict[str, float] = defaultdict(float)
    for nodeid, seconds in clock.per_test.items():
        per_file[nodeid.split("::", 1)[0]] += seconds
        per_area[_area(nodeid)] += seconds
    write = terminalreporter.write_line
    terminalreporter.section("suite time")
    write(
        f"{len(clock.per_test)} tests: {wall:.0f} s of wall time, {total:.0f} s of test time over all workers"
    )
    write(
        "by area: "
        + ", ".join(f"{area} {secs:.0f} s" for area, secs in sorted(per_area.items(), key=lambda a: -a[1]))
    )
    write("slowest files:")
    for path, seconds in sorted(per_file.items(), key=lambda f: -f[1])[:15]:
        write(f"  {seconds:7.1f} s  {path}")
    # The call alone: the first test of each worker also carries the creation of its database in its setup.
    unexpected = [
        (nodeid, seconds)
        for nodeid, seconds in clock.calls.items()
        if seconds > SLOW_NOTICE_SECONDS and expected_seconds(nodeid) < SLOW_NOTICE_SECONDS
    ]
    for nodeid, seconds in sorted(unexpected, key=lambda t: -t[1]):
        write(
            f"slow and not in tests/suite_timing.py EXPECTED_SECONDS (so it may start last): {nodeid} {seconds:.0f} s"
        )
    try:
        DURATIONS_FILE.parent.mkdir(parents=True, exist_ok=True)
        DURATIONS_FILE.write_text(
            json.dumps(
                {
                    "wall_seconds": round(wall, 1),
                    "test_seconds": round(total, 1),
                    "tests": {nodeid: round(s, 3) for nodeid, s in sorted(clock.per_test.items())},
                },
                indent=1,
            )
        )
        write(f"every test's time: {DURATIONS_FILE.relative_to(DURATIONS_FILE.parents[1])}")
    except OSError as error:
        write(f"could not write {DURATIONS_FILE}: {error}")
