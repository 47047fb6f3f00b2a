"""Pages of a participant's housing (C3, C4, C8): the search and its options, the lease, the tenancy and its
renewals, its end or eviction, inspections with photos, temporary stays; the list of tenancies.

Every page about a participant reads through the housing selectors (role, organisation and consent: a record
the reader may not see is a 404) and every write goes through services_tenancies."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ancrage.core import clock
from ancrage.core.audit import record_reads
from ancrage.core.permissions import require_permission, require_record_permission
from ancrage.core.views_helpers import apply_service_errors, paginate
from ancrage.housing import selectors_tenancies as sel
from ancrage.housing import services_tenancies as ts
from ancrage.housing.forms_tenancies import (
    EndForm,
    EvictionForm,
    InspectionForm,
    LeaseForm,
    OfferForm,
    PhotoForm,
    RankForm,
    RenewForm,
    SearchStartForm,
    StayForm,
    StepForm,
)
from ancrage.housing.models import Eviction, HousingOption, Tenancy, Unit

THIRTY_PERCENT = Decimal("0.30")


def share_sentence(share: Decimal | None, income: Decimal | None) -> tuple[str, bool]:
    """The participant's share against 30% of their income, in words: « 32 % du revenu — au-dessus de 30 % »."""
    if share is None or not income:
        return "", False
    ratio = (Decimal(share) / Decimal(income)).quantize(Decimal("0.01"))
    percent = int((ratio * 100).to_integral_value())
    above = ratio > THIRTY_PERCENT
    if above:
        return _("%(percent)s %% of income — above 30 %%") % {"percent": percent}, True
    return _("%(percent)s %% of income — within 30 %%") % {"percent": percent}, False


def _decorate(tenancy: Tenancy) -> Tenancy:
    sentence, above = share_sentence(tenancy.participant_share, tenancy.participant_monthly_income)
    tenancy.share_sentence = sentence  # type: ignore[attr-defined]
    tenancy.share_above = above  # type: ignore[attr-defined]
    return tenancy


@require_permission("housing.view_tenancies")
def tenancy_list(request):
    """Tenancies of participants whose housing the reader may see: current ones first."""
    show = request.GET.get("show", "current")
    # Not counted: the page's rows and one more, read in the order of an index, or for a reader who sees
    # few tenancies from the people they may see (issue 16; see the selector).
    qs = sel.tenancy_list_page(request.user, show=show)
    page = paginate(request, qs.select_related("participant", "unit", "landlord"), count=False)
    page.object_list = [_decorate(t) for t in page.object_list]
    record_reads(
        actor=request.user, reads=[(t.participant_id, "housing.tenancy.viewed") for t in page.object_list]
    )
    return render(request, "housing/tenancies/tenancy_list.html", {"page": page, "show": show})


@require_record_permission("housing.view_tenancies")
def participant_housing(request, pk: int):
    """A participant's housing: the search under way and its options, the tenancies, temporary stays."""
    access = sel.participant_for_housing(request.user, pk)
    housing = sel.housing_of(access.participant)
    can_manage = request.user.has_ancrage_perm("housing.manage_tenancies")
    offered_units = [o.unit_id for o in housing.options]
    for t in housing.tenancies:
        _decorate(t)
    context = {
        "p": access.participant,
        "housing": housing,
        "can_manage": can_manage,
        "options_min": ts.options_min(),
        "search_form": SearchStartForm(),
        "offer_form": OfferForm(exclude=offered_units) if housing.open_search and can_manage else None,
        "step_form": StepForm(),
        "stay_form": StayForm(),
        "today": clock.today(),
    }
    return render(request, "housing/tenancies/participant_housing.html", context)


