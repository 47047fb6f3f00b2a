"""API v1 for participants and consents: the same selectors and services as the pages."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from ancrage.core.permissions import check_record_permission
from ancrage.organisations.models import Organisation
from ancrage.people import selectors, services
from ancrage.people.duplicates import Probe, find_matches
from ancrage.people.models import Consent, Participant

router = Router(tags=["participants"])


def _require(request, perm: str) -> None:
    if not request.user.has_ancrage_perm(perm):
        raise PermissionDenied


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


class AliasOut(Schema):
    name: str


class IdentifierOut(Schema):
    kind: str
    value: str
    issuer: str


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
    organisation_id: int
    legal_first_name: str = Field(..., min_length=1, max_length=100)
    legal_last_name: str = Field(..., min_length=1, max_length=100)
    preferred_name: str = Field("", max_length=100)
    date_of_birth: datetime.date | None = None
    dob_quality: str = "not_collected"
    gender: str = "not_collected"
    communication_language: str = "fr-ca"
    aliases: list[str] = []
    confirm_new: bool = Field(False, description="Create even though probable matches exist.")


class MatchOut(Schema):
    id: int
    community_id: str
    display_name: str
    score: int
    reasons: list[str]


class ConsentIn(Schema):
    organisations: list[int]
    categories: list[str]
    purpose: str
    starts_on: datetime.date
    expires_on: datetime.date | None = None
    method: str
    witness_name: str = ""


class RevokeIn(Schema):
    reason: str = ""


@router.get("participants", response=list[ParticipantOut], summary="Search participants")
@paginate(PageNumberPagination, page_size=25)
def list_participants(request, q: str = ""):
    _require(request, "people.view_participants")
    return selectors.participant_search(request.user, q)


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
        "aliases": [{"name": a.name} for a in p.aliases.all()],
        "identifiers": [{"kind": i.kind, "value": i.value, "issuer": i.issuer} for i in p.identifiers.all()],
        "merged_into_id": p.merged_into_id,
    }


@router.get("participants/{pk}", response=ParticipantDetailOut, summary="One participant")
def get_participant(request, pk: int):
    return _detail(selectors.participant_get_for_user(request.user, pk))


@router.post(
    "participants",
    response={201: ParticipantDetailOut, 409: dict},
    summary="Create a participant (probable matches are returned first, with 409)",
)
def create_participant(request, payload: ParticipantIn):
    _require(request, "people.add_participant")
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
                        MatchOut(
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


@router.get("participants/{pk}/consents", response=list[ConsentOut], summary="A participant's consents")
def list_consents(request, pk: int):
    access = selectors.participant_get_for_user(request.user, pk)
    return [ConsentOut.from_consent(c) for c in selectors.consents_for(access)]


@router.post("participants/{pk}/consents", response={201: ConsentOut}, summary="Record a consent")
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
    "participants/{pk}/consents/{consent_pk}/revoke", response=ConsentOut, summary="Revoke a consent"
)
def revoke_consent(request, pk: int, consent_pk: int, payload: RevokeIn):
    check_record_permission(request.user, "people.manage_consents")
    access, consent = selectors.consent_get_for_user(request.user, pk, consent_pk)
    if not access.is_home_organisation:
        raise Http404
    consent = services.consent_revoke(actor=request.user, consent=consent, reason=payload.reason)
    return ConsentOut.from_consent(consent)
