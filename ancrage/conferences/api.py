"""API (v1) of case conferencing: tables, meetings with their agenda as the caller may see it, action items.
The same permissions, table membership and consent as the pages (D7)."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from ninja import Router, Schema

from ancrage.conferences import selectors, services
from ancrage.conferences.models import ActionItem, Meeting
from ancrage.core.api_types import Id, Text, errors
from ancrage.core.permissions import check_permission

router = Router(tags=["conferences"])


class MemberOut(Schema):
    user_id: int
    name: str
    organisation_id: int
    organisation: str
    can_decide_housing: bool


class TableOut(Schema):
    id: int
    name: str
    level: str
    cadence: str
    organisation_id: int
    place: str
    video_url: str
    members: list[MemberOut]


class MeetingBrief(Schema):
    id: int
    kind: str
    starts_at: datetime.datetime
    status: str


class TableDetailOut(TableOut):
    meetings: list[MeetingBrief]


class ActionOut(Schema):
    id: int
    meeting_id: int
    participant_id: int | None
    participant_name: str | None
    consent_needed: bool
    description: str
    responsible_id: int
    accountable_id: int | None
    due_on: datetime.date
    status: str


class AgendaLineOut(Schema):
    position: int
    item_id: int
    consent_needed: bool
    participant_id: int | None
    participant_name: str | None
    reason: str | None
    is_late: bool
    home_organisation: str
    home_phone: str


class ConferenceMeetingOut(Schema):
    id: int
    table_id: int
    kind: str
    starts_at: datetime.datetime
    duration_minutes: int
    status: str
    facilitator_id: int | None
    timekeeper_id: int | None
    note_taker_id: int | None
    agenda_sent_at: datetime.datetime | None
    minutes_closed_at: datetime.datetime | None
    changed_after_minutes: bool
    capacity: int
    agenda: list[AgendaLineOut]
    actions: list[ActionOut]


class ActionStatusIn(Schema):
    status: Text
    note: Text = ""


def _members(table) -> list[MemberOut]:
    return [
        MemberOut(
            user_id=m.user_id,
            name=m.user.display_name,
            organisation_id=m.organisation_id,
            organisation=m.organisation.name,
            can_decide_housing=m.can_decide_housing,
        )
        for m in table.members.filter(is_active=True).select_related("user", "organisation")
    ]


def _table(table) -> dict:
    return {
        "id": table.pk,
        "name": table.name,
        "level": table.level,
        "cadence": table.cadence,
        "organisation_id": table.organisation_id,
        "place": table.place,
        "video_url": table.video_url,
    }


def _action(action: ActionItem, visible: bool) -> ActionOut:
    return ActionOut(
        id=action.pk,
        meeting_id=action.meeting_id,
        participant_id=action.participant_id if visible else None,
        participant_name=action.participant.display_name if visible and action.participant else None,
        consent_needed=not visible,
        description=action.description if visible else "",
        responsible_id=action.responsible_id,
        accountable_id=action.accountable_id,
        due_on=action.due_on,
        status=action.status,
    )


@router.get("/conference-tables", response={200: list[TableOut], **errors()})
def list_conference_tables(request):
    """The tables the caller sits at or runs, with their members."""
    check_permission(request.user, "conferences.view")
    tables = list(
        selectors.tables_for(request.user).prefetch_related("members__user", "members__organisation")
    )
    return [
        {
            **_table(t),
            "members": [
                MemberOut(
                    user_id=m.user_id,
                    name=m.user.display_name,
                    organisation_id=m.organisation_id,
                    organisation=m.organisation.name,
                    can_decide_housing=m.can_decide_housing,
                )
                for m in t.members.all()
                if m.is_active
            ],
        }
        for t in tables
    ]


@router.get("/conference-tables/{table_pk}", response={200: TableDetailOut, **errors()})
def get_conference_table(request, table_pk: Id):
    """One table, its members and its latest meetings."""
    check_permission(request.user, "conferences.view")
    table = selectors.table_get_for_user(request.user, table_pk)
    meetings = [
        MeetingBrief(id=m.pk, kind=m.kind, starts_at=m.starts_at, status=m.status)
        for m in table.meetings.order_by("-starts_at")[:50]
    ]
    return {**_table(table), "members": _members(table), "meetings": meetings}


@router.get("/conference-meetings/{meeting_pk}", response={200: ConferenceMeetingOut, **errors()})
def get_conference_meeting(request, meeting_pk: Id):
    """A meeting and its agenda as the caller's organisation may see it: a person whose consent does not
    cover it is "consent needed", with the home organisation's contact and nothing else."""
    check_permission(request.user, "conferences.view")
    meeting: Meeting = selectors.meeting_get_for_user(request.user, meeting_pk)
    lines = selectors.agenda_for(request.user, meeting)
    actions = selectors.actions_visible(
        request.user,
        list(meeting.actions.select_related("participant").order_by("due_on", "pk")),
        meeting.table,
    )
    return ConferenceMeetingOut(
        id=meeting.pk,
        table_id=meeting.table_id,
        kind=meeting.kind,
        starts_at=meeting.starts_at,
        duration_minutes=meeting.duration_minutes,
        status=meeting.status,
        facilitator_id=meeting.facilitator_id,
        timekeeper_id=meeting.timekeeper_id,
        note_taker_id=meeting.note_taker_id,
        agenda_sent_at=meeting.agenda_sent_at,
        minutes_closed_at=meeting.minutes_closed_at,
        changed_after_minutes=meeting.changed_after_minutes,
        capacity=services.capacity(meeting),
        agenda=[
            AgendaLineOut(
                position=line.position,
                item_id=line.item.pk,
                consent_needed=not line.visible,
                participant_id=line.item.participant_id if line.visible else None,
                participant_name=line.item.participant.display_name if line.visible else None,
                reason=selectors.item_reason_display(line.item) if line.visible else None,
                is_late=line.item.is_late,
                home_organisation=line.home_name,
                home_phone=line.home_phone,
            )
            for line in lines
        ],
        actions=[_action(a, visible) for a, visible in actions],
    )


