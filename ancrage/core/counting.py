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
    seconds = settings.ANCRAGE["LIST_COUNT_SECONDS"]
    if seconds <= 0:
        return queryset.count()
    sql, params = queryset.order_by().query.sql_with_params()
    key = "ancrage-count:" + hashlib.sha256(repr((user.pk, sql, params)).encode()).hexdigest()
    count = cache.get(key)
    if count is None:
        count = queryset.count()
        cache.set(key, count, seconds)
    return count
