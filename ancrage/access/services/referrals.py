"""Writes of referrals in and of the coordinated-access consent (A1)."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ancrage.access.models import Referral
from ancrage.accounts.models import User
from ancrage.core import audit, clock
from ancrage.core.permissions import Category
from ancrage.organisations.models import Organisation
from ancrage.people.models import Consent, Participant

if TYPE_CHECKING:
    # Imported where used: assessments and housing import this module.
    from ancrage.organisations.models import Program


# --- Referrals and intake (A1) -----------------------------------------------------------------------


@transaction.atomic
def referral_create(
    *,
    actor: User,
    person_name: str,
    source_kind: str,
    reason: str,
    source_name: str = "",
    person_description: str = "",
    participant: Participant | None = None,
    organisation: Organisation | None = None,
    referred_at: datetime.datetime | None = None,
    program: Program | None = None,
) -> Referral:
    if organisation is None:
        membership = actor.primary_membership
        organisation = membership.organisation if membership else None
    errors: dict[str, list[str]] = {}
    if organisation is None:
        errors["organisation"] = [_("Choose the organisation that receives the referral.")]
    if not person_name.strip() and participant is None:
        errors["person_name"] = [_("Give the person's name, or the name they go by.")]
    if source_kind not in Referral.SourceKind.values:
        errors["source_kind"] = [_("Choose where the referral comes from.")]
    if not reason.strip():
        errors["reason"] = [_("Say why the person is referred.")]
    referred_at = referred_at or clock.now()
    if referred_at > clock.now():
        errors["referred_at"] = [_("A referral cannot be dated in the future.")]
    if program is not None and (not program.is_active or program.kind not in program.HOUSING_FIRST_KINDS):
        errors["program"] = [_("Choose an active Housing First program (ICM or ACT).")]
    if errors or organisation is None:
        raise ValidationError(errors)
    referral = Referral.objects.create(
        organisation=organisation,
        participant=participant,
        person_name=person_name.strip() or (participant.display_name if participant else ""),
        person_description=person_description.strip(),
        source_kind=source_kind,
        source_name=source_name.strip(),
        reason=reason.strip(),
        referred_at=referred_at,
        referred_by=actor,
        program=program,
    )
    audit.record(
        actor=actor,
        action="access.referral.created",
        obj=referral,
        participant=participant,
        organisation=organisation,
        data={"source_kind": source_kind, "program": program.pk if program is not None else None},
    )
    return referral


@transaction.atomic
def referral_withdraw(*, actor: User, referral: Referral, reason: str) -> Referral:
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if referral.status in {Referral.Status.INTAKE_DONE, Referral.Status.WITHDRAWN}:
        raise ValidationError(_("This referral is already closed."))
    if not reason.strip():
        raise ValidationError({"reason": [_("Say why the referral is withdrawn.")]})
    before = referral.status
    referral.status = Referral.Status.WITHDRAWN
    referral.save(update_fields=["status", "updated_at"])
    audit.record(
        actor=actor,
        action="access.referral.withdrawn",
        obj=referral,
        participant=referral.participant,
        organisation=referral.organisation,
        data={"changes": {"status": [before, referral.status]}, "reason": reason.strip()},
    )
    return referral


def coordinated_access_consent(
    actor: User, participant: Participant, on: datetime.date | None = None
) -> Consent | None:
    """The newest in-force consent covering coordinated access that lets `actor` act, or None.

    It must be shared with one of the actor's organisations, unless the actor works in the participant's
    home organisation, where any such consent recorded for the participant counts.
    """
    on = on or clock.today()
    consents = Consent.objects.in_force(on).filter(
        participant=participant, category_rows__category=Category.COORDINATED_ACCESS
    )
    if participant.organisation_id not in actor.organisation_ids:
        consents = consents.filter(organisations__in=actor.organisation_ids)
    return consents.order_by("-starts_on", "-id").first()
