"""Pages of the furniture bank, the budgets and the outcomes: the journey in words, bad input, consent on the
people behind a figure, reads audited, and query counts that do not grow with the rows."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from ancrage.core import clock
from ancrage.core.models import AuditEntry
from ancrage.core.permissions import Category, Role
from ancrage.housing import services_budgets as budgets
from ancrage.housing import services_furniture as furniture
from ancrage.housing.models import Expense, FurnitureDelivery, FurnitureReservation
from ancrage.housing.tests.support_factories import budget_line, make_tenancy, stocked_bank
from ancrage.people.tests.factories import ProgramFactory, make_participant, member, share

pytestmark = pytest.mark.django_db


@pytest.fixture
def shared_participant(participant_a, case_manager_a, shared_org):
    share(case_manager_a, participant_a, [shared_org], [Category.IDENTITY, Category.HOUSING])
    return participant_a


@pytest.fixture
def bank(housing_specialist, shared_org):
    return stocked_bank(housing_specialist, shared_org)


def test_reserve_book_and_deliver_through_the_pages(client_for, housing_specialist, shared_participant, bank):
    bed, table, _pots, kit = bank
    c = client_for(housing_specialist)
    url = reverse("housing:furniture_reserve") + f"?participant={shared_participant.pk}"
    page = c.get(url)
    assert page.status_code == 200
    assert "Lit simple" in page.content.decode()
    # Beyond stock: the message names the item and what is left; nothing is reserved.
    refused = c.post(url, {"participant": shared_participant.pk, f"item_{bed.pk}": 3})
    assert refused.status_code == 200
    assert "Lit simple" in refused.content.decode()
    assert not FurnitureReservation.objects.exists()
    done = c.post(
        url,
        {
            "participant": shared_participant.pk,
            f"item_{bed.pk}": 1,
            f"item_{table.pk}": 1,
            f"kit_{kit.pk}": "on",
        },
    )
    resa = FurnitureReservation.objects.get()
    assert done.status_code == 302
    assert done["Location"] == reverse("housing:furniture_delivery_book") + f"?reservation={resa.pk}"
    booked = c.post(
        done["Location"],
        {
            "scheduled_for": clock.today().isoformat(),
            "window_start": "09:00",
            "window_end": "12:00",
            "carrier": "volunteer",
            "carrier_name": "Gilles",
            "address": "4 rue Hickson",
        },
    )
    assert booked.status_code == 302
    delivery = FurnitureDelivery.objects.get()
    home = c.get(reverse("home")).content.decode()
    assert "4 rue Hickson" in home  # the day's deliveries on the specialist's home page
    c.post(reverse("housing:furniture_delivery_status", args=[delivery.pk]), {"status": "delivered"})
    bed.refresh_from_db()
    assert bed.on_hand == 0
    # What the participant received, on their file.
    detail = c.get(reverse("people:detail", args=[shared_participant.pk])).content.decode()
    assert "Trousse de départ" in detail


def test_bad_input_on_the_delivery_form_is_said_in_words(
    client_for, housing_specialist, shared_participant, bank
):
    resa = furniture.reservation_create(
        actor=housing_specialist,
        organisation=bank[0].organisation,
        participant=shared_participant,
        items={bank[0]: 1},
    )
    c = client_for(housing_specialist)
    for values in (
        {"scheduled_for": "9999-01-01"},
        {"scheduled_for": "0001-01-01"},
        {"carrier_name": "x\x00y"},
        {"carrier_name": "x" * 10000},
        {"window_start": "12:00", "window_end": "09:00"},
    ):
        data = {
            "scheduled_for": clock.today().isoformat(),
            "window_start": "09:00",
            "window_end": "12:00",
            "carrier": "van",
            "address": "1 rue X",
        } | values
        response = c.post(reverse("housing:furniture_delivery_book") + f"?reservation={resa.pk}", data)
        assert response.status_code == 200, values
    assert not FurnitureDelivery.objects.exists()


def test_another_banks_reservation_is_404(client_for, housing_specialist, shared_participant, bank, org_b):
    keeper_b = member(org_b, Role.HOUSING_SPECIALIST)
    resa = furniture.reservation_create(
        actor=housing_specialist,
        organisation=bank[0].organisation,
        participant=shared_participant,
        items={bank[0]: 1},
    )
    c = client_for(keeper_b)
    assert c.get(reverse("housing:furniture_delivery_book") + f"?reservation={resa.pk}").status_code == 404


def test_furniture_bank_query_count_does_not_grow(
    client_for, housing_specialist, shared_org, case_manager_a, org_a, django_assert_max_num_queries
):
    bed = furniture.item_create(
        actor=housing_specialist, organisation=shared_org, name_fr="Lit", category="bed", on_hand=50
    )
    c = client_for(housing_specialist)

    def add(n):
        for i in range(n):
            p = make_participant(case_manager_a, org_a, legal_first_name=f"P{i}", legal_last_name="Test")
            share(case_manager_a, p, [shared_org], [Category.IDENTITY, Category.HOUSING])
            resa = furniture.reservation_create(
                actor=housing_specialist, organisation=shared_org, participant=p, items={bed: 1}
            )
            furniture.delivery_book(
                actor=housing_specialist,
                reservation=resa,
                scheduled_for=clock.today(),
                window_start=datetime.time(9),
                window_end=datetime.time(10),
                carrier="van",
                address="1 rue X",
            )

    add(2)
    with django_assert_max_num_queries(40) as few:
        assert c.get(reverse("housing:furniture_bank")).status_code == 200
    first = len(few.captured_queries)
    add(6)
    with django_assert_max_num_queries(first):
        assert c.get(reverse("housing:furniture_bank")).status_code == 200


def test_budget_page_shows_spending_and_the_warning(
    client_for, program_manager_a, housing_specialist, org_a, django_assert_max_num_queries
):
    program = ProgramFactory(organisation=org_a)
    line = budget_line(program, amount="100.00", warn=80)
    budgets.expense_record(
        actor=housing_specialist,
        line=line,
        spent_on=clock.today(),
        amount=Decimal("85.00"),
        description="Lit",
    )
    c = client_for(program_manager_a)
    with django_assert_max_num_queries(25) as few:
        page = c.get(reverse("housing:budgets")).content.decode()
    first = len(few.captured_queries)
    assert "budget-warn" in page
    (row,) = c.get(reverse("housing:budgets")).context["spending"]
    assert (row.spent, row.left, row.percent) == (Decimal("85.00"), Decimal("15.00"), Decimal("85.0"))
    for _ in range(5):
        budget_line(ProgramFactory(organisation=org_a), amount="50.00")
    with django_assert_max_num_queries(first):
        c.get(reverse("housing:budgets"))


def test_expense_form_prefills_and_asks_before_exceeding(
    client_for, housing_specialist, shared_participant, case_manager_a, shared_org, org_a
):
    program = ProgramFactory(organisation=org_a)
    line = budget_line(program, kind="temporary_stays", amount="100.00")
    tenancy = make_tenancy(shared_participant, case_manager_a, organisation=shared_org, program=program)
    c = client_for(housing_specialist)
    url = (
        reverse("housing:expense_create")
        + f"?participant={shared_participant.pk}&tenancy={tenancy.pk}&kind=temporary_stays"
    )
    page = c.get(url)
    assert page.status_code == 200
    assert page.context["form"].initial["line"] == line.pk
    data = {
        "line": line.pk,
        "participant": shared_participant.pk,
        "tenancy": tenancy.pk,
        "spent_on": clock.today().isoformat(),
        "amount": "120.00",
        "description": "Motel, 3 nuits",
    }
    asked = c.post(url, data)
    assert asked.status_code == 200
    assert asked.context["over"] == "over"
    assert not Expense.objects.exists()
    done = c.post(url, data | {"confirm_over": "on", "over_budget_reason": "Aucune place en refuge"})
    assert done.status_code == 302
    expense = Expense.objects.get()
    assert expense.tenancy_id == tenancy.pk
    assert expense.amount == Decimal("120.00")


def test_expense_form_refuses_a_participant_not_shared(
    client_for, housing_specialist, case_manager_b, org_b, org_a
):
    stranger = make_participant(case_manager_b, org_b, legal_first_name="Bruno", legal_last_name="Bélanger")
    line = budget_line(ProgramFactory(organisation=org_a))
    c = client_for(housing_specialist)
    response = c.post(
        reverse("housing:expense_create"),
        {
            "line": line.pk,
            "participant": stranger.pk,
            "spent_on": clock.today().isoformat(),
            "amount": "10.00",
            "description": "Lit",
        },
    )
    assert response.status_code == 200
    assert "Bélanger" not in response.content.decode()
    assert not Expense.objects.exists()


def test_outcomes_people_are_those_the_reader_may_see(
    client_for, program_manager_a, case_manager_a, case_manager_b, org_a, org_b, settings, time_machine
):
    settings.ANCRAGE = settings.ANCRAGE | {"SMALL_COUNT_THRESHOLD": 1}
    start = clock.today() - datetime.timedelta(days=500)
    mine = make_participant(case_manager_a, org_a, legal_first_name="Annie", legal_last_name="Mienne")
    theirs = make_participant(case_manager_b, org_b, legal_first_name="Bruno", legal_last_name="Quixotte")
    make_tenancy(mine, case_manager_a, organisation=org_a, start=start)
    make_tenancy(theirs, case_manager_b, organisation=org_b, start=start)
    c = client_for(program_manager_a)
    page = c.get(reverse("housing:outcomes"))
    assert page.status_code == 200
    assert page.context["total"]["rate_12"] == Decimal("100.0")
    people = c.get(reverse("housing:outcomes_people") + "?figure=retained_12&row=all")
    text = people.content.decode()
    assert "Mienne" in text
    assert "Quixotte" not in text
    assert AuditEntry.objects.filter(action="housing.outcomes.people_viewed", participant=mine).count() == 1
    assert not AuditEntry.objects.filter(action="housing.outcomes.people_viewed", participant=theirs).exists()
    assert c.get(reverse("housing:outcomes_people") + "?figure=nope").status_code == 404


def test_outcomes_hide_small_counts_and_export(
    client_for, program_manager_a, case_manager_a, org_a, django_assert_max_num_queries
):
    start = clock.today() - datetime.timedelta(days=500)
    for i in range(2):
        p = make_participant(case_manager_a, org_a, legal_first_name=f"P{i}", legal_last_name="Test")
        make_tenancy(p, case_manager_a, organisation=org_a, start=start)
    c = client_for(program_manager_a)
    with django_assert_max_num_queries(25) as few:
        page = c.get(reverse("housing:outcomes"))
    first = len(few.captured_queries)
    assert page.context["total"]["rate_12"] is None  # 2 people: fewer than 5, and the rate would say it
    assert "fewer than 5" in page.content.decode() or "moins de 5" in page.content.decode()
    for i in range(6):
        p = make_participant(case_manager_a, org_a, legal_first_name=f"Q{i}", legal_last_name="Test")
        make_tenancy(p, case_manager_a, organisation=org_a, start=start)
    with django_assert_max_num_queries(first):
        page = c.get(reverse("housing:outcomes"))
    assert page.context["total"]["rate_12"] == Decimal("100.0")
    csv = c.get(reverse("housing:outcomes_export") + "?format=csv")
    assert csv.status_code == 200
    assert csv["Content-Type"].startswith("text/csv")
    xlsx = c.get(reverse("housing:outcomes_export"))
    assert xlsx.status_code == 200


def test_outcomes_are_kept_a_few_minutes_and_say_when_they_were_computed(
    client_for, program_manager_a, case_manager_a, org_a, settings, time_machine
):
    """At 100,000 people the report takes seconds of Python: it is computed once for a few minutes (the same
    figures for every reader of the consortium) and the page says when."""
    from django.core.cache import cache

    cache.clear()
    settings.ANCRAGE = settings.ANCRAGE | {"SMALL_COUNT_THRESHOLD": 1, "REPORT_KEEP_SECONDS": 300}
    time_machine.move_to(clock.now(), tick=False)
    start = clock.today() - datetime.timedelta(days=500)
    first = make_participant(case_manager_a, org_a, legal_first_name="Una", legal_last_name="Première")
    make_tenancy(first, case_manager_a, organisation=org_a, start=start)
    c = client_for(program_manager_a)
    page = c.get(reverse("housing:outcomes"))
    assert page.context["total"]["cells"]["cohort_12"].value == 1
    computed = page.context["report"].computed_at
    assert computed == clock.now()
    assert 'id="computed-at"' in page.content.decode()
    second = make_participant(case_manager_a, org_a, legal_first_name="Deux", legal_last_name="Seconde")
    make_tenancy(second, case_manager_a, organisation=org_a, start=start)
    time_machine.shift(datetime.timedelta(seconds=299))
    page = c.get(reverse("housing:outcomes"))
    assert page.context["total"]["cells"]["cohort_12"].value == 1  # the kept figures
    assert page.context["report"].computed_at == computed
    # Another period is another report.
    other = c.get(reverse("housing:outcomes"), {"start": start.isoformat(), "end": clock.today().isoformat()})
    assert other.context["total"]["cells"]["cohort_12"].value == 2
    time_machine.shift(datetime.timedelta(seconds=2))
    page = c.get(reverse("housing:outcomes"))
    assert page.context["total"]["cells"]["cohort_12"].value == 2
    assert page.context["report"].computed_at > computed
    cache.clear()


def test_a_temporary_stay_is_paid_from_the_budget_and_linked_once(
    client_for, housing_specialist, shared_participant, case_manager_a, shared_org, org_a
):
    """C7/C8: the stay's page leads to the expense form prefilled; the expense recorded pays that stay, once."""
    from ancrage.housing import services_tenancies as ts

    program = ProgramFactory(organisation=org_a)
    line = budget_line(program, kind="temporary_stays", amount="500.00")
    stay = ts.temporary_stay_record(
        actor=housing_specialist,
        participant=shared_participant,
        kind="motel",
        place="Motel Ville-Marie",
        stay_from=clock.today() - datetime.timedelta(days=3),
    )
    c = client_for(housing_specialist)
    page = c.get(reverse("housing:stay_detail", args=[stay.pk]))
    link = (
        reverse("housing:expense_create") + f"?participant={shared_participant.pk}&amp;kind=temporary_stays"
    )
    assert link in page.content.decode()
    url = (
        reverse("housing:expense_create")
        + f"?participant={shared_participant.pk}&kind=temporary_stays&stay={stay.pk}"
    )
    data = {
        "line": line.pk,
        "participant": shared_participant.pk,
        "spent_on": clock.today().isoformat(),
        "amount": "240.00",
        "description": "Motel, 3 nuits",
    }
    done = c.post(url, data)
    assert done.status_code == 302
    assert done["Location"] == reverse("housing:stay_detail", args=[stay.pk])
    stay.refresh_from_db()
    assert stay.expense.amount == Decimal("240.00")
    assert AuditEntry.objects.filter(action="housing.stay.expense_linked").count() == 1
    # A second save of the same form records the expense but never links a second one to the stay.
    again = c.post(url, data)
    assert again.status_code == 302
    assert again["Location"] != reverse("housing:stay_detail", args=[stay.pk])
    stay.refresh_from_db()
    assert stay.expense.amount == Decimal("240.00")
    assert f"stay={stay.pk}" not in c.get(reverse("housing:stay_detail", args=[stay.pk])).content.decode()
