"""What case management tells housing's outcomes (C9): each participant's first enrollment in a program, the day
their days to move-in count from. Registered with `ancrage.housing.outcomes` at start-up."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db.models import Min

from ancrage.casework.models import Enrollment


def first_enrollment_dates(participant_ids: Iterable[int]) -> dict[int, datetime.date]:
    """{participant id: the day of their first enrollment}: one query per 5,000 people (SQLite limits the
    number of parameters of a query)."""
    ids = list(participant_ids)
    result: dict[int, datetime.date] = {}
    for index in range(0, len(ids), 5000):
        rows = (
            Enrollment.objects.filter(participant_id__in=ids[index : index + 5000])
            .values("participant_id")
            .annotate(first=Min("enrolled_on"))
            .values_list("participant_id", "first")
        )
        result.update(dict(rows))
    return result
