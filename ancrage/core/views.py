"""Home (my day), the audit screen, and error pages."""

from __future__ import annotations

import datetime

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.shortcuts import render
from django.utils import timezone

from ancrage.core import panels
from ancrage.core.alerts import describe as describe_alert
from ancrage.core.alerts import open_alerts_for
from ancrage.core.audit import change_rows
from ancrage.core.forms import AuditFilterForm
from ancrage.core.models import AuditEntry
from ancrage.core.permissions import require_permission
from ancrage.core.views_helpers import paginate


@login_required
def home(request):
    """My day: what each app registered for the home page (core/panels.py), then the user's open alerts."""
    user = request.user
    context = panels.context(panels.HOME, user=user)
    context["alerts"] = [
        (alert, describe_alert(alert)) for alert in open_alerts_for(user).order_by("-pk")[:10]
    ]
    return render(request, "core/home.html", context)


@require_permission("core.view_audit")
def audit_log(request):
    """Who read or changed what, filtered by participant, user, action and dates."""
    form = AuditFilterForm(request.GET or None)
    qs = AuditEntry.objects.select_related("actor", "organisation", "participant").order_by("-at", "-id")
    # A program manager sees the trail of their own organisations; an administrator the whole consortium.
    user = request.user
    if not user.has_ancrage_perm("core.configure"):
        qs = qs.filter(
            Q(organisation_id__in=user.organisation_ids)
            | Q(participant__organisation_id__in=user.organisation_ids)
        )
    if form.is_valid():
        data = form.cleaned_data
        if data.get("participant"):
            qs = qs.filter(participant__community_id__iexact=data["participant"].strip())
        if data.get("user"):
            qs = qs.filter(actor__username__iexact=data["user"].strip())
        if data.get("action"):
            qs = qs.filter(action=data["action"])
        tz = timezone.get_current_timezone()
        if data.get("since"):
            qs = qs.filter(at__gte=datetime.datetime.combine(data["since"], datetime.time.min, tzinfo=tz))
        if data.get("until"):
            qs = qs.filter(
                at__lt=datetime.datetime.combine(
                    data["until"] + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz
                )
            )
    elif form.is_bound:
        # Filters that make no sense show their error and no entries, not the whole unfiltered trail.
        qs = qs.none()
    page = paginate(request, qs, per_page=50)
    page.object_list = list(page.object_list)
    change_rows(page.object_list)
    return render(request, "core/audit_log.html", {"form": form, "page": page})


def error_404(request, exception=None):
    return render(request, "404.html", status=404)


def error_403(request, exception=None):
    return render(request, "403.html", status=403)


def error_500(request):
    return render(request, "500.html", status=500)
