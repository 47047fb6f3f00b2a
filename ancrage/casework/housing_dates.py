"""What case management tells housing (C4, C9): each participant's first enrollment in a program, the day their
days to move-in count from, and the program that follows them on a day, whose budgets and outcomes a lease
belongs to. Registered with `ancrage.housing` at start-up."""

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


def program_following(participant_id: int, on: datetime.date) -> int | None:
    """The program of the participant's enrollment active on `on` (the latest begun), if any."""
    from django.db.models import Q

    return (
        Enrollment.objects.filter(participant_id=participant_id, enrolled_on__lte=on)
        .filter(Q(exited_on__isnull=True) | Q(exited_on__gte=on))
        .order_by("-enrolled_on", "-pk")
        .values_list("program_id", flat=True)
        .first()
    )
