"""Scheduled jobs of partners: agreements due for renewal (E1) and notice emails to retry (E3)."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext_lazy as _

from ancrage.core.scheduling import ScheduledJob

JOBS = (
    ScheduledJob(
        name="partners.daily",
        task="ancrage.partners.tasks.daily",
        cron="45 5 * * *",
        description=_("Alert the program managers of partner agreements due for renewal (E1)."),
        late_after=datetime.timedelta(hours=3),
    ),
    ScheduledJob(
        name="partners.notices_retry",
        task="ancrage.partners.tasks.retry_notices",
        cron="*/15 * * * *",
        description=_("Send again the significant-change notice emails that failed (E3)."),
        late_after=datetime.timedelta(hours=1),
    ),
)
