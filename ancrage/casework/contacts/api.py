"""API (v1) of contacts and field visits (B2, B3, B9)."""

from __future__ import annotations

import datetime

from ninja import Field, Query, Router, Schema, Status

from ancrage.casework.contacts import selectors as contacts_selectors
from ancrage.casework.contacts import services as contacts_services
from ancrage.casework.models import Contact, FieldVisit
from ancrage.casework.selectors import participant_for_casework, participant_for_casework_write
from ancrage.core import clock
from ancrage.core.api_types import DateTime, Id, Int, Text, errors, int_field, list_field, text_field
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
    overdue: bool = Field(
        description="Open past its planned end (or the worker's last \"I'm safe\") plus the grace period, "
        "computed when asked, whatever alert was sent."
    )
    late_minutes: int | None = Field(description="How late past the planned end, when overdue.")
    safe_at: datetime.datetime | None

    @staticmethod
    def of(v: FieldVisit) -> VisitOut:
        late = v.late_by(clock.now())
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
            overdue=late is not None,
            late_minutes=int(late.total_seconds() // 60) if late is not None else None,
            safe_at=v.safe_at,
        )


class VisitIn(Schema):
    location: Text = text_field(FieldVisit, "location")
    planned_start: DateTime
    planned_end: DateTime
    companion_ids: list[Id] = list_field()


class VisitStepIn(Schema):
    at: DateTime | None = Field(None, description="Defaults to now.")


class VisitEndIn(VisitStepIn):
    reason: Text = Field(
        "",
        max_length=300,
        description="Required when someone not on the visit ends it for its worker (who is told).",
    )


class VisitExtendIn(Schema):
    minutes: Int = Field(description="How much longer: one of 15, 30, 60, 120.")


# --- contacts --------------------------------------------------------------------------------------------


@router.get(
    "participants/{pk}/contacts",
    response={200: list[ContactOut], **errors()},
    summary="A participant's contacts (latest 100)",
    operation_id="ancrage_casework_api_contacts_list_contacts",
)
def list_contacts(request, pk: int, limit: int = Query(100, ge=1, le=500)):
    check_record_permission(request.user, "casework.view")
    access = participant_for_casework(request.user, pk, category=Category.CASE_NOTES)
    contacts = contacts_selectors.contacts_of(access)[:limit]
    return [ContactOut.of(c) for c in contacts_selectors.contacts_with_notes(request.user, access, contacts)]


@router.post(
    "participants/{pk}/contacts",
    response={201: ContactOut, **errors()},
    summary="Log a contact",
    operation_id="ancrage_casework_api_contacts_log_contact",
)
def log_contact(request, pk: int, payload: ContactIn):
    check_record_permission(request.user, "casework.record")
    access = participant_for_casework_write(request.user, pk)
    visit = None
    if payload.visit_id is not None:
        visit = contacts_selectors.visit_for_user(request.user, payload.visit_id)
    contact = contacts_services.contact_log(
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
    contact = contacts_selectors.contacts_of(access).get(pk=contact.pk)
    (contact,) = contacts_selectors.contacts_with_notes(request.user, access, [contact], audit=False)
    return Status(201, ContactOut.of(contact))


# --- field visits ----------------------------------------------------------------------------------------


@router.get(
    "participants/{pk}/visits",
    response={200: list[VisitOut], **errors()},
    summary="A participant's field visits",
    operation_id="ancrage_casework_api_contacts_list_visits",
)
def list_visits(request, pk: int):
    check_record_permission(request.user, "casework.view")
    access = participant_for_casework(request.user, pk, category=Category.IDENTITY)
    return [VisitOut.of(v) for v in contacts_selectors.visits_of(access)]


@router.post(
    "participants/{pk}/visits",
    response={201: VisitOut, **errors()},
    summary="Plan a field visit",
    operation_id="ancrage_casework_api_contacts_plan_visit",
)
def plan_visit(request, pk: int, payload: VisitIn):
    check_record_permission(request.user, "casework.record")
    access = participant_for_casework_write(request.user, pk)
    visit = contacts_services.visit_plan(
        actor=request.user,
        participant=access.participant,
        location=payload.location,
        planned_start=payload.planned_start,
        planned_end=payload.planned_end,
        companions=payload.companion_ids,
    )
    return Status(201, VisitOut.of(visit))


@router.post(
    "visits/{visit_pk}/start",
    response={200: VisitOut, **errors()},
    summary="Start a field visit",
    operation_id="ancrage_casework_api_contacts_start_visit",
)
def start_visit(request, visit_pk: int, payload: VisitStepIn):
    check_record_permission(request.user, "casework.record")
    visit = contacts_selectors.visit_for_user(request.user, visit_pk)
    return VisitOut.of(contacts_services.visit_start(actor=request.user, visit=visit, at=payload.at))


@router.post(
    "visits/{visit_pk}/end",
    response={200: VisitOut, **errors()},
    summary="End a field visit",
    operation_id="ancrage_casework_api_contacts_end_visit",
)
def end_visit(request, visit_pk: int, payload: VisitEndIn):
    check_record_permission(request.user, "casework.record")
    visit = contacts_selectors.visit_for_user(request.user, visit_pk)
    return VisitOut.of(
        contacts_services.visit_end(actor=request.user, visit=visit, at=payload.at, reason=payload.reason)
    )


@router.post(
    "visits/{visit_pk}/extend",
    response={200: VisitOut, **errors()},
    summary="Extend a field visit",
    operation_id="ancrage_casework_api_contacts_extend_visit",
)
def extend_visit(request, visit_pk: int, payload: VisitExtendIn):
    check_record_permission(request.user, "casework.record")
    visit = contacts_selectors.visit_for_user(request.user, visit_pk)
    return VisitOut.of(
        contacts_services.visit_extend(actor=request.user, visit=visit, minutes=payload.minutes)
    )


@router.post(
    "visits/{visit_pk}/safe",
    response={200: VisitOut, **errors()},
    summary='Say "I\'m safe" during a field visit',
    operation_id="ancrage_casework_api_contacts_visit_safe",
)
def visit_safe(request, visit_pk: int):
    check_record_permission(request.user, "casework.record")
    visit = contacts_selectors.visit_for_user(request.user, visit_pk)
    return VisitOut.of(contacts_services.visit_safe(actor=request.user, visit=visit))
