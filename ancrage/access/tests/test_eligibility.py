"""Eligibility as data (A2): each requirement passes or fails with its reason, and bad requirements are named."""

from __future__ import annotations

import datetime

import pytest
from django.utils import translation

from ancrage.access.eligibility import (
    Facts,
    check_requirements,
    check_unit,
    describe_check,
    is_eligible,
    validate_requirements,
)

TODAY = datetime.date(2026, 11, 26)


def facts(**values) -> Facts:
    base = {
        "entry_id": 1,
        "participant_id": 1,
        "age": 40,
        "gender": "woman",
        "household_type": "single",
        "acuity_score": 14.0,
        "acuity_max": 25.0,
        "acuity_band": "housing_first_icm",
        "is_chronic": True,
        "days_past_year": 200,
        "days_past_three_years": 600,
        "entered_on": TODAY - datetime.timedelta(days=30),
    }
    base.update(values)
    return Facts(**base)


class FakeUnit:
    def __init__(self, **values):
        self.requirements = values.get("requirements", [])
        self.features = values.get("features", [])
        self.neighbourhood = values.get("neighbourhood", "Verdun")
        # Units written before areas: only the typed neighbourhood (areas are tested with the database).
        self.area = None
        self.area_id = None
        self.kind = values.get("kind", "scattered_site")


@pytest.mark.parametrize(
    ("requirement", "person", "passed"),
    [
        ({"criterion": "age", "min": 18, "max": 64}, {"age": 40}, True),
        ({"criterion": "age", "min": 18, "max": 64}, {"age": 17}, False),
        ({"criterion": "age", "min": 50}, {"age": None}, False),
        ({"criterion": "gender", "values": ["woman"]}, {"gender": "woman"}, True),
        ({"criterion": "gender", "values": ["woman"]}, {"gender": "man"}, False),
        ({"criterion": "household_type", "rule": "must_not", "values": ["family"]}, {}, True),
        (
            {"criterion": "household_type", "rule": "must_not", "values": ["family"]},
            {"household_type": "family"},
            False,
        ),
        ({"criterion": "chronic"}, {"is_chronic": False}, False),
        ({"criterion": "chronic", "rule": "must_not"}, {"is_chronic": False}, True),
        ({"criterion": "acuity_band", "values": ["act"]}, {}, False),
        ({"criterion": "acuity_band", "values": ["act"]}, {"acuity_band": ""}, False),
        (
            {"criterion": "income_source", "values": ["social_assistance"]},
            {"income_sources": ("social_assistance",)},
            True,
        ),
        ({"criterion": "income_source", "values": ["employment"]}, {}, False),
        (
            {"criterion": "flag", "rule": "must_not", "values": ["fleeing_violence"]},
            {"flags": ("pregnancy",)},
            True,
        ),
        ({"criterion": "flag", "values": ["fleeing_violence"]}, {"flags": ("fleeing_violence",)}, True),
    ],
)
def test_requirement(requirement, person, passed):
    (check,) = check_requirements([requirement], facts(**person))
    assert check.passed is passed
    assert check.sentence


def test_unknown_information_says_what_to_record():
    (check,) = check_requirements([{"criterion": "age", "min": 50}], facts(age=None))
    with translation.override("en"):
        assert check.sentence == "Cannot confirm “Age 50 or more”: date of birth not recorded."
    with translation.override("fr"):
        assert "date de naissance" in check.sentence


def test_failed_requirement_says_which_and_why():
    (check,) = check_requirements([{"criterion": "age", "min": 18, "max": 24}], facts(age=40))
    with translation.override("en"):
        assert check.sentence == "Does not meet “Age from 18 to 24”: age 40."


def test_unit_checks_accessibility_and_choice():
    person = facts(accessibility_needs=("elevator",), preferred_neighbourhoods=("Verdun", "Rosemont"))
    ok = check_unit(FakeUnit(features=["elevator", "step_free"]), person)
    assert is_eligible(ok)
    lacking = check_unit(FakeUnit(features=[], neighbourhood="Ahuntsic"), person)
    assert [c.kind for c in lacking if not c.passed] == ["accessibility", "neighbourhood"]
    with translation.override("en"):
        sentences = [describe_check(c.as_data()) for c in lacking if not c.passed]
    assert sentences == [
        "The unit lacks what the person needs: Elevator.",
        "Ahuntsic is not among the areas the person chose (Verdun, Rosemont).",
    ]


