"""Scheduled jobs of reporting: the monthly funder report (G5, G6, A7)."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext_lazy as _

from ancrage.core.scheduling import ScheduledJob

JOBS = (
    # On the first of the month, early, away from the 2–3 a.m. daylight-saving changes and the daily jobs.
    ScheduledJob(
        name="reports.monthly",
        task="ancrage.reports.funder.tasks.monthly",
        cron="30 4 1 * *",
        description=_(
            "Generate and keep the funder report of the month just ended, and of any month a missed run left "
            "without one (A7, C9, G6)."
        ),
        late_after=datetime.timedelta(hours=6),
    ),
)
