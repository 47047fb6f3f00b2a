"""Health of the background machinery: the administrators' page and the monitoring JSON."""

from __future__ import annotations

import hmac
import os

from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from ancrage.core import health
from ancrage.core.permissions import require_permission

PERMISSION = "core.view_health"


@never_cache
@require_permission(PERMISSION)
def health_page(request):
    """Each scheduled job (when it ran, how long, how it ended, when it runs next, late or not), the task
    worker and the database. Always 200: the page is read by a person, the JSON by monitoring."""
    return render(request, "core/health.html", {"health": health.check()})


def _token_ok(request) -> bool:
    """A monitoring tool sends `Authorization: Bearer <HEALTH_TOKEN>`: it cannot sign in with a second
    factor, and a token in the address would land in access logs."""
    expected = os.environ.get("HEALTH_TOKEN", "")
    header = request.headers.get("Authorization", "")
    scheme, _sep, given = header.partition(" ")
    if not expected or scheme.lower() != "bearer" or not given:
        return False
    return hmac.compare_digest(given.strip().encode(), expected.encode())


@never_cache
def health_json(request):
    """For monitoring: 200 when all is well, 503 when the database does not answer, the worker does not
    take tasks, or a job is late or failed. States and times only, nothing about a person. Open to the
    HEALTH_TOKEN bearer or a signed-in holder of core.view_health; otherwise 401 / 403 as the API answers."""
    if not _token_ok(request):
        if not request.user.is_authenticated:
            return JsonResponse(
                {"detail": _("Sign in as an administrator or send the health token.")}, status=401
            )
        if not request.user.has_ancrage_perm(PERMISSION):
            return JsonResponse({"detail": _("Your role does not allow this.")}, status=403)
    state = health.check()
    return JsonResponse(health.as_json(state), status=200 if state.ok else 503)
