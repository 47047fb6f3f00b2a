"""Background work of case management: field visits not ended on time (B9), lost contact (B12)."""

from __future__ import annotations

from django_tasks import task


@task()
def alert_overdue_visits() -> int:
    """Every 5 minutes (the `casework.overdue_visits` job of casework/schedule.py): alert the team lead and
    the on-call worker of each field visit not ended by its planned end plus the grace period, once per visit."""
    from ancrage.casework.contacts.services import visits_alert_overdue

    return visits_alert_overdue()


@task()
def daily() -> dict[str, int]:
    """Once a day (the `casework.daily` job): planned exits recorded ahead take effect on their date, lost
    contact becomes a re-engagement plan, and field visits left open are alerted once more in case the watch
    missed them."""
    from ancrage.casework.contacts.services import visits_alert_overdue
    from ancrage.casework.exits.services import exits_take_effect
    from ancrage.casework.reengagement.services import lost_contacts_flag

    return {
        "exits": exits_take_effect(),
        "lost_contact": lost_contacts_flag(),
        "overdue_visits": visits_alert_overdue(),
    }
