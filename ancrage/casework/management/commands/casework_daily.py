"""Daily upkeep of case management; run it from cron once a day: lost contact (B12) becomes a re-engagement
plan, and field visits left open are alerted once more in case the watch missed them (B9)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from ancrage.casework.services_contacts import visits_alert_overdue
from ancrage.casework.services_referrals import lost_contacts_flag


class Command(BaseCommand):
    help = (
        "Start a re-engagement plan for each active participant without contact for LOST_CONTACT_DAYS days "
        "(never a discharge), and alert on field visits not ended on time."
    )

    def handle(self, *args, **options):
        figures = {"lost_contact": lost_contacts_flag(), "overdue_visits": visits_alert_overdue()}
        self.stdout.write(", ".join(f"{k}: {v}" for k, v in figures.items()))
