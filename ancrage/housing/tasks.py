"""Background work of housing: the rent payment service's daily upkeep (C5)."""

from __future__ import annotations

from django_tasks import task


@task()
def rent_daily() -> dict[str, int]:
    """Once a day (the `housing.rent_daily` job of housing/schedule.py)."""
    from ancrage.core import clock
    from ancrage.housing.rent.services import plans_check, rolls_prepare

    today = clock.today()
    return {"rolls": rolls_prepare(today), "plans_broken": plans_check(today)}
