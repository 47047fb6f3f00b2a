"""Writes of case conferencing (D1–D7): each validates, writes its audit entry, and says what is wrong in the
user's language, by field."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from ancrage.conferences.models import (
    ActionItem,
    ActionParty,
    AgendaItem,
    Attendance,
    Contribution,
    Delivery,
    Evaluation,
    FollowUp,
    Meeting,
    Member,
    ParkingLotIssue,
    Proposal,
    Table,
)
from ancrage.core import audit, clock

if TYPE_CHECKING:
    from ancrage.accounts.models import User
    from ancrage.organisations.models import Organisation
    from ancrage.people.models import Participant

# How far ahead a meeting or a due date may be set: beyond is a typing error, not a plan.
MAX_DAYS_AHEAD = 2 * 366
# A person discussed this many times with no action done in between goes to the program managers (D5).
ESCALATE_AFTER = 3


def _text(
    value: Any, name: str, errors: dict[str, list[str]], *, required: bool = False, limit: int = 0
) -> str:
    text = "" if value is None else str(value).strip()
    limit = limit or settings.ANCRAGE["NOTE_MAX_LENGTH"]
    if "\x00" in text:
        errors[name] = [_("This text holds a character that cannot be saved (a null character).")]
    elif len(text) > limit:
        errors[name] = [_("At most %(limit)s characters.") % {"limit": limit}]
    elif required and not text:
        errors[name] = [_("This field is required.")]
    return text


def _raise(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError(errors)


def budget_settings() -> tuple[int, int]:
    """(minutes per person, people per hour), each between 5 and 8 (D3)."""
    minutes = settings.ANCRAGE["CONFERENCE_MINUTES_PER_PERSON"]
    per_hour = settings.ANCRAGE["CONFERENCE_PEOPLE_PER_HOUR"]
    for name, value in (("CONFERENCE_MINUTES_PER_PERSON", minutes), ("CONFERENCE_PEOPLE_PER_HOUR", per_hour)):
        if not 5 <= value <= 8:
            raise ImproperlyConfigured(f"{name} must be between 5 and 8 (D3), not {value}.")
    return minutes, per_hour


def capacity(meeting: Meeting) -> int:
    """How many people the meeting holds: the fewer of its length at the minutes each, and of its hours at
    the people an hour."""
    minutes, per_hour = budget_settings()
    return min(meeting.duration_minutes // minutes, meeting.duration_minutes * per_hour // 60)


# --- Tables and members (D1) -------------------------------------------------------------------------------


def table_create(
    *,
    actor: User,
    organisation: Organisation,
    name: str,
    start_time: datetime.time,
    level: str = Table.Level.COMMUNITY,
    cadence: str = Table.Cadence.WEEKLY,
    weekday: int = 1,
    duration_minutes: int = 60,
    place: str = "",
    video_url: str = "",
    program=None,
) -> Table:
    errors: dict[str, list[str]] = {}
    name = _text(name, "name", errors, required=True, limit=200)
    place = _text(place, "place", errors, limit=300)
    if level not in Table.Level.values:
        errors["level"] = [_("Choose the level of the table.")]
    if cadence not in Table.Cadence.values:
        errors["cadence"] = [_("Choose how often the table meets.")]
    if weekday not in range(7):
        errors["weekday"] = [_("Choose the day of the week.")]
    if not isinstance(duration_minutes, int) or not 15 <= duration_minutes <= 240:
        errors["duration_minutes"] = [_("A meeting lasts from 15 to 240 minutes.")]
    if start_time is None:
        errors["start_time"] = [_("Give the time the meeting starts.")]
    if not place and not video_url:
        errors["place"] = [_("Give the meeting place or a video link.")]
    if level == Table.Level.PROGRAM and program is None:
        errors["program"] = [_("A program-level table names its program.")]
    _raise(errors)
    with transaction.atomic():
        table = Table.objects.create(
            name=name,
            organisation=organisation,
            level=level,
            cadence=cadence,
            weekday=weekday,
            start_time=start_time,
            duration_minutes=duration_minutes,
            place=place,
            video_url=video_url,
            program=program,
        )
        audit.record(actor=actor, action="conferences.table.created", obj=table, data={"name": name})
    return table


def member_add(
    *, actor: User, table: Table, user: User, organisation: Organisation, can_decide_housing: bool = False
) -> Member:
    errors: dict[str, list[str]] = {}
    if organisation.pk not in user.organisation_ids:
        errors["organisation"] = [_("This person does not work in this organisation.")]
    elif organisation.consortium_id != table.organisation.consortium_id:
        errors["organisation"] = [_("This organisation is not of the table's consortium.")]
    if not user.has_ancrage_perm("conferences.view"):
        errors["user"] = [_("This person's role cannot sit at a case-conference table.")]
    existing = Member.objects.filter(table=table, user=user).first()
    if existing and existing.is_active:
        errors["user"] = [_("This person is already a member of the table.")]
    _raise(errors)
    with transaction.atomic():
        if existing:
            existing.organisation = organisation
            existing.can_decide_housing = can_decide_housing
            existing.is_active = True
            existing.save(update_fields=["organisation", "can_decide_housing", "is_active"])
            member = existing
        else:
            member = Member.objects.create(
                table=table, user=user, organisation=organisation, can_decide_housing=can_decide_housing
            )
        audit.record(
            actor=actor,
            action="conferences.member.added",
            obj=member,
            data={"user": user.username, "organisation": organisation.short_name},
        )
    return member


def member_remove(*, actor: User, member: Member) -> Member:
    with transaction.atomic():
        member.is_active = False
        member.save(update_fields=["is_active"])
        audit.record(actor=actor, action="conferences.member.removed", obj=member)
    return member


# --- Meetings (D1, D2) ----------------------------------------------------------------------------------------


def _check_start(starts_at: datetime.datetime | None, errors: dict[str, list[str]]) -> None:
    if starts_at is None:
        errors["starts_at"] = [_("Give the day and time of the meeting.")]
        return
    today = clock.today()
    day = clock.localdate(starts_at)
    if not today - datetime.timedelta(days=366) <= day <= today + datetime.timedelta(days=MAX_DAYS_AHEAD):
        errors["starts_at"] = [_("The meeting must fall within a year before and two years after today.")]


def meeting_create(
    *,
    actor: User | None,
    table: Table,
    starts_at: datetime.datetime,
    kind: str = Meeting.Kind.CASE,
    duration_minutes: int | None = None,
) -> Meeting:
    errors: dict[str, list[str]] = {}
    _check_start(starts_at, errors)
    if kind not in Meeting.Kind.values:
        errors["kind"] = [_("Choose the kind of meeting.")]
    duration = duration_minutes or table.duration_minutes
    if not 15 <= duration <= 240:
        errors["duration_minutes"] = [_("A meeting lasts from 15 to 240 minutes.")]
    if not errors and Meeting.objects.filter(table=table, starts_at=starts_at).exists():
        errors["starts_at"] = [_("The table already meets at this time.")]
    _raise(errors)
    with transaction.atomic():
        meeting = Meeting.objects.create(
            table=table,
            kind=kind,
            starts_at=starts_at,
            duration_minutes=duration,
            place=table.place,
            video_url=table.video_url,
        )
        if kind == Meeting.Kind.CASE:
            from ancrage.conferences.selectors import rotation

            order = rotation(meeting)
            if order:
                meeting.first_organisation_id = order[0]
                meeting.save(update_fields=["first_organisation"])
        audit.record(
            actor=actor,
            action="conferences.meeting.created",
            obj=meeting,
            organisation=table.organisation,
            data={"starts_at": starts_at.isoformat(), "kind": kind},
        )
    return meeting


def meeting_moments(table: Table, start: datetime.date, until: datetime.date) -> list[datetime.datetime]:
    """The moments the cadence gives between two days: the table's weekday and time, every week or two."""
    step = 7 if table.cadence == Table.Cadence.WEEKLY else 14
    day = start + datetime.timedelta(days=(table.weekday - start.weekday()) % 7)
    moments = []
    while day <= until:
        moments.append(
            clock.start_of_day(day).replace(hour=table.start_time.hour, minute=table.start_time.minute)
        )
        day += datetime.timedelta(days=step)
    return moments