def test_neighbourhood_choice_ignores_case_and_accents_as_typed():
    person = facts(preferred_neighbourhoods=("verdun",))
    assert is_eligible(check_unit(FakeUnit(neighbourhood="Verdun"), person))


def test_no_preference_means_any_place():
    assert is_eligible(check_unit(FakeUnit(neighbourhood="Anjou", kind="congregate"), facts()))


def test_validate_requirements_names_each_problem():
    with translation.override("en"):
        problems = validate_requirements(
            [
                {"criterion": "age", "min": 70, "max": 18},
                {"criterion": "astrology", "values": ["leo"]},
                {"criterion": "gender", "values": []},
                {"criterion": "flag", "rule": "should", "values": ["unicorn"]},
                "age over 18",
            ]
        )
    assert problems[0] == "Requirement 1, field “max”: the maximum age is below the minimum age."
    assert problems[1].startswith("Requirement 2, field “criterion”: unknown criterion “astrology”")
    assert problems[2] == "Requirement 3, field “values”: give the accepted values as a non-empty list."
    assert problems[3] == "Requirement 4, field “rule”: write must or must_not."
    assert problems[4].startswith("Requirement 4, field “values”: unknown value “unicorn”")
    assert problems[5] == "Requirement 5 is not a mapping."
    assert validate_requirements([{"criterion": "chronic"}, {"criterion": "age", "min": 18}]) == []
    assert validate_requirements({"criterion": "chronic"})


def test_a_flag_check_tells_only_the_flags_it_is_about():
    person = facts(flags=("mental_health", "substance_use", "fleeing_violence"))
    (check,) = check_requirements(
        [{"criterion": "flag", "rule": "must_not", "values": ["fleeing_violence"]}], person
    )
    assert check.as_data()["observed"] == ["fleeing_violence"]
    with translation.override("en"):
        assert "Substance use" not in check.sentence
        assert "Serious mental illness" not in check.sentence


def test_chronic_status_without_any_living_situation_is_unknown():
    for rule in ("must", "must_not"):
        (check,) = check_requirements([{"criterion": "chronic", "rule": rule}], facts(has_history=False))
        assert not check.passed
        assert check.as_data()["unknown"]
    with translation.override("en"):
        assert "no living situation recorded" in check.sentence


@pytest.mark.django_db
def test_requirements_typed_in_the_administration_are_checked(consortium):
    from django.core.exceptions import ValidationError

    from ancrage.people.tests.factories import OrganisationFactory, ProgramFactory

    program = ProgramFactory(
        organisation=OrganisationFactory(consortium=consortium), eligibility=[{"age": 18}]
    )
    with pytest.raises(ValidationError) as error:
        program.full_clean()
    assert "eligibility" in error.value.message_dict


def test_an_exclusion_met_never_reads_as_passing():
    """A person outside an exclusion is "not excluded"; one inside it is "excluded": never "meets"."""
    exclusion = [{"criterion": "flag", "rule": "must_not", "values": ["pregnancy"]}]
    (clear,) = check_requirements(exclusion, facts(flags=()))
    (caught,) = check_requirements(exclusion, facts(flags=("pregnancy",)))
    assert clear.passed
    assert not caught.passed
    with translation.override("en"):
        assert (
            clear.sentence
            == "Not excluded: “Health and safety flag: Pregnancy” does not apply (none of these flags)."
        )
        assert caught.sentence == "Excluded: “Health and safety flag: Pregnancy” applies (Pregnancy)."
    with translation.override("fr-ca"):
        assert not clear.sentence.startswith("Remplit")
        assert clear.sentence.startswith("Non exclu·e : ")
        assert caught.sentence.startswith("Exclu·e : ")
