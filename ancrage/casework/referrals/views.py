"""Pages of the directory of services and referrals out (B7)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from ancrage.casework.models import ServiceKind
from ancrage.casework.referrals import selectors as referrals_selectors
from ancrage.casework.referrals import services as referrals_services
from ancrage.casework.referrals.forms import ProviderForm, ProviderSearchForm, ReferralForm, ReferralStepForm
from ancrage.casework.selectors import participant_for_casework, participant_for_casework_write
from ancrage.core.forms import SearchForm
from ancrage.core.permissions import Category, require_permission, require_record_permission
from ancrage.core.views_helpers import apply_service_errors, paginate
from ancrage.organisations.models import Organisation
from ancrage.people.models import Consent

# --- directory of external services -------------------------------------------------------------------


def _consortium_organisations(user):
    consortia = referrals_selectors.user_consortium_ids(user)
    return list(Organisation.objects.filter(consortium_id__in=consortia, is_active=True).order_by("name"))


@require_permission("casework.view")
def provider_list(request):
    form = ProviderSearchForm(request.GET or None)
    values = form.values() if request.GET else {"q": "", "kind": ""}
    page = paginate(request, referrals_selectors.providers_for_user(request.user, **values))
    return render(request, "casework/referrals_provider_list.html", {"form": form, "page": page})


@require_permission("casework.record")
def provider_refer(request, provider_pk: int):
    """From the directory: choose whom to refer to this service (the user's caseload, or a search), then the
    referral form with the service chosen."""
    provider = referrals_selectors.provider_for_user(request.user, provider_pk)
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
            "participants": referrals_selectors.referral_candidates(request.user, q=q),
        },
    )


def _provider_values(form) -> dict:
    data = dict(form.cleaned_data)
    org_pk = data.pop("organisation", None)
    data["organisation"] = Organisation.objects.filter(pk=org_pk).first() if org_pk else None
    return data


@require_permission("casework.manage_directory")
def provider_create(request):
    consortia = referrals_selectors.user_consortium_ids(request.user)
    if not consortia:
        raise Http404
    organisations = _consortium_organisations(request.user)
    form = ProviderForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        membership = request.user.primary_membership
        try:
            provider = referrals_services.provider_create(
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
    provider = referrals_selectors.provider_for_user(request.user, provider_pk)
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
        "description_en": provider.description_en,
        "organisation": provider.organisation_id,
        "is_active": provider.is_active,
    }
    form = ProviderForm(request.POST or None, initial=initial, organisations=organisations, editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            referrals_services.provider_update(
                actor=request.user, provider=provider, **_provider_values(form)
            )
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
        for r in referrals_selectors.referrals_for_participant(access.participant)
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
    providers = list(referrals_selectors.providers_for_user(request.user, active_only=True))
    # Where the referral was asked from (the exit form, F3) is where the user goes back to: a path of this site.
    back = _back_url(request, p)
    # Only the services that fit the need (the directory holds dozens): the kind chosen above the form, or
    # that of the service the page was opened for.
    kind = request.GET.get("kind", "")
    chosen = request.GET.get("provider", "")
    if kind not in ServiceKind.values:
        kind = next((x.kind for x in providers if str(x.pk) == chosen), "")
    if kind:
        providers = [x for x in providers if x.kind == kind]
    form = ReferralForm(request.POST or None, providers=providers, initial={"provider": chosen})
    if request.method == "POST" and form.is_valid():
        provider = next((x for x in providers if x.pk == form.cleaned_data["provider"]), None)
        try:
            referrals_services.referral_create(
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
            if back:
                return redirect(back)
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
    return render(
        request,
        "casework/referrals_create.html",
        {
            "p": p,
            "form": form,
            "sharing": sharing,
            "kind": kind,
            "kinds": ServiceKind.choices,
            "back": back,
            "cancel_url": back or reverse("casework:referral_list", kwargs={"pk": p.pk}),
        },
    )


def _back_url(request, participant) -> str:
    """The `next` of the request when it is a page of this participant's file on this site, else ""."""
    wanted = str(request.POST.get("next") or request.GET.get("next") or "")
    prefix = reverse("people:detail", kwargs={"pk": participant.pk})
    if wanted.startswith(prefix) and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=False
    ):
        return wanted
    return ""


@require_record_permission("casework.record")
def referral_step(request, pk: int, referral_pk: int):
    access = participant_for_casework_write(request.user, pk, category=Category.CASE_NOTES)
    p = access.participant
    referral = referrals_selectors.referral_for_participant(p, referral_pk)
    if referral is None:
        raise Http404
    form = ReferralStepForm(request.POST or None, current=referral.status)
    if request.method == "POST" and form.is_valid():
        try:
            referrals_services.referral_step(actor=request.user, referral=referral, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The step is recorded."))
            return redirect("casework:referral_list", pk=p.pk)
    return render(request, "casework/referrals_step.html", {"p": p, "form": form, "referral": referral})


# --- on-call (B10) ------------------------------------------------------------------------------------


def _user_organisations(user) -> list[Organisation]:
    return list(Organisation.objects.filter(pk__in=user.organisation_ids, is_active=True).order_by("name"))
