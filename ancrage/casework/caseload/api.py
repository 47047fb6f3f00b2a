"""API (v1) of enrollments, assignments and caseloads."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError

from ancrage.accounts.models import User
from ancrage.casework.caseload import services as caseload_services
from ancrage.casework.caseload.selectors import (
    participant_enrollments,
    participant_for_enrollment,
    programs_for_enrollment,
)
from ancrage.casework.models import Assignment, Enrollment
from ancrage.casework.selectors import access_can_write, participant_for_casework
from ancrage.core.api_types import Date, Id, Text, errors, text_field
from ancrage.core.permissions import Category, check_record_permission
from ancrage.organisations.models import Team
from ancrage.people.selectors import participants_visible_to

router = Router(tags=["casework"])


def _access(request, pk: int, perm: str, *, write: bool = False):
    """The participant's file for this call: 404 for a file not seen, without the permission, or for what
    the role may not read (a record the user may not see is 404 whatever the reason)."""
    if not participants_visible_to(request.user).filter(pk=pk).exists():
        raise Http404
    check_record_permission(request.user, perm)
    access = participant_for_casework(request.user, pk, category=Category.CASE_NOTES)
    if write and not access_can_write(access):
        raise Http404
    return access


class AssignmentOut(Schema):
    id: int
    worker_id: int
    worker_name: str
    starts_on: datetime.date
    ends_on: datetime.date | None
    reason: str
    over_ratio: bool
    assigned_by_id: int

    @staticmethod
    def of(a: Assignment) -> AssignmentOut:
        return AssignmentOut(
            id=a.pk,
            worker_id=a.worker_id,
            worker_name=a.worker.display_name,
            starts_on=a.starts_on,
            ends_on=a.ends_on,
            reason=a.reason,
            over_ratio=a.over_ratio,
            assigned_by_id=a.assigned_by_id,
        )


class EnrollmentOut(Schema):
    id: int
    participant_id: int
    program_id: int
    program_name: str
    program_kind: str
    team_id: int | None
    primary_worker_id: int | None
    match_id: int | None
    status: str
    enrolled_on: datetime.date
    exited_on: datetime.date | None
    visits_per_week: int
    tenancy_at_risk_since: datetime.date | None
    lost_contact_since: datetime.date | None
    assignments: list[AssignmentOut]

    @staticmethod
    def of(e: Enrollment) -> EnrollmentOut:
        return EnrollmentOut(
            id=e.pk,
            participant_id=e.participant_id,
            program_id=e.program_id,
            program_name=e.program.display_name,
            program_kind=e.program.kind,
            team_id=e.team_id,
            primary_worker_id=e.primary_worker_id,
            match_id=e.match_id,
            status=e.status,
            enrolled_on=e.enrolled_on,
            exited_on=e.exited_on,
            visits_per_week=e.visits_per_week,
            tenancy_at_risk_since=e.tenancy_at_risk_since,
            lost_contact_since=e.lost_contact_since,
            assignments=[AssignmentOut.of(a) for a in e.assignments.all()],
        )


class EnrollmentIn(Schema):
    program_id: Id
    primary_worker_id: Id
    team_id: Id | None = None
    enrolled_on: Date | None = None
    match_id: Id | None = Field(None, description="A match of this participant at the assisted transfer.")
    over_ratio_reason: Text = text_field(
        Assignment,
        "reason",
        "",
        description="Required when the case manager's caseload would exceed the ratio.",
    )


class AssignIn(Schema):
    worker_id: Id
    reason: Text = text_field(
        Assignment, "reason", description="Why the primary case manager changes (kept and shown)."
    )
    on: Date | None = None
    over_ratio_reason: Text = text_field(Assignment, "reason", "")


def _one(pk: int) -> EnrollmentOut:
    enrollment = (
        Enrollment.objects.select_related("program")
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=Assignment.objects.select_related("worker").order_by("-starts_on", "-id"),
            )
        )
        .get(pk=pk)
    )
    return EnrollmentOut.of(enrollment)


def _worker(worker_id: int, field: str) -> User:
    worker = User.objects.filter(pk=worker_id, is_active=True).first()
    if worker is None:
        raise ValidationError({field: [_("Choose the primary case manager.")]})
    return worker


@router.get(
    "participants/{pk}/enrollments",
    response={200: list[EnrollmentOut], **errors()},
    summary="A participant's enrollments, current first, with the history of their case managers",
    operation_id="ancrage_casework_api_caseload_list_enrollments",
)
def list_enrollments(request, pk: int):
    access = _access(request, pk, "casework.view")
    return [EnrollmentOut.of(e) for e in participant_enrollments(access.participant)]


@router.post(
    "participants/{pk}/enrollments",
    response={201: EnrollmentOut, **errors()},
    summary="Enroll a participant in an ICM or ACT program",
    operation_id="ancrage_casework_api_caseload_create_enrollment",
)
def create_enrollment(request, pk: int, payload: EnrollmentIn):
    if not participants_visible_to(request.user).filter(pk=pk).exists():
        raise Http404
    check_record_permission(request.user, "casework.manage_team")
    access = participant_for_enrollment(request.user, pk)
    program = programs_for_enrollment(request.user).filter(pk=payload.program_id).first()
    if program is None:
        raise ValidationError(
            {"program_id": [_("Choose an active ICM or ACT program of your organisation.")]}
        )
    team = None
    if payload.team_id is not None:
        team = Team.objects.filter(
            pk=payload.team_id, organisation_id__in=request.user.organisation_ids
        ).first()
        if team is None:
            raise ValidationError({"team_id": [_("This team does not work in this program.")]})
    match = None
    if payload.match_id is not None:
        from ancrage.access.models import Match

        match = Match.objects.filter(pk=payload.match_id, participant=access.participant).first()
        if match is None:
            raise ValidationError({"match_id": [_("This match is for another person.")]})
    try:
        enrollment = caseload_services.enrollment_create(
            actor=request.user,
            participant=access.participant,
            program=program,
            primary_worker=_worker(payload.primary_worker_id, "primary_worker_id"),
            team=team,
            enrolled_on=payload.enrolled_on,
            match=match,
            over_ratio_reason=payload.over_ratio_reason,
        )
    except ValidationError as exc:
        raise _renamed(
            exc,
            {
                "program": "program_id",
                "primary_worker": "primary_worker_id",
                "team": "team_id",
                "match": "match_id",
            },
        ) from None
    return Status(201, _one(enrollment.pk))


@router.post(
    "enrollments/{enrollment_pk}/assign",
    response={200: EnrollmentOut, **errors()},
    summary="Change the primary case manager (the reason is required and kept)",
    operation_id="ancrage_casework_api_caseload_assign_enrollment",
)
def assign_enrollment(request, enrollment_pk: int, payload: AssignIn):
    enrollment = Enrollment.objects.filter(pk=enrollment_pk).select_related("program", "participant").first()
    if enrollment is None:
        raise Http404
    _access(request, enrollment.participant_id, "casework.manage_team", write=True)
    if not caseload_services.enrollment_run_by(request.user, enrollment):
        # B1: the home organisation sees the enrollment (so not a 404) but does not run it.
        raise HttpError(403, caseload_services.not_run_here_message())
    try:
        caseload_services.enrollment_assign(
            actor=request.user,
            enrollment=enrollment,
            worker=_worker(payload.worker_id, "worker_id"),
            reason=payload.reason,
            on=payload.on,
            over_ratio_reason=payload.over_ratio_reason,
        )
    except ValidationError as exc:
        raise _renamed(exc, {"worker": "worker_id"}) from None
    return _one(enrollment.pk)


def _renamed(exc: ValidationError, names: dict[str, str]) -> ValidationError:
    """The service's errors under the names of the API's fields."""
    if not hasattr(exc, "error_dict"):
        return exc
    return ValidationError({names.get(k, k): v for k, v in exc.error_dict.items()})
