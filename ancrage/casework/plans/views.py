"""Pages of recovery plans, goals, steps and reviews (B4, B5)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ancrage.casework.plans import services as plans_services
from ancrage.casework.plans.forms import (
    GoalEditForm,
    GoalForm,
    PlanForm,
    ReviewForm,
    StepEditForm,
    StepForm,
    plan_differences,
)
from ancrage.casework.plans.selectors import (
    PlanView,
    plan_for_user,
    plan_for_writer,
    writable_goal,
    writable_step,
)
from ancrage.casework.selectors import access_can_write
from ancrage.core.audit import record_read
from ancrage.core.permissions import require_record_permission
from ancrage.core.views_helpers import apply_service_errors


def _plan_url(pk, anchor: str = "") -> str:
    return reverse("casework:plan", args=[pk]) + (f"#{anchor}" if anchor else "")


def _writable(request, pk) -> PlanView:
    """The plan for a change: the participant's own organisation, an active enrollment, a plan started."""
    view = plan_for_writer(request.user, pk)
    if view.plan is None or not view.is_editable:
        raise Http404
    return view


@require_record_permission("casework.view")
def plan_detail(request, pk):
    view = plan_for_user(request.user, pk, enrollment_id=request.GET.get("enrollment"))
    perms = request.user.ancrage_permissions
    return render(
        request,
        "casework/plans_detail.html",
        {
            "v": view,
            "p": view.participant,
            "plan": view.plan,
            "can_edit": view.is_editable and "casework.record" in perms,
            "can_start": view.can_start and access_can_write(view.access) and "casework.record" in perms,
            "can_review": view.is_editable and "casework.manage_team" in perms,
            "due_days": settings.ANCRAGE["PLAN_DUE_BUSINESS_DAYS"],
        },
    )


@require_record_permission("casework.record")
@require_POST
def plan_start(request, pk):
    view = plan_for_writer(request.user, pk)
    if view.plan is None:
        if view.enrollment is None or not view.enrollment.is_active:
            messages.error(request, _("The participant has no active enrollment: enroll them first."))
            return redirect(_plan_url(pk))
        try:
            plans_services.plan_create(actor=request.user, enrollment=view.enrollment)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return redirect(_plan_url(pk))
        messages.success(
            request, _("The recovery plan is started. Write it with the participant, in their words.")
        )
    return redirect(_plan_url(pk))


@require_record_permission("casework.record")
def plan_edit(request, pk):
    """Edit the plan's text. A save started from an older revision is refused and shown back beside the plan
    as saved now, part by part; the save after it is a merge: each part the other person changed
    differently needs the editor's choice (theirs or mine), else it is refused the same way. A merge
    started from a revision that is itself old by then is refused again (the form carries the revision
    the editor has seen)."""
    view = _writable(request, pk)
    plan = view.plan
    assert plan is not None
    conflict_message = ""
    if request.method == "POST":
        merging = request.POST.get("merging") in {"True", "true", "1", "on"}
        form = PlanForm(request.POST, conflicts=plan_differences(request.POST, plan) if merging else ())
        if form.is_valid():
            try:
                plans_services.plan_update(
                    actor=request.user, plan=plan, revision=form.cleaned_data["revision"], **form.values(plan)
                )
            except ValidationError as exc:
                if not plans_services.is_stale_revision(exc):
                    apply_service_errors(form, exc)
                else:
                    # Nothing saved. Keep what was typed, show the plan as saved by the other person part
                    # by part, and carry the revision now seen: the next save is a merge.
                    conflict_message = " ".join(exc.messages)
                    plan.refresh_from_db()
                    typed = {name: form.cleaned_data.get(name) or "" for name in PlanForm.FIELDS}
                    form = PlanForm(
                        initial=typed | {"revision": plan.revision, "merging": True},
                        conflicts=plan_differences(typed, plan),
                    )
            else:
                messages.success(request, _("The plan is saved."))
                return redirect(_plan_url(pk))
    else:
        form = PlanForm(
            initial={name: getattr(plan, name) for name in PlanForm.FIELDS} | {"revision": plan.revision}
        )
    parts = [
        {"field": form[name], "theirs": getattr(plan, name), "keep": form.keep_field(name)}
        for name in PlanForm.FIELDS
    ]
    return render(
        request,
        "casework/plans_form.html",
        {
            "v": view,
            "p": view.participant,
            "plan": plan,
            "form": form,
            "parts": parts,
            "conflict": bool(form.conflicts) or bool(conflict_message),
            "conflict_message": conflict_message,
        },
    )


