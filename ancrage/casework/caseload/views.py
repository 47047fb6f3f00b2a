"""Pages of enrollments, assignments and caseloads."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from ancrage.casework.caseload import selectors as caseload_selectors
from ancrage.casework.caseload import services as caseload_services
from ancrage.casework.caseload.forms import AssignForm, EnrollForm, EnrollmentSettingsForm
from ancrage.casework.caseload.weights import ACUITY_FACTORS, ACUITY_LABELS, caseload_for_workers
from ancrage.casework.models import Enrollment
from ancrage.casework.selectors import (
    access_can_write,
    participant_for_casework,
    participant_for_casework_write,
)
from ancrage.core.permissions import require_permission, require_record_permission
from ancrage.core.views_helpers import apply_service_errors


def _weighting_explained() -> list[dict]:
    return [{"label": ACUITY_LABELS[level], "factor": factor} for level, factor in ACUITY_FACTORS.items()]


@require_permission("casework.manage_team")
def caseloads(request):
    """Per team and per worker of the user's organisations: load, weight and ratio."""
    return render(
        request,
        "casework/caseload_teams.html",
        {
            "teams": caseload_selectors.team_caseloads(request.user),
            "weights": _weighting_explained(),
            "standard_visits": settings.ANCRAGE["VISITS_PER_WEEK"],
            "caseload_url": reverse("casework:caseload"),
        },
    )


@require_record_permission("casework.view")
def participant(request, pk):
    """The participant's case management: enrollments, who is their case manager and since when, why it
    changed, how often they are visited, and the way to the rest of their casework."""
    access = participant_for_casework(request.user, pk)
    enrollments = caseload_selectors.participant_enrollments(access.participant)
    writes = access_can_write(access)
    can_manage = writes and request.user.has_ancrage_perm("casework.manage_team")
    can_record = writes and request.user.has_ancrage_perm("casework.record")
    for e in enrollments:
        # The exit's page (the exits part), linked once it exists.
        exit_ = getattr(e, "exit", None) if not e.is_active else None
        e.exit_record = exit_  # type: ignore[attr-defined]
        e.exit_url = (  # type: ignore[attr-defined]
            reverse("casework:exit_detail", kwargs={"pk": access.participant.pk, "exit_pk": exit_.pk})
            if exit_
            else None
        )
    current = [e for e in enrollments if e.is_active]
    return render(
        request,
        "casework/caseload_participant.html",
        {
            "access": access,
            "p": access.participant,
            "current": current,
            "past": [e for e in enrollments if not e.is_active],
            "links": caseload_selectors.part_links(request.user, access, enrolled=bool(current)),
            "can_manage": can_manage,
            "can_record": can_record,
        },
    )


def _enroll_form(request, access, data=None):
    user = request.user
    programs = list(caseload_selectors.programs_for_enrollment(user).select_related("organisation"))
    workers = caseload_selectors.caseload_workers({p.organisation_id for p in programs})
    # With one program, every worker's load is held against its ratio (those with no participant yet too).
    loads = caseload_for_workers([w.pk for w in workers], programs[0] if len(programs) == 1 else None)
    teams = [
        t for t in caseload_selectors.teams_for_user(user) if t.program_id is None or t.program in programs
    ]
    matches = caseload_selectors.matches_for_enrollment(user, access.participant)
    initial = {}
    wanted = request.GET.get("match", "")
    for m in matches:
        if str(m.pk) == wanted:
            initial = {"match": m.pk, "program": m.opening.program_id}
    form = EnrollForm(
        data, initial=initial, programs=programs, workers=workers, loads=loads, teams=teams, matches=matches
    )
    return form, {"programs": programs, "workers": workers, "teams": teams, "matches": matches}


@require_record_permission("casework.manage_team")
def enroll(request, pk):
    access = caseload_selectors.participant_for_enrollment(request.user, pk)
    form, objects = _enroll_form(request, access, request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form.data.get("over_ratio_reason"):
            form.ask_over_ratio_reason()
        if form.is_valid():
            data = form.cleaned_data
            by_pk = {p.pk: p for p in objects["programs"]}
            try:
                caseload_services.enrollment_create(
                    actor=request.user,
                    participant=access.participant,
                    program=by_pk[data["program"]],
                    primary_worker=next(w for w in objects["workers"] if w.pk == data["primary_worker"]),
                    team=next((t for t in objects["teams"] if t.pk == data["team"]), None),
                    enrolled_on=data["enrolled_on"],
                    match=next((m for m in objects["matches"] if m.pk == data["match"]), None),
                    over_ratio_reason=data.get("over_ratio_reason") or "",
                )
            except ValidationError as exc:
                if hasattr(exc, "error_dict") and "over_ratio_reason" in exc.error_dict:
                    form.ask_over_ratio_reason()
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("The participant is enrolled."))
                return redirect("casework:participant", pk=access.participant.pk)
    return render(
        request,
        "casework/caseload_enroll.html",
        {"access": access, "p": access.participant, "form": form, "has_programs": bool(objects["programs"])},
    )


