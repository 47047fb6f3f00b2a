"""Writes of the rent payment service (C5). Every one validates (messages in the user's language, by field),
refuses to touch a closed month, and writes its audit entry in the same transaction.

The roll's generation is set-based: one query reads the active tenancies, one statement writes the charges."""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ancrage.core import alerts, audit, clock
from ancrage.core.permissions import Role
from ancrage.housing.models import (
    Landlord,
    LandlordPayment,
    PaymentMethod,
    ReceiptMethod,
    RentCharge,
    RentRoll,
    RepaymentPlan,
    ShareReceipt,
    Tenancy,
)
from ancrage.housing.rent import selectors
from ancrage.housing.rent.arithmetic import (
    ZERO,
    days_covered,
    first_of_month,
    last_of_month,
    months_between,
    next_month,
    split,
)

if TYPE_CHECKING:
    from ancrage.accounts.models import User
    from ancrage.organisations.models import Organisation

MIN_YEAR, MAX_YEAR = 2000, 2100
MAX_AMOUNT = Decimal("999999.99")
REASON_MAX = 300


def month_label(month: datetime.date) -> str:
    return date_format(month, "YEAR_MONTH_FORMAT")


def _closed(roll: RentRoll) -> ValidationError:
    return ValidationError(
        _("The month of %(month)s is closed: nothing in it can change any more.")
        % {"month": month_label(roll.month)}
    )


def _check_date(errors: dict, field: str, day, *, not_after: datetime.date | None = None) -> None:
    if not isinstance(day, datetime.date) or not MIN_YEAR <= day.year <= MAX_YEAR:
        errors[field] = [
            _("Give a date between %(first)s and %(last)s.") % {"first": MIN_YEAR, "last": MAX_YEAR}
        ]
    elif not_after is not None and day > not_after:
        errors[field] = [_("This date is in the future.")]


def _check_amount(errors: dict, field: str, amount) -> Decimal | None:
    try:
        value = Decimal(str(amount))
    except (InvalidOperation, TypeError, ValueError):
        errors[field] = [_("Give an amount in dollars and cents.")]
        return None
    if not value.is_finite() or value <= 0:
        errors[field] = [_("The amount must be more than zero.")]
        return None
    if value > MAX_AMOUNT or value != value.quantize(Decimal("0.01")):
        errors[field] = [_("Give an amount in dollars and cents, below one million.")]
        return None
    return value


def _clean_text(value: str, limit: int) -> str:
    return (value or "").replace("\x00", "").strip()[:limit]


def _check_manager(actor: User | None, service: Organisation, errors: dict) -> None:
    if actor is None:
        return
    if not actor.has_ancrage_perm("housing.manage_rent") or service.pk not in set(actor.organisation_ids):
        errors["service"] = [_("You do not work for this rent payment service.")]


# --- The roll -----------------------------------------------------------------------------------------------


def _charges_for(roll: RentRoll) -> list[RentCharge]:
    """The charges of every tenancy the service pays that is active for at least a day of the month."""
    first, last = roll.month, last_of_month(roll.month)
    rows = (
        selectors.tenancies_paid_by(roll.service)
        .filter(lease_start__lte=last)
        .exclude(ended_on__lt=first)
        .values_list(
            "pk",
            "landlord_id",
            "participant_id",
            "lease_start",
            "ended_on",
            "monthly_rent",
            "participant_share",
        )
        .order_by("pk")
    )
    charges = []
    for pk, landlord_id, participant_id, lease_start, ended_on, rent, share in rows.iterator(chunk_size=2000):
        days, in_month = days_covered(first, lease_start, ended_on)
        if days <= 0:
            continue
        amount, supplement, share_part = split(rent, share, days, in_month)
        charges.append(
            RentCharge(
                roll=roll,
                tenancy_id=pk,
                landlord_id=landlord_id,
                participant_id=participant_id,
                days=days,
                days_in_month=in_month,
                monthly_rent=rent,
                amount=amount,
                supplement_part=supplement,
                share_part=share_part,
            )
        )
    return charges


