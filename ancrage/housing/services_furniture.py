"""Writes of the furniture bank (C6): items and their stock, starter kits, reservations and deliveries.

Every change of a stock counter locks the item's row first (`select_for_update`, items in id order so two
requests never wait on each other crosswise) and checks what is left under the lock: two tabs reserving the
last bed both read "1 left", but the second to take the lock reads 0 and is told so. The database's own
constraints (no negative count, never more reserved than on hand) stand behind the check."""

from __future__ import annotations

import datetime
from collections import Counter
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ancrage.core import audit, clock
from ancrage.core.permissions import Category
from ancrage.housing.models import (
    FurnitureDelivery,
    FurnitureItem,
    FurnitureReservation,
    ReservationLine,
    StarterKit,
    StarterKitLine,
    StockMovement,
    Tenancy,
)
from ancrage.people.selectors import participants_visible_for_category

if TYPE_CHECKING:
    from ancrage.accounts.models import User
    from ancrage.organisations.models import Organisation
    from ancrage.people.models import Participant

# A quantity typed for one item in one operation: more than this is a typing error, not a delivery.
MAX_QUANTITY = 1000
# How far from today a delivery may be booked (a year either way): further is a typing error.
DELIVERY_DAYS_RANGE = 366


def _check_org(actor: User, organisation: Organisation) -> None:
    if organisation.pk not in actor.organisation_ids:
        raise ValidationError({"organisation": [_("You do not keep this organisation's furniture bank.")]})


def may_see_housing_of(actor: User, participant: Participant) -> bool:
    """Whether the actor may read (and so act on) the participant's housing information (G1, G2)."""
    return participants_visible_for_category(actor, Category.HOUSING).filter(pk=participant.pk).exists()


def item_create(
    *,
    actor: User,
    organisation: Organisation,
    name_fr: str,
    name_en: str = "",
    category: str,
    on_hand: int = 0,
) -> FurnitureItem:
    _check_org(actor, organisation)
    errors: dict[str, list[str]] = {}
    name_fr = (name_fr or "").strip()
    if not name_fr:
        errors["name_fr"] = [_("Give the item's name.")]
    elif FurnitureItem.objects.filter(organisation=organisation, name_fr__iexact=name_fr).exists():
        errors["name_fr"] = [_("The furniture bank already has an item of this name.")]
    if category not in FurnitureItem.Category.values:
        errors["category"] = [_("Choose the category.")]
    if on_hand is None or not 0 <= on_hand <= MAX_QUANTITY:
        errors["on_hand"] = [_("A quantity is from 0 to %(max)s.") % {"max": MAX_QUANTITY}]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        item = FurnitureItem.objects.create(
            organisation=organisation, name_fr=name_fr, name_en=(name_en or "").strip(), category=category
        )
        audit.record(
            actor=actor,
            action="housing.furniture.item_created",
            obj=item,
            organisation=organisation,
            data={"name": name_fr, "category": category},
        )
        if on_hand:
            _move(actor, item, StockMovement.Kind.RECEIVED, on_hand, _("Stock at the start"))
    return item


def _move(actor: User, item: FurnitureItem, kind: str, quantity: int, note: str = "", delivery=None) -> None:
    """Change a locked item's stock on hand by `quantity` and keep the movement (inside a transaction)."""
    item.on_hand += quantity
    item.save(update_fields=["on_hand", "reserved", "updated_at"])
    StockMovement.objects.create(
        item=item,
        kind=kind,
        quantity=quantity,
        at=clock.now(),
        note=note[:300],
        delivery=delivery,
        recorded_by=actor,
    )


