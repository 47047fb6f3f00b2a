"""Reads of administrations that apply the participant's access rules.

An instrument's answers are one kind of information (its definition's `category`): health for most,
coordinated access for the triage instrument (A3). To see or give one, the user needs that category on the
participant, besides the assessments permissions.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q, QuerySet
from django.http import Http404

from ancrage.assessments.definition import CATEGORIES, DEFAULT_CATEGORY
from ancrage.assessments.models import Administration, InstrumentVersion
from ancrage.core.audit import record_read
from ancrage.core.permissions import Category
from ancrage.people.selectors import ParticipantAccess, participant_get_for_user

# The categories an instrument may have, as the access rules name them.
ASSESSMENT_CATEGORIES = frozenset(str(Category(value).value) for value in CATEGORIES)


def assessment_categories(access: ParticipantAccess) -> frozenset[str]:
    """The instrument categories `access` may read about the participant (empty: no assessment at all)."""
    return frozenset(access.categories & ASSESSMENT_CATEGORIES)


def participant_access_for_assessments(
    user, participant_pk: int, *, what: str = "assessments.administrations.viewed", log_read: bool = True
) -> ParticipantAccess:
    """The participant, if `user` may see some of their assessments (health or coordinated access); else 404.
    The read is written to the audit trail as `what` (G2), once per request and only if the answer shows it."""
    access = participant_get_for_user(user, participant_pk, log_read=False)
    if not assessment_categories(access):
        raise Http404
    if log_read:
        record_read(actor=user, participant=access.participant, what=what)
    return access


def _category_filter(categories: Iterable[str]) -> Q:
    wanted = sorted(set(categories) & ASSESSMENT_CATEGORIES)
    condition = Q(version__definition__category__in=wanted)
    if DEFAULT_CATEGORY in wanted:
        # Versions stored before definitions had a category are health information.
        condition |= Q(version__definition__category__isnull=True)
    return condition


def administrations_for_access(access: ParticipantAccess) -> QuerySet[Administration]:
    """The participant's assessments of the categories `access` may read."""
    categories = assessment_categories(access)
    if not categories:
        return Administration.objects.none()
    return (
        Administration.objects.filter(participant=access.participant)
        .filter(_category_filter(categories))
        .select_related("version__instrument", "administered_by")
    )


def administrations_for_participant(user, participant_pk: int) -> QuerySet[Administration]:
    """A participant's assessments of the categories `user` may read about them; 404 if none."""
    return administrations_for_access(participant_access_for_assessments(user, participant_pk))


def latest_instrument_versions(categories: Iterable[str] | None = None) -> list[InstrumentVersion]:
    """The newest version of each loaded instrument, in the order of their keys; only of `categories` if given."""
    latest: dict[int, InstrumentVersion] = {}
    for version in InstrumentVersion.objects.select_related("instrument").order_by(
        "instrument__key", "-created_at", "-pk"
    ):
        latest.setdefault(version.instrument_id, version)
    versions = list(latest.values())
    if categories is not None:
        allowed = set(categories)
        versions = [v for v in versions if v.category in allowed]
    return versions


def administration_get_for_user(user, participant_pk: int, pk: int) -> Administration:
    """One administration, if `user` may read its instrument's category on the participant; else 404."""
    access = participant_access_for_assessments(user, participant_pk, log_read=False)
    try:
        administration = administrations_for_access(access).get(pk=pk)
    except (Administration.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    # Its answers and scores are shown: the read names the administration.
    record_read(
        actor=user,
        participant=access.participant,
        what="assessments.administration.viewed",
        obj=administration,
    )
    return administration
