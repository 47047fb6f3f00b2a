"""Reads of contacts and field visits (B2, B3, B9)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from ancrage.accounts.models import Membership, User
from ancrage.casework.models import VISIT_KINDS, Contact, FieldVisit, Goal
from ancrage.core import clock
from ancrage.core.audit import record_read
from ancrage.core.permissions import Category
from ancrage.people.selectors import ParticipantAccess, participants_visible_to

# --- contacts ---------------------------------------------------------------------------------------------


def contacts_of(access: ParticipantAccess) -> QuerySet[Contact]:
    """A participant's contacts, newest first, with what a list shows (constant queries per page)."""
    return (
        Contact.objects.filter(participant=access.participant)
        .select_related("recorded_by", "organisation", "visit")
        .prefetch_related(
            Prefetch("staff", queryset=User.objects.order_by("first_name", "last_name", "username")),
            Prefetch("goals_discussed", queryset=Goal.objects.order_by("position", "id")),
        )
        .order_by("-occurred_at", "-id")
    )


def contacts_with_notes(user, access: ParticipantAccess, contacts, *, audit: bool = True) -> list[Contact]:
    """Set `shown_shared_note` and `shown_private_note` on each contact (None when the user may not read
    it), and write the read of the notes to the audit trail once."""
    contacts = list(contacts)
    may_read_shared = access.can(Category.CASE_NOTES)
    own = set(user.organisation_ids)
    any_note = False
    for c in contacts:
        c.shown_shared_note = c.shared_note if may_read_shared else None
        c.shown_private_note = c.private_note if c.organisation_id in own else None
        any_note = any_note or bool(c.shown_shared_note or c.shown_private_note)
    if audit and contacts and (may_read_shared or any_note):
        record_read(
            actor=user,
            participant=access.participant,
            what="casework.contacts.viewed",
            data={"contacts": [c.pk for c in contacts]},
        )
    return contacts


@dataclass
class Week:
    starts_on: datetime.date
    visits: int = 0
    minutes: int = 0

    @property
    def hours(self) -> float:
        return round(self.minutes / 60, 1)


@dataclass
class WeeklyStandard:
    """A participant's contact this week and the weeks before, against the program's standard (B2)."""

    weeks: list[Week]  # oldest first; the last one is this week
    visits_target: int
    minutes_target: int
    max_minutes: int = field(default=1)

    @property
    def this_week(self) -> Week:
        return self.weeks[-1]

    @property
    def visits_met(self) -> bool:
        return self.this_week.visits >= self.visits_target

    @property
    def minutes_met(self) -> bool:
        return self.this_week.minutes >= self.minutes_target

    @property
    def hours_target(self) -> float:
        return round(self.minutes_target / 60, 1)

    @property
    def average_minutes(self) -> int:
        return round(sum(w.minutes for w in self.weeks) / len(self.weeks)) if self.weeks else 0


