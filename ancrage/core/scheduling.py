"""Scheduled jobs: one registry in code, the due times of each, and enqueuing each due time exactly once.

Each app declares its jobs in its own `schedule.py` and registers them from its AppConfig.ready(), so
adding a job never edits core (and core imports no domain app). `manage.py scheduler` (APScheduler 3.11,
a BlockingScheduler with one CronTrigger per job) calls `enqueue_due()` at each due time; the task
worker (`manage.py db_worker`) runs the work. django-crontask would do this on Django's task framework
directly, but it needs Python 3.12 and Django 6, which this project (Python 3.11, Django 5.2) cannot take.

Exactly once: every due time enqueued is a `core.ScheduledRun` row, unique on (job, due_at); a second
scheduler, a restart or a second call for the same due time finds the row and enqueues nothing. Only the
latest due time is ever enqueued, so after a missed night a job runs once, not once per missed period.
Times come from `ancrage.core.clock`; cron expressions are read in the application's time zone.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.module_loading import import_string
from django_tasks import task
from django_tasks.base import Task

from ancrage.core import clock

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ScheduledJob:
    """A job of the schedule: `name` is stable (runs are recorded under it), `task` a django-tasks task
    or its import path, `cron` five crontab fields in the application's time zone, `late_after` how long
    after a due time health may wait for the run to finish before it says the job is late."""

    name: str
    task: str | Task
    cron: str
    description: Any  # a lazy translation: read in the reader's language
    late_after: datetime.timedelta

    def get_task(self) -> Task:
        found = import_string(self.task) if isinstance(self.task, str) else self.task
        if not isinstance(found, Task):
            raise TypeError(f"Scheduled job {self.name}: {self.task!r} is not a django-tasks task")
        return found

    def trigger(self):
        from apscheduler.triggers.cron import CronTrigger

        return CronTrigger.from_crontab(self.cron, timezone=ZoneInfo(settings.TIME_ZONE))

    def next_due(self, after: datetime.datetime) -> datetime.datetime | None:
        """The first due time strictly after `after`."""
        return self.trigger().get_next_fire_time(after, after)

    def last_due(self, at: datetime.datetime) -> datetime.datetime | None:
        """The latest due time at or before `at` (within a year), None when there is none."""
        trigger = self.trigger()
        # Look back a little first, then further: a 5-minute job is found in its last few minutes, a
        # daily one in its last day, without walking thousands of due times.
        for lookback in (
            datetime.timedelta(minutes=10),
            datetime.timedelta(days=1.1),
            datetime.timedelta(days=32),
            datetime.timedelta(days=367),
        ):
            due = trigger.get_next_fire_time(None, at - lookback)
            if due is None or due > at:
                continue
            while True:
                following = trigger.get_next_fire_time(due, due)
                if following is None or following > at:
                    return due
                due = following
        return None


_REGISTRY: dict[str, ScheduledJob] = {}


def register(*jobs: ScheduledJob) -> None:
    """Add jobs to the schedule (from an AppConfig.ready()); registering the same job again is harmless."""
    for job in jobs:
        known = _REGISTRY.get(job.name)
        if known is not None and known != job:
            raise ValueError(f"Two different scheduled jobs are named {job.name!r}")
        job.trigger()  # a malformed cron expression fails at start-up, not at 5 in the morning
        _REGISTRY[job.name] = job


def unregister(name: str) -> None:
    """Remove a job (tests that register one of their own)."""
    _REGISTRY.pop(name, None)


def jobs() -> list[ScheduledJob]:
    return sorted(_REGISTRY.values(), key=lambda job: job.name)


def get(name: str) -> ScheduledJob:
    try:
        return _REGISTRY[name]
    except KeyError:
        raise LookupError(f"No scheduled job is named {name!r}") from None


def enqueue_due(name: str, *, now: datetime.datetime | None = None):
    """Enqueue the job's latest due time at or before `now` unless it already is; return its
    ScheduledRun, or None when there was nothing to do (not due yet, or already enqueued)."""
    from ancrage.core.models import ScheduledRun

    job = get(name)
    now = now or clock.now()
    due = job.last_due(now)
    if due is None:
        return None
    try:
        # Committed before the task is queued: the unique (job, due_at) row is the claim on this due time.
        with transaction.atomic():
            run = ScheduledRun.objects.create(job=job.name, due_at=due, enqueued_at=now)
    except IntegrityError:
        return None
    try:
        result = run_scheduled_job.enqueue(run.pk)
    except Exception as exc:
        logger.exception("Scheduled job %s (due %s) could not be queued", job.name, due.isoformat())
        ScheduledRun.objects.filter(pk=run.pk).update(
            status=ScheduledRun.Status.FAILED, finished_at=clock.now(), error=_error_name(exc)
        )
        run.refresh_from_db()
        return run
    # With the immediate backend the run has already finished here: write only the task's id.
    ScheduledRun.objects.filter(pk=run.pk).update(task_result_id=str(result.id))
    run.refresh_from_db()
    logger.info("Scheduled job %s (due %s) queued as task %s", job.name, due.isoformat(), result.id)
    return run


def enqueue_all_due(*, now: datetime.datetime | None = None) -> list:
    """Every job's latest due time not yet enqueued: the scheduler's catch-up on start (a missed night
    runs each job once), and a tick that tests drive with a pinned clock."""
    now = now or clock.now()
    runs = [enqueue_due(job.name, now=now) for job in jobs()]
    return [run for run in runs if run is not None]


def _error_name(exc: BaseException) -> str:
    return f"{type(exc).__module__}.{type(exc).__qualname__}"[:200]


def _summary(value: Any) -> Any:
    """What a job returned, kept if it is a count or a mapping of counts (nothing about a person)."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, dict) and all(isinstance(v, int) for v in value.values()):
        return {str(k): v for k, v in value.items()}
    return None


@task()
def run_scheduled_job(run_id: int) -> Any:
    """The worker's side of a scheduled run: record its start, run the job's task, record how it ended.
    A run already started (a task delivered twice) is not run again."""
    from ancrage.core.models import ScheduledRun

    started = clock.now()
    claimed = ScheduledRun.objects.filter(pk=run_id, status=ScheduledRun.Status.QUEUED).update(
        status=ScheduledRun.Status.RUNNING, started_at=started
    )
    if not claimed:
        logger.warning("Scheduled run %s was already started: not run again", run_id)
        return None
    run = ScheduledRun.objects.get(pk=run_id)
    try:
        value = get(run.job).get_task().call()
    except BaseException as exc:
        ScheduledRun.objects.filter(pk=run_id).update(
            status=ScheduledRun.Status.FAILED, finished_at=clock.now(), error=_error_name(exc)
        )
        raise
    ScheduledRun.objects.filter(pk=run_id).update(
        status=ScheduledRun.Status.SUCCEEDED, finished_at=clock.now(), result=_summary(value)
    )
    return _summary(value)


def job_action(name: str) -> Callable[[], None]:
    """What the scheduler process runs at each of the job's due times, in its own thread: enqueue the
    due time, with this thread's database connection opened and closed around it."""

    def action() -> None:
        from django.db import close_old_connections

        close_old_connections()
        try:
            enqueue_due(name)
        except Exception:
            # The scheduler keeps running; the run missing shows on the health page as late.
            logger.exception("Scheduled job %s could not be enqueued", name)
        finally:
            close_old_connections()

    action.__name__ = f"enqueue_{name.replace('.', '_')}"
    return action
