"""Pages of a participant's housing: the specialist's journey, consent (404 without it), the photo's door,
the participant's section, and constant query counts."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ancrage.core import clock
from ancrage.core.models import AuditEntry
from ancrage.core.permissions import Category, Role
from ancrage.housing import services_tenancies as ts
from ancrage.housing.models import HousingOption, InspectionPhoto, Tenancy
from ancrage.housing.tests.tenancy_helpers import landlord_building, lease_values, make_unit
from ancrage.people.tests.factories import make_participant, member, share

pytestmark = pytest.mark.django_db


@pytest.fixture
def shared(case_manager_a, participant_a, shared_org):
    share(case_manager_a, participant_a, [shared_org], [Category.IDENTITY, Category.HOUSING])
    return participant_a


@pytest.fixture
def units(housing_specialist, shared_org):
    building = landlord_building(shared_org)
    return [
        make_unit(housing_specialist, shared_org, building, address=f"{n} rue des Pins") for n in (1, 2, 3)
    ]


def _png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (6, 6), (0, 90, 200)).save(buffer, format="PNG")
    return buffer.getvalue()


def test_the_specialists_journey_through_the_pages(client_for, housing_specialist, shared, units):
    c = client_for(housing_specialist)
    p = shared
    page = reverse("housing:participant_housing", args=[p.pk])
    assert c.get(page).status_code == 200
    c.post(reverse("housing:search_start", args=[p.pk]), {"started_on": clock.today().isoformat()})
    search = p.housing_searches.get()
    for unit in units:
        c.post(
            reverse("housing:option_offer", args=[search.pk]), {"unit": unit.pk, "offered_on": clock.today()}
        )
    options = list(HousingOption.objects.filter(search=search).order_by("pk"))
    assert len(options) == 3
    c.post(reverse("housing:option_rank", args=[options[0].pk]), {"rank": 1, "reasons": "Près du métro"})
    at = (clock.now() + datetime.timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M")
    c.post(reverse("housing:option_step", args=[options[0].pk]), {"step": "viewing_planned", "at": at})
    c.post(reverse("housing:option_step", args=[options[0].pk]), {"step": "accepted"})
    home = c.get(reverse("home"))
    assert "1 rue des Pins" in home.content.decode()
    response = c.post(
        reverse("housing:lease_create", args=[p.pk]) + f"?option={options[0].pk}",
        {
            "option": options[0].pk,
            "unit": units[0].pk,
            "lease_kind": "direct",
            "lease_start": clock.today().isoformat(),
            "monthly_rent": "900",
            "participant_share": "320",
            "participant_monthly_income": "1000",
            "rent_supplement": "580",
            "supplement_source": "PSL",
            "deposit": "0",
        },
    )
    tenancy = Tenancy.objects.get(participant=p)
    assert response.status_code == 302
    detail = c.get(reverse("housing:tenancy_detail", args=[tenancy.pk])).content.decode()
    assert "32\u00a0% du revenu — au-dessus de 30\u00a0%" in detail
    response = c.post(
        reverse("housing:inspection_create", args=[tenancy.pk]),
        {
            "kind": "move_in",
            "inspected_on": clock.today().isoformat(),
            "condition": "good",
            "photo": SimpleUploadedFile("salon.png", _png(), content_type="image/png"),
        },
    )
    assert response.status_code == 302, response.content[:500]
    photo = InspectionPhoto.objects.get()
    served = c.get(reverse("housing:photo_view", args=[photo.pk]))
    assert served.status_code == 200
    assert served["Content-Type"] == "image/png"
    assert served.content.startswith(b"\x89PNG")
    assert AuditEntry.objects.filter(action="housing.photo.viewed", participant=p).exists()


def test_a_text_file_as_photo_is_refused_and_the_inspection_is_not_half_saved(
    client_for, housing_specialist, shared, units
):
    tenancy = ts.tenancy_create(actor=housing_specialist, participant=shared, unit=units[0], **lease_values())
    response = client_for(housing_specialist).post(
        reverse("housing:inspection_create", args=[tenancy.pk]),
        {
            "kind": "move_in",
            "inspected_on": clock.today().isoformat(),
            "condition": "good",
            "photo": SimpleUploadedFile("salon.jpg", b"pas une image", content_type="image/jpeg"),
        },
    )
    assert response.status_code == 200
    assert "JPEG, PNG" in response.content.decode()
    assert not tenancy.inspections.exists()


def test_bad_lease_input_keeps_the_form(client_for, housing_specialist, shared, units):
    response = client_for(housing_specialist).post(
        reverse("housing:lease_create", args=[shared.pk]),
        {
            "unit": units[0].pk,
            "lease_kind": "direct",
            "lease_start": "9999-01-01",
            "monthly_rent": "900",
            "participant_share": "1900",
            "few_options_reason": "x" * 10_000,
        },
    )
    assert response.status_code == 200
    assert not Tenancy.objects.exists()


def test_case_manager_sees_the_tenancy_on_the_file_and_another_org_does_not(
    client_for, housing_specialist, case_manager_a, case_manager_b, shared, units
):
    tenancy = ts.tenancy_create(actor=housing_specialist, participant=shared, unit=units[0], **lease_values())
    content = client_for(case_manager_a).get(reverse("people:detail", args=[shared.pk])).content.decode()
    assert "1 rue des Pins" in content
    assert "housing-panel" in content
    other = client_for(case_manager_b)
    assert other.get(reverse("housing:tenancy_detail", args=[tenancy.pk])).status_code == 404
    assert other.get(reverse("housing:participant_housing", args=[shared.pk])).status_code == 404
    assert other.get(reverse("housing:tenancy_list")).content.decode().count("1 rue des Pins") == 0


def test_a_rent_clerk_without_housing_consent_gets_404(client_for, housing_specialist, shared, units, org_b):
    tenancy = ts.tenancy_create(actor=housing_specialist, participant=shared, unit=units[0], **lease_values())
    clerk = member(org_b, Role.RENT_CLERK)
    assert client_for(clerk).get(reverse("housing:tenancy_detail", args=[tenancy.pk])).status_code == 404


def test_the_tenancy_list_has_a_constant_query_count(
    client_for,
    housing_specialist,
    case_manager_a,
    org_a,
    shared_org,
    units,
    django_assert_max_num_queries,
    settings,
):
    c = client_for(housing_specialist)
    url = reverse("housing:tenancy_list")
    # The current ones, all of them, and a later page (pages of two: the list is never counted).
    settings.ANCRAGE = {**settings.ANCRAGE, "PAGE_SIZE": 2}
    urls = [url, url + "?show=all", url + "?show=all&page=2"]

    def add(n: int, offset: int):
        for i in range(n):
            person = make_participant(
                case_manager_a, org_a, legal_first_name=f"P{offset + i}", legal_last_name="X"
            )
            share(case_manager_a, person, [shared_org], [Category.IDENTITY, Category.HOUSING])
            unit = make_unit(housing_specialist, shared_org, units[0].building, address=f"{offset + i} rue Q")
            ts.tenancy_create(actor=housing_specialist, participant=person, unit=unit, **lease_values())

    add(3, 100)
    c.get(url)
    counts = {}
    for asked in urls:
        with django_assert_max_num_queries(14) as small:
            c.get(asked)
        counts[asked] = len(small.captured_queries)
    add(6, 200)
    for asked in urls:
        with django_assert_max_num_queries(counts[asked]):
            assert c.get(asked).status_code == 200


def test_the_api_follows_the_same_rules(client_for, housing_specialist, case_manager_b, shared, units):
    c = client_for(housing_specialist)
    response = c.post(
        f"/api/v1/participants/{shared.pk}/housing-searches",
        {"started_on": clock.today().isoformat()},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    search_id = response.json()["id"]
    option = c.post(
        f"/api/v1/housing-searches/{search_id}/options",
        {"unit_id": units[0].pk},
        content_type="application/json",
    ).json()
    c.post(
        f"/api/v1/housing-options/{option['id']}/step", {"step": "accepted"}, content_type="application/json"
    )
    body = {
        "unit_id": units[0].pk,
        "option_id": option["id"],
        "lease_kind": "direct",
        "lease_start": clock.today().isoformat(),
        "monthly_rent": "900.00",
        "participant_share": "950.00",
    }
    refused = c.post(f"/api/v1/participants/{shared.pk}/tenancies", body, content_type="application/json")
    assert refused.status_code == 422
    assert "participant_share" in refused.content.decode()
    body |= {"participant_share": "300.00", "few_options_reason": "Urgence"}
    created = c.post(f"/api/v1/participants/{shared.pk}/tenancies", body, content_type="application/json")
    assert created.status_code == 201, created.content
    tenancy_id = created.json()["id"]
    assert client_for(case_manager_b).get(f"/api/v1/tenancies/{tenancy_id}").status_code == 404
    listed = client_for(case_manager_b).get("/api/v1/tenancies").json()
    assert listed["count"] == 0
