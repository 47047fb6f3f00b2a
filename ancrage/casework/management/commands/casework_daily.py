"""Daily upkeep of case management, by hand (the scheduler runs it every morning: `casework.daily`)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from ancrage.casework.tasks import daily


class Command(BaseCommand):
    help = (
        "Start a re-engagement plan for each active participant without contact for LOST_CONTACT_DAYS days "
        "(never a discharge), and alert on field visits not ended on time."
    )

    def add_arguments(self, parser):
        parser.add_argument("--enqueue", action="store_true", help="Queue the work for a db_worker instead.")

    def handle(self, *args, enqueue=False, **options):
        if enqueue:
            result = daily.enqueue()
            self.stdout.write(f"queued {result.id}")
            return
        figures = daily.call()
        self.stdout.write(", ".join(f"{k}: {v}" for k, v in figures.items()))
