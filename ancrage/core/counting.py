"""A list's count kept for a short while: the API's by-name list, the home page's "participants you can
see" (issue 16).

An exact COUNT of every row a user may see reads the whole visible set, however short the page: at 100,000
people it took longer than the page itself. The pages still say how many rows there are (the API's contract),
but the same user asking the same list again within `ANCRAGE["LIST_COUNT_SECONDS"]` gets the count of the
first answer. Keyed by the user and the query's SQL and parameters, which hold the filters, the user's
organisations and today's date: another filter, another user or another day is another count. The cache is
the process's own memory (Django's default), so nothing about a participant leaves the process."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.db.models import QuerySet


def count_for_a_while(queryset: QuerySet, *, user) -> int:
    """`queryset.count()`, or the same count asked by the same user within the last few seconds."""
    sql, params = queryset.order_by().query.sql_with_params()
    return computed_for_a_while(
        ("count", user.pk, sql, params), queryset.count, seconds=settings.ANCRAGE["LIST_COUNT_SECONDS"]
    )


def computed_for_a_while(key: tuple, compute, *, seconds: int | None = None):
    """`compute()`, or what it returned for the same `key` within the last `seconds`
    (`ANCRAGE["REPORT_KEEP_SECONDS"]` by default): for a report computed over a whole community, which
    every reader of the same community, period and language sees alike. `key` must name all of that."""
    seconds = settings.ANCRAGE["REPORT_KEEP_SECONDS"] if seconds is None else seconds
    if seconds <= 0:
        return compute()
    cache_key = "ancrage-kept:" + hashlib.sha256(repr(key).encode()).hexdigest()
    value = cache.get(cache_key)
    if value is None:
        value = compute()
        cache.set(cache_key, value, seconds)
    return value
