"""Housing budgets (C7): spending in exact decimals, the warning before a line is exceeded, and exceeding only
with a confirmation and a reason; a participant the recorder may not see is refused as if absent."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from ancrage.core import clock
from ancrage.core.models import AuditEntry
from ancrage.core.permissions import Category
from ancrage.housing import services_budgets as budgets
from ancrage.housing.models import Expense
from ancrage.housing.tests.support_factories import budget_line, make_tenancy
from ancrage.people.tests.factories import ProgramFactory, make_participant, share

pytestmark = pytest.mark.django_db


@pytest.fixture
def program(org_a):
    return ProgramFactory(organisation=org_a)


def _record(actor, line, amount, **kw):
    return budgets.expense_record(
        actor=actor,
        line=line,
        spent_on=clock.today(),
        amount=Decimal(amount),
        description="Lit et matelas",
        **kw,
    )


def test_spending_is_exact_and_warns_before_the_line_is_exceeded(housing_specialist, program):
    line = budget_line(program, amount="1000.00", warn=80)
    first = _record(housing_specialist, line, "333.33")
    assert first.warning == ""
    assert first.spending.spent == Decimal("333.33")
    assert isinstance(first.spending.percent, Decimal)
    second = _record(housing_specialist, line, "466.67")
    assert second.spending.spent == Decimal("800.00")
    assert second.spending.left == Decimal("200.00")
    assert second.spending.percent == Decimal("80.0")
    assert second.spending.state == "warn"
    assert "80.0" in second.warning
    (spending,) = budgets.spending_for([line])
    assert spending.spent == Decimal("800.00")


def test_exceeding_needs_a_confirmation_and_a_reason(housing_specialist, program):
    line = budget_line(program, amount="100.00")
    _record(housing_specialist, line, "90.00")
    with pytest.raises(ValidationError) as caught:
        _record(housing_specialist, line, "20.00")
    assert "over_budget_reason" in caught.value.message_dict
    with pytest.raises(ValidationError):
        _record(housing_specialist, line, "20.00", confirm_over=True, over_reason="  ")
    assert Expense.objects.count() == 1
    done = _record(
        housing_specialist, line, "20.00", confirm_over=True, over_reason="Motel après l'expulsion"
    )
    assert done.spending.state == "over"
    assert done.spending.left == Decimal("-10.00")
    assert done.expense.over_budget_reason == "Motel après l'expulsion"
    entry = AuditEntry.objects.get(action="housing.budget.expense_recorded", object_id=str(done.expense.pk))
    assert entry.data["over_budget_reason"] == "Motel après l'expulsion"


def test_bad_amounts_and_days_are_refused(housing_specialist, program):
    line = budget_line(program)
    for amount, day in (
        ("-5.00", clock.today()),
        ("0", clock.today()),
        ("1000000000", clock.today()),
        ("5.00", datetime.date(1, 1, 1)),
        ("5.00", datetime.date(9999, 1, 1)),
    ):
        with pytest.raises(ValidationError):
            budgets.expense_record(
                actor=housing_specialist, line=line, spent_on=day, amount=Decimal(amount), description="x"
            )
    assert Expense.objects.count() == 0


def test_participant_not_shared_is_refused_as_if_absent(housing_specialist, program, case_manager_b, org_b):
    stranger = make_participant(case_manager_b, org_b, legal_first_name="Bruno", legal_last_name="Bélanger")
    line = budget_line(program)
    with pytest.raises(ValidationError) as caught:
        _record(housing_specialist, line, "10.00", participant=stranger)
    assert "participant" in caught.value.message_dict


def test_expense_for_a_tenancy_names_its_participant(
    housing_specialist, program, participant_a, case_manager_a, shared_org
):
    share(case_manager_a, participant_a, [shared_org], [Category.IDENTITY, Category.HOUSING])
    tenancy = make_tenancy(participant_a, case_manager_a, organisation=shared_org)
    line = budget_line(program, kind="temporary_stays")
    done = _record(housing_specialist, line, "89.99", tenancy=tenancy)
    assert done.expense.participant_id == participant_a.pk
    assert AuditEntry.objects.get(action="housing.budget.expense_recorded").participant_id == participant_a.pk


def test_lines_are_set_by_the_programs_manager_only(program_manager_a, program, org_b):
    line = budgets.budget_line_set(
        actor=program_manager_a,
        program=program,
        year=clock.today().year,
        kind="furniture",
        amount=Decimal("5000"),
    )
    again = budgets.budget_line_set(
        actor=program_manager_a,
        program=program,
        year=clock.today().year,
        kind="furniture",
        amount=Decimal("6000.50"),
    )
    assert again.pk == line.pk
    assert again.amount == Decimal("6000.50")
    other = ProgramFactory(organisation=org_b)
    with pytest.raises(ValidationError):
        budgets.budget_line_set(
            actor=program_manager_a,
            program=other,
            year=clock.today().year,
            kind="moving",
            amount=Decimal("1"),
        )
    with pytest.raises(ValidationError):
        budgets.budget_line_set(
            actor=program_manager_a, program=program, year=1, kind="moving", amount=Decimal("-1")
        )
