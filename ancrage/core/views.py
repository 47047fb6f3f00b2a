"""Home (my day), the audit screen, and error pages."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.shortcuts import render
from django.utils import timezone

from ancrage.core.alerts import describe as describe_alert
from ancrage.core.alerts import open_alerts_for
from ancrage.core.audit import change_rows
from ancrage.core.models import AuditEntry
from ancrage.core.permissions import require_permission
from ancrage.core.views_helpers import paginate
from ancrage.people import selectors as people_selectors
from ancrage.people.forms import AuditFilterForm

if TYPE_CHECKING:
    from ancrage.people.models import Participant


@login_required
def home(request):
    user = request.user
    context: dict = {}
    if user.has_ancrage_perm("people.view_participants"):
        context["expiring"] = list(people_selectors.consents_expiring(user)[:10])
        visible = people_selectors.participants_visible_to(user)
        context["participant_count"] = visible.count()
        # Only files the user may still open: a revoked consent must not leave a name on the home page.
        context["recent"] = list(
            AuditEntry.objects.filter(actor=user, is_read=True, participant__in=visible)
            .select_related("participant")
            .order_by("-at")[:20]
        )
        seen: set[int] = set()
        recent: list[Participant] = []
        for entry in context["recent"]:
            if entry.participant_id not in seen and len(recent) < 6:
                seen.add(entry.participant_id)
                recent.append(entry.participant)
        context["recent"] = recent
    if user.has_ancrage_perm("access.manage_matches"):
        from ancrage.access.selectors import stalled_matches_for_user

        stalled = stalled_matches_for_user(user)
        context["stalled_count"] = stalled.count()
        context["stalled"] = list(stalled[:10])
    if user.has_ancrage_perm("casework.view"):
        from ancrage.casework.views_meeting import caseload_summary

        context["caseload"] = caseload_summary(user)
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
