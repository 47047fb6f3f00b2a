"""Writes of the directory of services and referrals out (B7)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ancrage.accounts.models import User
from ancrage.casework.models import (
    ReferralAttempt,
    ServiceKind,
    ServiceProvider,
    ServiceReferral,
    ServiceReferralStatus,
)
from ancrage.casework.referrals.selectors import consent_for_sharing
from ancrage.casework.selectors import active_enrollment, writing_organisation_id
from ancrage.core import audit, clock
from ancrage.core.permissions import Category

if TYPE_CHECKING:
    from ancrage.organisations.models import Consortium
    from ancrage.people.models import Participant


S = ServiceReferralStatus

# The forward path of a referral (B7). Declined and no-show can be recorded at any point.
REFERRAL_FLOW = [S.PROPOSED, S.APPROVED, S.SENT, S.APPOINTMENT_SET, S.ACCOMPANIED, S.LINKED]
# Steps that send information or the participant to the provider: they need the participant's approval.
NEEDS_APPROVAL = {S.SENT, S.APPOINTMENT_SET, S.ACCOMPANIED, S.LINKED}

PROVIDER_FIELDS = (
    "name",
    "name_en",
    "kind",
    "address",
    "phone",
    "email",
    "website",
    "description",
    "description_en",
    "organisation",
    "is_active",
)


def _actor_organisation(actor):
    membership = actor.primary_membership if actor is not None else None
    return membership.organisation if membership else None


def _check_own_participant(actor, participant) -> int:
    """Only an organisation serving the participant (home, or that of a program where they are actively
    enrolled) records their casework (consent opens reading, never writing). Returns the organisation in whose
    name the actor records."""
    org_id = writing_organisation_id(actor, participant)
    if org_id is None:
        raise ValidationError({"participant": [_("You cannot record anything for this participant.")]})
    return org_id


# --- directory of external services -------------------------------------------------------------------


def _validate_provider(values: dict, consortium) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not str(values.get("name") or "").strip():
        errors["name"] = [_("Give the service's name.")]
    if values.get("kind") not in ServiceKind.values:
        errors["kind"] = [_("Choose the kind of service.")]
    organisation = values.get("organisation")
    if organisation is not None and organisation.consortium_id != consortium.pk:
        errors["organisation"] = [_("Choose a partner organisation of the consortium.")]
    return errors


@transaction.atomic
def provider_create(
    *,
    actor: User,
    consortium: Consortium,
    name: str,
    kind: str,
    name_en: str = "",
    address: str = "",
    phone: str = "",
    email: str = "",
    website: str = "",
    description: str = "",
    description_en: str = "",
    organisation=None,
) -> ServiceProvider:
    values = {
        "name": (name or "").strip(),
        "name_en": (name_en or "").strip(),
        "kind": kind,
        "address": address.strip(),
        "phone": phone.strip(),
        "email": email.strip(),
        "website": website.strip(),
        "description": description.strip(),
        "description_en": description_en.strip(),
        "organisation": organisation,
    }
    errors = _validate_provider(values, consortium)
    if errors:
        raise ValidationError(errors)
    provider = ServiceProvider.objects.create(consortium=consortium, **values)
    audit.record(
        actor=actor,
        action="casework.provider.created",
        obj=provider,
        data=audit.snapshot(provider, ["name", "kind", "organisation"]),
    )
    return provider


@transaction.atomic
def provider_update(*, actor: User, provider: ServiceProvider, **fields) -> ServiceProvider:
    unknown = set(fields) - set(PROVIDER_FIELDS)
    if unknown:
        raise TypeError(f"provider_update() got unexpected fields {sorted(unknown)}")
    provider = ServiceProvider.objects.select_for_update().get(pk=provider.pk)
    before = audit.snapshot(provider, list(PROVIDER_FIELDS))
    values = {f: getattr(provider, f) for f in PROVIDER_FIELDS}
    for key, value in fields.items():
        values[key] = value.strip() if isinstance(value, str) else value
    errors = _validate_provider(values, provider.consortium)
    if errors:
        raise ValidationError(errors)
    for key, value in values.items():
        setattr(provider, key, value)
    provider.save()
    diff = audit.changes(before, audit.snapshot(provider, list(PROVIDER_FIELDS)))
    if diff:
        audit.record(actor=actor, action="casework.provider.changed", obj=provider, data=diff)
    return provider


@transaction.atomic
def referral_create(
    *,
    actor: User,
    participant: Participant,
    provider: ServiceProvider | None,
    need: str,
    approved_on: datetime.date | None = None,
    shared_categories: Iterable[str] = (),
    exit=None,
) -> ServiceReferral:
    org_id = _check_own_participant(actor, participant)
    today = clock.today()
    shared = [c for c in Category.values if c in set(shared_categories)]
    errors: dict[str, list[str]] = {}
    if provider is None or not provider.is_active:
        errors["provider"] = [_("Choose an active service from the directory.")]
    elif provider.consortium_id != participant.organisation.consortium_id:
        errors["provider"] = [_("Choose a service from your consortium's directory.")]
    if not (need or "").strip():
        errors["need"] = [_("Say what the need is, as identified with the participant.")]
    if approved_on is not None and approved_on > today:
        errors["approved_on"] = [_("The participant's approval cannot be dated in the future.")]
    unknown = set(shared_categories) - set(Category.values)
    if unknown:
        errors["shared_categories"] = [_("Choose kinds of information from the list.")]
    consent = None
    if shared and provider is not None and "provider" not in errors and not unknown:
        if provider.organisation is None:
            errors["shared_categories"] = [
                _(
                    "This service is not a partner organisation: no consent can name it, so no information "
                    "can be shared with it. Refer without sharing, or give the information with the "
                    "participant."
                )
            ]
        else:
            consent = consent_for_sharing(participant, provider.organisation, shared)
            if consent is None:
                errors["shared_categories"] = [
                    _(
                        "No consent in force names %(organisation)s for this information: nothing can be "
                        "shared with it. Record the participant's consent first, or refer without sharing."
                    )
                    % {"organisation": provider.organisation.name}
                ]
    if errors or provider is None:
        raise ValidationError(errors)
    status = S.APPROVED if approved_on else S.PROPOSED
    referral = ServiceReferral.objects.create(
        participant=participant,
        organisation_id=org_id,
        enrollment=active_enrollment(participant),
        provider=provider,
        need=need.strip(),
        status=status,
        approved_on=approved_on,
        shared_categories=shared,
        consent=consent,
        exit=exit,
        created_by=actor,
    )
    ReferralAttempt.objects.create(referral=referral, status=status, on=approved_on or today, by=actor)
    audit.record(
        actor=actor,
        action="casework.referral.created",
        obj=referral,
        participant=participant,
        organisation=referral.organisation,
        data={
            "provider": provider.pk,
            "status": status,
            "shared_categories": shared,
            "consent": consent.pk if consent else None,
            "exit": exit.pk if exit is not None else None,
        },
    )
    return referral


@transaction.atomic
def referral_step(
    *,
    actor: User,
    referral: ServiceReferral,
    status: str,
    on: datetime.date | None = None,
    note: str = "",
    appointment_at: datetime.datetime | None = None,
) -> ReferralAttempt:
    """Record one step or linkage attempt of a referral; every one is kept. Forward along proposed → approved →
    sent → appointment set → accompanied → linked; declined and no-show at any point; after a decline or a
    no-show, any step again (a new attempt). Declining changes nothing else (B11)."""
    referral = ServiceReferral.objects.select_for_update().get(pk=referral.pk)
    _check_own_participant(actor, referral.participant)
    on = on or clock.today()
    errors: dict[str, list[str]] = {}
    if status not in S.values:
        errors["status"] = [_("Choose the referral's new status.")]
        raise ValidationError(errors)
    status = S(status)
    current = S(referral.status)
    if on > clock.today():
        errors["on"] = [_("A step cannot be dated in the future.")]
    else:
        began = referral.attempts.order_by("on").values_list("on", flat=True).first()
        if began is not None and on < began:
            errors["on"] = [_("A step cannot be dated before the referral began.")]
    if current == S.LINKED and status != S.LINKED:
        errors["status"] = [_("The participant is already linked with this service: make a new referral.")]
    elif (
        status in REFERRAL_FLOW
        and current in REFERRAL_FLOW
        and REFERRAL_FLOW.index(status) < REFERRAL_FLOW.index(current)
    ):
        errors["status"] = [
            _("The referral is already at “%(current)s”: a step cannot go back.") % {"current": current.label}
        ]
    if status in NEEDS_APPROVAL and referral.approved_on is None:
        errors["status"] = [_("Record the participant's approval first: nothing is sent without it.")]
    if status == S.APPOINTMENT_SET and appointment_at is None:
        errors["appointment_at"] = [_("Give the appointment's date and time.")]
    if status in {S.DECLINED, S.NO_SHOW} and status == current and not note.strip():
        errors["note"] = [_("Say what happened at this new attempt.")]
    if errors:
        raise ValidationError(errors)
    attempt = ReferralAttempt.objects.create(
        referral=referral, status=status, on=on, note=note.strip(), by=actor
    )
    referral.status = status
    if status == S.APPROVED and referral.approved_on is None:
        referral.approved_on = on
    if appointment_at is not None:
        referral.appointment_at = appointment_at
    referral.save(update_fields=["status", "approved_on", "appointment_at", "updated_at"])
    audit.record(
        actor=actor,
        action="casework.referral.step",
        obj=referral,
        participant=referral.participant,
        organisation=referral.organisation,
        data={"from": current.value, "to": status.value, "on": on.isoformat(), "attempt": attempt.pk},
    )
    return attempt


# --- lost contact (B12) -------------------------------------------------------------------------------


def _end_of(day: datetime.date) -> datetime.datetime:
    """The first moment after `day` in Montréal: contacts before it happened on or before that day."""
    return clock.start_of_day(day + datetime.timedelta(days=1))
