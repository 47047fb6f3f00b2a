"""Reads of enrollments, assignments and caseloads."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Case, Count, IntegerField, Prefetch, QuerySet, Value, When
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ancrage.access.models import Match, MatchStatus
from ancrage.accounts.models import Membership, User
from ancrage.casework.caseload.services import CASELOAD_ROLES
from ancrage.casework.caseload.weights import WorkerLoad, caseload_for_workers
from ancrage.casework.models import Assignment, Enrollment
from ancrage.casework.selectors import access_can_write
from ancrage.core.permissions import Category, Role
from ancrage.organisations.models import Program, Team
from ancrage.people.selectors import ParticipantAccess, participant_get_for_user


def programs_for_enrollment(user) -> QuerySet[Program]:
    """The active ICM and ACT programs of the user's organisations."""
    return Program.objects.filter(
        organisation_id__in=user.organisation_ids,
        kind__in=Program.HOUSING_FIRST_KINDS,
        is_active=True,
    ).order_by("organisation__name", "name")


def teams_for_user(user) -> QuerySet[Team]:
    return (
        Team.objects.filter(organisation_id__in=user.organisation_ids)
        .select_related("program", "organisation")
        .order_by("organisation__name", "name")
    )


def caseload_workers(organisation_ids) -> list[User]:
    """Case managers and team leads of these organisations (each once), by name: who may be primary."""
    return list(
        User.objects.filter(
            is_active=True,
            memberships__organisation_id__in=list(organisation_ids),
            memberships__is_active=True,
            memberships__role__in=CASELOAD_ROLES,
        )
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


def matches_for_enrollment(user, participant) -> list[Match]:
    """The participant's matches to an opening of one of the user's programs, not yet used by an enrollment:
    those at the assisted transfer first (only they can be enrolled from)."""
    return list(
        Match.objects.filter(
            participant=participant,
            opening__program__in=programs_for_enrollment(user),
            enrollments__isnull=True,
        )
        .exclude(
            status__in=[MatchStatus.WITHDRAWN, MatchStatus.PERSON_DECLINED, MatchStatus.PROVIDER_DECLINED]
        )
        .select_related("opening__program")
        .annotate(
            transferred_first=Case(
                When(status=MatchStatus.TRANSFERRED, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("transferred_first", "-transferred_at", "-id")
    )


def participant_for_enrollment(user, pk) -> ParticipantAccess:
    """The participant's file for enrolling them: an organisation serving them (home, or that of an active
    enrollment), or one with a match of theirs to one of its programs (an assisted transfer to another
    organisation of the consortium); 404 otherwise, and for a file the user may not see. Whether consent lets
    the program's organisation receive what case management needs is for `enrollment_create` to say."""
    access = participant_get_for_user(user, pk, what="casework.enrollments.viewed")
    if access_can_write(access) and access.can(Category.CASE_NOTES):
        return access
    if not matches_for_enrollment(user, access.participant):
        raise Http404
    return access


def participant_enrollments(participant) -> list[Enrollment]:
    """Every enrollment of the participant, current first, each with its assignments (two queries)."""
    return list(
        Enrollment.objects.filter(participant=participant)
        .select_related("program", "team", "primary_worker", "match", "exit")
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=Assignment.objects.select_related("worker", "assigned_by").order_by(
                    "-starts_on", "-id"
                ),
            )
        )
        .annotate(
            active_first=Case(
                When(status=Enrollment.Status.ACTIVE, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("active_first", "-enrolled_on", "-id")
    )


# --- links to the other parts of case management -----------------------------------------------------------


@dataclass(frozen=True)
class PartLink:
    name: str
    label: object
    perm: str
    category: str = Category.CASE_NOTES
    # Only for an organisation serving the participant (home, or that of an active enrollment).
    home_only: bool = False
    # An action on the current enrollment: not offered once the participant has exited.
    needs_enrollment: bool = False


PART_LINKS = (
    PartLink(
        "casework:contact_create",
        _("Log a contact"),
        "casework.record",
        home_only=True,
        needs_enrollment=True,
    ),
    PartLink("casework:contact_list", _("Contacts"), "casework.view"),
    PartLink(
        "casework:visit_plan",
        _("Plan a field visit"),
        "casework.record",
        home_only=True,
        needs_enrollment=True,
    ),
    PartLink("casework:plan", _("Recovery plan"), "casework.view"),
    PartLink("casework:progress", _("Assessments and progress"), "casework.view", Category.HEALTH),
    PartLink("casework:referral_list", _("Referrals to services"), "casework.view"),
    PartLink("casework:risk_list", _("Risk and safety"), "casework.view", Category.RISK),
    PartLink("casework:incident_list", _("Incidents"), "casework.view", Category.RISK),
    PartLink("casework:reengagement", _("Re-engagement"), "casework.view"),
    PartLink(
        "casework:exit_create",
        _("Record the exit"),
        "casework.record_exits",
        home_only=True,
        needs_enrollment=True,
    ),
)


def part_links(user, access, *, names: tuple[str, ...] | None = None, enrolled: bool = True) -> list[dict]:
    """Links to the other parts' pages for this participant, only those the user may open
    (without an active enrollment, none of the actions on it: logging a contact, planning a visit, the exit)."""
    links = []
    writes = access_can_write(access)
    for link in PART_LINKS:
        if names is not None and link.name not in names:
            continue
        if link.needs_enrollment and not enrolled:
            continue
        if not user.has_ancrage_perm(link.perm) or not access.can(link.category):
            continue
        if link.home_only and not writes:
            continue
        url = reverse(link.name, kwargs={"pk": access.participant.pk})
        links.append({"name": link.name, "label": link.label, "url": url})
    return links


# --- caseloads of the user's teams -----------------------------------------------------------------------


@dataclass
class WorkerRow:
    """One worker's line. A team lead who carries participants is listed (is_lead) without a ratio: their
    caseload counts in the team's participants and weight, never in its capacity. So is a peer support
    worker left primary of participants before peer support workers stopped being offered (is_peer)."""

    worker: User
    load: WorkerLoad
    ratio: int | None
    is_lead: bool = False
    is_peer: bool = False

    @property
    def weight(self) -> float:
        return self.load.weight

    @property
    def over(self) -> bool:
        return self.ratio is not None and self.load.weight > self.ratio

    @property
    def free(self) -> float | None:
        return None if self.ratio is None else round(self.ratio - self.load.weight, 2)

    @property
    def excess(self) -> float | None:
        return None if self.ratio is None else round(self.load.weight - self.ratio, 2)

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.load.weight / self.ratio)) if self.ratio else 0

    @property
    def percent_exact(self) -> int:
        return round(100 * self.load.weight / self.ratio) if self.ratio else 0


@dataclass
class TeamRow:
    team: Team | None
    organisation_name: str
    enrolled: int = 0
    workers: list[WorkerRow] = field(default_factory=list)

    @property
    def participants(self) -> int:
        return sum(w.load.count for w in self.workers)

    @property
    def weight(self) -> float:
        return round(sum(w.load.weight for w in self.workers), 2)

    @property
    def capacity(self) -> int:
        """Case managers at the ratio; team leads and peer support workers add nothing."""
        return sum(w.ratio or 0 for w in self.workers if not (w.is_lead or w.is_peer))

    @property
    def over_count(self) -> int:
        return sum(1 for w in self.workers if w.over)

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.weight / self.capacity)) if self.capacity else 0


def team_caseloads(user) -> list[TeamRow]:
    """Per team of the user's organisations, each worker's load against the ratio of the team's program
    (workers in no team come last, by organisation). Four queries whatever the size."""
    org_ids = list(user.organisation_ids)
    teams = list(teams_for_user(user))
    memberships = list(
        Membership.objects.filter(
            organisation_id__in=org_ids,
            is_active=True,
            role__in=(*CASELOAD_ROLES, Role.PEER_SUPPORT),
            user__is_active=True,
        )
        .select_related("user", "organisation")
        .order_by("user__last_name", "user__first_name", "user_id")
    )
    loads = caseload_for_workers({m.user_id for m in memberships})
    enrolled = dict(
        Enrollment.objects.filter(team__in=teams, status=Enrollment.Status.ACTIVE)
        .values("team_id")
        .annotate(n=Count("id"))
        .values_list("team_id", "n")
    )
    rows: dict[object, TeamRow] = {}
    for team in teams:
        rows[team.pk] = TeamRow(
            team=team, organisation_name=team.organisation.name, enrolled=enrolled.get(team.pk, 0)
        )
    # One line per worker and team; a worker who is a case manager somewhere in the team counts as one, even
    # if also its lead.
    chosen: dict[tuple[object, int], Membership] = {}
    for m in memberships:
        key: object = m.team_id if m.team_id in rows else ("none", m.organisation_id)
        known = chosen.get((key, m.user_id))
        if known is None or (known.role != Role.CASE_MANAGER and m.role == Role.CASE_MANAGER):
            chosen[(key, m.user_id)] = m
    for (key, _user_id), m in chosen.items():
        load = loads[m.user_id]
        is_lead = m.role == Role.TEAM_LEAD
        is_peer = m.role == Role.PEER_SUPPORT
        if (is_lead or is_peer) and not load.count:
            continue  # a team lead or peer support worker without participants carries no caseload
        if key not in rows:
            rows[key] = TeamRow(team=None, organisation_name=m.organisation.name)
        row = rows[key]
        ratio = (
            row.team.program.effective_caseload_ratio
            if row.team is not None and row.team.program
            else load.ratio
        )
        row.workers.append(
            WorkerRow(
                worker=m.user,
                load=load,
                ratio=None if is_lead or is_peer else ratio,
                is_lead=is_lead,
                is_peer=is_peer,
            )
        )
    return [r for r in rows.values() if r.workers or r.team is not None]
