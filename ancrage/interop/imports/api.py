"""API (v1) of HMIS imports: start an import (the zip in the JSON body, base64), read its status and its
data-quality report. Same permission and selectors as the pages; the load runs in the background."""

from __future__ import annotations

import base64
import binascii
import datetime

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from ancrage.core.api_types import Id, MappedPage, Pagination, Text, errors
from ancrage.core.permissions import check_permission
from ancrage.interop.hmis.problems import message
from ancrage.interop.imports import selectors, services, tasks
from ancrage.interop.models import HmisImport, ImportProblem
from ancrage.organisations.models import Organisation

router = Router(tags=["hmis imports"])


class HmisImportIn(Schema):
    organisation_id: Id = Field(..., description="The organisation that will hold the imported participants.")
    source: Text = Field(..., min_length=1, max_length=60, description="The other system's name.")
    file_name: Text = Field("export.zip", max_length=255)
    content_base64: str = Field(
        ...,
        description="The zip, base64-encoded. The body is limited by DATA_UPLOAD_MAX_MEMORY_SIZE; larger exports "
        "go through the page or `manage.py hmis_import`.",
    )


class HmisImportOut(Schema):
    id: int
    source: str
    organisation_id: int
    file_name: str
    uploaded_at: datetime.datetime
    status: str
    status_label: str
    stage: str
    rows_done: int
    rows_total: int
    percent: int
    csv_version: str
    counts: dict
    errors: int
    warnings: int

    @staticmethod
    def of(imp: HmisImport) -> HmisImportOut:
        problems = imp.problems.all()
        return HmisImportOut(
            id=imp.pk,
            source=imp.source,
            organisation_id=imp.organisation_id,
            file_name=imp.original_name,
            uploaded_at=imp.uploaded_at,
            status=imp.status,
            status_label=str(imp.get_status_display()),
            stage=imp.stage,
            rows_done=imp.rows_done,
            rows_total=imp.rows_total,
            percent=imp.percent,
            csv_version=imp.csv_version,
            counts=imp.counts,
            errors=problems.filter(severity="error").count(),
            warnings=problems.filter(severity="warning").count(),
        )


class HmisImportProblemOut(Schema):
    file: str
    row: int | None
    column: str
    value: str
    severity: str
    code: str
    message: str = Field(..., description="In the caller's language.")

    @staticmethod
    def of(p: ImportProblem) -> HmisImportProblemOut:
        return HmisImportProblemOut(
            file=p.file,
            row=p.row,
            column=p.column,
            value=p.value,
            severity=p.severity,
            code=p.code,
            message=message(p.code, p.params),
        )


@router.post("hmis-imports", response={201: HmisImportOut, **errors()}, summary="Start an HMIS CSV import")
def create_hmis_import(request, payload: HmisImportIn):
    check_permission(request.user, "interop.import_hmis")
    organisation = Organisation.objects.filter(
        pk=payload.organisation_id, pk__in=request.user.organisation_ids
    ).first()
    if organisation is None or not organisation.can_hold_participants:
        raise ValidationError(
            {"organisation_id": [_("Choose one of your organisations that holds participants.")]}
        )
    try:
        data = base64.b64decode(payload.content_base64, validate=True)
    except (binascii.Error, ValueError):
        raise ValidationError({"content_base64": [_("This is not base64-encoded content.")]}) from None
    hmis_import = services.import_receive(
        actor=request.user,
        organisation=organisation,
        source=payload.source,
        upload=ContentFile(data, name="export.zip"),
        original_name=payload.file_name,
    )
    if hmis_import.status == HmisImport.Status.QUEUED:
        tasks.queue(hmis_import)
        hmis_import.refresh_from_db()
    return Status(201, HmisImportOut.of(hmis_import))


@router.get(
    "hmis-imports/{import_pk}", response={200: HmisImportOut, **errors()}, summary="An HMIS import's status"
)
def get_hmis_import(request, import_pk: int):
    check_permission(request.user, "interop.import_hmis")
    return HmisImportOut.of(selectors.import_get_for_user(request.user, import_pk))


@router.get(
    "hmis-imports/{import_pk}/problems",
    response={200: list[HmisImportProblemOut], **errors()},
    summary="An HMIS import's data-quality report",
)
@paginate(Pagination, page_size=100)
def list_hmis_import_problems(request, import_pk: int, severity: str = ""):
    check_permission(request.user, "interop.import_hmis")
    from ancrage.core import audit

    hmis_import = selectors.import_get_for_user(request.user, import_pk)
    audit.record(
        actor=request.user,
        action="interop.import.report_viewed",
        obj=hmis_import,
        organisation=hmis_import.organisation,
        data={"from": "api"},
    )
    severity = severity if severity in {"error", "warning"} else ""
    return MappedPage(selectors.problems_of(hmis_import, severity=severity), HmisImportProblemOut.of)
