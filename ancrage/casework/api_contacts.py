"""API of case management: contacts, field visits and risk assessments (B2, B3, B8, B9).

The same selectors, services and permissions as the pages: the role's permission first (403), then the
record (404 when the participant, their category of information or the visit is not the caller's to see).
"""

from __future__ import annotations

import datetime

from ninja import Field, Query, Router, Schema, Status

from ancrage.casework import selectors_contacts as selectors
from ancrage.casework import services_contacts as services
from ancrage.casework.models import Contact, FieldVisit, RiskAssessment
from ancrage.casework.selectors import participant_for_casework, participant_for_casework_write
from ancrage.core.api_types import (
    Date,
    DateTime,
    Id,
    Text,
    errors,
    int_field,
    list_field,
    text_field,
)
from ancrage.core.permissions import Category, check_record_permission

router = Router(tags=["casework"])


# --- schemas ---------------------------------------------------------------------------------------------


class ContactOut(Schema):
    id: int
    participant_id: int
    enrollment_id: int | None
    organisation_id: int
    occurred_at: datetime.datetime
    duration_minutes: int
    kind: str
    kind_label: str
    participant_present: bool
    staff_ids: list[int]
    goal_ids: list[int]
    visit_id: int | None
    shared_note: str | None = Field(None, description="Null when the caller may not read case notes.")
    private_note: str | None = Field(None, description="Null outside the organisation that wrote it.")

    @staticmethod
    def of(c: Contact) -> ContactOut:
        return ContactOut(
            id=c.pk,
            participant_id=c.participant_id,
            enrollment_id=c.enrollment_id,
            organisation_id=c.organisation_id,
            occurred_at=c.occurred_at,
            duration_minutes=c.duration_minutes,
            kind=c.kind,
            kind_label=str(c.get_kind_display()),
            participant_present=c.participant_present,
            staff_ids=[u.pk for u in c.staff.all()],
            goal_ids=[g.pk for g in c.goals_discussed.all()],
            visit_id=c.visit_id,
            shared_note=getattr(c, "shown_shared_note", None),
            private_note=getattr(c, "shown_private_note", None),
        )


class ContactIn(Schema):
    occurred_at: DateTime
    duration_minutes: int = int_field(Contact, "duration_minutes")
    kind: Text = text_field(Contact, "kind")
    participant_present: bool = True
    staff_ids: list[Id] = list_field()
    goal_ids: list[Id] = list_field()
    shared_note: Text = text_field(Contact, "shared_note", "")
    private_note: Text = text_field(Contact, "private_note", "")
    visit_id: Id | None = None


class VisitOut(Schema):
    id: int
    participant_id: int
    worker_id: int
    companion_ids: list[int]
    location: str
    planned_start: datetime.datetime
    planned_end: datetime.datetime
    started_at: datetime.datetime | None
    ended_at: datetime.datetime | None
    status: str
    status_label: str
    overdue_alerted_at: datetime.datetime | None

    @staticmethod
    def of(v: FieldVisit) -> VisitOut:
        return VisitOut(
            id=v.pk,
            participant_id=v.participant_id,
            worker_id=v.worker_id,
            companion_ids=[u.pk for u in v.companions.all()],
            location=v.location,
            planned_start=v.planned_start,
            planned_end=v.planned_end,
            started_at=v.started_at,
            ended_at=v.ended_at,
            status=v.status,
            status_label=str(v.get_status_display()),
            overdue_alerted_at=v.overdue_alerted_at,
        )


class VisitIn(Schema):
    location: Text = text_field(FieldVisit, "location")
    planned_start: DateTime
    planned_end: DateTime
    companion_ids: list[Id] = list_field()


class VisitStepIn(Schema):
    at: DateTime | None = Field(None, description="Defaults to now.")


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


# --- contacts --------------------------------------------------------------------------------------------