@transaction.atomic
def roll_generate(*, actor: User | None, service: Organisation, month: datetime.date) -> RentRoll:
    """Generate the month's draft roll, or refresh a draft one (never a second roll, never twice the charges);
    an approved or closed roll cannot be generated again. `actor` is None for the scheduled job."""
    errors: dict[str, list[str]] = {}
    _check_manager(actor, service, errors)
    _check_date(errors, "month", month)
    if not selectors.rent_services().filter(pk=service.pk).exists():
        errors["service"] = [_("This organisation runs no rent payment service.")]
    if errors:
        raise ValidationError(errors)
    month = first_of_month(month)
    roll = RentRoll.objects.select_for_update().filter(service=service, month=month).first()
    if roll is not None and roll.status != RentRoll.Status.DRAFT:
        raise ValidationError(
            {
                "month": [
                    _("The roll of %(month)s is already approved: it cannot be generated again.")
                    % {"month": month_label(month)}
                ]
            }
        )
    now = clock.now()
    if roll is None:
        try:
            with transaction.atomic():
                roll = RentRoll.objects.create(
                    service=service, month=month, generated_at=now, generated_by=actor
                )
        except IntegrityError:
            raise ValidationError(
                {
                    "month": [
                        _("The roll of %(month)s was just generated by someone else.")
                        % {"month": month_label(month)}
                    ]
                }
            ) from None
        refreshed = False
    else:
        roll.generated_at, roll.generated_by = now, actor
        roll.save(update_fields=["generated_at", "generated_by", "updated_at"])
        RentCharge.objects.filter(roll=roll).delete()
        refreshed = True
    charges = _charges_for(roll)
    RentCharge.objects.bulk_create(charges, batch_size=1000)
    audit.record(
        actor=actor,
        action="housing.rent.roll_generated",
        obj=roll,
        organisation=service,
        data={
            "month": month.isoformat(),
            "charges": len(charges),
            "total": str(sum((c.amount for c in charges), ZERO)),
            "refreshed": refreshed,
        },
    )
    return roll


def _locked(roll: RentRoll) -> RentRoll:
    return RentRoll.objects.select_for_update(of=("self",)).select_related("service").get(pk=roll.pk)


@transaction.atomic
def roll_approve(*, actor: User, roll: RentRoll) -> RentRoll:
    roll = _locked(roll)
    errors: dict[str, list[str]] = {}
    _check_manager(actor, roll.service, errors)
    if errors:
        raise ValidationError(errors)
    if roll.status == RentRoll.Status.CLOSED:
        raise _closed(roll)
    if roll.status != RentRoll.Status.DRAFT:
        raise ValidationError(_("This roll is already approved."))
    roll.status, roll.approved_at, roll.approved_by = RentRoll.Status.APPROVED, clock.now(), actor
    roll.save(update_fields=["status", "approved_at", "approved_by", "updated_at"])
    audit.record(
        actor=actor,
        action="housing.rent.roll_approved",
        obj=roll,
        organisation=roll.service,
        data={"month": roll.month.isoformat()},
    )
    alerts.resolve(kind="housing.rent.roll_to_approve", obj=roll)
    return roll


@transaction.atomic
def roll_close(*, actor: User, roll: RentRoll) -> RentRoll:
    """Close the month: every landlord paid, or each unpaid charge carried over with a reason."""
    roll = _locked(roll)
    errors: dict[str, list[str]] = {}
    _check_manager(actor, roll.service, errors)
    if errors:
        raise ValidationError(errors)
    if roll.status == RentRoll.Status.CLOSED:
        raise _closed(roll)
    if roll.status != RentRoll.Status.APPROVED:
        raise ValidationError(_("Approve the roll before closing the month."))
    unpaid = [line.landlord.name for line in selectors.landlord_lines(roll) if not line.settled]
    if unpaid:
        raise ValidationError(
            _("Pay these landlords, or carry their charges over with a reason, before closing: %(names)s.")
            % {"names": ", ".join(unpaid[:10]) + ("…" if len(unpaid) > 10 else "")}
        )
    roll.status, roll.closed_at, roll.closed_by = RentRoll.Status.CLOSED, clock.now(), actor
    roll.save(update_fields=["status", "closed_at", "closed_by", "updated_at"])
    audit.record(
        actor=actor,
        action="housing.rent.roll_closed",
        obj=roll,
        organisation=roll.service,
        data={"month": roll.month.isoformat()},
    )
    return roll


