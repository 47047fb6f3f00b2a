"""Daily upkeep of the by-name list, by hand (the scheduler runs it every morning: `access.daily`)."""

from django.core.management.base import BaseCommand

from ancrage.access.tasks import daily


class Command(BaseCommand):
    help = "Mark inactive people, refresh chronic figures and ranks, alert on stalled matches, flag stuck people."

    def add_arguments(self, parser):
        parser.add_argument("--enqueue", action="store_true", help="Queue the work for a db_worker instead.")

    def handle(self, *args, enqueue=False, **options):
        if enqueue:
            result = daily.enqueue()
            self.stdout.write(f"queued {result.id}")
            return
        figures = daily.call()
        self.stdout.write(", ".join(f"{k}: {v}" for k, v in figures.items()))
