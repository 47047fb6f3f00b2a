"""API (v1) of the directory of services and referrals out (B7)."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import ModelSchema, Router, Schema, Status

from ancrage.casework.models import ReferralAttempt, ServiceProvider, ServiceReferral
from ancrage.casework.referrals import selectors as referrals_selectors
from ancrage.casework.referrals import services as referrals_services
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
from ancrage.people.models import ConsentCategory

if TYPE_CHECKING:
    CategoryCode = str
else:
    CategoryCode = bounded_text(ConsentCategory, "category")


router = Router(tags=["casework"])


def _referral_out(participant, referral_pk: int) -> ServiceReferralOut:
    referral = referrals_selectors.referral_for_participant(participant, referral_pk)
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


@router.get(
    "providers",
    response={200: list[ProviderOut], **errors(401, 403, 422)},
    summary="The directory of external services",
    operation_id="ancrage_casework_api_referrals_list_providers",
)
def list_providers(request, q: Search = "", kind: Search = ""):
    check_permission(request.user, "casework.view")
    return list(referrals_selectors.providers_for_user(request.user, q=q, kind=kind)[:500])


@router.get(
    "participants/{pk}/referrals",
    response={200: list[ServiceReferralOut], **errors()},
    summary="A participant's referrals to services, with every step",
    operation_id="ancrage_casework_api_referrals_list_service_referrals",
)
def list_service_referrals(request, pk: int):
    check_record_permission(request.user, "casework.view")
    access = participant_for_casework(request.user, pk, category=Category.CASE_NOTES)
    return [
        ServiceReferralOut.of(r) for r in referrals_selectors.referrals_for_participant(access.participant)
    ]


@router.post(
    "participants/{pk}/referrals",
    response={201: ServiceReferralOut, **errors()},
    summary="Refer a participant to a service",
    operation_id="ancrage_casework_api_referrals_create_service_referral",
)
def create_service_referral(request, pk: int, payload: ServiceReferralIn):
    check_record_permission(request.user, "casework.record")
    access = participant_for_casework_write(request.user, pk, category=Category.CASE_NOTES)
    provider = referrals_selectors.provider_for_user(request.user, payload.provider_id)
    if provider is None:
        raise ValidationError({"provider_id": [_("Choose an active service from the directory.")]})
    referral = referrals_services.referral_create(
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
    operation_id="ancrage_casework_api_referrals_step_service_referral",
)
def step_service_referral(request, referral_pk: int, payload: ReferralStepIn):
    check_record_permission(request.user, "casework.record")
    participant_id = (
        ServiceReferral.objects.filter(pk=referral_pk).values_list("participant_id", flat=True).first()
    )
    if participant_id is None:
        raise Http404
    access = participant_for_casework_write(request.user, participant_id, category=Category.CASE_NOTES)
    referral = referrals_selectors.referral_for_participant(access.participant, referral_pk)
    if referral is None:
        raise Http404
    referrals_services.referral_step(
        actor=request.user,
        referral=referral,
        status=payload.status,
        on=payload.on,
        note=payload.note,
        appointment_at=payload.appointment_at,
    )
    return Status(201, _referral_out(access.participant, referral_pk))