@transaction.atomic
def charge_carry(*, actor: User, charge: RentCharge, reason: str) -> RentCharge:
    """Carry a charge over (not paid this month, on purpose): the month may close without it."""
    roll = _locked(charge.roll)
    errors: dict[str, list[str]] = {}
    _check_manager(actor, roll.service, errors)
    reason = _clean_text(reason, REASON_MAX + 1)
    if not reason:
        errors["reason"] = [_("Say why this charge is carried over.")]
    elif len(reason) > REASON_MAX:
        errors["reason"] = [_("Keep the reason under %(n)s characters.") % {"n": REASON_MAX}]
    if errors:
        raise ValidationError(errors)
    if roll.status == RentRoll.Status.CLOSED:
        raise _closed(roll)
    if roll.status != RentRoll.Status.APPROVED:
        raise ValidationError(_("Approve the roll before carrying a charge over."))
    if LandlordPayment.objects.filter(roll=roll, landlord_id=charge.landlord_id).exists():
        raise ValidationError(
            _("This landlord is already paid for the month: the charge cannot be carried over.")
        )
    charge = RentCharge.objects.select_for_update().get(pk=charge.pk)
    charge.carried, charge.carry_reason = True, reason
    charge.save(update_fields=["carried", "carry_reason"])
    audit.record(
        actor=actor,
        action="housing.rent.charge_carried",
        obj=charge,
        organisation=roll.service,
        participant=charge.participant,
        data={"month": roll.month.isoformat(), "reason": reason},
    )
    return charge


# --- Payments to landlords -----------------------------------------------------------------------------------


@transaction.atomic
def payment_record(
    *,
    actor: User,
    roll: RentRoll,
    landlord: Landlord,
    amount,
    method: str,
    paid_on: datetime.date,
    reference: str = "",
) -> LandlordPayment:
    """The month's one payment to a landlord, covering its charges. A month cannot be paid twice."""
    roll = _locked(roll)
    errors: dict[str, list[str]] = {}
    _check_manager(actor, roll.service, errors)
    value = _check_amount(errors, "amount", amount)
    if method not in PaymentMethod.values:
        errors["method"] = [_("Choose how the landlord is paid.")]
    reference = _clean_text(reference, 61)
    if len(reference) > 60:
        errors["reference"] = [_("Keep the reference under 60 characters.")]
    elif method == PaymentMethod.CHEQUE and not reference:
        errors["reference"] = [_("Give the cheque number.")]
    _check_date(errors, "paid_on", paid_on, not_after=clock.today() + datetime.timedelta(days=31))
    if landlord is None or not RentCharge.objects.filter(roll=roll, landlord=landlord).exists():
        errors["landlord"] = [_("This landlord has nothing owed in this roll.")]
    if errors:
        raise ValidationError(errors)
    if roll.status == RentRoll.Status.CLOSED:
        raise _closed(roll)
    if roll.status != RentRoll.Status.APPROVED:
        raise ValidationError(_("Approve the roll before paying landlords."))
    assert value is not None
    twice = ValidationError(
        {
            "landlord": [
                _("%(landlord)s is already paid for %(month)s: a month cannot be paid twice.")
                % {"landlord": landlord.name, "month": month_label(roll.month)}
            ]
        }
    )
    if LandlordPayment.objects.filter(roll=roll, landlord=landlord).exists():
        raise twice
    try:
        with transaction.atomic():
            payment = LandlordPayment.objects.create(
                roll=roll,
                landlord=landlord,
                amount=value,
                method=method,
                reference=reference,
                paid_on=paid_on,
                recorded_by=actor,
            )
    except IntegrityError:
        raise twice from None
    audit.record(
        actor=actor,
        action="housing.rent.payment_recorded",
        obj=payment,
        organisation=roll.service,
        data={
            "month": roll.month.isoformat(),
            "landlord": landlord.pk,
            "amount": str(value),
            "method": method,
            "reference": reference,
        },
    )
    return payment


