"""API (v1) of fidelity (G5): a program's fidelity figures for a quarter, the same as the page's (names nobody)."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from ancrage.core.api_types import Id, errors
from ancrage.core.permissions import check_permission
from ancrage.reports.fidelity import periods
from ancrage.reports.fidelity import selectors as sel

router = Router(tags=["reports: fidelity"])

Quarter = Annotated[str, Field(pattern=r"^\d{4}-Q[1-4]$", description="A quarter, e.g. 2026-Q3.")]


class FidelityItemOut(Schema):
    key: str
    domain: str
    title: str
    source: str = Field(..., description="“data” (computed) or “self_assessment”.")
    value: Decimal | None
    unit: str
    counted: int | None
    out_of: int | None
    score: int | None = Field(..., description="1 to 4; null without data or without an answer.")


class FidelityDomainOut(Schema):
    key: str
    title: str
    score: Decimal | None


class FidelityOut(Schema):
    program_id: int
    period: str
    start: str
    end: str
    score: Decimal | None
    assessed: bool
    domains: list[FidelityDomainOut]
    items: list[FidelityItemOut]


@router.get(
    "reports/fidelity",
    response={200: FidelityOut, **errors()},
    summary="A program's Housing First fidelity scores for a quarter, by domain and item (names nobody)",
)
def get_fidelity(request, program_id: Id | None = None, period: Quarter | None = None):
    from ancrage.reports.fidelity.views import fidelity_data

    check_permission(request.user, "reports.view_fidelity")
    if program_id is None:
        # The caller's first program, as on the page; none to score: 403, like the page.
        first = sel.programs_for(request.user).first()
        if first is None:
            raise PermissionDenied
        program_id = first.pk
    program = sel.program_get_for_user(request.user, program_id)
    period = period or periods.default()
    found = periods.bounds(period)
    if found is None:
        raise ValidationError({"period": [_("Choose a quarter between 1900 and 9998.")]})
    start, end = found
    data = fidelity_data(program, period, start, end)
    items: list[FidelityItemOut] = []
    for section in data["sections"]:
        for entry in section["computed"]:
            result = entry["result"]
            items.append(
                FidelityItemOut(
                    key=entry["item"].key,
                    domain=section["key"],
                    title=str(entry["item"].title),
                    source="data",
                    value=result.value,
                    unit=str(entry["item"].unit),
                    counted=result.numerator,
                    out_of=result.denominator,
                    score=result.score,
                )
            )
        for entry in section["assessed"]:
            answer = entry["answer"] or {}
            items.append(
                FidelityItemOut(
                    key=entry["item"].key,
                    domain=section["key"],
                    title=str(entry["item"].title),
                    source="self_assessment",
                    value=None,
                    unit="",
                    counted=None,
                    out_of=None,
                    score=answer.get("score"),
                )
            )
    return FidelityOut(
        program_id=program.pk,
        period=period,
        start=start.isoformat(),
        end=end.isoformat(),
        score=data["overall"],
        assessed=data["assessment"] is not None,
        domains=[
            FidelityDomainOut(key=s["key"], title=str(s["title"]), score=s["score"]) for s in data["sections"]
        ],
        items=items,
    )
