"""Scheduled jobs of case management: the field-visit watch (B9) and the daily upkeep (B12)."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext_lazy as _

from ancrage.core.scheduling import ScheduledJob

JOBS = (
    # A worker alone at a visit that did not end is a safety matter: checked every 5 minutes.
    ScheduledJob(
        name="casework.overdue_visits",
        task="ancrage.casework.tasks.alert_overdue_visits",
        cron="*/5 * * * *",
        description=_("Alert the team lead and the on-call worker of field visits not ended on time (B9)."),
        late_after=datetime.timedelta(minutes=15),
    ),
    # Early morning, away from the 2–3 a.m. daylight-saving changes, after access's upkeep, before the day.
    ScheduledJob(
        name="casework.daily",
        task="ancrage.casework.tasks.daily",
        cron="30 5 * * *",
        description=_(
            "End the enrollments whose planned exit falls due (F2), start a re-engagement plan for each "
            "participant without contact for too long (B12), and alert once more on field visits left open."
        ),
        late_after=datetime.timedelta(hours=3),
    ),
)