@transaction.atomic
def payment_reconcile(
    *, actor: User, payment: LandlordPayment, reconciled_on: datetime.date
) -> LandlordPayment:
    """Mark a payment as seen on the bank statement, on that date."""
    roll = _locked(payment.roll)
    payment = LandlordPayment.objects.select_for_update().get(pk=payment.pk)
    errors: dict[str, list[str]] = {}
    _check_manager(actor, roll.service, errors)
    _check_date(errors, "reconciled_on", reconciled_on, not_after=clock.today())
    if "reconciled_on" not in errors and reconciled_on < payment.paid_on:
        errors["reconciled_on"] = [_("A payment is reconciled on or after the day it was paid.")]
    if errors:
        raise ValidationError(errors)
    if roll.status == RentRoll.Status.CLOSED:
        raise _closed(roll)
    if payment.reconciled_on is not None:
        raise ValidationError(_("This payment is already reconciled."))
    payment.reconciled_on, payment.reconciled_by = reconciled_on, actor
    payment.save(update_fields=["reconciled_on", "reconciled_by"])
    audit.record(
        actor=actor,
        action="housing.rent.payment_reconciled",
        obj=payment,
        organisation=roll.service,
        data={"reconciled_on": reconciled_on.isoformat()},
    )
    return payment


# --- Participants' shares, arrears and repayment plans -----------------------------------------------------


def _service_of(tenancy: Tenancy) -> Organisation | None:
    return selectors.rent_services().filter(consortium_id=tenancy.landlord.organisation.consortium_id).first()


@transaction.atomic
def receipt_record(
    *,
    actor: User,
    tenancy: Tenancy,
    month: datetime.date,
    amount,
    received_on: datetime.date,
    method: str,
    reference: str = "",
) -> ShareReceipt:
    """Money received from the participant towards a month's share; what is above the month's share goes to
    their active repayment plan."""
    errors: dict[str, list[str]] = {}
    service = _service_of(tenancy)
    if service is None:
        errors["tenancy"] = [_("No rent payment service pays this tenancy.")]
    else:
        _check_manager(actor, service, errors)
    value = _check_amount(errors, "amount", amount)
    _check_date(errors, "month", month)
    _check_date(errors, "received_on", received_on, not_after=clock.today())
    if method not in ReceiptMethod.values:
        errors["method"] = [_("Choose how the share was received.")]
    reference = _clean_text(reference, 61)
    if len(reference) > 60:
        errors["reference"] = [_("Keep the reference under 60 characters.")]
    if errors:
        raise ValidationError(errors)
    assert value is not None
    month = first_of_month(month)
    closed = RentRoll.objects.filter(service=service, month=month, status=RentRoll.Status.CLOSED).first()
    if closed is not None:
        raise ValidationError(
            {
                "month": [
                    _("The month of %(month)s is closed: record the money in the current month.")
                    % {"month": month_label(month)}
                ]
            }
        )
    # The month's share not yet received; the rest goes to the active plan.
    tenancy = Tenancy.objects.select_for_update().get(pk=tenancy.pk)
    due = RentCharge.objects.filter(tenancy=tenancy, roll__month=month).aggregate(
        s=Sum("share_part", default=ZERO)
    )["s"]
    got = ShareReceipt.objects.filter(tenancy=tenancy, month=month).aggregate(
        a=Sum("amount", default=ZERO), p=Sum("plan_part", default=ZERO)
    )
    left = max(ZERO, due - (got["a"] - got["p"]))
    plan = (
        RepaymentPlan.objects.select_for_update()
        .filter(tenancy=tenancy, status=RepaymentPlan.Status.ACTIVE)
        .first()
    )
    plan_part = max(ZERO, value - left) if plan is not None else ZERO
    duplicate = ValidationError(_("This receipt is already recorded (same month, day, amount and method)."))
    if ShareReceipt.objects.filter(
        tenancy=tenancy, month=month, received_on=received_on, amount=value, method=method
    ).exists():
        raise duplicate
    try:
        with transaction.atomic():
            receipt = ShareReceipt.objects.create(
                tenancy=tenancy,
                month=month,
                amount=value,
                received_on=received_on,
                method=method,
                reference=reference,
                plan=plan if plan_part > 0 else None,
                plan_part=plan_part,
                recorded_by=actor,
            )
    except IntegrityError:
        raise duplicate from None
    audit.record(
        actor=actor,
        action="housing.rent.share_received",
        obj=receipt,
        organisation=service,
        participant=tenancy.participant,
        data={"month": month.isoformat(), "amount": str(value), "plan_part": str(plan_part)},
    )
    if plan is not None and plan_part > 0:
        repaid = plan.receipts.aggregate(s=Sum("plan_part", default=ZERO))["s"]
        if repaid >= plan.owed_at_start:
            plan.status, plan.ended_on = RepaymentPlan.Status.COMPLETED, received_on
            plan.save(update_fields=["status", "ended_on"])
            audit.record(
                actor=actor,
                action="housing.rent.plan_completed",
                obj=plan,
                organisation=service,
                participant=tenancy.participant,
                data={},
            )
    return receipt