@require_POST
@require_record_permission("housing.manage_tenancies")
def search_start(request, pk: int):
    access = sel.participant_for_housing_write(request.user, pk)
    form = SearchStartForm(request.POST)
    if form.is_valid():
        try:
            ts.search_start(
                actor=request.user,
                participant=access.participant,
                started_on=form.cleaned_data["started_on"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The housing search is started: offer units now."))
    else:
        _form_messages(request, form)
    return redirect("housing:participant_housing", pk=access.participant.pk)


def _form_messages(request, form) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for message in errors:
            messages.error(request, f"{label} : {message}" if label else str(message))


def _post_step(request, form, write, done: str) -> None:
    """One small form of the participant's housing page: run `write(cleaned_data)` when the form is valid, and
    say what happened (done, or each refusal in the user's language) as messages on the page it returns to."""
    if not form.is_valid():
        _form_messages(request, form)
        return
    try:
        write(form.cleaned_data)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, done)


@require_POST
@require_record_permission("housing.manage_tenancies")
def option_offer(request, pk: int):
    search = sel.search_get_for_user(request.user, pk)
    _post_step(
        request,
        OfferForm(request.POST),
        lambda data: ts.option_offer(
            actor=request.user, search=search, unit=data["unit"], offered_on=data["offered_on"]
        ),
        _("The unit is offered."),
    )
    return redirect("housing:participant_housing", pk=search.participant_id)


@require_POST
@require_record_permission("housing.manage_tenancies")
def option_rank(request, pk: int):
    option = sel.option_get_for_user(request.user, pk)
    _post_step(
        request,
        RankForm(request.POST),
        lambda data: ts.option_rank(
            actor=request.user, option=option, rank=data["rank"], reasons=data["reasons"]
        ),
        _("The participant's ranking is saved."),
    )
    return redirect("housing:participant_housing", pk=option.search.participant_id)


@require_POST
@require_record_permission("housing.manage_tenancies")
def option_step(request, pk: int):
    option = sel.option_get_for_user(request.user, pk)
    _post_step(
        request,
        StepForm(request.POST),
        lambda data: ts.option_step(
            actor=request.user,
            option=option,
            step=data["step"],
            on=data["on"],
            at=data["at"],
            reason=data["reason"],
        ),
        _("The step is recorded."),
    )
    return redirect("housing:participant_housing", pk=option.search.participant_id)


def _lease_units(participant, option: HousingOption | None):
    """Units a lease may be recorded for: the chosen option's, or any unit of the book without a tenant now:
    available, reserved for a match, or occupied by a match transferred (A6) whose lease is not recorded yet."""
    if option is not None:
        return Unit.objects.filter(pk=option.unit_id)
    today = clock.today()
    let_now = Tenancy.objects.filter(lease_start__lte=today).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=today)
    )
    return (
        Unit.objects.filter(
            status__in=[Unit.Status.AVAILABLE, Unit.Status.RESERVED, Unit.Status.OCCUPIED],
            building__isnull=False,
        )
        .exclude(pk__in=let_now.values("unit_id"))
        .select_related("area")
        .order_by("status", "address", "pk")
    )


