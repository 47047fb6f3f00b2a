"""API (v1) of the rent payment service (C5): rolls and what they owe each landlord, charges, payments to
landlords and their reconciliation, participants' shares received, arrears. Same permissions and selectors as
the pages: amounts and landlords with `housing.view_rent`; a participant's arrears only under HOUSING."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.http import Http404
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from ancrage.core import audit, clock
from ancrage.core.api_types import Date, Id, Pagination, Text, errors, text_field
from ancrage.core.permissions import check_permission, check_record_permission
from ancrage.housing.models import Landlord, LandlordPayment, RentCharge, RentRoll, ShareReceipt
from ancrage.housing.rent import selectors, services

router = Router(tags=["rent payment"])

Money = Decimal


class LandlordLineOut(Schema):
    landlord_id: int
    landlord_name: str
    charges: int
    owed: Money
    carried: Money
    to_pay: Money
    payment_id: int | None
    paid: Money | None
    mismatch: Money = Field(..., description="Paid − to pay; zero when they agree or nothing is paid yet.")


class RentRollOut(Schema):
    id: int
    service_id: int
    month: datetime.date
    status: str
    status_label: str
    generated_at: datetime.datetime

    @staticmethod
    def of(roll: RentRoll) -> RentRollOut:
        return RentRollOut(
            id=roll.pk,
            service_id=roll.service_id,
            month=roll.month,
            status=roll.status,
            status_label=str(roll.get_status_display()),
            generated_at=roll.generated_at,
        )


class RentRollDetailOut(RentRollOut):
    total: Money
    supplement: Money
    share: Money
    paid: Money
    landlords: list[LandlordLineOut]


class RentChargeOut(Schema):
    id: int
    tenancy_id: int
    landlord_id: int
    days: int
    days_in_month: int
    monthly_rent: Money
    amount: Money
    supplement_part: Money
    share_part: Money
    carried: bool
    carry_reason: str

    @staticmethod
    def of(c: RentCharge) -> RentChargeOut:
        return RentChargeOut(
            id=c.pk,
            tenancy_id=c.tenancy_id,
            landlord_id=c.landlord_id,
            days=c.days,
            days_in_month=c.days_in_month,
            monthly_rent=c.monthly_rent,
            amount=c.amount,
            supplement_part=c.supplement_part,
            share_part=c.share_part,
            carried=c.carried,
            carry_reason=c.carry_reason,
        )


class PaymentOut(Schema):
    id: int
    roll_id: int
    landlord_id: int
    amount: Money
    method: str
    reference: str
    paid_on: datetime.date
    reconciled_on: datetime.date | None

    @staticmethod
    def of(p: LandlordPayment) -> PaymentOut:
        return PaymentOut(
            id=p.pk,
            roll_id=p.roll_id,
            landlord_id=p.landlord_id,
            amount=p.amount,
            method=p.method,
            reference=p.reference,
            paid_on=p.paid_on,
            reconciled_on=p.reconciled_on,
        )


class PaymentIn(Schema):
    landlord_id: Id
    amount: Decimal = Field(..., max_digits=8, decimal_places=2, description="More than zero.")
    method: Text = text_field(
        LandlordPayment, "method", description="cheque, bank_transfer or direct_deposit"
    )
    reference: Text = text_field(LandlordPayment, "reference", "", description="The cheque number.")
    paid_on: Date


class ReconcileIn(Schema):
    reconciled_on: Date


class ReceiptIn(Schema):
    month: Date = Field(..., description="Any day of the month the share is for.")
    amount: Decimal = Field(..., max_digits=8, decimal_places=2, description="More than zero.")
    received_on: Date
    method: Text = text_field(ShareReceipt, "method")
    reference: Text = text_field(ShareReceipt, "reference", "")


class ReceiptOut(Schema):
    id: int
    tenancy_id: int
    month: datetime.date
    amount: Money
    received_on: datetime.date
    method: str
    plan_id: int | None
    plan_part: Money


class ArrearsOut(Schema):
    tenancy_id: int
    participant_id: int
    landlord_id: int
    due: Money
    received: Money
    amount: Money
    months: list[datetime.date]
    over_threshold: bool


@router.get(
    "rent/rolls",
    response={200: list[RentRollOut], **errors(401, 403, 422)},
    summary="Rent rolls of the services you read, newest first",
)
@paginate(Pagination, page_size=24)
def list_rent_rolls(request):
    check_permission(request.user, "housing.view_rent")
    return [
        RentRollOut.of(r) for r in selectors.rolls_for(request.user).order_by("-month", "service_id")[:240]
    ]


@router.get(
    "rent/rolls/{roll_pk}",
    response={200: RentRollDetailOut, **errors(401, 404, 422)},
    summary="A rent roll: what is owed to each landlord, and what is paid",
)
def get_rent_roll(request, roll_pk: int):
    check_record_permission(request.user, "housing.view_rent")
    roll = selectors.roll_get_for_user(request.user, roll_pk)
    totals = selectors.roll_totals(roll)
    lines = [
        LandlordLineOut(
            landlord_id=line.landlord.pk,
            landlord_name=line.landlord.name,
            charges=line.charges,
            owed=line.owed,
            carried=line.carried,
            to_pay=line.to_pay,
            payment_id=line.payment.pk if line.payment else None,
            paid=line.payment.amount if line.payment else None,
            mismatch=line.mismatch,
        )
        for line in selectors.landlord_lines(roll)
    ]
    return RentRollDetailOut(
        **RentRollOut.of(roll).dict(),
        total=totals["amount"],
        supplement=totals["supplement"],
        share=totals["share"],
        paid=totals["paid"],
        landlords=lines,
    )


@router.get(
    "rent/rolls/{roll_pk}/charges",
    response={200: list[RentChargeOut], **errors(401, 404, 422)},
    summary="The charges of a rent roll (one per tenancy; amounts, no names)",
)
@paginate(Pagination, page_size=100)
def list_rent_charges(request, roll_pk: int):
    check_record_permission(request.user, "housing.view_rent")
    roll = selectors.roll_get_for_user(request.user, roll_pk)

    class _Charges:
        qs = RentCharge.objects.filter(roll=roll).order_by("landlord_id", "pk")

        def all(self):
            return self

        def count(self):
            return self.qs.count()

        def __getitem__(self, key):
            return [RentChargeOut.of(c) for c in self.qs[key]]

    return _Charges()


@router.post(
    "rent/rolls/{roll_pk}/payments",
    response={201: PaymentOut, **errors()},
    summary="Record the month's payment to a landlord (once a month)",
)
def record_landlord_payment(request, roll_pk: int, payload: PaymentIn):
    check_record_permission(request.user, "housing.manage_rent")
    roll = selectors.roll_get_for_user(request.user, roll_pk)
    if not selectors.can_manage(request.user, roll):
        raise Http404
    landlord = Landlord.objects.filter(pk=payload.landlord_id, rent_charges__roll=roll).distinct().first()
    payment = services.payment_record(
        actor=request.user,
        roll=roll,
        landlord=landlord,  # type: ignore[arg-type]
        amount=payload.amount,
        method=payload.method,
        reference=payload.reference,
        paid_on=payload.paid_on,
    )
    return Status(201, PaymentOut.of(payment))


@router.post(
    "rent/payments/{payment_pk}/reconcile",
    response={200: PaymentOut, **errors()},
    summary="Mark a payment as seen on the bank statement",
)
def reconcile_landlord_payment(request, payment_pk: int, payload: ReconcileIn):
    check_record_permission(request.user, "housing.manage_rent")
    payment = (
        LandlordPayment.objects.filter(pk=payment_pk, roll__in=selectors.rolls_for(request.user))
        .select_related("roll")
        .first()
    )
    if payment is None or not selectors.can_manage(request.user, payment.roll):
        raise Http404
    payment = services.payment_reconcile(
        actor=request.user, payment=payment, reconciled_on=payload.reconciled_on
    )
    return PaymentOut.of(payment)


@router.post(
    "rent/tenancies/{tenancy_pk}/receipts",
    response={201: ReceiptOut, **errors()},
    summary="Record a participant's share received",
)
def record_share_receipt(request, tenancy_pk: int, payload: ReceiptIn):
    check_record_permission(request.user, "housing.manage_rent")
    tenancy = selectors.tenancy_get_for_user(request.user, tenancy_pk)
    receipt = services.receipt_record(
        actor=request.user,
        tenancy=tenancy,
        month=payload.month,
        amount=payload.amount,
        received_on=payload.received_on,
        method=payload.method,
        reference=payload.reference,
    )
    return Status(
        201,
        ReceiptOut(
            id=receipt.pk,
            tenancy_id=receipt.tenancy_id,
            month=receipt.month,
            amount=receipt.amount,
            received_on=receipt.received_on,
            method=receipt.method,
            plan_id=receipt.plan_id,
            plan_part=receipt.plan_part,
        ),
    )


@router.get(
    "rent/arrears",
    response={200: list[ArrearsOut], **errors(401, 403)},
    summary="Arrears of participants' shares you may read, largest first",
)
def list_rent_arrears(request):
    check_permission(request.user, "housing.view_rent")
    rows = selectors.arrears_list(request.user, clock.today())
    audit.record_reads(
        actor=request.user, reads=[(t.participant_id, "housing.rent.arrears.listed") for t, _a in rows]
    )
    return [
        ArrearsOut(
            tenancy_id=t.pk,
            participant_id=t.participant_id,
            landlord_id=t.landlord_id,
            due=a.due,
            received=a.received,
            amount=a.amount,
            months=a.months,
            over_threshold=a.alerting,
        )
        for t, a in rows
    ]
