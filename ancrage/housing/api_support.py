"""API (v1) of move-in support, budgets and outcomes (C6, C7, C9): the same permissions and selectors as the
pages. A reservation or delivery the caller may not see is a 404, like one that does not exist."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Annotated

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from ancrage.core import clock
from ancrage.core.api_types import Date, Id, Text, errors, text_field
from ancrage.core.audit import record_reads
from ancrage.core.permissions import check_permission, check_record_permission
from ancrage.housing import selectors_support as sel
from ancrage.housing import services_budgets as budgets
from ancrage.housing import services_furniture as furniture
from ancrage.housing.models import Expense, FurnitureDelivery, FurnitureItem, FurnitureReservation, Tenancy

router = Router(tags=["housing: furniture, budgets, outcomes"])

Quantity = Field(..., ge=1, le=furniture.MAX_QUANTITY)
Year = Annotated[int, Field(ge=1900, le=2199)]


class ItemOut(Schema):
    id: int
    name: str
    category: str
    on_hand: int
    reserved: int
    available: int


class LineOut(Schema):
    item_id: int
    item_name: str
    quantity: int
    kit_id: int | None


class ReservationOut(Schema):
    id: int
    participant_id: int
    tenancy_id: int | None
    status: str
    lines: list[LineOut]
    created_at: datetime.datetime

    @staticmethod
    def of(r: FurnitureReservation) -> ReservationOut:
        return ReservationOut(
            id=r.pk,
            participant_id=r.participant_id,
            tenancy_id=r.tenancy_id,
            status=r.status,
            lines=[
                LineOut(item_id=ln.item_id, item_name=ln.item.name, quantity=ln.quantity, kit_id=ln.kit_id)
                for ln in r.lines.all()
            ],
            created_at=r.created_at,
        )


class ItemQuantityIn(Schema):
    item_id: Id
    quantity: int = Quantity


class ReservationIn(Schema):
    participant_id: Id
    items: list[ItemQuantityIn] = Field(default_factory=list, max_length=100)
    kit_ids: list[Id] = Field(default_factory=list, max_length=20)
    note: Text = text_field(FurnitureReservation, "note", "")


class DeliveryOut(Schema):
    id: int
    reservation_id: int
    participant_id: int
    address: str
    scheduled_for: datetime.date
    window_start: datetime.time
    window_end: datetime.time
    carrier: str
    carrier_name: str
    status: str
    delivered_at: datetime.datetime | None

    @staticmethod
    def of(d: FurnitureDelivery) -> DeliveryOut:
        return DeliveryOut(
            id=d.pk,
            reservation_id=d.reservation_id,
            participant_id=d.participant_id,
            address=d.address,
            scheduled_for=d.scheduled_for,
            window_start=d.window_start,
            window_end=d.window_end,
            carrier=d.carrier,
            carrier_name=d.carrier_name,
            status=d.status,
            delivered_at=d.delivered_at,
        )


class DeliveryIn(Schema):
    scheduled_for: Date
    window_start: datetime.time
    window_end: datetime.time
    carrier: Text = text_field(
        FurnitureDelivery, "carrier", description="van, mover, participant or volunteer"
    )
    carrier_name: Text = text_field(FurnitureDelivery, "carrier_name", "")
    address: Text = text_field(
        FurnitureDelivery, "address", "", description="Defaults to the address of the participant's unit."
    )


class DeliveryStatusIn(Schema):
    status: Text = Field(..., max_length=10, description="delivered or cancelled")


def _bank(user):
    items = sel.items_for(user)
    first = items.order_by("pk").first()
    if first is None:
        raise ValidationError({"items": [_("Your furniture bank has no item yet.")]})
    return first.organisation


@router.get(
    "housing/furniture/items", response={200: list[ItemOut], **errors()}, summary="The furniture bank's stock"
)
def list_furniture_items(request):
    check_permission(request.user, "housing.manage_furniture")
    return [
        ItemOut(
            id=i.pk,
            name=i.name,
            category=i.category,
            on_hand=i.on_hand,
            reserved=i.reserved,
            available=i.available,
        )
        for i in sel.items_for(request.user).order_by("category", "name_fr", "id")
    ]


@router.get(
    "housing/furniture/reservations",
    response={200: list[ReservationOut], **errors()},
    summary="Furniture reserved, not yet delivered (the latest 200)",
)
def list_furniture_reservations(request):
    check_permission(request.user, "housing.manage_furniture")
    rows = list(
        sel.reservations_for(request.user)
        .filter(status=FurnitureReservation.Status.RESERVED)
        .order_by("created_at", "id")[:200]
    )
    record_reads(actor=request.user, reads=[(r.participant_id, "housing.furniture.viewed") for r in rows])
    return [ReservationOut.of(r) for r in rows]


@router.post(
    "housing/furniture/reservations",
    response={201: ReservationOut, **errors()},
    summary="Reserve items and kits for a participant (refused beyond stock, in words)",
)
def create_furniture_reservation(request, payload: ReservationIn):
    check_permission(request.user, "housing.manage_furniture")
    participant = sel.housing_visible(request.user).filter(pk=payload.participant_id).first()
    if participant is None:
        raise Http404
    organisation = _bank(request.user)
    items = {i.pk: i for i in sel.items_for(request.user).filter(pk__in=[x.item_id for x in payload.items])}
    kits = list(sel.kits_for(request.user).filter(pk__in=payload.kit_ids))
    if len(items) != len({x.item_id for x in payload.items}) or len(kits) != len(set(payload.kit_ids)):
        raise ValidationError({"items": [_("Choose items of this furniture bank.")]})
    chosen: dict[FurnitureItem, int] = {}
    for x in payload.items:
        chosen[items[x.item_id]] = chosen.get(items[x.item_id], 0) + x.quantity
    tenancy = (
        Tenancy.objects.filter(participant=participant, ended_on__isnull=True)
        .order_by("-lease_start")
        .first()
    )
    resa = furniture.reservation_create(
        actor=request.user,
        organisation=organisation,
        participant=participant,
        items=chosen,
        kits=kits,
        tenancy=tenancy,
        note=payload.note,
    )
    resa = sel.reservations_for(request.user).get(pk=resa.pk)
    return Status(201, ReservationOut.of(resa))


@router.get(
    "housing/furniture/deliveries",
    response={200: list[DeliveryOut], **errors()},
    summary="Booked deliveries from a day (today by default), the first 200",
)
def list_furniture_deliveries(request, since: Date | None = None):
    check_permission(request.user, "housing.manage_furniture")
    rows = list(
        sel.deliveries_for(request.user)
        .filter(status=FurnitureDelivery.Status.BOOKED, scheduled_for__gte=since or clock.today())
        .order_by("scheduled_for", "window_start", "id")[:200]
    )
    record_reads(actor=request.user, reads=[(d.participant_id, "housing.furniture.viewed") for d in rows])
    return [DeliveryOut.of(d) for d in rows]


@router.post(
    "housing/furniture/reservations/{reservation_pk}/delivery",
    response={201: DeliveryOut, **errors()},
    summary="Book the delivery of a reservation",
)
def book_furniture_delivery(request, reservation_pk: Id, payload: DeliveryIn):
    check_record_permission(request.user, "housing.manage_furniture")
    resa = sel.reservations_for(request.user).filter(pk=reservation_pk).first()
    if resa is None:
        raise Http404
    delivery = furniture.delivery_book(
        actor=request.user,
        reservation=resa,
        scheduled_for=payload.scheduled_for,
        window_start=payload.window_start,
        window_end=payload.window_end,
        carrier=payload.carrier,
        carrier_name=payload.carrier_name,
        address=payload.address,
    )
    return Status(201, DeliveryOut.of(delivery))


@router.post(
    "housing/furniture/deliveries/{delivery_pk}/status",
    response={200: DeliveryOut, **errors()},
    summary="Mark a delivery delivered (its items leave the stock) or cancelled",
)
def set_furniture_delivery_status(request, delivery_pk: Id, payload: DeliveryStatusIn):
    check_record_permission(request.user, "housing.manage_furniture")
    delivery = sel.deliveries_for(request.user).filter(pk=delivery_pk).first()
    if delivery is None:
        raise Http404
    return DeliveryOut.of(
        furniture.delivery_set_status(actor=request.user, delivery=delivery, status=payload.status)
    )


class BudgetLineOut(Schema):
    id: int
    program_id: int
    year: int
    kind: str
    amount: Decimal
    spent: Decimal
    left: Decimal
    percent_spent: Decimal
    warn_at_percent: int
    state: str = Field(..., description="ok, warn (from warn_at_percent) or over (past the amount)")


@router.get(
    "housing/budget-lines",
    response={200: list[BudgetLineOut], **errors()},
    summary="The consortium's budget lines of a year, with their spending",
)
def list_budget_lines(request, year: Year | None = None, program_id: Id | None = None):
    check_permission(request.user, "housing.view_budgets")
    lines = sel.budget_lines_for(request.user).filter(year=year or clock.today().year)
    if program_id is not None:
        lines = lines.filter(program_id=program_id)
    return [
        BudgetLineOut(
            id=s.line.pk,
            program_id=s.line.program_id,
            year=s.line.year,
            kind=s.line.kind,
            amount=s.line.amount,
            spent=s.spent,
            left=s.left,
            percent_spent=s.percent,
            warn_at_percent=s.line.warn_at_percent,
            state=s.state,
        )
        for s in budgets.spending_for(lines.order_by("program_id", "kind"))
    ]


class ExpenseIn(Schema):
    line_id: Id
    spent_on: Date
    amount: Decimal = Field(..., gt=0, max_digits=10, decimal_places=2)
    description: Text = text_field(Expense, "description")
    vendor: Text = text_field(Expense, "vendor", "")
    participant_id: Id | None = None
    tenancy_id: Id | None = None
    confirm_over: bool = Field(False, description="Needed, with over_budget_reason, to exceed the line.")
    over_budget_reason: Text = text_field(Expense, "over_budget_reason", "")


class ExpenseOut(Schema):
    id: int
    line_id: int
    participant_id: int | None
    tenancy_id: int | None
    spent_on: datetime.date
    amount: Decimal
    line: BudgetLineOut
    warning: str


@router.post(
    "housing/expenses",
    response={201: ExpenseOut, **errors()},
    summary="Record an expense against a budget line (exceeding it needs a confirmation and a reason)",
)
def record_expense(request, payload: ExpenseIn):
    check_permission(request.user, "housing.record_expenses")
    line = sel.budget_lines_for(request.user).filter(pk=payload.line_id).first()
    if line is None:
        raise ValidationError({"line_id": [_("Choose a budget line of your consortium's programs.")]})
    participant = tenancy = None
    if payload.participant_id is not None:
        participant = sel.housing_visible(request.user).filter(pk=payload.participant_id).first()
        if participant is None:
            raise ValidationError({"participant_id": [_("Choose a participant whose housing you may see.")]})
    if payload.tenancy_id is not None:
        tenancy = sel.tenancies_visible(request.user).filter(pk=payload.tenancy_id).first()
        if tenancy is None:
            raise ValidationError({"tenancy_id": [_("Choose a tenancy whose housing you may see.")]})
    done = budgets.expense_record(
        actor=request.user,
        line=line,
        spent_on=payload.spent_on,
        amount=payload.amount,
        description=payload.description,
        vendor=payload.vendor,
        participant=participant,
        tenancy=tenancy,
        confirm_over=payload.confirm_over,
        over_reason=payload.over_budget_reason,
    )
    s = done.spending
    line_out = BudgetLineOut(
        id=line.pk,
        program_id=line.program_id,
        year=line.year,
        kind=line.kind,
        amount=line.amount,
        spent=s.spent,
        left=s.left,
        percent_spent=s.percent,
        warn_at_percent=line.warn_at_percent,
        state=s.state,
    )
    e = done.expense
    return Status(
        201,
        ExpenseOut(
            id=e.pk,
            line_id=line.pk,
            participant_id=e.participant_id,
            tenancy_id=e.tenancy_id,
            spent_on=e.spent_on,
            amount=e.amount,
            line=line_out,
            warning=done.warning,
        ),
    )


class OutcomeRowOut(Schema):
    key: str
    label: str
    counts: dict[str, int | None] = Field(
        ..., description="Each figure's count; null when it is small (see small_count_threshold)."
    )
    retention_6_percent: Decimal | None
    retention_12_percent: Decimal | None
    median_days_to_move_in: Decimal | None
    p75_days_to_move_in: int | None


class OutcomesOut(Schema):
    start: datetime.date
    end: datetime.date
    retention_gap_days: int
    small_count_threshold: int
    total: OutcomeRowOut
    by_program: list[OutcomeRowOut]
    by_organisation: list[OutcomeRowOut]


@router.get(
    "housing/outcomes",
    response={200: OutcomesOut, **errors()},
    summary="Housing retention at 6 and 12 months and the other outcomes (figures only, small counts hidden)",
)
def get_housing_outcomes(
    request,
    start: Date | None = None,
    end: Date | None = None,
    organisation_id: Id | None = None,
    program_id: Id | None = None,
):
    from ancrage.housing.views_support import _protected

    check_permission(request.user, "housing.view_outcomes")
    end = end or clock.today()
    start = start or end - datetime.timedelta(days=365)
    if end < start:
        raise ValidationError({"end": [_("The end date comes before the start date.")]})
    report = sel.outcomes_report(
        request.user, start=start, end=end, organisation_id=organisation_id, program_id=program_id
    )
    threshold = settings.ANCRAGE["SMALL_COUNT_THRESHOLD"]

    def out(row: sel.OutcomeRow) -> OutcomeRowOut:
        shown = _protected(row, threshold)
        return OutcomeRowOut(
            key=row.key,
            label=row.label,
            counts={f: (None if c.hidden else c.value) for f, c in shown["cells"].items()},
            retention_6_percent=shown["rate_6"],
            retention_12_percent=shown["rate_12"],
            median_days_to_move_in=shown["median_days"],
            p75_days_to_move_in=shown["p75_days"],
        )

    return OutcomesOut(
        start=start,
        end=end,
        retention_gap_days=report.gap_days,
        small_count_threshold=threshold,
        total=out(report.total),
        by_program=[out(r) for r in report.by_program],
        by_organisation=[out(r) for r in report.by_organisation],
    )
