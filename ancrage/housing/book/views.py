"""Pages of the landlords' book (C1, C2): the book, a landlord with its people, buildings, units, contacts
and complaints; logging a contact, a complaint and its resolution; the availability list."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ancrage.core import clock
from ancrage.core.permissions import require_permission
from ancrage.core.views_helpers import apply_service_errors, paginate
from ancrage.housing.book import selectors, services
from ancrage.housing.book.forms import (
    AvailabilityFilterForm,
    BookFilterForm,
    BuildingForm,
    ComplaintForm,
    ContactForm,
    LandlordForm,
    RepresentativeForm,
    ResolveForm,
    RetireForm,
)
from ancrage.housing.models import AccessibilityFeature, Building, Landlord, Tenancy, Unit, Utility

CONDITION_BADGES: dict[str, str] = {
    Unit.Condition.GOOD: "text-bg-success",
    Unit.Condition.MINOR_REPAIRS: "text-bg-warning",
    Unit.Condition.MAJOR_REPAIRS: "text-bg-danger",
    Unit.Condition.UNINHABITABLE: "text-bg-dark",
}


@login_required
def housing_home(request):
    """The housing section opens on the landlords' book, or the units for a role that sees only those."""
    if request.user.has_ancrage_perm("housing.view_landlords"):
        return redirect("housing:landlord_list")
    if request.user.has_ancrage_perm("housing.view_units"):
        return redirect("housing:unit_list")
    raise PermissionDenied


def _contacts(user) -> list[tuple[int, str]]:
    from ancrage.accounts.models import User

    ids = selectors.landlords_visible_to(user).exclude(program_contact=None).values("program_contact_id")
    return [
        (u.pk, u.get_full_name() or u.username)
        for u in User.objects.filter(pk__in=ids).order_by("first_name", "username")
    ]


@require_permission("housing.view_landlords")
def landlord_list(request):
    form = BookFilterForm(request.GET or None, contacts=_contacts(request.user))
    filters = form.cleaned_data if form.is_valid() else {}
    qs = selectors.landlord_book(
        request.user,
        query=filters.get("q") or "",
        kind=filters.get("kind") or "",
        contact_id=filters.get("contact"),
        overdue=bool(filters.get("overdue")),
        open_complaints=bool(filters.get("complaints")),
        tenancies=False,  # the book does not show them (see selectors.with_figures)
    )
    page = paginate(request, qs)
    page.object_list = list(page.object_list)
    for landlord in page.object_list:
        landlord.due_on = selectors.due_on(landlord)  # type: ignore[attr-defined]
        landlord.is_due = landlord.due_on is None or landlord.due_on <= clock.today()  # type: ignore[attr-defined]
    return render(request, "housing/book/landlord_list.html", {"form": form, "page": page})


def _landlord_form_values(form: LandlordForm) -> dict:
    return {k: form.cleaned_data[k] for k in services.LANDLORD_FIELDS}