def meetings_generate(*, actor: User | None, table: Table, until: datetime.date) -> list[Meeting]:
    """Plan the table's case meetings from its cadence, from today to `until`; existing ones are kept."""
    today = clock.today()
    if until > today + datetime.timedelta(days=MAX_DAYS_AHEAD):
        raise ValidationError({"until": [_("Plan at most two years ahead.")]})
    last = table.meetings.filter(kind=Meeting.Kind.CASE).order_by("-starts_at").first()
    start = today
    if table.cadence == Table.Cadence.BIWEEKLY and last is not None:
        # Keep the fortnight's rhythm: the next meeting is two weeks after the last one.
        last_day = clock.localdate(last.starts_at)
        while last_day < today:
            last_day += datetime.timedelta(days=14)
        start = last_day
    existing = set(table.meetings.values_list("starts_at", flat=True))
    made = []
    for moment in meeting_moments(table, start, until):
        if moment not in existing and moment >= clock.now():
            made.append(meeting_create(actor=actor, table=table, starts_at=moment))
    return made


def _member_ids(meeting: Meeting) -> set[int]:
    return set(
        Member.objects.filter(table_id=meeting.table_id, is_active=True).values_list("user_id", flat=True)
    )


def meeting_set_roles(
    *,
    actor: User,
    meeting: Meeting,
    facilitator: User | None,
    timekeeper: User | None,
    note_taker: User | None,
) -> Meeting:
    """The three roles of one meeting (D2): members of the table, never the same person twice."""
    errors: dict[str, list[str]] = {}
    members = _member_ids(meeting)
    chosen = {"facilitator": facilitator, "timekeeper": timekeeper, "note_taker": note_taker}
    seen: dict[int, str] = {}
    for name, user in chosen.items():
        if user is None:
            continue
        if user.pk not in members:
            errors[name] = [_("Choose a member of the table.")]
        elif user.pk in seen:
            errors[name] = [
                _("%(name)s already holds another role at this meeting: one person, one role.")
                % {"name": user.display_name}
            ]
        seen.setdefault(user.pk, name)
    _raise(errors)
    try:
        with transaction.atomic():
            meeting.facilitator, meeting.timekeeper, meeting.note_taker = facilitator, timekeeper, note_taker
            meeting.save(update_fields=["facilitator", "timekeeper", "note_taker"])
            audit.record(
                actor=actor,
                action="conferences.meeting.roles_set",
                obj=meeting,
                data={k: (u.username if u else "") for k, u in chosen.items()},
            )
    except IntegrityError:
        raise ValidationError(
            {"facilitator": [_("One person, one role: the three roles go to three people.")]}
        ) from None
    _changed(meeting)
    return meeting


