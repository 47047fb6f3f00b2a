"""Writes of case management for the directory of external services, referrals out (B7), incidents and the
on-call log (B9, B10), and lost contact (B12). Each service validates, saves and writes its audit entry in one
transaction. Declining a referral never costs the participant anything (B11): no service here changes an
enrollment's status, and lost contact is a reason to re-engage, never a discharge."""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from ancrage.accounts.models import Membership, User
from ancrage.casework.models import (
    Contact,
    Enrollment,
    Incident,
    OnCallEntry,
    OnCallShift,
    OutreachTask,
    ReengagementPlan,
    ReferralAttempt,
    RiskAssessment,
    ServiceKind,
    ServiceProvider,
    ServiceReferral,
    ServiceReferralStatus,
)
from ancrage.casework.selectors import active_enrollment, serving_organisation_ids, writing_organisation_id
from ancrage.core import alerts, audit, clock
from ancrage.core.permissions import Category, Role
from ancrage.people.models import Consent

if TYPE_CHECKING:
    from ancrage.organisations.models import Consortium, Organisation
    from ancrage.people.models import Participant

logger = logging.getLogger(__name__)

S = ServiceReferralStatus

# The forward path of a referral (B7). Declined and no-show can be recorded at any point.
REFERRAL_FLOW = [S.PROPOSED, S.APPROVED, S.SENT, S.APPOINTMENT_SET, S.ACCOMPANIED, S.LINKED]
# Steps that send information or the participant to the provider: they need the participant's approval.
NEEDS_APPROVAL = {S.SENT, S.APPOINTMENT_SET, S.ACCOMPANIED, S.LINKED}

PROVIDER_FIELDS = (
    "name",
    "name_en",
    "kind",
    "address",
    "phone",
    "email",
    "website",
    "description",
    "organisation",
    "is_active",
)


def _actor_organisation(actor):
    membership = actor.primary_membership if actor is not None else None
    return membership.organisation if membership else None


def _check_own_participant(actor, participant) -> int:
    """Only an organisation serving the participant (home, or that of a program where they are actively
    enrolled) records their casework (consent opens reading, never writing). Returns the organisation in whose
    name the actor records."""
    org_id = writing_organisation_id(actor, participant)
    if org_id is None:
        raise ValidationError({"participant": [_("You cannot record anything for this participant.")]})
    return org_id


# --- directory of external services -------------------------------------------------------------------


def _validate_provider(values: dict, consortium) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not str(values.get("name") or "").strip():
        errors["name"] = [_("Give the service's name.")]
    if values.get("kind") not in ServiceKind.values:
        errors["kind"] = [_("Choose the kind of service.")]
    organisation = values.get("organisation")
    if organisation is not None and organisation.consortium_id != consortium.pk:
        errors["organisation"] = [_("Choose a partner organisation of the consortium.")]
    return errors


@transaction.atomic
def provider_create(
    *,
    actor: User,
    consortium: Consortium,
    name: str,
    kind: str,
    name_en: str = "",
    address: str = "",
    phone: str = "",
    email: str = "",
    website: str = "",
    description: str = "",
    organisation=None,
) -> ServiceProvider:
    values = {
        "name": (name or "").strip(),
        "name_en": (name_en or "").strip(),
        "kind": kind,
        "address": address.strip(),
        "phone": phone.strip(),
        "email": email.strip(),
        "website": website.strip(),
        "description": description.strip(),
        "organisation": organisation,
    }
    errors = _validate_provider(values, consortium)
    if errors:
        raise ValidationError(errors)
    provider = ServiceProvider.objects.create(consortium=consortium, **values)
    audit.record(
        actor=actor,
        action="casework.provider.created",
        obj=provider,
        data=audit.snapshot(provider, ["name", "kind", "organisation"]),
    )
    return provider


@transaction.atomic
def provider_update(*, actor: User, provider: ServiceProvider, **fields) -> ServiceProvider:
    unknown = set(fields) - set(PROVIDER_FIELDS)
    if unknown:
        raise TypeError(f"provider_update() got unexpected fields {sorted(unknown)}")
    provider = ServiceProvider.objects.select_for_update().get(pk=provider.pk)
    before = audit.snapshot(provider, list(PROVIDER_FIELDS))
    values = {f: getattr(provider, f) for f in PROVIDER_FIELDS}
    for key, value in fields.items():
        values[key] = value.strip() if isinstance(value, str) else value
    errors = _validate_provider(values, provider.consortium)
    if errors:
        raise ValidationError(errors)
    for key, value in values.items():
        setattr(provider, key, value)
    provider.save()
    diff = audit.changes(before, audit.snapshot(provider, list(PROVIDER_FIELDS)))
    if diff:
        audit.record(actor=actor, action="casework.provider.changed", obj=provider, data=diff)
    return provider


