"""What partners adds to shared pages: the contacts due and renewals at home, notices on a file and at home,
and the police unit on a risk plan."""

from __future__ import annotations

from typing import Any

from ancrage.core.permissions import Category
from ancrage.partners import selectors
from ancrage.partners.models import SignificantChangeNotice


def home(*, user) -> dict[str, Any]:
    context: dict[str, Any] = {}
    if user.has_ancrage_perm("partners.manage"):
        due = selectors.contacts_due(user)
        context["partners_contacts_due"] = due[:8]
        context["partners_contacts_due_count"] = len(due)
        context["partners_renewals"] = list(selectors.agreements_due(user)[:5])
        context["partners_panel"] = True
    # A partner's people read the notices their organisation received (in the app, under consent).
    received = selectors.notices_for_user(user).filter(
        partner__organisation_id__in=user.organisation_ids, channel=SignificantChangeNotice.Channel.IN_APP
    )
    # The columns the panel shows (the person's name, what changed, when): not four whole rows a notice.
    latest = list(
        received.select_related(None)
        .select_related("participant")
        .only(
            "id",
            "participant_id",
            "kind",
            "happened_on",
            "participant__id",
            "participant__legal_first_name",
            "participant__legal_last_name",
            "participant__preferred_name",
        )[:5]
    )
    if latest:
        context["partners_notices"] = latest
        context["partners_panel"] = True
    return context


def participant_detail(*, user, access) -> dict[str, Any]:
    if not access.can(Category.IDENTITY):
        return {}
    # The columns the notices' table shows (core of the notice, the person's name, the partner's and the
    # recipient's names, the consent's date): not four whole rows a notice.
    notices = list(
        selectors.notices_for_user(user, access.participant).only(
            "id",
            "participant_id",
            "kind",
            "happened_on",
            "partner_id",
            "why",
            "consent_id",
            "channel",
            "recipient_id",
            "status",
            "failure_reason",
            "participant__id",
            "participant__legal_first_name",
            "participant__legal_last_name",
            "participant__preferred_name",
            "partner__id",
            "partner__name",
            "consent__id",
            "consent__starts_on",
            "recipient__id",
            "recipient__name",
        )[:20]
    )
    return {"partner_notices": notices, "partner_notices_shown": True}


def risk_plan(*, user, risk) -> dict[str, Any]:
    return {"police_link": selectors.police_link_for_plan(risk.pk)}
