"""One run of the HTTP bench at one size: sign the plan's users in, ask every page `warmup + requests`
times, check every answer, and keep the client's and the server's figures."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from requests import RequestException

from ancrage.demo.bench.http import BenchClient, check, sign_in
from ancrage.demo.bench.plan import Plan
from ancrage.demo.bench.report import PageResult


def sign_in_all(plan: Plan, base_url: str) -> dict[str, BenchClient]:
    return {u.who: sign_in(base_url, u.username, u.password, u.totp_key) for u in plan.users}


def measure_pages(
    plan: Plan,
    clients: dict[str, BenchClient],
    *,
    requests: int,
    warmup: int,
    say: Callable[[str], None] = lambda _line: None,
    dump: Path | None = None,
) -> list[PageResult]:
    """Every page of the plan, one after the other (one client at a time: the figures are a single user's,
    the load step measures many). Warm-up answers are checked but not counted. With `dump`, each page's last
    answer is written there (PAGE_KEY.html), to look at what was measured."""
    results = []
    for page in plan.pages:
        client = clients[page.who]
        result = PageResult(page.key, page.label, page.who)
        for index in range(warmup + requests):
            try:
                answer = client.get(page.paths[index % len(page.paths)])
            except RequestException as error:
                result.failures.append(f"{page.paths[index % len(page.paths)]}: {error}")
                continue
            problem = check(answer, page.status, page.marker)
            if problem:
                result.failures.append(f"{page.paths[index % len(page.paths)]}: {problem}")
            if dump is not None and index == warmup + requests - 1:
                (dump / f"{page.key}.html").write_text(
                    f"<!-- {answer.status} -->\n{answer.text}", encoding="utf-8"
                )
            if index < warmup:
                continue
            result.wall_ms.append(answer.wall_ms)
            if answer.sql_ms is not None:
                result.sql_ms.append(answer.sql_ms)
            if answer.app_ms is not None:
                result.app_ms.append(answer.app_ms)
            if answer.queries is not None:
                result.queries.append(answer.queries)
        say(
            f"  {page.label} ({page.who}): p50 {result.p50:.0f} ms, p95 {result.p95:.0f} ms, "
            f"SQL {result.sql_p50:.1f} ms, {result.query_range} queries"
            + (f", {len(result.failures)} failed checks" if result.failures else "")
        )
        results.append(result)
    return results
