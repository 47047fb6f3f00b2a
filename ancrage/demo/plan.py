"""The demo's story as data: people, consents, journeys through the list, episodes of case management."""

from __future__ import annotations

import datetime
import itertools
from dataclasses import dataclass, field

from ancrage.access.models import ByNameEntry, Match
from ancrage.accounts.models import User
from ancrage.casework.models import Enrollment, Goal, RecoveryPlan
from ancrage.organisations.models import Program, Team
from ancrage.people.models import Participant

# --- the demo consortium ---------------------------------------------------------------------------


@dataclass
class ConsentPlan:
    """One consent to record: who it shares with, what, from when to when; and its revocation if any."""

    orgs: list[str]
    categories: list[str]
    purpose: str
    starts_on: datetime.date
    expires_on: datetime.date | None = None
    revoke_on: datetime.date | None = None
    reason: str = ""
    with_document: bool = False


@dataclass
class PersonPlan:
    org: str
    origin: str
    first: str
    last: str
    preferred: str
    gender: str
    dob: datetime.date | None
    dob_quality: str
    created_ago: int
    indigenous: str = "not_collected"
    language: str = "fr-ca"
    languages_spoken: str = ""
    phone: str = ""
    email: str = ""
    location: str = ""
    aliases: list[str] = field(default_factory=list)
    identifiers: list[tuple[str, str, str]] = field(default_factory=list)
    contacts: int = 0
    household: int = 0
    service_agreement: bool = False
    scenario: str = "current"
    consents: list[ConsentPlan] = field(default_factory=list)
    is_duplicate_second: bool = False
    partners: list[str] = field(default_factory=list)
    # Its own random stream's name: the person's place in the plan, whatever the moment.
    key: int = 0
    journey: JourneyPlan | None = None  # None: never on the by-name list


@dataclass
class PeriodPlan:
    """A living situation: what, from when to when, and the day it was recorded."""

    kind: str
    starts_on: datetime.date
    ends_on: datetime.date | None
    recorded_on: datetime.date


@dataclass
class StatusPlan:
    """A change of status on the by-name list, on a day, for a reason; by the reference worker or not."""

    status: str
    on: datetime.date
    reason: str
    by_worker: bool


@dataclass
class JourneyPlan:
    """One person's passage through the by-name list, as data: who follows them, when they entered, the
    statuses and the days they began, and the living situations recorded along the way."""

    worker: str
    entered: datetime.date
    events: list[tuple[str, datetime.date]]
    changes: list[StatusPlan]
    periods: list[PeriodPlan]


@dataclass
class Window:
    """When an organisation could read a file through a consent (for believable read entries)."""

    orgs: frozenset[str]
    categories: frozenset[str]
    start: datetime.date
    end: datetime.date


# Prioritisation, housing and matching.


@dataclass
class Journey:
    """One person's passage through the by-name list: the statuses and the days they began."""

    participant: Participant
    plan: PersonPlan
    actor: User
    worker: User
    entry: ByNameEntry
    events: list[tuple[str, datetime.date]]


@dataclass
class Span:
    """The days a risk plan asking for paired visits is in force: from `start` to `end` (None while in force)."""

    start: datetime.date
    end: datetime.date | None = None


@dataclass
class Episode:
    """One enrollment, planned before it is written: who, where, from when to when, and how it ends."""

    participant: Participant
    org: str
    program: Program
    team: Team | None
    start: datetime.date
    end: datetime.date | None = None
    end_state: str = ""  # the by-name status that ended it, or graduation/planned
    match: Match | None = None
    english: bool = False
    band: str = ""
    enrollment: Enrollment | None = None
    plan: RecoveryPlan | None = None
    goals: list[Goal] = field(default_factory=list)
    # (from, worker)
    workers: list[tuple[datetime.date, User]] = field(default_factory=list)
    at_risk: list[tuple[datetime.date, datetime.date | None]] = field(default_factory=list)
    gaps: list[tuple[datetime.date, datetime.date]] = field(default_factory=list)
    paired_since: datetime.date | None = None
    # The days of risk plans asking for paired visits.
    paired_spans: list[Span] = field(default_factory=list)
    engagement: float = 1.0
    lost_since: datetime.date | None = None
    key: int = 0
    # What today's team meeting should show about this one: "no_plan", "plan_late", "no_review", "new".
    story: str = ""

    def worker_on(self, day: datetime.date) -> User:
        current = self.workers[0][1]
        for since, worker in self.workers:
            if since <= day:
                current = worker
        return current

    def active_on(self, day: datetime.date) -> bool:
        return self.start <= day and (self.end is None or day < self.end)

    def paired_on(self, day: datetime.date) -> bool:
        """Visits go in pairs on `day`: a risk plan asking for it is in force then, or ended that very day (so
        the visit is valid whether a rule reads the plan in force on the day or the latest plan)."""
        return any(span.start <= day and (span.end is None or day <= span.end) for span in self.paired_spans)

    def at_risk_on(self, day: datetime.date) -> bool:
        return any(a <= day and (b is None or day < b) for a, b in self.at_risk)


def overlapping_episodes(episodes: list[Episode]) -> list[tuple[Episode, Episode]]:
    """Pairs of episodes of one person in one program that overlap: the second starts on or before the day the
    first ends (its exit must come first), or while the first is still open."""
    by_key: dict[tuple[int, int], list[Episode]] = {}
    for episode in episodes:
        by_key.setdefault((episode.participant.pk, episode.program.pk), []).append(episode)
    pairs = []
    for group in by_key.values():
        group = sorted(group, key=lambda e: e.start)
        for first, second in itertools.pairwise(group):
            if first.end is None or second.start <= first.end:
                pairs.append((first, second))
    return pairs
