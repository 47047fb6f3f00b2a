"""Cost per participant (G6): what is counted (housing budget expenses and rent supplements of approved rolls), per
participant served and per participant-year housed, against the reference cost of the program's model; a program
without budget data says so rather than show 0. Also the demo's history of reports, at its job's moments."""

from __future__ import annotations

import datetime
import zoneinfo
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from ancrage.core.permissions import Role
from ancrage.demo.funder import generate_history
from ancrage.people.tests.factories import member
from ancrage.reports.funder import costs
from ancrage.reports.models_funder import FunderReport
from ancrage.reports.tests import funder_world

pytestmark = pytest.mark.django_db

MTL = zoneinfo.ZoneInfo("America/Montreal")


@pytest.fixture
def world(org_a, shared_org, case_manager_a):
    with time_machine.travel(datetime.datetime(2026, 3, 15, 0, 10, tzinfo=MTL), tick=False):
        yield funder_world.build(org_a, case_manager_a, shared_org=shared_org)


def test_cost_per_participant_counts_what_it_says(world, consortium, settings):
    settings.ANCRAGE = {**settings.ANCRAGE, "REFERENCE_COST_ICM": 15000}
    view = costs.cost_view({consortium.pk}, 2026, datetime.date(2026, 3, 15))
    assert (view.start, view.end) == (datetime.date(2026, 1, 1), datetime.date(2026, 3, 15))
    icm, act = (next(c for c in view.programs if c.program == world[k]) for k in ("icm", "act"))
    # February's and March's expenses, February's approved roll; not March's draft roll.
    assert icm.expenses == Decimal("1334.56")
    assert icm.rent_supplements == Decimal("595.00")
    assert icm.total == Decimal("1929.56")
    assert icm.served == 7
    assert icm.per_participant == Decimal("275.65")
    # Five tenancies lived in from January 1 to March 15 (74 days each) of a 365-day year.
    assert icm.housed_years == Decimal("1.01")
    assert icm.per_housed_year == Decimal("1903.48")
    assert icm.reference == Decimal("15000")
    assert icm.share_of_reference == Decimal("12.7")
    # ACT: no budget line, no supplement: no cost, not a cost of 0.
    assert not act.has_budget_data
    assert act.per_participant is None
    assert act.per_housed_year is None
    assert act.reference == Decimal("22000")


def test_the_cost_page_says_what_is_counted_and_where_there_is_no_data(world, org_a, client_for):
    coordinator = member(org_a, Role.DATA_COORDINATOR)
    with time_machine.travel(datetime.datetime(2026, 3, 15, 12, 0, tzinfo=MTL), tick=False):
        # Signed in at noon: a session of the world's early morning would have expired.
        client = client_for(coordinator)
        page = client.get(reverse("reports:funder_costs")).content.decode()
        assert "Ce qui est compté" in page
        assert "1\u00a0929,56\u00a0$" in page
        assert "275,65\u00a0$" in page
        assert "22\u00a0000,00\u00a0$" in page
        assert "Aucune donnée budgétaire" in page
        # Another year, and a year one cannot choose (a clear message, the current year shown).
        assert (
            "Aucune donnée budgétaire"
            in client.get(reverse("reports:funder_costs") + "?year=2025").content.decode()
        )
        bad = client.get(reverse("reports:funder_costs") + "?year=9999").content.decode()
        assert "Sélectionnez un choix valide" in bad
        assert "2026" in bad
        client.post(reverse("set_language"), {"language": "en", "next": "/"})
        page_en = client.get(reverse("reports:funder_costs")).content.decode()
        assert "$1,929.56" in page_en
        assert "No budget data" in page_en
        assert "$14,000.00" in page_en
        body = client.get("/api/v1/funder-costs?year=2026").json()
        act = next(p for p in body["programs"] if p["program_id"] == world["act"].pk)
        assert act["has_budget_data"] is False
        assert act["total_cost"] is None
        icm = next(p for p in body["programs"] if p["program_id"] == world["icm"].pk)
        assert Decimal(icm["cost_per_participant"]) == Decimal("275.65")
        assert client.get("/api/v1/funder-costs?year=1").status_code == 422


def test_the_demo_keeps_24_months_at_their_jobs_moments(world, consortium):
    now = datetime.datetime(2026, 3, 1, 0, 20, tzinfo=MTL)
    assert generate_history(consortium, now) == 24
    months = list(FunderReport.objects.order_by("month").values_list("month", flat=True))
    assert months[0] == datetime.date(2024, 3, 1)
    assert months[-1] == datetime.date(2026, 2, 1)
    last = FunderReport.objects.get(month=datetime.date(2026, 2, 1))
    # Generated at the job's moment, never after the demo's "now" (the first of March, 00:20).
    assert last.generated_at == now
    assert FunderReport.objects.get(month=datetime.date(2026, 1, 1)).generated_at == datetime.datetime(
        2026, 2, 1, 4, 30, tzinfo=MTL
    )
    assert generate_history(consortium, now) == 0
