"""What coordinated access adds to shared pages: stalled matches at home, the person's by-name line on a file."""

from __future__ import annotations

from typing import Any

from ancrage.access.models import ByNameEntry, Referral
from ancrage.access.selectors import referrals_for_user, stalled_matches_for_user
from ancrage.access.services.by_name import group_entry
from ancrage.core.permissions import Category
from ancrage.people.selectors import participants_visible_for_category


def home(*, user) -> dict[str, Any]:
    if not user.has_ancrage_perm("access.manage_referrals") and user.has_ancrage_perm(
        "access.submit_referrals"
    ):
        # A partner agency: the referrals it made and where each stands.
        return {"my_referrals": list(referrals_for_user(user).order_by("-referred_at", "-id")[:5])}
    context: dict[str, Any] = {}
    if user.has_ancrage_perm("access.manage_referrals") and user.has_ancrage_perm("access.manage_matches"):
        # The hub's day starts with the referrals received and not yet taken to intake (A1), oldest first: for
        # those who run intake and matching (the hub, team leads, managers), not every case manager.
        waiting = referrals_for_user(user).filter(status=Referral.Status.RECEIVED)
        context["waiting_count"] = waiting.count()
        context["waiting"] = list(waiting.order_by("referred_at", "id")[:5])
    if user.has_ancrage_perm("access.manage_matches"):
        stalled = stalled_matches_for_user(user)
        context.update({"stalled_count": stalled.count(), "stalled": list(stalled[:10])})
    return context


def participant_detail(*, user, access) -> dict[str, Any]:
    """The person's line on the by-name list, when the user may read their coordinated-access information."""
    if not access.can(Category.COORDINATED_ACCESS) or not user.has_ancrage_perm("access.view_by_name_list"):
        return {"by_name_entry": None}
    entry = (
        ByNameEntry.objects.filter(participant=access.participant)
        .select_related("reference_worker", "priority_policy", "listed_via")
        .first()
    )
    if entry is not None and entry.listed_via_id is None:
        return {"by_name_entry": entry}
    # The person's one line may be held by a linked file (A4): shown from there, if the user may read it.
    held = entry.listed_via if entry is not None else group_entry(access.participant)
    if held is None:
        return {"by_name_entry": None}
    visible = participants_visible_for_category(user, Category.COORDINATED_ACCESS)
    if not visible.filter(pk=held.participant_id).exists():
        return {"by_name_entry": None, "by_name_via_hidden": True}
    held = (
        ByNameEntry.objects.select_related("participant", "reference_worker", "priority_policy")
        .filter(pk=held.pk)
        .first()
    )
    return {"by_name_entry": held, "by_name_via": held.participant if held else None}
