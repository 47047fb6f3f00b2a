"""API v1 for participants and consents: the same selectors and services as the pages."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, ModelSchema, Router, Schema, Status
from ninja.pagination import paginate

from ancrage.core import audit
from ancrage.core.api_types import (
    BirthDate,
    Date,
    Id,
    Pagination,
    Text,
    bounded_text,
    errors,
    list_field,
    search_query,
    text_field,
)
from ancrage.core.permissions import check_permission, check_record_permission
from ancrage.organisations.models import Organisation
from ancrage.people import selectors, services
from ancrage.people.duplicates import Probe, find_matches
from ancrage.people.models import Alias, Consent, ConsentCategory, Identifier, Participant

router = Router(tags=["participants"])


# Text bounded by its column, as a type the schemas use; the type checker sees the plain str it is.
if TYPE_CHECKING:
    AliasName = str
    CategoryCode = str
else:
    AliasName = bounded_text(Alias, "name")
    CategoryCode = bounded_text(ConsentCategory, "category")


class ParticipantOut(Schema):
    id: int
    community_id: str
    display_name: str
    legal_first_name: str
    legal_last_name: str
    preferred_name: str
    organisation_id: int
    organisation_name: str

    @staticmethod
    def resolve_organisation_name(obj) -> str:
        if isinstance(obj, dict):
            return obj["organisation_name"]
        return obj.organisation.name


class AliasOut(ModelSchema):
    class Meta:
        model = Alias
        fields = ["name"]


class IdentifierOut(ModelSchema):
    class Meta:
        model = Identifier
        fields = ["kind", "value", "issuer"]


class ConsentOut(Schema):
    id: int
    organisations: list[int]
    categories: list[str]
    purpose: str
    starts_on: datetime.date
    expires_on: datetime.date
    method: str
    witness_name: str
    status: str
    revoked_at: datetime.datetime | None

    @staticmethod
    def from_consent(c: Consent) -> ConsentOut:
        return ConsentOut(
            id=c.pk,
            organisations=sorted(o.pk for o in c.organisations.all()),
            categories=sorted(c.category_codes),
            purpose=c.purpose,
            starts_on=c.starts_on,
            expires_on=c.expires_on,
            method=c.method,
            witness_name=c.witness_name,
            status=c.status(),
            revoked_at=c.revoked_at,
        )


class ParticipantDetailOut(ParticipantOut):
    date_of_birth: datetime.date | None
    dob_quality: str
    gender: str
    communication_language: str
    categories_visible: list[str]
    aliases: list[AliasOut]
    identifiers: list[IdentifierOut]
    merged_into_id: int | None


class ParticipantIn(Schema):
    organisation_id: Id
    legal_first_name: Text = text_field(Participant, "legal_first_name", min_length=1)
    legal_last_name: Text = text_field(Participant, "legal_last_name", min_length=1)
    preferred_name: Text = text_field(Participant, "preferred_name", "")
    date_of_birth: BirthDate | None = None
    dob_quality: Text = text_field(Participant, "dob_quality", "not_collected")
    gender: Text = text_field(Participant, "gender", "not_collected")
    communication_language: Text = text_field(Participant, "communication_language", "fr-ca")
    aliases: list[AliasName] = list_field()
    confirm_new: bool = Field(False, description="Create even though probable matches exist.")


class ProbableMatchOut(Schema):
    id: int
    community_id: str
    display_name: str
    score: int
    reasons: list[str]


class ProbableMatchesOut(Schema):
    detail: str
    matches: list[ProbableMatchOut]


class ConsentIn(Schema):
    organisations: list[Id] = list_field()
    categories: list[CategoryCode] = list_field()
    purpose: Text = text_field(Consent, "purpose")
    starts_on: Date
    expires_on: Date | None = None
    method: Text = text_field(Consent, "method")
    witness_name: Text = text_field(Consent, "witness_name", "")


class RevokeIn(Schema):
    reason: Text = text_field(Consent, "revocation_reason", "")


@router.get(
    "participants",
    response={200: list[ParticipantOut], **errors(401, 403, 422)},
    summary="Search participants",
)
@paginate(Pagination, page_size=25)
def list_participants(request, q: str = search_query()):
    check_permission(request.user, "people.view_participants")
    return audit.PageReads(
        selectors.participant_search(request.user, q),
        actor=request.user,
        action="people.participant.listed",
        participant_id=lambda p: p.pk,
    )


def _detail(access) -> dict:
    p = access.participant
    return {
        "id": p.pk,
        "community_id": p.community_id,
        "display_name": p.display_name,
        "legal_first_name": p.legal_first_name,
        "legal_last_name": p.legal_last_name,
        "preferred_name": p.preferred_name,
        "organisation_id": p.organisation_id,
        "organisation_name": p.organisation.name,
        "date_of_birth": p.date_of_birth,
        "dob_quality": p.dob_quality,
        "gender": p.gender,
        "communication_language": p.communication_language,
        "categories_visible": sorted(access.categories),
        "aliases": list(p.aliases.all()),
        "identifiers": list(p.identifiers.all()),
        "merged_into_id": p.merged_into_id,
    }


@router.get(
    "participants/{pk}",
    response={200: ParticipantDetailOut, **errors(401, 404, 422)},
    summary="One participant",
)
def get_participant(request, pk: int):
    return _detail(selectors.participant_get_for_user(request.user, pk))


@router.post(
    "participants",
    response={201: ParticipantDetailOut, 409: ProbableMatchesOut, **errors()},
    summary="Create a participant (probable matches are returned first, with 409)",
)
def create_participant(request, payload: ParticipantIn):
    check_permission(request.user, "people.add_participant")
    if payload.organisation_id not in request.user.organisation_ids:
        raise Http404
    organisation = Organisation.objects.get(pk=payload.organisation_id)
    if not payload.confirm_new:
        probe = Probe(
            first_name=payload.legal_first_name,
            last_name=payload.legal_last_name,
            preferred_name=payload.preferred_name,
            date_of_birth=payload.date_of_birth,
            aliases=payload.aliases,
        )
        matches = find_matches(probe, selectors.participants_visible_to(request.user))
        if matches:
            return Status(
                409,
                {
                    "detail": _(
                        "Probable existing files found. Check them, or send confirm_new to create anyway."
                    ),
                    "matches": [
                        ProbableMatchOut(
                            id=m.participant.pk,
                            community_id=m.participant.community_id,
                            display_name=m.participant.display_name,
                            score=m.score,
                            reasons=m.reasons,
                        ).dict()
                        for m in matches
                    ],
                },
            )
    values = payload.dict(exclude={"organisation_id", "aliases", "confirm_new"})
    _check_choices(values)
    participant = services.participant_create(
        actor=request.user, organisation=organisation, aliases=payload.aliases, **values
    )
    access = selectors.participant_get_for_user(request.user, participant.pk, log_read=False)
    return Status(201, _detail(access))


def _check_choices(values: dict) -> None:
    from django.core.exceptions import ValidationError

    from ancrage.people.models import DobQuality, Gender

    errors = {}
    if values["dob_quality"] not in DobQuality.values:
        errors["dob_quality"] = [_("Unknown value.")]
    if values["gender"] not in Gender.values:
        errors["gender"] = [_("Unknown value.")]
    if values["communication_language"] not in {"fr-ca", "en"}:
        errors["communication_language"] = [_("Unknown value.")]
    if errors:
        raise ValidationError(errors)


@router.get(
    "participants/{pk}/consents",
    response={200: list[ConsentOut], **errors(401, 404, 422)},
    summary="A participant's consents",
)
def list_consents(request, pk: int):
    access = selectors.participant_get_for_user(request.user, pk)
    return [ConsentOut.from_consent(c) for c in selectors.consents_for(access)]


@router.post("participants/{pk}/consents", response={201: ConsentOut, **errors()}, summary="Record a consent")
def create_consent(request, pk: int, payload: ConsentIn):
    check_record_permission(request.user, "people.manage_consents")
    access = selectors.participant_get_for_user(request.user, pk)
    if not access.is_home_organisation:
        raise Http404
    p: Participant = access.participant
    organisations = list(
        Organisation.objects.filter(consortium=p.organisation.consortium, pk__in=payload.organisations)
    )
    if len(organisations) != len(set(payload.organisations)):
        from django.core.exceptions import ValidationError

        raise ValidationError({"organisations": [_("Unknown organisation.")]})
    if payload.method not in Consent.Method.values:
        from django.core.exceptions import ValidationError

        raise ValidationError({"method": [_("Unknown value.")]})
    consent = services.consent_record(
        actor=request.user,
        participant=p,
        organisations=organisations,
        categories=payload.categories,
        purpose=payload.purpose,
        starts_on=payload.starts_on,
        expires_on=payload.expires_on,
        method=payload.method,
        witness_name=payload.witness_name,
    )
    return Status(201, ConsentOut.from_consent(consent))


@router.post(
    "participants/{pk}/consents/{consent_pk}/revoke",
    response={200: ConsentOut, **errors()},
    summary="Revoke a consent",
)
def revoke_consent(request, pk: int, consent_pk: int, payload: RevokeIn):
    check_record_permission(request.user, "people.manage_consents")
    access, consent = selectors.consent_get_for_user(request.user, pk, consent_pk)
    if not access.is_home_organisation:
        raise Http404
    consent = services.consent_revoke(actor=request.user, consent=consent, reason=payload.reason)
    return ConsentOut.from_consent(consent)
