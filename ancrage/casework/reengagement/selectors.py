"""Reads of lost contact and re-engagement (B12)."""

from __future__ import annotations

from django.db.models import Prefetch

from ancrage.casework.models import OutreachTask, ReengagementPlan


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
