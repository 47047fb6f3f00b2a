"""What case conferencing adds to the home page: the action items overdue of which the user is responsible."""

from __future__ import annotations

from typing import Any

from ancrage.conferences.selectors import overdue_actions_for


def home(*, user) -> dict[str, Any]:
    if not user.has_ancrage_perm("conferences.view"):
        return {}
    # What the panel shows of each (what, when, at which table): not the whole action, meeting and table.
    overdue = overdue_actions_for(user).only(
        "id",
        "description",
        "due_on",
        "meeting_id",
        "meeting__id",
        "meeting__table_id",
        "meeting__table__id",
        "meeting__table__name",
    )
    return {"conference_overdue": list(overdue[:10])}