def attendance_record(*, actor: User, meeting: Meeting, statuses: dict[int, str]) -> list[Attendance]:
    """Present, excused or absent, per member (member id -> status)."""
    members = {m.pk: m for m in Member.objects.filter(table_id=meeting.table_id)}
    errors: dict[str, list[str]] = {}
    for member_id, status in statuses.items():
        if member_id not in members:
            errors["attendance"] = [_("Attendance is recorded for members of the table only.")]
        elif status not in Attendance.Status.values:
            errors["attendance"] = [_("Choose present, excused or absent.")]
    if clock.localdate(meeting.starts_at) > clock.today():
        errors["attendance"] = [_("Attendance is recorded on the day of the meeting or after.")]
    _raise(errors)
    rows = []
    with transaction.atomic():
        for member_id, status in statuses.items():
            row, _created = Attendance.objects.update_or_create(
                meeting=meeting, member_id=member_id, defaults={"status": status}
            )
            rows.append(row)
        audit.record(
            actor=actor,
            action="conferences.meeting.attendance",
            obj=meeting,
            data={str(k): v for k, v in statuses.items()},
        )
    _changed(meeting)
    return rows


# --- Agenda (D3) ---------------------------------------------------------------------------------------------


def flagged_entry(participant: Participant):
    """The person's by-name list entry when the coordinated-access daily job flagged them as stuck."""
    from ancrage.access.models import ByNameEntry, ByNameStatus

    return ByNameEntry.objects.filter(
        participant=participant, needs_conference=True, status=ByNameStatus.ACTIVE
    ).first()


