"""Reads of a partner's view of a participant: for each kind of information the consent covers, what a
partner needs to work with the team (D7, E3), and nothing of the kinds it does not cover."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ancrage.casework.models import (
    Enrollment,
    Incident,
    OnCallShift,
    RiskAssessment,
    ServiceKind,
    ServiceReferral,
    ServiceReferralStatus,
)
from ancrage.casework.risk.selectors import on_call_now
from ancrage.casework.selectors import active_enrollment
from ancrage.core import clock
from ancrage.core.audit import record_read
from ancrage.core.permissions import Category

if TYPE_CHECKING:
    from ancrage.people.selectors import ParticipantAccess

# The kind of information a referral tells of, by the kind of service it goes to.
REFERRAL_CATEGORY: dict[str, str] = {
    ServiceKind.HEALTH: Category.HEALTH,
    ServiceKind.MENTAL_HEALTH: Category.HEALTH,
    ServiceKind.SUBSTANCE_USE: Category.HEALTH,
    ServiceKind.HOUSING_STABILITY: Category.HOUSING,
}
CLOSED_REFERRAL_STATUSES = (
    ServiceReferralStatus.LINKED,
    ServiceReferralStatus.DECLINED,
    ServiceReferralStatus.NO_SHOW,
)
MAX_INCIDENTS = 10


def referral_category(kind: str) -> str:
    return REFERRAL_CATEGORY.get(kind, Category.CASE_NOTES)


@dataclass
class PartnerView:
    """What one partner may see: None for a part whose kind of information the consent does not cover."""

    categories: frozenset[str]
    enrollment: Enrollment | None = None
    on_call: list[OnCallShift] = field(default_factory=list)
    visitor_measures: list[str] | None = None
    incidents: list[Incident] | None = None
    referrals: list[ServiceReferral] | None = None

    @property
    def shows_risk(self) -> bool:
        return self.visitor_measures is not None


def partner_view_for(user, access: ParticipantAccess) -> PartnerView | None:
    """A partner's view of the participant, for a viewer outside the home organisation (None otherwise).

    Every part follows `access.categories`, the kinds the in-force consents share with the viewer's
    organisations: identity gives the primary case manager and how to reach the team; risk and safety the
    current plan's measures that concern visitors and the recent incidents; each other kind the open
    referrals to the viewer's organisations of that kind. The read is audited with what was shown."""
    if access.is_home_organisation or access.is_self or not access.can(Category.IDENTITY):
        return None
    p = access.participant
    view = PartnerView(categories=access.categories)
    view.enrollment = active_enrollment(p)
    if view.enrollment is not None:
        view.on_call = on_call_now([view.enrollment.program.organisation_id])
    shown: list[str] = [Category.IDENTITY]
    if access.can(Category.RISK):
        shown.append(Category.RISK)
        view.visitor_measures = _visitor_measures(p)
        since = clock.now() - datetime.timedelta(days=settings.ANCRAGE["PARTNER_INCIDENT_DAYS"])
        view.incidents = list(
            Incident.objects.filter(participant=p, occurred_at__gte=since).order_by("-occurred_at", "-id")[
                :MAX_INCIDENTS
            ]
        )
    referral_kinds = [k for k in ServiceKind.values if access.can(referral_category(k))]
    if referral_kinds:
        view.referrals = list(
            ServiceReferral.objects.filter(
                participant=p,
                provider__organisation_id__in=access.viewer_organisation_ids,
                provider__kind__in=referral_kinds,
            )
            .exclude(status__in=CLOSED_REFERRAL_STATUSES)
            .select_related("provider")
            .order_by("-created_at", "-id")
        )
        shown += sorted({referral_category(k) for k in referral_kinds} - set(shown))
    record_read(
        actor=user,
        participant=p,
        what="casework.partner_view.viewed",
        data={"categories": sorted(set(shown))},
    )
    return view


def _visitor_measures(participant) -> list[str]:
    """The current risk plan's measures a visitor must know (never what was observed, nor the rating)."""
    plan = (
        RiskAssessment.objects.filter(participant=participant, ended_on__isnull=True)
        .order_by("-assessed_on", "-id")
        .first()
    )
    if plan is None:
        return []
    today = clock.today()
    measures = []
    if plan.paired_visits:
        measures.append(_("Visits in pairs only."))
    if plan.office_only_until and plan.office_only_until >= today:
        measures.append(
            _("Meetings at the office only, until %(date)s.")
            % {"date": date_format(plan.office_only_until, "j F Y")}
        )
    if plan.notify_team_on_police:
        measures.append(_("Tell the team when police are called."))
    if plan.other_measures.strip():
        measures.append(plan.other_measures.strip())
    return measures
