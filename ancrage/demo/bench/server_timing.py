"""The server's own figures for each answer, for the HTTP bench: a `Server-Timing` header with the time
spent in the application (from the first middleware to the last), in SQL (every statement, on every
connection, round trip to PostgreSQL included) and the number of statements.

Installed only when the environment says BENCH_SERVER_TIMING=1 (config/settings.py): a production server
never sends it. A header rather than pg_stat_statements: it needs no server library loaded at PostgreSQL's
start (shared with other databases here), and it gives each page its own figures, as the application saw
them, counted at the same place as the tests' `django_assert_max_num_queries`."""

from __future__ import annotations

import time
from contextlib import ExitStack

from django.db import connections


class ServerTimingMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        stats = {"queries": 0, "sql": 0.0}

        def timed(execute, sql, params, many, context):
            began = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                stats["sql"] += time.perf_counter() - began
                stats["queries"] += 1

        started = time.perf_counter()
        with ExitStack() as stack:
            for connection in connections.all():
                stack.enter_context(connection.execute_wrapper(timed))
            response = self.get_response(request)
        elapsed = time.perf_counter() - started
        response["Server-Timing"] = (
            f"app;dur={elapsed * 1000:.2f}, sql;dur={stats['sql'] * 1000:.2f}, "
            f'queries;desc="{stats["queries"]}"'
        )
        return response
