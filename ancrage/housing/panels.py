"""What housing adds to the home page: the landlords due for a friendly check-in (C1), the program contact's
own first."""

from __future__ import annotations

from typing import Any


def home(*, user) -> dict[str, Any]:
    if not user.has_ancrage_perm("housing.manage_landlords"):
        return {}
    from ancrage.housing.book.selectors import checkins_due_for

    rows, total = checkins_due_for(user)
    return {"housing_checkins": {"rows": rows, "total": total}}