def stock_move(
    *, actor: User, item: FurnitureItem, kind: str, quantity: int, note: str = ""
) -> FurnitureItem:
    """Receive items, give some away outside a delivery, or adjust the count (signed). The stock on hand never
    goes below what is reserved, nor below zero: the message says what is left."""
    _check_org(actor, item.organisation)
    errors: dict[str, list[str]] = {}
    if kind not in StockMovement.Kind.values:
        errors["kind"] = [_("Choose the kind of movement.")]
    if quantity is None or quantity == 0 or abs(quantity) > MAX_QUANTITY:
        errors["quantity"] = [_("A quantity is from 1 to %(max)s.") % {"max": MAX_QUANTITY}]
    elif kind in (StockMovement.Kind.RECEIVED, StockMovement.Kind.GIVEN) and quantity < 0:
        errors["quantity"] = [_("Give a positive quantity: the kind of movement says which way it goes.")]
    if errors:
        raise ValidationError(errors)
    signed = -quantity if kind == StockMovement.Kind.GIVEN else quantity
    with transaction.atomic():
        locked = FurnitureItem.objects.select_for_update().get(pk=item.pk)
        if locked.on_hand + signed < locked.reserved:
            raise ValidationError(
                {
                    "quantity": [
                        _(
                            "Not enough %(item)s: %(on_hand)s on hand, %(reserved)s of them reserved; "
                            "%(left)s can leave the stock."
                        )
                        % {
                            "item": locked.name,
                            "on_hand": locked.on_hand,
                            "reserved": locked.reserved,
                            "left": locked.available,
                        }
                    ]
                }
            )
        _move(actor, locked, kind, signed, note)
        audit.record(
            actor=actor,
            action="housing.furniture.stock_moved",
            obj=locked,
            organisation=locked.organisation,
            data={"kind": kind, "quantity": signed, "on_hand": locked.on_hand},
        )
    return locked


