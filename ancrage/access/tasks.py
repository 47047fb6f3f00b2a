"""Background work of coordinated access: ranks, stalled matches, stuck people, inactivity (A4–A6)."""

from __future__ import annotations

from django_tasks import task

# The rank recomputation a change queues lives with the services that queue it; its old path here keeps
# naming it, for tasks already queued under that name.
from ancrage.access.services.policies import recompute_ranks

__all__ = ["daily", "recompute_ranks"]


@task()
def daily() -> dict[str, int]:
    """Once a day (cron: `manage.py access_daily`): inactivity, chronic figures, ranks, alerts, stuck people."""
    from ancrage.access import services

    return {
        "inactive": services.by_name_mark_inactive_without_contact(),
        "chronic": services.by_name_chronic_refresh(),
        "ranked": services.ranks_recompute(),
        "stalled": services.matches_alert_stalled(),
        "stuck": services.by_name_flag_stuck(),
    }
