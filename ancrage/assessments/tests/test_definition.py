"""Definition files: the validator names the line and field of every problem."""

from __future__ import annotations

from pathlib import Path

import pytest

from ancrage.assessments.definition import InstrumentDefinitionError, validate_definition
from ancrage.assessments.tests.factories import SMALL

INSTRUMENTS = Path(__file__).resolve().parent.parent / "instruments"


def problems(text: str) -> list[str]:
    with pytest.raises(InstrumentDefinitionError) as caught:
        validate_definition(text)
    return [str(p) for p in caught.value.problems]


def test_small_definition_is_valid():
    definition = validate_definition(SMALL)
    assert definition.key == "small"
    assert [q["key"] for q in definition.questions] == ["q1", "q2", "q3", "q4", "q5", "q6"]
    # s1 capped at 3, s2: 3 + 10, derived worst: 3
    assert definition.data["max_total"] == 19


@pytest.mark.smoke
def test_unknown_type_names_line_and_field():
    text = SMALL.replace("type: scale_1_10", "type: slider")
    line = SMALL.splitlines().index("        type: scale_1_10") + 1
    assert problems(text) == [f"Line {line}, sections[1].questions[1].type: unknown question type “slider”."]


def test_missing_english_text_and_required_key():
    text = SMALL.replace("text: {fr: Question deux, en: Question two}", "text: {fr: Question deux}")
    text = text.replace('version: "1"\n', "")
    found = problems(text)
    assert any("version: this field is required." in p for p in found)
    assert any("sections[0].questions[1].text.en: the text in this language is missing." in p for p in found)


def test_duplicate_key_and_non_numeric_points():
    text = SMALL.replace("- key: q5", "- key: q2").replace("{key: b, points: 2,", "{key: b, points: two,")
    found = problems(text)
    assert any("sections[1].questions[1].key: the key “q2” is used twice." in p for p in found)
    assert any("options[1].points: expected a number, not “two”." in p for p in found)


def test_condition_must_reference_an_earlier_question():
    text = SMALL.replace('when: {question: q1, equals: "yes"}', "when: {question: q5, equals: 3}")
    line = SMALL.splitlines().index('        when: {question: q1, equals: "yes"}') + 1
    assert problems(text) == [
        f"Line {line}, sections[1].questions[0].when.question: "
        "a condition can only refer to an earlier question; “q5” is not one."
    ]


def test_condition_value_must_be_a_possible_answer():
    text = SMALL.replace('equals: "yes"', "equals: maybe")
    assert any("“maybe” is not a possible answer to “q1”." in p for p in problems(text))


def test_derived_references_existing_questions():
    found = problems(SMALL.replace("of: [q1, q4]", "of: [q1, q99]"))
    assert any("derived[0].of[1]: “q99” is not a question or an earlier derived item." in p for p in found)


def test_bands_gap_overlap_and_coverage():
    gap = SMALL.replace("{key: high, min: 6,", "{key: high, min: 8,")
    assert any("totals between 5 and 8 fall in no band." in p for p in problems(gap))
    overlap = SMALL.replace("{key: high, min: 6,", "{key: high, min: 4,")
    assert any("this band overlaps band “low”." in p for p in problems(overlap))
    short = SMALL.replace("max: 19, label", "max: 12, label")
    assert any("the highest possible total, 19, falls in no band." in p for p in problems(short))


def test_yaml_syntax_error_names_the_line():
    found = problems("key: x\nversion: [1\ntitle: {fr: a, en: b}\n")
    assert found[0].startswith("Line ")
    assert "not valid YAML" in found[0]


def test_reserved_option_key():
    text = SMALL.replace("{key: a, points: 1,", "{key: refused, points: 1,")
    assert any("“refused” is a reserved answer" in p for p in problems(text))


@pytest.mark.smoke
@pytest.mark.parametrize("path", sorted(INSTRUMENTS.glob("*.yaml")), ids=lambda p: p.stem)
def test_shipped_instruments_are_valid(path):
    definition = validate_definition(path.read_text(encoding="utf-8"))
    assert definition.key == path.stem
    for question in definition.questions:
        assert question["text"]["fr"]
        assert question["text"]["en"]


def test_three_instruments_are_shipped():
    assert {p.stem for p in INSTRUMENTS.glob("*.yaml")} == {
        "acuity_screener",
        "baseline_functioning",
        "progress_scale",
    }


def test_problems_are_translated_to_french():
    from django.utils import translation

    with translation.override("fr"):
        with pytest.raises(InstrumentDefinitionError) as caught:
            validate_definition(SMALL.replace("type: date", "type: slider"))
        text = str(caught.value.problems[0])
    assert text.startswith("Ligne ")
    assert text.endswith("type de question inconnu « slider ».")


def test_category_defaults_to_health():
    assert validate_definition(SMALL).data["category"] == "health"
    text = SMALL.replace('version: "1"\n', 'version: "1"\ncategory: coordinated_access\n')
    definition = validate_definition(text)
    assert definition.data["category"] == "coordinated_access"
    assert definition.category == "coordinated_access"


def test_unknown_category_names_line_and_field():
    text = SMALL.replace('version: "1"\n', 'version: "1"\ncategory: housing\n')
    line = text.splitlines().index("category: housing") + 1
    assert problems(text) == [
        f"Line {line}, category: unknown category “housing”: use health or coordinated_access."
    ]


def test_shipped_triage_instrument_is_coordinated_access():
    categories = {
        path.stem: validate_definition(path.read_text(encoding="utf-8")).data["category"]
        for path in INSTRUMENTS.glob("*.yaml")
    }
    assert categories == {
        "acuity_screener": "coordinated_access",
        "baseline_functioning": "health",
        "progress_scale": "health",
    }


@pytest.mark.parametrize(
    ("text", "french"),
    [
        (
            "key: x\nversion: [1\ntitle: {fr: a, en: b}\n",
            "une liste ouverte par « [ » n'est pas fermée par « ] »",
        ),
        ("key: x\ntitle: a: b\n", "un deux-points inattendu"),
        ("key: x\nkey: y\n", "une clé est écrite deux fois dans le même bloc"),
        ("key: x\nsections:\n\t- a\n", "une tabulation"),
        ("key: 'x\n", "un guillemet est ouvert et jamais fermé"),
        ("key: x\n  version: 1\n title: a\n", "Ligne "),
    ],
)
def test_yaml_errors_are_said_in_french_without_the_readers_english(text, french):
    from django.utils import translation

    with translation.override("fr-ca"):
        (found,) = problems(text)
    assert found.startswith("Ligne ")
    assert "ce n’est pas du YAML valide : " in found
    assert french in found
    # No fragment of the YAML reader's own (English) message.
    for english in ("mapping", "found", "expected", "while", "scanning", "token", "stream", "duplicate"):
        assert english not in found
