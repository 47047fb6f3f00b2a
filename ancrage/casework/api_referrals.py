"""API of case management: the directory of services, referrals out (B7), incidents and on-call (B9, B10). The
same selectors, services and permissions as the pages: the permission first (403), then the record (404)."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from ancrage.casework import selectors_referrals as sel
from ancrage.casework import services_referrals as services
from ancrage.casework.models import Incident, OnCallEntry, ServiceReferral
from ancrage.casework.selectors import participant_for_casework, participant_for_casework_write
from ancrage.core.permissions import Category, check_record_permission
from ancrage.organisations.models import Organisation
from ancrage.people.models import Participant

router = Router(tags=["casework"])


def _referral_out(participant, referral_pk: int) -> ServiceReferralOut:
    referral = sel.referral_for_participant(participant, referral_pk)
    if referral is None:
        raise Http404
    return ServiceReferralOut.of(referral)


def _require(request, perm: str) -> None:
    if not request.user.has_ancrage_perm(perm):
        raise PermissionDenied


class ProviderOut(Schema):
    id: int
    name: str
    name_en: str
    kind: str
    phone: str
    address: str
    email: str
    website: str
    organisation_id: int | None
    is_active: bool


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
    provider_id: int
    need: str
    approved_on: datetime.date | None = None
    shared_categories: list[str] = Field(
        default_factory=list,
        description="Only categories an in-force consent naming the provider's organisation allows.",
    )


class ReferralStepIn(Schema):
    status: str
    on: datetime.date | None = None
    note: str = ""
    appointment_at: datetime.datetime | None = None


class IncidentOut(Schema):
    id: int
    participant_id: int
    kind: str
    occurred_at: datetime.datetime
    description: str
    source: str
    source_name: str
    recorded_by_id: int
    recorded_at: datetime.datetime
    team_notified_at: datetime.datetime | None


class IncidentIn(Schema):
    kind: str
    occurred_at: datetime.datetime
    description: str
    source: str = Incident.Source.STAFF.value
    source_name: str = ""


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
    called_at: datetime.datetime
    caller: str
    summary: str
    action_taken: str = ""
    follow_up: bool = False
    organisation_id: int | None = None
    participant_id: int | None = None


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


@router.get("providers", response=list[ProviderOut], summary="The directory of external services")
def list_providers(request, q: str = "", kind: str = ""):
    _require(request, "casework.view")
    return list(sel.providers_for_user(request.user, q=q, kind=kind)[:500])


@router.get(
    "participants/{pk}/referrals",
    response=list[ServiceReferralOut],
    summary="A participant's referrals to services, with every step",
)
def list_service_referrals(request, pk: int):
    check_record_permission(request.user, "casework.view")
    access = participant_for_casework(request.user, pk, category=Category.CASE_NOTES)
    return [ServiceReferralOut.of(r) for r in sel.referrals_for_participant(access.participant)]


@router.post(
    "participants/{pk}/referrals",
    response={201: ServiceReferralOut},
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
    response={201: ServiceReferralOut},
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


@router.get("participants/{pk}/incidents", response=list[IncidentOut], summary="A participant's incidents")
def list_incidents(request, pk: int):
    check_record_permission(request.user, "casework.view")
    access = participant_for_casework(
        request.user, pk, category=Category.RISK, read_action="casework.incident.viewed"
    )
    return list(sel.incidents_for_participant(access.participant)[:500])


@router.post(
    "participants/{pk}/incidents",
    response={201: IncidentOut},
    summary="Record an incident (the participant's team is told at once)",
)
def create_incident(request, pk: int, payload: IncidentIn):
    check_record_permission(request.user, "casework.record_incidents")
    access = participant_for_casework_write(request.user, pk, category=Category.RISK)
    incident = services.incident_record(actor=request.user, participant=access.participant, **payload.dict())
    return Status(201, incident)


@router.get("on-call", response=list[OnCallOut], summary="The on-call log of your organisations")
def list_on_call(request):
    _require(request, "casework.view")
    entries = list(sel.on_call_entries_for_user(request.user)[:200])
    visible = sel.visible_participant_ids(request.user, [e.participant_id for e in entries])
    return [_on_call_out(e, visible) for e in entries]


@router.post("on-call", response={201: OnCallOut}, summary="Log an after-hours call")
def log_on_call(request, payload: OnCallIn):
    _require(request, "casework.record_incidents")
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
