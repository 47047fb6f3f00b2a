"""The HTTP bench's pieces: percentiles, goal marks, the report, the server's timing header, the sign-in
through the real pages, the load step's figures, the background parts; and the whole bench end to end at a
tiny scale on PostgreSQL against the gunicorn it starts."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from ancrage.core.permissions import Role
from ancrage.demo.bench import background, report, server
from ancrage.demo.bench.http import BenchClient, SignInError, check, csrf_token, parse_server_timing, sign_in
from ancrage.demo.bench.load import parse_stats
from ancrage.demo.bench.plan import give_credentials
from ancrage.demo.bench.report import (
    MET,
    MISSED,
    PageResult,
    Row,
    format_pages,
    format_rows,
    growth,
    percentile,
)


def test_percentile_is_nearest_rank():
    values = [float(v) for v in range(120, 0, -1)]
    assert percentile(values, 50) == 60
    assert percentile(values, 95) == 114
    assert percentile(values, 100) == 120
    assert percentile([7.0], 95) == 7
    with pytest.raises(ValueError):
        percentile([], 50)
    with pytest.raises(ValueError):
        percentile([1.0], 0)


def _page(key, wall, sql, queries=5):
    return PageResult(
        key, key.replace("_", " "), "partner", wall_ms=wall, sql_ms=sql, queries=[queries] * len(wall)
    )


def test_goal_marks_and_growth():
    fast = _page("fast", [10.0] * 19 + [40.0], [5.0] * 20)
    slow = _page("slow", [60.0] * 20, [10.0] * 20)
    assert fast.p95_met
    assert fast.ratio == 2.0
    assert fast.ratio_met
    assert not slow.p95_met
    assert slow.ratio == 6.0
    assert slow.ratio_met is False
    assert _page("nosql", [5.0], []).ratio is None
    assert growth(fast, _page("fast", [12.0] * 20, [5.0] * 20)) == pytest.approx(12 / 10)
    assert growth(fast, None) is None


def test_report_puts_each_goal_beside_its_figure_and_marks_what_is_missed():
    small = [_page("fast", [10.0] * 20, [4.0] * 20), _page("slow", [45.0] * 20, [40.0] * 20, queries=9)]
    large = [_page("fast", [11.0] * 20, [4.0] * 20), _page("slow", [90.0] * 20, [80.0] * 20, queries=9)]
    text = format_pages({10_000: small, 100_000: large})
    lines = {line.split("  ")[0]: line for line in text.splitlines()}
    assert "10,000 p50/p95 ms" in text
    assert "growth 10,000→100,000" in text
    assert "p95 ≤ 50 ms" in text
    fast, slow = lines["fast"], lines["slow"]
    assert "10 / 10" in fast
    assert "×1.10" in fast
    assert fast.rstrip().endswith(MET)
    assert MISSED not in fast
    assert f"90 / 90{MISSED}" in slow
    assert f"×2.00{MISSED}" in slow
    assert slow.rstrip().endswith(MISSED)
    assert "45 / 45 " in slow  # met at 10,000: no mark
    single = format_pages({500: small})
    assert "growth 500" not in single.splitlines()[0]


def test_a_page_with_a_failed_check_is_marked():
    broken = _page("fast", [10.0] * 20, [4.0] * 20)
    broken.failures.append("/x/: status 500")
    assert format_pages({1: [broken]}).splitlines()[2].endswith(MISSED)
    assert report.failures({1: [broken]}) == ["1 fast (partner): /x/: status 500"]


def test_rows_print_value_goal_and_mark():
    text = format_rows(
        [
            Row("Load", "p95", "320 ms", "≤ 300 ms", False),
            Row("Load", "errors", "0", "0", True),
            Row("Jobs", "ranks", "1.2 s"),
        ]
    )
    assert "Load:" in text
    assert "Jobs:" in text
    assert next(line for line in text.splitlines() if line.startswith("p95")).endswith(MISSED)
    assert next(line for line in text.splitlines() if line.startswith("errors")).endswith(MET)
    assert next(line for line in text.splitlines() if line.startswith("ranks")).endswith("1.2 s")
    assert format_rows([]) == ""


def test_server_timing_header_and_checks():
    parsed = parse_server_timing('app;dur=12.50, sql;dur=3.25, queries;desc="7"')
    assert parsed == {"app": (12.5, ""), "sql": (3.25, ""), "queries": (None, "7")}
    assert parse_server_timing("") == {}
    html = '<input type="hidden" name="csrfmiddlewaretoken" value="abc123">'
    assert csrf_token(html) == "abc123"
    with pytest.raises(SignInError):
        csrf_token("<form></form>")


def test_check_says_why_an_answer_is_not_the_page():
    from ancrage.demo.bench.http import Timed

    def answer(status, text):
        return Timed(status, text, 1.0, None, None, None, "")

    assert check(answer(200, '<h1 id="results">'), 200, 'id="results"') is None
    assert check(answer(302, ""), 200, "x") == "status 302, expected 200"
    assert check(answer(200, "<h1>"), 200, 'id="results"') == "'id=\"results\"' not in the page"


@pytest.mark.django_db
def test_the_server_timing_middleware_counts_the_pages_queries(client_for, case_manager_a, settings):
    settings.MIDDLEWARE = ["ancrage.demo.bench.server_timing.ServerTimingMiddleware", *settings.MIDDLEWARE]
    response = client_for(case_manager_a).get(reverse("home"))
    timing = parse_server_timing(response["Server-Timing"])
    assert int(timing["queries"][1]) >= 3
    assert timing["app"][0] >= timing["sql"][0] > 0


@pytest.mark.django_db
def test_no_timing_header_without_the_bench_setting(client_for, case_manager_a):
    assert "ancrage.demo.bench.server_timing.ServerTimingMiddleware" not in settings.MIDDLEWARE
    assert "Server-Timing" not in client_for(case_manager_a).get(reverse("home"))


@pytest.mark.django_db(transaction=True)
def test_sign_in_through_the_login_and_two_factor_pages(live_server, org_a, settings):
    from ancrage.people.tests.factories import member

    settings.TWO_FACTOR_REQUIRED = True  # as in production (the tests' default is off)

    manager = member(org_a, Role.ADMINISTRATOR, username="bench_admin")
    assert manager.needs_two_factor
    credentials = give_credentials(manager, "administrator")
    client = sign_in(live_server.url, credentials.username, credentials.password, credentials.totp_key)
    assert settings.SESSION_COOKIE_NAME in client.cookies
    assert client.get("/").status == 200

    with pytest.raises(SignInError, match="has no device"):
        sign_in(live_server.url, credentials.username, credentials.password, None)
    with pytest.raises(SignInError, match="login page answered 200"):
        sign_in(live_server.url, credentials.username, "not-the-password", credentials.totp_key)
    # Not signed in: the page sends to the login page.
    assert BenchClient(live_server.url).get("/").status == 302


def test_load_figures_from_locusts_csv(tmp_path):
    stats = tmp_path / "stats_stats.csv"
    stats.write_text(
        "Type,Name,Request Count,Failure Count,Median Response Time,Requests/s,50%,95%\n"
        "GET,caseload,10,0,20,1.5,20,40\n"
        ",Aggregated,240,2,30,4.25,31,320\n",
        encoding="utf-8",
    )
    result = parse_stats(stats, users=50, seconds=60)
    assert (result.requests, result.failures, result.throughput, result.p95_ms) == (240, 2, 4.25, 320.0)
    rows = {row.label: row for row in result.rows()}
    assert rows["p95"].met is False
    assert rows["errors"].met is False
    assert rows["throughput"].value == "4.2 req/s"


def part_with_tuples(database_url, participants):
    return [("job", f"{participants} done", "≤ 1 s", True)]


def part_that_fails(database_url, participants):
    raise RuntimeError("boom")


def test_background_parts_are_rows_and_a_missing_part_is_said():
    rows = background.run_parts(
        "postgres://x/y",
        10,
        [
            "ancrage.demo.tests.test_http_bench:part_with_tuples",
            "ancrage.demo.tests.test_http_bench:part_that_fails",
            "ancrage.nowhere.bench_jobs:bench_jobs",
        ],
    )
    labels = [(r.label, r.value, r.met) for r in rows]
    assert ("job", "10 done", True) in labels
    assert any(
        label.startswith("ancrage.demo.tests.test_http_bench:part_that_fails failed: boom")
        for label, *_ in labels
    )
    assert ("ancrage.nowhere.bench_jobs:bench_jobs not found", "-", None) in labels


def test_bench_databases_are_named_for_the_bench():
    with pytest.raises(server.BenchError):
        server.check_name("ancrage")
    with pytest.raises(server.BenchError):
        server.check_name("postgres")
    server.check_name("ancrage_bench_10000")
    assert (
        server.database_url("postgres://u@h:5432/ancrage_bench", "x_bench") == "postgres://u@h:5432/x_bench"
    )
    assert server.schema_marker(10) != server.schema_marker(20)
    env = server.production_env("postgres://u@h/x_bench", 8123)
    assert "ANCRAGE_TESTING" not in env
    assert env["BENCH_SERVER_TIMING"] == "1"
    assert env["ALLOWED_HOSTS"] == "127.0.0.1"


# The process's own names: two runs on one server (two checkouts, a helper's and CI's) never drop each other's.
BENCH_NAME = f"ancrage_bench_ci{os.getpid()}"


def _postgres_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        return server.database_url(url, BENCH_NAME)
    return f"postgres://postgres@127.0.0.1:5432/{BENCH_NAME}"


def test_the_bench_end_to_end_on_postgresql_over_http():
    """A tiny scale at the smallest settings that use each part: built, copied, served by one gunicorn worker
    in production settings, signed in, every page checked (once warming up, once timed), a four-second load
    step of four staff; the built database is left as found and the copy dropped."""
    url = _postgres_url()
    built = f"{BENCH_NAME}_150"
    env = {**os.environ, "ANCRAGE_TESTING": "1"}
    command = [
        sys.executable,
        str(Path(settings.BASE_DIR) / "manage.py"),
        "bench",
        "--database-url",
        url,
        "--sizes",
        "150",
        "--requests",
        "1",
        "--warmup",
        "1",
        "--workers",
        "1",
        "--load-users",
        "4",
        "--load-seconds",
        "4",
        "--no-background",
    ]
    try:
        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=900, check=False)
        assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
        out = done.stdout
        assert "Signed in 5 users over HTTP" in out
        assert "by-name list by rank" in out
        assert "team meeting" in out
        assert "conference meeting and agenda" in out
        assert "Load: 4 signed-in staff" in out
        assert "errors" in out
        load_requests = next(line for line in out.splitlines() if line.startswith("requests "))
        # Pages were asked under load (at two seconds, locust had not asked any yet: four is the least).
        assert int(load_requests.split()[1]) >= 1, load_requests
        assert server.database_comment(url, built) == server.schema_marker(150)
        assert server.database_comment(url, f"{built}_run") is None  # the copy is dropped
    finally:
        server.drop_database(url, built)


def sample_rows(size: int = 2) -> list[tuple]:
    """A background part's rows, for the test below (run by a subprocess that imports this module)."""
    return [(f"row {n}", n * 1.5, "≤ 2", n * 1.5 <= 2) for n in range(size)]


