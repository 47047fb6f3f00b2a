"""Reads of the directory of services and referrals out (B7)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db.models import Q
from django.utils.translation import gettext

from ancrage.casework.models import (
    Enrollment,
    ReferralAttempt,
    ServiceProvider,
    ServiceReferral,
    ServiceReferralStatus,
)
from ancrage.core.permissions import Category
from ancrage.people.models import Consent

if TYPE_CHECKING:
    from ancrage.organisations.models import Organisation
    from ancrage.people.models import Participant
from django.db.models import Prefetch, QuerySet

from ancrage.core.text import normalise
from ancrage.organisations.models import Organisation
from ancrage.people.models import Participant

# --- referrals to other services (B7) -----------------------------------------------------------------


def consent_for_sharing(
    participant: Participant,
    organisation: Organisation | None,
    categories: Iterable[str],
    on: datetime.date | None = None,
) -> Consent | None:
    """The in-force consent of `participant` naming `organisation` that covers every one of `categories`
    (the most recent when several do), or None."""
    wanted = set(categories)
    if organisation is None:
        return None
    candidates = (
        Consent.objects.in_force(on)
        .filter(participant=participant, organisations=organisation)
        .prefetch_related("category_rows")
        .order_by("-starts_on", "-id")
    )
    for consent in candidates:
        if wanted <= set(consent.category_codes):
            return consent
    return None


def shareable_categories(
    participant: Participant, organisation: Organisation | None, on: datetime.date | None = None
) -> list[str]:
    """The categories an in-force consent allows to share with `organisation` (none for a provider that is
    not a partner organisation: no consent can name it)."""
    if organisation is None:
        return []
    allowed: set[str] = set()
    for consent in (
        Consent.objects.in_force(on)
        .filter(participant=participant, organisations=organisation)
        .prefetch_related("category_rows")
    ):
        allowed |= set(consent.category_codes)
    return [c for c in Category.values if c in allowed]


def user_consortium_ids(user) -> list[int]:
    return list(
        Organisation.objects.filter(pk__in=user.organisation_ids)
        .values_list("consortium_id", flat=True)
        .distinct()
    )


def providers_for_user(
    user, *, q: str = "", kind: str = "", active_only: bool = False
) -> QuerySet[ServiceProvider]:
    """The directories of the user's consortia, searched by name (either language) or kind."""
    qs = ServiceProvider.objects.filter(consortium_id__in=user_consortium_ids(user)).select_related(
        "organisation"
    )
    if q.strip():
        qs = qs.filter(Q(name__icontains=q.strip()) | Q(name_en__icontains=q.strip()))
    if kind:
        qs = qs.filter(kind=kind)
    if active_only:
        qs = qs.filter(is_active=True)
    return qs.order_by("name", "id")


def provider_for_user(user, provider_pk: int) -> ServiceProvider | None:
    return providers_for_user(user).filter(pk=provider_pk).first()


def referrals_for_participant(participant) -> QuerySet[ServiceReferral]:
    return (
        ServiceReferral.objects.filter(participant=participant)
        .select_related("provider", "provider__organisation", "consent", "created_by", "organisation")
        .prefetch_related(
            Prefetch("attempts", queryset=ReferralAttempt.objects.select_related("by").order_by("on", "id"))
        )
        .order_by("-created_at", "-id")
    )


def referral_for_participant(participant, referral_pk: int) -> ServiceReferral | None:
    return referrals_for_participant(participant).filter(pk=referral_pk).first()


def referral_candidates(user, *, q: str = "", limit: int = 50) -> list:
    """Participants the user may refer from the directory: without a search, their own caseload (active
    enrollments of which they are the primary case manager); with one, the participants of the user's
    organisations with an active enrollment, by name or identifier. Only participants whose home
    organisation is the user's (referring writes to the file). One query."""
    enrolled = Enrollment.objects.filter(status=Enrollment.Status.ACTIVE)
    if not q.strip():
        enrolled = enrolled.filter(primary_worker=user)
    qs = Participant.objects.current().filter(
        organisation_id__in=list(user.organisation_ids), pk__in=enrolled.values("participant_id")
    )
    for term in normalise(q).split():
        qs = qs.filter(search_text__contains=term)
    return list(qs.order_by("legal_last_name", "legal_first_name", "id")[:limit])


# A referral still open (not declined, not a no-show) keeps its service involved with the participant (E3).
_CLOSED_REFERRAL = (ServiceReferralStatus.DECLINED, ServiceReferralStatus.NO_SHOW)


def involvement_source(participant, on) -> list:
    """The services with an open referral for `participant`: the partners to tell of a significant change
    (registered with `core.involvement` at start-up)."""
    from ancrage.core.involvement import Involvement

    rows = (
        ServiceReferral.objects.filter(participant=participant)
        .exclude(status__in=_CLOSED_REFERRAL)
        .values_list("provider_id", "provider__organisation_id", "provider__name")
        .distinct()
    )
    return [
        Involvement(
            why=gettext("Open referral to %(service)s") % {"service": name},
            organisation_id=org_id,
            service_provider_id=provider_id,
        )
        for provider_id, org_id, name in rows
    ]