def week_start(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def weekly_standard(participant, enrollment, today: datetime.date, weeks: int = 8) -> WeeklyStandard:
    """Visits (home, community, office, accompaniment, participant present) and minutes of contact with
    the participant present, week by week (Monday to Sunday), in one query."""
    first = week_start(today) - datetime.timedelta(weeks=weeks - 1)
    buckets = [Week(starts_on=first + datetime.timedelta(weeks=i)) for i in range(weeks)]
    start = timezone.make_aware(datetime.datetime.combine(first, datetime.time.min))
    rows = Contact.objects.filter(
        participant=participant, occurred_at__gte=start, participant_present=True
    ).values_list("occurred_at", "duration_minutes", "kind")
    visit_kinds = {str(k) for k in VISIT_KINDS}
    for occurred_at, minutes, kind in rows:
        index = (week_start(clock.localdate(occurred_at)) - first).days // 7
        if 0 <= index < weeks:
            buckets[index].minutes += minutes
            if kind in visit_kinds:
                buckets[index].visits += 1
    target = enrollment.visits_per_week if enrollment is not None else settings.ANCRAGE["VISITS_PER_WEEK"]
    minutes_target = settings.ANCRAGE["CONTACT_MINUTES_PER_WEEK"]
    return WeeklyStandard(
        weeks=buckets,
        visits_target=target,
        minutes_target=minutes_target,
        max_minutes=max([minutes_target, *(w.minutes for w in buckets)]),
    )


def active_goals(enrollment) -> list[Goal]:
    """The goals being worked on in the enrollment's recovery plan (to tick those discussed)."""
    if enrollment is None:
        return []
    return list(
        Goal.objects.filter(plan__enrollment=enrollment, status=Goal.Status.ACTIVE).order_by("position", "id")
    )


# --- field visits -----------------------------------------------------------------------------------------


def visits_visible_to(user) -> QuerySet[FieldVisit]:
    """Field visits of the user's organisations, of participants the user may see."""
    if not user.is_authenticated:
        return FieldVisit.objects.none()
    return FieldVisit.objects.filter(
        organisation_id__in=user.organisation_ids, participant__in=participants_visible_to(user)
    )


def visit_for_user(user, visit_pk) -> FieldVisit:
    """The visit, if its participant is visible and its organisation the user's; else 404."""
    try:
        return (
            visits_visible_to(user).select_related("participant", "worker", "organisation").get(pk=visit_pk)
        )
    except (FieldVisit.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def is_overdue(visit: FieldVisit, now: datetime.datetime) -> bool:
    return visit.late_by(now) is not None


def duration_text(delta: datetime.timedelta) -> str:
    """A duration as a person says it: "45 min", "9 h", "1 h 20"."""
    minutes = max(0, int(delta.total_seconds() // 60))
    hours, rest = divmod(minutes, 60)
    if not hours:
        return _("%(minutes)s min") % {"minutes": rest}
    if not rest:
        return _("%(hours)s h") % {"hours": hours}
    return _("%(hours)s h %(minutes)02d") % {"hours": hours, "minutes": rest}


def late_text(visit: FieldVisit, now: datetime.datetime) -> str:
    """ "late by 9 h" when the visit is overdue, else ""."""
    late = visit.late_by(now)
    return _("late by %(duration)s") % {"duration": duration_text(late)} if late is not None else ""


def mark_overdue(visits, now: datetime.datetime | None = None):
    """Set `overdue` and `late` (the words) on each visit, computed from the clock, not from any alert."""
    now = now or clock.now()
    for v in visits:
        v.overdue = v.late_by(now) is not None
        v.late = late_text(v, now)
    return visits  # type: ignore[no-any-return]


@dataclass
class VisitBoard:
    mine: list[FieldVisit]  # today and upcoming, open, where I am the worker or a companion
    team: list[FieldVisit]  # my team's visits under way (or overdue), mine excluded


def _colleague_ids(user) -> QuerySet:
    """Users who share a team with the user; when the user has no team, everyone of their organisations."""
    teams = [m.team_id for m in user.active_memberships if m.team_id]
    memberships = Membership.objects.filter(is_active=True)
    if teams:
        memberships = memberships.filter(team_id__in=teams)
    else:
        memberships = memberships.filter(organisation_id__in=user.organisation_ids)
    return memberships.values("user_id")


def _with_people(qs: QuerySet[FieldVisit]) -> QuerySet[FieldVisit]:
    return qs.select_related("participant", "worker").prefetch_related(
        Prefetch("companions", queryset=User.objects.order_by("first_name", "last_name", "username"))
    )


def visit_board(user, now: datetime.datetime | None = None, *, limit: int = 100) -> VisitBoard:
    """The visits page: mine today and upcoming, and my team's under way, overdue ones marked."""
    now = now or clock.now()
    today_start = timezone.make_aware(datetime.datetime.combine(clock.localdate(now), datetime.time.min))
    open_statuses = [FieldVisit.Status.PLANNED, FieldVisit.Status.STARTED]
    base = visits_visible_to(user).filter(status__in=open_statuses)
    mine = list(
        _with_people(
            base.filter(Q(worker=user) | Q(companions=user))
            .filter(Q(planned_end__gte=today_start) | Q(status=FieldVisit.Status.STARTED))
            .distinct()
            .order_by("planned_start", "id")
        )[:limit]
    )
    grace = datetime.timedelta(minutes=settings.ANCRAGE["VISIT_GRACE_MINUTES"])
    team = list(
        _with_people(
            base.filter(worker_id__in=_colleague_ids(user))
            .exclude(worker=user)
            .filter(Q(status=FieldVisit.Status.STARTED) | Q(planned_end__lt=now - grace))
            .order_by("planned_end", "id")
        )[:limit]
    )
    mark_overdue([*mine, *team], now)
    for v in mine:
        v.on_visit = True  # type: ignore[attr-defined]
    for v in team:
        v.on_visit = any(c.pk == user.pk for c in v.companions.all())  # type: ignore[attr-defined]
    return VisitBoard(mine=mine, team=team)


def visits_of(access: ParticipantAccess, *, limit: int = 50) -> list[FieldVisit]:
    return mark_overdue(
        list(
            _with_people(
                FieldVisit.objects.filter(
                    participant=access.participant, organisation_id__in=access.viewer_organisation_ids
                ).order_by("-planned_start", "-id")
            )[:limit]
        )
    )


def visits_under_way(user, participant, now: datetime.datetime | None = None) -> list[FieldVisit]:
    """The participant's visits under way, and those planned and overdue, in the user's organisations, with
    `overdue` and `late` set (for the participant's file). One query."""
    now = now or clock.now()
    grace = datetime.timedelta(minutes=settings.ANCRAGE["VISIT_GRACE_MINUTES"])
    visits = list(
        FieldVisit.objects.filter(participant=participant, organisation_id__in=user.organisation_ids)
        .filter(
            Q(status=FieldVisit.Status.STARTED)
            | Q(status=FieldVisit.Status.PLANNED, planned_end__lt=now - grace)
        )
        .select_related("worker")
        .order_by("planned_end", "id")
    )
    return mark_overdue(visits, now)
