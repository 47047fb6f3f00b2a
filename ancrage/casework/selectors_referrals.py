"""Reads of case management for the directory, referrals out, incidents, on-call and lost contact. Every read of
a participant's record goes through `participant_for_casework` first (404 when the user may not read it)."""

from __future__ import annotations

import datetime

from django.db.models import Prefetch, Q, QuerySet

from ancrage.casework.models import (
    Enrollment,
    Incident,
    OnCallEntry,
    OnCallShift,
    OutreachTask,
    ReengagementPlan,
    ReferralAttempt,
    ServiceProvider,
    ServiceReferral,
)
from ancrage.core import clock
from ancrage.core.text import normalise
from ancrage.organisations.models import Organisation
from ancrage.people.models import Participant
from ancrage.people.selectors import participants_visible_to


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


def reengagement_plans_for(participant) -> list[ReengagementPlan]:
    return list(
        ReengagementPlan.objects.filter(participant=participant)
        .select_related("created_by", "enrollment")
        .prefetch_related(
            Prefetch(
                "tasks",
                queryset=OutreachTask.objects.select_related("assigned_to").order_by(
                    "done_on", "due_on", "id"
                ),
            )
        )
        .order_by("-started_on", "-id")
    )


def open_reengagement_plan(participant) -> ReengagementPlan | None:
    return (
        ReengagementPlan.objects.filter(participant=participant, status=ReengagementPlan.Status.OPEN)
        .select_related("participant", "enrollment")
        .order_by("-started_on", "-id")
        .first()
    )


def outreach_task_for(participant, task_pk: int) -> OutreachTask | None:
    return (
        OutreachTask.objects.filter(pk=task_pk, plan__participant=participant)
        .select_related("plan", "plan__participant")
        .first()
    )


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
