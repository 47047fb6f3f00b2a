"""Pages and API of the landlords' book: a tenant is never named to a reader without housing consent, another
team's landlord is 404 to whoever would change it, bad input keeps what was typed, and lists are a constant
number of queries."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from ancrage.core import clock
from ancrage.core.permissions import Role
from ancrage.housing.book import services
from ancrage.housing.models import Complaint, LandlordContact
from ancrage.housing.tests.book_factories import area, make_building, make_landlord, make_tenancy, make_unit
from ancrage.people.tests.factories import member
from ancrage.people.tests.helpers import fast_password_hasher  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def book(housing_specialist, shared_org, case_manager_a, participant_a):
    landlord = make_landlord(housing_specialist, shared_org, program_contact=housing_specialist)
    building = make_building(housing_specialist, landlord)
    unit = make_unit(building, housing_specialist, unit_number="3")
    tenancy = make_tenancy(participant_a, unit, case_manager_a)
    services.complaint_record(
        actor=housing_specialist,
        landlord=landlord,
        tenancy=tenancy,
        kind="complaint",
        subject="noise",
        received_at=clock.now(),
    )
    return landlord


def test_landlord_page_names_the_tenant_only_to_who_may_read_the_tenancy(
    book, client_for, case_manager_a, case_manager_b, participant_a
):
    url = reverse("housing:landlord_detail", args=[book.pk])
    mine = client_for(case_manager_a).get(url)
    assert mine.status_code == 200
    assert participant_a.display_name in mine.content.decode()
    theirs = client_for(case_manager_b).get(url)
    assert theirs.status_code == 200
    assert participant_a.display_name not in theirs.content.decode()
    from ancrage.core.models import AuditEntry

    assert AuditEntry.objects.filter(
        action="housing.complaint.viewed", participant=participant_a, actor=case_manager_a
    ).exists()
    assert not AuditEntry.objects.filter(action="housing.complaint.viewed", actor=case_manager_b).exists()


def test_rent_clerk_sees_landlords_but_changes_nothing(book, client_for, shared_org):
    clerk = member(shared_org, Role.RENT_CLERK)
    c = client_for(clerk)
    assert c.get(reverse("housing:landlord_list")).status_code == 200
    assert c.get(reverse("housing:home"))["Location"] == reverse("housing:landlord_list")
    assert c.get(reverse("housing:contact_create", args=[book.pk])).status_code == 403


def test_another_teams_landlord_is_404_to_change(book, client_for, org_b):
    other = member(org_b, Role.HOUSING_SPECIALIST)
    c = client_for(other)
    assert c.get(reverse("housing:landlord_detail", args=[book.pk])).status_code == 200
    for name in ("housing:landlord_edit", "housing:contact_create", "housing:complaint_create"):
        assert c.get(reverse(name, args=[book.pk])).status_code == 404, name
    response = c.post(
        reverse("api:log_landlord_contact", args=[book.pk]),
        {
            "contacted_on": clock.today().isoformat(),
            "channel": "phone",
            "purpose": "check_in",
            "summary": "x",
        },
        content_type="application/json",
    )
    assert response.status_code == 404
    assert not LandlordContact.objects.exists()


@pytest.mark.parametrize(
    "values",
    [
        {"summary": "x" * 10_001},
        {"summary": "a\x00b"},
        {"contacted_on": "0001-01-01"},
        {"contacted_on": "9999-12-31"},
        {"channel": "pigeon"},
    ],
)
def test_bad_contact_input_is_a_message_not_a_500(book, client_for, housing_specialist, values):
    data = {
        "contacted_on": clock.today().isoformat(),
        "channel": "phone",
        "purpose": "check_in",
        "summary": "Ok",
    }
    data.update(values)
    with_lang = client_for(housing_specialist)
    response = with_lang.post(reverse("housing:contact_create", args=[book.pk]), data)
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not LandlordContact.objects.exists()


def test_check_in_and_complaint_journey_in_pages(book, client_for, housing_specialist):
    c = client_for(housing_specialist)
    overdue = c.get(reverse("housing:landlord_list") + "?overdue=on")
    assert book.name in overdue.content.decode()
    home = c.get(reverse("home")).content.decode()
    assert "home-checkins" in home
    assert book.name in home
    response = c.post(
        reverse("housing:contact_create", args=[book.pk]),
        {
            "contacted_on": clock.today().isoformat(),
            "channel": "phone",
            "purpose": "check_in",
            "summary": "Bien",
        },
    )
    assert response.status_code == 302
    assert book.name not in c.get(reverse("housing:landlord_list") + "?overdue=on").content.decode()
    complaint = Complaint.objects.get()
    response = c.post(reverse("housing:complaint_resolve", args=[complaint.pk]), {"resolution": "Entente"})
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.resolved_at is not None


def _many(housing_specialist, shared_org, n: int, start: int) -> None:
    for i in range(start, start + n):
        landlord = make_landlord(housing_specialist, shared_org, name=f"Proprio {i:03}")
        building = make_building(housing_specialist, landlord, address=f"{i} rue Test", where="Verdun")
        make_unit(building, housing_specialist, monthly_rent=Decimal("700") + i, features=["elevator"])
        services.contact_log(
            actor=housing_specialist,
            landlord=landlord,
            contacted_on=clock.today() - datetime.timedelta(days=i),
            channel="phone",
            purpose="thanks",
            summary="Merci",
        )


@pytest.mark.parametrize(
    "url",
    [
        "/housing/landlords/",
        "/housing/landlords/?overdue=on&complaints=&q=Proprio",
        "/housing/availability/?feature=elevator&bedrooms=1&max_rent=2000",
        "/housing/availability/?page=2",
        "/housing/units/?status=available",
        "/housing/complaints/",
        "/api/v1/landlords",
        "/api/v1/units?available=true",
        "/api/v1/units?status=available&page=2",
        "/api/v1/complaints",
    ],
)
def test_lists_are_constant_queries(
    url, client_for, housing_specialist, shared_org, django_assert_max_num_queries, settings
):
    settings.ANCRAGE = {**settings.ANCRAGE, "PAGE_SIZE": 2}  # the pages' lists are several pages long
    c = client_for(housing_specialist)
    _many(housing_specialist, shared_org, 3, 1)
    c.get(url)  # warm the session and caches
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        assert c.get(url).status_code == 200
    _many(housing_specialist, shared_org, 12, 10)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert c.get(url).status_code == 200


def test_availability_filters_by_borough_and_kind(client_for, housing_specialist, shared_org):
    landlord = make_landlord(housing_specialist, shared_org)
    verdun = make_building(housing_specialist, landlord, where="Verdun")
    make_unit(verdun, housing_specialist, address="1 rue Verdun")
    make_unit(
        verdun,
        housing_specialist,
        address="2 rue Plus tard",
        available_from=clock.today() + datetime.timedelta(days=20),
    )
    make_unit(verdun, housing_specialist, address="3 rue Occupée", status="occupied")
    make_unit(verdun, housing_specialist, address="4 rue Inhabitable", condition="uninhabitable")
    make_unit(verdun, housing_specialist, address="5 rue Congrégée", kind="congregate")
    borough = area("Verdun").parent or area("Verdun")
    c = client_for(housing_specialist)
    page = c.get(reverse("housing:availability") + f"?area={borough.pk}").content.decode()
    for shown in ("1 rue Verdun", "2 rue Plus tard", "5 rue Congrégée"):
        assert shown in page
    for hidden in ("3 rue Occupée", "4 rue Inhabitable"):
        assert hidden not in page
    page = c.get(reverse("housing:availability") + "?kind=congregate").content.decode()
    assert "5 rue Congrégée" in page
    assert "1 rue Verdun" not in page
    data = c.get("/api/v1/units?available=true&kind=scattered_site").json()
    assert {row["address"] for row in data["items"]} == {"1 rue Verdun", "2 rue Plus tard"}


def test_api_complaint_about_a_tenancy_and_its_resolution(
    book, client_for, housing_specialist, case_manager_a
):
    from ancrage.housing.models import Tenancy

    tenancy = Tenancy.objects.get()
    c = client_for(housing_specialist)
    response = c.post(
        reverse("api:create_complaint", args=[book.pk]),
        {"kind": "tal", "subject": "rent", "received_at": clock.now().isoformat(), "tenancy_id": tenancy.pk},
        content_type="application/json",
    )
    # The specialist of the shared team reads no tenancy of organisation A without consent: refused in words.
    assert response.status_code == 422, response.content
    assert "tenancy_id" in response.json()["errors"]
    response = c.post(
        reverse("api:create_complaint", args=[book.pk]),
        {"kind": "complaint", "subject": "noise", "received_at": "9999-01-01T00:00:00"},
        content_type="application/json",
    )
    assert response.status_code == 422
    open_one = Complaint.objects.get()
    response = c.post(
        reverse("api:resolve_complaint", args=[open_one.pk]),
        {"resolution": "Entente"},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["tenancy_id"] is None  # not readable by this specialist
    assert response.json()["about_a_tenancy"] is True
