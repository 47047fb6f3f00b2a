"""The API of the furniture bank, budgets and outcomes: the same rules and words as the pages."""

from __future__ import annotations

import pytest
from django.utils import translation

from ancrage.core import clock
from ancrage.core.permissions import Category
from ancrage.housing.models import Expense, FurnitureReservation
from ancrage.housing.tests.support_factories import budget_line, stocked_bank
from ancrage.people.tests.factories import ProgramFactory, make_participant, share

pytestmark = pytest.mark.django_db


def test_reservation_beyond_stock_is_a_422_naming_the_item(
    client_for, housing_specialist, shared_org, participant_a, case_manager_a
):
    share(case_manager_a, participant_a, [shared_org], [Category.IDENTITY, Category.HOUSING])
    bed, _table, _pots, kit = stocked_bank(housing_specialist, shared_org)
    c = client_for(housing_specialist)
    body = {"participant_id": participant_a.pk, "items": [{"item_id": bed.pk, "quantity": 2}]}
    with translation.override("en"):
        refused = c.post("/api/v1/housing/furniture/reservations", body, content_type="application/json")
    assert refused.status_code == 422
    assert "Lit simple" in str(refused.json()["errors"]) or "Single bed" in str(refused.json()["errors"])
    body["items"][0]["quantity"] = 1
    body["kit_ids"] = [kit.pk]
    done = c.post("/api/v1/housing/furniture/reservations", body, content_type="application/json")
    assert done.status_code == 201
    assert len(done.json()["lines"]) == 2
    resa_id = done.json()["id"]
    booked = c.post(
        f"/api/v1/housing/furniture/reservations/{resa_id}/delivery",
        {
            "scheduled_for": clock.today().isoformat(),
            "window_start": "09:00",
            "window_end": "11:00",
            "carrier": "van",
            "address": "1 rue X",
        },
        content_type="application/json",
    )
    assert booked.status_code == 201
    delivered = c.post(
        f"/api/v1/housing/furniture/deliveries/{booked.json()['id']}/status",
        {"status": "delivered"},
        content_type="application/json",
    )
    assert delivered.status_code == 200
    assert FurnitureReservation.objects.get(pk=resa_id).status == "delivered"
    items = c.get("/api/v1/housing/furniture/items").json()
    assert next(i for i in items if i["id"] == bed.pk)["on_hand"] == 0


def test_a_participant_not_shared_is_404(client_for, housing_specialist, shared_org, case_manager_b, org_b):
    stocked_bank(housing_specialist, shared_org)
    stranger = make_participant(case_manager_b, org_b, legal_first_name="Bruno", legal_last_name="Bélanger")
    response = client_for(housing_specialist).post(
        "/api/v1/housing/furniture/reservations",
        {"participant_id": stranger.pk, "items": []},
        content_type="application/json",
    )
    assert response.status_code == 404


def test_expense_over_the_line_needs_a_reason(client_for, housing_specialist, org_a):
    line = budget_line(ProgramFactory(organisation=org_a), amount="50.00")
    c = client_for(housing_specialist)
    body = {
        "line_id": line.pk,
        "spent_on": clock.today().isoformat(),
        "amount": "60.00",
        "description": "Motel",
    }
    refused = c.post("/api/v1/housing/expenses", body, content_type="application/json")
    assert refused.status_code == 422
    assert "over_budget_reason" in refused.json()["errors"]
    for bad in ("-1", "0", "1e20"):
        assert (
            c.post(
                "/api/v1/housing/expenses", body | {"amount": bad}, content_type="application/json"
            ).status_code
            == 422
        )
    done = c.post(
        "/api/v1/housing/expenses",
        body | {"confirm_over": True, "over_budget_reason": "Aucune place"},
        content_type="application/json",
    )
    assert done.status_code == 201
    assert done.json()["line"]["state"] == "over"
    assert Expense.objects.count() == 1
    lines = c.get("/api/v1/housing/budget-lines").json()
    assert lines[0]["spent"] in ("60.00", 60.0, "60")


def test_outcomes_figures(client_for, program_manager_a):
    response = client_for(program_manager_a).get("/api/v1/housing/outcomes")
    assert response.status_code == 200
    assert response.json()["retention_gap_days"] == 30
    bad = client_for(program_manager_a).get("/api/v1/housing/outcomes?start=2026-05-01&end=2026-01-01")
    assert bad.status_code == 422
