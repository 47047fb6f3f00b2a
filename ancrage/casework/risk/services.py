"""Writes of risk assessments and plans, incidents and on-call (B8, B9, B10)."""

from __future__ import annotations

import datetime
import logging
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from ancrage.accounts.models import Membership, User
from ancrage.casework.models import OnCallShift, RiskAssessment
from ancrage.core import alerts, audit, clock
from ancrage.core.permissions import Role
from ancrage.core.signals import ChangeKind, announce

if TYPE_CHECKING:
    from ancrage.people.models import Participant
from django.db.models import Q

from ancrage.casework.models import Enrollment, Incident, OnCallEntry
from ancrage.casework.referrals.services import _check_own_participant
from ancrage.casework.selectors import active_enrollment, serving_organisation_ids
from ancrage.casework.serving import _require_home_organisation

if TYPE_CHECKING:
    from ancrage.organisations.models import Organisation
    from ancrage.people.models import Participant


logger = logging.getLogger(__name__)


# --- risk (B8) --------------------------------------------------------------------------------------------


@transaction.atomic
def risk_assess(
    *,
    actor: User,
    participant: Participant,
    assessed_on,
    level,
    rating,
    description,
    paired_visits=False,
    office_only_until=None,
    psychiatric_assessment_requested=False,
    notify_team_on_police=True,
    other_measures="",
    participant_told_on=None,
    review_on=None,
) -> RiskAssessment:
    """Record a risk assessment and its plan; it replaces the current one."""
    org_id = _require_home_organisation(actor, participant)
    today = clock.today()
    errors: dict[str, list[str]] = {}
    if assessed_on is None:
        errors["assessed_on"] = [_("Give the date of the assessment.")]
    elif assessed_on > today:
        errors["assessed_on"] = [_("An assessment cannot be dated in the future.")]
    try:
        level = int(level)
    except (TypeError, ValueError):
        level = 0
    if level not in RiskAssessment.Level.values:
        errors["level"] = [_("Choose the level.")]
    if rating not in RiskAssessment.Rating.values:
        errors["rating"] = [_("Choose the risk rating.")]
    description = (description or "").strip()
    if not description:
        errors["description"] = [_("Describe what was observed.")]
    if assessed_on is not None:
        if office_only_until is not None and office_only_until < assessed_on:
            errors["office_only_until"] = [_("This date must be on or after the assessment.")]
        if review_on is not None and review_on < assessed_on:
            errors["review_on"] = [_("The review must be on or after the assessment.")]
        if participant_told_on is not None and participant_told_on < assessed_on:
            errors["participant_told_on"] = [
                _("The participant is told of the plan on or after the assessment.")
            ]
    if participant_told_on is not None and participant_told_on > today:
        errors["participant_told_on"] = [_("This date cannot be in the future.")]
    current = list(
        RiskAssessment.objects.select_for_update().filter(participant=participant, ended_on__isnull=True)
    )
    if assessed_on is not None and any(r.assessed_on > assessed_on for r in current):
        errors.setdefault("assessed_on", []).append(
            _("A later assessment is the current one: date this one on or after it.")
        )
    if errors:
        raise ValidationError(errors)
    for previous in current:
        previous.ended_on = assessed_on
        previous.save(update_fields=["ended_on"])
    risk = RiskAssessment.objects.create(
        participant=participant,
        organisation_id=org_id,
        assessed_on=assessed_on,
        level=level,
        rating=rating,
        description=description,
        paired_visits=bool(paired_visits),
        office_only_until=office_only_until,
        psychiatric_assessment_requested=bool(psychiatric_assessment_requested),
        notify_team_on_police=bool(notify_team_on_police),
        other_measures=(other_measures or "").strip(),
        participant_told_on=participant_told_on,
        review_on=review_on,
        recorded_by=actor,
    )
    audit.record(
        actor=actor,
        action="casework.risk.assessed",
        obj=risk,
        participant=participant,
        organisation=risk.organisation,
        data={
            "level": level,
            "rating": rating,
            "paired_visits": bool(paired_visits),
            "office_only_until": office_only_until.isoformat() if office_only_until else None,
            "replaces": [r.pk for r in current],
        },
    )
    announce(
        sender="casework",
        participant_id=participant.pk,
        kind=ChangeKind.RISK_PLAN,
        happened_on=assessed_on,
        actor_id=actor.pk,
    )
    return risk