# --- referrals to other services (B7) -----------------------------------------------------------------


def consent_for_sharing(
    participant: Participant,
    organisation: Organisation | None,
    categories: Iterable[str],
    on: datetime.date | None = None,
) -> Consent | None:
    """The in-force consent of `participant` naming `organisation` that covers every one of `categories`
    (the most recent when several do), or None."""
    wanted = set(categories)
    if organisation is None:
        return None
    candidates = (
        Consent.objects.in_force(on)
        .filter(participant=participant, organisations=organisation)
        .prefetch_related("category_rows")
        .order_by("-starts_on", "-id")
    )
    for consent in candidates:
        if wanted <= set(consent.category_codes):
            return consent
    return None


def shareable_categories(
    participant: Participant, organisation: Organisation | None, on: datetime.date | None = None
) -> list[str]:
    """The categories an in-force consent allows to share with `organisation` (none for a provider that is
    not a partner organisation: no consent can name it)."""
    if organisation is None:
        return []
    allowed: set[str] = set()
    for consent in (
        Consent.objects.in_force(on)
        .filter(participant=participant, organisations=organisation)
        .prefetch_related("category_rows")
    ):
        allowed |= set(consent.category_codes)
    return [c for c in Category.values if c in allowed]


@transaction.atomic
def referral_create(
    *,
    actor: User,
    participant: Participant,
    provider: ServiceProvider | None,
    need: str,
    approved_on: datetime.date | None = None,
    shared_categories: Iterable[str] = (),
    exit=None,
) -> ServiceReferral:
    org_id = _check_own_participant(actor, participant)
    today = clock.today()
    shared = [c for c in Category.values if c in set(shared_categories)]
    errors: dict[str, list[str]] = {}
    if provider is None or not provider.is_active:
        errors["provider"] = [_("Choose an active service from the directory.")]
    elif provider.consortium_id != participant.organisation.consortium_id:
        errors["provider"] = [_("Choose a service from your consortium's directory.")]
    if not (need or "").strip():
        errors["need"] = [_("Say what the need is, as identified with the participant.")]
    if approved_on is not None and approved_on > today:
        errors["approved_on"] = [_("The participant's approval cannot be dated in the future.")]
    unknown = set(shared_categories) - set(Category.values)
    if unknown:
        errors["shared_categories"] = [_("Choose kinds of information from the list.")]
    consent = None
    if shared and provider is not None and "provider" not in errors and not unknown:
        if provider.organisation is None:
            errors["shared_categories"] = [
                _(
                    "This service is not a partner organisation: no consent can name it, so no information "
                    "can be shared with it. Refer without sharing, or give the information with the "
                    "participant."
                )
            ]
        else:
            consent = consent_for_sharing(participant, provider.organisation, shared)
            if consent is None:
                errors["shared_categories"] = [
                    _(
                        "No consent in force names %(organisation)s for this information: nothing can be "
                        "shared with it. Record the participant's consent first, or refer without sharing."
                    )
                    % {"organisation": provider.organisation.name}
                ]
    if errors or provider is None:
        raise ValidationError(errors)
    status = S.APPROVED if approved_on else S.PROPOSED
    referral = ServiceReferral.objects.create(
        participant=participant,
        organisation_id=org_id,
        enrollment=active_enrollment(participant),
        provider=provider,
        need=need.strip(),
        status=status,
        approved_on=approved_on,
        shared_categories=shared,
        consent=consent,
        exit=exit,
        created_by=actor,
    )
    ReferralAttempt.objects.create(referral=referral, status=status, on=approved_on or today, by=actor)
    audit.record(
        actor=actor,
        action="casework.referral.created",
        obj=referral,
        participant=participant,
        organisation=referral.organisation,
        data={
            "provider": provider.pk,
            "status": status,
            "shared_categories": shared,
            "consent": consent.pk if consent else None,
            "exit": exit.pk if exit is not None else None,
        },
    )
    return referral