def proposal_create(*, actor: User, table: Table, participant: Participant, reason: str) -> Proposal:
    """A member proposes a person who is stuck, saying why (D3)."""
    from ancrage.people.selectors import participants_visible_to

    errors: dict[str, list[str]] = {}
    reason = _text(reason, "reason", errors, required=True)
    if not errors.get("reason") and len(reason) < 10:
        errors["reason"] = [_("Say in a sentence why the person is stuck: what was tried and did not work.")]
    member = Member.objects.filter(table=table, user=actor, is_active=True).first()
    if member is None:
        errors["table"] = [_("Only a member of the table may propose a person.")]
    if not participants_visible_to(actor).filter(pk=participant.pk).exists():
        errors["participant"] = [_("You can propose only a person whose file you may see.")]
    elif Proposal.objects.filter(table=table, participant=participant, status=Proposal.Status.OPEN).exists():
        errors["participant"] = [_("This person is already proposed to the table.")]
    _raise(errors)
    assert member is not None
    with transaction.atomic():
        proposal = Proposal.objects.create(
            table=table,
            participant=participant,
            reason=reason,
            proposed_by=actor,
            organisation=member.organisation,
        )
        audit.record(
            actor=actor, action="conferences.proposal.created", obj=proposal, participant=participant
        )
    return proposal


def agenda_add(
    *,
    actor: User,
    meeting: Meeting,
    participant: Participant,
    proposal: Proposal | None = None,
) -> AgendaItem:
    """Put a stuck person on the agenda (D3): flagged by the coordinated-access daily job, or proposed by a
    member with why. Refused beyond the meeting's time budget; marked late after the agenda went out."""
    errors: dict[str, list[str]] = {}
    if meeting.status != Meeting.Status.PLANNED or meeting.minutes_closed_at:
        errors["meeting"] = [_("This meeting is over: add the person to a coming meeting.")]
    if meeting.kind != Meeting.Kind.CASE:
        errors["meeting"] = [_("People are discussed at case meetings, not at the administrative meeting.")]
    if proposal is not None and (
        proposal.participant_id != participant.pk or proposal.table_id != meeting.table_id
    ):
        errors["participant"] = [_("This proposal is for another person or another table.")]
    entry = flagged_entry(participant)
    if proposal is None and entry is None:
        errors["participant"] = [
            _(
                "Only people who are stuck are discussed: this person is not flagged by coordinated access "
                "and no member proposed them with a reason."
            )
        ]
    _raise(errors)
    with transaction.atomic():
        locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if AgendaItem.objects.filter(meeting=locked, participant=participant).exists():
            raise ValidationError({"participant": [_("This person is already on this agenda.")]})
        held = AgendaItem.objects.filter(meeting=locked).count()
        room = capacity(locked)
        if held >= room:
            minutes, per_hour = budget_settings()
            raise ValidationError(
                {
                    "participant": [
                        _(
                            "The agenda is full: %(count)s people in %(length)s minutes (%(minutes)s minutes "
                            "each, %(per_hour)s an hour). Put the person on the next meeting."
                        )
                        % {
                            "count": held,
                            "length": locked.duration_minutes,
                            "minutes": minutes,
                            "per_hour": per_hour,
                        }
                    ]
                }
            )
        if proposal is not None:
            source, reason, org = AgendaItem.Source.PROPOSED, proposal.reason, proposal.organisation
        else:
            assert entry is not None
            source = AgendaItem.Source.FLAGGED
            reason = entry.needs_conference_reason
            org = participant.organisation
        item = AgendaItem.objects.create(
            meeting=locked,
            participant=participant,
            source=source,
            reason=reason,
            proposal=proposal,
            organisation=org,
            added_by=actor,
            is_late=locked.agenda_sent_at is not None,
        )
        if proposal is not None:
            Proposal.objects.filter(pk=proposal.pk).update(status=Proposal.Status.ON_AGENDA)
        audit.record(
            actor=actor,
            action="conferences.item.added",
            obj=item,
            participant=participant,
            data={"meeting": meeting.pk, "source": source, "late": item.is_late},
        )
        if item.is_late:
            # The members learn of the late addition: their agenda goes out again.
            _resend(locked, Delivery.Kind.AGENDA)
    return item


