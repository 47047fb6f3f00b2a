"""The demo's rent payment service on a few tenancies (and on none): two years of rolls, the past closed, the
current month in progress, payments, shares, arrears and two plans, one broken."""

from __future__ import annotations

import datetime
import random
from types import SimpleNamespace

import pytest

from ancrage.core.permissions import Role
from ancrage.demo.accounts import CONSORTIUM
from ancrage.demo.housing_rent import build_rent
from ancrage.housing.models import LandlordPayment, RentRoll, RepaymentPlan, ShareReceipt, Tenancy
from ancrage.housing.rent import selectors
from ancrage.housing.tests.rent_helpers import make_landlord, make_participant_shared, make_tenancy
from ancrage.organisations.models import Organisation, Program

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2026, 12, 7, 12, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=-5)))


def _world(n: int):
    from ancrage.people.tests.factories import ConsortiumFactory, OrganisationFactory, ProgramFactory, member

    consortium = ConsortiumFactory(name=CONSORTIUM["name"])
    mission = OrganisationFactory(consortium=consortium, short_name="M1")
    team = OrganisationFactory(consortium=consortium, short_name="SL", kind=Organisation.Kind.SHARED_SERVICE)
    service = OrganisationFactory(
        consortium=consortium, short_name="SLC", kind=Organisation.Kind.SHARED_SERVICE
    )
    ProgramFactory(organisation=service, kind=Program.Kind.RENT_PAYMENT)
    member(service, Role.RENT_CLERK, username="loyer")
    manager = member(mission, Role.CASE_MANAGER, username="gc")
    landlords = [make_landlord(team, name=f"Proprio {i}") for i in range(3)]
    for i in range(n):
        participant = make_participant_shared(manager, mission, service, legal_first_name=f"P{i}")
        make_tenancy(
            participant=participant,
            landlord=landlords[i % 3],
            actor=manager,
            lease_start=datetime.date(2024, 11, 1) + datetime.timedelta(days=13 * i),
        )


def _builder():
    return SimpleNamespace(now=NOW, stream=lambda kind, key: random.Random(f"7:{kind}:{key}"))


def test_two_years_of_rent(time_machine):
    time_machine.move_to(NOW)
    _world(40)
    counts = build_rent(_builder())
    rolls = list(RentRoll.objects.order_by("month"))
    assert len(rolls) == 24  # next month's draft comes on the 20th
    assert rolls[0].month == datetime.date(2025, 1, 1)
    assert {r.status for r in rolls[:-1]} == {"closed"}  # last month closed on the 5th
    assert (rolls[-1].month, rolls[-1].status) == (datetime.date(2026, 12, 1), "approved")
    assert LandlordPayment.objects.filter(roll=rolls[-1]).count() == 3
    assert ShareReceipt.objects.count() == counts["rent_receipts"]
    assert counts["rent_receipts"] > 0
    assert RepaymentPlan.objects.filter(status="broken").count() == 1
    assert RepaymentPlan.objects.count() == 2
    assert selectors.arrears(Tenancy.objects.all(), NOW.date())


def test_no_tenancy_no_error(time_machine):
    time_machine.move_to(NOW)
    _world(0)
    counts = build_rent(_builder())
    assert counts["rent_payments"] == 0
    assert RentRoll.objects.filter(status="closed").count() == 23


def test_bench_seeds_tenancies_set_based_and_times_the_roll(time_machine, django_assert_max_num_queries):
    from ancrage.demo.bench_rent import measure_roll_generation, seed_tenancies
    from ancrage.organisations.models import Consortium

    time_machine.move_to(NOW)
    _world(3)
    consortium = Consortium.objects.get(name=CONSORTIUM["name"])
    with django_assert_max_num_queries(30):  # a few bulk inserts, whatever the count
        assert seed_tenancies(300, consortium) == 300
    result = measure_roll_generation(consortium, runs=2)
    assert result["charges"] == 300
    assert result["median_s"] > 0
    assert not RentRoll.objects.exists()  # rolled back
    # The generation's queries do not grow with the tenancies.
    from ancrage.housing.rent import services

    service = Organisation.objects.get(short_name="SLC")
    with django_assert_max_num_queries(20):
        services.roll_generate(actor=None, service=service, month=datetime.date(2027, 1, 1))
