"""API v1 for assessments: a participant's administrations, starting one, saving answers, the score.

The same selectors, services and permissions as the pages. Assessments are health information: a file the
caller may not open, or whose health information they may not read, is a 404; a caller who may open the
file but whose role does not allow the action gets a 403.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from ancrage.assessments import selectors, services
from ancrage.assessments.forms import localized
from ancrage.assessments.models import Administration
from ancrage.core.api_types import JsonObject, Search, errors
from ancrage.core.permissions import check_record_permission
from ancrage.people.selectors import participants_visible_to

router = Router(tags=["assessments"])


def _check_file(request, participant_pk: int, perm: str) -> None:
    """404 for a file the caller may not open, and without the permission: the same answer either way."""
    if not participants_visible_to(request.user).filter(pk=participant_pk).exists():
        raise Http404
    check_record_permission(request.user, perm)


def _band_label(definition: dict[str, Any], band: str | None) -> str:
    for item in definition.get("bands", []):
        if item["key"] == band:
            return localized(item["label"])
    return ""


class AdministrationOut(Schema):
    id: int
    participant_id: int
    instrument: str
    title: str
    version: str
    status: str
    status_label: str
    status_reason: str
    started_at: datetime.datetime
    completed_at: datetime.datetime | None
    administered_by: str
    total: float | None
    band: str | None
    band_label: str

    @staticmethod
    def fields_of(a: Administration) -> dict[str, Any]:
        definition = a.version.definition
        scored = a.status == Administration.Status.COMPLETED and bool(a.score)
        return {
            "id": a.pk,
            "participant_id": a.participant_id,
            "instrument": a.version.instrument.key,
            "title": localized(definition.get("title")),
            "version": a.version.version,
            "status": a.status,
            "status_label": str(a.get_status_display()),
            "status_reason": a.status_reason,
            "started_at": a.started_at,
            "completed_at": a.completed_at,
            "administered_by": a.administered_by.display_name,
            "total": a.score.get("total") if scored else None,
            "band": a.score.get("band") if scored else None,
            "band_label": _band_label(definition, a.score.get("band")) if scored else "",
        }

    @staticmethod
    def of(a: Administration) -> AdministrationOut:
        return AdministrationOut(**AdministrationOut.fields_of(a))


class AdministrationDetailOut(AdministrationOut):
    answers: dict[str, Any]
    score: dict[str, Any] | None

    @staticmethod
    def of(a: Administration) -> AdministrationDetailOut:  # type: ignore[override]
        completed = a.status == Administration.Status.COMPLETED
        return AdministrationDetailOut(
            **AdministrationOut.fields_of(a), answers=a.answers, score=a.score if completed else None
        )


class StartIn(Schema):
    instrument: Search = Field(..., description="The instrument's key, such as acuity_screener.")


class AnswersIn(Schema):
    answers: JsonObject = Field(default_factory=dict, description="{question key: value}; empty clears.")
    complete: bool = Field(False, description="Also complete: every required question must be answered.")


class ScoreOut(Schema):
    administration_id: int
    total: float
    max_total: float | None
    band: str | None
    band_label: str
    sections: dict[str, Any]
    derived: dict[str, Any]
    points: dict[str, Any]
    answered: int
    refused: list[str]
    doesnt_know: list[str]


def _administration(request, administration_pk: int, perm: str) -> Administration:
    participant_pk = (
        Administration.objects.filter(pk=administration_pk).values_list("participant_id", flat=True).first()
    )
    if participant_pk is None:
        raise Http404
    _check_file(request, participant_pk, perm)
    return selectors.administration_get_for_user(request.user, participant_pk, administration_pk)


@router.get(
    "participants/{pk}/administrations",
    response={200: list[AdministrationOut], **errors()},
    summary="A participant's assessments",
)
def list_administrations(request, pk: int):
    _check_file(request, pk, "assessments.view")
    selectors.participant_access_for_assessments(request.user, pk, log_read=True)
    return [AdministrationOut.of(a) for a in selectors.administrations_for_participant(request.user, pk)]


@router.post(
    "participants/{pk}/administrations",
    response={201: AdministrationDetailOut, **errors()},
    summary="Start an assessment with the newest version of an instrument",
)
def start_administration(request, pk: int, payload: StartIn):
    _check_file(request, pk, "assessments.administer")
    access = selectors.participant_access_for_assessments(request.user, pk)
    version = next(
        (
            v
            for v in selectors.latest_instrument_versions(selectors.assessment_categories(access))
            if v.instrument.key == payload.instrument
        ),
        None,
    )
    if version is None:
        raise ValidationError({"instrument": [_("Unknown instrument.")]})
    administration = services.administration_start(
        actor=request.user, participant=access.participant, version=version
    )
    return Status(
        201,
        AdministrationDetailOut.of(
            selectors.administration_get_for_user(request.user, pk, administration.pk)
        ),
    )


@router.get(
    "administrations/{administration_pk}",
    response={200: AdministrationDetailOut, **errors()},
    summary="One assessment: its answers, and its score once completed",
)
def get_administration(request, administration_pk: int):
    return AdministrationDetailOut.of(_administration(request, administration_pk, "assessments.view"))


@router.post(
    "administrations/{administration_pk}/answers",
    response={200: AdministrationDetailOut, **errors()},
    summary="Save answers (a partial save is fine); complete=true also completes and scores",
)
def save_answers(request, administration_pk: int, payload: AnswersIn):
    administration = _administration(request, administration_pk, "assessments.administer")
    services.administration_save_answers(
        actor=request.user, administration=administration, answers=payload.answers, complete=payload.complete
    )
    return AdministrationDetailOut.of(
        selectors.administration_get_for_user(request.user, administration.participant_id, administration.pk)
    )


@router.get(
    "administrations/{administration_pk}/score",
    response={200: ScoreOut, **errors()},
    summary="The score of a completed assessment (422 while it is not completed)",
)
def get_score(request, administration_pk: int):
    administration = _administration(request, administration_pk, "assessments.view")
    result = services.administration_score(administration)
    return ScoreOut(
        administration_id=administration.pk,
        total=result["total"],
        max_total=result.get("max_total"),
        band=result["band"],
        band_label=_band_label(administration.version.definition, result["band"]),
        sections=result["sections"],
        derived=result["derived"],
        points=result["points"],
        answered=result["answered"],
        refused=result["refused"],
        doesnt_know=result["doesnt_know"],
    )