def item_record(
    *,
    actor: User,
    item: AgendaItem,
    confidential: str = "",
    resources: str = "",
    action_plan: str = "",
    notes: str = "",
    lead: User | None = None,
    seconds_spent: int | None = None,
    contributions: dict[int, tuple[str, str]] | None = None,
) -> AgendaItem:
    """What the note-taker writes of the three phases (D4): the set-up, each partner's strengths and barriers,
    the resources, the plan and its lead."""
    errors: dict[str, list[str]] = {}
    values = {
        "confidential": _text(confidential, "confidential", errors),
        "resources": _text(resources, "resources", errors),
        "action_plan": _text(action_plan, "action_plan", errors),
        "notes": _text(notes, "notes", errors),
    }
    members = _member_ids(item.meeting)
    if lead is not None and lead.pk not in members:
        errors["lead"] = [_("The lead is a member of the table.")]
    if seconds_spent is not None and not 0 <= seconds_spent <= 6 * 3600:
        errors["seconds_spent"] = [_("The time spent is between 0 and 6 hours.")]
    orgs = set(
        Member.objects.filter(table_id=item.meeting.table_id).values_list("organisation_id", flat=True)
    )
    cleaned: dict[int, tuple[str, str]] = {}
    for org_id, (strengths, barriers) in (contributions or {}).items():
        if org_id not in orgs:
            errors["contributions"] = [_("Only the table's member organisations contribute.")]
            continue
        cleaned[org_id] = (
            _text(strengths, "contributions", errors),
            _text(barriers, "contributions", errors),
        )
    _raise(errors)
    with transaction.atomic():
        for name, value in values.items():
            setattr(item, name, value)
        item.lead = lead
        item.discussed = True
        fields = [*values, "lead", "discussed"]
        if seconds_spent is not None:
            item.seconds_spent = seconds_spent
            fields.append("seconds_spent")
        item.save(update_fields=fields)
        for org_id, (strengths, barriers) in cleaned.items():
            Contribution.objects.update_or_create(
                item=item, organisation_id=org_id, defaults={"strengths": strengths, "barriers": barriers}
            )
        audit.record(actor=actor, action="conferences.item.recorded", obj=item, participant=item.participant)
    _changed(item.meeting)
    return item


# --- Action items (D5) ---------------------------------------------------------------------------------------