@transaction.atomic
def referral_step(
    *,
    actor: User,
    referral: ServiceReferral,
    status: str,
    on: datetime.date | None = None,
    note: str = "",
    appointment_at: datetime.datetime | None = None,
) -> ReferralAttempt:
    """Record one step or linkage attempt of a referral; every one is kept. Forward along proposed → approved →
    sent → appointment set → accompanied → linked; declined and no-show at any point; after a decline or a
    no-show, any step again (a new attempt). Declining changes nothing else (B11)."""
    referral = ServiceReferral.objects.select_for_update().get(pk=referral.pk)
    _check_own_participant(actor, referral.participant)
    on = on or clock.today()
    errors: dict[str, list[str]] = {}
    if status not in S.values:
        errors["status"] = [_("Choose the referral's new status.")]
        raise ValidationError(errors)
    status = S(status)
    current = S(referral.status)
    if on > clock.today():
        errors["on"] = [_("A step cannot be dated in the future.")]
    else:
        began = referral.attempts.order_by("on").values_list("on", flat=True).first()
        if began is not None and on < began:
            errors["on"] = [_("A step cannot be dated before the referral began.")]
    if current == S.LINKED and status != S.LINKED:
        errors["status"] = [_("The participant is already linked with this service: make a new referral.")]
    elif (
        status in REFERRAL_FLOW
        and current in REFERRAL_FLOW
        and REFERRAL_FLOW.index(status) < REFERRAL_FLOW.index(current)
    ):
        errors["status"] = [
            _("The referral is already at “%(current)s”: a step cannot go back.") % {"current": current.label}
        ]
    if status in NEEDS_APPROVAL and referral.approved_on is None:
        errors["status"] = [_("Record the participant's approval first: nothing is sent without it.")]
    if status == S.APPOINTMENT_SET and appointment_at is None:
        errors["appointment_at"] = [_("Give the appointment's date and time.")]
    if status in {S.DECLINED, S.NO_SHOW} and status == current and not note.strip():
        errors["note"] = [_("Say what happened at this new attempt.")]
    if errors:
        raise ValidationError(errors)
    attempt = ReferralAttempt.objects.create(
        referral=referral, status=status, on=on, note=note.strip(), by=actor
    )
    referral.status = status
    if status == S.APPROVED and referral.approved_on is None:
        referral.approved_on = on
    if appointment_at is not None:
        referral.appointment_at = appointment_at
    referral.save(update_fields=["status", "approved_on", "appointment_at", "updated_at"])
    audit.record(
        actor=actor,
        action="casework.referral.step",
        obj=referral,
        participant=referral.participant,
        organisation=referral.organisation,
        data={"from": current.value, "to": status.value, "on": on.isoformat(), "attempt": attempt.pk},
    )
    return attempt


# --- incidents (B9) -----------------------------------------------------------------------------------


def risk_plan_on(participant: Participant, on: datetime.date) -> RiskAssessment | None:
    """The participant's risk plan in force on a day (an incident's day, not the day it is recorded)."""
    from ancrage.casework.selectors_contacts import risk_in_force

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
        organisation=organisation, worker=worker, starts_at=starts_at, ends_at=ends_at
    )
    audit.record(
        actor=actor,
        action="casework.on_call.shift_set",
        obj=shift,
        organisation=organisation,
        data={"worker": worker.pk, "starts_at": starts_at.isoformat(), "ends_at": ends_at.isoformat()},
    )
    return shift


# --- lost contact (B12) -------------------------------------------------------------------------------


def _end_of(day: datetime.date) -> datetime.datetime:
    """The first moment after `day` in Montréal: contacts before it happened on or before that day."""
    return clock.start_of_day(day + datetime.timedelta(days=1))


def _last_contact_on(participant, on: datetime.date) -> datetime.date | None:
    """The day of the last contact with the participant present, on or before `on`."""
    last = Contact.objects.filter(
        participant=participant, participant_present=True, occurred_at__lt=_end_of(on)
    ).aggregate(last=Max("occurred_at"))["last"]
    return clock.localdate(last) if last else None


