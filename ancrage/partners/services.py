"""Writes of partners: the registry (E1), the contact log (E2), police links, and significant-change notices
(E3): who is told, under which consent, by which channel, and why someone was not."""

from __future__ import annotations

import datetime
import logging
from functools import partial
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ancrage.accounts.models import User
from ancrage.core import alerts, audit, clock
from ancrage.core.involvement import involved
from ancrage.partners.jobs import consent_for_notice
from ancrage.partners.models import (
    Partner,
    PartnerAgreement,
    PartnerContact,
    PartnerContactLog,
    PartnerKind,
    PoliceLink,
    SignificantChangeNotice,
)
from ancrage.people.models import Participant
from ancrage.people.services import _check_upload

logger = logging.getLogger(__name__)

EARLIEST = datetime.date(1990, 1, 1)
LONGEST_AHEAD = datetime.timedelta(days=366 * 20)


def _consortium_id(actor: User) -> int:
    membership = actor.primary_membership
    if membership is None:
        raise ValidationError({"__all__": [_("Your account belongs to no organisation.")]})
    return membership.organisation.consortium_id


def _bounded(errors: dict, field: str, value: datetime.date | None, *, future: bool) -> None:
    if value is None:
        return
    if value < EARLIEST:
        errors.setdefault(field, []).append(_("This date is too far in the past."))
    elif not future and value > clock.today():
        errors.setdefault(field, []).append(_("This date cannot be in the future."))
    elif value > clock.today() + LONGEST_AHEAD:
        errors.setdefault(field, []).append(_("This date is too far in the future."))


# --- the registry (E1) --------------------------------------------------------------------------------------

PARTNER_FIELDS = [
    "name",
    "kind",
    "language",
    "address",
    "website",
    "organisation",
    "service_provider",
    "contact_every_days",
    "notes",
    "is_active",
]


def _check_partner(consortium_id: int, values: dict[str, Any], partner: Partner | None = None) -> None:
    errors: dict[str, list[str]] = {}
    name = (values.get("name") or "").strip()
    if not name:
        errors["name"] = [_("Give the partner's name.")]
    elif (
        Partner.objects.filter(consortium_id=consortium_id, name__iexact=name)
        .exclude(pk=partner.pk if partner else 0)
        .exists()
    ):
        errors["name"] = [_("A partner of this name is already in the registry.")]
    if values.get("kind") not in PartnerKind.values:
        errors["kind"] = [_("Choose the kind of partner.")]
    if values.get("language") not in dict(settings.LANGUAGES):
        errors["language"] = [_("Choose a language.")]
    org = values.get("organisation")
    if org is not None and org.consortium_id != consortium_id:
        errors["organisation"] = [_("This organisation is not of your consortium.")]
    elif (
        org is not None
        and Partner.objects.filter(organisation=org).exclude(pk=partner.pk if partner else 0).exists()
    ):
        errors["organisation"] = [_("Another partner is already this organisation.")]
    provider = values.get("service_provider")
    if provider is not None and provider.consortium_id != consortium_id:
        errors["service_provider"] = [_("This service is not in your consortium's directory.")]
    elif (
        provider is not None
        and Partner.objects.filter(service_provider=provider)
        .exclude(pk=partner.pk if partner else 0)
        .exists()
    ):
        errors["service_provider"] = [_("Another partner is already this service.")]
    days = values.get("contact_every_days")
    if days is not None and not 1 <= days <= 366:
        errors["contact_every_days"] = [_("Give a number of days between 1 and 366.")]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def partner_create(*, actor: User, **values: Any) -> Partner:
    consortium_id = _consortium_id(actor)
    values = {k: values.get(k) for k in PARTNER_FIELDS if k in values}
    values.setdefault("language", settings.LANGUAGE_CODE)
    _check_partner(consortium_id, values)
    for text in ("name", "address", "website", "notes"):
        values[text] = (values.get(text) or "").strip()
    partner = Partner.objects.create(consortium_id=consortium_id, **values)
    audit.record(
        actor=actor,
        action="partners.partner.created",
        obj=partner,
        data={"name": partner.name, "kind": partner.kind},
    )
    return partner


