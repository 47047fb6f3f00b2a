"""Home (my day) and error pages (the audit screen is the people app's: it needs who may see whom)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from ancrage.core.alerts import describe as describe_alert
from ancrage.core.alerts import open_alerts_for
from ancrage.core.models import AuditEntry
from ancrage.people import selectors as people_selectors

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


def error_404(request, exception=None):
    return render(request, "404.html", status=404)


def error_403(request, exception=None):
    # A refusal raised with a sentence (PermissionDenied(_("..."))) says why; a bare one says nothing more.
    reason = str(exception) if exception is not None and exception.args else ""
    return render(request, "403.html", {"exception": reason}, status=403)


def error_500(request):
    return render(request, "500.html", status=500)
