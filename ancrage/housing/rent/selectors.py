"""Reads of the rent payment service (C5): which services a user works for, the rolls, what is owed to whom,
and arrears. Amounts and landlords are readable with `housing.view_rent`; a participant's name or arrears only
through the participants' selector under the HOUSING category (G1, G2)."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404

from ancrage.core.permissions import Category
from ancrage.housing.models import (
    Landlord,
    LandlordPayment,
    RentCharge,
    RentRoll,
    RepaymentPlan,
    ShareReceipt,
    Tenancy,
)
from ancrage.housing.rent.arithmetic import CENT, ZERO, first_of_month
from ancrage.organisations.models import Organisation, Program
from ancrage.people.selectors import participants_visible_for_category


def _cents(value) -> Decimal:
    """A sum read from the database, to the cent (SQLite answers 900 for 900.00)."""
    return Decimal(value or ZERO).quantize(CENT)


def rent_services() -> QuerySet[Organisation]:
    """Every organisation that runs an active rent payment program."""
    return Organisation.objects.filter(
        programs__kind=Program.Kind.RENT_PAYMENT, programs__is_active=True, is_active=True
    ).distinct()


def services_for(user) -> QuerySet[Organisation]:
    """The rent payment services whose rolls the user may read: those of their consortia (the housing team and
    the program managers read the service's figures; the clerk works in it)."""
    if not user.is_authenticated or not user.has_ancrage_perm("housing.view_rent"):
        return Organisation.objects.none()
    consortia = Organisation.objects.filter(pk__in=user.organisation_ids).values("consortium_id")
    return rent_services().filter(consortium_id__in=consortia).order_by("name", "pk")


def services_managed_by(user) -> QuerySet[Organisation]:
    """The services whose rolls the user may change: the ones they work in, with `housing.manage_rent`."""
    if not user.is_authenticated or not user.has_ancrage_perm("housing.manage_rent"):
        return Organisation.objects.none()
    return rent_services().filter(pk__in=user.organisation_ids).order_by("name", "pk")


def tenancies_paid_by(service: Organisation) -> QuerySet[Tenancy]:
    """The tenancies a service pays the rent of: those with a landlord of its consortium's book."""
    return Tenancy.objects.filter(landlord__organisation__consortium_id=service.consortium_id)


def rolls_for(user) -> QuerySet[RentRoll]:
    return RentRoll.objects.filter(service__in=services_for(user)).select_related("service")


def roll_get_for_user(user, pk) -> RentRoll:
    try:
        return rolls_for(user).get(pk=pk)
    except (RentRoll.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def can_manage(user, roll: RentRoll) -> bool:
    return user.has_ancrage_perm("housing.manage_rent") and roll.service_id in set(user.organisation_ids)


@dataclass
class LandlordLine:
    """What a roll owes one landlord, what was paid, and whether they agree."""

    landlord: Landlord
    charges: int
    owed: Decimal
    carried: Decimal
    payment: LandlordPayment | None = None

    @property
    def to_pay(self) -> Decimal:
        return self.owed - self.carried

    @property
    def mismatch(self) -> Decimal:
        """Paid − owed (what is not carried): zero when they agree."""
        if self.payment is None:
            return ZERO
        return self.payment.amount - self.to_pay

    @property
    def settled(self) -> bool:
        return self.payment is not None or self.to_pay == ZERO


def landlord_lines(roll: RentRoll) -> list[LandlordLine]:
    """Totals per landlord (what is owed to whom), with each one's payment: three queries whatever the rows."""
    rows = (
        RentCharge.objects.filter(roll=roll)
        .values("landlord_id")
        .annotate(
            n=Count("id"),
            owed=Sum("amount"),
            carried=Sum("amount", filter=Q(carried=True), default=ZERO),
        )
        .order_by()
    )
    totals = {r["landlord_id"]: r for r in rows}
    landlords = Landlord.objects.in_bulk(list(totals))
    payments = {p.landlord_id: p for p in LandlordPayment.objects.filter(roll=roll)}
    lines = [
        LandlordLine(
            landlord=landlords[pk],
            charges=r["n"],
            owed=_cents(r["owed"]),
            carried=_cents(r["carried"]),
            payment=payments.get(pk),
        )
        for pk, r in totals.items()
    ]
    lines.sort(key=lambda line: (line.landlord.name.lower(), line.landlord.pk))
    return lines


def roll_totals(roll: RentRoll) -> dict[str, Any]:
    agg = RentCharge.objects.filter(roll=roll).aggregate(
        n=Count("id"),
        amount=Sum("amount", default=ZERO),
        supplement=Sum("supplement_part", default=ZERO),
        share=Sum("share_part", default=ZERO),
    )
    paid = LandlordPayment.objects.filter(roll=roll).aggregate(s=Sum("amount", default=ZERO))["s"]
    return {
        "n": agg["n"],
        "amount": _cents(agg["amount"]),
        "supplement": _cents(agg["supplement"]),
        "share": _cents(agg["share"]),
        "paid": _cents(paid),
    }


def unreconciled_payments(user) -> QuerySet[LandlordPayment]:
    return LandlordPayment.objects.filter(
        roll__service__in=services_for(user), reconciled_on__isnull=True
    ).select_related("landlord", "roll")


@dataclass
class Arrears:
    """A tenancy's arrears of the participant's share: due − received, and the months not covered (the money
    received pays the oldest months first)."""

    tenancy_id: int
    participant_id: int
    due: Decimal
    received: Decimal
    months: list[datetime.date] = field(default_factory=list)

    @property
    def amount(self) -> Decimal:
        return self.due - self.received

    @property
    def alerting(self) -> bool:
        conf = settings.ANCRAGE
        return len(self.months) >= conf["RENT_ARREARS_ALERT_MONTHS"] or self.amount >= Decimal(
            str(conf["RENT_ARREARS_ALERT_AMOUNT"])
        )


def arrears(tenancies: QuerySet[Tenancy], on: datetime.date) -> dict[int, Arrears]:
    """The arrears of each of `tenancies` with some on `on` (shares of approved or closed months up to `on`'s
    month, less every receipt): three queries whatever the number of tenancies."""
    month = first_of_month(on)
    charges = RentCharge.objects.filter(
        tenancy__in=tenancies,
        roll__month__lte=month,
        roll__status__in=["approved", "closed"],
        share_part__gt=0,
    )
    due = {
        r["tenancy_id"]: r | {"s": _cents(r["s"])}
        for r in charges.values("tenancy_id", "participant_id").annotate(s=Sum("share_part")).order_by()
    }
    received = dict(
        ShareReceipt.objects.filter(tenancy_id__in=list(due))
        .values("tenancy_id")
        .annotate(s=Sum("amount"))
        .order_by()
        .values_list("tenancy_id", "s")
    )
    received = {pk: _cents(v) for pk, v in received.items()}
    owing = {pk for pk, r in due.items() if r["s"] > received.get(pk, ZERO)}
    result: dict[int, Arrears] = {}
    per_tenancy: dict[int, list[tuple[datetime.date, Decimal]]] = defaultdict(list)
    for tenancy_id, m, share in (
        charges.filter(tenancy_id__in=owing)
        .order_by("roll__month")
        .values_list("tenancy_id", "roll__month", "share_part")
    ):
        per_tenancy[tenancy_id].append((m, share))
    for pk in owing:
        left = received.get(pk, ZERO)
        months = []
        for m, share in per_tenancy[pk]:
            if left >= share:
                left -= share
            else:
                left = ZERO
                months.append(m)
        result[pk] = Arrears(
            tenancy_id=pk,
            participant_id=due[pk]["participant_id"],
            due=due[pk]["s"],
            received=received.get(pk, ZERO),
            months=months,
        )
    return result


def tenancies_for_rent(user) -> QuerySet[Tenancy]:
    """Tenancies whose rent account the user may read: paid by one of their services, of participants whose
    housing information they may read."""
    if not user.has_ancrage_perm("housing.view_rent"):
        return Tenancy.objects.none()
    consortia = services_for(user).values("consortium_id")
    return Tenancy.objects.filter(
        landlord__organisation__consortium_id__in=consortia,
        participant__in=participants_visible_for_category(user, Category.HOUSING),
    )


def tenancy_get_for_user(user, pk) -> Tenancy:
    try:
        return tenancies_for_rent(user).select_related("participant", "landlord", "unit").get(pk=pk)
    except (Tenancy.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def arrears_list(user, on: datetime.date) -> list[tuple[Tenancy, Arrears]]:
    """The arrears the user may read, largest first, with their tenancies: constant queries."""
    found = arrears(tenancies_for_rent(user), on)
    tenancies = Tenancy.objects.select_related("participant", "landlord", "unit").in_bulk(list(found))
    rows = [(tenancies[pk], a) for pk, a in found.items()]
    rows.sort(key=lambda row: (-row[1].amount, row[0].pk))
    return rows


def plans_for(tenancies: QuerySet[Tenancy]) -> QuerySet[RepaymentPlan]:
    return RepaymentPlan.objects.filter(tenancy__in=tenancies).annotate(
        repaid=Sum("receipts__plan_part", default=ZERO)
    )
