"""Background work of partners: notice emails (E3) and the daily renewal watch (E1)."""

from __future__ import annotations

from django_tasks import task


@task()
def send_notice_email(notice_id: int) -> str:
    """Email one significant-change notice; a failure is kept and retried by `retry_notices`."""
    from ancrage.partners.jobs import notice_email_send

    return notice_email_send(notice_id)


@task()
def retry_notices() -> int:
    from ancrage.partners.jobs import notices_retry

    return notices_retry()


@task()
def daily() -> dict[str, int]:
    from ancrage.partners.jobs import agreements_alert_renewals

    return {"renewals": agreements_alert_renewals()}
