"""The demo consortium's furniture bank, housing budgets and expenses (C6, C7), called by
`ancrage.demo.builder.DemoBuilder` once tenancies exist (there may be none: then only the bank, its kit and
the budgets are made).

Everything goes through the services at the moment it happened: the bank is stocked two years before the
story's end, each housed person gets a bed, a table and the starter kit a few days after moving in (when
consent lets the housing team see their housing), delivered a few days later; each Housing First program gets
its budget lines for last year and this year, set by its manager in January, and the housing team records
expenses through the year. One line (the first program's furniture line this year) is left near its limit.
The same seed and moment give the same data."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError

from ancrage.accounts.models import Membership
from ancrage.core import clock
from ancrage.core.permissions import Role
from ancrage.housing import services_budgets as budgets
from ancrage.housing import services_furniture as furniture
from ancrage.housing.models import BudgetLine, FurnitureItem, Tenancy
from ancrage.organisations.models import Program

if TYPE_CHECKING:
    from ancrage.demo.builder import DemoBuilder

ITEMS = [
    ("Lit simple avec matelas", "Single bed with mattress", "bed", 30),
    ("Table de cuisine", "Kitchen table", "table", 25),
    ("Chaises (paire)", "Chairs (pair)", "chairs", 30),
    ("Ensemble de chaudrons", "Set of pots", "kitchen", 40),
    ("Vaisselle pour deux", "Dishes for two", "kitchen", 40),
    ("Draps et couvertures", "Sheets and blankets", "linen", 50),
    ("Commode", "Dresser", "other", 12),
]
# What each line costs a program in a year, in dollars (amount, how much of it gets spent on average).
LINES = {
    BudgetLine.Kind.FURNITURE: Decimal("12000"),
    BudgetLine.Kind.MOVING: Decimal("6000"),
    BudgetLine.Kind.STORAGE: Decimal("3000"),
    BudgetLine.Kind.INSURANCE: Decimal("2500"),
    BudgetLine.Kind.DAMAGE_REPAIRS: Decimal("5000"),
    BudgetLine.Kind.TEMPORARY_STAYS: Decimal("8000"),
}
EXPENSES = {
    BudgetLine.Kind.FURNITURE: ("Meubles Économiques", "Achat de matelas neufs"),
    BudgetLine.Kind.MOVING: ("Déménagements Rapido", "Déménagement vers le nouveau logement"),
    BudgetLine.Kind.STORAGE: ("Entreposage Sud-Ouest", "Entreposage des effets personnels"),
    BudgetLine.Kind.INSURANCE: ("Assurances du Quartier", "Assurance locataire"),
    BudgetLine.Kind.DAMAGE_REPAIRS: ("Rénovations Lachine", "Réparation de dommages au logement"),
    BudgetLine.Kind.TEMPORARY_STAYS: ("Motel Le Voyageur", "Nuits de motel après une expulsion"),
}


def _moment(day: datetime.date, hour: int, now: datetime.datetime) -> datetime.datetime:
    moment = clock.start_of_day(day) + datetime.timedelta(hours=hour)
    return min(moment, now - datetime.timedelta(minutes=5))


def build_housing_support(builder: DemoBuilder) -> dict[str, Any]:
    rng = random.Random(builder.seed * 31 + 6)
    now, today = builder.now, builder.today
    keeper = builder.users["logement1"]
    bank = builder.orgs["SLC"]  # the consortium's housing service keeps the furniture bank
    start = today - datetime.timedelta(days=730)
    summary = {"reservations": 0, "deliveries": 0, "expenses": 0, "lines": 0}

    with clock.at(_moment(start, 9, now)):
        items = [
            furniture.item_create(
                actor=keeper, organisation=bank, name_fr=fr, name_en=en, category=cat, on_hand=count
            )
            for fr, en, cat, count in ITEMS
        ]
        by_name = {i.name_fr: i for i in items}
        kit = furniture.kit_create(
            actor=keeper,
            organisation=bank,
            name_fr="Trousse de départ",
            name_en="Starter kit",
            lines=[
                (by_name["Ensemble de chaudrons"], 1),
                (by_name["Vaisselle pour deux"], 1),
                (by_name["Draps et couvertures"], 2),
            ],
        )
    bed, table = by_name["Lit simple avec matelas"], by_name["Table de cuisine"]

    # Donations come in every quarter, so the bank never runs dry for long.
    day = start + datetime.timedelta(days=90)
    while day < today:
        with clock.at(_moment(day, 10, now)):
            for item in items:
                furniture.stock_move(
                    actor=keeper,
                    item=item,
                    kind="received",
                    quantity=rng.randint(5, 12),
                    note="Dons du trimestre",
                )
        day += datetime.timedelta(days=90)

    # Each person housed in the last two years: a bed, a table and the starter kit, then the delivery.
    tenancies = (
        Tenancy.objects.filter(moved_in_on__gte=start, moved_in_on__lte=today, previous__isnull=True)
        .select_related("participant", "unit")
        .order_by("moved_in_on", "id")
    )
    for tenancy in tenancies:
        moved = tenancy.moved_in_on or tenancy.lease_start
        reserved_on = min(moved + datetime.timedelta(days=rng.randint(0, 3)), today)
        try:
            with clock.at(_moment(reserved_on, 10, now)):
                resa = furniture.reservation_create(
                    actor=keeper,
                    organisation=bank,
                    participant=tenancy.participant,
                    items={bed: 1, table: 1},
                    kits=[kit],
                    tenancy=tenancy,
                )
                summary["reservations"] += 1
                delivery_day = reserved_on + datetime.timedelta(days=rng.randint(1, 6))
                delivery = furniture.delivery_book(
                    actor=keeper,
                    reservation=resa,
                    scheduled_for=delivery_day,
                    window_start=datetime.time(9 + rng.randint(0, 5)),
                    window_end=datetime.time(15 + rng.randint(0, 2)),
                    carrier=rng.choice(["van", "van", "mover", "volunteer", "participant"]),
                )
                summary["deliveries"] += 1
            if delivery_day < today:
                with clock.at(_moment(delivery_day, 16, now)):
                    furniture.delivery_set_status(actor=keeper, delivery=delivery, status="delivered")
        except ValidationError:
            # Consent does not (yet) share the person's housing with the housing team, or the bank is short.
            continue

    # Budgets: each Housing First program, last year and this year, set by its manager in January.
    programs = list(
        Program.objects.filter(
            kind__in=Program.HOUSING_FIRST_KINDS, organisation__consortium_id=bank.consortium_id
        )
        .select_related("organisation")
        .order_by("organisation__short_name", "id")
    )
    for year in (today.year - 1, today.year):
        set_day = min(datetime.date(year, 1, 6), today)
        for index, program in enumerate(programs):
            manager = (
                Membership.objects.filter(organisation=program.organisation, role=Role.PROGRAM_MANAGER)
                .select_related("user")
                .first()
            )
            if manager is None:
                continue
            with clock.at(_moment(set_day, 9, now)):
                lines = {
                    kind: budgets.budget_line_set(
                        actor=manager.user,
                        program=program,
                        year=year,
                        kind=kind,
                        amount=amount,
                        warn_at_percent=85,
                    )
                    for kind, amount in LINES.items()
                }
            summary["lines"] += len(lines)
            last_day = today if year == today.year else datetime.date(year, 12, 31)
            days = (last_day - set_day).days
            if days <= 0:
                continue
            for kind, line in lines.items():
                # Spend 40 to 80% of a line over the days of its year that have passed; the first program's
                # furniture line this year ends near its limit (over its warning share, not past it).
                near = year == today.year and index == 0 and kind == BudgetLine.Kind.FURNITURE
                share = Decimal("0.92") if near else Decimal(rng.randint(40, 80)) / 100
                target = (line.amount * share * Decimal(days) / Decimal(365 if not near else days)).quantize(
                    Decimal("0.01")
                )
                count = rng.randint(3, 7)
                vendor, description = EXPENSES[kind]
                for n in range(count):
                    amount = (target / count).quantize(Decimal("0.01"))
                    spent_on = set_day + datetime.timedelta(days=int(days * (n + 1) / (count + 1)))
                    with clock.at(_moment(spent_on, 14, now)):
                        budgets.expense_record(
                            actor=keeper,
                            line=line,
                            spent_on=spent_on,
                            amount=amount,
                            vendor=vendor,
                            description=description,
                        )
                    summary["expenses"] += 1
    summary["items"] = FurnitureItem.objects.filter(organisation=bank).count()
    return summary
