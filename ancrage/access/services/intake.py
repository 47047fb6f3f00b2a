"""Writes of intake: from a referral to the by-name list (A1, A2)."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from ancrage.access.models import ByNameEntry, ByNameStatus, Intake, Referral
from ancrage.access.services.by_name import by_name_entry_add, group_entry
from ancrage.access.services.matching import by_name_status_change
from ancrage.access.services.referrals import coordinated_access_consent
from ancrage.accounts.models import User
from ancrage.core import audit, clock
from ancrage.core.permissions import Category
from ancrage.people.models import Consent, Participant

if TYPE_CHECKING:
    # Imported where used: assessments and housing import this module.
    pass


@transaction.atomic
def intake_start(
    *, actor: User, referral: Referral, participant: Participant, consent: Consent | None = None
) -> Intake:
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if referral.status != Referral.Status.RECEIVED:
        raise ValidationError(_("An intake can start only from a referral just received."))
    if participant.is_merged:
        raise ValidationError({"participant": [_("This file was merged into another: use that one.")]})
    if referral.participant_id and referral.participant_id != participant.pk:
        raise ValidationError({"participant": [_("This referral is already matched to another person.")]})
    if consent is not None:
        relied_on = (
            consent if consent.participant_id == participant.pk and _consent_allows(actor, consent) else None
        )
    else:
        relied_on = coordinated_access_consent(actor, participant)
    if relied_on is None:
        raise ValidationError(
            {
                "consent": [
                    _(
                        "Record the person's consent for coordinated access, shared with your "
                        "organisation, before starting the intake."
                    )
                ]
            }
        )
    intake = Intake.objects.create(
        referral=referral, participant=participant, consent=relied_on, done_by=actor
    )
    referral.participant = participant
    referral.status = Referral.Status.INTAKE_STARTED
    referral.save(update_fields=["participant", "status", "updated_at"])
    audit.record(
        actor=actor,
        action="access.intake.started",
        obj=intake,
        participant=participant,
        data={"referral": referral.pk, "consent": intake.consent_id},
    )
    return intake


def _consent_allows(actor, consent: Consent) -> bool:
    """The same test as `coordinated_access_consent`, for one chosen consent."""
    shared = Q(participant__organisation_id__in=actor.organisation_ids) | Q(
        organisations__in=actor.organisation_ids
    )
    return (
        Consent.objects.in_force()
        .filter(pk=consent.pk, category_rows__category=Category.COORDINATED_ACCESS)
        .filter(shared)
        .exists()
    )


@transaction.atomic
def intake_complete(
    *,
    actor: User,
    intake: Intake,
    reference_worker: User | None = None,
    entered_on: datetime.date | None = None,
    backdate_reason: str = "",
) -> Intake:
    """Close the intake; with a reference worker, the person is also put on the by-name list (A1, A4):
    added if new, made active again if they had left it, or given that worker if already active."""
    intake = Intake.objects.select_for_update().select_related("referral", "participant").get(pk=intake.pk)
    if intake.done_at is not None:
        raise ValidationError(_("This intake is already complete."))
    if reference_worker is not None:
        _intake_to_list(actor, intake.participant, reference_worker, entered_on, backdate_reason)
    intake.done_at = clock.now()
    intake.done_by = actor
    intake.save(update_fields=["done_at", "done_by"])
    referral = intake.referral
    referral.status = Referral.Status.INTAKE_DONE
    referral.save(update_fields=["status", "updated_at"])
    audit.record(
        actor=actor,
        action="access.intake.completed",
        obj=intake,
        participant=intake.participant,
        data={"referral": referral.pk},
    )
    return intake


def _intake_to_list(
    actor, participant: Participant, worker, entered_on: datetime.date | None, backdate_reason: str
) -> None:
    entry = ByNameEntry.objects.filter(participant=participant).first()
    if entry is None or entry.listed_via_id is not None:
        # The same person through a linked file already has their line: the intake acts on that one (A4).
        entry = group_entry(participant) or entry
    if entry is None:
        by_name_entry_add(
            actor=actor,
            participant=participant,
            reference_worker=worker,
            entered_on=entered_on,
            backdate_reason=backdate_reason,
        )
    elif entry.status != ByNameStatus.ACTIVE:
        by_name_status_change(
            actor=actor,
            entry=entry,
            status=ByNameStatus.ACTIVE,
            reason=_("Back on the list through a new intake"),
            on=entered_on or clock.today(),
            reference_worker=worker,
        )
    elif entry.reference_worker_id != worker.pk:
        before = entry.reference_worker_id
        ByNameEntry.objects.filter(pk=entry.pk).update(reference_worker=worker, updated_at=clock.now())
        audit.record(
            actor=actor,
            action="access.by_name.status_changed",
            obj=entry,
            participant=participant,
            data={"changes": {"reference_worker": [before, worker.pk]}, "reason": _("New intake")},
        )
