"""The furniture bank (C6): stock never negative, a reservation beyond stock refused in words (two tabs on the
last bed: one wins), deliveries that take the reserved items out of stock, and consent on the participant."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import translation

from ancrage.core import clock
from ancrage.core.models import AuditEntry
from ancrage.core.permissions import Category
from ancrage.housing import services_furniture as furniture
from ancrage.housing.models import FurnitureDelivery, FurnitureItem, FurnitureReservation, StockMovement
from ancrage.housing.tests.support_factories import make_tenancy, stocked_bank
from ancrage.people.tests.factories import make_participant, share

pytestmark = pytest.mark.django_db


@pytest.fixture
def shared_participant(participant_a, case_manager_a, shared_org):
    share(case_manager_a, participant_a, [shared_org], [Category.IDENTITY, Category.HOUSING])
    return participant_a


@pytest.fixture
def bank(housing_specialist, shared_org):
    return stocked_bank(housing_specialist, shared_org)


def _reserve(actor, org, participant, items=None, kits=None, **kw):
    return furniture.reservation_create(
        actor=actor, organisation=org, participant=participant, items=items or {}, kits=kits or [], **kw
    )


def test_reserve_items_and_kit_then_deliver_takes_them_out_of_stock(
    housing_specialist, shared_org, shared_participant, bank, case_manager_a
):
    bed, table, pots, kit = bank
    tenancy = make_tenancy(shared_participant, case_manager_a, organisation=shared_org, address="7 rue Galt")
    resa = _reserve(
        housing_specialist, shared_org, shared_participant, {bed: 1, table: 1}, [kit], tenancy=tenancy
    )
    bed.refresh_from_db()
    pots.refresh_from_db()
    assert (bed.on_hand, bed.reserved, bed.available) == (1, 1, 0)
    assert (pots.on_hand, pots.reserved) == (5, 2)
    delivery = furniture.delivery_book(
        actor=housing_specialist,
        reservation=resa,
        scheduled_for=clock.today(),
        window_start=datetime.time(9),
        window_end=datetime.time(12),
        carrier="van",
    )
    assert delivery.address == "7 rue Galt"  # the tenancy's unit by default
    furniture.delivery_set_status(actor=housing_specialist, delivery=delivery, status="delivered")
    bed.refresh_from_db()
    pots.refresh_from_db()
    assert (bed.on_hand, bed.reserved) == (0, 0)
    assert (pots.on_hand, pots.reserved) == (3, 0)
    resa.refresh_from_db()
    assert resa.status == FurnitureReservation.Status.DELIVERED
    given = StockMovement.objects.filter(delivery=delivery, kind="given")
    assert sorted(given.values_list("quantity", flat=True)) == [-2, -1, -1]
    assert AuditEntry.objects.filter(
        action="housing.furniture.delivery_delivered", participant=shared_participant
    ).exists()
    # A second "delivered" changes nothing.
    with pytest.raises(ValidationError):
        furniture.delivery_set_status(actor=housing_specialist, delivery=delivery, status="delivered")
    bed.refresh_from_db()
    assert bed.on_hand == 0


def test_reservation_beyond_stock_names_the_item_and_what_is_left(
    housing_specialist, shared_org, shared_participant, bank
):
    bed, table, _pots, _kit = bank
    with translation.override("fr"), pytest.raises(ValidationError) as caught:
        _reserve(housing_specialist, shared_org, shared_participant, {bed: 2, table: 1})
    message = " ".join(caught.value.message_dict["items"])
    assert "Lit simple" in message
    assert "2" in message
    assert "1" in message
    assert FurnitureReservation.objects.count() == 0
    bed.refresh_from_db()
    table.refresh_from_db()
    assert bed.reserved == 0
    assert table.reserved == 0


def test_two_tabs_reserving_the_last_bed_one_wins(
    housing_specialist, shared_org, shared_participant, bank, case_manager_a, org_a
):
    """Both tabs showed "1 left"; the second to submit is told none is left, and the first keeps its bed."""
    bed = bank[0]
    other = make_participant(case_manager_a, org_a, legal_first_name="Rémi", legal_last_name="Côté")
    share(case_manager_a, other, [shared_org], [Category.IDENTITY, Category.HOUSING])
    first_tab = FurnitureItem.objects.get(pk=bed.pk)
    second_tab = FurnitureItem.objects.get(pk=bed.pk)
    assert first_tab.available == second_tab.available == 1
    won = _reserve(housing_specialist, shared_org, shared_participant, {first_tab: 1})
    with pytest.raises(ValidationError) as caught:
        _reserve(housing_specialist, shared_org, other, {second_tab: 1})
    assert "0" in caught.value.message_dict["items"][0]
    assert list(FurnitureReservation.objects.values_list("pk", flat=True)) == [won.pk]


@pytest.mark.django_db(transaction=True)
def test_two_tabs_at_the_same_moment(housing_specialist, shared_org, shared_participant, bank):
    import contextlib
    import threading

    from django.db import connections

    bed = bank[0]
    results: list[str] = []
    barrier = threading.Barrier(2)
    # PostgreSQL: the service's row lock decides. The tests' SQLite database (in memory, shared cache) refuses
    # a second writer at once instead of waiting as a file database does, so there the two tabs take turns,
    # as SQLite's own write lock makes them: the later one must still see the bed is gone.
    turns = threading.Lock() if connection.vendor == "sqlite" else contextlib.nullcontext()

    def tab():
        try:
            barrier.wait()
            with turns:
                _reserve(housing_specialist, shared_org, shared_participant, {bed: 1})
            results.append("won")
        except ValidationError:
            results.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=tab) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["refused", "won"]
    bed.refresh_from_db()
    assert bed.reserved == 1


def test_stock_never_negative(housing_specialist, shared_org, shared_participant, bank):
    bed, table, _pots, _kit = bank
    with pytest.raises(ValidationError):
        furniture.stock_move(actor=housing_specialist, item=table, kind="given", quantity=3)
    _reserve(housing_specialist, shared_org, shared_participant, {table: 2})
    # Reserved tables cannot leave the stock another way.
    with pytest.raises(ValidationError) as caught:
        furniture.stock_move(actor=housing_specialist, item=table, kind="adjusted", quantity=-1)
    assert "Table" in caught.value.message_dict["quantity"][0]
    furniture.stock_move(actor=housing_specialist, item=bed, kind="received", quantity=4)
    bed.refresh_from_db()
    assert bed.on_hand == 5
    # The database itself refuses it too.
    with pytest.raises(IntegrityError), transaction.atomic():
        FurnitureItem.objects.filter(pk=table.pk).update(on_hand=1)


def test_negative_and_absurd_quantities_are_refused(housing_specialist, bank):
    bed = bank[0]
    for kind, quantity in (("received", -3), ("received", 0), ("received", 10**6), ("nope", 1)):
        with pytest.raises(ValidationError):
            furniture.stock_move(actor=housing_specialist, item=bed, kind=kind, quantity=quantity)
    bed.refresh_from_db()
    assert bed.on_hand == 1


def test_participant_whose_housing_is_not_shared_is_refused(
    housing_specialist, shared_org, participant_a, case_manager_a, bank
):
    share(case_manager_a, participant_a, [shared_org], [Category.IDENTITY])  # identity only
    with pytest.raises(ValidationError) as caught:
        _reserve(housing_specialist, shared_org, participant_a, {bank[0]: 1})
    assert "participant" in caught.value.message_dict


def test_another_banks_items_are_refused(
    housing_specialist, shared_org, shared_participant, org_b, case_manager_b
):
    from ancrage.core.permissions import Role
    from ancrage.people.tests.factories import member

    keeper_b = member(org_b, Role.HOUSING_SPECIALIST)
    bed_b = furniture.item_create(
        actor=keeper_b, organisation=org_b, name_fr="Lit", category="bed", on_hand=3
    )
    with pytest.raises(ValidationError):
        _reserve(housing_specialist, shared_org, shared_participant, {bed_b: 1})
    with pytest.raises(ValidationError):
        furniture.stock_move(actor=housing_specialist, item=bed_b, kind="given", quantity=1)


def test_cancelling_releases_the_items(housing_specialist, shared_org, shared_participant, bank):
    bed = bank[0]
    resa = _reserve(housing_specialist, shared_org, shared_participant, {bed: 1})
    delivery = furniture.delivery_book(
        actor=housing_specialist,
        reservation=resa,
        scheduled_for=clock.today(),
        window_start=datetime.time(13),
        window_end=datetime.time(15),
        carrier="participant",
        address="Au local",
    )
    furniture.reservation_cancel(actor=housing_specialist, reservation=resa)
    bed.refresh_from_db()
    delivery.refresh_from_db()
    assert (bed.on_hand, bed.reserved) == (1, 0)
    assert delivery.status == FurnitureDelivery.Status.CANCELLED


def test_delivery_bad_input(housing_specialist, shared_org, shared_participant, bank):
    resa = _reserve(housing_specialist, shared_org, shared_participant, {bank[0]: 1})
    bad = [
        {"scheduled_for": datetime.date(9999, 1, 1)},
        {"window_start": datetime.time(12), "window_end": datetime.time(9)},
        {"carrier": "drone"},
        {"address": ""},  # no tenancy: the address is needed
    ]
    for values in bad:
        kwargs = {
            "scheduled_for": clock.today(),
            "window_start": datetime.time(9),
            "window_end": datetime.time(12),
            "carrier": "van",
            "address": "3 rue X",
        } | values
        with pytest.raises(ValidationError):
            furniture.delivery_book(actor=housing_specialist, reservation=resa, **kwargs)
    assert FurnitureDelivery.objects.count() == 0
