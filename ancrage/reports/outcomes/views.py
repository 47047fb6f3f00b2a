"""Pages of the outcomes report: the figures, the people behind one of them, and its XLSX and PDF exports."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from ancrage.core import exports
from ancrage.core.audit import record_reads
from ancrage.core.permissions import require_permission
from ancrage.reports.outcomes import labels, present
from ancrage.reports.outcomes import selectors as sel
from ancrage.reports.outcomes.forms import OutcomesFilterForm
from ancrage.reports.outcomes.pdf import outcomes_pdf

PEOPLE_SHOWN = 500


def _report(request):
    programs = list(sel.programs_for(request.user))
    organisations = sorted({p.organisation for p in programs}, key=lambda o: o.short_name)
    form = OutcomesFilterForm(request.GET or None, organisations=organisations, programs=programs)
    report = sel.outcomes_report(request.user, form.filters())
    return form, report


def _threshold() -> int:
    return settings.ANCRAGE["SMALL_COUNT_THRESHOLD"]


def _filters_query(request) -> str:
    query = request.GET.copy()
    for key in ("figure", "group", "format"):
        query.pop(key, None)
    return query.urlencode()


@require_permission("reports.view_outcomes")
def outcomes(request):
    form, report = _report(request)
    threshold = _threshold()
    return render(
        request,
        "reports/outcomes.html",
        {
            "form": form,
            "report": report,
            "tables": present.tables(report, threshold),
            "small_counts": present.SMALL_COUNTS_NOTE % {"n": threshold},
            "query": _filters_query(request),
        },
    )


def _figure_label(figure: str) -> str:
    parts = figure.split(":")
    if parts[0] == "month":
        return f"{labels.COMMUNITY_LABELS[parts[2]]} — {parts[1]}"
    if parts[0] == "instrument":
        return _("%(what)s — follow-up %(n)s") % {"what": labels.CHANGE_LABELS[parts[3]], "n": parts[2]}
    return str(labels.FIGURE_LABELS[figure])


@require_permission("reports.view_outcomes")
def outcomes_people(request):
    """The people behind one figure whose information of that kind the reader may see, and only them; each
    read recorded, all in one statement."""
    figure = request.GET.get("figure") or "cohort_12"
    group = request.GET.get("group", "")
    _form, report = _report(request)
    ids = report.people_of(figure, group)
    if ids is None:
        raise Http404
    people = list(sel.people_behind(request.user, figure, ids)[:PEOPLE_SHOWN])
    action = sel.READ_ACTIONS[sel.figure_category(figure)]
    record_reads(actor=request.user, reads=[(p.pk, action) for p in people])
    distinct = len(set(ids))
    return render(
        request,
        "reports/outcomes_people.html",
        {
            "people": people,
            "figure_label": _figure_label(figure),
            "group_label": labels.group_label(group) if group else "",
            "report": report,
            "counted": distinct,
            "hidden_count": max(distinct - len(people), 0),
            "query": _filters_query(request),
        },
    )


def _flat_rows(tables: list[present.Table]):
    """Every table as rows of (table, row, column, value): one sheet that keeps every figure."""
    for table in tables:
        for row in table.rows:
            label, *cells = row
            for column, cell in zip(table.header[1:], cells, strict=True):
                yield [table.title, str(label), column, cell.text if cell.hidden else cell.value]


@require_permission("reports.view_outcomes")
def outcomes_export(request):
    _form, report = _report(request)
    tables = present.tables(report, _threshold())
    filters = report.filters
    preamble = [
        [_("Outcomes"), _("Period"), str(filters.start), str(filters.end)],
    ]
    response, _count = exports.table_response(
        filename_stem=_("outcomes"),
        header=[_("Table"), _("Row"), _("Column"), _("Value")],
        rows=[*preamble, *_flat_rows(tables)],
        as_xlsx=exports.wants_xlsx(request),
        sheet_title=_("Outcomes"),
    )
    return response


@require_permission("reports.view_outcomes")
def outcomes_pdf_view(request):
    form, report = _report(request)
    tables = present.tables(report, _threshold())
    data = outcomes_pdf(
        report=report,
        tables=tables,
        filters_text=_describe_filters(form, report),
        small_counts=str(present.SMALL_COUNTS_NOTE % {"n": _threshold()}),
    )
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = exports.content_disposition(_("outcomes"), "pdf")
    return response


def _describe_filters(form: OutcomesFilterForm, report: sel.OutcomesReport) -> str:
    """The filters in words, for the PDF's heading."""
    parts = []
    if form.is_valid():
        for name in ("organisation", "program", "indigenous", "gender", "age"):
            value = form.cleaned_data.get(name)
            if value:
                choices = dict(form.fields[name].choices)  # type: ignore[attr-defined]
                parts.append(
                    _("%(label)s: %(value)s")
                    % {"label": form.fields[name].label, "value": choices.get(value, value)}
                )
    people = present.Disclosure(_threshold()).count(report.population)
    parts.append(_("%(n)s people counted") % {"n": people.text})
    return " · ".join(str(p) for p in parts)
