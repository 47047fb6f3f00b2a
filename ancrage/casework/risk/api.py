"""API (v1) of risk assessments and plans, incidents and on-call (B8, B9, B10)."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.http import Http404
from ninja import ModelSchema, Router, Schema, Status

from ancrage.casework.models import Incident, OnCallEntry, RiskAssessment
from ancrage.casework.risk import selectors as risk_selectors
from ancrage.casework.risk import services as risk_services
from ancrage.casework.selectors import participant_for_casework, participant_for_casework_write
from ancrage.core.api_types import Date, DateTime, Id, Text, bounded_text, errors, int_field, text_field
from ancrage.core.permissions import Category, check_permission, check_record_permission
from ancrage.organisations.models import Organisation
from ancrage.people.models import ConsentCategory, Participant

if TYPE_CHECKING:
    CategoryCode = str
else:
    CategoryCode = bounded_text(ConsentCategory, "category")


router = Router(tags=["casework"])


class RiskOut(Schema):
    id: int
    participant_id: int
    assessed_on: datetime.date
    level: int
    level_label: str
    rating: str
    rating_label: str
    description: str
    paired_visits: bool
    office_only_until: datetime.date | None
    psychiatric_assessment_requested: bool
    notify_team_on_police: bool
    other_measures: str
    participant_told_on: datetime.date | None
    review_on: datetime.date | None
    ended_on: datetime.date | None
    is_current: bool

    @staticmethod
    def of(r: RiskAssessment) -> RiskOut:
        return RiskOut(
            id=r.pk,
            participant_id=r.participant_id,
            assessed_on=r.assessed_on,
            level=r.level,
            level_label=str(r.get_level_display()),
            rating=r.rating,
            rating_label=str(r.get_rating_display()),
            description=r.description,
            paired_visits=r.paired_visits,
            office_only_until=r.office_only_until,
            psychiatric_assessment_requested=r.psychiatric_assessment_requested,
            notify_team_on_police=r.notify_team_on_police,
            other_measures=r.other_measures,
            participant_told_on=r.participant_told_on,
            review_on=r.review_on,
            ended_on=r.ended_on,
            is_current=r.ended_on is None,
        )


class RiskIn(Schema):
    assessed_on: Date
    level: int = int_field(RiskAssessment, "level")
    rating: Text = text_field(RiskAssessment, "rating")
    description: Text = text_field(RiskAssessment, "description")
    paired_visits: bool = False
    office_only_until: Date | None = None
    psychiatric_assessment_requested: bool = False
    notify_team_on_police: bool = True
    other_measures: Text = text_field(RiskAssessment, "other_measures", "")
    participant_told_on: Date | None = None
    review_on: Date | None = None


# --- risk ------------------------------------------------------------------------------------------------


@router.get(
    "participants/{pk}/risk-assessments",
    response={200: list[RiskOut], **errors()},
    summary="A participant's risk assessments",
    operation_id="ancrage_casework_api_contacts_list_risk_assessments",
)
def list_risk_assessments(request, pk: int):
    check_record_permission(request.user, "casework.view")
    access = participant_for_casework(
        request.user, pk, category=Category.RISK, read_action="casework.risk.viewed"
    )
    return [RiskOut.of(r) for r in risk_selectors.risks_of(access)]


@router.post(
    "participants/{pk}/risk-assessments",
    response={201: RiskOut, **errors()},
    summary="Record a risk assessment and plan",
    operation_id="ancrage_casework_api_contacts_record_risk_assessment",
)
def record_risk_assessment(request, pk: int, payload: RiskIn):
    check_record_permission(request.user, "casework.manage_risk")
    access = participant_for_casework_write(request.user, pk, category=Category.RISK)
    risk = risk_services.risk_assess(actor=request.user, participant=access.participant, **payload.dict())
    return Status(201, RiskOut.of(risk))


class IncidentOut(ModelSchema):
    class Meta:
        model = Incident
        fields = [
            "id",
            "participant",
            "kind",
            "occurred_at",
            "description",
            "source",
            "source_name",
            "recorded_by",
            "recorded_at",
            "team_notified_at",
        ]


class IncidentIn(Schema):
    kind: Text = text_field(Incident, "kind")
    occurred_at: DateTime
    description: Text = text_field(Incident, "description")
    source: Text = text_field(Incident, "source", Incident.Source.STAFF.value)
    source_name: Text = text_field(Incident, "source_name", "")


class OnCallOut(Schema):
    id: int
    organisation_id: int
    participant_id: int | None
    called_at: datetime.datetime
    caller: str
    summary: str
    action_taken: str
    follow_up: bool
    answered_by_id: int


class OnCallIn(Schema):
    called_at: DateTime
    caller: Text = text_field(OnCallEntry, "caller")
    summary: Text = text_field(OnCallEntry, "summary")
    action_taken: Text = text_field(OnCallEntry, "action_taken", "")
    follow_up: bool = False
    organisation_id: Id | None = None
    participant_id: Id | None = None


def _on_call_out(e: OnCallEntry, visible: set[int]) -> OnCallOut:
    return OnCallOut(
        id=e.pk,
        organisation_id=e.organisation_id,
        participant_id=e.participant_id if e.participant_id in visible else None,
        called_at=e.called_at,
        caller=e.caller,
        summary=e.summary,
        action_taken=e.action_taken,
        follow_up=e.follow_up,
        answered_by_id=e.answered_by_id,
    )


@router.get(
    "participants/{pk}/incidents",
    response={200: list[IncidentOut], **errors()},
    summary="A participant's incidents",
    operation_id="ancrage_casework_api_referrals_list_incidents",
)
def list_incidents(request, pk: int):
    check_record_permission(request.user, "casework.view")
    access = participant_for_casework(
        request.user, pk, category=Category.RISK, read_action="casework.incident.viewed"
    )
    return list(risk_selectors.incidents_for_participant(access.participant)[:500])


@router.post(
    "participants/{pk}/incidents",
    response={201: IncidentOut, **errors()},
    summary="Record an incident (the participant's team is told at once)",
    operation_id="ancrage_casework_api_referrals_create_incident",
)
def create_incident(request, pk: int, payload: IncidentIn):
    check_record_permission(request.user, "casework.record_incidents")
    access = participant_for_casework_write(request.user, pk, category=Category.RISK)
    incident = risk_services.incident_record(
        actor=request.user, participant=access.participant, **payload.dict()
    )
    return Status(201, incident)


@router.get(
    "on-call",
    response={200: list[OnCallOut], **errors(401, 403)},
    summary="The on-call log of your organisations",
    operation_id="ancrage_casework_api_referrals_list_on_call",
)
def list_on_call(request):
    check_permission(request.user, "casework.view")
    entries = list(risk_selectors.on_call_entries_for_user(request.user)[:200])
    visible = risk_selectors.visible_participant_ids(request.user, [e.participant_id for e in entries])
    return [_on_call_out(e, visible) for e in entries]


@router.post(
    "on-call",
    response={201: OnCallOut, **errors()},
    summary="Log an after-hours call",
    operation_id="ancrage_casework_api_referrals_log_on_call",
)
def log_on_call(request, payload: OnCallIn):
    check_permission(request.user, "casework.record_incidents")
    if payload.organisation_id is None:
        membership = request.user.primary_membership
        organisation = membership.organisation if membership else None
    else:
        organisation = Organisation.objects.filter(
            pk=payload.organisation_id, pk__in=request.user.organisation_ids
        ).first()
    if organisation is None:
        raise Http404
    participant = None
    if payload.participant_id is not None:
        participant = (
            Participant.objects.current().filter(pk=payload.participant_id, organisation=organisation).first()
        )
        if participant is None:
            raise Http404
    entry = risk_services.on_call_log(
        actor=request.user,
        organisation=organisation,
        participant=participant,
        **payload.dict(exclude={"organisation_id", "participant_id"}),
    )
    return Status(201, _on_call_out(entry, {entry.participant_id} if entry.participant_id else set()))