@require_permission("housing.manage_landlords")
def landlord_create(request):
    from ancrage.organisations.models import Organisation

    orgs = list(Organisation.objects.filter(pk__in=list(request.user.organisation_ids)).order_by("name"))
    form = LandlordForm(request.POST or None, organisation_ids=request.user.organisation_ids)
    if request.method == "POST" and form.is_valid():
        try:
            landlord = services.landlord_create(
                actor=request.user, organisation=orgs[0], **_landlord_form_values(form)
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The landlord %(name)s is in the book.") % {"name": landlord.name})
            return redirect("housing:landlord_detail", landlord_pk=landlord.pk)
    return render(request, "housing/book/landlord_form.html", {"form": form})


@require_permission("housing.view_landlords")
def landlord_detail(request, landlord_pk: int):
    landlord = selectors.landlord_get(request.user, landlord_pk)
    figures = selectors.with_figures(Landlord.objects.filter(pk=landlord.pk)).get()
    buildings = list(
        Building.objects.filter(landlord=landlord)
        .select_related("area", "area__parent")
        .prefetch_related(
            Prefetch("units", queryset=Unit.objects.select_related("area").order_by("unit_number", "pk"))
        )
        .order_by("-is_active", "address", "pk")
    )
    for building in buildings:
        for unit in building.units.all():
            unit.condition_badge = CONDITION_BADGES.get(unit.condition, "")  # type: ignore[attr-defined]
    complaints = selectors.complaints_for(
        request.user, landlord.complaints.order_by("resolved_at", "-received_at")[:50]
    )
    can_manage = request.user.has_ancrage_perm("housing.manage_landlords") and (
        landlord.organisation_id in request.user.organisation_ids
    )
    return render(
        request,
        "housing/book/landlord_detail.html",
        {
            "landlord": landlord,
            "figures": figures,
            "due_on": selectors.due_on(figures),
            "checkin_days": services.checkin_days(landlord),
            "representatives": list(landlord.representatives.order_by("-is_active", "name", "pk")),
            "buildings": buildings,
            "contacts": list(landlord.contacts.select_related("recorded_by")[:30]),
            "complaints": complaints,
            "can_manage": can_manage,
            "contact_form": ContactForm(initial={"channel": landlord.preferred_channel}),
            "representative_form": RepresentativeForm(),
            "retire_form": RetireForm(),
            "today": clock.today(),
        },
    )


def _landlord_to_manage(request, landlord_pk: int) -> Landlord:
    return selectors.landlord_get(request.user, landlord_pk, manage=True)


@require_permission("housing.manage_landlords")
def landlord_edit(request, landlord_pk: int):
    landlord = _landlord_to_manage(request, landlord_pk)
    initial = {k: getattr(landlord, k) for k in services.LANDLORD_FIELDS}
    form = LandlordForm(request.POST or None, organisation_ids=[landlord.organisation_id], initial=initial)
    if request.method == "POST" and form.is_valid():
        values = {k: v for k, v in _landlord_form_values(form).items() if v != initial[k]}
        try:
            services.landlord_update(actor=request.user, landlord=landlord, **values)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The landlord is saved."))
            return redirect("housing:landlord_detail", landlord_pk=landlord.pk)
    return render(request, "housing/book/landlord_form.html", {"form": form, "landlord": landlord})


@require_POST
@require_permission("housing.manage_landlords")
def landlord_retire(request, landlord_pk: int):
    landlord = _landlord_to_manage(request, landlord_pk)
    form = RetireForm(request.POST)
    if form.is_valid():
        try:
            services.landlord_retire(
                actor=request.user, landlord=landlord, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The landlord is retired from the book."))
    else:
        messages.error(request, _("Say why the landlord leaves the book."))
    return redirect("housing:landlord_detail", landlord_pk=landlord.pk)


@require_permission("housing.manage_landlords")
def representative_add(request, landlord_pk: int):
    landlord = _landlord_to_manage(request, landlord_pk)
    form = RepresentativeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.representative_add(actor=request.user, landlord=landlord, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The representative is added."))
            return redirect("housing:landlord_detail", landlord_pk=landlord.pk)
    return render(
        request,
        "housing/book/simple_form.html",
        {"form": form, "landlord": landlord, "title": _("Add a representative"), "submit": _("Add")},
    )


@require_permission("housing.manage_landlords")
def building_create(request, landlord_pk: int):
    landlord = _landlord_to_manage(request, landlord_pk)
    form = BuildingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.building_create(actor=request.user, landlord=landlord, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The building is added."))
            return redirect("housing:landlord_detail", landlord_pk=landlord.pk)
    return render(
        request,
        "housing/book/simple_form.html",
        {"form": form, "landlord": landlord, "title": _("Add a building"), "submit": _("Add")},
    )


@require_permission("housing.manage_landlords")
def building_edit(request, building_pk: int):
    building = get_object_or_404(
        Building.objects.select_related("landlord"),
        pk=building_pk,
        landlord__in=selectors.landlords_visible_to(request.user).filter(
            organisation_id__in=list(request.user.organisation_ids)
        ),
    )
    initial = {
        "name": building.name,
        "address": building.address,
        "area": building.area_id,
        "notes": building.notes,
    }
    form = BuildingForm(request.POST or None, initial=initial, keep_area=building.area_id)
    if request.method == "POST" and form.is_valid():
        values = {k: v for k, v in form.cleaned_data.items() if (v.pk if k == "area" else v) != initial[k]}
        try:
            services.building_update(actor=request.user, building=building, **values)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The building is saved."))
            return redirect("housing:landlord_detail", landlord_pk=building.landlord_id)
    return render(
        request,
        "housing/book/simple_form.html",
        {
            "form": form,
            "landlord": building.landlord,
            "title": _("Correct the building"),
            "submit": _("Save"),
        },
    )


@require_permission("housing.manage_landlords")
def contact_create(request, landlord_pk: int):
    landlord = _landlord_to_manage(request, landlord_pk)
    form = ContactForm(
        request.POST or None, initial={"channel": landlord.preferred_channel, "purpose": "check_in"}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.contact_log(actor=request.user, landlord=landlord, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The contact is logged."))
            return redirect("housing:landlord_detail", landlord_pk=landlord.pk)
    return render(
        request,
        "housing/book/simple_form.html",
        {"form": form, "landlord": landlord, "title": _("Log a contact"), "submit": _("Log the contact")},
    )


def _tenancies_of(request, landlord: Landlord) -> list[Tenancy]:
    """The landlord's tenancies going on whose participant the user may read (others are never named)."""
    return list(
        selectors.tenancies_readable(request.user)
        .filter(landlord=landlord, ended_on__isnull=True)
        .select_related("participant", "unit", "unit__area")
        .order_by("unit__address", "pk")
    )


@require_permission("housing.manage_landlords")
def complaint_create(request, landlord_pk: int):
    from ancrage.core.audit import record_reads

    landlord = _landlord_to_manage(request, landlord_pk)
    tenancies = _tenancies_of(request, landlord)
    # The tenants named in the list are read (a write request records its write instead).
    record_reads(actor=request.user, reads=[(t.participant_id, "housing.tenancy.listed") for t in tenancies])
    form = ComplaintForm(request.POST or None, tenancies=tenancies)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.complaint_record(
                actor=request.user,
                landlord=landlord,
                kind=data["kind"],
                subject=data["subject"],
                tenancy=data["tenancy"],
                received_at=data["received_at"],
                details=data["details"],
                first_response_at=clock.now() if data["answered"] else None,
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The complaint is recorded."))
            return redirect("housing:landlord_detail", landlord_pk=landlord.pk)
    return render(
        request,
        "housing/book/simple_form.html",
        {
            "form": form,
            "landlord": landlord,
            "title": _("Record a complaint or a notice"),
            "submit": _("Record"),
        },
    )


@require_permission("housing.view_landlords")
def complaint_list(request):
    """The open complaints and notices of the book, oldest first."""
    qs = (
        selectors.complaints_visible_to(request.user)
        .filter(resolved_at__isnull=True)
        .order_by("received_at", "pk")
    )
    page = paginate(request, qs)
    page.object_list = selectors.complaints_for(request.user, page.object_list)
    return render(request, "housing/book/complaint_list.html", {"page": page, "now": clock.now()})


@require_POST
@require_permission("housing.manage_landlords")
def complaint_respond(request, complaint_pk: int):
    complaint = selectors.complaint_get(request.user, complaint_pk, manage=True)
    try:
        services.complaint_respond(actor=request.user, complaint=complaint)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The first response is recorded."))
    return redirect("housing:landlord_detail", landlord_pk=complaint.landlord_id)


@require_permission("housing.manage_landlords")
def complaint_resolve(request, complaint_pk: int):
    complaint = selectors.complaint_get(request.user, complaint_pk, manage=True)
    form = ResolveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.complaint_resolve(
                actor=request.user, complaint=complaint, resolution=form.cleaned_data["resolution"]
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The complaint is resolved."))
            return redirect("housing:landlord_detail", landlord_pk=complaint.landlord_id)
    return render(
        request,
        "housing/book/simple_form.html",
        {
            "form": form,
            "landlord": complaint.landlord,
            "title": _("Resolve: %(complaint)s") % {"complaint": complaint},
            "submit": _("Resolve"),
        },
    )


@require_permission("housing.view_units")
def availability(request):
    form = AvailabilityFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    qs = selectors.availability(
        selectors.AvailabilityFilters(
            area_id=data.get("area"),
            bedrooms=data.get("bedrooms"),
            max_rent=data.get("max_rent"),
            feature=data.get("feature") or "",
            kind=data.get("kind") or "",
        )
    )
    # Read on the index `unit_available` and not counted: the page's rows and one more (issue 16).
    page = paginate(request, qs, count=False)
    features, utilities = dict(AccessibilityFeature.choices), dict(Utility.choices)
    today = clock.today()
    for unit in page.object_list:
        unit.feature_labels = [str(features.get(f, f)) for f in unit.features or []]  # type: ignore[attr-defined]
        unit.utility_labels = [str(utilities.get(u, u)) for u in unit.utilities or []]  # type: ignore[attr-defined]
        unit.is_now = unit.available_from <= today  # type: ignore[attr-defined]
        unit.condition_badge = CONDITION_BADGES.get(unit.condition, "")  # type: ignore[attr-defined]
    return render(request, "housing/book/availability.html", {"form": form, "page": page})
