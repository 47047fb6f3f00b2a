"""Assessment.csv, AssessmentQuestions.csv and AssessmentResults.csv: the completed administrations of the
registry's instruments (the coordinated-access triage and the others), each tied to the exported
enrollment running on the day it was completed.

Only the instruments whose kind of information the requester may read about the person (health or
coordinated access, as `assessments.selectors` decides) are exported; an administration with no exported
enrollment on its day is left out (HMIS ties every assessment to an enrollment).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from django.db.models import OuterRef, Q, Subquery
from django.db.models.functions import TruncDate

from ancrage.assessments.definition import DEFAULT_CATEGORY
from ancrage.assessments.models import Administration
from ancrage.assessments.selectors import ASSESSMENT_CATEGORIES
from ancrage.core.permissions import Category
from ancrage.interop.hmis.export.files.common import chunked, trailer
from ancrage.people.selectors import participants_visible_for_category

# HMIS 4.19.4 AssessmentLevel: a coordinated-access instrument is a housing needs assessment (2); other
# instruments (health, recovery) are not coordinated-entry assessments and leave it empty.
HOUSING_NEEDS_ASSESSMENT = 2


def _readable(scope) -> Q:
    condition = Q(pk__in=[])
    for category in sorted(ASSESSMENT_CATEGORIES):
        visible = participants_visible_for_category(scope.user, category).values("pk")
        of_kind = Q(version__definition__category=category)
        if category == DEFAULT_CATEGORY:
            of_kind |= Q(version__definition__category__isnull=True)
        condition |= Q(participant__in=visible) & of_kind
    return condition


def administrations(scope):
    day = TruncDate("completed_at")
    enrollment = (
        scope.enrollments()
        .filter(participant_id=OuterRef("participant_id"), enrolled_on__lte=OuterRef("day"))
        .filter(Q(exited_on__isnull=True) | Q(exited_on__gte=OuterRef("day")))
        .order_by("-enrolled_on", "-pk")
        .values("pk")[:1]
    )
    return (
        Administration.objects.filter(status=Administration.Status.COMPLETED, completed_at__isnull=False)
        .filter(_readable(scope))
        .annotate(day=day)
        .filter(day__gte=scope.start, day__lte=scope.end)
        .annotate(enrollment_pk=Subquery(enrollment))
        .filter(enrollment_pk__isnull=False)
        .order_by("pk")
    )


def _values(scope, *fields: str):
    return chunked(
        administrations(scope).values(
            "pk", "participant_id", "enrollment_pk", "created_at", "updated_at", *fields
        )
    )


def rows(scope) -> Iterator[dict[str, Any]]:
    for values in _values(scope, "day", "version__definition__category"):
        kind = values["version__definition__category"] or DEFAULT_CATEGORY
        yield {
            "AssessmentID": str(values["pk"]),
            "EnrollmentID": str(values["enrollment_pk"]),
            "PersonalID": str(values["participant_id"]),
            "AssessmentDate": values["day"],
            "AssessmentLevel": HOUSING_NEEDS_ASSESSMENT if kind == Category.COORDINATED_ACCESS else None,
            **trailer(scope, values["created_at"], values["updated_at"]),
        }


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def question_rows(scope) -> Iterator[dict[str, Any]]:
    """One row per answer: the question's key in the instrument's definition, and the answer as given."""
    for values in _values(scope, "answers", "version__instrument__key"):
        answers = values["answers"] if isinstance(values["answers"], dict) else {}
        for order, (question, answer) in enumerate(answers.items(), start=1):
            yield {
                "AssessmentQuestionID": f"{values['pk']}-{order}",
                "AssessmentID": str(values["pk"]),
                "EnrollmentID": str(values["enrollment_pk"]),
                "PersonalID": str(values["participant_id"]),
                "AssessmentQuestionGroup": values["version__instrument__key"],
                "AssessmentQuestionOrder": order,
                "AssessmentQuestion": question,
                "AssessmentAnswer": _text(answer) if answer is not None else None,
                **trailer(scope, values["created_at"], values["updated_at"]),
            }


def result_rows(scope) -> Iterator[dict[str, Any]]:
    """One row per figure of the score (a total, a band, a subscale)."""
    for values in _values(scope, "score"):
        score = values["score"] if isinstance(values["score"], dict) else {}
        for order, (kind, result) in enumerate(score.items(), start=1):
            yield {
                "AssessmentResultID": f"{values['pk']}-{order}",
                "AssessmentID": str(values["pk"]),
                "EnrollmentID": str(values["enrollment_pk"]),
                "PersonalID": str(values["participant_id"]),
                "AssessmentResultType": kind,
                "AssessmentResult": _text(result) if result is not None else None,
                **trailer(scope, values["created_at"], values["updated_at"]),
            }
