"""Background work of case management: field visits not ended on time (B9)."""

from __future__ import annotations

from django_tasks import task


@task()
def alert_overdue_visits() -> int:
    """Every few minutes (cron: `manage.py casework_watch`): alert the team lead and the on-call worker of
    each field visit not ended by its planned end plus the grace period, once per visit."""
    from ancrage.casework.services_contacts import visits_alert_overdue

    return visits_alert_overdue()
