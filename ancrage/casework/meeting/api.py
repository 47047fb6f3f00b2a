"""API (v1) of the team meeting and the caseload summary."""

from __future__ import annotations

import datetime

from django.http import Http404
from ninja import Router, Schema

from ancrage.casework.flags import Row, enrollment_rows, log_sensitive_reads, sort_rows
from ancrage.casework.meeting import selectors as meeting_selectors
from ancrage.core import clock
from ancrage.core.api_types import Id, errors
from ancrage.core.permissions import check_permission

router = Router(tags=["casework"])


class FlagOut(Schema):
    key: str
    label: str
    detail: str
    severity: int


class RowOut(Schema):
    enrollment_id: int
    participant_id: int
    participant_name: str
    program_id: int
    team_id: int | None
    primary_worker_id: int | None
    primary_worker_name: str
    last_contact_at: datetime.datetime | None
    week_minutes: int
    week_visits: int
    visits_required: int
    flags: list[FlagOut]

    @staticmethod
    def of(row: Row) -> RowOut:
        e = row.enrollment
        return RowOut(
            enrollment_id=e.pk,
            participant_id=e.participant_id,
            participant_name=row.participant.display_name,
            program_id=e.program_id,
            team_id=e.team_id,
            primary_worker_id=e.primary_worker_id,
            primary_worker_name=e.primary_worker.display_name if e.primary_worker else "",
            last_contact_at=row.last_contact_at,
            week_minutes=row.week_minutes,
            week_visits=row.week_visits,
            visits_required=row.visits_required,
            flags=[
                FlagOut(key=f.key, label=f.label, detail=f.detail, severity=f.severity) for f in row.flags
            ],
        )


class CaseloadOut(Schema):
    worker_id: int
    worker_name: str
    rows: list[RowOut]


class MeetingOut(Schema):
    team_id: int
    team_name: str
    order: str
    flag_order: list[str]
    rows: list[RowOut]


@router.get(
    "/caseload", response={200: CaseloadOut, **errors()}, operation_id="ancrage_casework_api_meeting_caseload"
)
def caseload(request, worker: Id | None = None):
    """The caller's active caseload (or, for a team lead, a worker's of their organisations) with flags."""
    check_permission(request.user, "casework.view")
    user = request.user
    who = meeting_selectors.caseload_worker(user, worker)
    rows = sort_rows(
        enrollment_rows(meeting_selectors.caseload_enrollments(user, who), clock.today(), user=user)
    )
    log_sensitive_reads(user, rows, where="caseload")
    return CaseloadOut(worker_id=who.pk, worker_name=who.display_name, rows=[RowOut.of(r) for r in rows])


@router.get(
    "/teams/{team_pk}/meeting",
    response={200: MeetingOut, **errors()},
    operation_id="ancrage_casework_api_meeting_team_meeting",
)
def team_meeting(request, team_pk: int):
    """A team's meeting: each participant of its active enrollments with flags, in the team's order."""
    user = request.user
    teams = meeting_selectors.meeting_teams(user) if user.has_ancrage_perm("casework.view") else []
    team = next((t for t in teams if t.pk == team_pk), None)
    check_permission(request.user, "casework.view")
    if team is None:
        raise Http404
    meeting_settings = meeting_selectors.meeting_settings_for(team)
    rows = enrollment_rows(meeting_selectors.team_enrollments(user, team), clock.today(), user=user)
    rows = sort_rows(rows, meeting_settings.order, meeting_settings.flag_order)
    log_sensitive_reads(user, rows, where="team_meeting")
    return MeetingOut(
        team_id=team.pk,
        team_name=team.display_name,
        order=meeting_settings.order,
        flag_order=list(meeting_settings.flag_order or []),
        rows=[RowOut.of(r) for r in rows],
    )