@router.get("/conference-actions", response={200: list[ActionOut], **errors()})
def list_conference_actions(request):
    """The action items the caller is responsible or accountable for, and those of the tables they run."""
    check_permission(request.user, "conferences.view")
    tables = list(selectors.tables_for(request.user))
    managed = [t.pk for t in tables if selectors.can_manage(request.user, t)]
    q = Q(responsible=request.user) | Q(accountable=request.user) | Q(meeting__table_id__in=managed)
    actions = list(
        ActionItem.objects.filter(q, meeting__table__in=tables)
        .select_related("participant", "meeting__table")
        .order_by("due_on", "pk")[:500]
    )
    by_table: dict[int, list[ActionItem]] = {}
    for a in actions:
        by_table.setdefault(a.meeting.table_id, []).append(a)
    result = []
    for group in by_table.values():
        result += [
            _action(a, v) for a, v in selectors.actions_visible(request.user, group, group[0].meeting.table)
        ]
    return result


@router.post("/conference-actions/{action_pk}/status", response={200: ActionOut, **errors()})
def update_conference_action(request, action_pk: Id, payload: ActionStatusIn):
    """Move an action item on (open, in_progress, done, dropped) with a follow-up note."""
    check_permission(request.user, "conferences.view")
    try:
        action = ActionItem.objects.select_related("meeting__table", "participant").get(
            pk=action_pk, meeting__table__in=selectors.tables_for(request.user)
        )
    except ActionItem.DoesNotExist:
        raise Http404 from None
    if not (
        selectors.can_manage(request.user, action.meeting.table)
        or request.user.pk in (action.responsible_id, action.accountable_id)
    ):
        raise PermissionDenied
    action = services.action_update(
        actor=request.user, action=action, status=payload.status, note=payload.note
    )
    [(shown, visible)] = selectors.actions_visible(request.user, [action], action.meeting.table)
    return _action(shown, visible)