@transaction.atomic
def partner_update(*, actor: User, partner: Partner, **values: Any) -> Partner:
    partner = Partner.objects.select_for_update().get(pk=partner.pk, consortium_id=_consortium_id(actor))
    before = audit.snapshot(partner, PARTNER_FIELDS)
    merged = {k: values.get(k, getattr(partner, k)) for k in PARTNER_FIELDS}
    _check_partner(partner.consortium_id, merged, partner)
    for key, value in merged.items():
        setattr(partner, key, value.strip() if isinstance(value, str) else value)
    partner.save(update_fields=PARTNER_FIELDS)
    changes = audit.changes(before, audit.snapshot(partner, PARTNER_FIELDS))
    audit.record(actor=actor, action="partners.partner.updated", obj=partner, data={"changes": changes})
    return partner


@transaction.atomic
def partner_contact_add(
    *,
    actor: User,
    partner: Partner,
    name: str,
    role: str = "",
    phone: str = "",
    email: str = "",
    language: str = "",
    receives_notices: bool = False,
) -> PartnerContact:
    errors: dict[str, list[str]] = {}
    if not (name or "").strip():
        errors["name"] = [_("Give the person's name.")]
    language = language or partner.language
    if language not in dict(settings.LANGUAGES):
        errors["language"] = [_("Choose a language.")]
    if receives_notices and not (email or "").strip():
        errors["email"] = [_("Give an email address to send notices to.")]
    if errors:
        raise ValidationError(errors)
    contact = PartnerContact.objects.create(
        partner=partner,
        name=name.strip(),
        role=(role or "").strip(),
        phone=(phone or "").strip(),
        email=(email or "").strip(),
        language=language,
        receives_notices=bool(receives_notices),
    )
    audit.record(actor=actor, action="partners.contact.added", obj=contact, data={"partner": partner.pk})
    return contact


@transaction.atomic
def agreement_add(
    *,
    actor: User,
    partner: Partner,
    title: str,
    kind: str,
    signed_on: datetime.date,
    renewal_on: datetime.date | None = None,
    ended_on: datetime.date | None = None,
    upload=None,
) -> PartnerAgreement:
    errors: dict[str, list[str]] = {}
    if not (title or "").strip():
        errors["title"] = [_("Give the agreement a title.")]
    if kind not in PartnerAgreement.Kind.values:
        errors["kind"] = [_("Choose the kind of agreement.")]
    if signed_on is None:
        errors["signed_on"] = [_("Say when it was signed.")]
    else:
        _bounded(errors, "signed_on", signed_on, future=False)
        if renewal_on is not None and renewal_on <= signed_on:
            errors.setdefault("renewal_on", []).append(_("The renewal date must come after the signature."))
        if ended_on is not None and ended_on < signed_on:
            errors.setdefault("ended_on", []).append(_("An agreement cannot end before it is signed."))
    _bounded(errors, "renewal_on", renewal_on, future=True)
    _bounded(errors, "ended_on", ended_on, future=False)
    if upload is not None:
        try:
            mime, extension = _check_upload(upload)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    agreement = PartnerAgreement(
        partner=partner,
        title=title.strip(),
        kind=kind,
        signed_on=signed_on,
        renewal_on=renewal_on,
        ended_on=ended_on,
        created_by=actor,
    )
    if upload is not None:
        agreement.original_name = upload.name[:255]
        agreement.content_type = mime
        agreement.size = upload.size
        # Stored under the extension of its real type: a PNG named .html must not become a page if served.
        agreement.file.save(f"agreement.{extension}", upload, save=False)
    agreement.save()
    audit.record(
        actor=actor,
        action="partners.agreement.added",
        obj=agreement,
        data={
            "partner": partner.pk,
            "kind": kind,
            "renewal_on": renewal_on.isoformat() if renewal_on else None,
        },
    )
    return agreement


