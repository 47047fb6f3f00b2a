"""Scheduled jobs of people: the nightly check of the consent visibility lookup."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext_lazy as _

from ancrage.core.scheduling import ScheduledJob

JOBS = (
    ScheduledJob(
        name="people.visibility_check",
        task="ancrage.people.tasks.visibility_check",
        cron="10 3 * * *",
        description=_(
            "Check the consent visibility lookup against the consents, repair and report any drift."
        ),
        late_after=datetime.timedelta(hours=2),
    ),
)