def action_create(
    *,
    actor: User,
    meeting: Meeting,
    description: str,
    responsible: User | None,
    due_on: datetime.date | None,
    accountable: User | None = None,
    item: AgendaItem | None = None,
    consulted: list[Any] | None = None,
    informed: list[Any] | None = None,
) -> ActionItem:
    """An action item with RACI: a responsible person (required), an accountable one, users or member
    organisations consulted and informed; due today or later."""
    from ancrage.organisations.models import Organisation

    errors: dict[str, list[str]] = {}
    description = _text(description, "description", errors, required=True)
    members = _member_ids(meeting)
    if responsible is None:
        errors["responsible"] = [_("Name the person responsible for the action.")]
    elif responsible.pk not in members:
        errors["responsible"] = [_("The person responsible is a member of the table.")]
    if accountable is not None and accountable.pk not in members:
        errors["accountable"] = [_("The person accountable is a member of the table.")]
    today = clock.today()
    if due_on is None:
        errors["due_on"] = [_("Give the due date.")]
    elif due_on < today:
        errors["due_on"] = [_("The due date cannot be in the past.")]
    elif due_on > today + datetime.timedelta(days=MAX_DAYS_AHEAD):
        errors["due_on"] = [_("The due date is at most two years ahead.")]
    if item is not None and item.meeting_id != meeting.pk:
        errors["item"] = [_("This person is not on this meeting's agenda.")]
    member_orgs = set(
        Member.objects.filter(table_id=meeting.table_id, is_active=True).values_list(
            "organisation_id", flat=True
        )
    )
    parties: list[tuple[str, Any]] = []
    for role, people in ((ActionParty.Role.CONSULTED, consulted), (ActionParty.Role.INFORMED, informed)):
        for party in people or []:
            if isinstance(party, Organisation):
                if party.pk not in member_orgs:
                    errors[role] = [_("Choose members or member organisations of the table.")]
            elif getattr(party, "pk", None) not in members:
                errors[role] = [_("Choose members or member organisations of the table.")]
            parties.append((role, party))
    _raise(errors)
    assert responsible is not None
    assert due_on is not None
    with transaction.atomic():
        action = ActionItem.objects.create(
            meeting=meeting,
            item=item,
            participant=item.participant if item else None,
            description=description,
            responsible=responsible,
            accountable=accountable,
            due_on=due_on,
        )
        ActionParty.objects.bulk_create(
            ActionParty(
                action=action,
                role=role,
                user=None if isinstance(p, Organisation) else p,
                organisation=p if isinstance(p, Organisation) else None,
            )
            for role, p in parties
        )
        audit.record(
            actor=actor,
            action="conferences.action.created",
            obj=action,
            participant=action.participant,
            data={
                "due_on": due_on.isoformat() if due_on else "",
                "responsible": responsible.username if responsible else "",
            },
        )
    _changed(meeting)
    return action


def action_update(*, actor: User, action: ActionItem, status: str, note: str = "") -> ActionItem:
    """Move an action on (open, in progress, done, dropped), with a follow-up note."""
    errors: dict[str, list[str]] = {}
    note = _text(note, "note", errors)
    if status not in ActionItem.Status.values:
        errors["status"] = [_("Choose the status of the action.")]
    if status == ActionItem.Status.DROPPED and not note:
        errors["note"] = [_("Say why the action is dropped.")]
    _raise(errors)
    with transaction.atomic():
        before = action.status
        action.status = status
        action.done_on = clock.today() if status == ActionItem.Status.DONE else None
        action.save(update_fields=["status", "done_on"])
        if note:
            FollowUp.objects.create(action=action, note=note, by=actor)
        audit.record(
            actor=actor,
            action="conferences.action.updated",
            obj=action,
            participant=action.participant,
            data={"status": [before, status]},
        )
    # A follow-up is the action's life after the meeting, not an edit of the meeting's minutes.
    return action


# --- Minutes, action list, escalation (D5) ------------------------------------------------------------------


def _resend(meeting: Meeting, kind: str) -> None:
    """Put the members' emails of this kind back to send (a new version), after the current transaction."""
    Delivery.objects.filter(meeting=meeting, kind=kind).exclude(status=Delivery.Status.PENDING).update(
        status=Delivery.Status.PENDING, attempts=0, last_error=""
    )
    Delivery.objects.filter(meeting=meeting, kind=kind).update(version=F("version") + 1)
    _enqueue(meeting)


