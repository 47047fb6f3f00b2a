"""Scheduled jobs of housing: the rent payment service's daily upkeep (C5)."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext_lazy as _

from ancrage.core.scheduling import ScheduledJob

JOBS = (
    # Every morning: from the roll day (setting RENT_ROLL_DAY, the 20th) the next month's draft roll is
    # generated once and the clerks alerted; repayment plans left behind are marked broken.
    ScheduledJob(
        name="housing.rent_daily",
        task="ancrage.housing.tasks.rent_daily",
        cron="15 6 * * *",
        description=_(
            "Generate next month's draft rent roll from the roll day and alert the rent clerks; mark the "
            "repayment plans more than a month behind as broken (C5)."
        ),
        late_after=datetime.timedelta(hours=3),
    ),
)
