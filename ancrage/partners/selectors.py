"""Reads of partners, applying the reader's consortium, and of notices, applying consent (E1–E3, G1)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Max, Q, QuerySet
from django.http import Http404

from ancrage.core import clock
from ancrage.core.permissions import Category
from ancrage.organisations.models import Organisation
from ancrage.partners.jobs import CHANGE_CATEGORY
from ancrage.partners.models import Partner, PartnerAgreement, PoliceLink, SignificantChangeNotice
from ancrage.people.selectors import participants_visible_for_category, readable_categories


def consortium_ids(user) -> list[int]:
    return list(
        Organisation.objects.filter(pk__in=user.organisation_ids)
        .values_list("consortium_id", flat=True)
        .distinct()
    )


def partners_for_user(user, *, q: str = "", kind: str = "", active_only: bool = False) -> QuerySet[Partner]:
    qs = Partner.objects.filter(consortium_id__in=consortium_ids(user)).select_related("organisation")
    q = q.replace("\x00", "")
    if q.strip():
        qs = qs.filter(name__icontains=q.strip())
    if kind:
        qs = qs.filter(kind=kind)
    if active_only:
        qs = qs.filter(is_active=True)
    return qs.annotate(last_contact_on=Max("contact_logs__on")).order_by("name", "id")


def partner_get_for_user(user, pk) -> Partner:
    """The partner if it is of the reader's consortium, else 404."""
    try:
        return partners_for_user(user).get(pk=int(pk))
    except (Partner.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def agreement_get_for_user(user, partner_pk, agreement_pk) -> PartnerAgreement:
    partner = partner_get_for_user(user, partner_pk)
    try:
        return partner.agreements.get(pk=int(agreement_pk))
    except (PartnerAgreement.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


@dataclass(frozen=True)
class ContactDue:
    partner: Partner
    last_contact_on: datetime.date | None
    due_on: datetime.date
    overdue: bool


def contacts_due(user, today: datetime.date | None = None) -> list[ContactDue]:
    """Active partners not contacted this month, or whose cadence has run out (E2), oldest first; one query."""
    today = today or clock.today()
    month_start = today.replace(day=1)
    rows = []
    for partner in partners_for_user(user, active_only=True):
        last = partner.last_contact_on  # type: ignore[attr-defined]
        due_on = (last + datetime.timedelta(days=partner.cadence_days)) if last else month_start
        overdue = last is None or due_on < today
        if overdue or last < month_start:
            rows.append(ContactDue(partner=partner, last_contact_on=last, due_on=due_on, overdue=overdue))
    rows.sort(key=lambda r: (r.last_contact_on or datetime.date.min, r.partner.name))
    return rows


def agreements_due(user, today: datetime.date | None = None) -> QuerySet[PartnerAgreement]:
    today = today or clock.today()
    days = settings.ANCRAGE["PARTNER_AGREEMENT_RENEWAL_WARNING_DAYS"]
    return (
        PartnerAgreement.objects.filter(
            partner__consortium_id__in=consortium_ids(user),
            partner__is_active=True,
            ended_on__isnull=True,
            renewal_on__isnull=False,
            renewal_on__lte=today + datetime.timedelta(days=days),
        )
        .select_related("partner")
        .order_by("renewal_on", "id")
    )


def police_links_for(user, partner: Partner) -> tuple[int, list[PoliceLink]]:
    """How many current risk plans the police unit is linked to, and the links whose participant the reader may
    read risk information about (the others are counted, never named)."""
    links = PoliceLink.objects.filter(partner=partner, risk_plan__ended_on__isnull=True)
    visible = participants_visible_for_category(user, Category.RISK)
    shown = list(
        links.filter(risk_plan__participant__in=visible)
        .select_related("risk_plan__participant")
        .order_by("risk_plan__participant__legal_last_name", "pk")
    )
    return links.count(), shown


def police_link_for_plan(risk_plan_id: int) -> PoliceLink | None:
    return PoliceLink.objects.filter(risk_plan_id=risk_plan_id).select_related("partner").first()


def linkable_risk_plans(user):
    """Current risk plans that ask for police notices, of participants whose risk information the reader reads."""
    from ancrage.partners.services import risk_plan_model

    visible = participants_visible_for_category(user, Category.RISK)
    return (
        risk_plan_model()
        .objects.filter(ended_on__isnull=True, notify_team_on_police=True, participant__in=visible)
        .select_related("participant")
        .order_by("participant__legal_last_name", "participant__legal_first_name", "pk")
    )


_RECEIVED = [SignificantChangeNotice.Status.SENT]


def notices_for_user(user, participant=None) -> QuerySet[SignificantChangeNotice]:
    """The notices a reader may see now: those received by their organisations (sent, in the app), and every
    notice about the participants of their organisations (sent or not, and why); either way only while the
    reader may read that kind of information about the participant, so a revoked consent hides it at once."""
    if not user.is_authenticated or not user.has_ancrage_perm("people.view_participants"):
        return SignificantChangeNotice.objects.none()
    orgs = user.organisation_ids
    mine = Q(
        partner__organisation_id__in=orgs,
        status__in=_RECEIVED,
        channel=SignificantChangeNotice.Channel.IN_APP,
    )
    mine |= Q(participant__organisation_id__in=orgs)
    readable = Q(pk__in=[])
    by_category: dict[str, list[str]] = {}
    for kind, category in CHANGE_CATEGORY.items():
        by_category.setdefault(category, []).append(kind)
    if participant is not None:
        # One person's file: which kinds the reader may read of them is decided here, the same way, rather
        # than by a subquery on every visible participant for each kind of information (issue 16).
        allowed = readable_categories(user, participant, by_category)
        kinds = [kind for category in sorted(allowed) for kind in by_category[category]]
        qs = SignificantChangeNotice.objects.filter(mine).filter(participant=participant, kind__in=kinds)
        return qs.select_related("participant", "partner", "consent", "recipient").order_by(
            "-created_at", "-id"
        )
    for category, kinds in by_category.items():
        readable |= Q(kind__in=kinds, participant__in=participants_visible_for_category(user, category))
    qs = SignificantChangeNotice.objects.filter(mine).filter(readable)
    return qs.select_related("participant", "partner", "consent", "recipient").order_by("-created_at", "-id")
