"""What the participant registry adds to the home page: expiring consents, files the user opened lately."""

from __future__ import annotations

from typing import Any

from ancrage.core.counting import count_for_a_while
from ancrage.core.models import AuditEntry
from ancrage.people import selectors

# What the home page shows of a participant: the name, the community identifier, the link (issue 16: not the
# whole file for each line).
HOME_PERSON_FIELDS = (
    "participant__id",
    "participant__legal_first_name",
    "participant__legal_last_name",
    "participant__preferred_name",
    "participant__community_id",
)


def home(*, user) -> dict[str, Any]:
    if not user.has_ancrage_perm("people.view_participants"):
        return {}
    expiring = (
        selectors.consents_expiring(user)
        .prefetch_related(None)  # the organisations named are the full list's, not the home page's
        .only("id", "participant_id", "expires_on", *HOME_PERSON_FIELDS)
    )
    context: dict[str, Any] = {"expiring": list(expiring[:10])}
    visible = selectors.participants_visible_to(user)
    # Every file the user may open, counted once a minute at most (issue 16): not on every visit home.
    context["participant_count"] = count_for_a_while(visible, user=user)
    # Only files the user may still open: a revoked consent must not leave a name on the home page.
    entries = list(
        AuditEntry.objects.filter(actor=user, is_read=True, participant__in=visible)
        .select_related("participant")
        .only("id", "at", "participant_id", *HOME_PERSON_FIELDS)
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
