"""API (v1) of partners: the registry, agreements (without their documents' bytes), the contact log, and the
significant-change notices as each reader may see them (E1–E3). Same permissions and selectors as the pages."""

from __future__ import annotations

import datetime

from django.conf import settings
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from ancrage.core import audit
from ancrage.core.api_types import Date, Id, MappedPage, Pagination, Text, errors, text_field
from ancrage.core.permissions import check_permission
from ancrage.organisations.models import Organisation
from ancrage.partners import selectors, services
from ancrage.partners.models import (
    Partner,
    PartnerAgreement,
    PartnerContact,
    PartnerContactLog,
    SignificantChangeNotice,
)

router = Router(tags=["partners"])


class ContactPersonOut(Schema):
    id: int
    name: str
    role: str
    phone: str
    email: str
    language: str
    receives_notices: bool


class AgreementOut(Schema):
    id: int
    title: str
    kind: str
    kind_label: str
    signed_on: datetime.date
    renewal_on: datetime.date | None
    ended_on: datetime.date | None
    renewal_due: bool
    has_document: bool = Field(
        ..., description="The document is read on the page, after the permission check."
    )

    @staticmethod
    def of(a: PartnerAgreement, today: datetime.date) -> AgreementOut:
        return AgreementOut(
            id=a.pk,
            title=a.title,
            kind=a.kind,
            kind_label=str(a.get_kind_display()),
            signed_on=a.signed_on,
            renewal_on=a.renewal_on,
            ended_on=a.ended_on,
            renewal_due=a.is_due(today),
            has_document=bool(a.file),
        )


class PartnerOut(Schema):
    id: int
    name: str
    kind: str
    kind_label: str
    language: str
    address: str
    website: str
    organisation_id: int | None
    contact_every_days: int
    last_contact_on: datetime.date | None
    is_active: bool

    @staticmethod
    def of(p: Partner) -> PartnerOut:
        return PartnerOut(
            id=p.pk,
            name=p.name,
            kind=p.kind,
            kind_label=str(p.get_kind_display()),
            language=p.language,
            address=p.address,
            website=p.website,
            organisation_id=p.organisation_id,
            contact_every_days=p.cadence_days,
            last_contact_on=getattr(p, "last_contact_on", None),
            is_active=p.is_active,
        )


class PartnerDetailOut(PartnerOut):
    notes: str
    contacts: list[ContactPersonOut]
    agreements: list[AgreementOut]
    police_links_count: int = Field(
        ..., description="Current risk plans linked (a police unit), named nowhere."
    )


class PartnerIn(Schema):
    name: Text = text_field(Partner, "name")
    kind: Text = text_field(Partner, "kind")
    language: Text = Field(settings.LANGUAGE_CODE, max_length=10)
    address: Text = text_field(Partner, "address", "")
    website: Text = text_field(Partner, "website", "")
    organisation_id: Id | None = None
    contact_every_days: int | None = Field(None, ge=1, le=366)
    notes: Text = text_field(Partner, "notes", "")


class ContactLogOut(Schema):
    id: int
    on: datetime.date
    channel: str
    purpose: str
    summary: str
    by_id: int

    @staticmethod
    def of(log: PartnerContactLog) -> ContactLogOut:
        return ContactLogOut(
            id=log.pk,
            on=log.on,
            channel=log.channel,
            purpose=log.purpose,
            summary=log.summary,
            by_id=log.by_id,
        )


class ContactLogIn(Schema):
    on: Date
    channel: Text = text_field(PartnerContactLog, "channel")
    purpose: Text = text_field(PartnerContactLog, "purpose")
    summary: Text = text_field(PartnerContactLog, "summary")


class AgreementIn(Schema):
    title: Text = text_field(PartnerAgreement, "title")
    kind: Text = text_field(PartnerAgreement, "kind")
    signed_on: Date
    renewal_on: Date | None = None


class NoticeOut(Schema):
    id: int
    participant_id: int
    kind: str
    kind_label: str
    happened_on: datetime.date
    partner_id: int
    partner_name: str
    why: str
    channel: str
    status: str
    status_label: str
    consent_id: int | None
    failure_reason: str
    created_at: datetime.datetime
    sent_at: datetime.datetime | None

    @staticmethod
    def of(n: SignificantChangeNotice) -> NoticeOut:
        return NoticeOut(
            id=n.pk,
            participant_id=n.participant_id,
            kind=n.kind,
            kind_label=str(n.get_kind_display()),
            happened_on=n.happened_on,
            partner_id=n.partner_id,
            partner_name=n.partner.name,
            why=n.why,
            channel=n.channel,
            status=n.status,
            status_label=str(n.get_status_display()),
            consent_id=n.consent_id,
            failure_reason=n.failure_reason,
            created_at=n.created_at,
            sent_at=n.sent_at,
        )


