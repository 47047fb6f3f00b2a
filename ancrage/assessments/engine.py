"""Answers checked against their questions, visibility of conditional questions, and scoring."""

from __future__ import annotations

import datetime
import math
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from ancrage.assessments.definition import (
    CHOICE_TYPES,
    NUMERIC_TYPES,
    SPECIAL_ANSWERS,
    Definition,
)

TEXT_MAX_LENGTH = 4000


class AnswerError(ValueError):
    """One answer that does not fit its question; the message is for the person answering."""


def clean_answer(question: dict[str, Any], value: Any) -> Any:
    """The answer in its stored form, or AnswerError."""
    kind = question["type"]
    if value in SPECIAL_ANSWERS:
        if value == "refused" and question["allow_refused"]:
            return value
        if value == "doesnt_know" and question["allow_doesnt_know"]:
            return value
        raise AnswerError(_("This question does not accept “refused” or “doesn't know”."))
    if kind == "yes_no":
        if value is True or value is False:
            return "yes" if value else "no"
        if value not in ("yes", "no"):
            raise AnswerError(_("Answer yes or no."))
        return value
    if kind == "single_choice":
        if value not in {o["key"] for o in question["options"]}:
            raise AnswerError(_("Choose one of the options."))
        return value
    if kind == "multiple_choice":
        keys = [o["key"] for o in question["options"]]
        if isinstance(value, str) or not isinstance(value, list | tuple) or any(v not in keys for v in value):
            raise AnswerError(_("Choose among the options."))
        return [k for k in keys if k in value]
    if kind in NUMERIC_TYPES or kind == "scale_1_10":
        number = _number(value)
        if kind in ("count", "scale_1_10") and number != int(number):
            raise AnswerError(_("Enter a whole number."))
        low, high = (1, 10) if kind == "scale_1_10" else (question.get("min"), question.get("max"))
        if (low is not None and number < low) or (high is not None and number > high):
            if low is not None and high is not None:
                message = _("Enter a number from %(low)s to %(high)s.")
            elif low is not None:
                message = _("Enter a number of at least %(low)s.")
            else:
                message = _("Enter a number of at most %(high)s.")
            raise AnswerError(message % {"low": low, "high": high})
        return int(number) if number == int(number) else number
    if kind == "date":
        if isinstance(value, datetime.date):
            return value.isoformat()
        try:
            return datetime.date.fromisoformat(str(value)).isoformat()
        except ValueError:
            raise AnswerError(_("Enter a date as YYYY-MM-DD.")) from None
    if kind == "text":
        if not isinstance(value, str):
            raise AnswerError(_("Enter text."))
        if len(value) > TEXT_MAX_LENGTH:
            raise AnswerError(_("This answer is too long."))
        return value.strip()
    raise AnswerError(_("This question cannot be answered."))  # pragma: no cover - the validator forbids it


def _number(value: Any) -> float:
    if isinstance(value, bool):
        raise AnswerError(_("Enter a number."))
    if isinstance(value, int | float):
        number = float(value)
    else:
        try:
            number = float(Decimal(str(value).strip().replace(",", ".")))
        except (InvalidOperation, ValueError):
            raise AnswerError(_("Enter a number.")) from None
    if not math.isfinite(number):
        raise AnswerError(_("Enter a number."))
    return number


def is_visible(definition: Definition, question: dict[str, Any], answers: dict[str, Any]) -> bool:
    """Whether a question is asked, given the answers so far (its condition's question must be asked too)."""
    when = question.get("when")
    if not when:
        return True
    target = definition.question(when["question"])
    if target is None or not is_visible(definition, target, answers):
        return False
    answer = answers.get(when["question"])
    if isinstance(answer, list):
        return any(a in when["in"] for a in answer)
    return answer in when["in"]


def visible_answers(definition: Definition, answers: dict[str, Any]) -> dict[str, Any]:
    """The answers, without those to questions not asked."""
    return {
        q["key"]: answers[q["key"]]
        for q in definition.questions
        if q["key"] in answers and is_visible(definition, q, answers)
    }


def missing_required(definition: Definition, answers: dict[str, Any]) -> list[str]:
    """Keys of required questions that are asked and not answered."""
    return [
        q["key"]
        for q in definition.questions
        if q["required"] and is_visible(definition, q, answers) and answers.get(q["key"]) in (None, "", [])
    ]


def points_for(question: dict[str, Any], answer: Any) -> float:
    if answer is None or answer in SPECIAL_ANSWERS:
        return 0
    kind = question["type"]
    if kind == "yes_no":
        return question["points"].get(answer, 0)
    if kind == "single_choice":
        return next((o["points"] for o in question["options"] if o["key"] == answer), 0)
    if kind == "multiple_choice":
        return sum(o["points"] for o in question["options"] if o["key"] in answer)
    if kind in NUMERIC_TYPES:
        for band in question["points"]:
            if (band["min"] is None or answer >= band["min"]) and (
                band["max"] is None or answer <= band["max"]
            ):
                return band["points"]
        return 0
    if kind == "scale_1_10" and question.get("scored"):
        return answer
    return 0


def score(definition: Definition, answers: dict[str, Any]) -> dict[str, Any]:
    """Points per answer, capped section totals, derived items, the total and its band."""
    answers = visible_answers(definition, answers)
    points = {q["key"]: points_for(q, answers.get(q["key"])) for q in definition.questions}
    sections = {}
    total: float = 0
    for section in definition.sections:
        raw = sum(points[q["key"]] for q in section["questions"])
        capped = min(raw, section["cap"]) if section["cap"] is not None else raw
        sections[section["key"]] = {"points": raw, "total": capped}
        total += capped
    values: dict[str, float] = dict(points)
    derived = {}
    for item in definition.derived:
        sources = [values[key] for key in item["of"]]
        if item["operation"] == "sum":
            value = sum(sources)
        elif item["operation"] == "max":
            value = max(sources, default=0)
        else:
            value = min(sources, default=0)
        derived[item["key"]] = values[item["key"]] = value
        if item["in_total"]:
            total += value
    band = next((b["key"] for b in definition.bands if b["min"] <= math.floor(total) <= b["max"]), None)
    return {
        "total": total,
        "max_total": definition.data["max_total"],
        "sections": sections,
        "derived": derived,
        "points": points,
        "band": band,
        "answered": sum(1 for q in definition.questions if q["key"] in answers),
        "refused": sorted(k for k, v in answers.items() if v == "refused"),
        "doesnt_know": sorted(k for k, v in answers.items() if v == "doesnt_know"),
    }


__all__ = ["CHOICE_TYPES", "AnswerError", "clean_answer", "is_visible", "missing_required", "score"]