@transaction.atomic
def plan_create(
    *,
    actor: User,
    tenancy: Tenancy,
    monthly_amount,
    starts_on: datetime.date,
    owed_at_start=None,
    note: str = "",
) -> RepaymentPlan:
    """A repayment plan for the tenancy's arrears (by default the arrears as they are today)."""
    errors: dict[str, list[str]] = {}
    service = _service_of(tenancy)
    if service is None:
        errors["tenancy"] = [_("No rent payment service pays this tenancy.")]
    else:
        _check_manager(actor, service, errors)
    monthly = _check_amount(errors, "monthly_amount", monthly_amount)
    _check_date(errors, "starts_on", starts_on)
    current = selectors.arrears(Tenancy.objects.filter(pk=tenancy.pk), clock.today()).get(tenancy.pk)
    owed = current.amount if current is not None else ZERO
    if owed_at_start not in (None, ""):
        owed = _check_amount(errors, "owed_at_start", owed_at_start) or ZERO
    elif owed <= 0:
        errors["owed_at_start"] = [_("This tenancy has no arrears to repay.")]
    if monthly is not None and owed > 0 and monthly > owed:
        errors["monthly_amount"] = [_("The monthly amount is more than what is owed.")]
    note = _clean_text(note, REASON_MAX + 1)
    if len(note) > REASON_MAX:
        errors["note"] = [_("Keep the note under %(n)s characters.") % {"n": REASON_MAX}]
    if errors:
        raise ValidationError(errors)
    assert monthly is not None
    active = ValidationError(_("This tenancy already has an active repayment plan."))
    if RepaymentPlan.objects.filter(tenancy=tenancy, status=RepaymentPlan.Status.ACTIVE).exists():
        raise active
    try:
        with transaction.atomic():
            plan = RepaymentPlan.objects.create(
                tenancy=tenancy,
                owed_at_start=owed,
                monthly_amount=monthly,
                starts_on=first_of_month(starts_on),
                note=note,
                recorded_by=actor,
            )
    except IntegrityError:
        raise active from None
    audit.record(
        actor=actor,
        action="housing.rent.plan_created",
        obj=plan,
        organisation=service,
        participant=tenancy.participant,
        data={"owed_at_start": str(owed), "monthly_amount": str(monthly)},
    )
    return plan


