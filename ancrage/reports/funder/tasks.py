"""The monthly job's task: each consortium's funder report for the month just ended (and the months a missed run
left without one), run by the task worker."""

from __future__ import annotations

from django_tasks import task

from ancrage.core import clock
from ancrage.reports.funder import services


@task()
def monthly() -> dict[str, int]:
    return {"generated": services.generate_due_reports(clock.today())}
