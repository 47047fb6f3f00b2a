"""What the participant registry adds to the home page: expiring consents, files the user opened lately."""

from __future__ import annotations

from typing import Any

from ancrage.core.counting import count_for_a_while
from ancrage.core.models import AuditEntry
from ancrage.people import selectors


def home(*, user) -> dict[str, Any]:
    if not user.has_ancrage_perm("people.view_participants"):
        return {}
    context: dict[str, Any] = {"expiring": list(selectors.consents_expiring(user)[:10])}
    visible = selectors.participants_visible_to(user)
    # Every file the user may open, counted once a minute at most (issue 16): not on every visit home.
    context["participant_count"] = count_for_a_while(visible, user=user)
    # Only files the user may still open: a revoked consent must not leave a name on the home page.
    entries = list(
        AuditEntry.objects.filter(actor=user, is_read=True, participant__in=visible)
        .select_related("participant")
        .order_by("-at")[:20]
    )
    seen: set[int | None] = set()
    recent: list = []
    for entry in entries:
        if entry.participant_id not in seen and len(recent) < 6:
            seen.add(entry.participant_id)
            recent.append(entry.participant)
    context["recent"] = recent
    return context
