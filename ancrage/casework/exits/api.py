"""API (v1) of exits, assessment schedules and progress (F1..F4)."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from ancrage.assessments.models import Administration
from ancrage.casework.exits import selectors as exits_selectors
from ancrage.casework.exits import services as exits_services
from ancrage.casework.models import Enrollment, Exit
from ancrage.casework.selectors import participant_for_casework, participant_for_casework_write
from ancrage.core import clock
from ancrage.core.api_types import Date, Id, Search, Text, errors, list_field, text_field
from ancrage.core.permissions import Category, check_permission, check_record_permission
from ancrage.organisations.models import Organisation

router = Router(tags=["casework"])


class ExitOut(Schema):
    id: int
    participant_id: int
    enrollment_id: int
    program_id: int
    kind: str
    kind_label: str
    reason: str
    reason_label: str
    exited_on: datetime.date
    destination: str
    destination_label: str
    destination_detail: str
    shelter_justification: str
    no_referrals_reason: str
    referral_ids: list[int]
    next_provider: str
    information_sent: bool
    consent_id: int | None
    procedure_given_on: datetime.date | None
    graduation_assessment_id: int | None
    stable_housing: bool
    rent_supplement: bool
    follow_up_care: bool
    readiness_note: str
    lost_contact_reason: str
    pending: bool = Field(
        ..., description="A planned exit recorded ahead: the enrollment goes on until exited_on."
    )
    note: str
    recorded_by_id: int
    recorded_at: datetime.datetime

    @staticmethod
    def of(e: Exit, referral_ids: list[int]) -> ExitOut:
        return ExitOut(
            id=e.pk,
            participant_id=e.participant_id,
            enrollment_id=e.enrollment_id,
            program_id=e.enrollment.program_id,
            kind=e.kind,
            kind_label=str(e.get_kind_display()),
            reason=e.reason,
            reason_label=str(e.get_reason_display()),
            exited_on=e.exited_on,
            destination=e.destination,
            destination_label=str(e.get_destination_display()),
            destination_detail=e.destination_detail,
            shelter_justification=e.shelter_justification,
            no_referrals_reason=e.no_referrals_reason,
            referral_ids=referral_ids,
            next_provider=e.next_provider,
            information_sent=e.information_sent,
            consent_id=e.consent_id,
            procedure_given_on=e.procedure_given_on,
            graduation_assessment_id=e.graduation_assessment_id,
            stable_housing=e.stable_housing,
            rent_supplement=e.rent_supplement,
            follow_up_care=e.follow_up_care,
            readiness_note=e.readiness_note,
            lost_contact_reason=e.lost_contact_reason,
            pending=e.is_pending,
            note=e.note,
            recorded_by_id=e.recorded_by_id,
            recorded_at=e.recorded_at,
        )


class ExitIn(Schema):
    enrollment_id: Id | None = Field(None, description="Defaults to the participant's current enrollment.")
    kind: Text = text_field(Exit, "kind", description="graduation, planned or unplanned")
    reason: Text = text_field(Exit, "reason")
    exited_on: Date
    destination: Text = text_field(Exit, "destination")
    destination_detail: Text = text_field(Exit, "destination_detail", "")
    shelter_justification: Text = text_field(Exit, "shelter_justification", "")
    no_referrals_reason: Text = text_field(Exit, "no_referrals_reason", "")
    referral_ids: list[Id] = list_field(description="Housing-stability referrals made.")
    next_provider: Text = text_field(Exit, "next_provider", "")
    next_organisation_id: Id | None = Field(
        None,
        description="The next provider's organisation: information is sent only under a consent naming it.",
    )
    information_sent: bool = False
    procedure_given_on: Date | None = None
    graduation_assessment_id: Id | None = None
    stable_housing: bool = Field(False, description="Graduation: stable, affordable housing in place.")
    rent_supplement: bool = Field(False, description="Graduation: rent supplement in place.")
    follow_up_care: bool = Field(False, description="Graduation: follow-up care arranged.")
    readiness_note: Text = text_field(Exit, "readiness_note", "")
    lost_contact_reason: Text = text_field(
        Exit,
        "lost_contact_reason",
        "",
        description="Unplanned exit while a re-engagement plan is open (B12).",
    )
    note: Text = text_field(Exit, "note", "")


def _exits_out(exits: list[Exit]) -> list[ExitOut]:
    from ancrage.casework.models import ServiceReferral

    referrals: dict[int, list[int]] = {}
    for rid, eid in (
        ServiceReferral.objects.filter(exit__in=exits).values_list("pk", "exit_id").order_by("pk")
    ):
        referrals.setdefault(eid, []).append(rid)
    return [ExitOut.of(e, referrals.get(e.pk, [])) for e in exits]


@router.get(
    "participants/{pk}/exits",
    response={200: list[ExitOut], **errors()},
    summary="A participant's exits",
    operation_id="ancrage_casework_api_exits_list_exits",
)
def list_exits(request, pk: int):
    check_record_permission(request.user, "casework.view")
    access = participant_for_casework(request.user, pk, category=Category.CASE_NOTES)
    return _exits_out(list(exits_selectors.exits_for_participant(access.participant)))


@router.post(
    "participants/{pk}/exits",
    response={201: ExitOut, **errors()},
    summary="Record an exit (F1–F3)",
    operation_id="ancrage_casework_api_exits_create_exit",
)
def create_exit(request, pk: int, payload: ExitIn):
    check_record_permission(request.user, "casework.record_exits")
    access = participant_for_casework_write(request.user, pk, category=Category.CASE_NOTES)
    participant = access.participant
    active = Enrollment.objects.filter(participant=participant, status=Enrollment.Status.ACTIVE).order_by(
        "-enrolled_on", "-id"
    )
    if participant.organisation_id not in request.user.organisation_ids:
        active = active.filter(program__organisation_id__in=request.user.organisation_ids)
    if payload.enrollment_id is not None:
        enrollment = active.filter(pk=payload.enrollment_id).first()
    else:
        enrollment = active.first()
    if enrollment is None:
        raise ValidationError({"enrollment_id": [_("The participant has no current enrollment to end.")]})
    next_organisation = None
    if payload.next_organisation_id is not None:
        next_organisation = Organisation.objects.filter(
            pk=payload.next_organisation_id, consortium_id=participant.organisation.consortium_id
        ).first()
        if next_organisation is None:
            raise ValidationError({"next_organisation_id": [_("Choose an organisation of the consortium.")]})
    graduation_assessment = None
    if payload.graduation_assessment_id is not None:
        graduation_assessment = Administration.objects.filter(
            pk=payload.graduation_assessment_id, participant=participant
        ).first()
        if graduation_assessment is None:
            raise ValidationError(
                {"graduation_assessment_id": [_("Choose a completed assessment of this participant.")]}
            )
    exit_ = exits_services.exit_record(
        actor=request.user,
        enrollment=enrollment,
        kind=payload.kind,
        reason=payload.reason,
        exited_on=payload.exited_on,
        destination=payload.destination,
        destination_detail=payload.destination_detail,
        shelter_justification=payload.shelter_justification,
        no_referrals_reason=payload.no_referrals_reason,
        referral_ids=payload.referral_ids,
        next_provider=payload.next_provider,
        next_organisation=next_organisation,
        information_sent=payload.information_sent,
        procedure_given_on=payload.procedure_given_on,
        graduation_assessment=graduation_assessment,
        stable_housing=payload.stable_housing,
        rent_supplement=payload.rent_supplement,
        follow_up_care=payload.follow_up_care,
        readiness_note=payload.readiness_note,
        lost_contact_reason=payload.lost_contact_reason,
        note=payload.note,
    )
    exit_ = Exit.objects.select_related("enrollment").get(pk=exit_.pk)
    return Status(201, _exits_out([exit_])[0])


class DueOut(Schema):
    participant_id: int
    participant_name: str
    enrollment_id: int
    program_id: int
    instrument: str
    instrument_name: str
    occasion: str
    occasion_label: str
    due_on: datetime.date
    overdue: bool
    postponed_on: datetime.date | None
    postponed_reason: str


@router.get(
    "assessments-due",
    response={200: list[DueOut], **errors(401, 403, 422)},
    summary="Assessments due and overdue",
    operation_id="ancrage_casework_api_exits_list_assessments_due",
)
def list_assessments_due(request, scope: Search = "mine"):
    """`scope`: `mine` (the caller's caseload) or `team` (their organisations' programs; team leads)."""
    check_permission(request.user, "casework.view")
    if scope not in (exits_selectors.SCOPE_MINE, exits_selectors.SCOPE_TEAM):
        raise ValidationError({"scope": [_("Choose mine or team.")]})
    if scope == exits_selectors.SCOPE_TEAM:
        check_permission(request.user, "casework.manage_team")
    rows = exits_selectors.due_rows(request.user, scope, clock.today())
    return [
        DueOut(
            participant_id=r.participant.pk,
            participant_name=r.participant.display_name,
            enrollment_id=r.enrollment.pk,
            program_id=r.enrollment.program_id,
            instrument=r.due.instrument.key,
            instrument_name=r.due.instrument.display_name,
            occasion=r.due.occasion,
            occasion_label=r.due.occasion_label,
            due_on=r.due.due_on,
            overdue=r.due.overdue,
            postponed_on=r.due.postponed_on,
            postponed_reason=r.due.postponed_reason,
        )
        for r in rows
    ]
