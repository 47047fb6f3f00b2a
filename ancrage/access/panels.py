"""What coordinated access adds to shared pages: stalled matches at home, the person's by-name line on a file."""

from __future__ import annotations

from typing import Any

from ancrage.access.models import ByNameEntry
from ancrage.access.selectors import stalled_matches_for_user
from ancrage.core.permissions import Category


def home(*, user) -> dict[str, Any]:
    if not user.has_ancrage_perm("access.manage_matches"):
        return {}
    stalled = stalled_matches_for_user(user)
    return {"stalled_count": stalled.count(), "stalled": list(stalled[:10])}


def participant_detail(*, user, access) -> dict[str, Any]:
    """The person's line on the by-name list, when the user may read their coordinated-access information."""
    if not access.can(Category.COORDINATED_ACCESS) or not user.has_ancrage_perm("access.view_by_name_list"):
        return {"by_name_entry": None}
    entry = (
        ByNameEntry.objects.filter(participant=access.participant)
        .select_related("reference_worker", "priority_policy")
        .first()
    )
    return {"by_name_entry": entry}
