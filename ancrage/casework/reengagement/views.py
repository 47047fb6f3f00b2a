"""Pages of lost contact and re-engagement (B12)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ancrage.casework.models import ReengagementPlan
from ancrage.casework.reengagement import selectors as reengagement_selectors
from ancrage.casework.reengagement import services as reengagement_services
from ancrage.casework.reengagement.forms import OutreachTaskDoneForm, OutreachTaskForm, ReengagementCloseForm
from ancrage.casework.risk.views import _org_workers
from ancrage.casework.selectors import (
    active_enrollment,
    participant_for_casework,
    participant_for_casework_write,
)
from ancrage.core.permissions import Category, require_record_permission
from ancrage.core.views_helpers import apply_service_errors


@require_record_permission("casework.view")
def reengagement(request, pk: int):
    access = participant_for_casework(request.user, pk, category=Category.CASE_NOTES)
    p = access.participant
    plans = reengagement_selectors.reengagement_plans_for(p)
    open_plan = next((x for x in plans if x.status == ReengagementPlan.Status.OPEN), None)
    return render(
        request,
        "casework/referrals_reengagement.html",
        {
            "p": p,
            "access": access,
            "open_plan": open_plan,
            "history": [x for x in plans if x is not open_plan],
            "enrollment": active_enrollment(p),
            "close_form": ReengagementCloseForm(),
            "done_form": OutreachTaskDoneForm(),
        },
    )


@require_POST
@require_record_permission("casework.record")
def reengagement_start(request, pk: int):
    access = participant_for_casework_write(request.user, pk, category=Category.CASE_NOTES)
    p = access.participant
    enrollment = active_enrollment(p)
    if enrollment is None:
        messages.error(request, _("The participant is not enrolled in a program: there is no plan to start."))
    else:
        try:
            reengagement_services.lost_contact_flag(actor=request.user, enrollment=enrollment)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("A re-engagement plan is started."))
    return redirect("casework:reengagement", pk=p.pk)


@require_record_permission("casework.record")
def outreach_task_add(request, pk: int):
    access = participant_for_casework_write(request.user, pk, category=Category.CASE_NOTES)
    p = access.participant
    plan = reengagement_selectors.open_reengagement_plan(p)
    if plan is None:
        messages.error(request, _("No re-engagement plan is open."))
        return redirect("casework:reengagement", pk=p.pk)
    workers = _org_workers(p)
    form = OutreachTaskForm(request.POST or None, workers=workers)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        worker_pk = data.pop("assigned_to")
        try:
            reengagement_services.outreach_task_add(
                actor=request.user,
                plan=plan,
                assigned_to=next((w for w in workers if w.pk == worker_pk), None),
                **data,
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The place to look is added."))
            return redirect("casework:reengagement", pk=p.pk)
    return render(
        request,
        "casework/referrals_form.html",
        {
            "p": p,
            "form": form,
            "title": _("Add a place to look"),
            "cancel_url": _reengagement_url(p),
        },
    )


def _reengagement_url(p) -> str:
    from django.urls import reverse

    return reverse("casework:reengagement", kwargs={"pk": p.pk})


@require_record_permission("casework.record")
def outreach_task_done(request, pk: int, task_pk: int):
    access = participant_for_casework_write(request.user, pk, category=Category.CASE_NOTES)
    p = access.participant
    task = reengagement_selectors.outreach_task_for(p, task_pk)
    if task is None:
        raise Http404
    form = OutreachTaskDoneForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            reengagement_services.outreach_task_done(actor=request.user, task=task, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The search is recorded."))
            return redirect("casework:reengagement", pk=p.pk)
    return render(
        request,
        "casework/referrals_form.html",
        {
            "p": p,
            "form": form,
            "title": _("What was found: %(place)s") % {"place": task.place or task.get_place_kind_display()},
            "cancel_url": _reengagement_url(p),
        },
    )


@require_POST
@require_record_permission("casework.record")
def reengagement_close(request, pk: int):
    access = participant_for_casework_write(request.user, pk, category=Category.CASE_NOTES)
    p = access.participant
    plan = reengagement_selectors.open_reengagement_plan(p)
    if plan is None:
        messages.error(request, _("No re-engagement plan is open."))
        return redirect("casework:reengagement", pk=p.pk)
    form = ReengagementCloseForm(request.POST)
    if form.is_valid():
        try:
            reengagement_services.reengagement_close(actor=request.user, plan=plan, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The re-engagement plan is closed."))
    else:
        messages.error(request, _("Choose how the plan ends."))
    return redirect("casework:reengagement", pk=p.pk)
