"""The housing lists read a page in the order of an index, without counting the whole list (issue 16): they
give the same rows in the same order as before, for every role, filter and page; the landlords' book leaves
out the figure it does not show; the API's count of units is kept a minute per caller and query."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import F, Q
from django.test.utils import CaptureQueriesContext

from ancrage.core import clock
from ancrage.core.models import AuditEntry
from ancrage.core.permissions import Category, Role
from ancrage.core.views_helpers import OpenEndedPage
from ancrage.housing import selectors_tenancies as sel
from ancrage.housing.book import selectors as book_selectors
from ancrage.housing.models import Tenancy, Unit
from ancrage.housing.tests.book_factories import area, make_building, make_landlord, make_tenancy, make_unit
from ancrage.people.tests.helpers import fast_password_hasher  # noqa: F401
from ancrage.people.tests.visibility_world import build_world, oracle_visible_for_category

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def _small_pages(settings, size: int) -> None:
    settings.ANCRAGE = {**settings.ANCRAGE, "PAGE_SIZE": size}


def _all_pages(client, url: str, params: dict) -> list[int]:
    """Every row of an open-ended list, page after page, as the page shows them (ids)."""
    rows: list[int] = []
    number = 1
    while True:
        page = client.get(url, {**params, "page": number}).context["page"]
        assert isinstance(page, OpenEndedPage)
        rows += [row.pk for row in page.object_list]
        if not page.has_next():
            return rows
        number += 1


# --- tenancies ----------------------------------------------------------------------------------------------


def _old_tenancy_list(user, show: str) -> list[int]:
    """The list as it was read before its index: the visible set by the rule before the consent lookup, the
    current ones by `ended_on`, ordered on `ended_on` with a tenancy going on last (PostgreSQL's order of
    `ORDER BY ended_on`, written out so SQLite, which puts NULL first, reads it the same)."""
    if not user.has_ancrage_perm("housing.view_tenancies"):
        return []
    qs = Tenancy.objects.filter(
        participant_id__in=oracle_visible_for_category(user, Category.HOUSING),
        participant__merged_into__isnull=True,
    )
    if show == "current":
        qs = qs.filter(Q(ended_on__isnull=True) | Q(ended_on__gte=clock.today()))
    order = (F("ended_on").asc(nulls_last=True), "-lease_start", "-id")
    return list(qs.order_by(*order).values_list("pk", flat=True))


def _tenancies_for(world, seed: int) -> None:
    """Two or three tenancies a file (merged files too), with ends past, today, ahead and none, and leases
    that start on the same day (ties broken on the id)."""
    rng = random.Random(seed)
    today = clock.today()
    writer = next(iter(world.writers.values()))
    landlord = make_landlord(writer, world.orgs[0])
    building = make_building(writer, landlord)
    ends = [None, None, None, today - 20 * DAY, today - DAY, today, today + DAY, today + 30 * DAY]
    for n, person in enumerate(world.participants):
        for k in range(rng.randint(2, 3)):
            unit = make_unit(building, writer, address=f"{n}-{k} rue du Test")
            make_tenancy(
                person,
                unit,
                writer,
                lease_start=today - rng.choice([400, 200, 200, 60, 30]) * DAY,
                ended_on=rng.choice(ends),
            )


def _from_people(qs) -> bool:
    """Whether the list is read from the people the reader may see (the form for a reader who sees few)."""
    return "UNION" in str(qs.query)


def test_the_tenancy_list_gives_the_same_rows_in_the_same_order_for_every_role(
    client_for, settings, monkeypatch
):
    world = build_world(16)
    _tenancies_for(world, 16)
    _small_pages(settings, 5)
    seen = 0
    walked = {}
    forms = set()
    for role in Role.values:
        users = world.users_for(role)
        for user in users:
            for show in ("current", "all"):
                old = _old_tenancy_list(user, show)
                for walk in (False, True):
                    new = sel.tenancy_list_for_user(user, show=show, walk=walk).values_list("pk", flat=True)
                    assert list(new) == old, (role, show, walk)
                # The page's choice of form: a sample of the whole list, and of its first tenancy only
                # (most readers then see none of it and are read from their people).
                for sample in (sel.WALK_SAMPLE, 1):
                    monkeypatch.setattr(sel, "WALK_SAMPLE", sample)
                    chosen = sel.tenancy_list_page(user, show=show)
                    assert list(chosen.values_list("pk", flat=True)) == old, (role, show, sample)
                    if old:
                        forms.add(_from_people(chosen))
                monkeypatch.undo()
                seen += len(old)
        # The pages, one after the other, hold the whole list (for the user of two organisations at once).
        user = users[-1]
        if user.has_ancrage_perm("housing.view_tenancies"):
            client = client_for(user)
            assert _all_pages(client, "/housing/tenancies/", {}) == _old_tenancy_list(user, "current")
            assert _all_pages(client, "/housing/tenancies/", {"show": "all"}) == _old_tenancy_list(
                user, "all"
            )
            walked[role] = user
    assert seen  # the comparison is not between empty lists
    assert forms == {True, False}  # both forms were chosen for a reader who sees someone
    assert Role.HOUSING_SPECIALIST in walked
    # Any other `show` is the whole list; the pages read from the people hold the same rows.
    specialist = walked[Role.HOUSING_SPECIALIST]
    assert _all_pages(client_for(specialist), "/housing/tenancies/", {"show": "x"}) == (
        _old_tenancy_list(specialist, "all")
    )
    monkeypatch.setattr(sel, "WALK_SAMPLE", 1)
    for user in walked.values():
        for show in ("current", "all"):
            if _from_people(sel.tenancy_list_page(user, show=show)):
                assert _all_pages(client_for(user), "/housing/tenancies/", {"show": show}) == (
                    _old_tenancy_list(user, show)
                )
                forms.add("pages")
    assert "pages" in forms


def test_a_reader_who_sees_no_tenancy_is_not_walked_through_every_one(client_for, case_manager_b, settings):
    """The sample finds none of theirs: the list is read from the people they may see (none here)."""
    world = build_world(17)
    _tenancies_for(world, 17)
    assert not sel.tenancy_list_for_user(case_manager_b, walk=True).exists()
    chosen = sel.tenancy_list_page(case_manager_b, show="all")
    assert _from_people(chosen)
    assert list(chosen) == []
    assert "rue du Test" not in client_for(case_manager_b).get("/housing/tenancies/").content.decode()


def test_the_tenancy_list_page_records_the_reads_of_its_rows_only(
    client_for, housing_specialist, case_manager_a, participant_a, settings
):
    writer = case_manager_a
    landlord = make_landlord(housing_specialist, housing_specialist.memberships.first().organisation)
    building = make_building(housing_specialist, landlord)
    from ancrage.people.tests.factories import make_participant, share

    org = writer.memberships.first().organisation
    shared = housing_specialist.memberships.first().organisation
    people = []
    for i in range(5):
        person = make_participant(writer, org, legal_first_name=f"L{i}", legal_last_name="Liste")
        share(writer, person, [shared], [Category.IDENTITY, Category.HOUSING])
        make_tenancy(
            person, make_unit(building, housing_specialist, address=f"{i} rue L"), housing_specialist
        )
        people.append(person)
    _small_pages(settings, 2)
    response = client_for(housing_specialist).get("/housing/tenancies/", {"page": 2})
    shown = {t.participant_id for t in response.context["page"].object_list}
    assert len(shown) == 2
    read = set(
        AuditEntry.objects.filter(action="housing.tenancy.viewed", actor=housing_specialist).values_list(
            "participant_id", flat=True
        )
    )
    assert read == shown


# --- units, the availability list and the API ---------------------------------------------------------------


@pytest.fixture
def units(housing_specialist, shared_org):
    """Units of every status in two boroughs, with addresses and rents that tie (broken on the id)."""
    rng = random.Random(7)
    landlord = make_landlord(housing_specialist, shared_org)
    buildings = [
        make_building(housing_specialist, landlord, address="10 rue Verdun", where="Verdun"),
        make_building(housing_specialist, landlord, address="20 rue Plateau", where="Le Plateau-Mont-Royal"),
    ]
    today = clock.today()
    made = []
    for n in range(30):
        made.append(
            make_unit(
                rng.choice(buildings),
                housing_specialist,
                address=rng.choice(["1 rue A", "2 rue B", "3 rue C"]) + (f" {n}" if n % 3 else ""),
                status=rng.choice(Unit.Status.values + [Unit.Status.AVAILABLE] * 3),
                monthly_rent=Decimal(rng.choice([800, 900, 900, 1000])),
                available_from=today + rng.choice([-30, 0, 0, 10, 59, 60, 61, 90]) * DAY,
                available_until=rng.choice([None, None, today - DAY, today, today + 30 * DAY]),
                condition=rng.choice(Unit.Condition.values),
                bedrooms=rng.choice([0, 1, 2]),
            )
        )
    return made


def _borough(name: str) -> int:
    found = area(name)
    return (found.parent or found).pk


def test_the_unit_list_gives_the_same_rows_in_the_same_order(units, client_for, housing_specialist, settings):
    _small_pages(settings, 4)
    client = client_for(housing_specialist)
    old = Unit.objects.order_by("address", "pk")
    verdun = _borough("Verdun")
    for params, rows in (
        ({}, old),
        ({"status": "available"}, old.filter(status="available")),
        ({"status": "on_hold"}, old.filter(status="on_hold")),
        ({"area": verdun}, old.filter(Q(area_id=verdun) | Q(area__parent_id=verdun))),
    ):
        expected = list(rows.values_list("pk", flat=True))
        assert expected
        assert _all_pages(client, "/housing/units/", params) == expected, params


def test_the_availability_list_gives_the_same_rows_in_the_same_order(
    units, client_for, housing_specialist, settings
):
    _small_pages(settings, 4)
    client = client_for(housing_specialist)
    today = clock.today()
    old = (
        Unit.objects.filter(status="available", available_from__lte=today + 60 * DAY)
        .filter(Q(available_until__isnull=True) | Q(available_until__gte=today))
        .exclude(condition="uninhabitable")
        .order_by("available_from", "monthly_rent", "pk")
    )
    verdun = _borough("Verdun")
    for params, rows in (
        ({}, old),
        ({"area": verdun}, old.filter(Q(area_id=verdun) | Q(area__parent_id=verdun))),
        ({"bedrooms": 1, "max_rent": 900}, old.filter(bedrooms__gte=1, monthly_rent__lte=900)),
    ):
        expected = list(rows.values_list("pk", flat=True))
        assert expected
        assert _all_pages(client, "/housing/availability/", params) == expected, params
        api: list[int] = []
        asked = {("area_id" if k == "area" else k): v for k, v in params.items()}  # the API's names
        for number in range(1, 20):
            body = client.get("/api/v1/units", {"available": "true", **asked, "page": number}).json()
            assert body["count"] == len(expected)
            api += [row["id"] for row in body["items"]]
            if not body["items"]:
                break
        assert api == expected, params


def test_a_list_of_more_than_a_page_says_which_rows_it_shows_in_both_languages(
    units, client_for, housing_specialist, settings
):
    _small_pages(settings, 4)
    client = client_for(housing_specialist)
    last = (len(units) + 3) // 4
    first = client.get("/housing/units/").content.decode()
    assert "Affichage de 1 à 4 (suite aux pages suivantes)" in first
    assert "page=2" in first
    end = client.get("/housing/units/", {"page": last}).content.decode()
    assert f"Affichage de {(last - 1) * 4 + 1} à {len(units)}</p>" in end
    assert f"page={last + 1}" not in end
    housing_specialist.language = "en"
    housing_specialist.save(update_fields=["language"])
    for url in ("/housing/units/", "/housing/availability/"):
        assert "Showing 1–4 (more on the next pages)" in client.get(url).content.decode(), url


def test_a_list_of_one_page_still_says_how_many_rows_it_has(
    client_for, housing_specialist, shared_org, case_manager_a, participant_a
):
    landlord = make_landlord(housing_specialist, shared_org)
    building = make_building(housing_specialist, landlord)
    for i in range(3):
        make_unit(building, housing_specialist, address=f"{i} rue Courte")
    client = client_for(housing_specialist)
    for url in ("/housing/units/", "/housing/availability/"):
        assert "3 logements" in client.get(url).content.decode(), url
    make_tenancy(participant_a, Unit.objects.first(), case_manager_a)
    assert "1 location" in client_for(case_manager_a).get("/housing/tenancies/").content.decode()
    case_manager_a.language = "en"
    case_manager_a.save(update_fields=["language"])
    assert "1 tenancy" in client_for(case_manager_a).get("/housing/tenancies/").content.decode()


def test_the_api_count_of_units_is_kept_a_minute_per_caller_and_query(
    units, client_for, housing_specialist, shared_org, settings, time_machine
):
    from django.core.cache import cache

    cache.clear()
    settings.ANCRAGE = {**settings.ANCRAGE, "LIST_COUNT_SECONDS": 60}
    time_machine.move_to(clock.now(), tick=False)
    client = client_for(housing_specialist)
    total = Unit.objects.count()
    with CaptureQueriesContext(connection) as first:
        assert client.get("/api/v1/units").json()["count"] == total
    make_unit(units[0].building, housing_specialist, address="0 rue Nouvelle")
    with CaptureQueriesContext(connection) as again:
        body = client.get("/api/v1/units").json()
    assert body["count"] == total
    assert "0 rue Nouvelle" in {row["address"] for row in body["items"]}  # the rows are read every time
    assert len(again.captured_queries) == len(first.captured_queries) - 1
    # Another filter is counted on its own; after the minute the new unit is counted.
    assert client.get("/api/v1/units", {"status": "available"}).json()["count"] == (
        Unit.objects.filter(status="available").count()
    )
    time_machine.shift(datetime.timedelta(seconds=61))
    assert client.get("/api/v1/units").json()["count"] == total + 1
    cache.clear()


# --- the landlords' book --------------------------------------------------------------------------------


def test_the_landlords_book_leaves_out_the_tenancies_it_does_not_show(
    client_for, housing_specialist, shared_org, case_manager_a, participant_a
):
    """The book shows buildings, units, the last contact and open complaints, never the tenancies going on:
    counted for each landlord of the page they read every tenancy of a large landlord (issue 16)."""
    landlord = make_landlord(housing_specialist, shared_org, name="Grand Proprio")
    building = make_building(housing_specialist, landlord)
    make_tenancy(participant_a, make_unit(building, housing_specialist), case_manager_a)
    make_landlord(housing_specialist, shared_org, name="Petit Proprio")
    with CaptureQueriesContext(connection) as queries:
        response = client_for(housing_specialist).get("/housing/landlords/")
    assert not [q["sql"] for q in queries.captured_queries if "housing_tenancy" in q["sql"]]
    shown = response.context["page"].object_list
    full = list(book_selectors.landlord_book(housing_specialist))
    assert [row.pk for row in shown] == [row.pk for row in full]
    for row, whole in zip(shown, full, strict=True):
        for figure in ("last_contact", "open_complaints", "building_count", "unit_count"):
            assert getattr(row, figure) == getattr(whole, figure), figure
        assert not hasattr(row, "tenancy_count")
    assert [whole.tenancy_count for whole in full] == [1, 0]
    # The API still gives the figure.
    body = client_for(housing_specialist).get("/api/v1/landlords").json()
    assert [row["tenancy_count"] for row in body["items"]] == [1, 0]


def test_the_choice_of_form_is_kept_a_minute_and_never_changes_the_rows(
    client_for, housing_specialist, case_manager_a, participant_a, shared_org, settings, time_machine
):
    """The sample is asked once a minute per reader, list and day; a kept answer that no longer holds (the
    reader now sees a tenancy) chooses the slower form, never other rows."""
    from django.core.cache import cache

    cache.clear()
    settings.ANCRAGE = {**settings.ANCRAGE, "LIST_COUNT_SECONDS": 60}
    time_machine.move_to(clock.now(), tick=False)
    client = client_for(case_manager_a)
    with CaptureQueriesContext(connection) as first:
        assert client.get("/housing/tenancies/").context["page"].object_list == []
    landlord = make_landlord(housing_specialist, shared_org)
    tenancy = make_tenancy(
        participant_a,
        make_unit(make_building(housing_specialist, landlord), housing_specialist),
        case_manager_a,
    )
    with CaptureQueriesContext(connection) as again:
        page = client.get("/housing/tenancies/").context["page"]
    assert [t.pk for t in page.object_list] == [tenancy.pk]

    def sampled(queries) -> bool:
        return any(f"LIMIT {sel.WALK_SAMPLE}" in q["sql"] for q in queries.captured_queries)

    assert sampled(first)
    assert not sampled(again)
    assert _from_people(sel.tenancy_list_page(case_manager_a))  # the kept answer: none seen
    time_machine.shift(datetime.timedelta(seconds=61))
    assert not _from_people(sel.tenancy_list_page(case_manager_a))
    assert [t.pk for t in client.get("/housing/tenancies/").context["page"].object_list] == [tenancy.pk]
    cache.clear()