@transaction.atomic
def lost_contact_flag(
    *,
    actor: User | None,
    enrollment: Enrollment,
    on: datetime.date | None = None,
    last_contact_on: datetime.date | None = None,
) -> ReengagementPlan:
    """Flag lost contact on an active enrollment and start a re-engagement plan with the default places to
    look (shelters, hospitals, detention, usual places, and the participant's natural supports). Never a
    discharge: the enrollment stays active (B12)."""
    enrollment = (
        Enrollment.objects.select_for_update(of=("self",)).select_related("participant").get(pk=enrollment.pk)
    )
    participant = enrollment.participant
    on = on or clock.today()
    if not enrollment.is_active:
        raise ValidationError({"__all__": [_("This enrollment has ended: there is no one to look for.")]})
    if ReengagementPlan.objects.filter(enrollment=enrollment, status=ReengagementPlan.Status.OPEN).exists():
        raise ValidationError({"__all__": [_("A re-engagement plan is already open for this participant.")]})
    if last_contact_on is None:
        last_contact_on = _last_contact_on(participant, on)
    since = max(d for d in (last_contact_on, enrollment.enrolled_on) if d is not None)
    plan = ReengagementPlan.objects.create(
        enrollment=enrollment,
        participant=participant,
        started_on=on,
        last_contact_on=last_contact_on,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    worker_id = enrollment.primary_worker_id
    place = OutreachTask.Place
    tasks = [
        OutreachTask(plan=plan, place_kind=place.SHELTER, assigned_to_id=worker_id),
        OutreachTask(plan=plan, place_kind=place.HOSPITAL, assigned_to_id=worker_id),
        OutreachTask(plan=plan, place_kind=place.DETENTION, assigned_to_id=worker_id),
        OutreachTask(
            plan=plan,
            place_kind=place.USUAL_PLACE,
            place=(participant.current_location or "")[:200],
            assigned_to_id=worker_id,
        ),
    ]
    for support in participant.support_contacts.all():
        label = " · ".join(x for x in (support.name, support.relationship, support.phone) if x)
        tasks.append(
            OutreachTask(
                plan=plan, place_kind=place.SUPPORT_CONTACT, place=label[:200], assigned_to_id=worker_id
            )
        )
    OutreachTask.objects.bulk_create(tasks)
    enrollment.lost_contact_since = since
    enrollment.save(update_fields=["lost_contact_since", "updated_at"])
    if worker_id:
        alerts.raise_alert(
            recipient_id=worker_id,
            kind="casework.lost_contact",
            obj=plan,
            participant=participant,
            params={"days": (on - since).days},
            url=reverse("casework:reengagement", kwargs={"pk": participant.pk}),
        )
    audit.record(
        actor=actor,
        action="casework.lost_contact.flagged",
        obj=plan,
        participant=participant,
        organisation=participant.organisation,
        data={"since": since.isoformat(), "tasks": len(tasks)},
    )
    return plan


def lost_contacts_flag(today: datetime.date | None = None) -> int:
    """Daily: every active enrollment with no contact with the participant present for LOST_CONTACT_DAYS
    (counted from the enrollment date when there was none since) and no open re-engagement plan gets one.
    Returns how many were flagged."""
    today = today or clock.today()
    days = settings.ANCRAGE["LOST_CONTACT_DAYS"]
    limit = today - datetime.timedelta(days=days)
    # Only contacts up to the day the job runs for count: run for a past day, it sees what was known then.
    seen = Q(participant__contacts__participant_present=True) & Q(
        participant__contacts__occurred_at__lt=_end_of(today)
    )
    candidates = (
        Enrollment.objects.filter(
            status=Enrollment.Status.ACTIVE, lost_contact_since__isnull=True, enrolled_on__lt=limit
        )
        .exclude(reengagement_plans__status=ReengagementPlan.Status.OPEN)
        .annotate(last_contact=Max("participant__contacts__occurred_at", filter=seen))
        .order_by("pk")
    )
    flagged = 0
    for enrollment in candidates:
        last = clock.localdate(enrollment.last_contact) if enrollment.last_contact else None
        if last is not None and last >= limit:
            continue
        try:
            lost_contact_flag(actor=None, enrollment=enrollment, on=today, last_contact_on=last)
        except ValidationError:
            continue
        flagged += 1
    return flagged


@transaction.atomic
def outreach_task_add(
    *,
    actor: User,
    plan: ReengagementPlan,
    place_kind: str,
    place: str = "",
    assigned_to=None,
    due_on: datetime.date | None = None,
) -> OutreachTask:
    errors: dict[str, list[str]] = {}
    if plan.status != ReengagementPlan.Status.OPEN:
        errors["__all__"] = [_("This re-engagement plan is closed.")]
    if place_kind not in OutreachTask.Place.values:
        errors["place_kind"] = [_("Choose where to look.")]
    elif place_kind == OutreachTask.Place.OTHER and not (place or "").strip():
        errors["place"] = [_("Say where to look.")]
    if due_on is not None and due_on < plan.started_on:
        errors["due_on"] = [_("The date must be on or after the plan's start.")]
    if (
        assigned_to is not None
        and not Membership.objects.filter(
            user=assigned_to,
            organisation_id__in=serving_organisation_ids(plan.participant),
            is_active=True,
        ).exists()
    ):
        errors["assigned_to"] = [_("Choose a worker of an organisation serving the participant.")]
    if errors:
        raise ValidationError(errors)
    task = OutreachTask.objects.create(
        plan=plan,
        place_kind=place_kind,
        place=(place or "").strip(),
        assigned_to=assigned_to,
        due_on=due_on,
    )
    audit.record(
        actor=actor,
        action="casework.lost_contact.task_added",
        obj=task,
        participant=plan.participant,
        organisation=plan.participant.organisation,
        data={"place_kind": place_kind},
    )
    return task


@transaction.atomic
def outreach_task_done(
    *, actor: User, task: OutreachTask, outcome: str, done_on: datetime.date | None = None
) -> OutreachTask:
    task = (
        OutreachTask.objects.select_for_update(of=("self",))
        .select_related("plan__participant")
        .get(pk=task.pk)
    )
    done_on = done_on or clock.today()
    errors: dict[str, list[str]] = {}
    if task.done_on is not None:
        errors["__all__"] = [_("This search is already recorded as done.")]
    if not (outcome or "").strip():
        errors["outcome"] = [_("Say what was found, even if nothing.")]
    if done_on > clock.today():
        errors["done_on"] = [_("A search cannot be dated in the future.")]
    if errors:
        raise ValidationError(errors)
    task.done_on = done_on
    task.outcome = outcome.strip()
    task.save(update_fields=["done_on", "outcome"])
    audit.record(
        actor=actor,
        action="casework.lost_contact.task_done",
        obj=task,
        participant=task.plan.participant,
        organisation=task.plan.participant.organisation,
        data={"done_on": done_on.isoformat()},
    )
    return task


def _close_plan(*, actor, plan: ReengagementPlan, status: str, on: datetime.date, note: str) -> None:
    plan.status = status
    plan.closed_on = on
    if note:
        plan.note = note
    plan.save(update_fields=["status", "closed_on", "note"])
    alerts.resolve(kind="casework.lost_contact", obj=plan)
    audit.record(
        actor=actor,
        action="casework.lost_contact.closed",
        obj=plan,
        participant=plan.participant,
        organisation=plan.participant.organisation,
        data={"status": status, "closed_on": on.isoformat()},
    )


@transaction.atomic
def reengagement_close(
    *, actor: User, plan: ReengagementPlan, status: str, note: str = ""
) -> ReengagementPlan:
    """Close a re-engagement plan: back in contact, or closed for another reason said in the note. The
    enrollment stays as it is (an exit is recorded separately, never here)."""
    plan = (
        ReengagementPlan.objects.select_for_update(of=("self",)).select_related("participant").get(pk=plan.pk)
    )
    errors: dict[str, list[str]] = {}
    if plan.status != ReengagementPlan.Status.OPEN:
        errors["__all__"] = [_("This re-engagement plan is already closed.")]
    if status not in {ReengagementPlan.Status.RECONNECTED, ReengagementPlan.Status.CLOSED}:
        errors["status"] = [_("Choose how the plan ends.")]
    elif status == ReengagementPlan.Status.CLOSED and not (note or "").strip():
        errors["note"] = [_("Say why the plan is closed without being back in contact.")]
    if errors:
        raise ValidationError(errors)
    _close_plan(actor=actor, plan=plan, status=status, on=clock.today(), note=(note or "").strip())
    Enrollment.objects.filter(pk=plan.enrollment_id).update(lost_contact_since=None, updated_at=clock.now())
    return plan


@transaction.atomic
def contact_made(*, contact: Contact) -> int:
    """Called by contact_log after each contact: when the participant was present, any open re-engagement plan
    closes as back in contact and the lost-contact flag is cleared. Returns how many plans were closed."""
    if not contact.participant_present:
        return 0
    on = clock.localdate(contact.occurred_at)
    # A contact logged late but dated on or before the last one the plan knew of is not a return: only a
    # contact after the loss of contact closes the plan and clears the flag.
    plans = list(
        ReengagementPlan.objects.select_for_update(of=("self",))
        .filter(participant_id=contact.participant_id, status=ReengagementPlan.Status.OPEN)
        .filter(Q(last_contact_on__isnull=True) | Q(last_contact_on__lt=on))
        .select_related("participant__organisation")
    )
    for plan in plans:
        _close_plan(
            actor=contact.recorded_by, plan=plan, status=ReengagementPlan.Status.RECONNECTED, on=on, note=""
        )
    Enrollment.objects.filter(
        participant_id=contact.participant_id,
        status=Enrollment.Status.ACTIVE,
        lost_contact_since__lt=on,
    ).update(lost_contact_since=None, updated_at=clock.now())
    return len(plans)
