"""The export page: the question on a form; once answered, the zip, streamed as it is built."""

from __future__ import annotations

from django.http import StreamingHttpResponse
from django.shortcuts import render

from ancrage.core.exports import content_disposition
from ancrage.core.permissions import require_permission
from ancrage.interop.hmis.export import selectors, services
from ancrage.interop.hmis.export.forms import ExportForm

ZIP_CONTENT_TYPE = "application/zip"


def zip_response(stream: services.ExportStream) -> StreamingHttpResponse:
    response = StreamingHttpResponse(stream.chunks(), content_type=ZIP_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition(stream.filename, "zip")
    # Built while it is sent: no length is known, and no proxy should hold it whole.
    response["X-Accel-Buffering"] = "no"
    response["Cache-Control"] = "no-store"
    return response


@require_permission("interop.export_hmis")
def export_page(request):
    programs = list(selectors.programs_exportable(request.user))
    asked = "start" in request.GET or "end" in request.GET or "programs" in request.GET
    form = ExportForm(request.GET if asked else None, programs=programs)
    if asked and form.is_valid():
        data = form.cleaned_data
        try:
            stream = services.hmis_export(
                actor=request.user,
                start=data["start"],
                end=data["end"],
                program_ids=data["programs"],
                hashed=data["hashed"],
            )
        except services.ExportRefusedError as refused:
            form.add_error(None, str(refused))
        else:
            return zip_response(stream)
    return render(request, "interop/export.html", {"form": form, "programs": programs})