@transaction.atomic
def risk_end(*, actor: User, risk: RiskAssessment, on: datetime.date | None = None) -> RiskAssessment:
    risk = (
        RiskAssessment.objects.select_for_update(of=("self",))
        .select_related("participant", "organisation")
        .get(pk=risk.pk)
    )
    _require_home_organisation(actor, risk.participant)
    on = on or clock.today()
    if risk.ended_on is not None:
        raise ValidationError({"__all__": [_("This risk plan has already ended.")]})
    if on > clock.today():
        raise ValidationError({"on": [_("A plan cannot end in the future.")]})
    if on < risk.assessed_on:
        raise ValidationError({"on": [_("A plan cannot end before its assessment.")]})
    risk.ended_on = on
    risk.save(update_fields=["ended_on"])
    audit.record(
        actor=actor,
        action="casework.risk.ended",
        obj=risk,
        participant=risk.participant,
        organisation=risk.organisation,
        data={"ended_on": on.isoformat()},
    )
    announce(
        sender="casework",
        participant_id=risk.participant_id,
        kind=ChangeKind.RISK_PLAN,
        happened_on=on,
        actor_id=actor.pk,
    )
    return risk


# --- incidents (B9) -----------------------------------------------------------------------------------


def risk_plan_on(participant: Participant, on: datetime.date) -> RiskAssessment | None:
    """The participant's risk plan in force on a day (an incident's day, not the day it is recorded)."""
    from ancrage.casework.risk.selectors import risk_in_force

    return risk_in_force([participant.pk], on).get(participant.pk)


def incident_recipients(participant: Participant, enrollment: Enrollment | None) -> list[User]:
    """The participant's team: the primary case manager, the members of the enrollment's team and the team
    leads of the participant's organisation and of the enrollment's program organisation (active accounts
    only), each once."""
    ids: set[int] = set()
    if enrollment is not None and enrollment.primary_worker_id:
        ids.add(enrollment.primary_worker_id)
    lead_orgs = {participant.organisation_id}
    if enrollment is not None:
        lead_orgs.add(enrollment.program.organisation_id)
    member_filter = Q(organisation_id__in=lead_orgs, role=Role.TEAM_LEAD)
    if enrollment is not None and enrollment.team_id:
        member_filter |= Q(team_id=enrollment.team_id)
    ids |= set(Membership.objects.filter(member_filter, is_active=True).values_list("user_id", flat=True))
    return list(User.objects.filter(pk__in=ids, is_active=True).order_by("pk"))


def _send_incident_emails(recipients: list[User], incident: Incident, url: str) -> None:
    for user in recipients:
        if not user.email:
            continue
        with translation.override(user.language):
            subject = _("Police called about a participant")
            body = _(
                "The police were called about %(participant)s (%(when)s). The participant's risk plan asks "
                "that the team be told. Read the incident: %(url)s"
            ) % {
                "participant": incident.participant.display_name,
                "when": clock.localtime(incident.occurred_at).strftime("%Y-%m-%d %H:%M"),
                "url": url,
            }
        try:
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
        except OSError:  # the incident is saved and the in-app alerts are raised: say it in the logs
            logger.exception("Could not email user %s about incident %s", user.pk, incident.pk)


@transaction.atomic
def incident_record(
    *,
    actor: User,
    participant: Participant,
    kind: str,
    occurred_at: datetime.datetime,
    description: str,
    source: str = Incident.Source.STAFF,
    source_name: str = "",
) -> Incident:
    """Record an incident and tell the participant's team at once: an in-app alert to the primary case
    manager, the team's members and the team leads; by email too when the police were called and the risk
    plan in force on the incident's day asks for it (B9)."""
    org_id = _check_own_participant(actor, participant)
    errors: dict[str, list[str]] = {}
    if kind not in Incident.Kind.values:
        errors["kind"] = [_("Choose what kind of incident it was.")]
    if occurred_at is None:
        errors["occurred_at"] = [_("Say when it happened.")]
    elif occurred_at > clock.now() + datetime.timedelta(minutes=5):
        errors["occurred_at"] = [_("An incident cannot be dated in the future.")]
    if not (description or "").strip():
        errors["description"] = [_("Say what happened.")]
    if source not in Incident.Source.values:
        errors["source"] = [_("Choose who reported it.")]
    elif source == Incident.Source.PARTNER_NOTICE and not (source_name or "").strip():
        errors["source_name"] = [_("Name the partner or person who gave notice.")]
    if errors:
        raise ValidationError(errors)
    now = clock.now()
    incident = Incident.objects.create(
        participant=participant,
        organisation_id=org_id,
        kind=kind,
        occurred_at=occurred_at,
        description=description.strip(),
        source=source,
        source_name=(source_name or "").strip(),
        recorded_by=actor,
        recorded_at=now,
        team_notified_at=now,
    )
    enrollment = active_enrollment(participant)
    recipients = [u for u in incident_recipients(participant, enrollment) if u.pk != actor.pk]
    url = reverse("casework:incident_list", kwargs={"pk": participant.pk})
    for user in recipients:
        alerts.raise_alert(
            recipient_id=user.pk,
            kind="casework.incident.recorded",
            obj=incident,
            participant=participant,
            params={"kind": kind},
            url=url,
        )
    emailed: list[int] = []
    if kind == Incident.Kind.POLICE_CALLED:
        # What the plan asked on the day of the incident decides, even if the incident is recorded later.
        risk = risk_plan_on(participant, clock.localdate(occurred_at))
        if risk is not None and risk.notify_team_on_police:
            emailed = [u.pk for u in recipients if u.email]
            transaction.on_commit(
                lambda: _send_incident_emails(recipients, incident, settings.SITE_URL + url)
            )
    audit.record(
        actor=actor,
        action="casework.incident.recorded",
        obj=incident,
        participant=participant,
        organisation=incident.organisation,
        data={
            "kind": kind,
            "source": source,
            "notified": [u.pk for u in recipients],
            "emailed": emailed,
        },
    )
    announce(
        sender="casework",
        participant_id=participant.pk,
        kind=ChangeKind.HOSPITALISED if kind == Incident.Kind.HOSPITAL else ChangeKind.INCIDENT,
        happened_on=clock.localdate(occurred_at),
        actor_id=actor.pk,
    )
    return incident


