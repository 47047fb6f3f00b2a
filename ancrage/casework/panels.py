"""What case management adds to the home page: the user's caseload at a glance."""

from __future__ import annotations

from typing import Any

from ancrage.casework.meeting.views import caseload_summary


def home(*, user) -> dict[str, Any]:
    if not user.has_ancrage_perm("casework.view"):
        return {}
    return {"caseload": caseload_summary(user)}
