"""Pages of housing: the units and adding one."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ancrage.core.permissions import require_permission
from ancrage.core.views_helpers import apply_service_errors, paginate
from ancrage.housing import services
from ancrage.housing.forms import UnitFilterForm, UnitForm
from ancrage.housing.models import Unit

BADGES = {
    Unit.Status.AVAILABLE: "text-bg-success",
    Unit.Status.RESERVED: "text-bg-info",
    Unit.Status.OCCUPIED: "text-bg-secondary",
    Unit.Status.OFF_MARKET: "text-bg-light border",
}


@require_permission("housing.view_units")
def unit_list(request):
    form = UnitFilterForm(request.GET)
    qs = Unit.objects.select_related("organisation").order_by("neighbourhood", "address", "pk")
    if form.is_valid():
        if form.cleaned_data.get("status"):
            qs = qs.filter(status=form.cleaned_data["status"])
        if form.cleaned_data.get("neighbourhood"):
            qs = qs.filter(neighbourhood__icontains=form.cleaned_data["neighbourhood"].strip())
    page = paginate(request, qs)
    page.object_list = list(page.object_list)
    for unit in page.object_list:
        unit.badge = BADGES.get(unit.status, "text-bg-light border")  # type: ignore[attr-defined]
    return render(request, "housing/unit_list.html", {"form": form, "page": page})


@require_permission("housing.manage_units")
def unit_create(request):
    form = UnitForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            unit = services.unit_create(
                actor=request.user,
                organisation=data["organisation"],
                address=data["address"],
                neighbourhood=data["neighbourhood"],
                kind=data["kind"],
                bedrooms=data["bedrooms"],
                monthly_rent=data["monthly_rent"],
                features=list(data["features"]),
                requirements=form.requirements(),
                available_from=data["available_from"],
                open_for_matching=data["open_for_matching"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The unit %(unit)s is added.") % {"unit": unit})
            return redirect("housing:unit_list")
    return render(request, "housing/unit_form.html", {"form": form})
