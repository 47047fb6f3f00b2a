"""Reads of the team meeting and the caseload summary."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from ancrage.accounts.models import Membership, User
from ancrage.casework.models import Enrollment, MeetingOrder, TeamMeetingSettings
from ancrage.casework.selectors import enrollments_visible_to
from ancrage.organisations.models import Team


def caseload_worker(user, worker_id: str | int | None) -> User:
    """Whose caseload `user` opens: their own by default; with `worker_id`, a team lead or program manager
    opens a worker of their organisations. Anyone else (or any other id) is a 404."""
    if worker_id in (None, ""):
        return user
    try:
        worker_pk = int(worker_id)
    except (TypeError, ValueError):
        raise Http404 from None
    if worker_pk == user.pk:
        return user
    if not user.has_ancrage_perm("casework.manage_team"):
        raise Http404
    worker = (
        User.objects.filter(
            pk=worker_pk,
            is_active=True,
            memberships__is_active=True,
            memberships__organisation_id__in=user.organisation_ids,
        )
        .distinct()
        .first()
    )
    if worker is None:
        raise Http404
    return worker


# What the caseload, the team meeting, the home page and their API read of each enrollment (casework/flags.py
# builds their rows), of its participant (the name, how to reach them, the home organisation for consent) and
# of its primary case manager (the name): not the whole rows, for each of a team's participants (issue 16).
ROW_FIELDS = (
    "id",
    "participant_id",
    "program_id",
    "team_id",
    "primary_worker_id",
    "enrolled_on",
    "status",
    "visits_per_week",
    "tenancy_at_risk_since",
    "lost_contact_since",
    "exited_on",
    "participant__id",
    "participant__organisation_id",
    "participant__legal_first_name",
    "participant__legal_last_name",
    "participant__preferred_name",
    "participant__phone",
    "participant__current_location",
    "primary_worker__id",
    "primary_worker__username",
    "primary_worker__first_name",
    "primary_worker__last_name",
)


def _with_related(qs: QuerySet[Enrollment]) -> QuerySet[Enrollment]:
    return qs.select_related("participant", "primary_worker").only(*ROW_FIELDS)


def caseload_enrollments(user, worker) -> QuerySet[Enrollment]:
    """The worker's active enrollments as primary case manager, among those `user` may see."""
    return _with_related(
        enrollments_visible_to(user).filter(primary_worker=worker, status=Enrollment.Status.ACTIVE)
    ).order_by("participant__legal_last_name", "participant__legal_first_name", "pk")


def caseload_workers(user) -> list[User]:
    """The workers whose caseload a team lead may open: active case managers and peer support workers of
    their organisations (empty for anyone else)."""
    if not user.has_ancrage_perm("casework.manage_team"):
        return []
    return list(
        User.objects.filter(
            is_active=True,
            memberships__is_active=True,
            memberships__organisation_id__in=user.organisation_ids,
            memberships__role__in=["case_manager", "peer_support", "team_lead"],
        )
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


def meeting_teams(user) -> list[Team]:
    """The teams whose meeting `user` may open: their own teams first, then every team of their
    organisations (a team lead runs any of them; a case manager covering for a colleague reads another
    team's, whose participants they already see in their organisation). Never another organisation's."""
    own = [m.team for m in user.active_memberships if m.team_id]
    teams = {t.pk: t for t in own}
    for team in Team.objects.filter(organisation_id__in=user.organisation_ids).order_by("name", "pk"):
        teams.setdefault(team.pk, team)
    return list(teams.values())


def meeting_team(user, team_pk: str | int | None, teams: list[Team] | None = None) -> Team | None:
    """The team asked for (404 if not among `meeting_teams`), else the user's first team, else None."""
    teams = meeting_teams(user) if teams is None else teams
    if team_pk in (None, ""):
        return teams[0] if teams else None
    try:
        pk = int(team_pk)
    except (TypeError, ValueError):
        raise Http404 from None
    for team in teams:
        if team.pk == pk:
            return team
    raise Http404


def can_manage_team(user, team: Team) -> bool:
    return user.has_ancrage_perm("casework.manage_team") and team.organisation_id in user.organisation_ids


def team_enrollments(user, team: Team) -> QuerySet[Enrollment]:
    return _with_related(enrollments_visible_to(user).filter(team=team, status=Enrollment.Status.ACTIVE))


def meeting_settings_for(team: Team) -> TeamMeetingSettings:
    """The team's saved order, or the default one (not saved)."""
    found = TeamMeetingSettings.objects.filter(team=team).first()
    return found or TeamMeetingSettings(team=team, order=MeetingOrder.FLAGS, flag_order=[])


def team_members(team: Team) -> QuerySet[Membership]:
    return Membership.objects.filter(team=team, is_active=True).select_related("user")
