"""Route table of the rent payment service (C5) for ancrage/core/tests/test_routes.py: every URL and API
operation of this part, with the objects its URLs need (see that module for what each field means).

In the world, organisation A also runs a rent payment program (so a rent clerk of A works for a service), with
last month's roll approved and paid (a payment to reconcile) and this month's approved and unpaid; a
tenancy of the participant (A) and one of participant B; another consortium's service, roll and payment are
the ids a tampered URL swaps in."""

from __future__ import annotations

import datetime
from decimal import Decimal

from ancrage.core import clock

ROUTES: dict[str, dict] = {
    "housing:rent_home": {"outsider": 403, "perm": "housing.view_rent"},
    "housing:rent_generate": {"method": "post", "outsider": 403, "perm": "housing.manage_rent"},
    "housing:rent_roll": {"outsider": 403, "perm": "housing.view_rent"},
    "housing:rent_roll_approve": {"method": "post", "outsider": 403, "perm": "housing.manage_rent"},
    "housing:rent_roll_regenerate": {"method": "post", "outsider": 403, "perm": "housing.manage_rent"},
    "housing:rent_roll_close": {"method": "post", "outsider": 403, "perm": "housing.manage_rent"},
    "housing:rent_roll_export": {"outsider": 403, "perm": "housing.view_rent"},
    "housing:rent_pay": {"method": "post", "outsider": 403, "perm": "housing.manage_rent"},
    "housing:rent_carry": {"method": "post", "outsider": 403, "perm": "housing.manage_rent"},
    "housing:rent_reconcile": {"method": "post", "outsider": 403, "perm": "housing.manage_rent"},
    "housing:rent_account": {"outsider": 403, "perm": "housing.view_rent"},
    "housing:rent_receipt": {"method": "post", "outsider": 403, "perm": "housing.manage_rent"},
    "housing:rent_plan": {"method": "post", "outsider": 403, "perm": "housing.manage_rent"},
    "housing:rent_statement": {"outsider": 403, "perm": "housing.view_rent"},
    "api:list_rent_rolls": {"anonymous": 401, "outsider": 403, "perm": "housing.view_rent", "api": True},
    "api:get_rent_roll": {"anonymous": 401, "outsider": 403, "perm": "housing.view_rent", "api": True},
    "api:list_rent_charges": {"anonymous": 401, "outsider": 403, "perm": "housing.view_rent", "api": True},
    "api:record_landlord_payment": {
        "method": "post",
        "anonymous": 401,
        "outsider": 403,
        "perm": "housing.manage_rent",
        "api": True,
    },
    "api:reconcile_landlord_payment": {
        "method": "post",
        "anonymous": 401,
        "outsider": 403,
        "perm": "housing.manage_rent",
        "api": True,
    },
    "api:record_share_receipt": {
        "method": "post",
        "anonymous": 401,
        "outsider": 403,
        "perm": "housing.manage_rent",
        "api": True,
    },
    "api:list_rent_arrears": {"anonymous": 401, "outsider": 403, "perm": "housing.view_rent", "api": True},
}
API_OPERATIONS: dict[str, tuple[str, str]] = {
    "api:list_rent_rolls": ("get", "/api/v1/rent/rolls"),
    "api:get_rent_roll": ("get", "/api/v1/rent/rolls/{roll_pk}"),
    "api:list_rent_charges": ("get", "/api/v1/rent/rolls/{roll_pk}/charges"),
    "api:record_landlord_payment": ("post", "/api/v1/rent/rolls/{roll_pk}/payments"),
    "api:reconcile_landlord_payment": ("post", "/api/v1/rent/payments/{payment_pk}/reconcile"),
    "api:record_share_receipt": ("post", "/api/v1/rent/tenancies/{tenancy_pk}/receipts"),
    "api:list_rent_arrears": ("get", "/api/v1/rent/arrears"),
}
API_BODIES: dict = {
    "api:record_landlord_payment": lambda w: {
        "landlord_id": w["rent_landlord"].pk,
        "amount": "900.00",
        "method": "cheque",
        "reference": "20001",
        "paid_on": clock.today().isoformat(),
    },
    "api:reconcile_landlord_payment": lambda w: {"reconciled_on": clock.today().isoformat()},
    "api:record_share_receipt": lambda w: {
        "month": clock.today().isoformat(),
        "amount": "10.00",
        "received_on": clock.today().isoformat(),
        "method": "cash",
    },
}