def _enqueue(meeting: Meeting) -> None:
    from ancrage.conferences.tasks import send_meeting

    pk = meeting.pk
    transaction.on_commit(lambda: send_meeting.enqueue(pk))


def _changed(meeting: Meeting) -> None:
    """A meeting edited after its minutes went out is marked changed, and its action list goes again."""
    if not meeting.minutes_closed_at:
        return
    with transaction.atomic():
        Meeting.objects.filter(pk=meeting.pk).update(
            changed_after_minutes=True, minutes_version=F("minutes_version") + 1
        )
        meeting.changed_after_minutes = True
        _resend(meeting, Delivery.Kind.ACTIONS)


def minutes_close(*, actor: User, meeting: Meeting) -> Meeting:
    """Close the minutes: the meeting is held, the action list goes to every member at once, and a person
    discussed three times without progress is escalated to the program managers."""
    if meeting.minutes_closed_at:
        raise ValidationError({"meeting": [_("The minutes of this meeting are already closed.")]})
    if clock.localdate(meeting.starts_at) > clock.today():
        raise ValidationError({"meeting": [_("The minutes are closed on the day of the meeting or after.")]})
    with transaction.atomic():
        meeting.status = Meeting.Status.HELD
        meeting.minutes_closed_at = clock.now()
        meeting.minutes_version = 1
        meeting.save(update_fields=["status", "minutes_closed_at", "minutes_version"])
        members = list(Member.objects.filter(table_id=meeting.table_id, is_active=True))
        Delivery.objects.bulk_create(
            [Delivery(meeting=meeting, member=m, kind=Delivery.Kind.ACTIONS) for m in members],
            ignore_conflicts=True,
        )
        audit.record(actor=actor, action="conferences.meeting.minutes_closed", obj=meeting)
        escalations_check(meeting)
        _enqueue(meeting)
    return meeting


def escalations_check(meeting: Meeting) -> list[AgendaItem]:
    """People of this meeting discussed ESCALATE_AFTER times at the table with no action item done between:
    marked for escalation, and the program managers of their home organisation alerted (once per item)."""
    from ancrage.accounts.models import Membership
    from ancrage.core.alerts import raise_alert
    from ancrage.core.permissions import Role

    items = list(AgendaItem.objects.filter(meeting=meeting, escalated=False).select_related("participant"))
    if not items:
        return []
    pids = [i.participant_id for i in items]
    last_done: dict[int, datetime.date] = {}
    for pid, done_on in ActionItem.objects.filter(
        meeting__table_id=meeting.table_id, participant_id__in=pids, status=ActionItem.Status.DONE
    ).values_list("participant_id", "done_on"):
        if done_on and (pid not in last_done or done_on > last_done[pid]):
            last_done[pid] = done_on
    times: dict[int, int] = {}
    for pid, starts_at in (
        AgendaItem.objects.filter(
            meeting__table_id=meeting.table_id,
            participant_id__in=pids,
            meeting__starts_at__lte=meeting.starts_at,
        )
        .exclude(meeting__status=Meeting.Status.CANCELLED)
        .values_list("participant_id", "meeting__starts_at")
    ):
        since = last_done.get(pid)
        if since is None or clock.localdate(starts_at) > since:
            times[pid] = times.get(pid, 0) + 1
    escalated = [i for i in items if times.get(i.participant_id, 0) >= ESCALATE_AFTER]
    if not escalated:
        return []
    managers: dict[int, list[int]] = {}
    for org_id, user_id in Membership.objects.filter(
        organisation_id__in={i.participant.organisation_id for i in escalated},
        role=Role.PROGRAM_MANAGER,
        is_active=True,
        user__is_active=True,
    ).values_list("organisation_id", "user_id"):
        managers.setdefault(org_id, []).append(user_id)
    for item in escalated:
        AgendaItem.objects.filter(pk=item.pk).update(escalated=True)
        item.escalated = True
        audit.record(
            actor=None,
            action="conferences.item.escalated",
            obj=item,
            participant=item.participant,
            data={"times": times[item.participant_id]},
        )
        for user_id in managers.get(item.participant.organisation_id, []):
            raise_alert(
                recipient_id=user_id,
                kind="conferences.escalation",
                obj=item,
                participant=item.participant,
                params={"times": times[item.participant_id], "table": meeting.table.name},
            )
    return escalated


