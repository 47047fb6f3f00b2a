"""The scheduler process: enqueue each scheduled job at its due times (see ancrage.core.scheduling)."""

from __future__ import annotations

import contextlib
import logging
import signal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.management.base import BaseCommand

from ancrage.core import scheduling


class Command(BaseCommand):
    help = (
        "Run the schedule: at each job's due time, queue its task for the worker (manage.py db_worker). "
        "On start, a job whose last due time passed without a run (a missed night) is queued once."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--once",
            action="store_true",
            help="Queue every job's latest due time not yet queued, then exit (no waiting).",
        )
        parser.add_argument(
            "--list", action="store_true", dest="list_jobs", help="List the jobs and their next due time."
        )

    def handle(self, *args, once=False, list_jobs=False, **options):
        from ancrage.core import clock

        if list_jobs:
            now = clock.now()
            for job in scheduling.jobs():
                due = job.next_due(now)
                self.stdout.write(f"{job.name:28} {job.cron:16} next {clock.localtime(due):%Y-%m-%d %H:%M}")
            return
        # A missed night, or the first start: each job's latest due time runs once, now.
        for run in scheduling.enqueue_all_due():
            self.stdout.write(f"caught up {run.job} due {clock.localtime(run.due_at):%Y-%m-%d %H:%M}")
        if once:
            return
        self._run_forever()

    def _run_forever(self) -> None:
        from apscheduler.schedulers.blocking import BlockingScheduler

        # Each enqueue is one line of the process's output (the root logger shows warnings only).
        logging.getLogger(scheduling.__name__).setLevel(logging.INFO)

        scheduler = BlockingScheduler(timezone=ZoneInfo(settings.TIME_ZONE))
        for job in scheduling.jobs():
            scheduler.add_job(
                scheduling.job_action(job.name),
                trigger=job.trigger(),
                id=job.name,
                name=job.name,
                # One run at a time; after a pause (a suspended laptop) one run, not one per missed time,
                # and never dropped for being late: enqueue_due() itself keeps each due time to one run.
                max_instances=1,
                coalesce=True,
                misfire_grace_time=None,
            )

        def stop(signum, frame):
            # honcho and systemd stop processes with SIGTERM: finish the current enqueue, then leave.
            scheduler.shutdown(wait=False)

        previous = signal.signal(signal.SIGTERM, stop)
        self.stdout.write(f"scheduler started: {', '.join(job.name for job in scheduling.jobs())}")
        self.stdout.flush()
        try:
            with contextlib.suppress(KeyboardInterrupt, SystemExit):
                scheduler.start()
        finally:
            signal.signal(signal.SIGTERM, previous)
        self.stdout.write("scheduler stopped")