@transaction.atomic
def agreement_end(*, actor: User, agreement: PartnerAgreement, on: datetime.date) -> PartnerAgreement:
    agreement = PartnerAgreement.objects.select_for_update().get(pk=agreement.pk)
    errors: dict[str, list[str]] = {}
    if agreement.ended_on is not None:
        errors["__all__"] = [_("This agreement has already ended.")]
    elif on < agreement.signed_on:
        errors["on"] = [_("An agreement cannot end before it is signed.")]
    _bounded(errors, "on", on, future=False)
    if errors:
        raise ValidationError(errors)
    agreement.ended_on = on
    agreement.save(update_fields=["ended_on", "updated_at"])
    alerts.resolve(kind="partners.agreement.renewal_due", obj=agreement)
    audit.record(actor=actor, action="partners.agreement.ended", obj=agreement, data={"on": on.isoformat()})
    return agreement


# --- the contact log (E2) -----------------------------------------------------------------------------------


@transaction.atomic
def contact_log_record(
    *, actor: User, partner: Partner, on: datetime.date, channel: str, purpose: str, summary: str
) -> PartnerContactLog:
    errors: dict[str, list[str]] = {}
    if on is None:
        errors["on"] = [_("Say when the contact took place.")]
    elif on > clock.today():
        errors["on"] = [_("A contact cannot be logged in the future.")]
    elif on < clock.today() - datetime.timedelta(days=settings.ANCRAGE["CONTACT_BACKDATE_DAYS"]):
        errors["on"] = [_("This date is too far in the past.")]
    if channel not in PartnerContactLog.Channel.values:
        errors["channel"] = [_("Choose how the contact took place.")]
    if purpose not in PartnerContactLog.Purpose.values:
        errors["purpose"] = [_("Choose the purpose of the contact.")]
    if not (summary or "").strip():
        errors["summary"] = [_("Summarise the contact.")]
    if errors:
        raise ValidationError(errors)
    log = PartnerContactLog.objects.create(
        partner=partner, on=on, channel=channel, purpose=purpose, summary=summary.strip(), by=actor
    )
    audit.record(
        actor=actor,
        action="partners.contact_log.recorded",
        obj=log,
        data={"partner": partner.pk, "on": on.isoformat(), "channel": channel, "purpose": purpose},
    )
    return log


# --- police units and risk plans (E1, B8) -----------------------------------------------------------------


def risk_plan_model():
    """casework's risk plan, by model reference: partners and casework are independent layers."""
    return apps.get_model("casework", "RiskAssessment")


@transaction.atomic
def police_link_set(*, actor: User, partner: Partner, risk_plan) -> PoliceLink:
    errors: dict[str, list[str]] = {}
    if partner.kind != PartnerKind.POLICE:
        errors["partner"] = [_("Only a police unit can be linked to a risk plan.")]
    if risk_plan.ended_on is not None:
        errors["risk_plan"] = [_("This risk plan has ended.")]
    elif not risk_plan.notify_team_on_police:
        errors["risk_plan"] = [_("This risk plan does not ask for police notices.")]
    if errors:
        raise ValidationError(errors)
    link, _created = PoliceLink.objects.update_or_create(
        risk_plan=risk_plan, defaults={"partner": partner, "linked_by": actor, "linked_at": clock.now()}
    )
    audit.record(
        actor=actor,
        action="partners.police_link.set",
        obj=link,
        participant=risk_plan.participant,
        data={"partner": partner.pk, "risk_plan": risk_plan.pk},
    )
    return link


@transaction.atomic
def police_link_remove(*, actor: User, link: PoliceLink) -> None:
    participant = link.risk_plan.participant
    data = {"partner": link.partner_id, "risk_plan": link.risk_plan_id}
    link.delete()
    audit.record(actor=actor, action="partners.police_link.removed", participant=participant, data=data)


# --- significant-change notices (E3) ------------------------------------------------------------------------