def extend_world(w: dict) -> None:
    from ancrage.core.permissions import Role
    from ancrage.housing.models import LandlordPayment
    from ancrage.housing.rent import services
    from ancrage.housing.rent.arithmetic import first_of_month, previous_month
    from ancrage.housing.tests.rent_helpers import make_landlord, make_tenancy
    from ancrage.organisations.models import Program
    from ancrage.people.tests.factories import (
        ConsortiumFactory,
        OrganisationFactory,
        ProgramFactory,
        member,
    )

    today = clock.today()
    this_month = first_of_month(today)
    ProgramFactory(organisation=w["org_a"], kind=Program.Kind.RENT_PAYMENT, name="SLC (routes)")
    clerk = member(w["org_a"], Role.RENT_CLERK)
    landlord = make_landlord(w["org_a"], name="Gestion des Routes")
    start = previous_month(previous_month(this_month))
    w["rent_tenancy"] = make_tenancy(
        participant=w["participant"], landlord=landlord, actor=w["case_manager_a"], lease_start=start
    )
    w["rent_tenancy_b"] = make_tenancy(
        participant=w["participant_b"], landlord=landlord, actor=w["case_manager_b"], lease_start=start
    )
    last = services.roll_generate(actor=clerk, service=w["org_a"], month=previous_month(this_month))
    services.roll_approve(actor=clerk, roll=last)
    w["rent_payment"] = services.payment_record(
        actor=clerk,
        roll=last,
        landlord=landlord,
        amount=Decimal("1800.00"),
        method="bank_transfer",
        paid_on=max(last.month, today - datetime.timedelta(days=5)),
    )
    roll = services.roll_generate(actor=clerk, service=w["org_a"], month=this_month)
    w["rent_roll"] = services.roll_approve(actor=clerk, roll=roll)
    w["rent_landlord"] = landlord
    # Another consortium's service: what a tampered URL points at.
    elsewhere = OrganisationFactory(
        consortium=ConsortiumFactory(name="Consortium ailleurs"), name="Ailleurs", short_name="AIL"
    )
    ProgramFactory(organisation=elsewhere, kind=Program.Kind.RENT_PAYMENT, name="SLC ailleurs")
    other_clerk = member(elsewhere, Role.RENT_CLERK)
    w["rent_roll_elsewhere"] = services.roll_generate(actor=other_clerk, service=elsewhere, month=this_month)
    w["rent_payment_elsewhere"] = LandlordPayment.objects.create(
        roll=w["rent_roll_elsewhere"],
        landlord=make_landlord(elsewhere, name="Ailleurs inc."),
        amount=Decimal("10.00"),
        method="cheque",
        paid_on=today,
        recorded_by=other_clerk,
    )


def kwargs(name: str, w: dict, tamper: str | None) -> dict | None:
    """URL arguments for one of this part's routes, or None to let the generic rules decide."""
    if not (name.startswith("housing:rent_") or name in ROUTES):
        return None
    elsewhere = tamper == "participant"
    roll = w["rent_roll_elsewhere"] if elsewhere else w["rent_roll"]
    tenancy = w["rent_tenancy_b"] if elsewhere else w["rent_tenancy"]
    payment = w["rent_payment_elsewhere"] if elsewhere else w["rent_payment"]
    by_name = {
        "housing:rent_roll": {"pk": roll.pk},
        "housing:rent_roll_approve": {"pk": roll.pk},
        "housing:rent_roll_regenerate": {"pk": roll.pk},
        "housing:rent_roll_close": {"pk": roll.pk},
        "housing:rent_roll_export": {"pk": roll.pk},
        "housing:rent_pay": {"pk": roll.pk, "landlord_pk": w["rent_landlord"].pk},
        "housing:rent_carry": {"pk": roll.pk, "landlord_pk": w["rent_landlord"].pk},
        "housing:rent_reconcile": {"pk": payment.pk},
        "housing:rent_account": {"pk": tenancy.pk},
        "housing:rent_receipt": {"pk": tenancy.pk},
        "housing:rent_plan": {"pk": tenancy.pk},
        "housing:rent_statement": {"landlord_pk": w["rent_landlord"].pk},
        "api:get_rent_roll": {"roll_pk": roll.pk},
        "api:list_rent_charges": {"roll_pk": roll.pk},
        "api:record_landlord_payment": {"roll_pk": roll.pk},
        "api:reconcile_landlord_payment": {"payment_pk": payment.pk},
        "api:record_share_receipt": {"tenancy_pk": tenancy.pk},
    }
    return by_name.get(name, {})