@router.get(
    "participants/{pk}/contacts",
    response={200: list[ContactOut], **errors()},
    summary="A participant's contacts (latest 100)",
)
def list_contacts(request, pk: int, limit: int = Query(100, ge=1, le=500)):
    check_record_permission(request.user, "casework.view")
    access = participant_for_casework(request.user, pk, category=Category.CASE_NOTES)
    contacts = selectors.contacts_of(access)[:limit]
    return [ContactOut.of(c) for c in selectors.contacts_with_notes(request.user, access, contacts)]


@router.post("participants/{pk}/contacts", response={201: ContactOut, **errors()}, summary="Log a contact")
def log_contact(request, pk: int, payload: ContactIn):
    check_record_permission(request.user, "casework.record")
    access = participant_for_casework_write(request.user, pk)
    visit = None
    if payload.visit_id is not None:
        visit = selectors.visit_for_user(request.user, payload.visit_id)
    contact = services.contact_log(
        actor=request.user,
        participant=access.participant,
        occurred_at=payload.occurred_at,
        duration_minutes=payload.duration_minutes,
        kind=payload.kind,
        participant_present=payload.participant_present,
        staff=payload.staff_ids,
        goals=payload.goal_ids,
        shared_note=payload.shared_note,
        private_note=payload.private_note,
        visit=visit,
    )
    contact = selectors.contacts_of(access).get(pk=contact.pk)
    (contact,) = selectors.contacts_with_notes(request.user, access, [contact], audit=False)
    return Status(201, ContactOut.of(contact))


# --- field visits ----------------------------------------------------------------------------------------


@router.get(
    "participants/{pk}/visits",
    response={200: list[VisitOut], **errors()},
    summary="A participant's field visits",
)
def list_visits(request, pk: int):
    check_record_permission(request.user, "casework.view")
    access = participant_for_casework(request.user, pk, category=Category.IDENTITY)
    return [VisitOut.of(v) for v in selectors.visits_of(access)]


@router.post("participants/{pk}/visits", response={201: VisitOut, **errors()}, summary="Plan a field visit")
def plan_visit(request, pk: int, payload: VisitIn):
    check_record_permission(request.user, "casework.record")
    access = participant_for_casework_write(request.user, pk)
    visit = services.visit_plan(
        actor=request.user,
        participant=access.participant,
        location=payload.location,
        planned_start=payload.planned_start,
        planned_end=payload.planned_end,
        companions=payload.companion_ids,
    )
    return Status(201, VisitOut.of(visit))


@router.post("visits/{visit_pk}/start", response={200: VisitOut, **errors()}, summary="Start a field visit")
def start_visit(request, visit_pk: int, payload: VisitStepIn):
    check_record_permission(request.user, "casework.record")
    visit = selectors.visit_for_user(request.user, visit_pk)
    return VisitOut.of(services.visit_start(actor=request.user, visit=visit, at=payload.at))


@router.post("visits/{visit_pk}/end", response={200: VisitOut, **errors()}, summary="End a field visit")
def end_visit(request, visit_pk: int, payload: VisitStepIn):
    check_record_permission(request.user, "casework.record")
    visit = selectors.visit_for_user(request.user, visit_pk)
    return VisitOut.of(services.visit_end(actor=request.user, visit=visit, at=payload.at))


# --- risk ------------------------------------------------------------------------------------------------


@router.get(
    "participants/{pk}/risk-assessments",
    response={200: list[RiskOut], **errors()},
    summary="A participant's risk assessments",
)
def list_risk_assessments(request, pk: int):
    check_record_permission(request.user, "casework.view")
    access = participant_for_casework(
        request.user, pk, category=Category.RISK, read_action="casework.risk.viewed"
    )
    return [RiskOut.of(r) for r in selectors.risks_of(access)]


@router.post(
    "participants/{pk}/risk-assessments",
    response={201: RiskOut, **errors()},
    summary="Record a risk assessment and plan",
)
def record_risk_assessment(request, pk: int, payload: RiskIn):
    check_record_permission(request.user, "casework.manage_risk")
    access = participant_for_casework_write(request.user, pk, category=Category.RISK)
    risk = services.risk_assess(actor=request.user, participant=access.participant, **payload.dict())
    return Status(201, RiskOut.of(risk))
