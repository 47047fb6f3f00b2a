"""Route table of housing's move-in support, budgets and outcomes for ancrage/core/tests/test_routes.py: every
URL and API operation of this part, with the objects its URLs need (see that module for what each field means).

A delivery (and, in the API, a reservation) in a URL is a participant's record: its routes answer 404 without
the permission, like a record one may not see. Booking a delivery takes the reservation in its query string
(`?reservation=<id>`): a reservation the user may not see is a 404 there too (housing's tests)."""

from __future__ import annotations

from ancrage.core import clock

ROUTES: dict[str, dict] = {
    "housing:furniture_bank": {"outsider": 403, "perm": "housing.manage_furniture"},
    "housing:furniture_item_create": {"outsider": 403, "perm": "housing.manage_furniture"},
    "housing:furniture_stock": {"method": "post", "outsider": 403, "perm": "housing.manage_furniture"},
    "housing:furniture_reserve": {"outsider": 403, "perm": "housing.manage_furniture"},
    "housing:furniture_delivery_book": {"outsider": 403, "perm": "housing.manage_furniture"},
    "housing:furniture_delivery_status": {
        "method": "post",
        "outsider": 403,
        "perm": "housing.manage_furniture",
    },
    "housing:budgets": {"outsider": 403, "perm": "housing.view_budgets"},
    "housing:budget_line_set": {"outsider": 403, "perm": "housing.manage_budgets"},
    "housing:expense_create": {"outsider": 403, "perm": "housing.record_expenses"},
    "housing:outcomes": {"outsider": 403, "perm": "housing.view_outcomes"},
    "housing:outcomes_people": {"outsider": 403, "perm": "housing.view_outcomes"},
    "housing:outcomes_export": {"outsider": 403, "perm": "housing.view_outcomes"},
    "api:list_furniture_items": {
        "anonymous": 401,
        "outsider": 403,
        "perm": "housing.manage_furniture",
        "api": True,
    },
    "api:list_furniture_reservations": {
        "anonymous": 401,
        "outsider": 403,
        "perm": "housing.manage_furniture",
        "api": True,
    },
    "api:create_furniture_reservation": {
        "method": "post",
        "anonymous": 401,
        "outsider": 403,
        "perm": "housing.manage_furniture",
        "api": True,
    },
    "api:list_furniture_deliveries": {
        "anonymous": 401,
        "outsider": 403,
        "perm": "housing.manage_furniture",
        "api": True,
    },
    "api:book_furniture_delivery": {
        "method": "post",
        "anonymous": 401,
        "perm": "housing.manage_furniture",
        "api": True,
    },
    "api:set_furniture_delivery_status": {
        "method": "post",
        "anonymous": 401,
        "perm": "housing.manage_furniture",
        "api": True,
    },
    "api:list_budget_lines": {"anonymous": 401, "outsider": 403, "perm": "housing.view_budgets", "api": True},
    "api:record_expense": {
        "method": "post",
        "anonymous": 401,
        "outsider": 403,
        "perm": "housing.record_expenses",
        "api": True,
    },
    "api:get_housing_outcomes": {
        "anonymous": 401,
        "outsider": 403,
        "perm": "housing.view_outcomes",
        "api": True,
    },
}
API_OPERATIONS: dict[str, tuple[str, str]] = {
    "api:list_furniture_items": ("get", "/api/v1/housing/furniture/items"),
    "api:list_furniture_reservations": ("get", "/api/v1/housing/furniture/reservations"),
    "api:create_furniture_reservation": ("post", "/api/v1/housing/furniture/reservations"),
    "api:list_furniture_deliveries": ("get", "/api/v1/housing/furniture/deliveries"),
    "api:book_furniture_delivery": (
        "post",
        "/api/v1/housing/furniture/reservations/{reservation_pk}/delivery",
    ),
    "api:set_furniture_delivery_status": (
        "post",
        "/api/v1/housing/furniture/deliveries/{delivery_pk}/status",
    ),
    "api:list_budget_lines": ("get", "/api/v1/housing/budget-lines"),
    "api:record_expense": ("post", "/api/v1/housing/expenses"),
    "api:get_housing_outcomes": ("get", "/api/v1/housing/outcomes"),
}

API_BODIES: dict = {
    "api:create_furniture_reservation": lambda w: {
        "participant_id": w["participant"].pk,
        "items": [{"item_id": w["hs_table"].pk, "quantity": 1}],
    },
    "api:book_furniture_delivery": lambda w: {
        "scheduled_for": clock.today().isoformat(),
        "window_start": "09:00",
        "window_end": "12:00",
        "carrier": "van",
        "address": "1 rue Test",
    },
    "api:set_furniture_delivery_status": lambda w: {"status": "delivered"},
    "api:record_expense": lambda w: {
        "line_id": w["hs_line"].pk,
        "spent_on": clock.today().isoformat(),
        "amount": "10.00",
        "description": "Lit",
    },
}

# Roles of the participant's organisation without and with each permission of this part.
LACKING = {
    "housing.manage_furniture": "case_manager",
    "housing.view_budgets": "case_manager",
    "housing.manage_budgets": "housing_specialist",
    "housing.record_expenses": "case_manager",
    "housing.view_outcomes": "case_manager",
}
HAVING = {
    "housing.manage_furniture": "housing_specialist",
    "housing.view_budgets": "program_manager",
    "housing.manage_budgets": "program_manager",
    "housing.record_expenses": "housing_specialist",
    "housing.view_outcomes": "data_coordinator",
}


def extend_world(w: dict) -> None:
    """A furniture bank kept by organisation A with a bed and a table, a reservation of participant (A) still
    to book, another with a booked delivery, and a budget line of A's program."""
    import datetime

    from ancrage.core.permissions import Role
    from ancrage.housing import services_furniture as furniture
    from ancrage.housing.tests.support_factories import budget_line
    from ancrage.people.tests.factories import member

    keeper = member(w["org_a"], Role.HOUSING_SPECIALIST)
    bed = furniture.item_create(
        actor=keeper, organisation=w["org_a"], name_fr="Lit", category="bed", on_hand=5
    )
    w["hs_table"] = furniture.item_create(
        actor=keeper, organisation=w["org_a"], name_fr="Table", category="table", on_hand=5
    )
    w["hs_reservation"] = furniture.reservation_create(
        actor=keeper, organisation=w["org_a"], participant=w["participant"], items={bed: 1}
    )
    booked = furniture.reservation_create(
        actor=keeper, organisation=w["org_a"], participant=w["participant"], items={bed: 1}
    )
    w["hs_delivery"] = furniture.delivery_book(
        actor=keeper,
        reservation=booked,
        scheduled_for=clock.today(),
        window_start=datetime.time(9),
        window_end=datetime.time(12),
        carrier="van",
        address="1 rue Test",
    )
    w["hs_line"] = budget_line(w["program"], amount="1000.00")


def kwargs(name: str, w: dict, tamper: str | None) -> dict | None:
    if name == "api:book_furniture_delivery":
        return {"reservation_pk": w["hs_reservation"].pk}
    if name in {"housing:furniture_delivery_status", "api:set_furniture_delivery_status"}:
        return {"delivery_pk": w["hs_delivery"].pk}
    return None