def _detail(user, partner: Partner) -> PartnerDetailOut:
    from ancrage.core import clock

    today = clock.today()
    count, _shown = selectors.police_links_for(user, partner)
    base = PartnerOut.of(partner).model_dump()
    return PartnerDetailOut(
        **base,
        notes=partner.notes,
        contacts=[
            ContactPersonOut(
                id=c.pk,
                name=c.name,
                role=c.role,
                phone=c.phone,
                email=c.email,
                language=c.language,
                receives_notices=c.receives_notices,
            )
            for c in PartnerContact.objects.filter(partner=partner).order_by("name", "id")
        ],
        agreements=[AgreementOut.of(a, today) for a in partner.agreements.order_by("renewal_on", "id")],
        police_links_count=count,
    )


@router.get(
    "partners", response={200: list[PartnerOut], **errors(401, 403, 422)}, summary="The registry of partners"
)
@paginate(Pagination, page_size=25)
def list_partners(request, q: str = "", kind: str = ""):
    check_permission(request.user, "partners.view")
    return MappedPage(selectors.partners_for_user(request.user, q=q[:200], kind=kind[:30]), PartnerOut.of)


@router.post("partners", response={201: PartnerDetailOut, **errors()}, summary="Add a partner (E1)")
def create_partner(request, payload: PartnerIn):
    check_permission(request.user, "partners.manage")
    organisation = None
    if payload.organisation_id is not None:
        organisation = Organisation.objects.filter(pk=payload.organisation_id).first()
        if organisation is None:
            from django.core.exceptions import ValidationError
            from django.utils.translation import gettext as _

            raise ValidationError({"organisation_id": [_("This organisation is not of your consortium.")]})
    partner = services.partner_create(
        actor=request.user,
        name=payload.name,
        kind=payload.kind,
        language=payload.language,
        address=payload.address,
        website=payload.website,
        organisation=organisation,
        contact_every_days=payload.contact_every_days,
        notes=payload.notes,
    )
    return Status(201, _detail(request.user, partner))


@router.get("partners/{partner_pk}", response={200: PartnerDetailOut, **errors()}, summary="A partner")
def get_partner(request, partner_pk: int):
    check_permission(request.user, "partners.view")
    return _detail(request.user, selectors.partner_get_for_user(request.user, partner_pk))


@router.post(
    "partners/{partner_pk}/agreements",
    response={201: AgreementOut, **errors()},
    summary="Record an agreement (its document is uploaded on the page)",
)
def create_partner_agreement(request, partner_pk: int, payload: AgreementIn):
    check_permission(request.user, "partners.manage")
    from ancrage.core import clock

    partner = selectors.partner_get_for_user(request.user, partner_pk)
    agreement = services.agreement_add(
        actor=request.user,
        partner=partner,
        title=payload.title,
        kind=payload.kind,
        signed_on=payload.signed_on,
        renewal_on=payload.renewal_on,
    )
    return Status(201, AgreementOut.of(agreement, clock.today()))


@router.get(
    "partners/{partner_pk}/contact-log",
    response={200: list[ContactLogOut], **errors()},
    summary="The contacts with a partner (E2)",
)
@paginate(Pagination, page_size=25)
def list_partner_contact_log(request, partner_pk: int):
    check_permission(request.user, "partners.view")
    partner = selectors.partner_get_for_user(request.user, partner_pk)
    return MappedPage(partner.contact_logs.order_by("-on", "-id"), ContactLogOut.of)


@router.post(
    "partners/{partner_pk}/contact-log",
    response={201: ContactLogOut, **errors()},
    summary="Log a contact with a partner (E2)",
)
def log_partner_contact(request, partner_pk: int, payload: ContactLogIn):
    check_permission(request.user, "partners.manage")
    partner = selectors.partner_get_for_user(request.user, partner_pk)
    log = services.contact_log_record(
        actor=request.user,
        partner=partner,
        on=payload.on,
        channel=payload.channel,
        purpose=payload.purpose,
        summary=payload.summary,
    )
    return Status(201, ContactLogOut.of(log))


@router.get(
    "partner-notices",
    response={200: list[NoticeOut], **errors(401, 403, 422)},
    summary="Significant-change notices the reader may see (received, or about their organisation's people)",
)
@paginate(Pagination, page_size=25)
def list_partner_notices(request):
    check_permission(request.user, "people.view_participants")
    return audit.PageReads(
        selectors.notices_for_user(request.user),
        actor=request.user,
        action="partners.notice.viewed",
        fn=NoticeOut.of,
    )
