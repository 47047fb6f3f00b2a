"""Health of the background machinery: the database, the task worker and each scheduled job's runs.

Read by the administrators' page and the monitoring JSON; a bounded number of queries whatever the number
of runs or tasks kept, and nothing about a participant.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.models import Count, Max, Min, Q

from ancrage.core import clock, scheduling
from ancrage.core.models import ScheduledRun

DATABASE_BACKEND = "django_tasks_db.DatabaseBackend"
# A task waiting longer than this means no worker is taking tasks.
WORKER_LATE_AFTER = datetime.timedelta(minutes=10)


@dataclass
class JobHealth:
    job: scheduling.ScheduledJob
    last_run: ScheduledRun | None
    last_success_due: datetime.datetime | None
    expected_due: datetime.datetime | None
    next_due: datetime.datetime | None

    @property
    def late(self) -> bool:
        """No successful run for the latest due time that should have finished by now (or a later one)."""
        if self.expected_due is None:
            return False
        return self.last_success_due is None or self.last_success_due < self.expected_due

    @property
    def failed(self) -> bool:
        return self.last_run is not None and self.last_run.status == ScheduledRun.Status.FAILED

    @property
    def ok(self) -> bool:
        return not self.late and not self.failed


@dataclass
class WorkerHealth:
    queued: bool  # False when tasks run at once in the calling process (demo builder, tests)
    waiting: int = 0
    oldest_waiting_since: datetime.datetime | None = None
    last_finished_at: datetime.datetime | None = None
    ok: bool = True


@dataclass
class Health:
    checked_at: datetime.datetime
    database_ok: bool
    worker: WorkerHealth | None = None
    jobs: list[JobHealth] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return (
            self.database_ok
            and self.worker is not None
            and self.worker.ok
            and all(job.ok for job in self.jobs)
        )


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except DatabaseError:
        return False


def _worker(now: datetime.datetime) -> WorkerHealth:
    backend = settings.TASKS["default"]["BACKEND"]
    if backend != DATABASE_BACKEND:
        return WorkerHealth(queued=False)
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    ready = Q(status=TaskResultStatus.READY)
    figures = DBTaskResult.objects.aggregate(
        waiting=Count("pk", filter=ready),
        oldest=Min("enqueued_at", filter=ready),
        last_finished=Max("finished_at"),
    )
    oldest = figures["oldest"]
    return WorkerHealth(
        queued=True,
        waiting=figures["waiting"],
        oldest_waiting_since=oldest,
        last_finished_at=figures["last_finished"],
        ok=oldest is None or now - oldest <= WORKER_LATE_AFTER,
    )


def _jobs(now: datetime.datetime) -> list[JobHealth]:
    declared = scheduling.jobs()
    names = [job.name for job in declared]
    figures: dict[str, dict] = {
        row["job"]: dict(row)
        for row in ScheduledRun.objects.filter(job__in=names)
        .values("job")
        .annotate(
            last_due=Max("due_at"),
            last_success=Max("due_at", filter=Q(status=ScheduledRun.Status.SUCCEEDED)),
        )
    }
    last_pairs = Q()
    for name, row in figures.items():
        last_pairs |= Q(job=name, due_at=row["last_due"])
    last_runs = {run.job: run for run in ScheduledRun.objects.filter(last_pairs)} if figures else {}
    result = []
    for job in declared:
        row = figures.get(job.name, {})
        result.append(
            JobHealth(
                job=job,
                last_run=last_runs.get(job.name),
                last_success_due=row.get("last_success"),
                expected_due=job.last_due(now - job.late_after),
                next_due=job.next_due(now),
            )
        )
    return result


def check(now: datetime.datetime | None = None) -> Health:
    """The state of everything, at `now`; a database that does not answer stops the check there."""
    now = now or clock.now()
    if not _database_ok():
        return Health(checked_at=now, database_ok=False)
    try:
        return Health(checked_at=now, database_ok=True, worker=_worker(now), jobs=_jobs(now))
    except DatabaseError:
        return Health(checked_at=now, database_ok=False)


def _iso(moment: datetime.datetime | None) -> str | None:
    """In UTC, whatever zone the moment was computed in: monitoring compares them as they are."""
    return moment.astimezone(datetime.UTC).isoformat() if moment is not None else None


def as_json(health: Health) -> dict:
    """The monitoring view: states and times only (no error text, nothing about a person)."""
    worker = health.worker
    return {
        "ok": health.ok,
        "checked_at": _iso(health.checked_at),
        "database": {"ok": health.database_ok},
        "worker": None
        if worker is None
        else {
            "ok": worker.ok,
            "queued": worker.queued,
            "waiting": worker.waiting,
            "oldest_waiting_since": _iso(worker.oldest_waiting_since),
            "last_finished_at": _iso(worker.last_finished_at),
        },
        "jobs": [
            {
                "name": item.job.name,
                "schedule": item.job.cron,
                "ok": item.ok,
                "late": item.late,
                "last_run": None
                if item.last_run is None
                else {
                    "due_at": _iso(item.last_run.due_at),
                    "started_at": _iso(item.last_run.started_at),
                    "finished_at": _iso(item.last_run.finished_at),
                    "status": item.last_run.status,
                },
                "last_success_due_at": _iso(item.last_success_due),
                "next_run": _iso(item.next_due),
            }
            for item in health.jobs
        ],
    }