@require_record_permission("housing.manage_tenancies")
def lease_create(request, pk: int):
    access = sel.participant_for_housing_write(request.user, pk)
    participant = access.participant
    option = None
    option_id = request.GET.get("option") or request.POST.get("option")
    if option_id:
        try:
            option = sel.option_get_for_user(request.user, int(option_id))
        except (TypeError, ValueError):
            raise Http404 from None
        if option.search.participant_id != participant.pk:
            raise Http404
    units = _lease_units(participant, option)
    initial = {"lease_start": clock.today(), "lease_kind": "direct", "rent_supplement": 0, "deposit": 0}
    if option is not None:
        initial.update({"unit": option.unit_id, "monthly_rent": option.unit.monthly_rent})
    form = LeaseForm(request.POST or None, units=units, initial=initial)
    housing = sel.housing_of(participant)
    search = option.search if option else housing.open_search
    offered = len(sel.options_of(search)) if search else None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            tenancy = ts.tenancy_create(
                actor=request.user,
                participant=participant,
                unit=data["unit"],
                option=option,
                lease_kind=data["lease_kind"],
                head_lease_holder=data["head_lease_holder"],
                lease_start=data["lease_start"],
                lease_end=data["lease_end"],
                moved_in_on=data["moved_in_on"],
                monthly_rent=data["monthly_rent"],
                participant_share=data["participant_share"],
                participant_monthly_income=data["participant_monthly_income"],
                rent_supplement=data["rent_supplement"] or 0,
                supplement_source=data["supplement_source"],
                deposit=data["deposit"] or 0,
                few_options_reason=data["few_options_reason"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The lease is recorded: the unit is now occupied."))
            return redirect("housing:tenancy_detail", pk=tenancy.pk)
    share_text = ""
    if form.is_bound and form.is_valid():
        share_text, _above = share_sentence(
            form.cleaned_data.get("participant_share"), form.cleaned_data.get("participant_monthly_income")
        )
    return render(
        request,
        "housing/tenancies/lease_form.html",
        {
            "p": participant,
            "form": form,
            "option": option,
            "offered": offered,
            "options_min": ts.options_min(),
            "few": offered is not None and offered < ts.options_min(),
            "share_text": share_text,
        },
    )


@require_record_permission("housing.view_tenancies")
def tenancy_detail(request, pk: int):
    tenancy = _decorate(sel.tenancy_get_for_user(request.user, pk))
    context = {
        "t": tenancy,
        "p": tenancy.participant,
        "renewals": list(tenancy.renewals.order_by("renewed_on", "id")),
        "inspections": list(tenancy.inspections.prefetch_related("photos").order_by("-inspected_on", "-id")),
        "can_manage": request.user.has_ancrage_perm("housing.manage_tenancies"),
    }
    try:
        context["eviction"] = tenancy.eviction
    except Tenancy.eviction.RelatedObjectDoesNotExist:  # type: ignore[attr-defined]
        context["eviction"] = None
    if context["eviction"] is not None:
        context["stays"] = list(context["eviction"].temporary_stays.select_related("expense"))
    return render(request, "housing/tenancies/tenancy_detail.html", context)


def _tenancy_form_page(request, pk: int, form_class, template: str, save, success: str):
    tenancy = sel.tenancy_get_for_user(request.user, pk)
    form = form_class(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            result = save(tenancy, form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, success)
            return (
                redirect(result)
                if isinstance(result, str)
                else redirect("housing:tenancy_detail", pk=tenancy.pk)
            )
    return render(request, template, {"t": tenancy, "p": tenancy.participant, "form": form})


@require_record_permission("housing.manage_tenancies")
def tenancy_renew(request, pk: int):
    def save(tenancy, data):
        return ts.tenancy_renew(
            actor=request.user,
            tenancy=tenancy,
            renewed_on=data["renewed_on"],
            new_end=data["new_end"],
            new_rent=data["new_rent"],
            new_share=data["new_share"],
        )

    return _tenancy_form_page(
        request, pk, RenewForm, "housing/tenancies/renew_form.html", save, _("The renewal is recorded.")
    )


@require_record_permission("housing.manage_tenancies")
def tenancy_end(request, pk: int):
    def save(tenancy, data):
        return ts.tenancy_end(
            actor=request.user,
            tenancy=tenancy,
            ended_on=data["ended_on"],
            reason=data["reason"],
            note=data["note"],
            offer_for_matching=data["offer_for_matching"],
        )

    return _tenancy_form_page(
        request,
        pk,
        EndForm,
        "housing/tenancies/end_form.html",
        save,
        _("The tenancy is ended: the unit is available again."),
    )


@require_record_permission("housing.manage_tenancies")
def eviction_create(request, pk: int):
    def save(tenancy, data):
        ts.eviction_record(
            actor=request.user,
            tenancy=tenancy,
            left_on=data["left_on"],
            notice_received_on=data["notice_received_on"],
            causes=list(data["causes"]),
            what_led=data["what_led"],
            learning_plan=data["learning_plan"],
            plan_agreed_on=data["plan_agreed_on"],
        )
        from django.urls import reverse

        return reverse("housing:participant_housing", args=[tenancy.participant_id])

    return _tenancy_form_page(
        request,
        pk,
        EvictionForm,
        "housing/tenancies/eviction_form.html",
        save,
        _("The eviction is recorded and a new housing search is open: services go on."),
    )


@require_record_permission("housing.manage_tenancies")
def inspection_create(request, pk: int):
    from django.db import transaction

    def save(tenancy, data):
        with transaction.atomic():
            inspection = ts.inspection_record(
                actor=request.user,
                unit=tenancy.unit,
                tenancy=tenancy,
                kind=data["kind"],
                inspected_on=data["inspected_on"],
                condition=data["condition"],
                notes=data["notes"],
            )
            if data.get("photo"):
                try:
                    ts.photo_add(actor=request.user, inspection=inspection, upload=data["photo"])
                except ValidationError as exc:
                    raise ValidationError({"photo": exc.messages}) from None
        return inspection

    return _tenancy_form_page(
        request,
        pk,
        InspectionForm,
        "housing/tenancies/inspection_form.html",
        save,
        _("The inspection is recorded."),
    )


@require_record_permission("housing.manage_tenancies")
def photo_add(request, pk: int):
    inspection = sel.inspection_get_for_user(request.user, pk)
    form = PhotoForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            ts.photo_add(
                actor=request.user,
                inspection=inspection,
                upload=form.cleaned_data["photo"],
                caption=form.cleaned_data["caption"],
            )
        except ValidationError as exc:
            form.add_error("photo", exc.messages[0] if exc.messages else "")
        else:
            messages.success(request, _("The photo is added."))
            if inspection.tenancy_id:
                return redirect("housing:tenancy_detail", pk=inspection.tenancy_id)
            return redirect("housing:unit_list")
    return render(request, "housing/tenancies/photo_form.html", {"inspection": inspection, "form": form})


@require_record_permission("housing.view_tenancies")
def photo_view(request, pk: int):
    """A photo is never under a public address: served here after the permission and consent check."""
    photo = sel.photo_get_for_user(request.user, pk)
    # Read whole (photos are small, see INSPECTION_PHOTO_MAX_BYTES): no file handle outlives the request.
    with photo.image.open("rb") as handle:
        response = HttpResponse(handle.read(), content_type=photo.content_type)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_record_permission("housing.manage_tenancies")
def stay_create(request, pk: int):
    access = sel.participant_for_housing_write(request.user, pk)
    form = StayForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        eviction = (
            Eviction.objects.filter(tenancy__participant=access.participant)
            .order_by("-left_on", "-id")
            .first()
        )
        if eviction is not None and eviction.left_on < data["stay_from"] - datetime.timedelta(days=180):
            eviction = None
        try:
            stay = ts.temporary_stay_record(
                actor=request.user,
                participant=access.participant,
                kind=data["kind"],
                place=data["place"],
                stay_from=data["stay_from"],
                stay_to=data["stay_to"],
                eviction=eviction,
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The temporary stay is recorded."))
            return redirect("housing:stay_detail", pk=stay.pk)
    return render(request, "housing/tenancies/stay_form.html", {"p": access.participant, "form": form})


@require_record_permission("housing.view_tenancies")
def stay_detail(request, pk: int):
    stay = sel.stay_get_for_user(request.user, pk)
    return render(request, "housing/tenancies/stay_detail.html", {"stay": stay, "p": stay.participant})
