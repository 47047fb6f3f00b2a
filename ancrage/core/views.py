"""Home (my day) and error pages (the audit screen is the people app's: it needs who may see whom)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ancrage.core import panels
from ancrage.core.alerts import alert_dismiss as dismiss_alert_service
from ancrage.core.alerts import alert_for_recipient, open_alerts_for
from ancrage.core.alerts import describe as describe_alert


@login_required
def home(request):
    """My day: what each app registered for the home page (core/panels.py), then the user's open alerts."""
    user = request.user
    context = panels.context(panels.HOME, user=user)
    # Each alert, and of its participant only the name the page shows (not the whole file).
    alerts = open_alerts_for(user).only(
        "id",
        "recipient_id",
        "kind",
        "participant_id",
        "params",
        "url",
        "created_at",
        "participant__id",
        "participant__legal_first_name",
        "participant__legal_last_name",
        "participant__preferred_name",
    )
    context["alerts"] = [(alert, describe_alert(alert)) for alert in alerts.order_by("-pk")[:10]]
    return render(request, "core/home.html", context)


@login_required
@require_POST
def alert_dismiss(request, alert_pk: int):
    """The recipient dismisses one of their open alerts; anyone else's is a 404."""
    alert = alert_for_recipient(request.user, alert_pk)
    dismiss_alert_service(actor=request.user, alert=alert)
    messages.success(request, _("Alert dismissed."))
    return redirect("home")


def error_404(request, exception=None):
    return render(request, "404.html", status=404)


def error_403(request, exception=None):
    # A refusal raised with a sentence (PermissionDenied(_("..."))) says why; a bare one says nothing more.
    reason = str(exception) if exception is not None and exception.args else ""
    return render(request, "403.html", {"exception": reason}, status=403)


def error_500(request):
    return render(request, "500.html", status=500)
