"""Watch field visits for the worker's safety, by hand (the scheduler runs it every 5 minutes)."""

from django.core.management.base import BaseCommand

from ancrage.casework.tasks import alert_overdue_visits


class Command(BaseCommand):
    help = "Alert team leads and on-call workers of field visits not ended by their planned end plus the grace period."

    def add_arguments(self, parser):
        parser.add_argument("--enqueue", action="store_true", help="Queue the work for a db_worker instead.")

    def handle(self, *args, enqueue=False, **options):
        if enqueue:
            result = alert_overdue_visits.enqueue()
            self.stdout.write(f"queued {result.id}")
            return
        count = alert_overdue_visits.call()
        self.stdout.write(f"overdue visits alerted: {count}")
