"""Adding a housing unit: validation in words, the audit entry, and the opening for matching."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from ancrage.access.models import Opening
from ancrage.core import clock
from ancrage.core.models import AuditEntry
from ancrage.housing import services
from ancrage.housing.models import Unit

pytestmark = pytest.mark.django_db


def _values(org, **overrides):
    values = {
        "organisation": org,
        "address": "12 rue Wellington",
        "neighbourhood": "Verdun",
        "kind": "scattered_site",
        "bedrooms": 1,
        "monthly_rent": Decimal("850.00"),
        "features": ["elevator"],
        "requirements": [{"criterion": "age", "rule": "must", "min": 18}],
        "available_from": clock.today(),
    }
    values.update(overrides)
    return values


def test_unit_create_opens_it_for_matching(housing_specialist, shared_org):
    unit = services.unit_create(actor=housing_specialist, **_values(shared_org))
    assert unit.status == Unit.Status.AVAILABLE
    assert Opening.objects.filter(unit=unit, status=Opening.Status.OPEN).count() == 1
    assert AuditEntry.objects.filter(action="housing.unit.created").count() == 1


def test_unit_create_without_opening(housing_specialist, shared_org):
    unit = services.unit_create(actor=housing_specialist, open_for_matching=False, **_values(shared_org))
    assert not Opening.objects.filter(unit=unit).exists()


def test_bad_values_are_refused_with_reasons(housing_specialist, shared_org):
    with translation.override("en"), pytest.raises(ValidationError) as error:
        services.unit_create(
            actor=housing_specialist,
            **_values(
                shared_org,
                monthly_rent=Decimal("-5"),
                features=["jacuzzi"],
                requirements=[{"criterion": "astrology", "rule": "must"}],
                address=" ",
            ),
        )
    errors = error.value.message_dict
    assert errors["monthly_rent"] == ["The monthly rent cannot be negative."]
    assert "jacuzzi" in errors["features"][0]
    assert "astrology" in errors["requirements"][0]
    assert "address" in errors
    assert not Unit.objects.exists()
    assert not AuditEntry.objects.filter(action="housing.unit.created").exists()


def test_unit_only_for_own_organisation(housing_specialist, org_b):
    with pytest.raises(ValidationError) as error:
        services.unit_create(actor=housing_specialist, **_values(org_b))
    assert "organisation" in error.value.message_dict
