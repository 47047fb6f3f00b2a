"""Reads of administrations that apply the participant's access rules."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from ancrage.assessments.models import Administration
from ancrage.core.permissions import Category
from ancrage.people.selectors import participant_get_for_user


def administrations_for_participant(user, participant_pk: int) -> QuerySet[Administration]:
    """A participant's assessments, if `user` may see their health information; else 404."""
    access = participant_get_for_user(user, participant_pk, log_read=False)
    if Category.HEALTH not in access.categories:
        raise Http404
    return Administration.objects.filter(participant=access.participant).select_related(
        "version__instrument", "administered_by"
    )


def administration_get_for_user(user, participant_pk: int, pk: int) -> Administration:
    try:
        return administrations_for_participant(user, participant_pk).get(pk=pk)
    except (Administration.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
