"""Reads of case conferencing, applying membership and consent (D7, G1, G2).

A member sees a person on an agenda only while an in-force consent covers the member's organisation for
identity and coordinated access (or the person's file is the organisation's own); this is computed at each
read, never stored, so a consent revoked between the agenda and the meeting hides the person at once.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from ancrage.conferences.models import ActionItem, AgendaItem, Attendance, Meeting, Member, Table
from ancrage.core import clock
from ancrage.core.audit import record_reads
from ancrage.core.permissions import Category
from ancrage.people.models import ConsentCategory

# What an agenda line, the meeting screen and an action item about a person carry.
AGENDA_CATEGORIES = frozenset({Category.IDENTITY, Category.COORDINATED_ACCESS})
READ_ACTION = "conferences.item.viewed"

# The columns of a person a line of these pages shows (their name, and their home organisation for consent):
# not the whole file, read for each line (issue 16).
PERSON_FIELDS = ("id", "organisation_id", "legal_first_name", "legal_last_name", "preferred_name")
# The columns of a user a line names (display_name).
USER_FIELDS = ("id", "username", "first_name", "last_name")


def only_related(*relations: str, fields: tuple[str, ...]) -> list[str]:
    """`.only()` arguments for the `fields` of each related model in `relations`."""
    return [f"{relation}__{name}" for relation in relations for name in fields]


def tables_for(user) -> QuerySet[Table]:
    """The tables the user sits at, or runs (a manager of the organisation that runs them)."""
    if not user.is_authenticated or not user.has_ancrage_perm("conferences.view"):
        return Table.objects.none()
    q = Q(members__user=user, members__is_active=True)
    if user.has_ancrage_perm("conferences.manage"):
        q |= Q(organisation_id__in=user.organisation_ids)
    return Table.objects.filter(pk__in=Table.objects.filter(q).values("pk")).select_related("organisation")


def table_get_for_user(user, pk) -> Table:
    try:
        return tables_for(user).get(pk=pk)
    except (Table.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def can_manage(user, table: Table) -> bool:
    return user.has_ancrage_perm("conferences.manage") and table.organisation_id in user.organisation_ids


def meeting_get_for_user(user, pk) -> Meeting:
    try:
        return (
            Meeting.objects.select_related("table__organisation", "facilitator", "timekeeper", "note_taker")
            .filter(table__in=tables_for(user))
            .get(pk=pk)
        )
    except (Meeting.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def active_members(table: Table) -> list[Member]:
    """The table's active members with the columns the pages show of them (a user's name, an organisation's
    names): read once by a page, for the reader's organisations, the agenda's order and the forms."""
    return list(
        table.members.filter(is_active=True)
        .select_related("user", "organisation")
        .only(
            "id",
            "table_id",
            "user_id",
            "organisation_id",
            "can_decide_housing",
            "is_active",
            *only_related("user", fields=USER_FIELDS),
            "organisation__id",
            "organisation__name",
            "organisation__short_name",
        )
    )


def viewer_organisation_ids(user, table: Table, members: list[Member] | None = None) -> frozenset[int]:
    """The organisations on whose behalf the user reads the table: those they represent there, and the
    organisation that runs it when they work in it. `members`: the table's active members, when the caller
    has them (no query then)."""
    if members is not None:
        member_orgs = {m.organisation_id for m in members if m.user_id == user.pk}
    else:
        member_orgs = set(
            Member.objects.filter(table=table, user=user, is_active=True).values_list(
                "organisation_id", flat=True
            )
        )
    if table.organisation_id in user.organisation_ids:
        member_orgs.add(table.organisation_id)
    return frozenset(member_orgs & set(user.organisation_ids)) or frozenset(member_orgs)


def covered(
    participant_ids,
    organisation_ids,
    on: datetime.date | None = None,
    homes: dict[int, int] | None = None,
) -> dict[int, set[int]]:
    """For each participant, the organisations among `organisation_ids` that may see them on an agenda: the
    home organisation, or one an in-force consent names for identity and coordinated access (each consent
    on its own). Two queries at most, whatever the number of people and organisations; one when `homes`
    (participant id -> home organisation id, as the caller read them) holds every participant."""
    from ancrage.people.models import Participant

    on = on or clock.today()
    pids = set(participant_ids)
    orgs = set(organisation_ids)
    result: dict[int, set[int]] = {pk: set() for pk in pids}
    if not pids or not orgs:
        return result
    if homes is None or not pids <= homes.keys():
        homes = dict(Participant.objects.filter(pk__in=pids).values_list("pk", "organisation_id"))
    for pk in pids:
        if homes.get(pk) in orgs:
            result[pk].add(homes[pk])
    per_consent: dict[tuple[int, int, int], set[str]] = defaultdict(set)
    rows = ConsentCategory.objects.filter(
        consent__participant_id__in=pids,
        consent__revoked_at__isnull=True,
        consent__starts_on__lte=on,
        consent__expires_on__gte=on,
        consent__organisations__in=orgs,
        category__in=AGENDA_CATEGORIES,
    ).values_list("consent__participant_id", "consent_id", "consent__organisations", "category")
    for pk, consent_id, org_id, category in rows:
        per_consent[(pk, consent_id, org_id)].add(category)
    for (pk, _consent, org_id), cats in per_consent.items():
        if cats >= AGENDA_CATEGORIES:
            result[pk].add(org_id)
    return result


@dataclass
class AgendaLine:
    """A person on the agenda as one reader may see them: the item, or only "consent needed"."""

    position: int
    item: AgendaItem
    visible: bool
    home_name: str
    home_phone: str
    actions: list[ActionItem] = field(default_factory=list)

    @property
    def participant(self):
        return self.item.participant if self.visible else None


def rotation(meeting: Meeting, member_orgs: list[int] | None = None) -> list[int]:
    """The member organisations in the order they go first at this meeting (D3): the table's organisations by
    id, turned by the number of case meetings before this one, so each goes first in turn."""
    if member_orgs is None:
        member_orgs = sorted(
            set(
                Member.objects.filter(table_id=meeting.table_id, is_active=True).values_list(
                    "organisation_id", flat=True
                )
            )
        )
    if not member_orgs:
        return []
    if meeting.first_organisation_id in member_orgs:
        start = member_orgs.index(meeting.first_organisation_id)
    else:
        earlier = Meeting.objects.filter(
            table_id=meeting.table_id, kind=Meeting.Kind.CASE, starts_at__lt=meeting.starts_at
        ).count()
        start = earlier % len(member_orgs)
    return member_orgs[start:] + member_orgs[:start]


def ordered_items(
    meeting: Meeting, items: list[AgendaItem], member_orgs: list[int] | None = None
) -> list[AgendaItem]:
    """The agenda in its order: one person of each organisation in turn, starting with the one that goes
    first at this meeting; within an organisation, in the order they were added. `member_orgs`: the table's
    active members' organisations, sorted, when the caller has them."""
    order = rotation(meeting, member_orgs)
    by_org: dict[int, list[AgendaItem]] = defaultdict(list)
    for item in sorted(items, key=lambda i: (i.added_at, i.pk)):
        by_org[item.organisation_id].append(item)
    others = sorted(o for o in by_org if o not in order)
    queues = [by_org[o] for o in [*order, *others] if by_org.get(o)]
    result: list[AgendaItem] = []
    while any(queues):
        for queue in queues:
            if queue:
                result.append(queue.pop(0))
    return result