def _partners_involved(participant: Participant, on: datetime.date) -> dict[int, tuple[Partner, str]]:
    entries = involved(participant, on)
    org_ids = {e.organisation_id for e in entries if e.organisation_id}
    provider_ids = {e.service_provider_id for e in entries if e.service_provider_id}
    partner_ids = {e.partner_id for e in entries if e.partner_id}
    if not (org_ids or provider_ids or partner_ids):
        return {}
    from django.db.models import Q

    partners = Partner.objects.filter(is_active=True).filter(
        Q(organisation_id__in=org_ids) | Q(service_provider_id__in=provider_ids) | Q(pk__in=partner_ids)
    )
    found: dict[int, tuple[Partner, str]] = {}
    for partner in partners.select_related("organisation"):
        whys = [
            e.why
            for e in entries
            if (e.organisation_id and e.organisation_id == partner.organisation_id)
            or (e.service_provider_id and e.service_provider_id == partner.service_provider_id)
            or e.partner_id == partner.pk
        ]
        found[partner.pk] = (partner, "; ".join(dict.fromkeys(whys))[:300])
    return found


@transaction.atomic
def notices_for_change(
    *, participant_id: int, kind: str, happened_on: datetime.date, actor_id: int | None = None
) -> list[SignificantChangeNotice]:
    """Tell every partner involved with the participant of a significant change, under consent (E3): an in-app
    notice for the partner's organisation and an email to its contacts who receive notices (queued); a partner
    without consent, or without an organisation a consent could name, gets a notice row saying why not."""
    participant = Participant.objects.get(pk=participant_id)
    today = clock.today()
    made: list[SignificantChangeNotice] = []
    for partner, why in _partners_involved(participant, today).values():
        if partner.organisation_id == participant.organisation_id:
            continue  # the home organisation already knows
        if SignificantChangeNotice.objects.filter(
            participant=participant, kind=kind, happened_on=happened_on, partner=partner
        ).exists():
            continue  # the same change told twice (a signal sent again) is one notice
        base = {
            "participant": participant,
            "kind": kind,
            "happened_on": happened_on,
            "partner": partner,
            "why": why,
        }
        if partner.organisation_id is None:
            made.append(
                SignificantChangeNotice.objects.create(
                    **base,
                    channel=SignificantChangeNotice.Channel.NONE,
                    status=SignificantChangeNotice.Status.NO_ORGANISATION,
                )
            )
            continue
        assert partner.organisation is not None
        consent = consent_for_notice(participant, partner.organisation, kind, today)
        if consent is None:
            made.append(
                SignificantChangeNotice.objects.create(
                    **base,
                    channel=SignificantChangeNotice.Channel.NONE,
                    status=SignificantChangeNotice.Status.NO_CONSENT,
                )
            )
            continue
        now = clock.now()
        made.append(
            SignificantChangeNotice.objects.create(
                **base,
                consent=consent,
                channel=SignificantChangeNotice.Channel.IN_APP,
                status=SignificantChangeNotice.Status.SENT,
                sent_at=now,
            )
        )
        for contact in partner.contacts.filter(receives_notices=True).exclude(email="").order_by("pk"):
            notice = SignificantChangeNotice.objects.create(
                **base,
                consent=consent,
                channel=SignificantChangeNotice.Channel.EMAIL,
                recipient=contact,
                status=SignificantChangeNotice.Status.PENDING,
            )
            made.append(notice)
            transaction.on_commit(partial(_enqueue_email, notice.pk))
    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    for notice in made:
        sent = notice.status in (SignificantChangeNotice.Status.SENT, SignificantChangeNotice.Status.PENDING)
        audit.record(
            actor=actor,
            action="partners.notice.sent" if sent else "partners.notice.skipped",
            obj=notice,
            participant=participant,
            organisation=participant.organisation,
            data={
                "partner": notice.partner_id,
                "kind": kind,
                "channel": notice.channel,
                "status": notice.status,
            },
        )
    return made


def _enqueue_email(notice_id: int) -> None:
    from ancrage.partners.tasks import send_notice_email

    send_notice_email.enqueue(notice_id)
