"""Pages of the directory of external services, referrals out (B7), incidents and on-call (B9, B10), and
lost contact (B12). Thin: parse, check, call a selector or a service, render."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ancrage.accounts.models import User
from ancrage.casework import selectors_referrals as sel
from ancrage.casework import services_referrals as services
from ancrage.casework.forms_referrals import (
    IncidentForm,
    OnCallEntryForm,
    OnCallShiftForm,
    OutreachTaskDoneForm,
    OutreachTaskForm,
    ProviderForm,
    ProviderSearchForm,
    ReengagementCloseForm,
    ReferralForm,
    ReferralStepForm,
)
from ancrage.casework.models import Enrollment, ReengagementPlan
from ancrage.casework.selectors import (
    active_enrollment,
    participant_for_casework,
    participant_for_casework_write,
    serving_organisation_ids,
)
from ancrage.core.forms import SearchForm
from ancrage.core.permissions import Category, require_permission, require_record_permission
from ancrage.core.views_helpers import apply_service_errors, paginate
from ancrage.organisations.models import Organisation
from ancrage.people.models import Consent, Participant

# --- directory of external services -------------------------------------------------------------------


def _consortium_organisations(user):
    consortia = sel.user_consortium_ids(user)
    return list(Organisation.objects.filter(consortium_id__in=consortia, is_active=True).order_by("name"))


@require_permission("casework.view")
def provider_list(request):
    form = ProviderSearchForm(request.GET or None)
    values = form.values() if request.GET else {"q": "", "kind": ""}
    page = paginate(request, sel.providers_for_user(request.user, **values))
    return render(request, "casework/referrals_provider_list.html", {"form": form, "page": page})


@require_permission("casework.record")
def provider_refer(request, provider_pk: int):
    """From the directory: choose whom to refer to this service (the user's caseload, or a search), then the
    referral form with the service chosen."""
    provider = sel.provider_for_user(request.user, provider_pk)
    if provider is None or not provider.is_active:
        raise Http404
    search = SearchForm(request.GET, label=_("Search a participant by name or identifier"))
    q = search.query
    return render(
        request,
        "casework/referrals_refer.html",
        {
            "provider": provider,
            "q": q,
            "search_error": search.error,
            "participants": sel.referral_candidates(request.user, q=q),
        },
    )


def _provider_values(form) -> dict:
    data = dict(form.cleaned_data)
    org_pk = data.pop("organisation", None)
    data["organisation"] = Organisation.objects.filter(pk=org_pk).first() if org_pk else None
    return data


@require_permission("casework.manage_directory")
def provider_create(request):
    consortia = sel.user_consortium_ids(request.user)
    if not consortia:
        raise Http404
    organisations = _consortium_organisations(request.user)
    form = ProviderForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        membership = request.user.primary_membership
        try:
            provider = services.provider_create(
                actor=request.user, consortium=membership.organisation.consortium, **_provider_values(form)
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("%(name)s is in the directory.") % {"name": provider.display_name})
            return redirect("casework:provider_list")
    return render(
        request,
        "casework/referrals_form.html",
        {"form": form, "title": _("Add a service to the directory"), "cancel": "casework:provider_list"},
    )


@require_permission("casework.manage_directory")
def provider_edit(request, provider_pk: int):
    provider = sel.provider_for_user(request.user, provider_pk)
    if provider is None:
        raise Http404
    organisations = _consortium_organisations(request.user)
    initial = {
        "name": provider.name,
        "name_en": provider.name_en,
        "kind": provider.kind,
        "address": provider.address,
        "phone": provider.phone,
        "email": provider.email,
        "website": provider.website,
        "description": provider.description,
        "organisation": provider.organisation_id,
        "is_active": provider.is_active,
    }
    form = ProviderForm(request.POST or None, initial=initial, organisations=organisations, editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            services.provider_update(actor=request.user, provider=provider, **_provider_values(form))
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The service is saved."))
            return redirect("casework:provider_list")
    return render(
        request,
        "casework/referrals_form.html",
        {
            "form": form,
            "title": _("Change %(name)s") % {"name": provider.display_name},
            "cancel": "casework:provider_list",
        },
    )


# --- referrals to other services (B7) -----------------------------------------------------------------


@require_record_permission("casework.view")
def referral_list(request, pk: int):
    access = participant_for_casework(request.user, pk, category=Category.CASE_NOTES)
    labels = dict(Category.choices)
    referrals = [
        {"r": r, "shared": [labels[c] for c in r.shared_categories if c in labels]}
        for r in sel.referrals_for_participant(access.participant)
    ]
    return render(
        request,
        "casework/referrals_list.html",
        {"p": access.participant, "access": access, "referrals": referrals},
    )


def _shareable_by_organisation(participant) -> dict[int, list[str]]:
    """For each organisation named by an in-force consent of the participant, the categories it may receive."""
    result: dict[int, set[str]] = {}
    for consent in (
        Consent.objects.in_force()
        .filter(participant=participant)
        .prefetch_related("organisations", "category_rows")
    ):
        codes = set(consent.category_codes)
        for org in consent.organisations.all():
            result.setdefault(org.pk, set()).update(codes)
    return {org: [c for c in Category.values if c in codes] for org, codes in result.items()}


@require_record_permission("casework.record")
def referral_create(request, pk: int):
    access = participant_for_casework_write(request.user, pk, category=Category.CASE_NOTES)
    p = access.participant
    providers = list(sel.providers_for_user(request.user, active_only=True))
    form = ReferralForm(
        request.POST or None, providers=providers, initial={"provider": request.GET.get("provider")}
    )
    if request.method == "POST" and form.is_valid():
        provider = next((x for x in providers if x.pk == form.cleaned_data["provider"]), None)
        try:
            services.referral_create(
                actor=request.user,
                participant=p,
                provider=provider,
                need=form.cleaned_data["need"],
                approved_on=form.cleaned_data["approved_on"],
                shared_categories=form.cleaned_data["shared_categories"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The referral is recorded."))
            return redirect("casework:referral_list", pk=p.pk)
    shareable = _shareable_by_organisation(p)
    labels = dict(Category.choices)
    sharing = [
        {
            "provider": x,
            "categories": [labels[c] for c in shareable.get(x.organisation_id, [])]
            if x.organisation_id
            else [],
        }
        for x in providers
    ]
    return render(request, "casework/referrals_create.html", {"p": p, "form": form, "sharing": sharing})


@require_record_permission("casework.record")
def referral_step(request, pk: int, referral_pk: int):
    access = participant_for_casework_write(request.user, pk, category=Category.CASE_NOTES)
    p = access.participant
    referral = sel.referral_for_participant(p, referral_pk)
    if referral is None:
        raise Http404
    form = ReferralStepForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.referral_step(actor=request.user, referral=referral, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The step is recorded."))
            return redirect("casework:referral_list", pk=p.pk)
    return render(request, "casework/referrals_step.html", {"p": p, "form": form, "referral": referral})


# --- incidents (B9) -----------------------------------------------------------------------------------


@require_record_permission("casework.view")
def incident_list(request, pk: int):
    access = participant_for_casework(
        request.user, pk, category=Category.RISK, read_action="casework.incident.viewed"
    )
    page = paginate(request, sel.incidents_for_participant(access.participant))
    return render(request, "casework/referrals_incident_list.html", {"p": access.participant, "page": page})


@require_record_permission("casework.record_incidents")
def incident_create(request, pk: int):
    access = participant_for_casework_write(request.user, pk, category=Category.RISK)
    p = access.participant
    form = IncidentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.incident_record(actor=request.user, participant=p, **form.cleaned_data)
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


# --- on-call (B10) ------------------------------------------------------------------------------------


def _user_organisations(user) -> list[Organisation]:
    return list(Organisation.objects.filter(pk__in=user.organisation_ids, is_active=True).order_by("name"))


@require_permission("casework.view")
def on_call(request):
    org_ids = request.user.organisation_ids
    page = paginate(request, sel.on_call_entries_for_user(request.user))
    visible = sel.visible_participant_ids(request.user, [e.participant_id for e in page])
    return render(
        request,
        "casework/referrals_on_call.html",
        {
            "page": page,
            "visible": visible,
            "on_call": sel.on_call_now(org_ids),
            "upcoming": sel.upcoming_shifts(org_ids),
        },
    )


@require_permission("casework.record_incidents")
def on_call_create(request):
    organisations = _user_organisations(request.user)
    form = OnCallEntryForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        organisation = next((o for o in organisations if o.pk == data.pop("organisation")), None)
        community_id = data.pop("participant").strip()
        participant = None
        if community_id:
            participant = (
                Participant.objects.current()
                .filter(community_id__iexact=community_id)
                .filter(
                    Q(organisation=organisation)
                    | Q(
                        enrollments__status=Enrollment.Status.ACTIVE,
                        enrollments__program__organisation=organisation,
                    )
                )
                .distinct()
                .first()
            )
            if participant is None:
                form.add_error("participant", _("No participant of this organisation has this identifier."))
        if not form.errors:
            try:
                services.on_call_log(
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
            services.on_call_shift_set(
                actor=request.user,
                organisation=next((o for o in organisations if o.pk == data["organisation"]), None),
                worker=next((w for w in workers if w.pk == data["worker"]), None),
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
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


@require_record_permission("casework.view")
def reengagement(request, pk: int):
    access = participant_for_casework(request.user, pk, category=Category.CASE_NOTES)
    p = access.participant
    plans = sel.reengagement_plans_for(p)
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
            services.lost_contact_flag(actor=request.user, enrollment=enrollment)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("A re-engagement plan is started."))
    return redirect("casework:reengagement", pk=p.pk)


@require_record_permission("casework.record")
def outreach_task_add(request, pk: int):
    access = participant_for_casework_write(request.user, pk, category=Category.CASE_NOTES)
    p = access.participant
    plan = sel.open_reengagement_plan(p)
    if plan is None:
        messages.error(request, _("No re-engagement plan is open."))
        return redirect("casework:reengagement", pk=p.pk)
    workers = _org_workers(p)
    form = OutreachTaskForm(request.POST or None, workers=workers)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        worker_pk = data.pop("assigned_to")
        try:
            services.outreach_task_add(
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
    task = sel.outreach_task_for(p, task_pk)
    if task is None:
        raise Http404
    form = OutreachTaskDoneForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.outreach_task_done(actor=request.user, task=task, **form.cleaned_data)
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
    plan = sel.open_reengagement_plan(p)
    if plan is None:
        messages.error(request, _("No re-engagement plan is open."))
        return redirect("casework:reengagement", pk=p.pk)
    form = ReengagementCloseForm(request.POST)
    if form.is_valid():
        try:
            services.reengagement_close(actor=request.user, plan=plan, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The re-engagement plan is closed."))
    else:
        messages.error(request, _("Choose how the plan ends."))
    return redirect("casework:reengagement", pk=p.pk)
