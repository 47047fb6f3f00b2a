"""Scheduled job of case conferencing: agendas that fall due go out, and emails that failed are retried."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext_lazy as _

from ancrage.core.scheduling import ScheduledJob

JOBS = (
    ScheduledJob(
        name="conferences.send_due",
        task="ancrage.conferences.tasks.send_due",
        cron="15 * * * *",
        description=_(
            "Send each case-conference agenda that falls due (D3) and retry the emails that failed (D5)."
        ),
        late_after=datetime.timedelta(hours=2),
    ),
)
