"""Small builders for the tenancy tests: a landlord's building and units, a search with options."""

from __future__ import annotations

import datetime
from decimal import Decimal

from ancrage.core import clock
from ancrage.housing import services as unit_services
from ancrage.housing import services_tenancies as ts
from ancrage.housing.models import Building, Landlord, Unit


def landlord_building(organisation, name: str = "Gestion Tremblay") -> Building:
    landlord = Landlord.objects.create(organisation=organisation, name=name, kind=Landlord.Kind.COMPANY)
    return Building.objects.create(landlord=landlord, address=f"{name}, 100 rue Principale")


def make_unit(
    actor, organisation, building: Building | None = None, address: str = "1 rue A", rent=900
) -> Unit:
    unit = unit_services.unit_create(
        actor=actor,
        organisation=organisation,
        address=address,
        neighbourhood="Verdun",
        kind="scattered_site",
        bedrooms=1,
        monthly_rent=Decimal(rent),
        features=[],
        requirements=[],
        available_from=clock.today(),
        open_for_matching=False,
    )
    if building is not None:
        unit.building = building
        unit.save(update_fields=["building"])
    return unit


def lease_values(**overrides) -> dict:
    values = {
        "lease_kind": "direct",
        "lease_start": clock.today(),
        "lease_end": clock.today() + datetime.timedelta(days=365),
        "monthly_rent": Decimal("900.00"),
        "participant_share": Decimal("320.00"),
        "participant_monthly_income": Decimal("1000.00"),
        "rent_supplement": Decimal("580.00"),
        "supplement_source": "PSL",
        "deposit": Decimal("0"),
    }
    values.update(overrides)
    return values


def accepted_option(actor, participant, units, chosen_index: int = 0):
    """A search with an option per unit; the landlord accepted the first one."""
    search = ts.search_start(actor=actor, participant=participant, started_on=clock.today())
    options = [ts.option_offer(actor=actor, search=search, unit=u) for u in units]
    option = ts.option_step(actor=actor, option=options[chosen_index], step="accepted")
    return search, options, option