@transaction.atomic
def plan_break(
    *, actor: User | None, plan: RepaymentPlan, on: datetime.date, note: str = ""
) -> RepaymentPlan:
    """The plan is not kept (the arrears stay owed; a new plan may be agreed)."""
    plan = (
        RepaymentPlan.objects.select_for_update(of=("self",))
        .select_related("tenancy__participant")
        .get(pk=plan.pk)
    )
    if plan.status != RepaymentPlan.Status.ACTIVE:
        raise ValidationError(_("This repayment plan is no longer active."))
    plan.status, plan.ended_on = RepaymentPlan.Status.BROKEN, on
    if note:
        plan.note = _clean_text(note, REASON_MAX)
    plan.save(update_fields=["status", "ended_on", "note"])
    audit.record(
        actor=actor,
        action="housing.rent.plan_broken",
        obj=plan,
        participant=plan.tenancy.participant,
        organisation=_service_of(plan.tenancy),
        data={"on": on.isoformat()},
    )
    return plan


def plans_check(on: datetime.date) -> int:
    """Break the active plans more than a month behind (what was repaid is short of what was due by the
    previous month by more than one monthly amount), and alert the service's clerks. Returns how many."""
    broken = 0
    plans = (
        RepaymentPlan.objects.filter(status=RepaymentPlan.Status.ACTIVE, starts_on__lt=first_of_month(on))
        .annotate(repaid=Sum("receipts__plan_part", default=ZERO))
        .select_related("tenancy__landlord__organisation")
    )
    for plan in plans:
        months = len(months_between(plan.starts_on, first_of_month(on))) - 1
        expected = min(plan.owed_at_start, plan.monthly_amount * months)
        if expected - plan.repaid > plan.monthly_amount:  # type: ignore[attr-defined]
            plan_break(actor=None, plan=plan, on=on)
            service = _service_of(plan.tenancy)
            if service is not None:
                for user_id in clerks_of(service):
                    alerts.raise_alert(
                        recipient_id=user_id,
                        kind="housing.rent.plan_broken",
                        obj=plan,
                        params={"amount": str(plan.owed_at_start - plan.repaid)},  # type: ignore[attr-defined]
                        url=f"/housing/rent/tenancies/{plan.tenancy_id}/",
                    )
            broken += 1
    return broken


def clerks_of(service: Organisation) -> list[int]:
    from ancrage.accounts.models import Membership

    return list(
        Membership.objects.filter(
            organisation=service, role=Role.RENT_CLERK, is_active=True, user__is_active=True
        )
        .values_list("user_id", flat=True)
        .distinct()
    )


def rolls_prepare(on: datetime.date) -> int:
    """On the roll day (setting RENT_ROLL_DAY) or later in the month, generate each service's draft roll for
    the next month if it has none, and alert its clerks to check and approve it. Returns rolls generated."""
    if on.day < settings.ANCRAGE["RENT_ROLL_DAY"]:
        return 0
    month = next_month(on)
    made = 0
    for service in selectors.rent_services().exclude(rent_rolls__month=month):
        roll = roll_generate(actor=None, service=service, month=month)
        for user_id in clerks_of(service):
            alerts.raise_alert(
                recipient_id=user_id,
                kind="housing.rent.roll_to_approve",
                obj=roll,
                params={"month": month.isoformat()},
                url=f"/housing/rent/rolls/{roll.pk}/",
            )
        made += 1
    return made


@transaction.atomic
def landlord_carry(*, actor: User, roll: RentRoll, landlord: Landlord, reason: str) -> int:
    """Carry over every charge of a landlord in an approved roll (not paid this month, with the reason)."""
    charges = list(
        RentCharge.objects.filter(roll=roll, landlord=landlord, carried=False).select_related(
            "roll", "participant"
        )
    )
    if not charges:
        raise ValidationError(_("This landlord has nothing left to carry over in this roll."))
    for charge in charges:
        charge_carry(actor=actor, charge=charge, reason=reason)
    return len(charges)
