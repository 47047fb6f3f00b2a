"""Pages of the funder reports: the kept reports, one report (page, PDF, workbook), its regeneration, and the
cost per participant (G6). Thin: permission, selector or service, render."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ancrage.core import clock
from ancrage.core.exports import content_disposition, table_response, wants_xlsx
from ancrage.core.permissions import require_permission
from ancrage.reports.funder import costs, presentation, selectors, services
from ancrage.reports.funder.formatting import decimal, money
from ancrage.reports.funder.pdf import report_pdf
from ancrage.reports.models_funder import FunderReport


class RegenerateForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why generate it again"),
        max_length=services.REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("The current version is kept, marked as replaced, with this reason."),
    )


class YearForm(forms.Form):
    year = forms.TypedChoiceField(label=gettext_lazy("Year"), coerce=int, required=False)

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        year = self.fields["year"]
        assert isinstance(year, forms.TypedChoiceField)
        year.choices = [(y, str(y)) for y in years]


def _stem(report: FunderReport) -> str:
    return _("funder-report-%(month)s") % {"month": report.month.strftime("%Y-%m")}


@require_permission("reports.view_funder_reports")
def funder_list(request):
    reports = selectors.reports_for_user(request.user)
    page = Paginator(reports, settings.ANCRAGE["PAGE_SIZE"]).get_page(request.GET.get("page"))
    rows = [{"report": r, "label": presentation.month_label(r.month)} for r in page.object_list]
    return render(request, "reports/funder_list.html", {"page": page, "rows": rows})


def _detail(request, report: FunderReport, form: RegenerateForm | None = None, status: int = 200):
    threshold = report.figures["threshold"]
    context = {
        "report": report,
        "label": presentation.month_label(report.month),
        "tables": presentation.displayed(presentation.tables(report.figures), threshold),
        "threshold": threshold,
        "versions": selectors.versions_of(report),
        "form": form or RegenerateForm(),
        "can_regenerate": report.is_current
        and request.user.has_ancrage_perm("reports.regenerate_funder_reports"),
    }
    return render(request, "reports/funder_detail.html", context, status=status)


@require_permission("reports.view_funder_reports")
def funder_detail(request, pk: int):
    return _detail(request, selectors.report_get_for_user(request.user, pk))


@require_permission("reports.view_funder_reports")
def funder_pdf(request, pk: int):
    report = selectors.report_get_for_user(request.user, pk)
    response = HttpResponse(report_pdf(report), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition(_stem(report), "pdf")
    return response


@require_permission("reports.view_funder_reports")
def funder_export(request, pk: int):
    report = selectors.report_get_for_user(request.user, pk)
    threshold = report.figures["threshold"]
    response, _count = table_response(
        filename_stem=_stem(report),
        header=[_("Section"), _("Group"), _("Figure"), _("Value")],
        rows=presentation.long_rows(presentation.tables(report.figures), threshold),
        as_xlsx=wants_xlsx(request),
        sheet_title=presentation.month_label(report.month),
    )
    return response


@require_permission("reports.regenerate_funder_reports")
def funder_regenerate(request, pk: int):
    report = selectors.report_get_for_user(request.user, pk)
    if request.method != "POST":
        return redirect("reports:funder_detail", pk=report.pk)
    form = RegenerateForm(request.POST)
    if form.is_valid():
        try:
            new = services.funder_report_regenerate(
                actor=request.user, report=report, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            for field_name, errors in exc.message_dict.items():
                form.add_error(field_name if field_name in form.fields else None, errors)
        else:
            messages.success(request, _("The report was generated again; the previous version is kept."))
            return redirect("reports:funder_detail", pk=new.pk)
    return _detail(request, report, form, status=400)


@require_permission("reports.view_funder_reports")
def funder_costs(request):
    today = clock.today()
    years = list(range(today.year, today.year - 6, -1))
    form = YearForm(request.GET or None, years=years)
    year = form.cleaned_data.get("year") if form.is_valid() else None
    view = costs.cost_view(selectors.consortium_ids(request.user), year or today.year, today)
    rows = [
        {
            "label": f"{c.program.organisation.short_name} — {c.program.display_name}",
            "kind": c.program.get_kind_display(),
            "cost": c,
            "expenses": money(c.expenses),
            "rent_supplements": money(c.rent_supplements),
            "total": money(c.total),
            "per_participant": money(c.per_participant),
            "per_housed_year": money(c.per_housed_year),
            "reference": money(c.reference),
            "share": decimal(c.share_of_reference),
            "housed_years": decimal(c.housed_years),
        }
        for c in view.programs
    ]
    return render(
        request,
        "reports/funder_costs.html",
        {
            "form": form,
            "view": view,
            "rows": rows,
            "ref_act": money(costs.reference_cost("act")),
            "ref_icm": money(costs.reference_cost("icm")),
        },
    )
