"""What housing adds to shared pages, through core/panels: the housing team's day at home (landlords due for a
friendly check-in (C1), the program contact's own first; viewings and move-ins), and the participant's housing on
their file (current tenancy, its risk, the history)."""

from __future__ import annotations

import datetime
from typing import Any

from ancrage.core import clock
from ancrage.core.permissions import Category


def _book_home(*, user) -> dict[str, Any]:
    if not user.has_ancrage_perm("housing.manage_landlords"):
        return {}
    from ancrage.housing.book.selectors import checkins_due_for

    rows, total = checkins_due_for(user)
    return {"housing_checkins": {"rows": rows, "total": total}}


def _tenancies_home(*, user) -> dict[str, Any]:
    """Viewings today and this week, move-ins this week: for the housing team (housing.manage_tenancies)."""
    if not user.is_authenticated or not user.has_ancrage_perm("housing.manage_tenancies"):
        return {}
    from ancrage.housing.selectors_tenancies import move_ins_between, viewings_between

    today = clock.today()
    day_start = clock.start_of_day(today)
    week_end = day_start + datetime.timedelta(days=7)
    viewings = viewings_between(user, day_start, week_end)
    tomorrow = day_start + datetime.timedelta(days=1)
    return {
        "housing_day": {
            "viewings_today": [v for v in viewings if v.viewing_at and v.viewing_at < tomorrow],
            "viewings_week": [v for v in viewings if v.viewing_at and v.viewing_at >= tomorrow],
            "move_ins": move_ins_between(user, today, today + datetime.timedelta(days=6)),
        }
    }


def participant_detail(*, user, access) -> dict[str, Any]:
    """The participant's housing, for readers of their HOUSING information (role and consent); nothing else."""
    if not user.has_ancrage_perm("housing.view_tenancies") or not access.can(Category.HOUSING):
        return {"housing_panel": None}
    from ancrage.core.audit import record_read
    from ancrage.housing.selectors_tenancies import housing_of
    from ancrage.housing.views_tenancies import share_sentence

    housing = housing_of(access.participant)
    for t in housing.tenancies:
        t.share_sentence, t.share_above = share_sentence(t.participant_share, t.participant_monthly_income)  # type: ignore[attr-defined]
    if housing.tenancies or housing.open_search:
        record_read(actor=user, participant=access.participant, what="housing.tenancy.viewed")
    return {"housing_panel": housing}


def home(*, user) -> dict[str, Any]:
    """Each part of housing's contribution to the home page, for the roles it concerns."""
    context: dict[str, Any] = {}
    for part in (_book_home, _tenancies_home):
        context.update(part(user=user))
    return context
