"""Objects the tests of move-in support, budgets and outcomes need: a landlord's unit, a tenancy, a stocked
furniture bank and a budget line, made directly (the tenancy services are another part's)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from ancrage.core import clock
from ancrage.housing import services_furniture
from ancrage.housing.models import BudgetLine, Landlord, Tenancy, Unit


def make_tenancy(
    participant,
    actor,
    *,
    organisation,
    start: datetime.date | None = None,
    ended_on: datetime.date | None = None,
    end_reason: str = "",
    previous: Tenancy | None = None,
    program=None,
    address: str = "12 rue Wellington",
) -> Tenancy:
    start = start or clock.today() - datetime.timedelta(days=30)
    landlord = Landlord.objects.create(organisation=organisation, name="Gestion Verdun", kind="company")
    unit = Unit.objects.create(
        organisation=organisation,
        address=address,
        kind="scattered_site",
        monthly_rent=Decimal("850.00"),
        available_from=start,
        status=Unit.Status.OCCUPIED,
        added_by=actor,
    )
    return Tenancy.objects.create(
        participant=participant,
        unit=unit,
        landlord=landlord,
        program=program,
        lease_kind="direct",
        lease_start=start,
        moved_in_on=start,
        monthly_rent=Decimal("850.00"),
        participant_share=Decimal("255.00"),
        ended_on=ended_on,
        end_reason=end_reason,
        previous=previous,
        recorded_by=actor,
    )


def stocked_bank(actor, organisation, *, beds: int = 1, tables: int = 2, pots: int = 5):
    """A bed, a table and pots in stock, and the « Trousse de départ » kit (pots and a table… of pots)."""
    bed = services_furniture.item_create(
        actor=actor,
        organisation=organisation,
        name_fr="Lit simple",
        name_en="Single bed",
        category="bed",
        on_hand=beds,
    )
    table = services_furniture.item_create(
        actor=actor,
        organisation=organisation,
        name_fr="Table",
        name_en="Table",
        category="table",
        on_hand=tables,
    )
    pots_item = services_furniture.item_create(
        actor=actor,
        organisation=organisation,
        name_fr="Chaudrons",
        name_en="Pots",
        category="kitchen",
        on_hand=pots,
    )
    kit = services_furniture.kit_create(
        actor=actor,
        organisation=organisation,
        name_fr="Trousse de départ",
        name_en="Starter kit",
        lines=[(pots_item, 2)],
    )
    return bed, table, pots_item, kit


def budget_line(
    program, *, kind: str = "furniture", amount: str = "1000.00", warn: int = 80, year=None
) -> BudgetLine:
    return BudgetLine.objects.create(
        program=program,
        year=year or clock.today().year,
        kind=kind,
        amount=Decimal(amount),
        warn_at_percent=warn,
    )
