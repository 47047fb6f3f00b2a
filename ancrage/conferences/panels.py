"""What case conferencing adds to the home page: the action items overdue of which the user is responsible."""

from __future__ import annotations

from typing import Any

from ancrage.conferences.selectors import overdue_actions_for


def home(*, user) -> dict[str, Any]:
    if not user.has_ancrage_perm("conferences.view"):
        return {}
    return {"conference_overdue": list(overdue_actions_for(user)[:10])}
