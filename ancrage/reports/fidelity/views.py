"""Pages of fidelity: the program's scores with the data behind them, the self-assessment, the people behind a
figure, the history chart, and the XLSX and PDF exports."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from ancrage.core import exports
from ancrage.core.audit import record_reads
from ancrage.core.permissions import require_permission
from ancrage.core.views_helpers import apply_service_errors
from ancrage.reports.fidelity import indicators as ind
from ancrage.reports.fidelity import periods, services
from ancrage.reports.fidelity import selectors as sel
from ancrage.reports.fidelity.forms import AssessmentForm, FilterForm


def _choice(request):
    """The program and quarter asked for: a program the reader may not score is a 404; no program at all, 403."""
    programs = list(sel.programs_for(request.user))
    if not programs:
        raise PermissionDenied
    form = FilterForm(request.GET or None, programs=programs)
    program_id, period = form.values()
    # An id that is not one of the reader's programs looks like one that does not exist.
    if request.GET.get("program") and not form.is_valid() and "program" in form.errors:
        raise Http404
    program = next((p for p in programs if p.pk == program_id), None)
    if program is None:
        raise Http404
    found = periods.bounds(period)
    if found is None:
        period = periods.default()
        found = periods.bounds(period)
    assert found is not None
    start, end = found
    return form, programs, program, period, start, end


def fidelity_data(program, period: str, start, end) -> dict:
    """Everything the page, the exports and the API show: items by domain, the domain and overall scores."""
    report = sel.compute(program, start, end)
    assessment = sel.assessment_for(program, start, end)
    answers = assessment.answers if assessment else {}
    computed_scores = {key: r.score for key, r in report.results.items()}
    domains = ind.domain_scores(computed_scores, {k: v.get("score") for k, v in answers.items()})
    sections = []
    for key, title in ind.DOMAINS.items():
        sections.append(
            {
                "key": key,
                "title": title,
                "score": domains[key],
                "computed": [
                    {
                        "item": item,
                        "result": report.results[item.key],
                        "thresholds": ind.thresholds_text(item),
                    }
                    for item in ind.COMPUTED
                    if item.domain == key
                ],
                "assessed": [
                    {"item": item, "answer": answers.get(item.key)} for item in ind.SELF if item.domain == key
                ],
            }
        )
    return {
        "program": program,
        "period": period,
        "period_label": periods.label(period),
        "start": start,
        "end": end,
        "report": report,
        "assessment": assessment,
        "sections": sections,
        "domains": domains,
        "overall": ind.overall(domains),
    }


def _chart(history) -> dict:
    """A server-drawn line chart of the overall score (1–4) of each assessed quarter. Coordinates are strings
    with a dot: a template would write a float with the reader's decimal comma, which SVG does not read."""
    width, height, left, right, top, bottom = 560, 220, 40, 20, 20, 40
    points = [(a, a.overall) for a in history if a.overall is not None]
    n = len(points)
    step = (width - left - right) / max(n - 1, 1)

    def y(score) -> float:
        return top + (4 - float(score)) / 3 * (height - top - bottom)

    def num(value: float) -> str:
        return f"{value:.1f}"

    drawn = []
    for index, (assessment, score) in enumerate(points):
        x = left + (index * step if n > 1 else (width - left - right) / 2)
        drawn.append(
            {
                "x": num(x),
                "y": num(y(score)),
                "value_y": num(y(score) - 10),
                "score": score,
                "label": periods.label(periods.key_of(assessment.period_start)),
            }
        )
    return {
        "width": width,
        "height": height,
        "points": drawn,
        "polyline": " ".join(f"{p['x']},{p['y']}" for p in drawn),
        "grid": [{"score": s, "y": num(y(s))} for s in (1, 2, 3, 4)],
        "left": left,
        "tick_x": left - 8,
        "right": width - right,
        "label_y": height - bottom + 18,
    }


def _query(program, period) -> str:
    return urlencode({"program": program.pk, "period": period})


@require_permission("reports.view_fidelity")
def fidelity(request):
    form, _programs, program, period, start, end = _choice(request)
    data = fidelity_data(program, period, start, end)
    history = sel.history(program)
    return render(
        request,
        "reports/fidelity.html",
        {
            **data,
            "form": form,
            "history": [
                {
                    "assessment": a,
                    "label": periods.label(periods.key_of(a.period_start)),
                    "domains": [a.domain_scores.get(k) for k in ind.DOMAINS],
                }
                for a in reversed(history)
            ],
            "domain_titles": list(ind.DOMAINS.values()),
            "chart": _chart(history),
            "query": _query(program, period),
            "can_assess": request.user.has_ancrage_perm("reports.assess_fidelity"),
        },
    )


