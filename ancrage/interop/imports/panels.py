"""What imports add to the participant's file: their history from another system, for readers of their
housing information (role and consent), read audited."""

from __future__ import annotations

from typing import Any

from ancrage.core.permissions import Category
from ancrage.people import hmis_fy2026


def participant_detail(*, user, access) -> dict[str, Any]:
    if not access.can(Category.HOUSING):
        return {}
    from ancrage.core.audit import record_read
    from ancrage.interop.imports.selectors import history_of

    rows = history_of(access.participant)
    if not rows:
        return {}
    for row in rows:
        living = hmis_fy2026.PRIOR_LIVING_SITUATION.values.get(row.living_situation or -1)
        destination = hmis_fy2026.DESTINATION.values.get(row.destination or -1)
        row.living_situation_label = living  # type: ignore[attr-defined]
        row.destination_label = destination  # type: ignore[attr-defined]
    record_read(actor=user, participant=access.participant, what="interop.history.viewed")
    return {"hmis_history": rows}
