"""The emails of case conferencing: the agenda ahead of each meeting (with an .ics invitation) and the
action list after it, one per member, in the member's language, listing only what the member's organisation
may see (D3, D5, D7). Each email is a Delivery row: kept until sent, retried when it fails."""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from ancrage.conferences.models import ActionItem, AgendaItem, Delivery, Meeting, Member
from ancrage.conferences.selectors import (
    agenda_for_organisations,
    carried_actions,
    covered,
    item_reason_display,
)
from ancrage.core import audit, clock

logger = logging.getLogger(__name__)


def _ics_text(value: str) -> str:
    """RFC 5545 TEXT escaping: backslash, semicolon, comma and newlines."""
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def _fold(line: str) -> str:
    """Lines longer than 75 octets are folded (RFC 5545 §3.1), never inside a UTF-8 character."""
    out: list[str] = []
    current = b""
    for ch in line:
        encoded = ch.encode()
        if len(current) + len(encoded) > (75 if not out else 74):
            out.append(current.decode())
            current = b""
        current += encoded
    out.append(current.decode())
    return "\r\n ".join(out)


def meeting_ics(meeting: Meeting, sequence: int = 0) -> str:
    """An iCalendar invitation for the meeting (written by hand: no calendar library in the lock file)."""

    def utc(moment: datetime.datetime) -> str:
        return moment.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")

    location = meeting.place or meeting.video_url
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Ancrage//Case conferences//FR",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:conference-meeting-{meeting.pk}@ancrage",
        f"DTSTAMP:{utc(clock.now())}",
        f"DTSTART:{utc(meeting.starts_at)}",
        f"DTEND:{utc(meeting.ends_at)}",
        f"SEQUENCE:{sequence}",
        f"SUMMARY:{_ics_text(meeting.table.name)}",
    ]
    if location:
        lines.append(f"LOCATION:{_ics_text(location)}")
    if meeting.video_url:
        lines.append(f"URL:{meeting.video_url}")
    lines += ["END:VEVENT", "END:VCALENDAR"]
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"


def agendas_prepare_due(now: datetime.datetime | None = None) -> int:
    """Meetings whose agenda falls due (CONFERENCE_AGENDA_DAYS_AHEAD days before) get one delivery per active
    member and are marked sent; returns how many agendas went out."""
    now = now or clock.now()
    ahead = settings.ANCRAGE["CONFERENCE_AGENDA_DAYS_AHEAD"]
    due = Meeting.objects.filter(
        status=Meeting.Status.PLANNED,
        agenda_sent_at__isnull=True,
        starts_at__gt=now,
        starts_at__lte=now + datetime.timedelta(days=ahead),
    )
    count = 0
    for meeting in due:
        agenda_send(actor=None, meeting=meeting)
        count += 1
    return count


def agenda_send(*, actor, meeting: Meeting) -> int:
    """Send the agenda now (the job does it ahead; a facilitator may too): one email per active member."""
    with transaction.atomic():
        members = list(Member.objects.filter(table_id=meeting.table_id, is_active=True))
        Delivery.objects.bulk_create(
            [Delivery(meeting=meeting, member=m, kind=Delivery.Kind.AGENDA) for m in members],
            ignore_conflicts=True,
        )
        if meeting.agenda_sent_at is not None:
            Delivery.objects.filter(meeting=meeting, kind=Delivery.Kind.AGENDA).update(
                status=Delivery.Status.PENDING, attempts=0
            )
        Meeting.objects.filter(pk=meeting.pk).update(agenda_sent_at=clock.now())
        meeting.agenda_sent_at = clock.now()
        audit.record(
            actor=actor,
            action="conferences.meeting.agenda_sent",
            obj=meeting,
            organisation=meeting.table.organisation,
            data={"members": len(members)},
        )
    return len(members)