def _active_enrollments(participant) -> list[Enrollment]:
    return list(
        Enrollment.objects.filter(participant=participant, status=Enrollment.Status.ACTIVE)
        .select_related("program", "primary_worker", "team")
        .order_by("-enrolled_on", "-id")
    )


@require_record_permission("casework.manage_team")
def assign(request, pk):
    access = participant_for_casework_write(request.user, pk)
    enrollments = _active_enrollments(access.participant)
    if not enrollments:
        messages.info(request, _("The participant is not enrolled in a program: enroll them first."))
        return redirect("casework:participant", pk=access.participant.pk)
    # B1: only the enrollments the user's organisations run are theirs to reassign.
    enrollments = [e for e in enrollments if caseload_services.enrollment_run_by(request.user, e)]
    if not enrollments:
        raise PermissionDenied(caseload_services.not_run_here_message())
    workers = caseload_selectors.caseload_workers({e.program.organisation_id for e in enrollments})
    loads = caseload_for_workers([w.pk for w in workers], enrollments[0].program)
    form = AssignForm(
        request.POST if request.method == "POST" else None,
        initial={"enrollment": enrollments[0].pk},
        enrollments=enrollments,
        workers=workers,
        loads=loads,
    )
    if request.method == "POST":
        if form.data.get("over_ratio_reason"):
            form.ask_over_ratio_reason()
        if form.is_valid():
            data = form.cleaned_data
            enrollment = next(e for e in enrollments if e.pk == data["enrollment"])
            try:
                caseload_services.enrollment_assign(
                    actor=request.user,
                    enrollment=enrollment,
                    worker=next(w for w in workers if w.pk == data["worker"]),
                    reason=data["reason"],
                    on=data["on"],
                    over_ratio_reason=data.get("over_ratio_reason") or "",
                )
            except ValidationError as exc:
                if hasattr(exc, "error_dict") and "over_ratio_reason" in exc.error_dict:
                    form.ask_over_ratio_reason()
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("The primary case manager is changed."))
                return redirect("casework:participant", pk=access.participant.pk)
    return render(
        request,
        "casework/caseload_assign.html",
        {"access": access, "p": access.participant, "form": form, "enrollments": enrollments},
    )


@require_record_permission("casework.record")
def enrollment_settings(request, pk):
    access = participant_for_casework_write(request.user, pk)
    enrollments = _active_enrollments(access.participant)
    if not enrollments:
        raise Http404
    wanted = request.GET.get("enrollment") or request.POST.get("enrollment")
    enrollment = next((e for e in enrollments if str(e.pk) == wanted), enrollments[0])
    initial = {
        "visits_per_week": enrollment.visits_per_week,
        "tenancy_at_risk": enrollment.tenancy_at_risk,
        "since": enrollment.tenancy_at_risk_since,
    }
    form = EnrollmentSettingsForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                at_risk = data["tenancy_at_risk"]
                changed_since = (
                    at_risk and data["since"] and data["since"] != enrollment.tenancy_at_risk_since
                )
                if at_risk != enrollment.tenancy_at_risk or changed_since:
                    enrollment = caseload_services.enrollment_set_tenancy_risk(
                        actor=request.user,
                        enrollment=enrollment,
                        at_risk=at_risk,
                        since=data["since"] if at_risk else None,
                        reason=data["reason"],
                    )
                if data["visits_per_week"] != initial["visits_per_week"]:
                    caseload_services.enrollment_set_visits(
                        actor=request.user,
                        enrollment=enrollment,
                        visits_per_week=data["visits_per_week"],
                        reason=data["reason"],
                    )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("casework:participant", pk=access.participant.pk)
    return render(
        request,
        "casework/caseload_settings.html",
        {
            "access": access,
            "p": access.participant,
            "form": form,
            "enrollment": enrollment,
            "visits_at_risk": settings.ANCRAGE["VISITS_PER_WEEK_TENANCY_AT_RISK"],
        },
    )