@require_permission("reports.assess_fidelity")
def fidelity_assess(request):
    _form, _programs, program, period, start, end = _choice(request)
    assessment = sel.assessment_for(program, start, end)
    initial = assessment.answers if assessment else {}
    if request.method == "POST":
        form = AssessmentForm(request.POST, initial_answers=initial)
        if form.is_valid():
            try:
                services.assessment_save(
                    actor=request.user, program=program, start=start, end=end, answers=form.answers()
                )
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("The self-assessment is saved."))
                return redirect(f"{reverse('reports:fidelity')}?{_query(program, period)}")
    else:
        form = AssessmentForm(initial_answers=initial)
    by_domain = [
        {"title": title, "rows": [row for row in form.rows() if row[0].domain == key]}
        for key, title in ind.DOMAINS.items()
    ]
    return render(
        request,
        "reports/fidelity_assess.html",
        {
            "form": form,
            "by_domain": [d for d in by_domain if d["rows"]],
            "program": program,
            "period": period,
            "period_label": periods.label(period),
            "assessment": assessment,
            "query": _query(program, period),
        },
    )


@require_permission("reports.view_fidelity")
def fidelity_people(request):
    """The people behind one computed figure, only those the reader may see (and how many others)."""
    _form, _programs, program, period, start, end = _choice(request)
    item = ind.COMPUTED_BY_KEY.get(request.GET.get("item") or ind.COMPUTED[0].key)
    if item is None:
        raise Http404
    report = sel.compute(program, start, end)
    result = report.results[item.key]
    people, hidden = sel.people_behind(request.user, result)
    code = (
        "reports.fidelity.people_viewed"
        if item.category == "housing"
        else "reports.fidelity.casework_people_viewed"
    )
    record_reads(actor=request.user, reads=[(p.pk, code) for p in people])
    return render(
        request,
        "reports/fidelity_people.html",
        {
            "item": item,
            "people": people,
            "hidden_count": hidden,
            "program": program,
            "period_label": periods.label(period),
            "query": _query(program, period),
        },
    )


def _value(result: ind.Result) -> str:
    if result.value is None:
        return _("no data")
    return f"{result.value} {result.item.unit}"


def table_rows(data: dict) -> list[list]:
    """The page as rows: domain, item, how it is known, figure, counts, score, thresholds or anchor."""
    rows: list[list] = []
    for section in data["sections"]:
        for entry in section["computed"]:
            result = entry["result"]
            rows.append(
                [
                    str(section["title"]),
                    str(entry["item"].title),
                    _("From the data"),
                    _value(result),
                    "" if result.numerator is None else result.numerator,
                    "" if result.denominator is None else result.denominator,
                    result.score,
                    str(entry["item"].definition) + " " + entry["thresholds"],
                ]
            )
        for entry in section["assessed"]:
            answer = entry["answer"] or {}
            score = answer.get("score")
            rows.append(
                [
                    str(section["title"]),
                    str(entry["item"].title),
                    _("Self-assessment"),
                    "",
                    "",
                    "",
                    score,
                    str(entry["item"].anchors[score - 1]) if score else _("Not assessed"),
                ]
            )
        rows.append([str(section["title"]), _("Domain score"), "", "", "", "", section["score"], ""])
    rows.append([_("Overall"), _("Program score"), "", "", "", "", data["overall"], ""])
    return rows


@require_permission("reports.view_fidelity")
def fidelity_export(request):
    _form, _programs, program, period, start, end = _choice(request)
    data = fidelity_data(program, period, start, end)
    header = [
        _("Domain"),
        _("Item"),
        _("Source"),
        _("Figure"),
        _("Counted"),
        _("Out of"),
        _("Score (1–4)"),
        _("Definition and thresholds"),
    ]
    response, _count = exports.table_response(
        filename_stem=_("fidelity") + f"-{program.pk}-{period}",
        header=header,
        rows=table_rows(data),
        as_xlsx=exports.wants_xlsx(request),
        sheet_title=_("Fidelity"),
    )
    return response


@require_permission("reports.view_fidelity")
def fidelity_pdf(request):
    from ancrage.reports.fidelity.pdf import fidelity_pdf as build

    _form, _programs, program, period, start, end = _choice(request)
    data = fidelity_data(program, period, start, end)
    response = HttpResponse(build(data, table_rows(data)), content_type="application/pdf")
    response["Content-Disposition"] = exports.content_disposition(
        _("fidelity") + f"-{program.pk}-{period}", "pdf"
    )
    return response
