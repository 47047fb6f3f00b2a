"""The by-name list as each user may see it, its query count, and the monthly flow figures."""

import datetime

import pytest
from dateutil.relativedelta import relativedelta
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ancrage.access import selectors, services
from ancrage.access.models import ByNameStatus
from ancrage.access.tests.factories import consent_for_access, make_entry
from ancrage.accounts.models import User
from ancrage.core import clock
from ancrage.core.permissions import Category
from ancrage.people.tests.factories import share

pytestmark = pytest.mark.django_db


def today() -> datetime.date:
    """Today when the test runs (a module constant went stale when a run crossed midnight)."""
    return clock.today()


@pytest.mark.smoke
def test_other_organisations_and_outsiders_see_nothing_without_consent(
    case_manager_a, case_manager_b, org_a, org_b, outsider, partner_rep
):
    entry = make_entry(case_manager_a, org_a)
    assert list(selectors.by_name_list_for_user(case_manager_a)) == [entry]
    for user in (case_manager_b, outsider, partner_rep):
        assert not selectors.by_name_list_for_user(user).exists(), user
    # Sharing identity only opens the file, not the by-name list.
    share(case_manager_a, entry.participant, [org_b], [Category.IDENTITY])
    assert not selectors.by_name_list_for_user(case_manager_b).exists()
    consent_for_access(case_manager_a, entry.participant, [org_b])
    assert list(selectors.by_name_list_for_user(case_manager_b)) == [entry]


def test_each_consent_stands_on_its_own(case_manager_a, case_manager_b, org_a, org_b):
    entry = make_entry(case_manager_a, org_a)
    share(case_manager_a, entry.participant, [org_b], [Category.IDENTITY])
    share(case_manager_a, entry.participant, [org_b], [Category.COORDINATED_ACCESS])
    assert not selectors.by_name_list_for_user(case_manager_b).exists()


def test_filters_and_sorts(case_manager_a, program_manager_a, org_a):
    first = make_entry(
        case_manager_a, org_a, entered_on=today() - datetime.timedelta(days=10), legal_last_name="Zorro"
    )
    second = make_entry(program_manager_a, org_a, legal_last_name="Abel")
    services.living_situation_record(
        actor=case_manager_a,
        participant=second.participant,
        kind="homeless_sheltered",
        starts_on=today() - relativedelta(years=1),  # replace(year=...) fails on 29 February
    )
    services.by_name_status_change(
        actor=case_manager_a, entry=first, status=ByNameStatus.HOUSED, reason="Logé"
    )
    see = selectors.by_name_list_for_user
    assert list(see(case_manager_a)) == [first, second]
    assert list(see(case_manager_a, sort="name")) == [second, first]
    assert list(see(case_manager_a, sort="nonsense")) == [first, second]
    assert list(see(case_manager_a, status=ByNameStatus.ACTIVE)) == [second]
    assert list(see(case_manager_a, reference_worker_id=case_manager_a.pk)) == [first]
    assert list(see(case_manager_a, chronic=True)) == [second]
    assert list(see(case_manager_a, chronic=False)) == [first]
    assert list(see(case_manager_a, organisation_id=org_a.pk, sort="days_homeless")) == [second, first]


def _count(user_pk: int) -> int:
    user = User.objects.get(pk=user_pk)
    list(selectors.by_name_list_for_user(user))  # warm the user's memberships out of the count
    with CaptureQueriesContext(connection) as ctx:
        rows = list(selectors.by_name_list_for_user(user, chronic=False, sort="reference_worker"))
        for row in rows:
            str(row.participant.organisation), str(row.reference_worker)
    return len(ctx.captured_queries)


def test_the_list_costs_the_same_queries_for_5_and_30_entries(case_manager_a, case_manager_b, org_a, org_b):
    def add(n, start):
        for i in range(start, start + n):
            entry = make_entry(case_manager_a, org_a, legal_first_name=f"P{i}")
            consent_for_access(case_manager_a, entry.participant, [org_b])

    add(5, 0)
    small = (_count(case_manager_a.pk), _count(case_manager_b.pk))
    add(25, 5)
    large = (_count(case_manager_a.pk), _count(case_manager_b.pk))
    assert small == large
    assert selectors.by_name_list_for_user(case_manager_b).count() == 30


@pytest.fixture
def history(case_manager_a, org_a):
    """A small list whose flow for `month` is known by hand (see the test below)."""
    first = (today() - relativedelta(months=3)).replace(day=1)

    def day(n):
        return first + datetime.timedelta(days=n)

    def change(entry, status, n, reason="—"):
        services.by_name_status_change(
            actor=case_manager_a, entry=entry, status=status, reason=reason, on=day(n)
        )

    def add(name, n):
        return make_entry(case_manager_a, org_a, entered_on=day(n), legal_first_name=name)

    add("Stays", -40)  # active throughout
    change(add("Housed", -40), ByNameStatus.HOUSED, 5)
    add("New", 2)
    gone_and_back = add("Back", -40)
    change(gone_and_back, ByNameStatus.INACTIVE, 3)
    change(gone_and_back, ByNameStatus.ACTIVE, 10)
    returned = add("Returned", -40)
    change(returned, ByNameStatus.HOUSED, -10)
    change(returned, ByNameStatus.ACTIVE, 12)
    change(returned, ByNameStatus.DECEASED, 20)
    change(add("Moved", -40), ByNameStatus.MOVED_AWAY, 7)
    short = add("Short", 1)
    change(short, ByNameStatus.INSTITUTION, 8)
    add("Later", 45)  # enters the month after
    found_housed = add("Quiet", -40)
    change(found_housed, ByNameStatus.INACTIVE, -5)
    change(found_housed, ByNameStatus.HOUSED, 15)  # from inactive: moves nobody
    return first


def test_monthly_flow_from_status_history(case_manager_a, case_manager_b, history):
    flow = selectors.monthly_flow(case_manager_a, history.year, history.month)
    figures = (flow.new, flow.returned_from_housing, flow.returned_from_inactive, flow.inflow)
    assert figures == (2, 1, 1, 4)
    figures = (flow.housed, flow.moved_away, flow.inactive, flow.institution, flow.deceased, flow.outflow)
    assert figures == (1, 1, 1, 1, 1, 5)
    assert flow.actively_homeless == 3
    before = history - datetime.timedelta(days=1)
    previous = selectors.monthly_flow(case_manager_a, before.year, before.month)
    # Stays, Housed, Back, Moved at the end of the previous month: 4 + inflow 4 - outflow 5 = 3.
    assert previous.actively_homeless == 4
    assert previous.actively_homeless + flow.inflow - flow.outflow == flow.actively_homeless

    nothing = selectors.monthly_flow(case_manager_b, history.year, history.month)
    assert (nothing.inflow, nothing.outflow, nothing.actively_homeless) == (0, 0, 0)
