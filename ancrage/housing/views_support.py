"""Pages of move-in support (the furniture bank), the housing budgets and the housing outcomes."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ancrage.core import clock, exports
from ancrage.core.audit import record_read, record_reads
from ancrage.core.permissions import require_permission, require_record_permission
from ancrage.core.views_helpers import apply_service_errors
from ancrage.housing import selectors_support as sel
from ancrage.housing import services_budgets as budgets
from ancrage.housing import services_furniture as furniture
from ancrage.housing.forms_support import (
    BudgetFilterForm,
    BudgetLineForm,
    DeliveryForm,
    DeliveryStatusForm,
    ExpenseForm,
    ItemForm,
    OutcomesFilterForm,
    ReservationForm,
    StockForm,
)
from ancrage.housing.models import Expense, FurnitureDelivery, FurnitureReservation, TemporaryStay, Tenancy
from ancrage.organisations.models import Organisation

# --- furniture bank ---------------------------------------------------------------------------------------


def _bank_organisation(user) -> Organisation | None:
    """The furniture bank the user keeps: their organisation that has one, else their first organisation."""
    ids = list(user.organisation_ids)
    keeping = (
        Organisation.objects.filter(pk__in=ids, furniture_items__isnull=False)
        .distinct()
        .order_by("pk")
        .first()
    )
    return keeping or Organisation.objects.filter(pk__in=ids).order_by("pk").first()


@require_permission("housing.manage_furniture")
def furniture_bank(request):
    user = request.user
    today = clock.today()
    items = list(sel.items_for(user))
    kits = list(sel.kits_for(user))
    reservations = list(
        sel.reservations_for(user)
        .filter(status=FurnitureReservation.Status.RESERVED)
        .prefetch_related("deliveries")
        .order_by("created_at", "id")[:50]
    )
    deliveries = list(
        sel.deliveries_for(user)
        .filter(status=FurnitureDelivery.Status.BOOKED, scheduled_for__gte=today)
        .order_by("scheduled_for", "window_start", "id")[:50]
    )
    for resa in reservations:
        resa.booked = next((d for d in resa.deliveries.all() if d.status == "booked"), None)  # type: ignore[attr-defined]
    record_reads(
        actor=user,
        reads=[(r.participant_id, "housing.furniture.viewed") for r in reservations]
        + [(d.participant_id, "housing.furniture.viewed") for d in deliveries],
    )
    return render(
        request,
        "housing/support/furniture_bank.html",
        {
            "items": items,
            "kits": kits,
            "reservations": reservations,
            "deliveries": deliveries,
            "stock_form": StockForm(),
            "today": today,
            "section": "furniture",
        },
    )


@require_permission("housing.manage_furniture")
def furniture_item_create(request):
    form = ItemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        organisation = _bank_organisation(request.user)
        try:
            if organisation is None:
                raise ValidationError(_("You belong to no organisation."))
            furniture.item_create(actor=request.user, organisation=organisation, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The item is added to the furniture bank."))
            return redirect("housing:furniture_bank")
    return render(request, "housing/support/item_form.html", {"form": form, "section": "furniture"})


@require_permission("housing.manage_furniture")
@require_POST
def furniture_stock(request):
    form = StockForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
        return redirect("housing:furniture_bank")
    data = dict(form.cleaned_data)
    item = sel.items_for(request.user).filter(pk=data.pop("item")).first()
    if item is None:
        messages.error(request, _("Choose an item of your furniture bank."))
        return redirect("housing:furniture_bank")
    try:
        item = furniture.stock_move(actor=request.user, item=item, **data)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("%(item)s: %(count)s on hand.") % {"item": item.name, "count": item.on_hand}
        )
    return redirect("housing:furniture_bank")


def _visible_participant(user, raw):
    """A participant whose housing the user may see, from an id typed or tampered with; None otherwise."""
    try:
        pk = int(raw)
    except (TypeError, ValueError):
        return None
    if not 0 < pk < 2**63:
        return None
    return sel.housing_visible(user).filter(pk=pk).first()


@require_permission("housing.manage_furniture")
def furniture_reserve(request):
    user = request.user
    participant = _visible_participant(
        user, request.POST.get("participant") or request.GET.get("participant")
    )
    if participant is None:
        messages.error(
            request, _("Open the file of a participant whose housing you may see, then reserve from it.")
        )
        return redirect("housing:furniture_bank")
    items, kits = list(sel.items_for(user)), list(sel.kits_for(user))
    form = ReservationForm(
        request.POST or None, items=items, kits=kits, initial={"participant": participant.pk}
    )
    tenancy = (
        Tenancy.objects.filter(participant=participant, ended_on__isnull=True)
        .select_related("unit")
        .order_by("-lease_start")
        .first()
    )
    if request.method == "POST" and form.is_valid():
        chosen_items, chosen_kits = form.chosen()
        organisation = items[0].organisation if items else _bank_organisation(user)
        try:
            if organisation is None:
                raise ValidationError(_("You belong to no organisation."))
            resa = furniture.reservation_create(
                actor=user,
                organisation=organisation,
                participant=participant,
                items=chosen_items,
                kits=chosen_kits,
                tenancy=tenancy,
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The furniture is reserved. Book its delivery."))
            return redirect(f"{reverse('housing:furniture_delivery_book')}?reservation={resa.pk}")
    return render(
        request,
        "housing/support/reserve.html",
        {"form": form, "participant": participant, "tenancy": tenancy, "section": "furniture"},
    )


@require_permission("housing.manage_furniture")
def furniture_delivery_book(request):
    """Book the delivery of ?reservation=<id>: one of the user's furniture bank, for a participant whose housing
    they may see (else 404, as for one that does not exist)."""
    if not request.GET.get("reservation"):
        messages.info(request, _("Choose the reservation whose delivery to book."))
        return redirect("housing:furniture_bank")
    try:
        pk = int(request.GET["reservation"])
    except ValueError:
        raise Http404 from None
    resa = sel.reservations_for(request.user).filter(pk=pk).first() if 0 < pk < 2**63 else None
    if resa is None:
        raise Http404
    record_read(actor=request.user, participant=resa.participant, what="housing.furniture.viewed", obj=resa)
    form = DeliveryForm(
        request.POST or None,
        initial={
            "scheduled_for": clock.today(),
            "window_start": "09:00",
            "window_end": "12:00",
            "carrier": "van",
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            furniture.delivery_book(actor=request.user, reservation=resa, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The delivery is booked."))
            return redirect("housing:furniture_bank")
    return render(
        request,
        "housing/support/delivery_form.html",
        {
            "form": form,
            "reservation": resa,
            "default_address": furniture.default_address(resa),
            "section": "furniture",
        },
    )


@require_record_permission("housing.manage_furniture")
@require_POST
def furniture_delivery_status(request, delivery_pk: int):
    delivery = get_object_or_404(sel.deliveries_for(request.user), pk=delivery_pk)
    form = DeliveryStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose delivered or cancelled."))
        return redirect("housing:furniture_bank")
    try:
        furniture.delivery_set_status(
            actor=request.user, delivery=delivery, status=form.cleaned_data["status"]
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if form.cleaned_data["status"] == FurnitureDelivery.Status.DELIVERED:
            messages.success(request, _("Delivered: the items are out of stock."))
        else:
            messages.success(request, _("The delivery is cancelled; the items stay reserved."))
    return redirect("housing:furniture_bank")


# --- budgets ----------------------------------------------------------------------------------------------


@require_permission("housing.view_budgets")
def budget_overview(request):
    user = request.user
    programs = list(sel.programs_for_budgets(user))
    form = BudgetFilterForm(request.GET or None, programs=programs)
    year = clock.today().year
    program = None
    if form.is_valid():
        year = form.cleaned_data.get("year") or year
        chosen = form.cleaned_data.get("program")
        program = next((p for p in programs if p.pk == chosen), None)
    lines = sel.budget_lines_for(user).filter(year=year)
    if program is not None:
        lines = lines.filter(program=program)
    spending = budgets.spending_for(
        lines.order_by("program__organisation__short_name", "program__name", "kind")
    )
    expenses = list(
        Expense.objects.filter(line__in=[s.line for s in spending])
        .select_related("line", "line__program", "participant")
        .order_by("-spent_on", "-id")[:25]
    )
    visible = set(
        sel.housing_visible(user)
        .filter(pk__in=[e.participant_id for e in expenses if e.participant_id])
        .values_list("pk", flat=True)
    )
    for expense in expenses:
        expense.shown_participant = expense.participant if expense.participant_id in visible else None  # type: ignore[attr-defined]
    record_reads(actor=user, reads=[(pk, "housing.budget.viewed") for pk in visible])
    chart = {
        "labels": [f"{s.line.program.organisation.short_name} {s.line.get_kind_display()}" for s in spending],
        "series": [
            {"label": _("Budgeted"), "data": [float(s.line.amount) for s in spending]},
            {"label": _("Spent"), "data": [float(s.spent) for s in spending]},
        ],
    }
    return render(
        request,
        "housing/support/budgets.html",
        {
            "form": form,
            "year": year,
            "program": program,
            "spending": spending,
            "expenses": expenses,
            "chart": chart,
            "section": "budgets",
        },
    )


@require_permission("housing.manage_budgets")
def budget_line_set(request):
    user = request.user
    programs = [p for p in sel.programs_for_budgets(user) if p.organisation_id in user.organisation_ids]
    form = BudgetLineForm(request.POST or None, programs=programs, initial={"year": clock.today().year})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        program = next((p for p in programs if p.pk == data.pop("program")), None)
        try:
            if program is None:
                raise ValidationError({"program": [_("Choose a program of your organisation.")]})
            line = budgets.budget_line_set(actor=user, program=program, **data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The budget line %(line)s is saved.") % {"line": line})
            return redirect(f"{reverse('housing:budgets')}?program={program.pk}&year={line.year}")
    return render(request, "housing/support/line_form.html", {"form": form, "section": "budgets"})


@require_permission("housing.record_expenses")
def expense_create(request):
    """?participant=<id>&tenancy=<id>&kind=<line kind>&program=<id> prefill the form (the evictions part links
    "pay for a temporary stay" here). A participant the user may not see is left out, as if absent."""
    user = request.user
    year = clock.today().year
    lines = list(
        sel.budget_lines_for(user)
        .filter(year__gte=year - 1)
        .order_by("-year", "program__organisation__short_name", "program__name", "kind")
    )
    source = request.POST if request.method == "POST" else request.GET
    participant = _visible_participant(user, source.get("participant"))
    tenancy = None
    if participant is not None and source.get("tenancy"):
        try:
            tenancy = Tenancy.objects.filter(participant=participant, pk=int(source["tenancy"])).first()
        except (TypeError, ValueError, OverflowError):
            tenancy = None
    # ?stay=<id>: the expense pays a temporary stay after an eviction (C8), linked to it once recorded.
    stay = None
    if participant is not None and request.GET.get("stay", "").isdigit() and len(request.GET["stay"]) < 12:
        stay = TemporaryStay.objects.filter(
            pk=int(request.GET["stay"]), participant=participant, expense__isnull=True
        ).first()
    initial: dict = {"spent_on": clock.today(), "participant": getattr(participant, "pk", None)}
    initial["tenancy"] = getattr(tenancy, "pk", None)
    kind = request.GET.get("kind")
    program_pk = request.GET.get("program") or (tenancy.program_id if tenancy else None)
    match = [ln for ln in lines if ln.year == year and ln.kind == kind]
    if program_pk:
        match = [ln for ln in match if str(ln.program_id) == str(program_pk)] or match
    if match:
        initial["line"] = match[0].pk
    form = ExpenseForm(request.POST or None, lines=lines, initial=initial)
    warning = ""
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        line = next((ln for ln in lines if ln.pk == data["line"]), None)
        if source.get("participant") and participant is None:
            form.add_error(None, _("Choose a participant whose housing you may see."))
        elif line is None:
            form.add_error("line", _("Choose a budget line of your consortium's programs."))
        else:
            try:
                done = budgets.expense_record(
                    actor=user,
                    line=line,
                    spent_on=data["spent_on"],
                    amount=data["amount"],
                    description=data["description"],
                    vendor=data["vendor"],
                    participant=participant,
                    tenancy=tenancy,
                    confirm_over=data["confirm_over"],
                    over_reason=data["over_budget_reason"],
                )
            except ValidationError as exc:
                apply_service_errors(form, exc)
                warning = "over" if "over_budget_reason" in getattr(exc, "error_dict", {}) else ""
            else:
                messages.success(request, _("The expense is recorded."))
                if done.warning:
                    messages.warning(request, done.warning)
                if stay is not None:
                    from ancrage.housing.services_tenancies import stay_link_expense

                    try:
                        stay_link_expense(actor=user, stay=stay, expense=done.expense)
                    except ValidationError as exc:
                        messages.warning(request, " ".join(exc.messages))
                    return redirect("housing:stay_detail", stay.pk)
                return redirect(f"{reverse('housing:budgets')}?program={line.program_id}&year={line.year}")
    return render(
        request,
        "housing/support/expense_form.html",
        {
            "form": form,
            "participant": participant,
            "tenancy": tenancy,
            "over": warning,
            "spending": {s.line.pk: s for s in budgets.spending_for([ln for ln in lines if ln.year == year])},
            "section": "budgets",
        },
    )


# --- outcomes ---------------------------------------------------------------------------------------------


def _outcomes(request):
    user = request.user
    programs = list(sel.programs_for_budgets(user))
    organisations = sorted({p.organisation for p in programs}, key=lambda o: o.short_name)
    form = OutcomesFilterForm(request.GET or None, organisations=organisations, programs=programs)
    start, end = form.period()
    data = form.cleaned_data if form.is_valid() else {}
    report = sel.outcomes_report(
        user, start=start, end=end, organisation_id=data.get("organisation"), program_id=data.get("program")
    )
    return form, report


class Cell:
    """A count as a table may show it: a small one (1 to threshold - 1) is "fewer than N" (A7's rule)."""

    def __init__(self, value: int, threshold: int, hidden: bool = False):
        self.value = value
        self.hidden = hidden or 0 < value < threshold
        self.threshold = threshold

    def __str__(self) -> str:
        if self.hidden:
            return _("fewer than %(n)s") % {"n": self.threshold}
        return str(self.value)


def _protected(row: sel.OutcomeRow, threshold: int) -> dict:
    """The figures of a row as cells: small counts hidden, and a rate hidden when the counts it is made of are
    (a rate and a shown cohort would give the hidden count back)."""
    cells = {figure: Cell(row.count(figure), threshold) for figure in sel.FIGURES}
    shown: dict = {"cells": cells, "row": row}
    for months in (6, 12):
        retained, cohort = cells[f"retained_{months}"], cells[f"cohort_{months}"]
        not_retained = cells[f"not_retained_{months}"]
        hide = cohort.hidden or retained.hidden or not_retained.hidden
        if hide:
            retained.hidden = not_retained.hidden = True
        shown[f"rate_{months}"] = None if hide else getattr(row, f"rate_{months}")
    small_people = row.count("moved_in")
    shown["median_days"] = row.median_days if small_people >= threshold else None
    shown["p75_days"] = row.p75_days if small_people >= threshold else None
    return shown


@require_permission("housing.view_outcomes")
def outcomes_page(request):
    form, report = _outcomes(request)
    threshold = settings.ANCRAGE["SMALL_COUNT_THRESHOLD"]
    total = _protected(report.total, threshold)
    by_program = [_protected(r, threshold) for r in report.by_program]
    by_org = [_protected(r, threshold) for r in report.by_organisation]
    chart = {
        "labels": [r["row"].label for r in by_program],
        "series": [
            {
                "label": _("Retention at 6 months (%)"),
                "data": [float(r["rate_6"]) if r["rate_6"] is not None else None for r in by_program],
            },
            {
                "label": _("Retention at 12 months (%)"),
                "data": [float(r["rate_12"]) if r["rate_12"] is not None else None for r in by_program],
            },
        ],
    }
    return render(
        request,
        "housing/support/outcomes.html",
        {
            "form": form,
            "report": report,
            "total": total,
            "by_program": by_program,
            "by_org": by_org,
            "chart": chart,
            "threshold": threshold,
            "query": request.GET.urlencode(),
            "section": "outcomes",
        },
    )


FIGURE_LABELS = {
    "cohort_6": gettext_lazy("In the 6-month cohort"),
    "retained_6": gettext_lazy("Housed at 6 months"),
    "not_retained_6": gettext_lazy("Not housed at 6 months"),
    "deceased_6": gettext_lazy("Deceased before 6 months (left out)"),
    "cohort_12": gettext_lazy("In the 12-month cohort"),
    "retained_12": gettext_lazy("Housed at 12 months"),
    "not_retained_12": gettext_lazy("Not housed at 12 months"),
    "deceased_12": gettext_lazy("Deceased before 12 months (left out)"),
    "moved_in": gettext_lazy("First move-ins in the period"),
    "moves": gettext_lazy("Moves in the period"),
    "evictions": gettext_lazy("Evictions in the period"),
    "rehousings": gettext_lazy("Rehousings in the period"),
}


@require_permission("housing.view_outcomes")
def outcomes_people(request):
    """The people behind one figure, only those whose housing the reader may see (and the count of others)."""
    figure = request.GET.get("figure") or "cohort_12"
    if figure not in sel.FIGURES:
        raise Http404
    _form, report = _outcomes(request)
    row = report.row(request.GET.get("row", "all"))
    if row is None:
        raise Http404
    ids = set(row.people.get(figure, []))
    people = list(sel.visible_among(request.user, ids).select_related("organisation"))
    record_reads(actor=request.user, reads=[(p.pk, "housing.outcomes.people_viewed") for p in people])
    return render(
        request,
        "housing/support/outcomes_people.html",
        {
            "people": people,
            "hidden_count": len(ids) - len(people),
            "figure_label": FIGURE_LABELS[figure],
            "row": row,
            "report": report,
            "query": request.GET.urlencode(),
            "section": "outcomes",
        },
    )


@require_permission("housing.view_outcomes")
def outcomes_export(request):
    _form, report = _outcomes(request)
    threshold = settings.ANCRAGE["SMALL_COUNT_THRESHOLD"]
    header = [
        _("Group"),
        *[str(FIGURE_LABELS[f]) for f in sel.FIGURES],
        _("Retention at 6 months (%)"),
        _("Retention at 12 months (%)"),
        _("Median days to move-in"),
        _("75th percentile of days to move-in"),
    ]
    rows = []
    for raw in (report.total, *report.by_organisation, *report.by_program):
        shown = _protected(raw, threshold)
        rows.append(
            [
                raw.label,
                *[str(shown["cells"][f]) for f in sel.FIGURES],
                shown["rate_6"],
                shown["rate_12"],
                shown["median_days"],
                shown["p75_days"],
            ]
        )
    response, _count = exports.table_response(
        filename_stem=_("housing-outcomes"),
        header=header,
        rows=rows,
        as_xlsx=exports.wants_xlsx(request),
        sheet_title=_("Outcomes"),
    )
    return response
