"""Pages of housing units: who may see and add them, filters, errors next to fields."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from ancrage.access.models import Opening
from ancrage.core import clock
from ancrage.core.permissions import Role
from ancrage.housing import services
from ancrage.housing.models import Area, Unit
from ancrage.people.tests.factories import member

pytestmark = pytest.mark.django_db


def _login(client, user):
    client.force_login(user)
    # The pages are read in English here (the user's saved language wins over any cookie).
    type(user).objects.filter(pk=user.pk).update(language="en")
    return client


def _unit(actor, org, address, neighbourhood, open_for_matching=False):
    return services.unit_create(
        actor=actor,
        organisation=org,
        address=address,
        neighbourhood=neighbourhood,
        kind="scattered_site",
        bedrooms=1,
        monthly_rent=Decimal("800"),
        features=[],
        requirements=[],
        available_from=clock.today(),
        open_for_matching=open_for_matching,
    )


def test_list_filters(client, housing_specialist, shared_org):
    _unit(housing_specialist, shared_org, "1 rue Verte", "Verdun")
    _unit(housing_specialist, shared_org, "2 rue Rouge", "Mile End")
    c = _login(client, housing_specialist)
    page = c.get(reverse("housing:unit_list")).content.decode()
    assert "1 rue Verte" in page
    assert "2 rue Rouge" in page
    verdun = Area.objects.get(name_fr="Verdun")
    page = c.get(reverse("housing:unit_list"), {"area": verdun.pk}).content.decode()
    assert "1 rue Verte" in page
    assert "2 rue Rouge" not in page
    # A borough lists the units of its neighbourhoods.
    plateau = Area.objects.get(name_fr="Le Plateau-Mont-Royal")
    page = c.get(reverse("housing:unit_list"), {"area": plateau.pk}).content.decode()
    assert "2 rue Rouge" in page
    assert "1 rue Verte" not in page
    page = c.get(reverse("housing:unit_list"), {"status": "occupied"}).content.decode()
    assert "1 rue Verte" not in page


def test_permissions(client, housing_specialist, case_manager_a, outsider, org_a):
    lead = member(org_a, Role.TEAM_LEAD, username="lead_a")
    assert _login(client, housing_specialist).get(reverse("housing:unit_create")).status_code == 200
    assert _login(client, lead).get(reverse("housing:unit_list")).status_code == 200
    assert client.get(reverse("housing:unit_create")).status_code == 403
    for user in (case_manager_a, outsider):
        c = _login(client, user)
        assert c.get(reverse("housing:unit_list")).status_code == 403
        assert c.get(reverse("housing:unit_create")).status_code == 403


def test_create_with_requirements_and_features(client, housing_specialist, shared_org):
    c = _login(client, housing_specialist)
    response = c.post(
        reverse("housing:unit_create"),
        {
            "organisation": shared_org.pk,
            "address": "5 rue Neuve",
            "area": Area.objects.get(name_fr="Verdun").pk,
            "kind": "scattered_site",
            "bedrooms": 2,
            "monthly_rent": "950.00",
            "available_from": clock.today().isoformat(),
            "features": ["elevator", "step_free"],
            "min_age": 18,
            "max_age": 64,
            "household_types": ["single", "couple"],
            "genders": ["woman"],
            "open_for_matching": "on",
        },
    )
    assert response.status_code == 302
    unit = Unit.objects.get()
    assert unit.area == Area.objects.get(name_fr="Verdun")
    assert unit.features == ["elevator", "step_free"]
    assert unit.requirements == [
        {"criterion": "age", "rule": "must", "min": 18, "max": 64},
        {"criterion": "household_type", "rule": "must", "values": ["single", "couple"]},
        {"criterion": "gender", "rule": "must", "values": ["woman"]},
    ]
    assert Opening.objects.filter(unit=unit).count() == 1


def test_negative_rent_is_refused_and_input_kept(client, housing_specialist, shared_org):
    c = _login(client, housing_specialist)
    response = c.post(
        reverse("housing:unit_create"),
        {
            "organisation": shared_org.pk,
            "address": "7 rue Gardée",
            "area": Area.objects.get(name_fr="Verdun").pk,
            "kind": "scattered_site",
            "bedrooms": 1,
            "monthly_rent": "-5",
            "available_from": clock.today().isoformat(),
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "The monthly rent cannot be negative." in page
    assert "7 rue Gardée" in page
    assert not Unit.objects.exists()
