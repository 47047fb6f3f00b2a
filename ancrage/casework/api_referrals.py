"""API of case management: the directory of services, referrals out (B7), incidents and on-call (B9, B10). The
same selectors, services and permissions as the pages: the permission first (403), then the record (404)."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import ModelSchema, Router, Schema, Status

from ancrage.casework import selectors_referrals as sel
from ancrage.casework import services_referrals as services
from ancrage.casework.models import Incident, OnCallEntry, ReferralAttempt, ServiceProvider, ServiceReferral
from ancrage.casework.selectors import participant_for_casework, participant_for_casework_write
from ancrage.core.api_types import (
    Date,
    DateTime,
    Id,
    Search,
    Text,
    bounded_text,
    errors,
    list_field,
    text_field,
)
from ancrage.core.permissions import Category, check_permission, check_record_permission
from ancrage.organisations.models import Organisation
from ancrage.people.models import ConsentCategory, Participant

router = Router(tags=["casework"])


# Text bounded by its column, as a type the schemas use; the type checker sees the plain str it is.
if TYPE_CHECKING:
    CategoryCode = str
else:
    CategoryCode = bounded_text(ConsentCategory, "category")


def _referral_out(participant, referral_pk: int) -> ServiceReferralOut:
    referral = sel.referral_for_participant(participant, referral_pk)
    if referral is None:
        raise Http404
    return ServiceReferralOut.of(referral)


# Schemas read from the model. A link is written as its column (`organisation_id`): the routes answering
# with them serialise by alias, which ModelSchema sets to the column name, so the JSON keys stay as they were.
class ProviderOut(ModelSchema):
    class Meta:
        model = ServiceProvider
        fields = [
            "id",
            "name",
            "name_en",
            "kind",
            "phone",
            "address",
            "email",
            "website",
            "organisation",
            "is_active",
        ]


class AttemptOut(Schema):
    status: str
    on: datetime.date
    note: str
    by_id: int


class ServiceReferralOut(Schema):
    id: int
    participant_id: int
    provider_id: int
    provider_name: str
    need: str
    status: str
    approved_on: datetime.date | None
    appointment_at: datetime.datetime | None
    shared_categories: list[str]
    consent_id: int | None
    exit_id: int | None
    created_at: datetime.datetime
    attempts: list[AttemptOut]

    @staticmethod
    def of(r: ServiceReferral) -> ServiceReferralOut:
        return ServiceReferralOut(
            id=r.pk,
            participant_id=r.participant_id,
            provider_id=r.provider_id,
            provider_name=r.provider.display_name,
            need=r.need,
            status=r.status,
            approved_on=r.approved_on,
            appointment_at=r.appointment_at,
            shared_categories=list(r.shared_categories),
            consent_id=r.consent_id,
            exit_id=r.exit_id,
            created_at=r.created_at,
            attempts=[
                AttemptOut(status=a.status, on=a.on, note=a.note, by_id=a.by_id) for a in r.attempts.all()
            ],
        )




class ServiceReferralIn(Schema):
    provider_id: Id
    need: Text = text_field(ServiceReferral, "need")
    approved_on: Date | None = None
    shared_categories: list[CategoryCode] = list_field(
        description="Only categories an in-force consent naming the provider's organisation allows.",
    )


class ReferralStepIn(Schema):
    status: Text = text_field(ReferralAttempt, "status")
    on: Date | None = None
    note: Text = text_field(ReferralAttempt, "note", "")
    appointment_at: DateTime | None = None


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
    "providers",
    response={200: list[ProviderOut], **errors(401, 403, 422)},
    summary="The directory of external services",
)
def list_providers(request, q: Search = "", kind: Search = ""):
    check_permission(request.user, "casework.view")
    return list(sel.providers_for_user(request.user, q=q, kind=kind)[:500])


@router.get(
    "participants/{pk}/referrals",
    response={200: list[ServiceReferralOut], **errors()},
    summary="A participant's referrals to services, with every step",
)
def list_service_referrals(request, pk: int):
    check_record_permission(request.user, "casework.view")
    access = participant_for_casework(request.user, pk, category=Category.CASE_NOTES)
    return [ServiceReferralOut.of(r) for r in sel.referrals_for_participant(access.participant)]


@router.post(
    "participants/{pk}/referrals",
    response={201: ServiceReferralOut, **errors()},
    summary="Refer a participant to a service",
)
def create_service_referral(request, pk: int, payload: ServiceReferralIn):
    check_record_permission(request.user, "casework.record")
    access = participant_for_casework_write(request.user, pk, category=Category.CASE_NOTES)
    provider = sel.provider_for_user(request.user, payload.provider_id)
    if provider is None:
        raise ValidationError({"provider_id": [_("Choose an active service from the directory.")]})
    referral = services.referral_create(
        actor=request.user,
        participant=access.participant,
        provider=provider,
        need=payload.need,
        approved_on=payload.approved_on,
        shared_categories=payload.shared_categories,
    )
    return Status(201, _referral_out(access.participant, referral.pk))


@router.post(
    "referrals/{referral_pk}/steps",
    response={201: ServiceReferralOut, **errors()},
    summary="Record a step or attempt of a referral to a service",
)
def step_service_referral(request, referral_pk: int, payload: ReferralStepIn):
    check_record_permission(request.user, "casework.record")
    participant_id = (
        ServiceReferral.objects.filter(pk=referral_pk).values_list("participant_id", flat=True).first()
    )
    if participant_id is None:
        raise Http404
    access = participant_for_casework_write(request.user, participant_id, category=Category.CASE_NOTES)
    referral = sel.referral_for_participant(access.participant, referral_pk)
    if referral is None:
        raise Http404
    services.referral_step(
        actor=request.user,
        referral=referral,
        status=payload.status,
        on=payload.on,
        note=payload.note,
        appointment_at=payload.appointment_at,
    )
    return Status(201, _referral_out(access.participant, referral_pk))


@router.get(
    "participants/{pk}/incidents",
    response={200: list[IncidentOut], **errors()},
    summary="A participant's incidents",
)
def list_incidents(request, pk: int):
    check_record_permission(request.user, "casework.view")
    access = participant_for_casework(
        request.user, pk, category=Category.RISK, read_action="casework.incident.viewed"
    )
    return list(sel.incidents_for_participant(access.participant)[:500])


@router.post(
    "participants/{pk}/incidents",
    response={201: IncidentOut, **errors()},
    summary="Record an incident (the participant's team is told at once)",
)
def create_incident(request, pk: int, payload: IncidentIn):
    check_record_permission(request.user, "casework.record_incidents")
    access = participant_for_casework_write(request.user, pk, category=Category.RISK)
    incident = services.incident_record(actor=request.user, participant=access.participant, **payload.dict())
    return Status(201, incident)


@router.get(
    "on-call",
    response={200: list[OnCallOut], **errors(401, 403)},
    summary="The on-call log of your organisations",
)
def list_on_call(request):
    check_permission(request.user, "casework.view")
    entries = list(sel.on_call_entries_for_user(request.user)[:200])
    visible = sel.visible_participant_ids(request.user, [e.participant_id for e in entries])
    return [_on_call_out(e, visible) for e in entries]


@router.post("on-call", response={201: OnCallOut, **errors()}, summary="Log an after-hours call")
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
    entry = services.on_call_log(
        actor=request.user,
        organisation=organisation,
        participant=participant,
        **payload.dict(exclude={"organisation_id", "participant_id"}),
    )
    return Status(201, _on_call_out(entry, {entry.participant_id} if entry.participant_id else set()))
