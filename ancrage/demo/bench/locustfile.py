"""The load step's users (locust): staff of every role of the plan, signed in already by the bench (their
session cookies are in the file named by BENCH_LOAD_FILE), each asking pages of the mix by their weight, 3 to
10 seconds apart, and checking each answer's status and marker. Run by `load.run_load`, loopback only."""

from __future__ import annotations

import itertools
import json
import os
import random

from locust import HttpUser, between, task

_LOAD = json.loads(open(os.environ["BENCH_LOAD_FILE"], encoding="utf-8").read())  # noqa: SIM115
_SESSIONS = _LOAD["sessions"]  # who -> list of cookie dicts
_PAGES = _LOAD["pages"]
_WEIGHTS = [p["weight"] for p in _PAGES]
_HOST = _LOAD["host"]
_counter = itertools.count()


class Staff(HttpUser):
    host = _LOAD["base_url"]
    wait_time = between(_LOAD.get("wait_min", 3), _LOAD.get("wait_max", 10))

    def on_start(self) -> None:
        self.n = next(_counter)

    def _headers(self, who: str) -> dict[str, str]:
        sessions = _SESSIONS[who]
        cookies = sessions[self.n % len(sessions)]
        return {
            "X-Forwarded-Proto": "https",
            "Host": _HOST,
            "Referer": f"https://{_HOST}/",
            "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items()),
        }

    @task
    def page(self) -> None:
        page = random.choices(_PAGES, weights=_WEIGHTS)[0]
        path = random.choice(page["paths"])
        with self.client.get(
            path,
            headers=self._headers(page["who"]),
            name=page["key"],
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != page["status"]:
                response.failure(f"status {response.status_code}")
            elif page["marker"] not in response.text:
                response.failure("marker missing")
            else:
                response.success()
