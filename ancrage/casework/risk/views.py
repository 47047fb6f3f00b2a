"""Pages of risk assessments and plans, incidents and on-call (B8, B9, B10)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ancrage.accounts.models import User
from ancrage.casework.referrals.views import _user_organisations
from ancrage.casework.risk import selectors as risk_selectors
from ancrage.casework.risk import services as risk_services
from ancrage.casework.risk.forms import IncidentForm, OnCallEntryForm, OnCallShiftForm, RiskForm
from ancrage.casework.selectors import (
    access_can_write,
    participant_for_casework,
    participant_for_casework_write,
    serving_organisation_ids,
)
from ancrage.core import clock, panels
from ancrage.core.permissions import Category, require_permission, require_record_permission
from ancrage.core.views_helpers import apply_service_errors, paginate

# --- risk ---------------------------------------------------------------------------------------------


@require_record_permission("casework.view")
def risk_list(request, pk: int):
    access = participant_for_casework(
        request.user, pk, category=Category.RISK, read_action="casework.risk.viewed"
    )
    risks = risk_selectors.risks_of(access)
    current = next((r for r in risks if r.ended_on is None), None)
    context = {
        "p": access.participant,
        "current": current,
        "history": [r for r in risks if r is not current],
        "can_manage": request.user.has_ancrage_perm("casework.manage_risk") and access_can_write(access),
        "today": clock.today(),
    }
    if current is not None:
        # What other apps say about the plan (the police unit partners linked to it), without importing them.
        context.update(panels.context(panels.RISK_PLAN, user=request.user, risk=current))
    return render(request, "casework/contacts_risk_list.html", context)


@require_record_permission("casework.manage_risk")
def risk_create(request, pk: int):
    access = participant_for_casework_write(request.user, pk, category=Category.RISK)
    p = access.participant
    form = RiskForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            risk_services.risk_assess(actor=request.user, participant=p, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Risk assessment and plan recorded."))
            return redirect("casework:risk_list", pk=p.pk)
    current = risk_selectors.current_risk([p.pk]).get(p.pk)
    return render(request, "casework/contacts_risk_form.html", {"p": p, "form": form, "current": current})


@require_record_permission("casework.manage_risk")
@require_POST
def risk_end(request, pk: int, risk_pk: int):
    access = participant_for_casework_write(request.user, pk, category=Category.RISK)
    risk = risk_selectors.risk_for(access, risk_pk)
    try:
        risk_services.risk_end(actor=request.user, risk=risk)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Risk plan ended."))
    return redirect("casework:risk_list", pk=access.participant.pk)


# --- incidents (B9) -----------------------------------------------------------------------------------


@require_record_permission("casework.view")
def incident_list(request, pk: int):
    access = participant_for_casework(
        request.user, pk, category=Category.RISK, read_action="casework.incident.viewed"
    )
    page = paginate(request, risk_selectors.incidents_for_participant(access.participant))
    return render(request, "casework/referrals_incident_list.html", {"p": access.participant, "page": page})


@require_record_permission("casework.record_incidents")
def incident_create(request, pk: int):
    access = participant_for_casework_write(request.user, pk, category=Category.RISK)
    p = access.participant
    form = IncidentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            risk_services.incident_record(actor=request.user, participant=p, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The incident is recorded and the team is told."))
            return redirect("casework:incident_list", pk=p.pk)
    return render(
        request,
        "casework/referrals_form.html",
        {"p": p, "form": form, "title": _("Record an incident"), "cancel_url": _incident_list_url(p)},
    )


def _incident_list_url(p) -> str:
    from django.urls import reverse

    return reverse("casework:incident_list", kwargs={"pk": p.pk})


@require_permission("casework.view")
def on_call(request):
    org_ids = request.user.organisation_ids
    page = paginate(request, risk_selectors.on_call_entries_for_user(request.user))
    visible = risk_selectors.visible_participant_ids(request.user, [e.participant_id for e in page])
    return render(
        request,
        "casework/referrals_on_call.html",
        {
            "page": page,
            "visible": visible,
            "on_call": risk_selectors.on_call_now(org_ids),
            "upcoming": risk_selectors.upcoming_shifts(org_ids),
        },
    )


@require_permission("casework.record_incidents")
def on_call_create(request):
    organisations = _user_organisations(request.user)
    form = OnCallEntryForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        organisation = next((o for o in organisations if o.pk == data.pop("organisation")), None)
        typed = data.pop("participant").strip()
        participant = None
        if typed:
            participant, refusal = risk_selectors.participant_for_on_call(organisation, typed)
            if refusal:
                form.add_error("participant", refusal)
        if not form.errors:
            try:
                risk_services.on_call_log(
                    actor=request.user, organisation=organisation, participant=participant, **data
                )
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("The call is in the on-call log."))
                return redirect("casework:on_call")
    return render(
        request,
        "casework/referrals_form.html",
        {"form": form, "title": _("Log an after-hours call"), "cancel": "casework:on_call"},
    )


@require_permission("casework.manage_team")
def on_call_shift(request):
    organisations = _user_organisations(request.user)
    workers = list(
        User.objects.filter(
            memberships__organisation__in=organisations, memberships__is_active=True, is_active=True
        )
        .distinct()
        .order_by("first_name", "last_name", "username")
    )
    form = OnCallShiftForm(request.POST or None, organisations=organisations, workers=workers)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            risk_services.on_call_shift_set(
                actor=request.user,
                organisation=next((o for o in organisations if o.pk == data["organisation"]), None),
                worker=next((w for w in workers if w.pk == data["worker"]), None),
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                phone=data["phone"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The on-call shift is set."))
            return redirect("casework:on_call")
    return render(
        request,
        "casework/referrals_form.html",
        {"form": form, "title": _("Set an on-call shift"), "cancel": "casework:on_call"},
    )


# --- lost contact (B12) -------------------------------------------------------------------------------


def _org_workers(participant) -> list[User]:
    return list(
        User.objects.filter(
            memberships__organisation_id__in=serving_organisation_ids(participant),
            memberships__is_active=True,
            is_active=True,
        )
        .distinct()
        .order_by("first_name", "last_name", "username")
    )