# --- on-call (B10) ------------------------------------------------------------------------------------


@transaction.atomic
def on_call_log(
    *,
    actor: User,
    organisation: Organisation | None,
    called_at: datetime.datetime,
    caller: str,
    summary: str,
    action_taken: str = "",
    participant: Participant | None = None,
    follow_up: bool = False,
) -> OnCallEntry:
    errors: dict[str, list[str]] = {}
    if organisation is None or organisation.pk not in actor.organisation_ids:
        errors["organisation"] = [_("Choose one of your organisations.")]
    if called_at is None:
        errors["called_at"] = [_("Say when the call came in.")]
    elif called_at > clock.now() + datetime.timedelta(minutes=5):
        errors["called_at"] = [_("A call cannot be dated in the future.")]
    if not (caller or "").strip():
        errors["caller"] = [_("Say who called.")]
    if not (summary or "").strip():
        errors["summary"] = [_("Say what the call was about.")]
    if (
        participant is not None
        and organisation is not None
        and organisation.pk not in serving_organisation_ids(participant)
    ):
        errors["participant"] = [_("Choose a participant this organisation serves.")]
    if errors:
        raise ValidationError(errors)
    assert organisation is not None  # refused above otherwise
    entry = OnCallEntry.objects.create(
        organisation=organisation,
        participant=participant,
        called_at=called_at,
        caller=caller.strip(),
        summary=summary.strip(),
        action_taken=(action_taken or "").strip(),
        follow_up=follow_up,
        answered_by=actor,
    )
    audit.record(
        actor=actor,
        action="casework.on_call.logged",
        obj=entry,
        participant=participant,
        organisation=organisation,
        data={"follow_up": follow_up},
    )
    return entry


@transaction.atomic
def on_call_shift_set(
    *,
    actor: User,
    organisation: Organisation | None,
    worker: User | None,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    phone: str = "",
) -> OnCallShift:
    errors: dict[str, list[str]] = {}
    if organisation is None or organisation.pk not in actor.organisation_ids:
        errors["organisation"] = [_("Choose one of your organisations.")]
    elif (
        worker is None
        or not Membership.objects.filter(
            user=worker, organisation=organisation, is_active=True, user__is_active=True
        ).exists()
    ):
        errors["worker"] = [_("Choose a worker of this organisation.")]
    if starts_at is None:
        errors["starts_at"] = [_("Say when the shift starts.")]
    if ends_at is None:
        errors["ends_at"] = [_("Say when the shift ends.")]
    elif starts_at is not None and ends_at <= starts_at:
        errors["ends_at"] = [_("The shift must end after it starts.")]
    if errors:
        raise ValidationError(errors)
    assert organisation is not None  # refused above otherwise
    assert worker is not None
    shift = OnCallShift.objects.create(
        organisation=organisation,
        worker=worker,
        starts_at=starts_at,
        ends_at=ends_at,
        phone=(phone or "").strip(),
    )
    audit.record(
        actor=actor,
        action="casework.on_call.shift_set",
        obj=shift,
        organisation=organisation,
        data={
            "worker": worker.pk,
            "starts_at": starts_at.isoformat(),
            "ends_at": ends_at.isoformat(),
            "phone": bool(shift.phone),
        },
    )
    return shift