# --- Parking lot and evaluation (D6) -------------------------------------------------------------------------


def next_administrative_meeting(table: Table) -> Meeting | None:
    return (
        table.meetings.filter(
            kind=Meeting.Kind.ADMINISTRATIVE, status=Meeting.Status.PLANNED, starts_at__gte=clock.now()
        )
        .order_by("starts_at")
        .first()
    )


def parking_create(
    *,
    actor: User,
    table: Table,
    title: str,
    owner: User | None,
    description: str = "",
    meeting: Meeting | None = None,
) -> ParkingLotIssue:
    errors: dict[str, list[str]] = {}
    title = _text(title, "title", errors, required=True, limit=300)
    description = _text(description, "description", errors)
    if owner is None:
        errors["owner"] = [_("Name who owns the issue.")]
    elif not Member.objects.filter(table=table, user=owner, is_active=True).exists():
        errors["owner"] = [_("The owner is a member of the table.")]
    _raise(errors)
    assert owner is not None
    with transaction.atomic():
        issue = ParkingLotIssue.objects.create(
            table=table, title=title, description=description, owner=owner, raised_at=meeting
        )
        audit.record(actor=actor, action="conferences.parking.created", obj=issue, data={"title": title})
    return issue


def parking_update(
    *, actor: User, issue: ParkingLotIssue, status: str, resolution: str = ""
) -> ParkingLotIssue:
    errors: dict[str, list[str]] = {}
    resolution = _text(resolution, "resolution", errors)
    if status not in ParkingLotIssue.Status.values:
        errors["status"] = [_("Choose the status of the issue.")]
    if status == ParkingLotIssue.Status.RESOLVED and not resolution:
        errors["resolution"] = [_("Say how the issue was resolved.")]
    _raise(errors)
    with transaction.atomic():
        before = issue.status
        issue.status, issue.resolution = status, resolution
        issue.save(update_fields=["status", "resolution"])
        audit.record(
            actor=actor, action="conferences.parking.updated", obj=issue, data={"status": [before, status]}
        )
    return issue


def evaluation_give(
    *, actor: User, meeting: Meeting, usefulness: int, time_use: int, preparation: int, comment: str = ""
) -> Evaluation:
    """A member's short evaluation of a held meeting: 1 to 5 on each scale, once per member."""
    errors: dict[str, list[str]] = {}
    comment = _text(comment, "comment", errors, limit=2000)
    for name, value in (("usefulness", usefulness), ("time_use", time_use), ("preparation", preparation)):
        if not isinstance(value, int) or not 1 <= value <= 5:
            errors[name] = [_("Choose from 1 to 5.")]
    member = Member.objects.filter(table_id=meeting.table_id, user=actor, is_active=True).first()
    if member is None:
        errors["meeting"] = [_("Only a member of the table evaluates its meetings.")]
    elif clock.localdate(meeting.starts_at) > clock.today():
        errors["meeting"] = [_("A meeting is evaluated once it was held.")]
    elif Evaluation.objects.filter(meeting=meeting, member=member).exists():
        errors["meeting"] = [_("You already evaluated this meeting.")]
    _raise(errors)
    assert member is not None
    try:
        with transaction.atomic():
            evaluation = Evaluation.objects.create(
                meeting=meeting,
                member=member,
                usefulness=usefulness,
                time_use=time_use,
                preparation=preparation,
                comment=comment,
            )
            audit.record(actor=actor, action="conferences.evaluation.given", obj=meeting)
    except IntegrityError:
        raise ValidationError({"meeting": [_("You already evaluated this meeting.")]}) from None
    return evaluation
