"""Reads of risk assessments and plans, incidents and on-call (B8, B9, B10)."""

from __future__ import annotations

import datetime

from django.db.models import Q, QuerySet
from django.http import Http404

from ancrage.casework.models import Incident, OnCallEntry, OnCallShift, RiskAssessment
from ancrage.core import clock
from ancrage.people.selectors import ParticipantAccess, participants_visible_to

# --- risk -------------------------------------------------------------------------------------------------


def risk_in_force(participant_ids, on: datetime.date) -> dict[int, RiskAssessment]:
    """Each participant's risk plan in force on a day, in one query: the latest assessed on or before that
    day and not yet ended then. A plan replaced or ended on a day is no longer in force that day (the new
    assessment is), so a rule about an act (a visit, an incident) reads the plan of the act's day, not
    whichever plan happens to be current when the act is recorded."""
    ids = list(participant_ids)
    if not ids:
        return {}
    result: dict[int, RiskAssessment] = {}
    for risk in (
        RiskAssessment.objects.filter(participant_id__in=ids, assessed_on__lte=on)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=on))
        .order_by("participant_id", "-assessed_on", "-id")
    ):
        result.setdefault(risk.participant_id, risk)
    return result


def current_risk(participant_ids) -> dict[int, RiskAssessment]:
    """Each participant's risk plan in force today."""
    return risk_in_force(participant_ids, clock.today())


def risks_of(access: ParticipantAccess) -> list[RiskAssessment]:
    return list(
        RiskAssessment.objects.filter(participant=access.participant)
        .select_related("recorded_by", "organisation")
        .order_by("-assessed_on", "-id")
    )


def risk_for(access: ParticipantAccess, risk_pk) -> RiskAssessment:
    try:
        return RiskAssessment.objects.get(pk=risk_pk, participant=access.participant)
    except (RiskAssessment.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def incidents_for_participant(participant) -> QuerySet[Incident]:
    return (
        Incident.objects.filter(participant=participant)
        .select_related("recorded_by", "organisation")
        .order_by("-occurred_at", "-id")
    )


def on_call_now(organisation_ids, now: datetime.datetime | None = None) -> list[OnCallShift]:
    """The shifts covering `now` in these organisations (the workers on call)."""
    now = now or clock.now()
    return list(
        OnCallShift.objects.filter(organisation_id__in=organisation_ids, starts_at__lte=now, ends_at__gt=now)
        .select_related("worker", "organisation")
        .order_by("starts_at", "id")
    )


def upcoming_shifts(
    organisation_ids, now: datetime.datetime | None = None, limit: int = 10
) -> list[OnCallShift]:
    now = now or clock.now()
    return list(
        OnCallShift.objects.filter(organisation_id__in=organisation_ids, starts_at__gt=now)
        .select_related("worker", "organisation")
        .order_by("starts_at", "id")[:limit]
    )


def on_call_entries_for_user(user) -> QuerySet[OnCallEntry]:
    """The on-call log of the user's organisations. A participant named in an entry is shown only when the
    user may open their file (see `visible_participant_ids`)."""
    return (
        OnCallEntry.objects.filter(organisation_id__in=user.organisation_ids)
        .select_related("participant", "answered_by", "organisation")
        .order_by("-called_at", "-id")
    )


def visible_participant_ids(user, ids) -> set[int]:
    ids = {i for i in ids if i}
    if not ids:
        return set()
    return set(participants_visible_to(user).filter(pk__in=ids).values_list("pk", flat=True))
