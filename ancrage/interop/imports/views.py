"""Pages of HMIS imports: the list, the upload, an import's progress and data-quality report, its download."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ancrage.core import audit, exports
from ancrage.core.permissions import require_permission
from ancrage.core.views_helpers import apply_service_errors, paginate
from ancrage.interop.hmis.problems import message
from ancrage.interop.imports import selectors, services, tasks
from ancrage.interop.imports.forms import ImportUploadForm
from ancrage.interop.models import HmisImport, ImportProblem


@require_permission("interop.import_hmis")
def import_list(request):
    page = paginate(request, selectors.imports_for_user(request.user))
    return render(request, "interop/import_list.html", {"page": page})


@require_permission("interop.import_hmis")
def import_upload(request):
    form = ImportUploadForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            hmis_import = services.import_receive(
                actor=request.user,
                organisation=form.cleaned_data["organisation"],
                source=form.cleaned_data["source"],
                upload=upload,
                original_name=upload.name,
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            if hmis_import.status == HmisImport.Status.QUEUED:
                tasks.queue(hmis_import)
                messages.success(request, _("The export's structure is sound: its rows are being imported."))
            else:
                messages.error(request, _("This export cannot be imported: the report says why."))
            return redirect("interop:import_detail", pk=hmis_import.pk)
    return render(request, "interop/import_upload.html", {"form": form})


def _filters(request) -> tuple[str, str]:
    file = request.GET.get("file", "")[:60]
    severity = request.GET.get("severity", "")
    if severity not in {"", "error", "warning"}:
        severity = ""
    return file, severity


def _problem_rows(page) -> list[dict]:
    return [{"p": p, "message": message(p.code, p.params)} for p in page]


@require_permission("interop.import_hmis")
def import_detail(request, pk: int):
    hmis_import = selectors.import_get_for_user(request.user, pk)
    file, severity = _filters(request)
    page = paginate(request, selectors.problems_of(hmis_import, file=file, severity=severity), per_page=50)
    duplicates = list(selectors.proposed_duplicates(request.user, hmis_import)[:50])
    audit.record(
        actor=request.user,
        action="interop.import.report_viewed",
        obj=hmis_import,
        organisation=hmis_import.organisation,
        data={"page": page.number},
    )
    if duplicates:
        # The pairs show names and birth dates: one read entry per file shown.
        audit.record_reads(
            actor=request.user,
            reads=[
                (pk, "people.participant.listed")
                for d in duplicates
                for pk in (d.participant_id, d.candidate_id)
            ],
            data={"from": "hmis import"},
        )
    context = {
        "imp": hmis_import,
        "page": page,
        "rows": _problem_rows(page),
        "files": selectors.summary_by_file(hmis_import),
        "file": file,
        "severity": severity,
        "duplicates": duplicates,
        "severities": ImportProblem.Severity.choices,
    }
    return render(request, "interop/import_detail.html", context)


@require_permission("interop.import_hmis")
def import_progress(request, pk: int):
    """The progress bar alone, polled by htmx while the import runs; the whole page once it is over."""
    hmis_import = selectors.import_get_for_user(request.user, pk)
    response = render(request, "interop/import_progress.html", {"imp": hmis_import})
    if not hmis_import.is_running and request.htmx:
        response["HX-Refresh"] = "true"
    return response


@require_permission("interop.import_hmis")
def import_report(request, pk: int):
    """The data-quality report as a workbook or, with ?format=csv, a CSV (through core/exports)."""
    hmis_import = selectors.import_get_for_user(request.user, pk)
    as_xlsx = exports.wants_xlsx(request)
    header = [_("File"), _("Row"), _("Column"), _("Value"), _("Severity"), _("Problem")]
    labels = dict(ImportProblem.Severity.choices)

    def rows():
        for p in hmis_import.problems.order_by("id").iterator(chunk_size=2000):
            yield [
                p.file,
                p.row,
                p.column,
                p.value,
                str(labels.get(p.severity, p.severity)),
                message(p.code, p.params),
            ]

    # Translators: the start of an exported file's name: words joined by hyphens, no spaces.
    stem = _("data-quality-report")
    response, count = exports.table_response(
        filename_stem=f"{stem}-{hmis_import.pk}",
        header=header,
        rows=rows(),
        as_xlsx=as_xlsx,
        sheet_title=str(_("Data-quality report")),
    )
    audit.record(
        actor=request.user,
        action="interop.import.report_downloaded",
        obj=hmis_import,
        organisation=hmis_import.organisation,
        data={"rows": count, "format": "xlsx" if as_xlsx else "csv"},
    )
    return response
