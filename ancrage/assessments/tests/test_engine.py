"""Scoring, answers, saving, completing, declining and the immutability of a used version."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from ancrage.assessments import services
from ancrage.assessments.definition import validate_definition
from ancrage.assessments.engine import score
from ancrage.assessments.models import Administration, InstrumentVersion
from ancrage.assessments.tests.factories import SMALL
from ancrage.core.models import AuditEntry

INSTRUMENTS = Path(__file__).resolve().parent.parent / "instruments"


def test_score_caps_derived_bands_and_special_answers():
    definition = validate_definition(SMALL)
    result = score(definition, {"q1": "yes", "q2": ["a", "b"], "q3": 7, "q4": "high", "q5": 4})
    # s1: 2 + 3 + 1 = 6, capped at 3; s2: 3 + 4 = 7; derived max(q1=2, q4=3) = 3 counts in the total.
    assert result["sections"]["s1"] == {"points": 6, "total": 3}
    assert result["sections"]["s2"] == {"points": 7, "total": 7}
    assert result["derived"] == {"worst": 3}
    assert result["total"] == 13
    assert result["band"] == "high"

    refused = score(definition, {"q1": "refused", "q3": "doesnt_know", "q4": "high"})
    # q1 refused scores 0 and hides q4 (asked only after a yes), so q4's answer does not count.
    assert refused["total"] == 0
    assert refused["band"] == "low"
    assert refused["refused"] == ["q1"]
    assert refused["doesnt_know"] == ["q3"]


def test_condition_with_in_and_nested_visibility():
    text = SMALL.replace('when: {question: q1, equals: "yes"}', "when: {question: q2, in: [b]}")
    definition = validate_definition(text)
    assert score(definition, {"q2": ["a"], "q4": "high"})["points"]["q4"] == 0
    assert score(definition, {"q2": ["b"], "q4": "high"})["points"]["q4"] == 3


@pytest.fixture
def version(db, administrator):
    return services.instrument_version_load(actor=administrator, text=SMALL)


@pytest.fixture
def administration(version, case_manager_a, participant_a):
    return services.administration_start(actor=case_manager_a, participant=participant_a, version=version)


def test_load_is_idempotent_and_audited(administrator, version):
    again = services.instrument_version_load(actor=administrator, text=SMALL)
    assert again.pk == version.pk
    assert InstrumentVersion.objects.count() == 1
    assert AuditEntry.objects.filter(action="assessments.instrument.loaded").count() == 1
    assert version.instrument.name == "Petit"
    assert version.instrument.name_en == "Small"


def test_malformed_file_is_refused_with_lines(administrator, db):
    with pytest.raises(ValidationError) as caught:
        services.instrument_version_load(
            actor=administrator, text=SMALL.replace("type: date", "type: slider")
        )
    assert "unknown question type “slider”" in caught.value.messages[0]
    assert InstrumentVersion.objects.count() == 0


@pytest.mark.smoke
def test_used_version_is_immutable(administrator, version, administration):
    version.refresh_from_db()
    assert version.first_used_at is not None
    changed = SMALL.replace("Question un", "Question une")
    with pytest.raises(ValidationError, match="already been used"):
        services.instrument_version_load(actor=administrator, text=changed)
    with pytest.raises(ValidationError, match="already been used"):
        services.instrument_version_update(actor=administrator, version=version, text=changed)
    version.refresh_from_db()
    assert version.definition_text == SMALL


def test_unused_version_may_be_replaced(administrator, version):
    changed = SMALL.replace("Question un", "Question une")
    replaced = services.instrument_version_load(actor=administrator, text=changed)
    assert replaced.pk == version.pk
    assert replaced.definition_text == changed
    assert AuditEntry.objects.filter(action="assessments.instrument.changed").exists()


def test_partial_save_and_resume(case_manager_a, administration):
    services.administration_save_answers(
        actor=case_manager_a, administration=administration, answers={"q1": "yes"}
    )
    services.administration_postpone(actor=case_manager_a, administration=administration, reason="Fatigue")
    administration.refresh_from_db()
    assert administration.status == Administration.Status.POSTPONED
    assert administration.answers == {"q1": "yes"}

    services.administration_save_answers(
        actor=case_manager_a,
        administration=administration,
        answers={"q4": "high", "q5": "7", "q6": "2024-05-01"},
    )
    administration.refresh_from_db()
    assert administration.status == Administration.Status.IN_PROGRESS
    assert administration.answers == {"q1": "yes", "q4": "high", "q5": 7, "q6": "2024-05-01"}
    with pytest.raises(ValidationError, match="not completed"):
        services.administration_score(administration)

    services.administration_save_answers(
        actor=case_manager_a, administration=administration, answers={}, complete=True
    )
    administration.refresh_from_db()
    assert administration.status == Administration.Status.COMPLETED
    assert administration.score["total"] == 2 + 3 + 7 + 3
    assert administration.score["band"] == "high"
    assert services.administration_score(administration) == administration.score


def test_completion_requires_visible_required_answers(case_manager_a, administration):
    services.administration_save_answers(
        actor=case_manager_a, administration=administration, answers={"q1": "yes"}
    )
    with pytest.raises(ValidationError) as caught:
        services.administration_save_answers(
            actor=case_manager_a, administration=administration, answers={}, complete=True
        )
    assert set(caught.value.message_dict) == {"q4"}
    administration.refresh_from_db()
    assert administration.status == Administration.Status.IN_PROGRESS

    # Once q1 is "no", q4 is not asked: its answer is dropped and completion goes through.
    services.administration_save_answers(
        actor=case_manager_a, administration=administration, answers={"q1": "no", "q4": "high"}, complete=True
    )
    administration.refresh_from_db()
    assert administration.answers == {"q1": "no"}
    assert administration.status == Administration.Status.COMPLETED


@pytest.mark.parametrize(
    ("answers", "field"),
    [
        ({"q3": 21}, "q3"),
        ({"q3": -1}, "q3"),
        ({"q5": 11}, "q5"),
        ({"q2": ["z"]}, "q2"),
        ({"q3": "refused"}, "q3"),
        ({"q6": "31/02/2024"}, "q6"),
        ({"nope": "yes"}, "nope"),
    ],
)
def test_bad_answer_is_refused_and_nothing_saved(case_manager_a, administration, answers, field):
    services.administration_save_answers(
        actor=case_manager_a, administration=administration, answers={"q1": "yes"}
    )
    entries = AuditEntry.objects.count()
    with pytest.raises(ValidationError) as caught:
        services.administration_save_answers(
            actor=case_manager_a, administration=administration, answers={"q1": "no", **answers}
        )
    assert field in caught.value.message_dict
    administration.refresh_from_db()
    assert administration.answers == {"q1": "yes"}
    assert AuditEntry.objects.count() == entries


def test_out_of_range_message():
    from ancrage.assessments.engine import AnswerError, clean_answer

    question = validate_definition(SMALL).question("q3")
    with pytest.raises(AnswerError, match=r"Enter a number from 0 to 20\."):
        clean_answer(question, 25)


@pytest.mark.smoke
def test_audit_entries_name_the_participant(case_manager_a, participant_a, administration):
    services.administration_save_answers(
        actor=case_manager_a, administration=administration, answers={"q1": "no"}, complete=True
    )
    actions = list(
        AuditEntry.objects.filter(participant=participant_a, action__startswith="assessments.")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == ["assessments.administration.started", "assessments.administration.completed"]
    completed = AuditEntry.objects.get(action="assessments.administration.completed")
    assert completed.data == {"questions": ["q1"], "total": 0, "band": "low"}


def test_decline_closes_the_administration(case_manager_a, administration):
    services.administration_decline(
        actor=case_manager_a, administration=administration, reason="Ne souhaite pas"
    )
    administration.refresh_from_db()
    assert administration.status == Administration.Status.DECLINED
    assert administration.status_reason == "Ne souhaite pas"
    assert AuditEntry.objects.filter(action="assessments.administration.declined").exists()
    with pytest.raises(ValidationError, match="closed"):
        services.administration_save_answers(
            actor=case_manager_a, administration=administration, answers={"q1": "yes"}
        )


def test_score_uses_the_administered_version(administrator, case_manager_a, participant_a, administration):
    administration = services.administration_save_answers(
        actor=case_manager_a,
        administration=administration,
        answers={"q1": "yes", "q4": "high"},
        complete=True,
    )
    newer = services.instrument_version_load(
        actor=administrator,
        text=SMALL.replace('version: "1"', 'version: "2"').replace("{yes: 2, no: 0}", "{yes: 1, no: 0}"),
    )
    assert newer.pk != administration.version_id
    assert services.administration_score(administration)["points"]["q1"] == 2


def test_load_instruments_command_is_idempotent(db):
    call_command("load_instruments", stdout=StringIO())
    call_command("load_instruments", stdout=StringIO())
    assert InstrumentVersion.objects.count() == 3


def test_shipped_acuity_screener_scores_a_sample(case_manager_a, participant_a, db):
    call_command("load_instruments", stdout=StringIO())
    version = InstrumentVersion.objects.get(instrument__key="acuity_screener")
    administration = services.administration_start(
        actor=case_manager_a, participant=participant_a, version=version
    )
    answers = {
        "months_homeless": 18,
        "episodes": 4,
        "slept_last_night": "outside",
        "evicted": "yes",
        "chronic_condition": "yes",
        "mental_health": "yes",
        "medication_trouble": "yes",
        "emergency_visits": 3,
        "use_frequency": "daily",
        "use_consequences": "yes",
        "overdose": "refused",
        "harm": "no",
        "exploitation": "yes",
        "justice_contact": ["police", "arrest"],
        "help_needed": ["money"],
        "regular_income": "no",
        "someone_to_count_on": "no",
        "loneliness": 8,
    }
    services.administration_save_answers(
        actor=case_manager_a, administration=administration, answers=answers, complete=True
    )
    administration.refresh_from_db()
    result = administration.score
    # housing 7 capped at 6; health 5 capped at 4; substance 3; risks 3; daily 2; social 1; tri-morbidity 1.
    assert result["sections"]["housing_history"] == {"points": 7, "total": 6}
    assert result["derived"]["tri_morbidity"] == 1
    assert result["total"] == 20
    assert result["band"] == "act"


def test_shipped_progress_scale_scores_a_sample(case_manager_a, participant_a, db):
    call_command("load_instruments", stdout=StringIO())
    version = InstrumentVersion.objects.get(instrument__key="progress_scale")
    administration = services.administration_start(
        actor=case_manager_a, participant=participant_a, version=version
    )
    domains = [q["key"] for q in version.parsed.sections[0]["questions"]]
    answers = {key: i + 1 for i, key in enumerate(domains)}
    answers["hope"] = "refused"
    services.administration_save_answers(
        actor=case_manager_a, administration=administration, answers=answers, complete=True
    )
    administration.refresh_from_db()
    assert administration.score["total"] == sum(range(1, 10))
    assert administration.score["derived"]["lowest_domain"] == 0
    assert administration.score["band"] is None