def _dated_form_page(request, view, form, title, template="casework/plans_item_form.html", **extra):
    return render(
        request,
        template,
        {"v": view, "p": view.participant, "plan": view.plan, "form": form, "title": title} | extra,
    )


@require_record_permission("casework.record")
def goal_add(request, pk):
    view = _writable(request, pk)
    form = GoalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            assert view.plan is not None  # _writable refuses a participant without a plan
            goal = plans_services.goal_add(actor=request.user, plan=view.plan, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The goal is added. Add a first step when you are ready."))
            return redirect(_plan_url(pk, f"goal-{goal.pk}"))
    return _dated_form_page(request, view, form, _("New goal"))


@require_record_permission("casework.record")
def goal_edit(request, pk, goal_pk):
    view = _writable(request, pk)
    goal = writable_goal(view, goal_pk)
    fields = ("words", "stage", "status", "domain", "starts_on", "review_on")
    form = GoalEditForm(request.POST or None, initial={name: getattr(goal, name) for name in fields})
    if request.method == "POST" and form.is_valid():
        try:
            plans_services.goal_update(actor=request.user, goal=goal, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The goal is saved."))
            return redirect(_plan_url(pk, f"goal-{goal.pk}"))
    return _dated_form_page(request, view, form, _("Edit the goal"), goal=goal)


@require_record_permission("casework.record")
def step_add(request, pk, goal_pk):
    view = _writable(request, pk)
    goal = writable_goal(view, goal_pk)
    form = StepForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            plans_services.step_add(actor=request.user, goal=goal, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The step is added."))
            return redirect(_plan_url(pk, f"goal-{goal.pk}"))
    return _dated_form_page(request, view, form, _("New step"), goal=goal)


@require_record_permission("casework.record")
def step_edit(request, pk, step_pk):
    view = _writable(request, pk)
    step = writable_step(view, step_pk)
    fields = ("description", "who", "done_on", "target_on", "review_on")
    form = StepEditForm(request.POST or None, initial={name: getattr(step, name) for name in fields})
    if request.method == "POST" and form.is_valid():
        try:
            plans_services.step_update(actor=request.user, step=step, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The step is saved."))
            return redirect(_plan_url(pk, f"goal-{step.goal_id}"))
    return _dated_form_page(request, view, form, _("Edit the step"), goal=step.goal)


@require_record_permission("casework.manage_team")
def plan_review(request, pk):
    view = _writable(request, pk)
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            assert view.plan is not None  # _writable refuses a participant without a plan
            plans_services.plan_review(actor=request.user, plan=view.plan, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The review is recorded and the plan signed off."))
            return redirect(_plan_url(pk, "review"))
    return _dated_form_page(request, view, form, _("Supervisor's review and sign-off"), review=True)


@require_record_permission("casework.view")
def plan_pdf(request, pk):
    from ancrage.casework.plans.pdf import plan_pdf_bytes

    view = plan_for_user(request.user, pk, read_action=None)
    if view.plan is None:
        raise Http404
    participant = view.participant
    content = plan_pdf_bytes(view)
    record_read(actor=request.user, participant=participant, what="casework.plan.printed", obj=view.plan)
    response = HttpResponse(content, content_type="application/pdf")
    filename = f"plan-{participant.community_id}.pdf"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
