"""Pages of case conferencing: the tables, a meeting and its agenda, the meeting screen per person, action
items, the parking lot, evaluations and attendance (D1–D7)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ancrage.conferences import mail, selectors, services
from ancrage.conferences.forms import (
    ActionForm,
    ActionUpdateForm,
    AttendanceForm,
    EvaluationForm,
    MemberForm,
    ParkingForm,
    ParkingUpdateForm,
    ProposalForm,
    RolesForm,
)
from ancrage.conferences.models import (
    ActionItem,
    AgendaItem,
    Attendance,
    Delivery,
    Evaluation,
    Meeting,
    Member,
    ParkingLotIssue,
    Proposal,
)
from ancrage.core import clock
from ancrage.core.permissions import require_permission
from ancrage.core.views_helpers import apply_service_errors


def _user(pk):
    from ancrage.accounts.models import User

    if not pk:
        return None
    try:
        return User.objects.get(pk=int(pk))
    except (User.DoesNotExist, ValueError, TypeError):
        return None


def _must_manage(user, table) -> None:
    if not selectors.can_manage(user, table):
        raise PermissionDenied


def _errors(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _form_errors(request, form) -> None:
    """A small form of a page that redirects: each of its errors said as a message on the page it returns to."""
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, str(error))


@require_permission("conferences.view")
def table_list(request):
    tables = list(selectors.tables_for(request.user).order_by("name", "pk"))
    upcoming = {
        m.table_id: m
        for m in Meeting.objects.filter(
            table__in=tables, starts_at__gte=clock.now(), status=Meeting.Status.PLANNED
        ).order_by("-starts_at")
    }
    rows = [(t, upcoming.get(t.pk)) for t in tables]
    overdue = list(selectors.overdue_actions_for(request.user))
    return render(request, "conferences/table_list.html", {"rows": rows, "overdue": overdue})


@require_permission("conferences.view")
def table_detail(request, pk: int):
    table = selectors.table_get_for_user(request.user, pk)
    manage = selectors.can_manage(request.user, table)
    members = list(table.members.filter(is_active=True).select_related("user", "organisation"))
    meetings = list(table.meetings.order_by("-starts_at")[:20])
    proposals = list(
        Proposal.objects.filter(table=table, status=Proposal.Status.OPEN).select_related(
            "participant", "organisation", "proposed_by"
        )
    )
    orgs = selectors.viewer_organisation_ids(request.user, table)
    cover = selectors.covered([p.participant_id for p in proposals], orgs)
    proposal_rows = [(p, bool(cover.get(p.participant_id))) for p in proposals]
    from ancrage.core.audit import record_reads

    record_reads(
        actor=request.user,
        reads=[(p.participant_id, selectors.READ_ACTION) for p, ok in proposal_rows if ok],
    )
    issues = list(table.parking_lot.select_related("owner").order_by("status", "created_at"))
    context = {
        "table": table,
        "manage": manage,
        "members": members,
        "meetings": meetings,
        "proposals": proposal_rows,
        "issues": issues,
        "member_form": MemberForm(),
        "parking_form": ParkingForm(table=table),
        "is_member": any(m.user_id == request.user.pk for m in members),
    }
    return render(request, "conferences/table_detail.html", context)


@require_POST
@require_permission("conferences.manage")
def member_add(request, pk: int):
    from ancrage.accounts.models import User

    table = selectors.table_get_for_user(request.user, pk)
    _must_manage(request.user, table)
    form = MemberForm(request.POST)
    if form.is_valid():
        user = User.objects.filter(username=form.cleaned_data["user"], is_active=True).first()
        if user is None or not user.primary_membership:
            messages.error(request, _("No active account has this user name."))
        else:
            org = user.primary_membership.organisation
            try:
                services.member_add(
                    actor=request.user,
                    table=table,
                    user=user,
                    organisation=org,
                    can_decide_housing=form.cleaned_data["can_decide_housing"],
                )
                messages.success(
                    request, _("%(name)s is a member of the table.") % {"name": user.display_name}
                )
            except ValidationError as exc:
                _errors(request, exc)
    else:
        messages.error(request, _("Give a user name."))
    return redirect("conferences:table", pk=table.pk)


@require_POST
@require_permission("conferences.manage")
def meetings_plan(request, pk: int):
    import datetime

    table = selectors.table_get_for_user(request.user, pk)
    _must_manage(request.user, table)
    made = services.meetings_generate(
        actor=request.user, table=table, until=clock.today() + datetime.timedelta(days=56)
    )
    messages.success(request, _("%(count)s meetings planned.") % {"count": len(made)})
    return redirect("conferences:table", pk=table.pk)


@require_POST
@require_permission("conferences.view")
def parking_add(request, pk: int):
    table = selectors.table_get_for_user(request.user, pk)
    form = ParkingForm(request.POST, table=table)
    if form.is_valid():
        try:
            services.parking_create(
                actor=request.user,
                table=table,
                title=form.cleaned_data["title"],
                description=form.cleaned_data["description"],
                owner=_user(form.cleaned_data["owner"]),
            )
            messages.success(request, _("The issue is in the parking lot."))
        except ValidationError as exc:
            _errors(request, exc)
    else:
        _form_errors(request, form)
    return redirect("conferences:table", pk=table.pk)


@require_POST
@require_permission("conferences.view")
def parking_update(request, pk: int):
    try:
        issue = ParkingLotIssue.objects.select_related("table").get(
            pk=pk, table__in=selectors.tables_for(request.user)
        )
    except ParkingLotIssue.DoesNotExist:
        raise Http404 from None
    if not (selectors.can_manage(request.user, issue.table) or issue.owner_id == request.user.pk):
        raise PermissionDenied
    form = ParkingUpdateForm(request.POST)
    if form.is_valid():
        try:
            services.parking_update(
                actor=request.user,
                issue=issue,
                status=form.cleaned_data["status"],
                resolution=form.cleaned_data["resolution"],
            )
            messages.success(request, _("The issue is updated."))
        except ValidationError as exc:
            _errors(request, exc)
    return redirect("conferences:table", pk=issue.table_id)


@require_permission("conferences.view")
def attendance_report(request, pk: int):
    table = selectors.table_get_for_user(request.user, pk)
    rows = selectors.attendance_by_organisation(table)
    evaluations = Evaluation.objects.filter(meeting__table=table)
    count = evaluations.count()
    averages = None
    if count:
        from django.db.models import Avg

        averages = evaluations.aggregate(
            usefulness=Avg("usefulness"), time_use=Avg("time_use"), preparation=Avg("preparation")
        )
    return render(
        request,
        "conferences/attendance.html",
        {"table": table, "rows": rows, "evaluation_count": count, "averages": averages},
    )


# --- A meeting and its agenda --------------------------------------------------------------------------------


def _candidate_sources(meeting: Meeting, on_agenda: set[int]) -> tuple[list, list[Proposal]]:
    """Flagged people and open proposals not yet on this agenda (before consent): the 50 flagged longest
    ago, read in the order of their index (access.byname_conference_since), with the columns the page shows."""
    from ancrage.access.models import ByNameEntry, ByNameStatus

    person = selectors.only_related("participant", fields=selectors.PERSON_FIELDS)
    flagged = list(
        ByNameEntry.objects.filter(needs_conference=True, status=ByNameStatus.ACTIVE, listed_via__isnull=True)
        .exclude(participant_id__in=on_agenda)
        .select_related("participant")
        .only("id", "participant_id", "needs_conference_reason", "needs_conference_since", *person)
        .order_by("needs_conference_since", "pk")[:50]
    )
    proposals = list(
        Proposal.objects.filter(table=meeting.table, status=Proposal.Status.OPEN)
        .exclude(participant_id__in=on_agenda)
        .select_related("participant", "organisation")
        .only(
            "id",
            "table_id",
            "participant_id",
            "reason",
            "organisation_id",
            "status",
            "proposed_at",
            *person,
            "organisation__id",
            "organisation__short_name",
        )
    )
    return flagged, proposals


def _candidates(user, flagged, proposals, cover) -> list[dict[str, Any]]:
    """The candidates the facilitator may see (`cover`: who each person is covered for), their reads
    recorded."""
    from ancrage.core.audit import record_reads

    rows = [
        {"participant": e.participant, "reason": e.conference_reason_display, "proposal": None}
        for e in flagged
        if cover.get(e.participant_id)
    ] + [
        {"participant": p.participant, "reason": p.reason, "proposal": p}
        for p in proposals
        if cover.get(p.participant_id)
    ]
    record_reads(
        actor=user,
        reads=[(e.participant_id, selectors.READ_ACTION) for e in flagged if cover.get(e.participant_id)]
        + [(p.participant_id, selectors.READ_ACTION) for p in proposals if cover.get(p.participant_id)],
    )
    return rows


def _page_actions(qs) -> list[ActionItem]:
    """Action items with the columns the meeting page shows: whom about, what, who, when, the status."""
    return list(
        qs.select_related(None)
        .select_related("responsible", "participant")
        .only(
            "id",
            "meeting_id",
            "participant_id",
            "description",
            "responsible_id",
            "accountable_id",
            "due_on",
            "status",
            *selectors.only_related("responsible", fields=selectors.USER_FIELDS),
            *selectors.only_related("participant", fields=selectors.PERSON_FIELDS),
        )
    )


@require_permission("conferences.view")
def meeting_detail(request, pk: int):
    """A meeting and its agenda. A constant number of queries (issue 16): the table's members are read once
    (the reader's organisations, the agenda's order, the forms), and who each person on the page (the
    agenda, the actions, the people who are stuck) is covered for in one query."""
    user = request.user
    meeting = selectors.meeting_get_for_user(user, pk)
    table = meeting.table
    manage = selectors.can_manage(user, table)
    is_past = clock.localdate(meeting.starts_at) <= clock.today()
    members = selectors.active_members(table)
    orgs = selectors.viewer_organisation_ids(user, table, members)
    items = selectors.agenda_items(meeting)
    carried_rows = _page_actions(selectors.carried_actions(meeting))
    action_rows = _page_actions(meeting.actions.order_by("due_on", "pk"))
    flagged: list = []
    proposals: list[Proposal] = []
    wants_candidates = manage and meeting.kind == Meeting.Kind.CASE
    if wants_candidates:
        flagged, proposals = _candidate_sources(meeting, {i.participant_id for i in items})
    people = [*items, *carried_rows, *action_rows, *flagged, *proposals]
    cover = selectors.covered(
        {row.participant_id for row in people if row.participant_id},
        orgs,
        homes=selectors.participant_homes(people),
    )
    lines = selectors.agenda_for(user, meeting, orgs=orgs, members=members, items=items, cover=cover)
    reasons = {line.item.pk: selectors.item_reason_display(line.item) for line in lines if line.visible}
    carried = selectors.actions_visible(user, carried_rows, table, cover=cover)
    actions = selectors.actions_visible(user, action_rows, table, cover=cover)
    me = next((m for m in members if m.user_id == user.pk), None)
    context = {
        "meeting": meeting,
        "table": table,
        "manage": manage,
        "lines": [(line, reasons.get(line.item.pk, "")) for line in lines],
        "capacity": services.capacity(meeting),
        "carried": carried,
        "actions": actions,
        "deliveries": list(
            meeting.deliveries.select_related("member__user", "member__organisation").only(
                "id",
                "meeting_id",
                "member_id",
                "kind",
                "status",
                "last_error",
                "member__id",
                *selectors.only_related("member__user", fields=selectors.USER_FIELDS),
                "member__organisation__id",
                "member__organisation__name",
                "member__organisation__short_name",
            )
        )
        if manage
        else [],
        "candidates": _candidates(user, flagged, proposals, cover) if wants_candidates else [],
        "roles_form": RolesForm(
            table=table,
            members=members,
            initial={
                "facilitator": meeting.facilitator_id,
                "timekeeper": meeting.timekeeper_id,
                "note_taker": meeting.note_taker_id,
            },
        )
        if manage
        else None,
        # Shown only once the meeting's day has come (the template): not read before.
        "attendance_form": _attendance_form(meeting, members) if manage and is_past else None,
        "evaluation_form": EvaluationForm()
        if is_past and me and not Evaluation.objects.filter(meeting=meeting, member=me).exists()
        else None,
        "issues": list(
            table.parking_lot.exclude(status=ParkingLotIssue.Status.RESOLVED).select_related("owner")
        )
        if meeting.kind == Meeting.Kind.ADMINISTRATIVE
        else [],
        "is_past": is_past,
    }
    return render(request, "conferences/meeting_detail.html", context)


def _attendance_form(meeting, members, data=None) -> AttendanceForm:
    current = dict(Attendance.objects.filter(meeting=meeting).values_list("member_id", "status"))
    return AttendanceForm(data, members=members, initial={f"m{k}": v for k, v in current.items()})


def _meeting_for_manager(request, pk) -> Meeting:
    meeting = selectors.meeting_get_for_user(request.user, pk)
    _must_manage(request.user, meeting.table)
    return meeting


@require_POST
@require_permission("conferences.manage")
def meeting_roles(request, pk: int):
    meeting = _meeting_for_manager(request, pk)
    form = RolesForm(request.POST, table=meeting.table)
    if form.is_valid():
        try:
            services.meeting_set_roles(
                actor=request.user,
                meeting=meeting,
                facilitator=_user(form.cleaned_data["facilitator"]),
                timekeeper=_user(form.cleaned_data["timekeeper"]),
                note_taker=_user(form.cleaned_data["note_taker"]),
            )
            messages.success(request, _("The roles are saved."))
        except ValidationError as exc:
            _errors(request, exc)
    else:
        messages.error(request, _("Choose members of the table."))
    return redirect("conferences:meeting", pk=meeting.pk)


@require_POST
@require_permission("conferences.manage")
def meeting_attendance(request, pk: int):
    meeting = _meeting_for_manager(request, pk)
    members = list(meeting.table.members.select_related("user", "organisation"))
    form = _attendance_form(meeting, members, request.POST)
    if form.is_valid():
        statuses = {m.pk: form.cleaned_data[f"m{m.pk}"] for m in members if form.cleaned_data.get(f"m{m.pk}")}
        try:
            services.attendance_record(actor=request.user, meeting=meeting, statuses=statuses)
            messages.success(request, _("Attendance is saved."))
        except ValidationError as exc:
            _errors(request, exc)
    else:
        messages.error(request, _("Choose present, excused or absent."))
    return redirect("conferences:meeting", pk=meeting.pk)


@require_POST
@require_permission("conferences.manage")
def agenda_add(request, pk: int):
    from ancrage.people.models import Participant

    meeting = _meeting_for_manager(request, pk)
    proposal = None
    try:
        participant = Participant.objects.get(pk=int(request.POST.get("participant", "")))
        if request.POST.get("proposal"):
            proposal = Proposal.objects.get(pk=int(request.POST["proposal"]), table=meeting.table)
    except (Participant.DoesNotExist, Proposal.DoesNotExist, ValueError, OverflowError):
        participant = None
    orgs = selectors.viewer_organisation_ids(request.user, meeting.table)
    if participant is None or not selectors.covered([participant.pk], orgs).get(participant.pk):
        # Another organisation's person, or no person: the same answer, which says nothing of either.
        messages.error(request, _("Choose a person among those who are stuck."))
        return redirect("conferences:meeting", pk=meeting.pk)
    try:
        services.agenda_add(actor=request.user, meeting=meeting, participant=participant, proposal=proposal)
        messages.success(request, _("The person is on the agenda."))
    except ValidationError as exc:
        _errors(request, exc)
    return redirect("conferences:meeting", pk=meeting.pk)


@require_POST
@require_permission("conferences.manage")
def agenda_send(request, pk: int):
    meeting = _meeting_for_manager(request, pk)
    if meeting.status != Meeting.Status.PLANNED:
        messages.error(request, _("This meeting is over: its agenda is not sent."))
    else:
        mail.agenda_send(actor=request.user, meeting=meeting)
        from ancrage.conferences.tasks import send_meeting

        send_meeting.enqueue(meeting.pk)
        messages.success(request, _("The agenda is on its way to every member."))
    return redirect("conferences:meeting", pk=meeting.pk)


@require_POST
@require_permission("conferences.manage")
def minutes_close(request, pk: int):
    meeting = _meeting_for_manager(request, pk)
    try:
        services.minutes_close(actor=request.user, meeting=meeting)
        messages.success(request, _("The minutes are closed: the action list is on its way to every member."))
    except ValidationError as exc:
        _errors(request, exc)
    return redirect("conferences:meeting", pk=meeting.pk)


@require_POST
@require_permission("conferences.propose")
def propose(request, pk: int):
    from ancrage.people.selectors import participants_visible_to

    table = selectors.table_get_for_user(request.user, pk)
    form = ProposalForm(request.POST)
    if form.is_valid():
        participant = (
            participants_visible_to(request.user).filter(pk=form.cleaned_data["participant"]).first()
        )
        if participant is None:
            raise Http404
        try:
            services.proposal_create(
                actor=request.user, table=table, participant=participant, reason=form.cleaned_data["reason"]
            )
            messages.success(request, _("The person is proposed to the table."))
        except ValidationError as exc:
            _errors(request, exc)
    else:
        _form_errors(request, form)
    return redirect("conferences:table", pk=table.pk)


@require_POST
@require_permission("conferences.view")
def evaluate(request, pk: int):
    meeting = selectors.meeting_get_for_user(request.user, pk)
    form = EvaluationForm(request.POST)
    if form.is_valid():
        try:
            services.evaluation_give(actor=request.user, meeting=meeting, **form.cleaned_data)
            messages.success(request, _("Thank you: your evaluation is saved."))
        except ValidationError as exc:
            _errors(request, exc)
    else:
        messages.error(request, _("Choose from 1 to 5 on each scale."))
    return redirect("conferences:meeting", pk=meeting.pk)


# --- The meeting screen, one person at a time (D4) ----------------------------------------------------------


@require_permission("conferences.view")
def item_screen(request, pk: int, item_pk: int):
    from ancrage.conferences.forms import ItemForm

    meeting = selectors.meeting_get_for_user(request.user, pk)
    table = meeting.table
    item, visible = selectors.item_get_for_user(request.user, meeting, item_pk)
    manage = selectors.can_manage(request.user, table)
    writer = manage or meeting.note_taker_id == request.user.pk
    member_orgs = sorted(
        {m.organisation for m in table.members.filter(is_active=True).select_related("organisation")},
        key=lambda o: (o.name, o.pk),
    )
    contributions = {c.organisation_id: c for c in item.contributions.all()} if visible else {}
    initial = {
        "confidential": item.confidential,
        "resources": item.resources,
        "action_plan": item.action_plan,
        "lead": item.lead_id,
        "notes": item.notes,
        "seconds_spent": item.seconds_spent,
    }
    for org_id, c in contributions.items():
        initial[f"strengths_{org_id}"] = c.strengths
        initial[f"barriers_{org_id}"] = c.barriers
    form = ItemForm(request.POST or None, table=table, organisations=member_orgs, initial=initial)
    action_form = ActionForm(table=table)
    if request.method == "POST":
        if not (writer and visible):
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.item_record(
                    actor=request.user,
                    item=item,
                    confidential=data["confidential"],
                    resources=data["resources"],
                    action_plan=data["action_plan"],
                    notes=data["notes"],
                    lead=_user(data["lead"]),
                    seconds_spent=data.get("seconds_spent"),
                    contributions={
                        o.pk: (data.get(f"strengths_{o.pk}", ""), data.get(f"barriers_{o.pk}", ""))
                        for o in member_orgs
                    },
                )
                messages.success(request, _("The discussion is saved."))
                return redirect("conferences:item", pk=meeting.pk, item_pk=item.pk)
            except ValidationError as exc:
                apply_service_errors(form, exc)
    lines = selectors.agenda_for(request.user, meeting, audit=False)
    ids = [line.item.pk for line in lines]
    position = ids.index(item.pk) if item.pk in ids else 0
    budget_minutes, _per_hour = services.budget_settings()
    elapsed_before = sum(line.item.seconds_spent for line in lines[:position])
    context = {
        "meeting": meeting,
        "table": table,
        "item": item,
        "visible": visible,
        "reason": selectors.item_reason_display(item) if visible else "",
        "form": form,
        "action_form": action_form,
        "writer": writer and visible,
        "org_rows": [(o, contributions.get(o.pk)) for o in member_orgs],
        "actions": list(item.actions.select_related("responsible", "accountable").prefetch_related("parties"))
        if visible
        else [],
        "previous": lines[position - 1].item if position > 0 else None,
        "next": lines[position + 1].item if position + 1 < len(lines) else None,
        "position": position + 1,
        "total": len(lines),
        "person_seconds": budget_minutes * 60,
        "meeting_seconds_left": max(meeting.duration_minutes * 60 - elapsed_before, 0),
        "is_timekeeper": meeting.timekeeper_id == request.user.pk or manage,
    }
    return render(request, "conferences/item_screen.html", context)


@require_POST
@require_permission("conferences.view")
def action_add(request, pk: int, item_pk: int):
    from ancrage.organisations.models import Organisation

    meeting = selectors.meeting_get_for_user(request.user, pk)
    if not (selectors.can_manage(request.user, meeting.table) or meeting.note_taker_id == request.user.pk):
        raise PermissionDenied
    item, visible = selectors.item_get_for_user(request.user, meeting, item_pk)
    if not visible:
        raise Http404
    form = ActionForm(request.POST, table=meeting.table)
    if form.is_valid():
        data = form.cleaned_data

        def parties(values):
            out = []
            for v in values:
                if v.startswith("u"):
                    out.append(_user(v[1:]))
                elif v.startswith("o"):
                    out.append(Organisation.objects.filter(pk=int(v[1:])).first())
            return [p for p in out if p is not None]

        try:
            services.action_create(
                actor=request.user,
                meeting=meeting,
                item=item,
                description=data["description"],
                responsible=_user(data["responsible"]),
                accountable=_user(data["accountable"]),
                due_on=data["due_on"],
                consulted=parties(data["consulted"]),
                informed=parties(data["informed"]),
            )
            messages.success(request, _("The action item is saved."))
        except ValidationError as exc:
            _errors(request, exc)
    else:
        _form_errors(request, form)
    return redirect("conferences:item", pk=meeting.pk, item_pk=item.pk)


@require_permission("conferences.view")
def action_list(request):
    """The action items the user is responsible or accountable for, or of the tables they run."""
    from django.db.models import Q

    tables = selectors.tables_for(request.user)
    q = Q(responsible=request.user) | Q(accountable=request.user)
    managed = [t.pk for t in tables if selectors.can_manage(request.user, t)]
    if managed:
        q |= Q(meeting__table_id__in=managed)
    actions = list(
        ActionItem.objects.filter(q, meeting__table__in=tables)
        .select_related("meeting__table", "responsible", "participant")
        .order_by("status", "due_on", "pk")[:200]
    )
    by_table: dict[int, list[ActionItem]] = {}
    for a in actions:
        by_table.setdefault(a.meeting.table_id, []).append(a)
    shown = []
    for a in actions:
        shown.append(a)
    rows = []
    for table_actions in by_table.values():
        rows += selectors.actions_visible(request.user, table_actions, table_actions[0].meeting.table)
    return render(
        request,
        "conferences/action_list.html",
        {"rows": rows, "today": clock.today(), "form": ActionUpdateForm()},
    )


@require_POST
@require_permission("conferences.view")
def action_update(request, pk: int):
    try:
        action = ActionItem.objects.select_related("meeting__table").get(
            pk=pk, meeting__table__in=selectors.tables_for(request.user)
        )
    except (ActionItem.DoesNotExist, ValueError):
        raise Http404 from None
    if not (
        selectors.can_manage(request.user, action.meeting.table)
        or request.user.pk in (action.responsible_id, action.accountable_id)
    ):
        raise PermissionDenied
    form = ActionUpdateForm(request.POST)
    if form.is_valid():
        try:
            services.action_update(
                actor=request.user,
                action=action,
                status=form.cleaned_data["status"],
                note=form.cleaned_data["note"],
            )
            messages.success(request, _("The action item is updated."))
        except ValidationError as exc:
            _errors(request, exc)
    else:
        _form_errors(request, form)
    return redirect(
        request.POST.get("next")
        if request.POST.get("next", "").startswith("/conferences/")
        else "conferences:actions"
    )


__all__ = ["AgendaItem", "Delivery", "Member"]
