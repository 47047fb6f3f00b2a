"""The requirement language lives with the programs that store requirements; the apps above give its values."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from ancrage.access.models import HouseholdType, IncomeSource, PersonFlag
from ancrage.organisations import requirements
from ancrage.people.models import Gender


def test_each_list_criterion_has_its_values_from_the_app_that_owns_them():
    assert requirements.known_values("household_type") is HouseholdType
    assert requirements.known_values("income_source") is IncomeSource
    assert requirements.known_values("flag") is PersonFlag
    assert requirements.known_values("gender") is Gender
    assert requirements.known_values("age") is None
    assert requirements.choices_of("household_type") == HouseholdType.choices


def test_a_value_no_app_registered_fails_loudly_rather_than_passing(monkeypatch):
    monkeypatch.setitem(
        requirements.CRITERIA, "gender", {"label": "Gender", "values": requirements.REGISTERED}
    )
    with pytest.raises(ImproperlyConfigured, match="gender"):
        requirements.validate_requirements([{"criterion": "gender", "values": ["woman"]}])


def test_values_are_given_once():
    with pytest.raises(ImproperlyConfigured, match="already given"):
        requirements.register_values("gender", HouseholdType)
    requirements.register_values("gender", Gender)  # the same again (a second ready()) is harmless


def test_requirements_are_checked_with_the_registered_values():
    problems = requirements.validate_requirements(
        [{"criterion": "household_type", "values": ["single", "castle"]}, {"criterion": "chronic"}]
    )
    assert len(problems) == 1
    assert "castle" in problems[0]
    assert requirements.describe_requirement({"criterion": "age", "min": 18}) == "Âge de 18 ans ou plus"
