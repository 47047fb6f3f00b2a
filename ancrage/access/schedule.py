"""Scheduled jobs of coordinated access: the by-name list's daily upkeep (A4–A6)."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext_lazy as _

from ancrage.core.scheduling import ScheduledJob

JOBS = (
    # Early morning, away from the 2–3 a.m. daylight-saving changes, so ranks are fresh when teams start.
    ScheduledJob(
        name="access.daily",
        task="ancrage.access.tasks.daily",
        cron="15 5 * * *",
        description=_(
            "Mark inactive people, refresh chronic figures and priority ranks, alert on stalled matches "
            "and flag people stuck on the by-name list (A4–A6)."
        ),
        late_after=datetime.timedelta(hours=3),
    ),
)
