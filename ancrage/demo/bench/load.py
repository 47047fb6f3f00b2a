"""The load step: locust in its own process (headless, bounded in time, against the loopback gunicorn),
N staff signed in through the real forms beforehand; its aggregated figures read from locust's CSV."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from ancrage.demo.bench.report import LOAD_P95_GOAL_MS, Row

LOCUSTFILE = Path(__file__).with_name("locustfile.py")


@dataclass
class LoadResult:
    users: int
    seconds: int
    requests: int
    failures: int
    throughput: float
    p50_ms: float
    p95_ms: float

    def rows(self) -> list[Row]:
        section = f"Load: {self.users} signed-in staff for {self.seconds} s, 3–10 s between pages"
        return [
            Row(section, "requests", str(self.requests)),
            Row(section, "throughput", f"{self.throughput:.1f} req/s"),
            Row(section, "p50", f"{self.p50_ms:.0f} ms"),
            Row(
                section,
                "p95",
                f"{self.p95_ms:.0f} ms",
                f"≤ {LOAD_P95_GOAL_MS:.0f} ms",
                self.p95_ms <= LOAD_P95_GOAL_MS,
            ),
            Row(section, "errors", str(self.failures), "0", self.failures == 0),
        ]


def parse_stats(path: Path, users: int, seconds: int) -> LoadResult:
    """The 'Aggregated' row of locust's *_stats.csv."""
    with path.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["Name"] == "Aggregated":
                return LoadResult(
                    users=users,
                    seconds=seconds,
                    requests=int(row["Request Count"]),
                    failures=int(row["Failure Count"]),
                    throughput=float(row["Requests/s"]),
                    p50_ms=float(row["50%"] if row["50%"] != "N/A" else 0),
                    p95_ms=float(row["95%"] if row["95%"] != "N/A" else 0),
                )
    raise ValueError(f"No aggregated row in {path}")


def run_load(
    base_url: str,
    sessions: dict[str, list[dict[str, str]]],
    pages: list[dict],
    *,
    users: int,
    seconds: int,
    wait: tuple[float, float] = (3, 10),
) -> LoadResult:
    """`users` simulated staff for `seconds`, spawned over the first tenth of the time."""
    host = urlsplit(base_url).netloc
    with tempfile.TemporaryDirectory(prefix="ancrage-load-") as folder:
        load_file = Path(folder) / "load.json"
        load_file.write_text(
            json.dumps(
                {
                    "base_url": base_url,
                    "host": host,
                    "sessions": sessions,
                    "pages": pages,
                    "wait_min": wait[0],
                    "wait_max": wait[1],
                }
            ),
            encoding="utf-8",
        )
        prefix = Path(folder) / "stats"
        command = [
            sys.executable,
            "-m",
            "locust",
            "-f",
            str(LOCUSTFILE),
            "--headless",
            "--users",
            str(users),
            "--spawn-rate",
            str(max(1, users * 10 // max(seconds, 1))),
            "--run-time",
            f"{seconds}s",
            "--stop-timeout",
            "30",
            "--csv",
            str(prefix),
            "--only-summary",
            "--loglevel",
            "ERROR",
            "--exit-code-on-error",
            "0",
        ]
        done = subprocess.run(  # noqa: S603
            command, env=_env(load_file), check=False, capture_output=True, text=True, timeout=seconds + 120
        )
        stats = Path(f"{prefix}_stats.csv")
        if not stats.exists():
            raise RuntimeError(f"locust wrote no figures (exit {done.returncode}): {done.stderr[-2000:]}")
        return parse_stats(stats, users, seconds)


def _env(load_file: Path) -> dict[str, str]:
    import os

    return {**os.environ, "BENCH_LOAD_FILE": str(load_file)}