def agenda_items(meeting: Meeting) -> list[AgendaItem]:
    """The meeting's agenda items with the columns the agenda shows of each person and organisation."""
    return list(
        AgendaItem.objects.filter(meeting=meeting)
        .select_related("participant__organisation", "organisation")
        .only(
            "id",
            "meeting_id",
            "participant_id",
            "source",
            "organisation_id",
            "reason",
            "added_at",
            "is_late",
            "seconds_spent",
            "discussed",
            "escalated",
            *only_related("participant", fields=PERSON_FIELDS),
            "participant__organisation__id",
            "participant__organisation__name",
            "participant__organisation__phone",
            "organisation__id",
            "organisation__name",
            "organisation__short_name",
        )
        # One meeting: its order by the meeting (the model's) without joining the meeting.
        .order_by("added_at", "id")
    )


def member_organisations(members: list[Member]) -> list[int]:
    """The organisations of the table's active `members`, sorted (the order `rotation` turns)."""
    return sorted({m.organisation_id for m in members})


def agenda_for(
    user,
    meeting: Meeting,
    *,
    audit: bool = True,
    orgs: frozenset[int] | None = None,
    members: list[Member] | None = None,
    items: list[AgendaItem] | None = None,
    cover: dict[int, set[int]] | None = None,
) -> list[AgendaLine]:
    """The meeting's agenda as `user` may read it, in its order, with each visible person's open actions.
    A constant number of queries whatever the number of people. A page that has them passes the reader's
    organisations at the table, the table's active members, the items and who they are covered for."""
    if items is None:
        items = agenda_items(meeting)
    if orgs is None:
        orgs = viewer_organisation_ids(user, meeting.table, members)
    return agenda_for_organisations(
        meeting,
        items,
        orgs,
        actor=user if audit else None,
        member_orgs=member_organisations(members) if members is not None else None,
        cover=cover,
    )


