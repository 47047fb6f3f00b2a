"""Policy files (A5): validation naming line and field, scores with their explanation, deterministic ranks."""

from __future__ import annotations

import datetime

import pytest
from django.utils import translation

from ancrage.access.priority import PolicyError, describe_factor, rank, score, validate_policy
from ancrage.access.tests.test_eligibility import TODAY, facts

GOOD = """title: {fr: Priorités, en: Priorities}
factors:
  - factor: acuity_score
    weight: 50
  - factor: days_homeless_past_three_years
    weight: 30
  - factor: flag
    flag: medical_vulnerability
    weight: 10
  - factor: age_at_least
    years: 50
    weight: 10
tie_breakers: [entered_on, days_homeless]
"""


def problems(text: str) -> list[str]:
    with translation.override("en"), pytest.raises(PolicyError) as error:
        validate_policy(text)
    with translation.override("en"):
        return [str(p) for p in error.value.problems]


def test_good_policy_is_read():
    policy = validate_policy(GOOD)
    assert policy["title"] == {"fr": "Priorités", "en": "Priorities"}
    assert [f["factor"] for f in policy["factors"]] == [
        "acuity_score",
        "days_homeless_past_three_years",
        "flag",
        "age_at_least",
    ]
    assert policy["tie_breakers"] == ["entered_on", "days_homeless"]


def test_unknown_factor_and_bad_weight_name_their_line():
    text = GOOD.replace("factor: flag", "factor: zodiac").replace("weight: 30", "weight: -3")
    found = problems(text)
    assert "Line 6, factors[1].weight: give a weight, a number of 0 or more." in found
    assert any(p.startswith("Line 7, factors[2].factor: unknown factor “zodiac”") for p in found)


def test_unknown_flag_tie_breaker_and_field():
    text = GOOD.replace("medical_vulnerability", "bad_luck").replace("days_homeless]", "coin_toss]")
    text += "colour: blue\n"
    found = problems(text)
    assert any(p.startswith("Line 8, factors[2].flag: unknown flag “bad_luck”") for p in found)
    assert any("tie_breakers[1]: unknown tie-breaker “coin_toss”" in p for p in found)
    assert "Line 14, colour: unknown field." in found


def test_not_yaml_and_missing_title():
    assert problems("factors: [")[0].startswith("Line 1")
    assert "Line 1, title: this field is required." in problems(
        "factors:\n  - factor: chronic\n    weight: 1\n"
    )


def test_score_explains_each_factor():
    policy = validate_policy(GOOD)
    result = score(policy, facts(acuity_score=20.0, days_past_three_years=730, age=55, flags=()), TODAY)
    by_factor = {item["factor"]: item for item in result.explanation}
    assert by_factor["acuity_score"]["points"] == pytest.approx(40.0)
    assert by_factor["days_homeless_past_three_years"]["points"] == pytest.approx(20.0, abs=0.01)
    assert by_factor["flag"]["points"] == 0
    assert by_factor["age_at_least"]["points"] == 10
    assert result.score == pytest.approx(70.0, abs=0.01)
    with translation.override("en"):
        assert describe_factor(by_factor["flag"]) == "Health or safety flag: Medical vulnerability"
        assert describe_factor(by_factor["age_at_least"]) == "Age at or above a threshold: 50 years"


def test_rank_breaks_ties_by_policy_then_entry():
    policy = validate_policy(GOOD)
    same = {"acuity_score": 10.0, "days_past_three_years": 100, "age": 30}
    early = facts(entry_id=3, entered_on=TODAY - datetime.timedelta(days=90), **same)
    late = facts(entry_id=1, entered_on=TODAY - datetime.timedelta(days=10), **same)
    twin = facts(entry_id=2, entered_on=TODAY - datetime.timedelta(days=10), **same)
    top = facts(entry_id=4, acuity_score=25.0)
    ordered = [s.facts.entry_id for s in rank(policy, [late, twin, top, early], TODAY)]
    assert ordered == [4, 3, 1, 2]
    assert ordered == [s.facts.entry_id for s in rank(policy, [early, top, twin, late], TODAY)]


def test_a_list_where_a_name_is_expected_is_a_message_not_a_crash():
    found = problems(
        GOOD.replace("factor: acuity_score", "factor: [acuity_score]").replace("days_homeless]", "[x]]")
    )
    assert any(p.startswith("Line 3, factors[0].factor: unknown factor") for p in found)
    assert any("tie_breakers[1]" in p for p in found)
