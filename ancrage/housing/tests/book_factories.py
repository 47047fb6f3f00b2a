"""Landlords, buildings, units and tenancies for the tests of the landlords' book."""

from __future__ import annotations

from decimal import Decimal

from ancrage.core import clock
from ancrage.housing.book import services
from ancrage.housing.models import Area, Building, Landlord, Tenancy, Unit


def area(name: str = "Verdun") -> Area:
    return Area.objects.get(name_fr=name)


def make_landlord(actor, organisation, name: str = "Gestion Lafontaine", **values) -> Landlord:
    values.setdefault("kind", Landlord.Kind.COMPANY)
    return services.landlord_create(actor=actor, organisation=organisation, name=name, **values)


def make_building(actor, landlord: Landlord, address: str = "4500 rue Wellington", where: str = "Verdun"):
    return services.building_create(actor=actor, landlord=landlord, address=address, area=area(where))


def make_unit(building: Building, actor, **values) -> Unit:
    values = {
        "organisation": building.landlord.organisation,
        "address": building.address,
        "area": building.area,
        "kind": "scattered_site",
        "bedrooms": 1,
        "monthly_rent": Decimal("850.00"),
        "available_from": clock.today(),
        "added_by": actor,
        "building": building,
    } | values
    return Unit.objects.create(**values)


def make_tenancy(participant, unit: Unit, actor, **values) -> Tenancy:
    values = {
        "lease_kind": "direct",
        "lease_start": clock.today(),
        "monthly_rent": unit.monthly_rent,
        "participant_share": Decimal("300.00"),
    } | values
    assert unit.building is not None
    return Tenancy.objects.create(
        participant=participant, unit=unit, landlord=unit.building.landlord, recorded_by=actor, **values
    )
