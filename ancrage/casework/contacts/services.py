"""Writes of contacts and field visits (B2, B3, B9)."""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ancrage.accounts.models import Membership, User
from ancrage.casework.models import Contact, ContactKind, Enrollment, FieldVisit, Goal, OnCallShift
from ancrage.casework.selectors import enrollment_on
from ancrage.casework.serving import _require_home_organisation
from ancrage.core import alerts, audit, clock
from ancrage.core.api_types import DATE_MAX, DATE_MIN
from ancrage.core.models import Alert
from ancrage.core.permissions import Role
from ancrage.organisations.models import Organisation

if TYPE_CHECKING:
    from ancrage.people.models import Participant


logger = logging.getLogger(__name__)


MAX_CONTACT_MINUTES = 720
MAX_VISIT_HOURS = 12


def _staff_of(organisation_id: int, users: Iterable) -> list[User]:
    """The given users (or ids) who work in the organisation now, in a stable order."""
    ids = {u.pk if isinstance(u, User) else int(u) for u in users}
    if not ids:
        return []
    return list(
        User.objects.filter(
            pk__in=ids,
            is_active=True,
            memberships__organisation_id=organisation_id,
            memberships__is_active=True,
        )
        .distinct()
        .order_by("pk")
    )


def _aware(value, field: str) -> datetime.datetime:
    """A moment typed by a person, in Montréal time, within the dates the registry holds (a year 1 or 9999
    typed on a page is refused here, in words, rather than overflowing later when a duration is added)."""
    if not isinstance(value, datetime.datetime):
        raise ValidationError({field: [_("Give a date and a time.")]})
    if not DATE_MIN <= value.date() <= DATE_MAX:
        raise ValidationError(
            {
                field: [
                    _("Choose a date between %(min)s and %(max)s.")
                    % {"min": DATE_MIN.isoformat(), "max": DATE_MAX.isoformat()}
                ]
            }
        )
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value