def test_a_part_runs_in_its_own_process_on_the_given_database(tmp_path):
    rows = background._rows_in_subprocess(
        f"sqlite:///{tmp_path / 'bench.sqlite3'}", "ancrage.demo.tests.test_http_bench", "sample_rows", "3"
    )
    assert rows == [
        ("row 0", "0.0", "≤ 2", True),
        ("row 1", "1.5", "≤ 2", True),
        ("row 2", "3.0", "≤ 2", False),
    ]
    assert [r.met for r in (background.as_row("s", row) for row in rows)] == [True, True, False]


def test_every_kind_of_row_a_part_returns_becomes_a_report_row():
    """The access jobs' part returns its own Row dataclass: a 100,000-participant bench lost its figures
    ("cannot unpack non-iterable Row object") after 45 s of measuring."""
    from ancrage.access.bench_jobs import Row as JobRow

    rows = [
        Row("s", "as a report row", "1", "", None),
        ("as a tuple", "2", "≤ 3", True),
        JobRow(label="as the jobs' row", value="4 s", goal="≤ 2 s", met=False),
    ]
    converted = [background.as_row("s", row) for row in rows]
    assert [(r.label, r.value, r.goal, r.met) for r in converted] == [
        ("as a report row", "1", "", None),
        ("as a tuple", "2", "≤ 3", True),
        ("as the jobs' row", "4 s", "≤ 2 s", False),
    ]
