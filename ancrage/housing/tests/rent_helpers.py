"""A small world for the rent payment service's tests: a consortium with a mission, the shared housing team
that keeps the landlords, the rent payment service (SLC) and its clerk, and tenancies made by a factory
(the tenancies' own pages and services live on another branch)."""

from __future__ import annotations

import datetime
import itertools
from dataclasses import dataclass
from decimal import Decimal

from ancrage.core.permissions import Category, Role
from ancrage.housing.models import Building, Landlord, Tenancy, Unit
from ancrage.organisations.models import Organisation, Program

_numbers = itertools.count(1)


@dataclass
class RentWorld:
    service: Organisation
    clerk: object
    housing_team: Organisation
    mission: Organisation
    case_manager: object
    landlord: Landlord
    other_landlord: Landlord


def make_landlord(organisation, name="Gestion Rivière", language="fr") -> Landlord:
    return Landlord.objects.create(
        organisation=organisation, name=name, kind=Landlord.Kind.COMPANY, language=language
    )


def make_tenancy(
    *,
    participant,
    landlord: Landlord,
    actor,
    lease_start=datetime.date(2026, 1, 1),
    ended_on=None,
    rent=Decimal("900.00"),
    share=Decimal("270.00"),
) -> Tenancy:
    n = next(_numbers)
    building = Building.objects.create(landlord=landlord, address=f"{n} rue Principale")
    unit = Unit.objects.create(
        organisation=landlord.organisation,
        building=building,
        address=f"{n} rue Principale, app. 1",
        kind="scattered_site",
        monthly_rent=rent,
        available_from=lease_start,
        status=Unit.Status.OCCUPIED,
        added_by=actor,
    )
    return Tenancy.objects.create(
        participant=participant,
        unit=unit,
        landlord=landlord,
        lease_kind="direct",
        lease_start=lease_start,
        moved_in_on=lease_start,
        monthly_rent=rent,
        participant_share=share,
        rent_supplement=rent - share,
        ended_on=ended_on,
        recorded_by=actor,
    )


def make_participant_shared(case_manager, mission, service, **names):
    """A participant of the mission whose housing information is shared with the rent payment service."""
    from ancrage.people.tests.factories import make_participant, share

    participant = make_participant(case_manager, mission, **names)
    share(case_manager, participant, [service], [Category.IDENTITY, Category.HOUSING])
    return participant


def build_rent_world(consortium, org_a, shared_org, case_manager_a) -> RentWorld:
    """The world of each rent test module's `rent_world` fixture (built from the project's conftest fixtures)."""
    from ancrage.people.tests.factories import OrganisationFactory, ProgramFactory, member

    service = OrganisationFactory(
        consortium=consortium,
        name="Service de paiement de loyer",
        short_name="SLC",
        kind=Organisation.Kind.SHARED_SERVICE,
    )
    ProgramFactory(organisation=service, kind=Program.Kind.RENT_PAYMENT)
    clerk = member(service, Role.RENT_CLERK, username="loyer_test")
    return RentWorld(
        service=service,
        clerk=clerk,
        housing_team=shared_org,
        mission=org_a,
        case_manager=case_manager_a,
        landlord=make_landlord(shared_org),
        other_landlord=make_landlord(shared_org, name="Immeubles Aubin", language="en"),
    )
