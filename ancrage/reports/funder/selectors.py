"""Reading the funder reports: only those of the reader's consortium; another's is a 404 like one that does not
exist. The reports hold figures only (no participant), so reading them writes no read entry."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from ancrage.organisations.models import Organisation
from ancrage.reports.models_funder import FunderReport


def consortium_ids(user) -> set[int]:
    if not getattr(user, "is_authenticated", False):
        return set()
    return set(
        Organisation.objects.filter(pk__in=user.organisation_ids).values_list("consortium_id", flat=True)
    )


def reports_for_user(user, *, current_only: bool = True) -> QuerySet[FunderReport]:
    if not user.has_ancrage_perm("reports.view_funder_reports"):
        return FunderReport.objects.none()
    reports = FunderReport.objects.filter(consortium_id__in=consortium_ids(user))
    if current_only:
        reports = reports.filter(superseded_at__isnull=True)
    return reports.select_related("generated_by", "consortium").order_by("-month", "-version")


def report_get_for_user(user, pk) -> FunderReport:
    try:
        report = reports_for_user(user, current_only=False).filter(pk=int(pk)).first()
    except (TypeError, ValueError, OverflowError):
        report = None
    if report is None:
        raise Http404
    return report


def versions_of(report: FunderReport) -> list[FunderReport]:
    return list(
        FunderReport.objects.filter(consortium_id=report.consortium_id, month=report.month)
        .select_related("generated_by")
        .order_by("-version")
    )
