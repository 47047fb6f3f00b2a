"""The community's monthly flow (A7): the same figures for every reader, small counts hidden, people listed only
to those who may see them."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest
import time_machine
from django.urls import reverse

from ancrage.access import selectors, services
from ancrage.access.disclosure import FIGURES, protect
from ancrage.access.models import ByNameStatus
from ancrage.access.tests.factories import make_entry
from ancrage.core import clock
from ancrage.core.models import AuditEntry
from ancrage.core.permissions import Role
from ancrage.people.tests.factories import member

pytestmark = pytest.mark.django_db

FLOW = reverse("access:flow")
# The middle of a month, at noon in Montréal: the history below stays in one month at any hour.
MID_MONTH = datetime.datetime(2026, 11, 15, 17, 0, tzinfo=datetime.UTC)


def _month(**values):
    figures = dict.fromkeys(FIGURES, 0)
    figures.update(values)
    figures["inflow"] = sum(figures[k] for k in ("new", "returned_from_housing", "returned_from_inactive"))
    figures["outflow"] = sum(
        figures[k] for k in ("housed", "moved_away", "inactive", "institution", "deceased")
    )
    return SimpleNamespace(**figures)


# --- what a table may show ------------------------------------------------------------------------------


def test_small_counts_are_hidden_and_cannot_be_worked_out_from_their_totals():
    (row,) = protect([_month(new=12, returned_from_housing=2, returned_from_inactive=7, housed=9)], 5)
    assert row["returned_from_housing"].hidden == "small"
    # With all the rest shown, 21 - 12 - 7 would give 2: the smallest other part is hidden too.
    assert row["returned_from_inactive"].hidden == "covering"
    assert row["new"].shown
    assert row["inflow"].shown
    # Nothing small among the outflow, so it is all shown; zero names nobody.
    assert all(row[k].shown for k in ("housed", "moved_away", "outflow"))
    assert row["moved_away"].value == 0


def test_a_small_count_does_not_come_back_through_the_people_actively_homeless():
    before = _month(new=10, housed=10, actively_homeless=100)
    month = _month(new=3, returned_from_inactive=9, returned_from_housing=6, housed=8, actively_homeless=110)
    first, second = protect([before, month], 5)
    assert all(c.shown for c in first.values())
    assert second["new"].hidden == "small"
    # The smallest other part of the inflow covers it: 18 - 9 leaves two unknowns.
    assert second["returned_from_housing"].hidden == "covering"
    assert second["inflow"].shown
    assert second["outflow"].shown
    assert second["actively_homeless"].shown
    # When the stock at the month's end is the small count, the flow it comes from is hidden too, and a part
    # of that flow, or the flow would come back from its parts.
    third = _month(new=20, housed=18, actively_homeless=2)
    rows = protect([_month(actively_homeless=0), third], 5)
    assert rows[1]["actively_homeless"].hidden == "small"
    assert rows[1]["outflow"].hidden == "covering"
    hidden_parts = [
        k for k in ("housed", "moved_away", "inactive", "institution", "deceased") if rows[1][k].hidden
    ]
    assert len(hidden_parts) == 1


def test_nothing_is_hidden_when_every_count_is_large_or_zero():
    rows = protect([_month(new=5, housed=6, actively_homeless=40), _month(actively_homeless=40)], 5)
    assert all(cell.shown for row in rows for cell in row.values())


# --- the page ---------------------------------------------------------------------------------------------


@pytest.fixture
def readers(org_a, org_b, shared_org):
    return {
        "hub": member(shared_org, Role.COORDINATED_ACCESS, username="hub"),
        "manager": member(org_b, Role.PROGRAM_MANAGER, username="manager_b"),
        "data": member(shared_org, Role.DATA_COORDINATOR, username="donnees"),
    }


@pytest.fixture
def november(case_manager_a, case_manager_b, org_a, org_b):
    """In November 2026: 7 people of A and 2 of B enter the list, 6 of A are housed."""
    with time_machine.travel(MID_MONTH, tick=False):
        day = clock.today() - datetime.timedelta(days=5)
        a = [make_entry(case_manager_a, org_a, entered_on=day, legal_last_name=f"A{n}") for n in range(7)]
        b = [make_entry(case_manager_b, org_b, entered_on=day, legal_last_name=f"B{n}") for n in range(2)]
        for entry in a[:6]:
            services.by_name_status_change(
                actor=case_manager_a, entry=entry, status=ByNameStatus.HOUSED, reason="Logé"
            )
    return {"a": a, "b": b}


def _figures(response):
    return [
        {k: (c.value if c.shown else c.hidden) for k, c in m["c"].items()} for m in response.context["months"]
    ]


def test_every_reader_gets_the_same_figures_with_small_counts_hidden(client_for, readers, november, settings):
    settings.ANCRAGE = {**settings.ANCRAGE, "MONTHLY_PLACEMENT_GOAL": 6}
    with time_machine.travel(MID_MONTH, tick=False):
        pages = {name: client_for(user).get(FLOW) for name, user in readers.items()}
    assert {name: r.status_code for name, r in pages.items()} == dict.fromkeys(readers, 200)
    figures = {name: _figures(r) for name, r in pages.items()}
    assert figures["hub"] == figures["manager"] == figures["data"]
    this_month = figures["hub"][-1]
    # Nine people entered (the whole community, not only the reader's), six housed: both shown; three people
    # still on the list at the month's end: too few to show.
    assert this_month["new"] == 9
    assert this_month["housed"] == 6
    assert this_month["actively_homeless"] == "small"
    assert pages["data"].context["months"][-1]["goal_met"] is True
    html = pages["hub"].content.decode()
    assert "fewer than 5" in html or "moins de 5" in html
    assert "Jean A0" not in html
    assert "Jean B0" not in html


def test_the_threshold_is_a_setting(client_for, readers, november, settings):
    settings.ANCRAGE = {**settings.ANCRAGE, "SMALL_COUNT_THRESHOLD": 10}
    with time_machine.travel(MID_MONTH, tick=False):
        context = client_for(readers["hub"]).get(FLOW).context
    months = context["months"]
    assert months[-1]["c"]["new"].hidden == "small"
    assert months[-1]["c"]["inflow"].hidden == "small"
    assert months[-1]["goal_met"] is False
    # The chart leaves a gap where the table hides a figure.
    assert context["chart"]["series"][0]["data"][-1] is None
    assert context["chart"]["series"][3]["data"][-1] is None


def test_roles_without_reports_are_refused(client_for, outsider, org_a):
    clerk = member(org_a, Role.RENT_CLERK, username="loyers")
    assert client_for(outsider).get(FLOW).status_code == 403
    assert client_for(clerk).get(FLOW).status_code == 403
    url = reverse("access:flow_people", args=[2026, 11])
    assert client_for(clerk).get(url).status_code == 403


def test_people_behind_a_figure_only_to_those_who_may_see_them(client_for, case_manager_a, readers, november):
    url = reverse("access:flow_people", args=[2026, 11]) + "?figure=housed"
    with time_machine.travel(MID_MONTH, tick=False):
        mine = client_for(case_manager_a).get(url)
        hub = client_for(readers["hub"]).get(url)
        data = client_for(readers["data"]).get(url)
        manager_b = client_for(readers["manager"]).get(url + "&figure=new")
    assert sorted(e.participant.legal_last_name for e in mine.context["page"]) == [f"A{n}" for n in range(6)]
    reads = AuditEntry.objects.filter(actor=case_manager_a, action="access.flow.people_listed")
    assert reads.count() == 6
    # The hub and the other organisation's manager see nobody of A (no consent shared with them).
    assert list(hub.context["page"]) == []
    assert all(
        e.participant.organisation_id != november["a"][0].participant.organisation_id
        for e in manager_b.context["page"]
    )
    # A data coordinator sees the figures, never the names.
    assert data.status_code == 200
    assert data.context["page"] is None
    assert "Jean A0" not in data.content.decode()


def test_a_month_out_of_range_is_404(client_for, case_manager_a):
    assert client_for(case_manager_a).get(reverse("access:flow_people", args=[2026, 13])).status_code == 404
    assert client_for(case_manager_a).get(reverse("access:flow_people", args=[1999, 1])).status_code == 404


def test_the_people_page_costs_the_same_queries_for_5_and_30_people(
    client_for, case_manager_a, org_a, django_assert_max_num_queries
):
    url = reverse("access:flow_people", args=[2026, 11]) + "?figure=actively_homeless"
    counts = []
    with time_machine.travel(MID_MONTH, tick=False):
        day = clock.today() - datetime.timedelta(days=3)
        client = client_for(case_manager_a)
        for total in (5, 30):
            while len(selectors.by_name_list_for_user(case_manager_a)) < total:
                make_entry(case_manager_a, org_a, entered_on=day)
            from django.db import connection
            from django.test.utils import CaptureQueriesContext

            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            counts.append(len(queries))
    assert counts[0] == counts[1]


def test_the_flow_page_costs_the_same_queries_whatever_the_list(client_for, case_manager_a, org_a):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(case_manager_a)
    counts = []
    for total in (2, 12):
        while len(selectors.by_name_list_for_user(case_manager_a)) < total:
            make_entry(case_manager_a, org_a)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(FLOW).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_the_reports_section_leads_to_the_flow_and_alone_is_lit_there(client_for, readers):
    data = {i["key"]: i for i in client_for(readers["data"]).get(FLOW).context["nav_items"]}
    assert "access" not in data
    assert data["reports"]["active"]
    hub = {i["key"]: i for i in client_for(readers["hub"]).get(FLOW).context["nav_items"]}
    assert hub["reports"]["active"]
    assert not hub["access"]["active"]
    listed = client_for(readers["hub"]).get(reverse("access:by_name_list")).context["nav_items"]
    assert [i["key"] for i in listed if i["active"]] == ["access"]
