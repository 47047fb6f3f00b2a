"""Reads of administrations that apply the participant's access rules."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from ancrage.assessments.models import Administration, InstrumentVersion
from ancrage.core.permissions import Category
from ancrage.people.selectors import ParticipantAccess, participant_get_for_user


def participant_access_for_assessments(
    user, participant_pk: int, *, log_read: bool = False
) -> ParticipantAccess:
    """The participant, if `user` may see their health information (assessments are health information); else 404."""
    access = participant_get_for_user(user, participant_pk, log_read=log_read)
    if Category.HEALTH not in access.categories:
        raise Http404
    return access


def administrations_for_participant(user, participant_pk: int) -> QuerySet[Administration]:
    """A participant's assessments, if `user` may see their health information; else 404."""
    access = participant_access_for_assessments(user, participant_pk)
    return Administration.objects.filter(participant=access.participant).select_related(
        "version__instrument", "administered_by"
    )


def latest_instrument_versions() -> list[InstrumentVersion]:
    """The newest version of each loaded instrument, in the order of their keys."""
    latest: dict[int, InstrumentVersion] = {}
    for version in InstrumentVersion.objects.select_related("instrument").order_by(
        "instrument__key", "-created_at", "-pk"
    ):
        latest.setdefault(version.instrument_id, version)
    return list(latest.values())


def administration_get_for_user(user, participant_pk: int, pk: int) -> Administration:
    try:
        return administrations_for_participant(user, participant_pk).get(pk=pk)
    except (Administration.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
