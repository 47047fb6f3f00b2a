"""The rent payment service (C5): exact arithmetic, the roll, payments, closing a month, shares, arrears, plans."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from ancrage.core.models import Alert, AuditEntry
from ancrage.housing.models import LandlordPayment, RentCharge, RentRoll, RepaymentPlan, ShareReceipt, Tenancy
from ancrage.housing.rent import arithmetic, selectors, services
from ancrage.housing.tests.rent_helpers import build_rent_world, make_participant_shared, make_tenancy

pytestmark = pytest.mark.django_db
D = Decimal
NINE_HUNDRED = D("900.00")
JAN, FEB, MAR = datetime.date(2026, 1, 1), datetime.date(2026, 2, 1), datetime.date(2026, 3, 1)


@pytest.fixture
def rent_world(consortium, org_a, shared_org, case_manager_a):
    return build_rent_world(consortium, org_a, shared_org, case_manager_a)


@pytest.fixture(autouse=True)
def _march(time_machine):
    time_machine.move_to(
        datetime.datetime(2026, 3, 10, 12, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=-5)))
    )
    with translation.override("en"):
        yield


def _tenancy(w, **kw):
    participant = make_participant_shared(
        w.case_manager, w.mission, w.service, legal_first_name=kw.pop("first", "Léa")
    )
    return make_tenancy(
        participant=participant, landlord=kw.pop("landlord", w.landlord), actor=w.case_manager, **kw
    )


def _approved(w, month):
    roll = services.roll_generate(actor=w.clerk, service=w.service, month=month)
    return services.roll_approve(actor=w.clerk, roll=roll)


# --- arithmetic ------------------------------------------------------------------------------------------------


def test_proration_is_exact_and_rounds_half_up():
    # 1000 × 15 / 30 = 500 exactly; 1000 × 1 / 31 = 32.258… → 32.26; 850.50 × 10 / 28 = 303.75
    assert arithmetic.prorate(D("1000.00"), 15, 30) == D("500.00")
    assert arithmetic.prorate(D("1000.00"), 1, 31) == D("32.26")
    assert arithmetic.prorate(D("850.50"), 10, 28) == D("303.75")
    # 0.05 × 1 / 2 = 0.025: half up gives 0.03 (banker's rounding or a float would give 0.02)
    assert arithmetic.prorate(D("0.05"), 1, 2) == D("0.03")
    assert isinstance(arithmetic.prorate(D("1.00"), 1, 3), Decimal)


def test_split_adds_up_to_the_cent():
    for rent, share, days, dim in [
        ("900.00", "270.00", 17, 31),
        ("733.33", "733.33", 5, 30),
        ("1000", "0", 3, 28),
    ]:
        amount, supplement, share_part = arithmetic.split(D(rent), D(share), days, dim)
        assert amount == supplement + share_part
        assert share_part <= amount
    # A share larger than the rent is capped at the rent: the supplement never goes negative.
    assert arithmetic.split(D("500.00"), D("600.00"), 30, 30) == (D("500.00"), D("0.00"), D("500.00"))


def test_days_covered():
    assert arithmetic.days_covered(MAR, datetime.date(2026, 3, 17), None) == (15, 31)
    assert arithmetic.days_covered(FEB, datetime.date(2025, 1, 1), datetime.date(2026, 2, 10)) == (10, 28)
    assert arithmetic.days_covered(FEB, datetime.date(2026, 3, 1), None)[0] == 0


# --- the roll --------------------------------------------------------------------------------------------------


def test_roll_prorates_partial_months_and_skips_inactive_tenancies(rent_world):
    w = rent_world
    whole = _tenancy(w, lease_start=datetime.date(2025, 6, 1))
    moved_in = _tenancy(w, lease_start=datetime.date(2026, 3, 17), rent=D("1000.00"), share=D("300.00"))
    moved_out = _tenancy(w, lease_start=datetime.date(2025, 1, 1), ended_on=datetime.date(2026, 3, 10))
    _tenancy(w, lease_start=datetime.date(2025, 1, 1), ended_on=datetime.date(2026, 2, 28))  # ended before
    _tenancy(w, lease_start=datetime.date(2026, 4, 1))  # starts after
    roll = services.roll_generate(actor=w.clerk, service=w.service, month=MAR)
    charges = {c.tenancy_id: c for c in roll.charges.all()}
    assert set(charges) == {whole.pk, moved_in.pk, moved_out.pk}
    assert (charges[whole.pk].amount, charges[whole.pk].share_part) == (D("900.00"), D("270.00"))
    # 1000 × 15/31 = 483.870… → 483.87; 300 × 15/31 = 145.161… → 145.16; the supplement is the rest.
    c = charges[moved_in.pk]
    assert (c.days, c.amount, c.share_part, c.supplement_part) == (15, D("483.87"), D("145.16"), D("338.71"))
    c = charges[moved_out.pk]
    assert (c.days, c.amount, c.share_part) == (10, D("290.32"), D("87.10"))
    assert AuditEntry.objects.filter(action="housing.rent.roll_generated", object_id=str(roll.pk)).exists()


def test_generating_twice_refreshes_the_draft_and_an_approved_roll_is_refused(rent_world):
    w = rent_world
    first = _tenancy(w)
    roll = services.roll_generate(actor=w.clerk, service=w.service, month=MAR)
    _tenancy(w, first="Marc")
    again = services.roll_generate(actor=w.clerk, service=w.service, month=datetime.date(2026, 3, 20))
    assert again.pk == roll.pk
    assert RentRoll.objects.count() == 1
    assert RentCharge.objects.filter(roll=roll).count() == 2
    assert RentCharge.objects.filter(roll=roll, tenancy=first).count() == 1
    services.roll_approve(actor=w.clerk, roll=roll)
    with pytest.raises(ValidationError, match="already approved"):
        services.roll_generate(actor=w.clerk, service=w.service, month=MAR)
    assert RentCharge.objects.filter(roll=roll).count() == 2


def test_only_the_service_clerk_generates(rent_world, housing_specialist, case_manager_b):
    for user in (housing_specialist, case_manager_b):
        with pytest.raises(ValidationError) as error:
            services.roll_generate(actor=user, service=rent_world.service, month=MAR)
        assert "service" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.roll_generate(
            actor=rent_world.clerk, service=rent_world.service, month=datetime.date(1, 1, 1)
        )
    assert not RentRoll.objects.exists()


def test_totals_per_landlord(rent_world):
    w = rent_world
    _tenancy(w)
    _tenancy(w, first="Marc", rent=D("750.00"), share=D("200.00"))
    _tenancy(w, first="Zoé", landlord=w.other_landlord, rent=D("1200.00"), share=D("350.00"))
    roll = services.roll_generate(actor=w.clerk, service=w.service, month=MAR)
    lines = {line.landlord.pk: line for line in selectors.landlord_lines(roll)}
    assert lines[w.landlord.pk].owed == D("1650.00")
    assert lines[w.landlord.pk].charges == 2
    assert lines[w.other_landlord.pk].owed == D("1200.00")
    assert selectors.roll_totals(roll)["amount"] == D("2850.00")


# --- payments ---------------------------------------------------------------------------------------------------


def _pay(w, roll, amount=NINE_HUNDRED, **kw):
    landlord = kw.pop("landlord", w.landlord)
    values = {"method": "cheque", "reference": "10042", "paid_on": datetime.date(2026, 3, 1)}
    values.update(kw)
    return services.payment_record(actor=w.clerk, roll=roll, landlord=landlord, amount=amount, **values)


def test_a_draft_roll_cannot_be_paid_and_a_month_not_twice(rent_world):
    w = rent_world
    _tenancy(w)
    roll = services.roll_generate(actor=w.clerk, service=w.service, month=MAR)
    with pytest.raises(ValidationError, match="Approve the roll"):
        _pay(w, roll)
    services.roll_approve(actor=w.clerk, roll=roll)
    payment = _pay(w, roll)
    assert payment.amount == D("900.00")
    with pytest.raises(ValidationError) as error:
        _pay(w, roll, reference="10043")
    assert "cannot be paid twice" in str(error.value.message_dict["landlord"])
    assert LandlordPayment.objects.count() == 1
    # The database refuses it too.
    with pytest.raises(IntegrityError), transaction.atomic():
        LandlordPayment.objects.create(
            roll=roll, landlord=w.landlord, amount=D("1"), method="cheque", paid_on=MAR, recorded_by=w.clerk
        )


@pytest.mark.parametrize("amount", [D("0"), D("-10.00"), "abc", D("1.234"), D("10000000")])
def test_payment_amounts_must_be_positive_cents(rent_world, amount):
    w = rent_world
    _tenancy(w)
    roll = _approved(w, MAR)
    with pytest.raises(ValidationError) as error:
        _pay(w, roll, amount=amount)
    assert "amount" in error.value.message_dict
    assert not LandlordPayment.objects.exists()


def test_cheque_needs_its_number_and_landlord_must_be_owed(rent_world, housing_specialist):
    w = rent_world
    _tenancy(w)
    roll = _approved(w, MAR)
    with pytest.raises(ValidationError) as error:
        _pay(w, roll, reference="")
    assert "reference" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        _pay(w, roll, landlord=w.other_landlord)
    assert "landlord" in error.value.message_dict


def test_reconciliation_and_mismatch(rent_world):
    w = rent_world
    _tenancy(w)
    roll = _approved(w, MAR)
    payment = _pay(w, roll, amount=D("850.00"))
    line = selectors.landlord_lines(roll)[0]
    assert line.mismatch == D("-50.00")
    with pytest.raises(ValidationError) as error:
        services.payment_reconcile(actor=w.clerk, payment=payment, reconciled_on=datetime.date(2026, 2, 27))
    assert "reconciled_on" in error.value.message_dict
    services.payment_reconcile(actor=w.clerk, payment=payment, reconciled_on=datetime.date(2026, 3, 4))
    payment.refresh_from_db()
    assert payment.reconciled_on == datetime.date(2026, 3, 4)
    assert payment.reconciled_by == w.clerk
    with pytest.raises(ValidationError, match="already reconciled"):
        services.payment_reconcile(actor=w.clerk, payment=payment, reconciled_on=datetime.date(2026, 3, 5))


# --- closing ----------------------------------------------------------------------------------------------------


def test_closing_needs_every_landlord_paid_or_carried_and_then_nothing_changes(rent_world):
    w = rent_world
    t = _tenancy(w)
    _tenancy(w, first="Zoé", landlord=w.other_landlord)
    roll = _approved(w, MAR)
    _pay(w, roll)
    with pytest.raises(ValidationError, match="Immeubles Aubin"):
        services.roll_close(actor=w.clerk, roll=roll)
    with pytest.raises(ValidationError) as error:
        services.landlord_carry(actor=w.clerk, roll=roll, landlord=w.other_landlord, reason="  ")
    assert "reason" in error.value.message_dict
    services.landlord_carry(
        actor=w.clerk, roll=roll, landlord=w.other_landlord, reason="Dispute over repairs"
    )
    with pytest.raises(ValidationError, match="already paid"):
        services.landlord_carry(actor=w.clerk, roll=roll, landlord=w.landlord, reason="no")
    services.roll_close(actor=w.clerk, roll=roll)
    roll.refresh_from_db()
    assert roll.status == RentRoll.Status.CLOSED
    with pytest.raises(ValidationError, match="closed"):
        _pay(w, roll, landlord=w.other_landlord)
    with pytest.raises(ValidationError, match="closed"):
        services.payment_reconcile(
            actor=w.clerk, payment=roll.payments.get(), reconciled_on=datetime.date(2026, 3, 5)
        )
    with pytest.raises(ValidationError, match="closed"):
        services.roll_close(actor=w.clerk, roll=roll)
    with pytest.raises(ValidationError):
        services.roll_generate(actor=w.clerk, service=w.service, month=MAR)
    with pytest.raises(ValidationError) as error:
        services.receipt_record(
            actor=w.clerk,
            tenancy=t,
            month=MAR,
            amount=D("270"),
            received_on=datetime.date(2026, 3, 2),
            method="cash",
        )
    assert "closed" in str(error.value.message_dict["month"])


# --- shares, arrears and plans ----------------------------------------------------------------------------------


def _receive(w, t, month, amount, day=None, method="cash"):
    return services.receipt_record(
        actor=w.clerk,
        tenancy=t,
        month=month,
        amount=amount,
        received_on=day or datetime.date(2026, 3, 5),
        method=method,
    )


def test_arrears_are_shares_due_less_received_with_the_months(rent_world):
    w = rent_world
    t = _tenancy(w, lease_start=datetime.date(2025, 12, 1))
    for month in (JAN, FEB, MAR):
        _approved(w, month)
    _receive(w, t, JAN, D("270.00"))
    _receive(w, t, FEB, D("100.00"))
    found = selectors.arrears(Tenancy.objects.all(), datetime.date(2026, 3, 10))[t.pk]
    assert (found.due, found.received, found.amount) == (D("810.00"), D("370.00"), D("440.00"))
    assert found.months == [FEB, MAR]
    assert found.alerting  # two months in arrears (setting RENT_ARREARS_ALERT_MONTHS)
    # A draft roll's shares are not due yet.
    services.roll_generate(actor=w.clerk, service=w.service, month=datetime.date(2026, 4, 1))
    assert selectors.arrears(Tenancy.objects.all(), datetime.date(2026, 4, 2))[t.pk].amount == D("440.00")


def test_negative_and_duplicate_receipts_are_refused(rent_world):
    w = rent_world
    t = _tenancy(w)
    _approved(w, MAR)
    for amount in (D("-5"), D("0")):
        with pytest.raises(ValidationError) as error:
            _receive(w, t, MAR, amount)
        assert "amount" in error.value.message_dict
    _receive(w, t, MAR, D("100.00"))
    with pytest.raises(ValidationError, match="already recorded"):
        _receive(w, t, MAR, D("100.00"))
    with pytest.raises(ValidationError) as error:
        _receive(w, t, MAR, D("10.00"), day=datetime.date(2026, 4, 1))
    assert "received_on" in error.value.message_dict
    assert ShareReceipt.objects.count() == 1


def test_repayment_plan_takes_what_is_above_the_share_and_completes(rent_world):
    w = rent_world
    t = _tenancy(w, lease_start=datetime.date(2025, 12, 1))
    _approved(w, JAN)
    _approved(w, FEB)
    _receive(w, t, JAN, D("70.00"))
    with pytest.raises(ValidationError) as error:
        services.plan_create(actor=w.clerk, tenancy=t, monthly_amount=D("500"), starts_on=MAR)
    assert "monthly_amount" in error.value.message_dict
    plan = services.plan_create(actor=w.clerk, tenancy=t, monthly_amount=D("100.00"), starts_on=MAR)
    assert plan.owed_at_start == D("470.00")
    with pytest.raises(ValidationError, match="already has an active"):
        services.plan_create(actor=w.clerk, tenancy=t, monthly_amount=D("100.00"), starts_on=MAR)
    _approved(w, MAR)
    receipt = _receive(w, t, MAR, D("370.00"))
    assert (receipt.plan_id, receipt.plan_part) == (plan.pk, D("100.00"))
    receipt = _receive(w, t, MAR, D("300.00"), day=datetime.date(2026, 3, 6))
    assert receipt.plan_part == D("300.00")  # the month's share is already received
    plan.refresh_from_db()
    assert plan.status == RepaymentPlan.Status.ACTIVE
    _receive(w, t, MAR, D("70.00"), day=datetime.date(2026, 3, 7))
    plan.refresh_from_db()
    assert plan.status == RepaymentPlan.Status.COMPLETED
    assert t.pk not in selectors.arrears(Tenancy.objects.all(), datetime.date(2026, 3, 10))


def test_a_plan_behind_is_broken_by_the_daily_check_and_the_clerk_alerted(rent_world, time_machine):
    w = rent_world
    t = _tenancy(w, lease_start=datetime.date(2025, 12, 1))
    _approved(w, JAN)
    plan = services.plan_create(actor=w.clerk, tenancy=t, monthly_amount=D("50.00"), starts_on=JAN)
    assert services.plans_check(datetime.date(2026, 2, 5)) == 0  # one month behind: not yet
    assert services.plans_check(datetime.date(2026, 3, 5)) == 1
    plan.refresh_from_db()
    assert plan.status == RepaymentPlan.Status.BROKEN
    assert Alert.objects.filter(recipient=w.clerk, kind="housing.rent.plan_broken").count() == 1


def test_the_job_generates_next_months_draft_from_the_roll_day_once(rent_world, settings):
    w = rent_world
    _tenancy(w)
    assert services.rolls_prepare(datetime.date(2026, 3, 19)) == 0
    assert services.rolls_prepare(datetime.date(2026, 3, 20)) == 1
    assert services.rolls_prepare(datetime.date(2026, 3, 21)) == 0
    roll = RentRoll.objects.get()
    assert (roll.month, roll.status, roll.generated_by) == (datetime.date(2026, 4, 1), "draft", None)
    assert Alert.objects.filter(recipient=w.clerk, kind="housing.rent.roll_to_approve").count() == 1
    services.roll_approve(actor=w.clerk, roll=roll)
    assert not Alert.objects.filter(kind="housing.rent.roll_to_approve", resolved_at__isnull=True).exists()


def test_the_scheduled_task_is_registered_and_runs(rent_world, time_machine):
    from ancrage.core.scheduling import _REGISTRY
    from ancrage.housing.tasks import rent_daily

    assert _REGISTRY["housing.rent_daily"].get_task() is rent_daily
    _tenancy(rent_world)
    time_machine.move_to(
        datetime.datetime(2026, 3, 25, 12, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=-5)))
    )
    assert rent_daily.call() == {"rolls": 1, "plans_broken": 0}
