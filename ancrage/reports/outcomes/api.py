"""API (v1) of the outcomes report: the page's figures as JSON, with the same filters and the same small-count
protection (figures only: nobody is named)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Literal

from django.conf import settings
from django.core.exceptions import ValidationError
from ninja import Field, Router, Schema

from ancrage.core.api_types import Date, Id, errors
from ancrage.core.permissions import check_permission
from ancrage.reports.outcomes import present
from ancrage.reports.outcomes import selectors as sel
from ancrage.reports.outcomes.forms import OutcomesFilterForm

router = Router(tags=["reports: outcomes"])


class OutcomesRowOut(Schema):
    label: str
    values: list[int | Decimal | None] = Field(
        ..., description="One value per column after the first; null when hidden (small count) or empty."
    )
    hidden: list[bool] = Field(..., description="Whether each value is hidden because it is a small count.")


class OutcomesTableOut(Schema):
    key: str
    title: str
    definition: str
    columns: list[str]
    rows: list[OutcomesRowOut]


class OutcomesReportOut(Schema):
    start: datetime.date
    end: datetime.date
    small_count_threshold: int
    retention_gap_days: int
    tables: list[OutcomesTableOut]


@router.get(
    "reports/outcomes",
    response={200: OutcomesReportOut, **errors()},
    summary="Outcomes: retention, time to housing, exits, returns, community figures by month, instrument "
    "changes and the equity view (figures only, small counts hidden)",
)
def get_outcomes(
    request,
    start: Date | None = None,
    end: Date | None = None,
    organisation_id: Id | None = None,
    program_id: Id | None = None,
    indigenous: Literal["first_nations", "metis", "inuit", "not_indigenous", "not_said"] | None = None,
    gender: Literal["woman", "man", "gender_diverse", "not_said"] | None = None,
    age: Literal["under_25", "25_39", "40_54", "55_plus", "not_said"] | None = None,
    breakdown: Literal["indigenous", "gender", "age"] = "indigenous",
):
    check_permission(request.user, "reports.view_outcomes")
    programs = list(sel.programs_for(request.user))
    organisations = {p.organisation for p in programs}
    raw = {
        "start": start.isoformat() if start else "",
        "end": end.isoformat() if end else "",
        "organisation": organisation_id or "",
        "program": program_id or "",
        "indigenous": indigenous or "",
        "gender": gender or "",
        "age": age or "",
        "breakdown": breakdown,
    }
    form = OutcomesFilterForm(raw, organisations=organisations, programs=programs)
    if not form.is_valid():
        # An organisation or program of another consortium is an unknown choice, as one that does not exist.
        names = {"organisation": "organisation_id", "program": "program_id"}
        raise ValidationError({names.get(k, k): v for k, v in form.errors.items()})
    report = sel.outcomes_report(request.user, form.filters())
    threshold = settings.ANCRAGE["SMALL_COUNT_THRESHOLD"]
    return OutcomesReportOut(
        start=report.filters.start,
        end=report.filters.end,
        small_count_threshold=threshold,
        retention_gap_days=report.gap_days,
        tables=[
            OutcomesTableOut(
                key=table.key,
                title=str(table.title),
                definition=str(table.definition),
                columns=[str(c) for c in table.header],
                rows=[
                    OutcomesRowOut(
                        label=str(label),
                        values=[cell.shown for cell in cells],
                        hidden=[cell.hidden for cell in cells],
                    )
                    for label, *cells in table.rows
                ],
            )
            for table in present.tables(report, threshold)
        ],
    )