def agenda_for_organisations(
    meeting, items, orgs, *, actor=None, member_orgs: list[int] | None = None, cover=None
) -> list[AgendaLine]:
    if cover is None:
        cover = covered([i.participant_id for i in items], orgs, homes=participant_homes(items))
    visible_ids = [i.participant_id for i in items if cover.get(i.participant_id)]
    open_actions: dict[int, list[ActionItem]] = defaultdict(list)
    if visible_ids:
        for action in (
            ActionItem.objects.filter(
                meeting__table_id=meeting.table_id,
                participant_id__in=visible_ids,
                status__in=ActionItem.OPEN_STATUSES,
                meeting__starts_at__lt=meeting.starts_at,
            )
            .select_related("responsible")
            .only(
                "id",
                "participant_id",
                "description",
                "responsible_id",
                "due_on",
                *only_related("responsible", fields=USER_FIELDS),
            )
            .order_by("due_on", "id")
        ):
            if action.participant_id is not None:
                open_actions[action.participant_id].append(action)
    lines = []
    for n, item in enumerate(ordered_items(meeting, items, member_orgs), start=1):
        home = item.participant.organisation
        visible = bool(cover.get(item.participant_id))
        lines.append(
            AgendaLine(
                position=n,
                item=item,
                visible=visible,
                home_name=home.name,
                home_phone=home.phone,
                actions=open_actions.get(item.participant_id, []) if visible else [],
            )
        )
    if actor is not None:
        record_reads(actor=actor, reads=[(pk, READ_ACTION) for pk in visible_ids])
    return lines


def participant_homes(rows) -> dict[int, int]:
    """Participant id -> home organisation id, for `covered`, of the rows (agenda items, action items) whose
    participant was read with them: no query, and none for a row whose participant was not."""
    return {
        row.participant_id: row.participant.organisation_id
        for row in rows
        if row.participant_id and type(row).participant.is_cached(row)
    }


def carried_actions(meeting: Meeting) -> QuerySet[ActionItem]:
    """Open action items of earlier meetings of the table about no one in particular or anyone: they come
    back on the agenda until done (D5). The caller filters the people by consent."""
    return (
        ActionItem.objects.filter(
            meeting__table_id=meeting.table_id,
            meeting__starts_at__lt=meeting.starts_at,
            status__in=ActionItem.OPEN_STATUSES,
        )
        .select_related("responsible", "accountable", "participant", "meeting")
        .order_by("due_on", "id")
    )


def actions_visible(
    user,
    actions: list[ActionItem],
    table: Table,
    *,
    orgs: frozenset[int] | None = None,
    cover: dict[int, set[int]] | None = None,
) -> list[tuple[ActionItem, bool]]:
    """Each action with whether the reader may see whom it is about (an action about nobody is visible).
    A page that has them passes the reader's organisations at the table and who they are covered for."""
    if cover is None:
        if orgs is None:
            orgs = viewer_organisation_ids(user, table)
        cover = covered(
            {a.participant_id for a in actions if a.participant_id},
            orgs,
            homes=participant_homes(actions),
        )
    shown = [(a, a.participant_id is None or bool(cover.get(a.participant_id))) for a in actions]
    record_reads(
        actor=user, reads=[(a.participant_id, READ_ACTION) for a, ok in shown if ok and a.participant_id]
    )
    return shown