def kit_create(
    *,
    actor: User,
    organisation: Organisation,
    name_fr: str,
    name_en: str = "",
    lines: list[tuple[FurnitureItem, int]],
) -> StarterKit:
    _check_org(actor, organisation)
    errors: dict[str, list[str]] = {}
    if not (name_fr or "").strip():
        errors["name_fr"] = [_("Give the kit's name.")]
    if not lines:
        errors["lines"] = [_("A kit holds at least one item.")]
    for item, quantity in lines:
        if item.organisation_id != organisation.pk:
            errors["lines"] = [_("A kit holds only this furniture bank's items.")]
        if not 1 <= quantity <= MAX_QUANTITY:
            errors["lines"] = [_("A quantity is from 1 to %(max)s.") % {"max": MAX_QUANTITY}]
    if len({item.pk for item, _q in lines}) != len(lines):
        errors["lines"] = [_("Each item appears once in a kit.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        kit = StarterKit.objects.create(
            organisation=organisation, name_fr=name_fr.strip(), name_en=(name_en or "").strip()
        )
        StarterKitLine.objects.bulk_create(StarterKitLine(kit=kit, item=i, quantity=q) for i, q in lines)
        audit.record(
            actor=actor,
            action="housing.furniture.kit_created",
            obj=kit,
            organisation=organisation,
            data={"name": kit.name_fr, "lines": {i.name_fr: q for i, q in lines}},
        )
    return kit


def reservation_create(
    *,
    actor: User,
    organisation: Organisation,
    participant: Participant,
    items: dict[FurnitureItem, int] | None = None,
    kits: list[StarterKit] | None = None,
    tenancy: Tenancy | None = None,
    note: str = "",
) -> FurnitureReservation:
    """Set items (and the items of kits) aside for a participant. Beyond what is left, nothing is reserved and
    the message names each item short and what is left of it."""
    _check_org(actor, organisation)
    errors: dict[str, list[str]] = {}
    if not may_see_housing_of(actor, participant):
        errors["participant"] = [_("Choose a participant whose housing you may see.")]
    if tenancy is not None and tenancy.participant_id != participant.pk:
        errors["tenancy"] = [_("This tenancy is not the participant's.")]
    items = {i: q for i, q in (items or {}).items() if q}
    kits = list(kits or [])
    for item, quantity in items.items():
        if item.organisation_id != organisation.pk or not item.is_active:
            errors["items"] = [_("Choose items of this furniture bank.")]
        elif not 0 < quantity <= MAX_QUANTITY:
            errors["items"] = [_("A quantity is from 1 to %(max)s.") % {"max": MAX_QUANTITY}]
    for kit in kits:
        if kit.organisation_id != organisation.pk or not kit.is_active:
            errors["kits"] = [_("Choose kits of this furniture bank.")]
    if not items and not kits:
        errors["items"] = [_("Choose at least one item or one kit.")]
    if errors:
        raise ValidationError(errors)
    # What each line asks for: single items, then each kit's lines.
    wanted: list[tuple[int, int, StarterKit | None]] = [(i.pk, q, None) for i, q in items.items()]
    for kit in kits:
        wanted.extend((line.item_id, line.quantity, kit) for line in kit.lines.all())
    totals: Counter[int] = Counter()
    for item_id, quantity, _kit in wanted:
        totals[item_id] += quantity
    with transaction.atomic():
        locked = {
            i.pk: i for i in FurnitureItem.objects.select_for_update().filter(pk__in=totals).order_by("pk")
        }
        short = [
            _("%(item)s: %(wanted)s asked, %(left)s left")
            % {"item": locked[pk].name, "wanted": quantity, "left": locked[pk].available}
            for pk, quantity in sorted(totals.items(), key=lambda kv: locked[kv[0]].name)
            if quantity > locked[pk].available
        ]
        if short:
            raise ValidationError(
                {
                    "items": [
                        _("Not enough in stock: %(short)s. Nothing is reserved.")
                        % {"short": "; ".join(short)}
                    ]
                }
            )
        reservation = FurnitureReservation.objects.create(
            organisation=organisation,
            participant=participant,
            tenancy=tenancy,
            note=note[:300],
            reserved_by=actor,
        )
        ReservationLine.objects.bulk_create(
            ReservationLine(reservation=reservation, item_id=pk, quantity=q, kit=kit) for pk, q, kit in wanted
        )
        for pk, quantity in totals.items():
            locked[pk].reserved += quantity
            locked[pk].save(update_fields=["reserved", "updated_at"])
        audit.record(
            actor=actor,
            action="housing.furniture.reserved",
            obj=reservation,
            participant=participant,
            organisation=organisation,
            data={
                "items": {locked[pk].name_fr: q for pk, q in totals.items()},
                "kits": [k.name_fr for k in kits],
            },
        )
    return reservation


def _release(reservation: FurnitureReservation, *, given: bool, actor: User, delivery=None) -> None:
    """Take a reservation's lines off the reserved counters (and, when given, off the stock on hand)."""
    totals: Counter[int] = Counter()
    for item_id, quantity in reservation.lines.values_list("item_id", "quantity"):
        totals[item_id] += quantity
    for item in FurnitureItem.objects.select_for_update().filter(pk__in=totals).order_by("pk"):
        item.reserved -= totals[item.pk]
        if given:
            _move(actor, item, StockMovement.Kind.GIVEN, -totals[item.pk], delivery=delivery)
        else:
            item.save(update_fields=["reserved", "updated_at"])


def reservation_cancel(
    *, actor: User, reservation: FurnitureReservation, reason: str = ""
) -> FurnitureReservation:
    _check_org(actor, reservation.organisation)
    with transaction.atomic():
        locked = FurnitureReservation.objects.select_for_update().get(pk=reservation.pk)
        if locked.status != FurnitureReservation.Status.RESERVED:
            raise ValidationError(_("This reservation is already delivered or cancelled."))
        _release(locked, given=False, actor=actor)
        locked.status = FurnitureReservation.Status.CANCELLED
        locked.save(update_fields=["status", "updated_at"])
        FurnitureDelivery.objects.filter(reservation=locked, status=FurnitureDelivery.Status.BOOKED).update(
            status=FurnitureDelivery.Status.CANCELLED, updated_at=clock.now()
        )
        audit.record(
            actor=actor,
            action="housing.furniture.reservation_cancelled",
            obj=locked,
            participant=locked.participant,
            organisation=locked.organisation,
            data={"reason": reason[:300]},
        )
    return locked


def default_address(reservation: FurnitureReservation) -> str:
    """The tenancy's unit, by default; else the participant's current tenancy's unit."""
    tenancy = reservation.tenancy
    if tenancy is None:
        tenancy = (
            Tenancy.objects.filter(participant_id=reservation.participant_id, ended_on__isnull=True)
            .select_related("unit")
            .order_by("-lease_start")
            .first()
        )
    else:
        tenancy = Tenancy.objects.select_related("unit").get(pk=tenancy.pk)
    return tenancy.unit.address if tenancy is not None else ""


def delivery_book(
    *,
    actor: User,
    reservation: FurnitureReservation,
    scheduled_for: datetime.date,
    window_start: datetime.time,
    window_end: datetime.time,
    carrier: str,
    address: str = "",
    carrier_name: str = "",
) -> FurnitureDelivery:
    _check_org(actor, reservation.organisation)
    errors: dict[str, list[str]] = {}
    today = clock.today()
    if reservation.status != FurnitureReservation.Status.RESERVED:
        errors["__all__"] = [_("This reservation is already delivered or cancelled.")]
    elif reservation.deliveries.filter(status=FurnitureDelivery.Status.BOOKED).exists():
        errors["__all__"] = [_("A delivery is already booked for this reservation.")]
    if scheduled_for is None or abs((scheduled_for - today).days) > DELIVERY_DAYS_RANGE:
        errors["scheduled_for"] = [_("Choose a day within a year of today.")]
    if window_start is None or window_end is None or window_end <= window_start:
        errors["window_end"] = [_("The window ends after it starts.")]
    if carrier not in FurnitureDelivery.Carrier.values:
        errors["carrier"] = [_("Choose who carries it.")]
    address = (address or "").strip() or default_address(reservation)
    if not address:
        errors["address"] = [_("Give the address: the participant has no tenancy to deliver to.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        delivery = FurnitureDelivery.objects.create(
            reservation=reservation,
            participant_id=reservation.participant_id,
            address=address[:300],
            scheduled_for=scheduled_for,
            window_start=window_start,
            window_end=window_end,
            carrier=carrier,
            carrier_name=(carrier_name or "").strip()[:200],
            booked_by=actor,
        )
        audit.record(
            actor=actor,
            action="housing.furniture.delivery_booked",
            obj=delivery,
            participant=reservation.participant,
            organisation=reservation.organisation,
            data={"scheduled_for": scheduled_for.isoformat(), "carrier": carrier, "address": address},
        )
    return delivery


def delivery_set_status(*, actor: User, delivery: FurnitureDelivery, status: str) -> FurnitureDelivery:
    """Mark a booked delivery delivered (its items leave the stock) or cancelled (the items stay reserved)."""
    reservation = delivery.reservation
    _check_org(actor, reservation.organisation)
    if status not in (FurnitureDelivery.Status.DELIVERED, FurnitureDelivery.Status.CANCELLED):
        raise ValidationError({"status": [_("Choose delivered or cancelled.")]})
    with transaction.atomic():
        locked = FurnitureDelivery.objects.select_for_update().get(pk=delivery.pk)
        if locked.status != FurnitureDelivery.Status.BOOKED:
            raise ValidationError(_("This delivery is already delivered or cancelled."))
        locked.status = status
        if status == FurnitureDelivery.Status.DELIVERED:
            resa = FurnitureReservation.objects.select_for_update().get(pk=locked.reservation_id)
            if resa.status != FurnitureReservation.Status.RESERVED:
                raise ValidationError(_("This reservation is already delivered or cancelled."))
            _release(resa, given=True, actor=actor, delivery=locked)
            resa.status = FurnitureReservation.Status.DELIVERED
            resa.save(update_fields=["status", "updated_at"])
            locked.delivered_at = clock.now()
        locked.save(update_fields=["status", "delivered_at", "updated_at"])
        audit.record(
            actor=actor,
            action=f"housing.furniture.delivery_{status}",
            obj=locked,
            participant=reservation.participant,
            organisation=reservation.organisation,
            data={"scheduled_for": locked.scheduled_for.isoformat()},
        )
    return locked
