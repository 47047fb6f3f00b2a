"""Writes of the team meeting and the caseload summary."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ancrage.casework.flags import FLAG_KEYS
from ancrage.casework.models import MeetingOrder, TeamMeetingSettings
from ancrage.core import audit

if TYPE_CHECKING:
    from ancrage.accounts.models import User
    from ancrage.organisations.models import Team


@transaction.atomic
def meeting_settings_set(
    *, actor: User, team: Team, order: str, flag_order: list[str] | tuple[str, ...] = ()
):
    """Save how `team`'s meeting screen is ordered: `order` (a MeetingOrder) and the flags weighed first."""
    errors: dict[str, list[str]] = {}
    if (
        not actor.has_ancrage_perm("casework.manage_team")
        or team.organisation_id not in actor.organisation_ids
    ):
        errors["__all__"] = [_("Only a team lead of this team's organisation can set its meeting order.")]
    if order not in MeetingOrder.values:
        errors["order"] = [_("Choose one of the orders offered.")]
    flags = list(flag_order or [])
    unknown = [key for key in flags if key not in FLAG_KEYS]
    if unknown:
        errors["flag_order"] = [_("Unknown flag: %(flags)s.") % {"flags": ", ".join(unknown)}]
    elif len(set(flags)) != len(flags):
        errors["flag_order"] = [_("Each flag can be named only once.")]
    if errors:
        raise ValidationError(errors)
    settings_row, _created = TeamMeetingSettings.objects.select_for_update().get_or_create(team=team)
    before = {"order": settings_row.order, "flag_order": list(settings_row.flag_order or [])}
    settings_row.order = order
    settings_row.flag_order = flags
    settings_row.updated_by = actor
    settings_row.save()
    audit.record(
        actor=actor,
        action="casework.meeting.order_changed",
        obj=settings_row,
        organisation=team.organisation,
        data={"team": team.pk, "before": before, "after": {"order": order, "flag_order": flags}},
    )
    return settings_row