def item_get_for_user(user, meeting: Meeting, pk) -> tuple[AgendaItem, bool]:
    """One person of the agenda, with whether the reader may see them (False: "consent needed")."""
    try:
        item = AgendaItem.objects.select_related("participant__organisation", "organisation", "lead").get(
            meeting=meeting, pk=pk
        )
    except (AgendaItem.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    orgs = viewer_organisation_ids(user, meeting.table)
    visible = bool(covered([item.participant_id], orgs).get(item.participant_id))
    if visible:
        record_reads(actor=user, reads=[(item.participant_id, READ_ACTION)])
    return item, visible


def item_reason_display(item: AgendaItem) -> str:
    if item.source == AgendaItem.Source.FLAGGED:
        from ancrage.access.models import ByNameEntry

        return ByNameEntry(needs_conference_reason=item.reason).conference_reason_display
    return item.reason


def overdue_actions_for(user, on: datetime.date | None = None) -> QuerySet[ActionItem]:
    on = on or clock.today()
    return (
        ActionItem.objects.filter(responsible=user, status__in=ActionItem.OPEN_STATUSES, due_on__lt=on)
        .select_related("meeting__table")
        .order_by("due_on", "id")
    )


def tables_that_discussed(participant) -> list[dict[str, Any]]:
    """The tables where the person was on an agenda, with their member organisations: the partners
    notices (E3) tell them, under consent."""
    table_ids = set(
        AgendaItem.objects.filter(participant=participant).values_list("meeting__table_id", flat=True)
    )
    tables = list(Table.objects.filter(pk__in=table_ids).order_by("name", "id"))
    orgs: dict[int, set[int]] = defaultdict(set)
    for table_id, org_id in Member.objects.filter(table_id__in=table_ids, is_active=True).values_list(
        "table_id", "organisation_id"
    ):
        orgs[table_id].add(org_id)
    from ancrage.organisations.models import Organisation

    by_id = Organisation.objects.in_bulk({o for s in orgs.values() for o in s})
    return [
        {"table": t, "organisations": sorted((by_id[o] for o in orgs[t.pk]), key=lambda o: (o.name, o.pk))}
        for t in tables
    ]


def involvement_source(participant, on: datetime.date) -> list:
    """The organisations sitting at a table that discussed `participant` (the table's members on `on`): the
    partners to tell of a significant change (E3), registered with `core.involvement` at start-up."""
    from django.utils.translation import gettext

    from ancrage.core.involvement import Involvement

    rows = (
        Member.objects.filter(
            is_active=True,
            table__meetings__items__participant=participant,
            table__meetings__starts_at__date__lte=on,
        )
        .values_list("organisation_id", "table__name")
        .distinct()
        .order_by("organisation_id", "table__name")
    )
    return [
        Involvement(
            why=gettext("Discussed at the case-conference table %(table)s") % {"table": name},
            organisation_id=org_id,
        )
        for org_id, name in rows
    ]


def attendance_by_organisation(table: Table, since: datetime.date | None = None) -> list[dict[str, Any]]:
    """Attendance and no-shows per organisation and month (D6), in one query."""
    rows = Attendance.objects.filter(meeting__table=table)
    if since:
        rows = rows.filter(meeting__starts_at__date__gte=since)
    counts: dict[tuple[str, str], dict[str, int]] = defaultdict(
        lambda: {"present": 0, "excused": 0, "absent": 0}
    )
    for starts_at, org_name, status in rows.values_list(
        "meeting__starts_at", "member__organisation__name", "status"
    ):
        month = clock.localdate(starts_at).strftime("%Y-%m")
        counts[(month, org_name)][status] += 1
    result = []
    for (month, org), c in sorted(counts.items()):
        total = c["present"] + c["excused"] + c["absent"]
        result.append(
            {
                "month": month,
                "organisation": org,
                **c,
                "total": total,
                "rate": round(100 * c["present"] / total) if total else 0,
            }
        )
    return result
