"""Reads of risk assessments and plans, incidents and on-call (B8, B9, B10)."""

from __future__ import annotations

import datetime

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from ancrage.casework.models import Enrollment, Incident, OnCallEntry, OnCallShift, RiskAssessment
from ancrage.core import clock
from ancrage.core.text import normalise
from ancrage.people.models import Participant
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


def participant_for_on_call(organisation, typed: str):
    """The participant an after-hours call is about, from what the worker typed: their community identifier
    or their name (an alias too), among those `organisation` serves (its own, or enrolled in one of its
    programs). Returns (participant, "") or (None, why not) when nobody or several people match."""
    served = (
        Participant.objects.current()
        .filter(
            Q(organisation=organisation)
            | Q(
                enrollments__status=Enrollment.Status.ACTIVE,
                enrollments__program__organisation=organisation,
            )
        )
        .distinct()
    )
    by_identifier = served.filter(community_id__iexact=typed.strip()).first()
    if by_identifier is not None:
        return by_identifier, ""
    terms = normalise(typed).split()
    matches = served
    for term in terms:
        matches = matches.filter(search_text__contains=term)
    found = list(matches.order_by("legal_last_name", "legal_first_name", "id")[:2]) if terms else []
    if not found:
        return None, _("No participant this organisation serves has this name or identifier.")
    if len(found) > 1:
        return None, _(
            "Several participants this organisation serves match this name: type their full name or their "
            "community identifier."
        )
    return found[0], ""
