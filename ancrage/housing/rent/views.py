"""Pages of the rent payment service (C5): the months and arrears, a month's roll (what is owed to whom, the
payments and their reconciliation, closing the month), a tenancy's rent account (shares received, arrears,
repayment plans), a landlord's statement, and the accounting export."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import override
from django.views.decorators.http import require_POST

from ancrage.core import audit, clock
from ancrage.core.exports import table_response, wants_xlsx
from ancrage.core.permissions import require_permission, require_record_permission
from ancrage.core.views_helpers import apply_service_errors
from ancrage.housing.models import Landlord, LandlordPayment, RentCharge, RentRoll, ShareReceipt
from ancrage.housing.rent import selectors, services
from ancrage.housing.rent.arithmetic import first_of_month, months_between
from ancrage.housing.rent.forms import (
    CarryForm,
    GenerateForm,
    PaymentForm,
    PlanForm,
    ReceiptForm,
    ReconcileForm,
    StatementForm,
)

STATUS_BADGES: dict[str, str] = {
    RentRoll.Status.DRAFT: "text-bg-warning",
    RentRoll.Status.APPROVED: "text-bg-info",
    RentRoll.Status.CLOSED: "text-bg-secondary",
}


def _badge(roll: RentRoll) -> RentRoll:
    roll.badge = STATUS_BADGES.get(roll.status, "text-bg-light")  # type: ignore[attr-defined]
    return roll


@require_permission("housing.view_rent")
def rent_home(request):
    """The months of each service the user reads, the current roll and the arrears."""
    today = clock.today()
    rolls = [_badge(r) for r in selectors.rolls_for(request.user).order_by("-month", "service__name")[:36]]
    managed = selectors.services_managed_by(request.user)
    generate = None
    if managed.exists():
        generate = GenerateForm(initial={"month": first_of_month(today)}, services=managed)
    arrears = selectors.arrears_list(request.user, today)
    audit.record_reads(
        actor=request.user, reads=[(t.participant_id, "housing.rent.arrears.listed") for t, _a in arrears]
    )
    current = [r for r in rolls if r.month == first_of_month(today)]
    return render(
        request,
        "housing/rent/home.html",
        {"rolls": rolls, "current": current, "generate": generate, "arrears": arrears, "today": today},
    )


@require_POST
@require_permission("housing.manage_rent")
def roll_generate(request):
    managed = selectors.services_managed_by(request.user)
    form = GenerateForm(request.POST, services=managed)
    if form.is_valid():
        try:
            roll = services.roll_generate(
                actor=request.user, service=form.cleaned_data["service"], month=form.cleaned_data["month"]
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("The roll of %(month)s is generated: check it, then approve it.")
                % {"month": services.month_label(roll.month)},
            )
            return redirect("housing:rent_roll", roll.pk)
    for error in [*form.non_field_errors(), *(e for f in form for e in f.errors)]:
        messages.error(request, error)
    return redirect("housing:rent_home")


def _roll_context(request, roll: RentRoll, **forms) -> dict:
    lines = selectors.landlord_lines(roll)
    return {
        "roll": _badge(roll),
        "lines": lines,
        "totals": selectors.roll_totals(roll),
        "can_manage": selectors.can_manage(request.user, roll) and roll.status != RentRoll.Status.CLOSED,
        "payment_form": forms.get("payment_form") or PaymentForm(initial={"paid_on": clock.today()}),
        "reconcile_form": ReconcileForm(initial={"reconciled_on": clock.today()}),
        "carry_form": CarryForm(),
        "form_landlord": forms.get("landlord"),
        "unsettled": sum(1 for line in lines if not line.settled),
    }


@require_record_permission("housing.view_rent")
def roll_detail(request, pk: int):
    roll = selectors.roll_get_for_user(request.user, pk)
    return render(request, "housing/rent/roll.html", _roll_context(request, roll))


def _managed_roll(request, pk: int) -> RentRoll:
    roll = selectors.roll_get_for_user(request.user, pk)
    if not selectors.can_manage(request.user, roll):
        raise Http404
    return roll


def _service_call(request, call, success: str) -> bool:
    try:
        call()
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return False
    messages.success(request, success)
    return True


@require_POST
@require_record_permission("housing.manage_rent")
def roll_approve(request, pk: int):
    roll = _managed_roll(request, pk)
    _service_call(
        request,
        lambda: services.roll_approve(actor=request.user, roll=roll),
        _("The roll is approved: landlords may be paid."),
    )
    return redirect("housing:rent_roll", roll.pk)


@require_POST
@require_record_permission("housing.manage_rent")
def roll_regenerate(request, pk: int):
    roll = _managed_roll(request, pk)
    _service_call(
        request,
        lambda: services.roll_generate(actor=request.user, service=roll.service, month=roll.month),
        _("The draft roll is generated again from the tenancies."),
    )
    return redirect("housing:rent_roll", roll.pk)


@require_POST
@require_record_permission("housing.manage_rent")
def roll_close(request, pk: int):
    roll = _managed_roll(request, pk)
    _service_call(
        request,
        lambda: services.roll_close(actor=request.user, roll=roll),
        _("The month is closed: nothing in it can change any more."),
    )
    return redirect("housing:rent_roll", roll.pk)


def _landlord_of(roll: RentRoll, landlord_pk: int) -> Landlord:
    landlord = Landlord.objects.filter(pk=landlord_pk, rent_charges__roll=roll).distinct().first()
    if landlord is None:
        raise Http404
    return landlord


@require_POST
@require_record_permission("housing.manage_rent")
def payment_create(request, pk: int, landlord_pk: int):
    roll = _managed_roll(request, pk)
    landlord = _landlord_of(roll, landlord_pk)
    form = PaymentForm(request.POST)
    if form.is_valid():
        try:
            services.payment_record(actor=request.user, roll=roll, landlord=landlord, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request, _("The payment to %(landlord)s is recorded.") % {"landlord": landlord.name}
            )
            return redirect("housing:rent_roll", roll.pk)
    context = _roll_context(request, roll, payment_form=form, landlord=landlord.pk)
    return render(request, "housing/rent/roll.html", context)


@require_POST
@require_record_permission("housing.manage_rent")
def landlord_carry(request, pk: int, landlord_pk: int):
    roll = _managed_roll(request, pk)
    landlord = _landlord_of(roll, landlord_pk)
    form = CarryForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect("housing:rent_roll", roll.pk)
    _service_call(
        request,
        lambda: services.landlord_carry(
            actor=request.user, roll=roll, landlord=landlord, reason=form.cleaned_data["reason"]
        ),
        _("The charges of %(landlord)s are carried over.") % {"landlord": landlord.name},
    )
    return redirect("housing:rent_roll", roll.pk)


@require_POST
@require_record_permission("housing.manage_rent")
def payment_reconcile(request, pk: int):
    payment = (
        LandlordPayment.objects.filter(pk=pk, roll__in=selectors.rolls_for(request.user))
        .select_related("roll", "landlord")
        .first()
    )
    if payment is None or not selectors.can_manage(request.user, payment.roll):
        raise Http404
    form = ReconcileForm(request.POST)
    if form.is_valid():
        _service_call(
            request,
            lambda: services.payment_reconcile(
                actor=request.user, payment=payment, reconciled_on=form.cleaned_data["reconciled_on"]
            ),
            _("The payment to %(landlord)s is reconciled.") % {"landlord": payment.landlord.name},
        )
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
    return redirect("housing:rent_roll", payment.roll_id)


@require_record_permission("housing.view_rent")
def roll_export(request, pk: int):
    """The month's roll and payments for accounting: one row per landlord, with what is owed, paid, how and
    when (CSV or XLSX through the shared exporter, headers in the reader's language)."""
    roll = selectors.roll_get_for_user(request.user, pk)
    header = [
        _("Month"),
        _("Landlord"),
        _("Landlord number"),
        _("Charges"),
        _("Owed"),
        _("Carried over"),
        _("To pay"),
        _("Paid"),
        _("Method"),
        _("Reference"),
        _("Paid on"),
        _("Reconciled on"),
    ]
    rows = []
    for line in selectors.landlord_lines(roll):
        p = line.payment
        rows.append(
            [
                roll.month.strftime("%Y-%m"),
                line.landlord.name,
                line.landlord.pk,
                line.charges,
                line.owed,
                line.carried,
                line.to_pay,
                p.amount if p else None,
                p.get_method_display() if p else "",
                p.reference if p else "",
                p.paid_on if p else None,
                p.reconciled_on if p else None,
            ]
        )
    response, count = table_response(
        filename_stem=_("rent-roll-%(month)s") % {"month": roll.month.strftime("%Y-%m")},
        header=header,
        rows=rows,
        as_xlsx=wants_xlsx(request),
    )
    audit.record(
        actor=request.user,
        action="housing.rent.exported",
        obj=roll,
        organisation=roll.service,
        data={"rows": count, "format": "xlsx" if wants_xlsx(request) else "csv"},
    )
    return response


@require_record_permission("housing.view_rent")
def tenancy_account(request, pk: int):
    """A tenancy's rent account: its monthly shares, what was received, the arrears and the plans."""
    tenancy = selectors.tenancy_get_for_user(request.user, pk)
    audit.record_read(
        actor=request.user, participant=tenancy.participant, what="housing.rent.account.viewed", obj=tenancy
    )
    return render(request, "housing/rent/account.html", _account_context(request, tenancy))


def _account_context(request, tenancy, **forms) -> dict:
    from ancrage.housing.models import Tenancy

    today = clock.today()
    found = selectors.arrears(Tenancy.objects.filter(pk=tenancy.pk), today).get(tenancy.pk)
    return {
        "tenancy": tenancy,
        "arrears": found,
        "charges": RentCharge.objects.filter(tenancy=tenancy)
        .select_related("roll")
        .order_by("-roll__month")[:24],
        "receipts": ShareReceipt.objects.filter(tenancy=tenancy).order_by("-received_on", "-pk")[:24],
        "plans": selectors.plans_for(Tenancy.objects.filter(pk=tenancy.pk)).order_by("-starts_on", "-pk"),
        "can_manage": request.user.has_ancrage_perm("housing.manage_rent")
        and selectors.services_managed_by(request.user)
        .filter(consortium_id=tenancy.landlord.organisation.consortium_id)
        .exists(),
        "receipt_form": forms.get("receipt_form")
        or ReceiptForm(
            initial={
                "month": first_of_month(today),
                "received_on": today,
                "amount": tenancy.participant_share,
            }
        ),
        "plan_form": forms.get("plan_form") or PlanForm(initial={"starts_on": first_of_month(today)}),
    }


@require_POST
@require_record_permission("housing.manage_rent")
def receipt_create(request, pk: int):
    tenancy = selectors.tenancy_get_for_user(request.user, pk)
    form = ReceiptForm(request.POST)
    if form.is_valid():
        try:
            services.receipt_record(actor=request.user, tenancy=tenancy, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The share received is recorded."))
            return redirect("housing:rent_account", tenancy.pk)
    return render(
        request,
        "housing/rent/account.html",
        _account_context(request, tenancy, receipt_form=form),
    )


@require_POST
@require_record_permission("housing.manage_rent")
def plan_create(request, pk: int):
    tenancy = selectors.tenancy_get_for_user(request.user, pk)
    form = PlanForm(request.POST)
    if form.is_valid():
        try:
            services.plan_create(actor=request.user, tenancy=tenancy, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The repayment plan is set."))
            return redirect("housing:rent_account", tenancy.pk)
    return render(request, "housing/rent/account.html", _account_context(request, tenancy, plan_form=form))


def _statement(landlord: Landlord, rolls, start, end) -> dict:
    months = months_between(start, end)
    charges = (
        RentCharge.objects.filter(landlord=landlord, roll__in=rolls, roll__month__in=months)
        .select_related("roll", "tenancy__unit")
        .order_by("roll__month", "tenancy__unit__address", "pk")
    )
    payments = {
        p.roll_id: p
        for p in LandlordPayment.objects.filter(landlord=landlord, roll__in=rolls, roll__month__in=months)
    }
    per_month: dict = {}
    for charge in charges:
        entry = per_month.setdefault(
            charge.roll.month,
            {"month": charge.roll.month, "charges": [], "owed": 0, "payment": payments.get(charge.roll_id)},
        )
        entry["charges"].append(charge)
        entry["owed"] += charge.amount
    rows = [per_month[m] for m in sorted(per_month)]
    return {
        "landlord": landlord,
        "start": start,
        "end": end,
        "rows": rows,
        "owed": sum((r["owed"] for r in rows), 0),
        "paid": sum((r["payment"].amount for r in rows if r["payment"]), 0),
    }


@require_record_permission("housing.view_rent")
def landlord_statement(request, landlord_pk: int):
    """What was owed to a landlord over a period and how it was paid, in the landlord's language; printable,
    and as a PDF with ?pdf=1."""
    services_qs = selectors.services_for(request.user)
    landlord = Landlord.objects.filter(
        pk=landlord_pk, organisation__consortium_id__in=services_qs.values("consortium_id")
    ).first()
    if landlord is None:
        raise Http404
    today = clock.today()
    form = StatementForm(
        request.GET
        or {"start": first_of_month(today).replace(month=1).strftime("%Y-%m"), "end": today.strftime("%Y-%m")}
    )
    if not form.is_valid():
        return render(
            request, "housing/rent/statement.html", {"landlord": landlord, "form": form}, status=400
        )
    rolls = RentRoll.objects.filter(service__in=services_qs)
    with override(landlord.language or "fr"):
        data = _statement(landlord, rolls, form.cleaned_data["start"], form.cleaned_data["end"])
        if request.GET.get("pdf"):
            from ancrage.housing.rent.pdf import statement_pdf

            response = HttpResponse(statement_pdf(data), content_type="application/pdf")
            response["Content-Disposition"] = f'inline; filename="statement-{landlord.pk}.pdf"'
            return response
        return render(
            request, "housing/rent/statement.html", {**data, "form": form, "language": landlord.language}
        )
