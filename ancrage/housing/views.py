"""Pages of housing: the units, adding one, correcting one, holding it out of matching and offering it."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ancrage.core.permissions import require_permission
from ancrage.core.views_helpers import apply_service_errors, paginate
from ancrage.housing import services
from ancrage.housing.forms import HoldForm, UnitFilterForm, UnitForm
from ancrage.housing.models import AccessibilityFeature, Unit

BADGES: dict[str, str] = {
    Unit.Status.AVAILABLE: "text-bg-success",
    Unit.Status.RESERVED: "text-bg-info",
    Unit.Status.OCCUPIED: "text-bg-secondary",
    Unit.Status.OFF_MARKET: "text-bg-light border",
    Unit.Status.ON_HOLD: "text-bg-warning",
}


@require_permission("housing.view_units")
def unit_list(request):
    form = UnitFilterForm(request.GET)
    qs = Unit.objects.select_related("organisation", "area").order_by("address", "pk")
    if form.is_valid():
        if form.cleaned_data.get("status"):
            qs = qs.filter(status=form.cleaned_data["status"])
        if form.cleaned_data.get("area"):
            # A borough shows the units of its neighbourhoods too.
            area = form.cleaned_data["area"]
            qs = qs.filter(Q(area_id=area) | Q(area__parent_id=area))
    # Read in the order of the index `unit_address` and not counted: the page's rows and one more (issue 16).
    page = paginate(request, qs, count=False)
    mine = set(request.user.organisation_ids)
    for unit in page.object_list:
        unit.badge = BADGES.get(unit.status, "text-bg-light border")  # type: ignore[attr-defined]
        unit.is_mine = unit.organisation_id in mine  # type: ignore[attr-defined]
    return render(request, "housing/unit_list.html", {"form": form, "page": page})


def _unit_kwargs(form: UnitForm, kept=None) -> dict:
    data = form.cleaned_data
    values = {
        "address": data["address"],
        "area": data["area"],
        "kind": data["kind"],
        "bedrooms": data["bedrooms"],
        "monthly_rent": data["monthly_rent"],
        "features": list(data["features"]),
        "requirements": form.requirements(kept),
        "available_from": data["available_from"],
        "building": data["building"],
        "unit_number": data["unit_number"],
        "utilities": list(data["utilities"]),
        "smoking_allowed": data["smoking_allowed"],
        "condition": data["condition"],
        "available_until": data["available_until"],
    }
    if not values["condition"]:
        del values["condition"]  # not sent: the unit keeps its condition (good for a new one)
    return values


@require_permission("housing.manage_units")
def unit_create(request):
    form = UnitForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            unit = services.unit_create(
                actor=request.user,
                organisation=data["organisation"],
                open_for_matching=data["open_for_matching"],
                **_unit_kwargs(form),
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The unit %(unit)s is added.") % {"unit": unit})
            return redirect("housing:unit_list")
    return render(request, "housing/unit_form.html", {"form": form})


def _own_unit(request, pk: int) -> Unit:
    """A unit of one of the user's organisations; another organisation's unit is not found (404)."""
    return get_object_or_404(
        Unit.objects.select_related("organisation", "area", "area__parent", "building", "building__landlord"),
        pk=pk,
        organisation_id__in=request.user.organisation_ids,
    )


@require_permission("housing.manage_units")
def unit_detail(request, pk: int):
    unit = _own_unit(request, pk)
    return render(request, "housing/unit_detail.html", _detail_context(unit, HoldForm()))


def _detail_context(unit: Unit, hold_form: HoldForm) -> dict:
    from ancrage.housing.models import Utility
    from ancrage.organisations.requirements import describe_requirement

    labels = dict(AccessibilityFeature.choices)
    included = dict(Utility.choices)
    unit.badge = BADGES.get(unit.status, "text-bg-light border")  # type: ignore[attr-defined]
    return {
        "unit": unit,
        "hold_form": hold_form,
        "features": [str(labels.get(f, f)) for f in unit.features or []],
        "utilities": [str(included.get(u, u)) for u in unit.utilities or []],
        "requirements": [describe_requirement(r) for r in unit.requirements or []],
    }


@require_permission("housing.manage_units")
def unit_edit(request, pk: int):
    unit = _own_unit(request, pk)
    form = UnitForm(request.POST or None, user=request.user, unit=unit, initial=UnitForm.initial_for(unit))
    if request.method == "POST" and form.is_valid():
        try:
            services.unit_update(actor=request.user, unit=unit, **_unit_kwargs(form, unit.requirements))
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The unit is saved."))
            return redirect("housing:unit_detail", pk=unit.pk)
    return render(request, "housing/unit_form.html", {"form": form, "unit": unit})


@require_POST
@require_permission("housing.manage_units")
def unit_hold(request, pk: int):
    unit = _own_unit(request, pk)
    form = HoldForm(request.POST)
    if form.is_valid():
        try:
            services.unit_hold(actor=request.user, unit=unit, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The unit is on hold: it is out of matching until it is released."))
            return redirect("housing:unit_detail", pk=unit.pk)
    # The reason typed stays in the form, with what is wrong next to it.
    return render(request, "housing/unit_detail.html", _detail_context(unit, form), status=400)


@require_POST
@require_permission("housing.manage_units")
def unit_release(request, pk: int):
    unit = _own_unit(request, pk)
    try:
        services.unit_release(actor=request.user, unit=unit)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The unit is released: it is available again."))
    return redirect("housing:unit_detail", pk=unit.pk)


@require_POST
@require_permission("housing.manage_units")
def unit_offer(request, pk: int):
    unit = _own_unit(request, pk)
    try:
        outcomes = services.unit_offer(actor=request.user, unit=unit)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("housing:unit_detail", pk=unit.pk)
    for outcome in outcomes:
        if outcome.proposed:
            messages.success(request, outcome.message)
        else:
            messages.warning(request, outcome.message)
    # The opening's page shows the proposal (to whoever may see the person) or who was checked and why.
    target = next((o.url for o in outcomes if o.url), "")
    if target and request.user.has_ancrage_perm("access.manage_matches"):
        return redirect(target)
    return redirect("housing:unit_detail", pk=unit.pk)
