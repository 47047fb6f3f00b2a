"""Background work of case conferencing: agendas and action lists by email."""

from __future__ import annotations

from django_tasks import task


@task()
def send_due() -> dict[str, int]:
    """Every hour (the `conferences.send_due` job): agendas due are prepared, and every email not yet sent
    (new, or failed before) is sent."""
    from ancrage.conferences.mail import agendas_prepare_due, deliveries_send

    return {"agendas": agendas_prepare_due(), "sent": deliveries_send()}


@task()
def send_meeting(meeting_id: int) -> int:
    """Send at once what is waiting for one meeting (its action list after the minutes are closed)."""
    from ancrage.conferences.mail import deliveries_send

    return deliveries_send(meeting_id=meeting_id)
