"""The jobs of partners, run by its tasks: agreements due for renewal (E1) and notice emails (E3), with the
consent rule every notice obeys."""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from ancrage.accounts.models import Membership
from ancrage.core import alerts, clock
from ancrage.core.permissions import Category, Role
from ancrage.core.signals import ChangeKind
from ancrage.organisations.models import Organisation
from ancrage.partners.models import PartnerAgreement, SignificantChangeNotice
from ancrage.people.models import Consent, Participant

logger = logging.getLogger(__name__)

# The kind of information each significant change reveals, which the consent must share with the partner's
# organisation (with identity) for a notice to go (E3, G1). An exit and lost contact are facts of the case
# file (who follows the person, whether they are found), not of identity: they need case notes.
CHANGE_CATEGORY: dict[str, str] = {
    ChangeKind.HOUSED: Category.HOUSING,
    ChangeKind.MOVED: Category.HOUSING,
    ChangeKind.HOSPITALISED: Category.HEALTH,
    ChangeKind.INCIDENT: Category.RISK,
    ChangeKind.RISK_PLAN: Category.RISK,
    ChangeKind.EXIT: Category.CASE_NOTES,
    ChangeKind.LOST_CONTACT: Category.CASE_NOTES,
}


def consent_for_notice(participant: Participant, organisation: Organisation, kind: str, on: datetime.date):
    """The in-force consent that shares identity and the change's kind of information with `organisation`,
    or None. (Consents name organisations: a partner that does not use Ancrage cannot be named by one.)"""
    category = CHANGE_CATEGORY[kind]
    return (
        Consent.objects.in_force(on)
        .filter(
            participant=participant, organisations=organisation, category_rows__category=Category.IDENTITY
        )
        .filter(category_rows__category=category)
        .order_by("-starts_on", "-pk")
        .first()
    )


def _renewal_recipients(consortium_id: int) -> list[int]:
    return list(
        Membership.objects.filter(
            organisation__consortium_id=consortium_id,
            role__in=[Role.PROGRAM_MANAGER, Role.COORDINATED_ACCESS],
            is_active=True,
            user__is_active=True,
        )
        .values_list("user_id", flat=True)
        .distinct()
        .order_by("user_id")
    )


def agreements_alert_renewals(today: datetime.date | None = None) -> int:
    """Alert the program managers and coordinated access of each agreement due for renewal within the setting,
    once per agreement and person; returns how many alerts were raised."""
    from ancrage.core.models import Alert

    today = today or clock.today()
    days = settings.ANCRAGE["PARTNER_AGREEMENT_RENEWAL_WARNING_DAYS"]
    due = PartnerAgreement.objects.filter(
        ended_on__isnull=True,
        renewal_on__isnull=False,
        renewal_on__lte=today + datetime.timedelta(days=days),
        partner__is_active=True,
    ).select_related("partner")
    raised = 0
    recipients: dict[int, list[int]] = {}
    for agreement in due:
        already = set(
            Alert.objects.filter(
                kind="partners.agreement.renewal_due",
                object_type=agreement._meta.label_lower,
                object_id=str(agreement.pk),
            ).values_list("recipient_id", flat=True)
        )
        consortium = agreement.partner.consortium_id
        if consortium not in recipients:
            recipients[consortium] = _renewal_recipients(consortium)
        for user_id in recipients[consortium]:
            if user_id in already:
                continue
            alerts.raise_alert(
                recipient_id=user_id,
                kind="partners.agreement.renewal_due",
                obj=agreement,
                params={
                    "title": agreement.title,
                    "partner": agreement.partner.name,
                    "date": agreement.renewal_on.isoformat() if agreement.renewal_on else "",
                },
                url=reverse("partners:detail", kwargs={"partner_pk": agreement.partner_id}),
            )
            raised += 1
    return raised


def notice_email_text(notice: SignificantChangeNotice, language: str) -> tuple[str, str]:
    """The email, in `language`: the kind of change and its date, never the person's name (an email leaves
    Ancrage); the partner reads who it is in the app, where consent is checked again."""
    with translation.override(language):
        subject = _("Ancrage: a significant change for a person you support")
        body = _(
            "A significant change was recorded for a person your organisation supports: %(kind)s, on "
            "%(date)s. Read the notice in Ancrage: %(url)s"
        ) % {
            "kind": ChangeKind(notice.kind).label,
            "date": notice.happened_on.isoformat(),
            "url": settings.SITE_URL + reverse("partners:notices"),
        }
    return str(subject), str(body)


def notice_email_send(notice_id: int) -> str:
    """Email one pending notice; a failure is kept (attempts, reason) and retried until the setting's limit,
    then the notice is failed and the sender's team alerted. Returns the notice's status."""
    with transaction.atomic():
        notice = (
            SignificantChangeNotice.objects.select_for_update(of=("self",))
            .select_related("recipient", "partner")
            .get(pk=notice_id)
        )
        if notice.status not in (
            SignificantChangeNotice.Status.PENDING,
            SignificantChangeNotice.Status.RETRYING,
        ):
            return notice.status
        contact = notice.recipient
        # Consent is checked again at sending: a revocation since the change stops the email.
        organisation = notice.partner.organisation
        if (
            organisation is None
            or consent_for_notice(notice.participant, organisation, notice.kind, clock.today()) is None
        ):
            notice.status = SignificantChangeNotice.Status.NO_CONSENT
            notice.save(update_fields=["status"])
            return notice.status
        notice.attempts += 1
        try:
            if contact is None or not contact.email:
                raise OSError("no recipient address")
            subject, body = notice_email_text(notice, contact.language or notice.partner.language)
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [contact.email])
        except Exception as exc:
            logger.warning("Notice %s could not be emailed: %s", notice.pk, exc)
            notice.failure_reason = str(exc)[:300]
            if notice.attempts >= settings.ANCRAGE["PARTNER_NOTICE_MAX_ATTEMPTS"]:
                notice.status = SignificantChangeNotice.Status.FAILED
                _alert_failure(notice)
            else:
                notice.status = SignificantChangeNotice.Status.RETRYING
        else:
            notice.status = SignificantChangeNotice.Status.SENT
            notice.sent_at = clock.now()
            notice.failure_reason = ""
        notice.save(update_fields=["status", "attempts", "failure_reason", "sent_at"])
        return notice.status


def _alert_failure(notice: SignificantChangeNotice) -> None:
    recipients = (
        Membership.objects.filter(
            organisation_id=notice.participant.organisation_id,
            role__in=[Role.PROGRAM_MANAGER, Role.TEAM_LEAD],
            is_active=True,
        )
        .values_list("user_id", flat=True)
        .distinct()
    )
    for user_id in recipients:
        alerts.raise_alert(
            recipient_id=user_id,
            kind="partners.notice.failed",
            obj=notice,
            participant=notice.participant,
            params={"partner": notice.partner.name},
            url=reverse("partners:notices"),
        )


def notices_retry() -> int:
    """Send again every notice email that failed and may be retried; returns how many were tried."""
    ids = list(
        SignificantChangeNotice.objects.filter(status=SignificantChangeNotice.Status.RETRYING)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for pk in ids:
        notice_email_send(pk)
    return len(ids)