def _render(delivery: Delivery, items: list[AgendaItem], kept: dict | None = None) -> EmailMessage:
    """The email of one delivery. `kept`: what one sending reads once for a meeting's emails of a kind (the
    actions), and once for those of its members of one organisation (the agenda and who they may see)."""
    meeting, member = delivery.meeting, delivery.member
    kept = {} if kept is None else kept
    if (meeting.pk, delivery.kind) not in kept:
        actions = list(carried_actions(meeting)) if delivery.kind == Delivery.Kind.AGENDA else []
        if delivery.kind == Delivery.Kind.ACTIONS:
            actions = list(
                ActionItem.objects.filter(meeting=meeting).select_related(
                    "responsible", "accountable", "participant"
                )
            )
        kept[(meeting.pk, delivery.kind)] = actions
    actions = kept[(meeting.pk, delivery.kind)]
    if (meeting.pk, delivery.kind, member.organisation_id) not in kept:
        kept[(meeting.pk, delivery.kind, member.organisation_id)] = (
            agenda_for_organisations(meeting, items, {member.organisation_id}),
            covered({a.participant_id for a in actions if a.participant_id}, {member.organisation_id}),
        )
    lines, cover = kept[(meeting.pk, delivery.kind, member.organisation_id)]
    shown_actions = [(a, a.participant_id is None or bool(cover.get(a.participant_id))) for a in actions]
    context = {
        "meeting": meeting,
        "member": member,
        "lines": [(line, item_reason_display(line.item) if line.visible else "") for line in lines],
        "actions": shown_actions,
        "site_url": settings.SITE_URL,
        "changed": meeting.changed_after_minutes,
    }
    if delivery.kind == Delivery.Kind.AGENDA:
        subject = _("Agenda: %(table)s, %(date)s") % {
            "table": meeting.table.name,
            "date": clock.localtime(meeting.starts_at).strftime("%Y-%m-%d %H:%M"),
        }
        body = render_to_string("conferences/email_agenda.txt", context)
    else:
        subject = (
            _("Action list (changed): %(table)s, %(date)s")
            if meeting.changed_after_minutes
            else _("Action list: %(table)s, %(date)s")
        ) % {"table": meeting.table.name, "date": clock.localdate(meeting.starts_at).isoformat()}
        body = render_to_string("conferences/email_actions.txt", context)
    message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [member.user.email])
    if delivery.kind == Delivery.Kind.AGENDA:
        message.attach("meeting.ics", meeting_ics(meeting, delivery.version - 1), "text/calendar")
    return message


def deliveries_send(meeting_id: int | None = None) -> int:
    """Send every email waiting (new or failed before, under CONFERENCE_EMAIL_ATTEMPTS tries): each in its
    member's language. A failure is kept with its error for the facilitator and tried again later."""
    limit = settings.ANCRAGE["CONFERENCE_EMAIL_ATTEMPTS"]
    waiting = Delivery.objects.filter(
        status__in=[Delivery.Status.PENDING, Delivery.Status.FAILED], attempts__lt=limit
    ).select_related("meeting__table__organisation", "member__user", "member__organisation")
    if meeting_id is not None:
        waiting = waiting.filter(meeting_id=meeting_id)
    items_by_meeting: dict[int, list[AgendaItem]] = {}
    kept: dict = {}
    sent = 0
    for delivery in waiting:
        mid = delivery.meeting_id
        if mid not in items_by_meeting:
            items_by_meeting[mid] = list(
                AgendaItem.objects.filter(meeting_id=mid).select_related(
                    "participant__organisation", "organisation"
                )
            )
        user = delivery.member.user
        try:
            if not user.email:
                raise ValueError("no email address")
            with translation.override(user.language or settings.LANGUAGE_CODE):
                message = _render(delivery, items_by_meeting[mid], kept)
            message.send()
        except Exception as error:
            logger.warning("conference email %s failed: %s", delivery.pk, error)
            Delivery.objects.filter(pk=delivery.pk).update(
                status=Delivery.Status.FAILED, attempts=delivery.attempts + 1, last_error=str(error)[:300]
            )
            facilitator_id = delivery.meeting.facilitator_id
            if delivery.attempts == 0 and facilitator_id:
                # The facilitator learns of it once; the meeting page shows each recipient's status.
                from ancrage.core.alerts import raise_alert

                raise_alert(
                    recipient_id=facilitator_id,
                    kind="conferences.delivery.failed",
                    obj=delivery,
                    params={
                        "date": clock.localdate(delivery.meeting.starts_at).isoformat(),
                        "member": delivery.member.user.display_name,
                    },
                    url=f"/conferences/meetings/{delivery.meeting_id}/",
                )
            continue
        Delivery.objects.filter(pk=delivery.pk).update(
            status=Delivery.Status.SENT, attempts=delivery.attempts + 1, sent_at=clock.now(), last_error=""
        )
        sent += 1
    return sent
