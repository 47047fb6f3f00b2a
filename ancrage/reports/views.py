"""The Reports page: every report its reader may open."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from ancrage.reports.sections import sections_for


@login_required
def home(request):
    sections = sections_for(request.user)
    if not sections:
        raise PermissionDenied
    return render(request, "reports/home.html", {"sections": sections})
