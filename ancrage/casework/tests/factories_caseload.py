"""Helpers for tests that need enrollments (any part may use them): an ICM program with a team, a case manager,
an enrollment through the service, and a match transferred to a program's opening."""

from __future__ import annotations

from ancrage.access.models import Match, MatchStatus, Opening
from ancrage.access.tests.factories import make_entry
from ancrage.casework.caseload.services import enrollment_create
from ancrage.casework.models import Enrollment
from ancrage.core import clock
from ancrage.core.permissions import Role
from ancrage.organisations.models import Program, Team
from ancrage.people.tests.factories import ProgramFactory, TeamFactory, member


def make_program(organisation, *, kind: str = Program.Kind.ICM, **values) -> Program:
    return ProgramFactory(organisation=organisation, kind=kind, **values)


def make_team(program: Program, **values) -> Team:
    return TeamFactory(organisation=program.organisation, program=program, **values)


def make_worker(organisation, *, role: str = Role.CASE_MANAGER, team: Team | None = None, **user_kwargs):
    user = member(organisation, role, **user_kwargs)
    if team is not None:
        user.memberships.update(team=team)
    return user


def enroll(actor, participant, program: Program, worker=None, **kwargs) -> Enrollment:
    return enrollment_create(
        actor=actor, participant=participant, program=program, primary_worker=worker or actor, **kwargs
    )


def transferred_match(
    actor, organisation, program: Program, *, status: str = MatchStatus.TRANSFERRED, **values
):
    """A match of a new person on the by-name list to an opening of `program`, at `status` (made directly)."""
    entry = make_entry(actor, organisation, **values)
    opening = Opening.objects.create(
        program=program, opened_on=clock.today(), opened_by=actor, status=Opening.Status.FILLED
    )
    return Match.objects.create(
        opening=opening,
        entry=entry,
        participant=entry.participant,
        status=status,
        proposed_by=actor,
        transferred_at=clock.now() if status == MatchStatus.TRANSFERRED else None,
    )