def organisation_staff(organisation_id: int):
    """Everyone who works in the organisation now (case managers, peer support workers, team leads…)."""
    return (
        User.objects.filter(
            is_active=True,
            memberships__organisation_id=organisation_id,
            memberships__is_active=True,
        )
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


# --- contacts (B2, B3) ------------------------------------------------------------------------------------


class VisitAlreadyLoggedError(ValidationError):
    """A field visit is one contact: the visit's contact is already logged (`contact`)."""

    def __init__(self, contact: Contact):
        self.contact = contact
        super().__init__(
            {
                "visit": [
                    ValidationError(
                        _(
                            "The contact of this field visit is already logged (%(when)s): open it rather than log it twice."
                        )
                        % {
                            "when": date_format(clock.localtime(contact.occurred_at), "SHORT_DATETIME_FORMAT")
                        },
                        code="visit_already_logged",
                    )
                ]
            }
        )


def visit_contact(visit: FieldVisit | None) -> Contact | None:
    """The contact already logged for the visit, if any."""
    if visit is None:
        return None
    return Contact.objects.filter(visit=visit).first()


def _wanted_staff(actor: User, staff: Iterable) -> set[int]:
    """The staff present a contact names (users or ids), the actor always among them."""
    return {u.pk if isinstance(u, User) else int(u) for u in staff} | {actor.pk}


def _checked_contact(
    *,
    participant: Participant,
    org_id: int,
    occurred_at,
    duration_minutes,
    kind,
    wanted_staff: set[int],
    staff_users: list[User],
    goal_ids: set[int],
    goals_found: int,
    visit: FieldVisit | None,
) -> tuple[datetime.datetime, int]:
    """A contact's moment (aware) and minutes, or the ValidationError that refuses it: `staff_users` are the
    wanted staff who work in the organisation, `goals_found` how many of `goal_ids` are the participant's."""
    errors: dict[str, list[str]] = {}
    if occurred_at is None:
        errors["occurred_at"] = [_("Give the date and time of the contact.")]
    else:
        occurred_at = _aware(occurred_at, "occurred_at")
        # A contact is logged while it is remembered: one dated long ago is a typing error more often than
        # a memory, and it would move the weekly standard and lost contact of a closed past.
        backdate = settings.ANCRAGE["CONTACT_BACKDATE_DAYS"]
        if occurred_at > clock.now():
            errors["occurred_at"] = [_("A contact cannot be dated in the future.")]
        elif clock.localdate(occurred_at) < clock.today() - datetime.timedelta(days=backdate):
            errors["occurred_at"] = [
                _("A contact cannot be dated more than %(days)s days ago.") % {"days": backdate}
            ]
    try:
        minutes = int(duration_minutes)
    except (TypeError, ValueError):
        minutes = 0
    if not 1 <= minutes <= MAX_CONTACT_MINUTES:
        errors["duration_minutes"] = [
            _("The duration must be between 1 and %(max)s minutes.") % {"max": MAX_CONTACT_MINUTES}
        ]
    if kind not in ContactKind.values:
        errors["kind"] = [_("Choose the kind of contact.")]
    if {u.pk for u in staff_users} != wanted_staff:
        errors["staff"] = [_("Staff present must work in your organisation.")]
    if goals_found != len(goal_ids):
        errors["goals"] = [_("The goals discussed must be goals of the participant's recovery plan.")]
    if visit is not None and (visit.participant_id != participant.pk or visit.organisation_id != org_id):
        errors["visit"] = [_("This field visit is not one of this participant's.")]
    if errors:
        raise ValidationError(errors)
    return occurred_at, minutes


@transaction.atomic
def contact_log(
    *,
    actor: User,
    participant: Participant,
    occurred_at,
    duration_minutes,
    kind,
    participant_present=True,
    staff=(),
    goals=(),
    shared_note="",
    private_note="",
    visit=None,
) -> Contact:
    """Log one contact. Not in the future, nor more than CONTACT_BACKDATE_DAYS ago; 1 to 720 minutes; the actor is always among the staff present;
    the goals discussed are those of the participant's recovery plan."""
    org_id = _require_home_organisation(actor, participant)
    wanted_staff = _wanted_staff(actor, staff)
    goal_ids = {g.pk if isinstance(g, Goal) else int(g) for g in goals}
    staff_users = _staff_of(org_id, wanted_staff)
    goal_objs = list(Goal.objects.filter(pk__in=goal_ids, plan__participant=participant))
    occurred_at, minutes = _checked_contact(
        participant=participant,
        org_id=org_id,
        occurred_at=occurred_at,
        duration_minutes=duration_minutes,
        kind=kind,
        wanted_staff=wanted_staff,
        staff_users=staff_users,
        goal_ids=goal_ids,
        goals_found=len(goal_objs),
        visit=visit,
    )
    if visit is not None:
        # One contact a visit: the visit's row is locked, so two saves at once see each other.
        FieldVisit.objects.select_for_update(of=("self",)).filter(pk=visit.pk).first()
        existing = visit_contact(visit)
        if existing is not None:
            raise VisitAlreadyLoggedError(existing)
    # The enrollment of the contact's day: a contact logged late is counted where it happened.
    enrollment = enrollment_on(participant, clock.localdate(occurred_at))
    try:
        with transaction.atomic():
            contact = Contact.objects.create(
                participant=participant,
                enrollment=enrollment,
                organisation_id=org_id,
                occurred_at=occurred_at,
                duration_minutes=minutes,
                kind=kind,
                participant_present=bool(participant_present),
                shared_note=(shared_note or "").strip(),
                private_note=(private_note or "").strip(),
                visit=visit,
                recorded_by=actor,
            )
    except IntegrityError:
        # The database's own guard (casework_one_contact_per_visit), should the lock not have been taken.
        existing = visit_contact(visit)
        if existing is None:
            raise
        raise VisitAlreadyLoggedError(existing) from None
    contact.staff.set(staff_users)
    if goal_objs:
        contact.goals_discussed.set(goal_objs)
    audit.record(
        actor=actor,
        action="casework.contact.logged",
        obj=contact,
        participant=participant,
        organisation=contact.organisation,
        data={
            "kind": kind,
            "occurred_at": occurred_at.isoformat(),
            "duration_minutes": minutes,
            "participant_present": bool(participant_present),
            "staff": sorted(u.pk for u in staff_users),
            "goals": sorted(g.pk for g in goal_objs),
            "visit": visit.pk if visit is not None else None,
        },
    )
    _contact_made(contact)
    return contact


def _contact_made(contact: Contact) -> None:
    """Tell the lost-contact part (referrals) that the participant was seen; tolerated while it is absent."""
    try:
        from ancrage.casework.reengagement import services as reengagement_services

        hook = reengagement_services.contact_made
    except (ImportError, AttributeError):
        return
    hook(contact=contact)


@dataclass(frozen=True)
class ContactToLog:
    """One contact `contacts_log_many` logs: `contact_log`'s arguments, and the moment it is logged
    (`logged_at`, the clock's when not given): its `recorded_at`, its audit entry's moment and the "now"
    its date is checked against."""

    actor: User
    participant: Participant
    occurred_at: datetime.datetime | None
    duration_minutes: int | str | None
    kind: str
    participant_present: bool = True
    staff: Sequence[User | int] = ()
    goals: Sequence[Goal | int] = ()
    shared_note: str = ""
    private_note: str = ""
    visit: FieldVisit | None = None
    logged_at: datetime.datetime | None = None


def _enrollments_on(days: list[tuple[int, datetime.date]]) -> list[int | None]:
    """`enrollment_on` (its id) for each (participant id, day), in one query."""
    if not days:
        return []
    candidates: dict[int, list[tuple[int, datetime.date, datetime.date | None, int]]] = {}
    for pk, participant_id, status, enrolled_on, exited_on in (
        Enrollment.objects.filter(
            participant_id__in={participant_id for participant_id, _day in days},
            enrolled_on__lte=max(day for _participant_id, day in days),
        )
        .filter(
            Q(status=Enrollment.Status.ACTIVE)
            | Q(status=Enrollment.Status.EXITED, exited_on__gte=min(day for _participant_id, day in days))
        )
        .values_list("pk", "participant_id", "status", "enrolled_on", "exited_on")
    ):
        running = 0 if status == Enrollment.Status.ACTIVE else 1
        candidates.setdefault(participant_id, []).append((running, enrolled_on, exited_on, pk))
    found: list[int | None] = []
    for participant_id, day in days:
        # An active one first, then the most recent (`enrollment_on`'s order).
        on_day = [
            (running, -enrolled_on.toordinal(), -pk)
            for running, enrolled_on, exited_on, pk in candidates.get(participant_id, [])
            if enrolled_on <= day and (running == 0 or (exited_on is not None and exited_on >= day))
        ]
        found.append(-min(on_day)[2] if on_day else None)
    return found


@transaction.atomic
def contacts_log_many(*, contacts: Sequence[ContactToLog]) -> list[Contact]:
    """`contact_log` for each contact, in order, each at its `logged_at`, in a few statements: the same
    contacts (their enrollment of the day, staff present and goals discussed), the same audit entries and
    the same lost-contact hook. The rules are those of `contact_log`, checked against the registry as it is
    when this runs (the caller writes nothing else in between): the first contact refused raises the
    ValidationError `contact_log` would have raised for it, and nothing is written."""
    if not contacts:
        return []
    now = clock.now()
    moments = [c.logged_at or now for c in contacts]
    # The organisation each contact is recorded in, or the refusal, per actor and participant.
    writing: dict[tuple[int, int], int | ValidationError] = {}
    for c in contacts:
        key = (c.actor.pk, c.participant.pk)
        if key not in writing:
            try:
                writing[key] = _require_home_organisation(c.actor, c.participant)
            except ValidationError as exc:
                writing[key] = exc
    wanted = [_wanted_staff(c.actor, c.staff) for c in contacts]
    goal_ids = [{g.pk if isinstance(g, Goal) else int(g) for g in c.goals} for c in contacts]
    # Who works in each organisation, among the staff named (`_staff_of`, one query an organisation).
    named: dict[int, set[int]] = {}
    for c, ids in zip(contacts, wanted, strict=True):
        org = writing[(c.actor.pk, c.participant.pk)]
        if isinstance(org, int):
            named.setdefault(org, set()).update(ids)
    working = {org: {u.pk: u for u in _staff_of(org, ids)} for org, ids in named.items()}
    # Each goal's participant and place, as `contact_log` reads the goals (in their plan's order).
    goals = {
        pk: (participant_id, position)
        for pk, participant_id, position in Goal.objects.filter(pk__in=set().union(*goal_ids)).values_list(
            "pk", "plan__participant_id", "position"
        )
    }
    visits = [c.visit.pk for c in contacts if c.visit is not None]
    logged: dict[int, Contact] = {}
    if visits:
        # One contact a visit: the visits' rows are locked, so two saves at once see each other.
        list(FieldVisit.objects.select_for_update(of=("self",)).filter(pk__in=visits))
        logged = {
            contact.visit_id: contact
            for contact in Contact.objects.filter(visit_id__in=visits)
            if contact.visit_id is not None
        }
    checked: list[tuple[int, datetime.datetime, int, list[User], list[int]]] = []
    for c, moment, staff_ids, wanted_goals in zip(contacts, moments, wanted, goal_ids, strict=True):
        org = writing[(c.actor.pk, c.participant.pk)]
        if isinstance(org, ValidationError):
            raise org
        staff_users = [working[org][pk] for pk in sorted(staff_ids) if pk in working[org]]
        found = sorted(
            (goals[pk][1], pk) for pk in wanted_goals if pk in goals and goals[pk][0] == c.participant.pk
        )
        with clock.at(moment):
            occurred_at, minutes = _checked_contact(
                participant=c.participant,
                org_id=org,
                occurred_at=c.occurred_at,
                duration_minutes=c.duration_minutes,
                kind=c.kind,
                wanted_staff=staff_ids,
                staff_users=staff_users,
                goal_ids=wanted_goals,
                goals_found=len(found),
                visit=c.visit,
            )
        if c.visit is not None:
            if c.visit.pk in logged:
                raise VisitAlreadyLoggedError(logged[c.visit.pk])
            logged[c.visit.pk] = Contact(occurred_at=occurred_at)
        checked.append((org, occurred_at, minutes, staff_users, [pk for _position, pk in found]))
    # The enrollment of each contact's day: a contact logged late is counted where it happened.
    enrollments = _enrollments_on(
        [
            (c.participant.pk, clock.localdate(occurred_at))
            for c, (_o, occurred_at, *_r) in zip(contacts, checked, strict=True)
        ]
    )
    made = []
    for c, moment, enrollment_id, (org, occurred_at, minutes, _staff, _goals) in zip(
        contacts, moments, enrollments, checked, strict=True
    ):
        with clock.at(moment):
            made.append(
                Contact(
                    participant=c.participant,
                    enrollment_id=enrollment_id,
                    organisation_id=org,
                    occurred_at=occurred_at,
                    duration_minutes=minutes,
                    kind=c.kind,
                    participant_present=bool(c.participant_present),
                    shared_note=(c.shared_note or "").strip(),
                    private_note=(c.private_note or "").strip(),
                    visit=c.visit,
                    recorded_by=c.actor,
                )
            )
    Contact.objects.bulk_create(made, batch_size=1000)
    # The staff present and the goals discussed, as `set` adds them (each contact's ids as a set).
    Contact.staff.through.objects.bulk_create(
        [
            Contact.staff.through(contact_id=contact.pk, user_id=pk)
            for contact, (_o, _a, _m, staff_users, _g) in zip(made, checked, strict=True)
            for pk in {u.pk for u in staff_users}
        ],
        batch_size=5000,
    )
    Contact.goals_discussed.through.objects.bulk_create(
        [
            Contact.goals_discussed.through(contact_id=contact.pk, goal_id=pk)
            for contact, (_o, _a, _m, _s, goal_pks) in zip(made, checked, strict=True)
            for pk in set(goal_pks)
        ],
        batch_size=5000,
    )
    organisations = Organisation.objects.in_bulk({org for org, *_rest in checked})
    entries = []
    for contact, c, moment, (org, occurred_at, minutes, staff_users, goal_pks) in zip(
        made, contacts, moments, checked, strict=True
    ):
        with clock.at(moment):
            entries.append(
                audit.entry(
                    actor=c.actor,
                    action="casework.contact.logged",
                    obj=contact,
                    participant=c.participant,
                    organisation=organisations[org],
                    data={
                        "kind": c.kind,
                        "occurred_at": occurred_at.isoformat(),
                        "duration_minutes": minutes,
                        "participant_present": bool(c.participant_present),
                        "staff": sorted(u.pk for u in staff_users),
                        "goals": sorted(goal_pks),
                        "visit": c.visit.pk if c.visit is not None else None,
                    },
                )
            )
    audit.record_all(entries)
    _contacts_made(made)
    return made


def _contacts_made(contacts: list[Contact]) -> None:
    """`_contact_made` for each contact, in order, in a few statements."""
    try:
        from ancrage.casework.reengagement import services as reengagement_services

        hook = reengagement_services.contacts_made
    except (ImportError, AttributeError):
        return
    hook(contacts=contacts)


# --- field visits (B9) ------------------------------------------------------------------------------------


def visit_warnings(participant: Participant, planned_start: datetime.datetime | None) -> list[str]:
    """What the risk plan in force on the visit's day says about it (office-only meetings until a date): a
    warning, since the location is free text. Without a start yet, the visit is taken to be today."""
    from ancrage.casework.risk.selectors import risk_in_force

    day = clock.localdate(planned_start) if planned_start else clock.today()
    risk = risk_in_force([participant.pk], day).get(participant.pk)
    if risk is None:
        return []
    warnings = []
    if risk.office_only_until and risk.office_only_until >= day:
        warnings.append(
            _("The risk plan says to meet at the office only until %(date)s.")
            % {"date": date_format(risk.office_only_until, "SHORT_DATE_FORMAT")}
        )
    if risk.paired_visits:
        warnings.append(_("The risk plan says visits are made in pairs only."))
    return warnings


@transaction.atomic
def visit_plan(
    *, actor: User, participant: Participant, location, planned_start, planned_end, companions=(), worker=None
) -> FieldVisit:
    """Plan a field visit: who, where, from when to when. When the risk plan in force on the visit's day
    (the day it starts, in Montréal) asks for paired visits, the visit needs at least one companion."""
    from ancrage.casework.risk.selectors import risk_in_force

    org_id = _require_home_organisation(actor, participant)
    worker = worker or actor
    errors: dict[str, list[str]] = {}
    location = (location or "").strip()
    if not location:
        errors["location"] = [_("Say where the visit takes place.")]
    if planned_start is None:
        errors["planned_start"] = [_("Give the planned start.")]
    else:
        planned_start = _aware(planned_start, "planned_start")
    if planned_end is None:
        errors["planned_end"] = [_("Give the planned end.")]
    else:
        planned_end = _aware(planned_end, "planned_end")
    if planned_start is not None and planned_end is not None:
        if planned_end <= planned_start:
            errors["planned_end"] = [_("The visit must end after it starts.")]
        elif planned_end - planned_start > datetime.timedelta(hours=MAX_VISIT_HOURS):
            errors["planned_end"] = [
                _("A field visit lasts at most %(hours)s hours.") % {"hours": MAX_VISIT_HOURS}
            ]
        elif planned_end <= clock.now():
            errors["planned_end"] = [_("The planned end is already past: log the contact instead.")]
    if not _staff_of(org_id, [worker]):
        errors["worker"] = [_("The worker must work in your organisation.")]
    wanted = {u.pk if isinstance(u, User) else int(u) for u in companions} - {worker.pk}
    companion_users = _staff_of(org_id, wanted)
    if {u.pk for u in companion_users} != wanted:
        errors["companions"] = [_("Companions must work in your organisation.")]
    # The rule applies to the visit's day, not to the day it is planned: a plan that starts after the
    # visit does not bind it, and one in force on that day does even if it has ended since.
    visit_day = clock.localdate(planned_start) if planned_start is not None else clock.today()
    risk = risk_in_force([participant.pk], visit_day).get(participant.pk)
    if risk is not None and risk.paired_visits and not wanted:
        errors.setdefault("companions", []).append(
            _(
                "The participant's risk plan asks for visits in pairs: name at least one colleague who goes with you."
            )
        )
    if errors:
        raise ValidationError(errors)
    visit = FieldVisit.objects.create(
        participant=participant,
        organisation_id=org_id,
        worker=worker,
        location=location[:300],
        planned_start=planned_start,
        planned_end=planned_end,
        created_by=actor,
    )
    visit.companions.set(companion_users)
    audit.record(
        actor=actor,
        action="casework.visit.planned",
        obj=visit,
        participant=participant,
        organisation=visit.organisation,
        data={
            "worker": worker.pk,
            "companions": sorted(u.pk for u in companion_users),
            "planned_start": planned_start.isoformat(),
            "planned_end": planned_end.isoformat(),
        },
    )
    return visit


def _locked(visit: FieldVisit) -> FieldVisit:
    return (
        FieldVisit.objects.select_for_update(of=("self",))
        .select_related("participant", "organisation")
        .get(pk=visit.pk)
    )


@transaction.atomic
def visit_start(*, actor: User, visit: FieldVisit, at: datetime.datetime | None = None) -> FieldVisit:
    visit = _locked(visit)
    _require_home_organisation(actor, visit.participant)
    at = _aware(at, "at") if at is not None else clock.now()
    if visit.status != FieldVisit.Status.PLANNED:
        raise ValidationError({"__all__": [_("Only a planned visit can be started.")]})
    if at > clock.now() + datetime.timedelta(minutes=1):
        raise ValidationError({"at": [_("A visit cannot be started in the future.")]})
    visit.status = FieldVisit.Status.STARTED
    visit.started_at = at
    visit.save(update_fields=["status", "started_at"])
    audit.record(
        actor=actor,
        action="casework.visit.started",
        obj=visit,
        participant=visit.participant,
        organisation=visit.organisation,
        data={"started_at": at.isoformat()},
    )
    return visit


def is_on_visit(user: User, visit: FieldVisit) -> bool:
    """The visit's worker or one of its companions."""
    return user.pk == visit.worker_id or visit.companions.filter(pk=user.pk).exists()


@transaction.atomic
def visit_end(
    *, actor: User, visit: FieldVisit, at: datetime.datetime | None = None, reason: str = ""
) -> FieldVisit:
    """End a visit (started, or planned and never started): the team knows the worker is out safely.
    Someone not on the visit (neither its worker nor a companion) must say why, and the worker is told; a
    companion who ends it tells the worker too."""
    visit = _locked(visit)
    _require_home_organisation(actor, visit.participant)
    at = _aware(at, "at") if at is not None else clock.now()
    if not visit.is_open:
        raise ValidationError({"__all__": [_("This visit is already ended or cancelled.")]})
    reason = (reason or "").strip()
    for_someone_else = actor.pk != visit.worker_id
    if for_someone_else and not reason and not is_on_visit(actor, visit):
        raise ValidationError(
            {
                "reason": [
                    _(
                        "This is %(worker)s's visit: say why you end it for them (for example, you reached them "
                        "and they are safe). They will be told."
                    )
                    % {"worker": visit.worker.display_name}
                ]
            }
        )
    if at > clock.now() + datetime.timedelta(minutes=1):
        raise ValidationError({"at": [_("A visit cannot be ended in the future.")]})
    started = visit.started_at or min(visit.planned_start, at)
    if at < started:
        raise ValidationError({"at": [_("A visit cannot end before it starts.")]})
    visit.status = FieldVisit.Status.ENDED
    visit.started_at = started
    visit.ended_at = at
    visit.save(update_fields=["status", "started_at", "ended_at"])
    alerts.resolve(kind="casework.visit.overdue", obj=visit)
    data: dict = {"ended_at": at.isoformat(), "late": at > visit.planned_end}
    if for_someone_else:
        data |= {"for": visit.worker_id, "reason": reason}
        alerts.raise_alert(
            recipient_id=visit.worker_id,
            kind="casework.visit.ended_by_colleague",
            obj=visit,
            participant=visit.participant,
            params={"actor": actor.display_name, "location": visit.location, "reason": reason or "—"},
            url=reverse("casework:visit_list"),
        )
    audit.record(
        actor=actor,
        action="casework.visit.ended",
        obj=visit,
        participant=visit.participant,
        organisation=visit.organisation,
        data=data,
    )
    return visit


# How much longer a visit may be extended at a time, from the phone.
EXTEND_CHOICES_MINUTES = (15, 30, 60, 120)


def _require_on_visit(actor: User, visit: FieldVisit) -> None:
    if not is_on_visit(actor, visit):
        raise ValidationError(
            {"__all__": [_("Only the worker on the visit, or a companion, can do this from their phone.")]}
        )


@transaction.atomic
def visit_extend(*, actor: User, visit: FieldVisit, minutes) -> FieldVisit:
    """Push the planned end of an open visit back by `minutes` (one of EXTEND_CHOICES_MINUTES), counted
    from now when the visit is already past its end; within MAX_VISIT_HOURS of its start. The overdue alert,
    if sent, is closed, and the watch starts again from the new end."""
    visit = _locked(visit)
    _require_home_organisation(actor, visit.participant)
    _require_on_visit(actor, visit)
    if not visit.is_open:
        raise ValidationError({"__all__": [_("This visit is already ended or cancelled.")]})
    try:
        minutes = int(minutes)
    except (TypeError, ValueError):
        minutes = 0
    if minutes not in EXTEND_CHOICES_MINUTES:
        raise ValidationError(
            {
                "minutes": [
                    _("Choose how much longer: %(choices)s minutes.")
                    % {"choices": ", ".join(str(m) for m in EXTEND_CHOICES_MINUTES)}
                ]
            }
        )
    now = clock.now()
    before = visit.planned_end
    new_end = max(before, now) + datetime.timedelta(minutes=minutes)
    latest = visit.planned_start + datetime.timedelta(hours=MAX_VISIT_HOURS)
    if new_end > latest:
        raise ValidationError(
            {
                "minutes": [
                    _("A field visit lasts at most %(hours)s hours: end this one and plan another.")
                    % {"hours": MAX_VISIT_HOURS}
                ]
            }
        )
    visit.planned_end = new_end
    visit.overdue_alerted_at = None
    visit.save(update_fields=["planned_end", "overdue_alerted_at"])
    alerts.resolve(kind="casework.visit.overdue", obj=visit)
    audit.record(
        actor=actor,
        action="casework.visit.extended",
        obj=visit,
        participant=visit.participant,
        organisation=visit.organisation,
        data={
            "planned_end_before": before.isoformat(),
            "planned_end": new_end.isoformat(),
            "minutes": minutes,
        },
    )
    return visit


@transaction.atomic
def visit_safe(*, actor: User, visit: FieldVisit) -> FieldVisit:
    """The worker (or a companion) says "I'm safe" during an open visit: the overdue alert is closed and
    whoever was alerted is told; the watch starts again from now (the visit is overdue again once the grace
    period has passed without its end)."""
    visit = _locked(visit)
    _require_home_organisation(actor, visit.participant)
    _require_on_visit(actor, visit)
    if not visit.is_open:
        raise ValidationError({"__all__": [_("This visit is already ended or cancelled.")]})
    now = clock.now()
    alerted = list(
        Alert.objects.filter(
            kind="casework.visit.overdue",
            object_type=visit._meta.label_lower,
            object_id=str(visit.pk),
            resolved_at__isnull=True,
        ).values_list("recipient_id", flat=True)
    )
    visit.safe_at = now
    visit.overdue_alerted_at = None
    visit.save(update_fields=["safe_at", "overdue_alerted_at"])
    alerts.resolve(kind="casework.visit.overdue", obj=visit)
    for recipient_id in sorted(set(alerted) - {actor.pk}):
        alerts.raise_alert(
            recipient_id=recipient_id,
            kind="casework.visit.safe",
            obj=visit,
            participant=visit.participant,
            params={"worker": actor.display_name, "location": visit.location},
            url=reverse("casework:visit_list"),
        )
    audit.record(
        actor=actor,
        action="casework.visit.safe",
        obj=visit,
        participant=visit.participant,
        organisation=visit.organisation,
        data={"safe_at": now.isoformat(), "told": sorted(set(alerted) - {actor.pk})},
    )
    return visit


@transaction.atomic
def visit_cancel(*, actor: User, visit: FieldVisit, reason: str) -> FieldVisit:
    visit = _locked(visit)
    _require_home_organisation(actor, visit.participant)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Say why the visit is cancelled.")]})
    if visit.status != FieldVisit.Status.PLANNED:
        raise ValidationError(
            {"__all__": [_("Only a planned visit can be cancelled; end a visit under way.")]}
        )
    visit.status = FieldVisit.Status.CANCELLED
    visit.save(update_fields=["status"])
    alerts.resolve(kind="casework.visit.overdue", obj=visit)
    audit.record(
        actor=actor,
        action="casework.visit.cancelled",
        obj=visit,
        participant=visit.participant,
        organisation=visit.organisation,
        data={"reason": reason},
    )
    return visit


def overdue_recipients(visit: FieldVisit, now: datetime.datetime) -> list[User]:
    """Who hears of an overdue visit: the worker's team lead(s) (of the worker's team when it has its own,
    else every team lead of the organisation) and whoever is on call in the organisation now."""
    org_id = visit.organisation_id
    worker_teams = set(
        Membership.objects.filter(
            user_id=visit.worker_id, organisation_id=org_id, is_active=True, team__isnull=False
        ).values_list("team_id", flat=True)
    )
    leads = Membership.objects.filter(organisation_id=org_id, role=Role.TEAM_LEAD, is_active=True)
    lead_ids = set(leads.values_list("user_id", flat=True))
    if worker_teams:
        team_lead_ids = set(leads.filter(team_id__in=worker_teams).values_list("user_id", flat=True)) | set(
            leads.filter(team__isnull=True).values_list("user_id", flat=True)
        )
        lead_ids = team_lead_ids or lead_ids
    on_call_ids = set(
        OnCallShift.objects.filter(organisation_id=org_id, starts_at__lte=now, ends_at__gt=now).values_list(
            "worker_id", flat=True
        )
    )
    ids = (lead_ids | on_call_ids) - {visit.worker_id}
    return list(User.objects.filter(pk__in=ids, is_active=True).order_by("pk"))


def _overdue_message(visit: FieldVisit, recipient: User, path: str) -> tuple[str, str, dict]:
    """Subject, body and alert parameters, in the recipient's language."""
    with translation.override(recipient.language or settings.LANGUAGE_CODE):
        end = date_format(clock.localtime(visit.planned_end), "SHORT_DATETIME_FORMAT")
        params = {"worker": visit.worker.display_name, "location": visit.location, "end": end}
        subject = _("Field visit not ended: %(worker)s") % params
        lines = [
            _("%(worker)s has not ended a field visit at %(location)s planned to end at %(end)s.") % params,
        ]
        if visit.started_at:
            lines.append(
                _("Visit started at %(start)s.")
                % {"start": date_format(clock.localtime(visit.started_at), "SHORT_DATETIME_FORMAT")}
            )
        else:
            lines.append(_("The visit was never started in Ancrage."))
        companions = [u.display_name for u in visit.companions.all()]
        if companions:
            lines.append(_("With: %(names)s.") % {"names": ", ".join(companions)})
        lines.append(_("Try to reach them now. Field visits in Ancrage: %(path)s") % {"path": path})
        body = "\n\n".join(lines)
    return subject, body, params


def visits_alert_overdue(now: datetime.datetime | None = None) -> int:
    """Alert, once per visit, on every visit not ended by its planned end plus VISIT_GRACE_MINUTES: in the
    app and by email, each recipient in their own language. Returns how many visits were alerted on."""
    now = now or clock.now()
    cutoff = now - datetime.timedelta(minutes=settings.ANCRAGE["VISIT_GRACE_MINUTES"])
    candidates = list(
        FieldVisit.objects.filter(
            status__in=[FieldVisit.Status.PLANNED, FieldVisit.Status.STARTED],
            planned_end__lt=cutoff,
            overdue_alerted_at__isnull=True,
        )
        .filter(Q(safe_at__isnull=True) | Q(safe_at__lt=cutoff))
        .values_list("pk", flat=True)
    )
    # The in-app alert links within the site; the email needs the whole address.
    path = reverse("casework:visit_list")
    link = settings.SITE_URL + path
    count = 0
    for pk in candidates:
        emails: list[tuple[str, str, str]] = []
        with transaction.atomic():
            visit = (
                FieldVisit.objects.select_for_update(of=("self",))
                .select_related("participant", "worker", "organisation")
                .filter(pk=pk, overdue_alerted_at__isnull=True)
                .exclude(status__in=[FieldVisit.Status.ENDED, FieldVisit.Status.CANCELLED])
                .first()
            )
            # Seen again under the lock: extended or said safe since the candidates were read.
            if visit is None or visit.late_by(now) is None:
                continue
            recipients = overdue_recipients(visit, now)
            for user in recipients:
                subject, body, params = _overdue_message(visit, user, link)
                # The end as a moment, written in the reader's language when shown (the email's words are
                # the recipient's): an English reader saw "13 h 40".
                alerts.raise_alert(
                    recipient_id=user.pk,
                    kind="casework.visit.overdue",
                    obj=visit,
                    participant=visit.participant,
                    params={
                        "worker": params["worker"],
                        "location": params["location"],
                        "end_at": visit.planned_end.isoformat(),
                    },
                    url=path,
                )
                if user.email:
                    emails.append((user.email, subject, body))
            FieldVisit.objects.filter(pk=visit.pk).update(overdue_alerted_at=now)
            audit.record(
                actor=None,
                action="casework.visit.overdue",
                obj=visit,
                participant=visit.participant,
                organisation=visit.organisation,
                data={"recipients": [u.pk for u in recipients], "planned_end": visit.planned_end.isoformat()},
            )
        count += 1
        # Sent once the alert is stored: a mail server down never undoes the in-app alert.
        for address, subject, body in emails:
            try:
                send_mail(subject, body, None, [address])
            except Exception:  # the in-app alert stands; the failure is logged
                logger.exception("Overdue visit email to %s failed", address)
    return count
