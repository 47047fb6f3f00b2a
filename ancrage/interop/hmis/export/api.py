"""The export as an API operation: the same question as the page, the zip streamed as it is built."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from ninja import Query, Router

from ancrage.core import clock
from ancrage.core.api_types import errors
from ancrage.core.permissions import check_permission
from ancrage.interop.hmis.export import selectors, services
from ancrage.interop.hmis.export.views import zip_response

router = Router(tags=["hmis"])


@router.get(
    "hmis/export",
    response={**errors(401, 403, 422)},
    summary="An HMIS CSV FY2026 export (zip, streamed)",
    description=(
        "The enrollments of the chosen programs active from `start` to `end` (by default the last year and "
        "every program the caller may export), of the people the caller may see, as a zip of the FY2026 HMIS "
        "CSV files. Every person exported is recorded in their file's history."
    ),
    openapi_extra={"responses": {"200": {"description": "The zip", "content": {"application/zip": {}}}}},
)
def hmis_export(
    request,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    programs: list[int] | None = Query(None),  # noqa: B008
    hashed: bool = False,
):
    check_permission(request.user, "interop.export_hmis")
    # Without a period, the last year; without programs, every program the caller may export.
    end = end or clock.today()
    start = start or end - datetime.timedelta(days=365)
    if not programs:
        programs = list(selectors.programs_exportable(request.user).values_list("pk", flat=True))
    try:
        stream = services.hmis_export(
            actor=request.user, start=start, end=end, program_ids=programs, hashed=hashed
        )
    except services.ExportRefusedError as refused:
        raise ValidationError({"__all__": [str(refused)]}) from None
    return zip_response(stream)
