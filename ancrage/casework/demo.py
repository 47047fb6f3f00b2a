"""The demo consortium's two years of intensive case management (called by `ancrage.core.demo.DemoBuilder`).

Who is enrolled comes from the coordinated-access history the builder made: people transferred to a program are
enrolled from their match (in another organisation's program, once the participant's consent lets that organisation
receive their identity and case notes), others housed are enrolled directly, and some people still on the list are
followed while they look for housing. Everything a screen shows in detail (enrollments, assignments,
plans, goals and steps, reviews, referrals, risk plans, incidents, on-call, lost contact, exits, assessments, recent
contacts and field visits) goes through the services, in the order it happened, each audit entry dated when it
happened. The bulk of the older contacts (about 25,000) is written with `bulk_create`: through `contact_log` it
would take minutes on SQLite (see the comment in `bulk_contacts`).

Dates are relative to today; the same seed gives the same data. A separate random generator (derived from the seed)
keeps the rest of the demo unchanged.
"""

from __future__ import annotations

import datetime
import heapq
import itertools
import random
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Count

from ancrage.access.models import ByNameEntry, ByNameStatusChange, Match, MatchStatus
from ancrage.accounts.models import User
from ancrage.assessments import services as assessment_services
from ancrage.assessments.models import Administration
from ancrage.casework import demo_content as words
from ancrage.casework import (
    services_caseload,
    services_contacts,
    services_exits,
    services_meeting,
    services_plans,
    services_referrals,
)
from ancrage.casework.calendar import add_business_days
from ancrage.casework.models import (
    Assignment,
    Contact,
    Enrollment,
    Exit,
    FieldVisit,
    Goal,
    Incident,
    MeetingOrder,
    OnCallEntry,
    OnCallShift,
    OutreachTask,
    PlanReview,
    RecoveryPlan,
    ReengagementPlan,
    ReferralAttempt,
    RiskAssessment,
    ServiceKind,
    ServiceProvider,
    ServiceReferral,
    Step,
)
from ancrage.core import clock
from ancrage.core.models import Alert
from ancrage.core.permissions import Category
from ancrage.organisations.models import Program, Team
from ancrage.people.models import Consent, Participant

if TYPE_CHECKING:
    from ancrage.core.demo import DemoBuilder, Journey

DAY = datetime.timedelta(days=1)
# The demo's own team lead, peer support worker and on-call worker for each mission (README lists them).
LEADS = {"MHS": "chef.hochelaga", "RDP": "chef.plateau", "MVE": "chef.verdun", "CAA": "chef.ahuntsic"}
PEERS = {"MHS": "pair.hochelaga"}
# Who is on call this week (shifts rotate weekly, Monday 8:30 to Monday 8:30).
ON_CALL_NOW = {"MHS": "gc.hochelaga2", "RDP": "gc.plateau1", "MVE": "gc.verdun2", "CAA": "gc.ahuntsic3"}
# The case manager whose screens the README points to: a full caseload with every flag.
SHOWCASE = "gc.hochelaga1"


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

    def at_risk_on(self, day: datetime.date) -> bool:
        return any(a <= day and (b is None or day < b) for a, b in self.at_risk)


class CaseworkDemo:
    def __init__(self, builder: DemoBuilder, journeys: list[Journey]):
        self.b = builder
        self.journeys = journeys
        self.rng = random.Random(builder.seed * 31 + 4)
        self.now = builder.now
        self.today = builder.today
        self.tz = builder.tz
        self.users = builder.users
        self.orgs = builder.orgs
        self.episodes: list[Episode] = []
        self.programs: dict[tuple[str, str], Program] = {}
        self.teams: dict[int, Team] = {}
        self.providers: dict[str, list[ServiceProvider]] = defaultdict(list)
        # (day, order of scheduling, (action, arguments)): everything runs in the order it happened.
        self.events: list[tuple[datetime.date, int, Any]] = []
        self._seq = itertools.count()
        self.counts: dict[str, int] = defaultdict(int)

    # -- time and randomness

    def weighted(self, pairs):
        values, weights = zip(*pairs, strict=True)
        return self.rng.choices(values, weights=weights)[0]

    def at(self, day: datetime.date, start: int = 8 * 60 + 30, end: int = 17 * 60 + 30) -> datetime.datetime:
        """A moment on `day` between `start` and `end` minutes after midnight, never in the future."""
        minutes = self.rng.randint(start, end)
        earlier = self.rng.randint(20, 180)
        moment = datetime.datetime.combine(day, datetime.time(minutes // 60, minutes % 60), tzinfo=self.tz)
        if moment > self.now:
            moment = self.now - datetime.timedelta(minutes=earlier)
        return moment

    def call(self, moment: datetime.datetime, service, **kwargs):
        """Run a service as if at `moment`: its audit entries are dated then."""
        try:
            result = service(**kwargs)
        except ValidationError as exc:  # a demo that breaks a rule is a bug: say which
            raise ValidationError(f"{service.__name__} at {moment:%Y-%m-%d}: {exc}") from exc
        self.b.stamp(min(moment, self.now))
        return result

    def schedule(self, day: datetime.date, action, *args) -> None:
        heapq.heappush(self.events, (day, next(self._seq), (action, args)))

    # -- the whole of it

    def build(self) -> dict[str, Any]:
        self.structure()
        self.directory()
        self.schedules()
        self.plan_episodes()
        self.plan_events()
        while self.events:
            _day, _n, (action, args) = heapq.heappop(self.events)
            action(*args)
        self.bulk_contacts()
        self.on_call()
        self.recent_weeks()
        self.today_in_the_field()
        self.lost_contacts_now()
        self.overnight()
        self.meeting_orders()
        self.settle_alerts()
        return self.summary()

    def structure(self) -> None:
        for program in Program.objects.filter(kind__in=Program.HOUSING_FIRST_KINDS).select_related(
            "organisation"
        ):
            self.programs[(program.organisation.short_name, program.kind)] = program
        for team in Team.objects.filter(program__in=self.programs.values()):
            if team.program_id is not None:
                self.teams[team.program_id] = team
        self.workers: dict[int, list[User]] = {}
        from ancrage.core.demo import ACT_TEAM

        for (org, kind), program in self.programs.items():
            staff = self.b.case_managers[org]
            if kind == Program.Kind.ACT:
                self.workers[program.pk] = [u for u in staff if u.username in ACT_TEAM]
            else:
                self.workers[program.pk] = [u for u in staff if u.username not in ACT_TEAM]
        self.leads = {org: self.users[name] for org, name in LEADS.items()}

    # -- the directory of external services

    def directory(self) -> None:
        consortium = self.orgs["MHS"].consortium
        actor = self.users["adjoint.plateau"]
        for n, (name, name_en, kind, address, phone, description) in enumerate(words.PROVIDERS):
            partner = words.PROVIDER_PARTNERS.get(name)
            moment = self.at(self.today - datetime.timedelta(days=760 - n * 3))
            provider = self.call(
                moment,
                services_referrals.provider_create,
                actor=actor,
                consortium=consortium,
                name=name,
                name_en=name_en,
                kind=kind,
                address=address,
                phone=phone,
                email="",
                website="",
                description=description,
                organisation=self.orgs[partner] if partner else None,
            )
            ServiceProvider.objects.filter(pk=provider.pk).update(created_at=moment, updated_at=moment)
            self.providers[kind].append(provider)

    # -- assessment schedules (B4)

    def schedules(self) -> None:
        baseline = self.b.versions["baseline_functioning"].instrument
        progress = self.b.versions["progress_scale"].instrument
        for (org, _kind), program in sorted(self.programs.items(), key=lambda item: item[1].pk):
            lead = self.leads[org]
            moment = self.at(self.today - datetime.timedelta(days=750))
            self.call(
                moment,
                services_exits.schedule_set,
                actor=lead,
                program=program,
                instrument=baseline,
                position=0,
                within_days_of_enrollment=10,
                at_exit=True,
            )
            self.call(
                moment,
                services_exits.schedule_set,
                actor=lead,
                program=program,
                instrument=progress,
                position=1,
                within_days_of_enrollment=10,
                every_months=3,
                at_exit=True,
            )

    # -- who is enrolled, when, with whom, and how it ends

    def plan_episodes(self) -> None:
        rng = self.rng
        today = self.today
        floor = today - datetime.timedelta(days=720)
        transfers: dict[int, list[Match]] = defaultdict(list)
        match: Match | None
        for transfer in (
            Match.objects.filter(status=MatchStatus.TRANSFERRED, opening__program__isnull=False)
            .select_related("opening__program__organisation")
            .order_by("transferred_at", "pk")
        ):
            transfers[transfer.participant_id].append(transfer)
        # The list's history as stored (matches with a unit housed people after the journeys were drawn).
        history: dict[int, list[tuple[str, datetime.date]]] = defaultdict(list)
        bands: dict[int, str] = {}
        for entry in ByNameEntry.objects.order_by("pk"):
            history[entry.participant_id].append(("active", entry.entered_on))
            bands[entry.participant_id] = entry.acuity_band or ""
        for participant_id, to_status, on in ByNameStatusChange.objects.order_by("on", "pk").values_list(
            "entry__participant_id", "to_status", "on"
        ):
            history[participant_id].append((to_status, on))
        followers = {j.participant.pk: j.worker.username != "acces" for j in self.journeys}
        for journey in sorted(self.journeys, key=lambda j: j.participant.pk):
            participant = journey.participant
            org = participant.organisation.short_name
            events = history.get(participant.pk) or journey.events
            band = bands.get(participant.pk, "")
            spans: list[tuple[datetime.date, datetime.date | None, str, Match | None]] = []
            # Every transfer to a program: to the person's own organisation's, or to another organisation's
            # (which then serves them, under their consent).
            matched = [
                m
                for m in transfers.get(participant.pk, [])
                if m.opening.program is not None and m.opening.program.organisation.short_name in LEADS
            ]
            for index, (state, start) in enumerate(events):
                following = events[index + 1] if index + 1 < len(events) else None
                if state == "housed":
                    match = next(
                        (
                            m
                            for m in matched
                            if abs((clock.localdate(m.transferred_at) - start).days) <= 40
                        ),
                        None,
                    )
                    begin = (
                        clock.localdate(match.transferred_at)
                        if match
                        else start - datetime.timedelta(days=rng.randint(5, 35))
                    )
                    begin = max(begin, events[0][1], floor)
                    if spans and spans[-1][1] is None:
                        continue
                    spans.append(
                        (begin, following[1] if following else None, following[0] if following else "", match)
                    )
                elif (
                    state == "active"
                    and following is not None
                    and following[0] in {"inactive", "institution", "moved_away", "deceased"}
                    and (following[1] - start).days > 90
                    and followers.get(participant.pk)
                    and rng.random() < 0.45
                ):
                    # Followed while looking for housing, until they went out of touch, into an institution,
                    # away, or died.
                    begin = start + datetime.timedelta(days=rng.randint(5, 25))
                    spans.append((max(begin, floor), following[1], following[0], None))
                elif state == "active" and following is None and (today - start).days > 20:
                    match = next((m for m in matched if clock.localdate(m.transferred_at) >= start), None)
                    if match is not None:
                        spans.append((clock.localdate(match.transferred_at), None, "", match))
                    elif followers.get(participant.pk) and rng.random() < 0.55:
                        # Followed by the team while still looking for housing (enrolled directly).
                        begin = start + datetime.timedelta(days=rng.randint(5, 25))
                        spans.append((max(begin, floor), None, "", None))
            for begin, end, end_state, found in spans:
                self.add_episode(participant, org, band, begin, end, end_state, found)
        # People with a file who never went on the list: some are followed directly.
        from ancrage.core.demo import DUPLICATE_PAIRS

        listed = set(history)
        seconds = {(second[0], second[1]) for _first, second, *_rest in DUPLICATE_PAIRS}
        for participant in Participant.objects.filter(organisation__short_name__in=LEADS).order_by("pk"):
            if (
                participant.pk in listed
                or (participant.legal_first_name, participant.legal_last_name) in seconds
            ):
                continue
            opened = clock.localdate(participant.created_at)
            if (today - opened).days > 45 and rng.random() < 0.5:
                begin = max(floor, opened + datetime.timedelta(days=rng.randint(3, 30)))
                self.add_episode(participant, participant.organisation.short_name, "", begin, None, "", None)
        self.episodes.sort(key=lambda e: (e.start, e.participant.pk))
        for n, episode in enumerate(self.episodes):
            episode.key = n
        self.choose_workers()
        self.choose_exits()
        self.balance_showcase()
        self.choose_stories()

    def add_episode(self, participant, org, band, begin, end, end_state, match) -> None:
        if end is not None and (end - begin).days < 21:
            return
        if begin >= self.today - DAY:
            return
        kind = Program.Kind.ICM
        if match is not None and match.opening.program is not None:
            kind = match.opening.program.kind
            # The program's organisation serves the person (theirs, or another one of the consortium).
            org = match.opening.program.organisation.short_name
        elif org == "RDP" and (band == "act" or self.rng.random() < 0.35):
            # The Plateau's ACT team follows the people who need the most support.
            kind = Program.Kind.ACT
        program = self.programs[(org, kind)]
        self.episodes.append(
            Episode(
                participant=participant,
                org=org,
                program=program,
                team=self.teams.get(program.pk),
                start=begin,
                end=end,
                end_state=end_state,
                match=match,
                english=participant.communication_language == "en",
                band=band,
                engagement=self.rng.uniform(0.75, 1.2),
            )
        )

    def choose_workers(self) -> None:
        """Primary case managers: the worker who knew the person when they can, else the least loaded; the
        showcase case manager carries a full caseload, at the ratio."""
        rng = self.rng
        active: dict[int, list[Episode]] = defaultdict(list)
        showcase = self.users[SHOWCASE]
        known_by = {j.participant.pk: j.actor for j in self.journeys}
        for episode in self.episodes:
            for worker_id in list(active):
                active[worker_id] = [e for e in active[worker_id] if e.end is None or e.end > episode.start]
            workers = self.workers[episode.program.pk]
            ratio = episode.program.effective_caseload_ratio
            known = known_by.get(episode.participant.pk)
            if showcase in workers and len(active[showcase.pk]) < ratio - 2 and rng.random() < 0.6:
                worker = showcase
            elif known in workers and len(active[known.pk]) < ratio - 4 and rng.random() < 0.6:
                worker = known
            else:
                worker = min(workers, key=lambda w: (len(active[w.pk]), rng.random()))
            episode.workers = [(episode.start, worker)]
            active[worker.pk].append(episode)
        # A few reassignments over the two years, each with its reason.
        long = [e for e in self.episodes if ((e.end or self.today) - e.start).days > 150]
        for episode in rng.sample(long, k=min(12, len(long))):
            workers = [w for w in self.workers[episode.program.pk] if w != episode.workers[0][1]]
            if not workers:
                continue
            span = ((episode.end or self.today) - episode.start).days
            on = episode.start + datetime.timedelta(days=rng.randint(60, span - 30))
            episode.workers.append((on, rng.choice(workers)))

    def choose_exits(self) -> None:
        """How each ended enrollment ends, and a few graduations and planned exits among the long ones."""
        rng = self.rng
        ongoing = [
            e
            for e in self.episodes
            if e.end is None and e.match is None and (self.today - e.start).days > 420 and e.band != "act"
        ]
        rng.shuffle(ongoing)
        for episode in ongoing[:4]:
            episode.end = self.today - datetime.timedelta(days=rng.randint(20, 240))
            episode.end_state = "graduation"
        for episode in ongoing[4:8]:
            episode.end = self.today - datetime.timedelta(days=rng.randint(15, 300))
            episode.end_state = "planned"

    def balance_showcase(self, target: int = 10) -> None:
        """The showcase case manager ends with a full caseload (two newcomers join it later): people of the
        team who never changed worker move to her from the start, or from her to the least loaded."""
        showcase = self.users[SHOWCASE]
        program = self.programs[("MHS", Program.Kind.ICM)]
        current = [e for e in self.episodes if e.end is None and e.program == program]
        mine = [e for e in current if e.workers[-1][1] == showcase]
        movable = [e for e in current if e not in mine and len(e.workers) == 1]
        while len(mine) < target and movable:
            episode = movable.pop(self.rng.randrange(len(movable)))
            episode.workers = [(episode.start, showcase)]
            mine.append(episode)
        others = [w for w in self.workers[program.pk] if w != showcase]
        for episode in [e for e in mine if len(e.workers) == 1][: max(0, len(mine) - target)]:
            loads = {w.pk: sum(1 for e in current if e.workers[-1][1] == w) for w in others}
            episode.workers = [(episode.start, min(others, key=lambda w: (loads[w.pk], w.pk)))]

    def choose_stories(self) -> None:
        """Tenancies at risk, gaps in contact, paired visits and lost contact, spread over the caseloads."""
        rng = self.rng
        for episode in self.episodes:
            length = ((episode.end or self.today) - episode.start).days
            if length > 120 and rng.random() < 0.18:
                since = episode.start + datetime.timedelta(days=rng.randint(40, length - 30))
                until = since + datetime.timedelta(days=rng.randint(30, 120))
                episode.at_risk.append((since, until if until < (episode.end or self.today) else None))
            for _n in range(rng.randint(0, 2) if length > 90 else 0):
                gap_start = episode.start + datetime.timedelta(days=rng.randint(20, max(21, length - 30)))
                episode.gaps.append((gap_start, gap_start + datetime.timedelta(days=rng.randint(10, 30))))
        # Today's team meeting needs a little of everything in each team, and the showcase caseload most of all.
        current = [e for e in self.episodes if e.end is None]
        for org in LEADS:
            mine = [e for e in current if e.org == org and e.program.kind == Program.Kind.ICM]
            if not mine:
                continue
            showcase = [e for e in mine if e.workers[-1][1].username == SHOWCASE] or mine
            old = [e for e in showcase if (self.today - e.start).days > 120] or showcase
            picks = rng.sample(old, k=min(3, len(old)))
            # Tenancy at risk since a few weeks.
            picks[0].at_risk = [(self.today - datetime.timedelta(days=rng.randint(10, 40)), None)]
            # Lost contact: no contact for four weeks.
            if len(picks) > 1:
                picks[1].lost_since = self.today - datetime.timedelta(days=rng.randint(24, 45))
                picks[1].at_risk = []
            # Not seen in ten days (a short gap at the end).
            if len(picks) > 2:
                picks[2].gaps.append((self.today - datetime.timedelta(days=12), self.today + DAY))
            # A plan whose yearly review has not been done.
            year_old = [e for e in showcase if (self.today - e.start).days > 400 and e not in picks]
            year_old = year_old or [e for e in mine if (self.today - e.start).days > 400 and e not in picks]
            if year_old:
                year_old[0].story = "no_review"
        self.newcomers()

    def newcomers(self) -> None:
        """In each team, people enrolled in the last weeks: one whose plan is late (15 business days), one whose
        plan is written but not complete, one enrolled this week (baseline assessments due)."""
        enrolled = {e.participant.pk for e in self.episodes if e.end is None}
        candidates = [
            p
            for p in Participant.objects.filter(organisation__short_name__in=LEADS, merged_into__isnull=True)
            .select_related("organisation")
            .order_by("pk")
            if p.pk not in enrolled
        ]
        statuses = dict(ByNameEntry.objects.values_list("participant_id", "status"))
        candidates = [p for p in candidates if statuses.get(p.pk) in {None, "active"}]
        for org in LEADS:
            mine = [p for p in candidates if p.organisation.short_name == org]
            program = self.programs[(org, Program.Kind.ICM)]
            for story, ago in (("no_plan", 22), ("plan_late", 30), ("new", 4)):
                if not mine:
                    break
                participant = mine.pop(self.rng.randrange(len(mine)))
                episode = Episode(
                    participant=participant,
                    org=org,
                    program=program,
                    team=self.teams.get(program.pk),
                    start=self.today - datetime.timedelta(days=ago),
                    english=participant.communication_language == "en",
                    story=story,
                    key=len(self.episodes),
                )
                workers = self.workers[program.pk]
                worker = self.users[SHOWCASE] if org == "MHS" and story != "new" else self.rng.choice(workers)
                episode.workers = [(episode.start, worker)]
                self.episodes.append(episode)

    # -- the events, in the order they happened

    def plan_events(self) -> None:
        rng = self.rng
        for episode in self.episodes:
            self.schedule(episode.start, self.enroll, episode)
            for since, worker in episode.workers[1:]:
                self.schedule(since, self.reassign, episode, worker)
            for since, until in episode.at_risk:
                self.schedule(since, self.tenancy_risk, episode, True, since)
                if until is not None:
                    self.schedule(until, self.tenancy_risk, episode, False, until)
            self.plan_assessments(episode)
            self.plan_referrals(episode)
            end = episode.end or self.today
            if rng.random() < 0.35:
                for _n in range(rng.randint(1, 3)):
                    day = self.day(episode.start + 7 * DAY, end - DAY)
                    if day < self.today - DAY:
                        self.schedule(day, self.incident, episode, day, None)
            if episode.end is not None:
                self.schedule(episode.end, self.exit, episode)
        # Risk plans: some over the years, a few current (paired visits for some).
        current = [e for e in self.episodes if e.end is None and (self.today - e.start).days > 60]
        rng.shuffle(current)
        risky = current[:10]
        for org in LEADS:
            mine = [e for e in current if e.org == org and e.workers[-1][1].username == SHOWCASE]
            if mine and mine[0] not in risky:
                risky.append(mine[0])
        for n, episode in enumerate(risky):
            day = self.today - datetime.timedelta(days=rng.randint(5, 50))
            template = words.RISK_PLANS[n % len(words.RISK_PLANS)] if n < 8 else words.RISK_PLANS[n % 2]
            if episode.workers[-1][1].username == SHOWCASE:
                template = words.RISK_PLANS[1]  # paired visits
            self.schedule(day, self.risk, episode, day, template, n >= 7)
        past = [e for e in self.episodes if ((e.end or self.today) - e.start).days > 200]
        for episode in rng.sample(past, k=min(8, len(past))):
            day = episode.start + datetime.timedelta(days=rng.randint(30, 120))
            if day < self.today - 60 * DAY:
                self.schedule(day, self.risk, episode, day, rng.choice(words.RISK_PLANS[:3]), True)
        # Lost contact in the past, found again; and the lost-contact cases of today.
        for episode in rng.sample(past, k=min(5, len(past))):
            day = episode.start + datetime.timedelta(days=rng.randint(60, 180))
            if day < (episode.end or self.today) - 40 * DAY and day < self.today - 40 * DAY:
                episode.gaps.append((day - 23 * DAY, day + 12 * DAY))
                self.schedule(day, self.lost_contact_past, episode, day)

    def day(self, start: datetime.date, end: datetime.date) -> datetime.date:
        if end <= start:
            return start
        return start + datetime.timedelta(days=self.rng.randint(0, (end - start).days))

    # enrollment, plan, reassignment, tenancy

    def consent_to_serve(self, episode: Episode, moment: datetime.datetime) -> None:
        """Before another organisation enrolls the person in its program, their consent that it receive what
        case management needs (identity, case notes, health, risk), recorded by their own organisation. It
        lasts the usual time, and at least until the demo's day (what is recorded stays readable)."""
        from ancrage.people.services import consent_record, default_expiry

        home = episode.participant.organisation.short_name
        actor = (
            self.leads.get(home)
            or (episode.match.proposed_by if episode.match else None)
            or self.leads[episode.org]
        )
        expires = max(default_expiry(episode.start), self.today + datetime.timedelta(days=60))
        self.call(
            moment,
            consent_record,
            actor=actor,
            participant=episode.participant,
            organisations=[episode.program.organisation],
            categories=[Category.IDENTITY, Category.CASE_NOTES, Category.HEALTH, Category.RISK],
            purpose=words.SERVING_CONSENT_PURPOSE,
            starts_on=episode.start,
            expires_on=expires,
            method=Consent.Method.WRITTEN,
        )
        self.counts["consents to serve"] += 1

    def enroll(self, episode: Episode) -> None:
        rng = self.rng
        lead = self.leads[episode.org]
        worker = episode.workers[0][1]
        moment = self.at(episode.start)
        if episode.program.organisation_id != episode.participant.organisation_id:
            self.consent_to_serve(episode, moment)
        kwargs: dict[str, Any] = {
            "actor": lead,
            "participant": episode.participant,
            "program": episode.program,
            "primary_worker": worker,
            "team": episode.team,
            "enrolled_on": episode.start,
            "match": episode.match,
        }
        try:
            enrollment = services_caseload.enrollment_create(**kwargs)
        except ValidationError as exc:
            if "over_ratio_reason" not in getattr(exc, "message_dict", {}):
                raise
            kwargs["over_ratio_reason"] = rng.choice(words.OVER_RATIO_REASONS)
            enrollment = services_caseload.enrollment_create(**kwargs)
        self.b.stamp(moment)
        Enrollment.objects.filter(pk=enrollment.pk).update(created_at=moment, updated_at=moment)
        Assignment.objects.filter(enrollment=enrollment).update(assigned_at=moment)
        episode.enrollment = enrollment
        self.counts["enrollments"] += 1
        # The recovery plan: started at enrollment, written with the person over the first visits.
        if episode.story == "no_plan":
            return  # not started yet: overdue past its 10 business days
        late = (self.today - episode.start).days
        self.write_plan(
            episode, incomplete=episode.story == "plan_late" or (14 <= late < 30 and rng.random() < 0.5)
        )

    def write_plan(self, episode: Episode, *, incomplete: bool) -> None:
        rng = self.rng
        enrollment = episode.enrollment
        assert enrollment is not None
        worker = episode.workers[0][1]
        en = 1 if episode.english else 0
        started = self.at(episode.start + DAY * rng.randint(0, 3))
        plan = self.call(started, services_plans.plan_create, actor=worker, enrollment=enrollment)
        written_on = min(
            self.today,
            add_business_days(episode.start, rng.choice([3, 5, 6, 8, 9, 9, 10, 12, 14])),
        )
        moment = self.at(written_on)
        fields = {
            "strengths": rng.choice(words.STRENGTHS)[en],
            "interests": rng.choice(words.INTERESTS)[en],
            "aspirations": rng.choice(words.ASPIRATIONS)[en],
            "local_resources": rng.choice(words.RESOURCES)[en],
        }
        if not incomplete:
            fields["crisis_strategies"] = rng.choice(words.CRISIS)[en]
            fields["after_hours_protocol"] = rng.choice(words.AFTER_HOURS)[en]
        plan = self.call(
            moment, services_plans.plan_update, actor=worker, plan=plan, revision=plan.revision, **fields
        )
        domains = list(words.GOALS)
        if episode.participant.indigenous_identity in {"first_nations", "inuit", "metis"}:
            chosen = ["culture", *rng.sample([d for d in domains if d != "culture"], k=rng.randint(1, 3))]
        else:
            chosen = rng.sample([d for d in domains if d != "culture"], k=rng.randint(2, 4))
        goals = []
        for domain in chosen:
            text_fr, text_en, steps = rng.choice(words.GOALS[domain])
            review = written_on + datetime.timedelta(days=rng.choice([30, 60, 90]))
            goal = self.call(
                moment,
                services_plans.goal_add,
                actor=worker,
                plan=plan,
                words=text_en if en else text_fr,
                stage=self.weighted(words.STAGES),
                starts_on=written_on,
                domain=domain,
                review_on=review,
            )
            goals.append(goal)
            if incomplete:
                continue
            for step_fr, step_en, who in steps[: rng.randint(1, len(steps))]:
                target = written_on + datetime.timedelta(days=rng.randint(7, 75))
                step = self.call(
                    moment,
                    services_plans.step_add,
                    actor=worker,
                    goal=goal,
                    description=step_en if en else step_fr,
                    who=who,
                    target_on=target,
                    review_on=target + datetime.timedelta(days=14),
                )
                done = target - datetime.timedelta(days=rng.randint(-10, 5))
                if (
                    done < self.today - 3 * DAY
                    and rng.random() < 0.6
                    and (episode.end is None or done < episode.end)
                ):
                    self.schedule(done, self.step_done, episode, step, done)
        RecoveryPlan.objects.filter(pk=plan.pk).update(created_at=started, updated_at=moment)
        Goal.objects.filter(plan=plan).update(created_at=moment)
        if not incomplete:
            RecoveryPlan.objects.filter(pk=plan.pk, first_completed_on__isnull=False).update(
                first_completed_on=written_on
            )
        episode.plan = plan
        episode.goals = goals
        # Progress on goals over time; the supervisor's yearly review.
        end = episode.end or self.today
        for goal in goals:
            if rng.random() < 0.45 and (end - written_on).days > 100:
                day = self.day(written_on + 60 * DAY, end - 5 * DAY)
                self.schedule(day, self.goal_progress, episode, goal, day)
        review = episode.start + relativedelta(months=11, days=rng.randint(0, 40))
        while review < end and review < self.today:
            if rng.random() < 0.8 and episode.story != "no_review":
                self.schedule(review, self.review, episode, review)
            review = review + relativedelta(months=12)

    def step_done(self, episode: Episode, step: Step, day: datetime.date) -> None:
        if not self.still_active(episode):
            return
        self.call(
            self.at(day), services_plans.step_update, actor=episode.worker_on(day), step=step, done_on=day
        )

    def goal_progress(self, episode: Episode, goal: Goal, day: datetime.date) -> None:
        if not self.still_active(episode):
            return
        rng = self.rng
        order = [s for s, _w in words.STAGES]
        stage = order[min(len(order) - 1, order.index(goal.stage) + 1)] if goal.stage in order else "action"
        status = Goal.Status.ACHIEVED if rng.random() < 0.35 else Goal.Status.ACTIVE
        if rng.random() < 0.08:
            status = Goal.Status.SET_ASIDE
        self.call(
            self.at(day),
            services_plans.goal_update,
            actor=episode.worker_on(day),
            goal=goal,
            stage=stage,
            status=status,
        )
        goal.stage = stage

    def review(self, episode: Episode, day: datetime.date) -> None:
        if not self.still_active(episode) or episode.plan is None:
            return
        self.call(
            self.at(day),
            services_plans.plan_review,
            actor=self.leads[episode.org],
            plan=episode.plan,
            comment=self.rng.choice(words.REVIEW_COMMENTS),
            reviewed_on=day,
        )

    def still_active(self, episode: Episode) -> bool:
        enrollment = episode.enrollment
        if enrollment is None:
            return False
        enrollment.refresh_from_db(fields=["status"])
        return enrollment.status == Enrollment.Status.ACTIVE

    def reassign(self, episode: Episode, worker: User) -> None:
        if not self.still_active(episode):
            return
        day = next(since for since, w in episode.workers if w == worker)
        moment = self.at(day)
        kwargs: dict[str, Any] = {
            "actor": self.leads[episode.org],
            "enrollment": episode.enrollment,
            "worker": worker,
            "reason": self.rng.choice(words.REASSIGN_REASONS),
            "on": day,
        }
        try:
            services_caseload.enrollment_assign(**kwargs)
        except ValidationError as exc:
            if "over_ratio_reason" not in getattr(exc, "message_dict", {}):
                raise
            kwargs["over_ratio_reason"] = self.rng.choice(words.OVER_RATIO_REASONS)
            services_caseload.enrollment_assign(**kwargs)
        self.b.stamp(moment)
        Assignment.objects.filter(enrollment=episode.enrollment, starts_on=day).update(assigned_at=moment)
        self.counts["reassignments"] += 1

    def tenancy_risk(self, episode: Episode, at_risk: bool, day: datetime.date) -> None:
        if not self.still_active(episode):
            return
        reason = (
            "Plaintes de voisins et retard de loyer: on augmente les visites."
            if at_risk
            else "Entente avec le propriétaire respectée depuis deux mois."
        )
        self.call(
            self.at(day),
            services_caseload.enrollment_set_tenancy_risk,
            actor=episode.worker_on(day),
            enrollment=episode.enrollment,
            at_risk=at_risk,
            since=day,
            reason=reason,
        )

    # assessments (B4)

    def plan_assessments(self, episode: Episode) -> None:
        """The program's schedule, mostly kept: baseline within ten days, every three months, at exit; a few
        declined or postponed with the reason, a few late or still due."""
        rng = self.rng
        end = episode.end or self.today
        baseline = episode.start + datetime.timedelta(days=rng.choice([2, 4, 6, 7, 8, 9, 12, 16]))
        if baseline < end and baseline < self.today and episode.story not in {"new", "no_plan"}:
            self.schedule(baseline, self.administer, episode, "baseline_functioning", baseline, "")
            self.schedule(baseline, self.administer, episode, "progress_scale", baseline, "")
        follow = baseline
        while True:
            follow = follow + relativedelta(months=3) + datetime.timedelta(days=rng.randint(-10, 20))
            if follow >= end or follow >= self.today - DAY:
                break
            # Some follow-ups are missed altogether: they show as overdue when they are the latest.
            if follow > self.today - 40 * DAY and rng.random() < 0.25:
                break
            close = self.weighted([("", 88), ("declined", 6), ("postponed", 6)])
            self.schedule(follow, self.administer, episode, "progress_scale", follow, close)
            if close == "postponed":
                later = follow + datetime.timedelta(days=rng.randint(7, 20))
                if later < end and later < self.today:
                    self.schedule(later, self.administer, episode, "progress_scale", later, "")
        if baseline < end < self.today and rng.random() < 0.8:
            self.schedule(
                end - DAY * rng.randint(1, 6), self.administer, episode, "progress_scale", end - 3 * DAY, ""
            )

    def administer(self, episode: Episode, key: str, day: datetime.date, close: str) -> Administration | None:
        if not self.still_active(episode):
            return None
        rng = self.rng
        worker = episode.worker_on(day)
        started = self.at(day)
        administration = self.call(
            started,
            assessment_services.administration_start,
            actor=worker,
            participant=episode.participant,
            version=self.b.versions[key],
        )
        finished = min(self.now, started + datetime.timedelta(minutes=rng.randint(15, 40)))
        progress = min(1.0, max(0.0, (day - episode.start).days / 540))
        if close == "declined":
            self.call(
                finished,
                assessment_services.administration_decline,
                actor=worker,
                administration=administration,
                reason=rng.choice(
                    [
                        "La personne ne souhaite pas répondre ce mois-ci.",
                        "Préfère parler d'autre chose aujourd'hui; on respecte son choix.",
                    ]
                ),
            )
        elif close == "postponed":
            self.call(
                finished,
                assessment_services.administration_postpone,
                actor=worker,
                administration=administration,
                reason=rng.choice(
                    [
                        "Rencontre écourtée: rendez-vous médical imprévu.",
                        "Trop fatigué aujourd'hui; on reprend la semaine prochaine.",
                    ]
                ),
            )
        else:
            answers = (
                self.baseline_answers(episode, progress)
                if key == "baseline_functioning"
                else self.progress_answers(episode, progress)
            )
            self.call(
                finished,
                assessment_services.administration_save_answers,
                actor=worker,
                administration=administration,
                answers=answers,
                complete=True,
            )
        Administration.objects.filter(pk=administration.pk).update(
            started_at=started,
            created_at=started,
            updated_at=finished,
            completed_at=finished if not close else None,
        )
        self.counts["assessments"] += 1
        return administration

    def baseline_answers(self, episode: Episode, progress: float) -> dict[str, Any]:
        concern = max(0.05, min(0.95, self.rng.uniform(0.3, 0.8) - progress * 0.5))
        levels = ("none", "some", "serious")
        answers: dict[str, Any] = {
            key: self.weighted(list(zip(levels, (2 - concern * 1.5, 1, concern * 1.5), strict=True)))
            for key in (
                "mood_low", "mood_anxiety", "mood_sleep", "behaviour_agitation", "behaviour_withdrawal",
                "behaviour_neighbours", "mh_perception", "su_impact", "df_hygiene", "df_meals",
                "df_home_upkeep", "df_money",
            )
        }  # fmt: skip
        answers["mh_self_harm"] = "yes" if self.rng.random() < concern * 0.2 else "no"
        answers["mh_follow_up"] = "yes" if self.rng.random() < 0.6 else "no"
        return answers

    def progress_answers(self, episode: Episode, progress: float) -> dict[str, Any]:
        rng = random.Random(episode.key * 97 + self.b.seed)  # the person's own starting point, stable
        base = rng.uniform(2.5, 5.5)
        gain = rng.uniform(-0.5, 4.0)
        level = base + gain * progress
        scale: dict[str, Any] = {}
        for key in (
            "home", "money", "self_care", "physical_health", "wellbeing", "substance_use",
            "relationships", "activities", "safety_rights", "hope",
        ):  # fmt: skip
            offset = rng.uniform(-1.5, 1.5) + (1.5 * progress if key == "home" else 0)
            scale[key] = min(10, max(1, round(self.rng.gauss(level + offset, 0.8))))
        scale["priority_domain"] = min(scale, key=lambda k: scale[k])
        return scale

    # referrals out (B7)

    def plan_referrals(self, episode: Episode) -> None:
        rng = self.rng
        end = episode.end or self.today
        length = (end - episode.start).days
        for _n in range(rng.choice([0, 1, 1, 2, 2, 3]) if length > 30 else 0):
            day = self.day(episode.start + 10 * DAY, end - 5 * DAY)
            if day >= self.today - DAY:
                continue
            kind = self.weighted(
                [
                    ("health", 14), ("mental_health", 12), ("substance_use", 10), ("income", 12),
                    ("employment", 10), ("legal", 8), ("food", 8), ("community", 8), ("education", 4),
                    ("housing_stability", 6), ("culture", 3), ("other", 5),
                ]
            )  # fmt: skip
            if kind == "culture" and episode.participant.indigenous_identity not in {
                "first_nations",
                "inuit",
                "metis",
            }:
                kind = "community"
            self.schedule(day, self.referral, episode, kind, day, None)

    def referral_outcome(self, day: datetime.date) -> list[str]:
        """The steps a referral went through, by how long ago it was made."""
        age = (self.today - day).days
        if age < 10:
            return self.weighted(
                [
                    ([], 3),
                    (["approved"], 3),
                    (["approved", "sent"], 3),
                    (["approved", "sent", "appointment_set"], 3),
                ]
            )
        return self.weighted(
            [
                (["approved", "sent", "appointment_set", "accompanied", "linked"], 22),
                (["approved", "sent", "appointment_set", "linked"], 14),
                (["approved", "sent", "appointment_set", "accompanied"], 8),
                (["approved", "sent", "appointment_set", "no_show", "appointment_set", "linked"], 8),
                (["approved", "sent", "appointment_set", "no_show"], 6),
                (["approved", "sent"], 6),
                (["approved"], 4),
                ([], 4),
                (["declined"], 10),
                (["approved", "sent", "declined"], 6),
            ]
        )

    def referral(
        self, episode: Episode, kind: str, day: datetime.date, steps: list[str] | None
    ) -> ServiceReferral | None:
        if not self.still_active(episode):
            return None
        rng = self.rng
        provider = rng.choice(self.providers[kind])
        worker = episode.worker_on(day)
        steps = self.referral_outcome(day) if steps is None else steps
        shared: list[str] = []
        if provider.organisation is not None:
            shared = services_referrals.shareable_categories(episode.participant, provider.organisation)
        approved = day if steps and steps[0] == "approved" else None
        moment = self.at(day)
        referral = self.call(
            moment,
            services_referrals.referral_create,
            actor=worker,
            participant=episode.participant,
            provider=provider,
            need=words.NEEDS[kind],
            approved_on=approved,
            shared_categories=shared if approved else (),
        )
        ServiceReferral.objects.filter(pk=referral.pk).update(created_at=moment, updated_at=moment)
        # The service dates a proposal today: this one was proposed on `day`.
        ReferralAttempt.objects.filter(referral=referral).update(on=day, recorded_at=moment)
        referral.created_at = moment
        on = day
        for status in steps[1:] if approved else steps:
            on = on + datetime.timedelta(days=rng.randint(1, 12))
            if on > self.today:
                break
            appointment = None
            if status == "appointment_set":
                when = on + datetime.timedelta(days=rng.randint(3, 14))
                appointment = datetime.datetime.combine(
                    when,
                    datetime.time(rng.choice([9, 10, 11, 13, 14, 15]), rng.choice([0, 30])),
                    tzinfo=self.tz,
                )
            step_moment = self.at(on)
            self.call(
                step_moment,
                services_referrals.referral_step,
                actor=worker,
                referral=referral,
                status=status,
                on=on,
                note=words.REFERRAL_NOTES.get(status, ""),
                appointment_at=appointment,
            )
            last = ReferralAttempt.objects.filter(referral=referral).order_by("-pk").first()
            if last is not None:
                ReferralAttempt.objects.filter(pk=last.pk).update(recorded_at=step_moment)
            ServiceReferral.objects.filter(pk=referral.pk).update(updated_at=step_moment)
            if appointment is not None:
                on = max(on, min(appointment.date(), self.today))
        self.counts["referrals"] += 1
        return referral

    # risk (B8), incidents (B9)

    def risk(self, episode: Episode, day: datetime.date, template, ends: bool) -> None:
        if not self.still_active(episode):
            return
        rng = self.rng
        level, rating, description, paired, office_days, psychiatric, measures = template
        worker = episode.worker_on(day)
        told = min(self.today, day + datetime.timedelta(days=rng.randint(0, 4)))
        review = day + datetime.timedelta(days=rng.choice([30, 60, 90]))
        risk = self.call(
            self.at(day),
            services_contacts.risk_assess,
            actor=worker,
            participant=episode.participant,
            assessed_on=day,
            level=level,
            rating=rating,
            description=description,
            paired_visits=paired,
            office_only_until=day + datetime.timedelta(days=office_days) if office_days else None,
            psychiatric_assessment_requested=psychiatric,
            notify_team_on_police=level >= 2,
            other_measures=measures,
            participant_told_on=told,
            review_on=review,
        )
        RiskAssessment.objects.filter(pk=risk.pk).update(recorded_at=self.at(day))
        if paired:
            episode.paired_since = day
        self.counts["risk assessments"] += 1
        if ends:
            end = day + datetime.timedelta(days=rng.randint(30, 120))
            if end < (episode.end or self.today) and end < self.today:
                self.schedule(end, self.risk_end, episode, risk, end)

    def risk_end(self, episode: Episode, risk: RiskAssessment, day: datetime.date) -> None:
        risk.refresh_from_db()
        if risk.ended_on is not None or not self.still_active(episode):
            return
        self.call(self.at(day), services_contacts.risk_end, actor=episode.worker_on(day), risk=risk, on=day)
        if episode.paired_since and episode.paired_since <= day:
            episode.paired_since = None

    def incident(
        self, episode: Episode, day: datetime.date, kind: str | None, moment=None
    ) -> Incident | None:
        if not self.still_active(episode):
            return None
        rng = self.rng
        kind = kind or self.weighted(words.INCIDENT_WEIGHTS)
        occurred = moment or self.at(day, 0, 23 * 60 + 59)
        source_name = words.PARTNER_SOURCES.get(kind, "")
        partner = bool(source_name) and rng.random() < 0.5
        recorder = episode.worker_on(day)
        recorded = min(self.now, occurred + datetime.timedelta(hours=rng.randint(1, 14)))
        incident = self.call(
            recorded,
            services_referrals.incident_record,
            actor=recorder,
            participant=episode.participant,
            kind=kind,
            occurred_at=occurred,
            description=rng.choice(words.INCIDENTS[kind]),
            source=Incident.Source.PARTNER_NOTICE if partner else Incident.Source.STAFF,
            source_name=source_name if partner else "",
        )
        Incident.objects.filter(pk=incident.pk).update(recorded_at=recorded, team_notified_at=recorded)
        Alert.objects.filter(kind="casework.incident.recorded", object_id=str(incident.pk)).update(
            created_at=recorded
        )
        self.counts["incidents"] += 1
        if kind == "eviction_notice" and not episode.at_risk_on(day) and day < self.today - DAY:
            enrollment = episode.enrollment
            assert enrollment is not None
            enrollment.refresh_from_db()
            if enrollment.tenancy_at_risk_since is None:
                self.tenancy_risk(episode, True, day)
                episode.at_risk.append((day, None))
        return incident

    # lost contact (B12)

    def lost_contact_past(self, episode: Episode, day: datetime.date) -> None:
        if not self.still_active(episode):
            return
        worker = episode.worker_on(day)
        plan = self.call(
            self.at(day),
            services_referrals.lost_contact_flag,
            actor=worker,
            enrollment=episode.enrollment,
            on=day,
            last_contact_on=day - 23 * DAY,
        )
        found_on = day + 12 * DAY
        tasks = list(plan.tasks.order_by("pk"))
        for n, task in enumerate(tasks):
            done = day + DAY * (n + 1)
            if done >= found_on:
                break
            self.call(
                self.at(done),
                services_referrals.outreach_task_done,
                actor=worker,
                task=task,
                outcome=self.rng.choice(words.LOST_OUTCOMES),
                done_on=done,
            )
        self.call(
            self.at(found_on),
            services_referrals.reengagement_close,
            actor=worker,
            plan=plan,
            status=ReengagementPlan.Status.RECONNECTED,
            note="Retrouvé au café de rue; va bien, était chez un ami. Visites reprises.",
        )
        ReengagementPlan.objects.filter(pk=plan.pk).update(closed_on=found_on)
        Alert.objects.filter(kind="casework.lost_contact", object_id=str(plan.pk)).update(
            created_at=self.at(day), resolved_at=self.at(found_on)
        )
        self.counts["re-engagement plans"] += 1

    def lost_contacts_now(self) -> None:
        for episode in self.episodes:
            if episode.lost_since is None or not self.still_active(episode):
                continue
            worker = episode.worker_on(self.today)
            flagged = episode.lost_since + datetime.timedelta(days=settings.ANCRAGE["LOST_CONTACT_DAYS"])
            flagged = min(flagged, self.today)
            plan = self.call(
                self.at(flagged),
                services_referrals.lost_contact_flag,
                actor=worker,
                enrollment=episode.enrollment,
                on=flagged,
                last_contact_on=episode.lost_since,
            )
            Alert.objects.filter(kind="casework.lost_contact", object_id=str(plan.pk)).update(
                created_at=self.at(flagged)
            )
            tasks = list(plan.tasks.order_by("pk"))
            for n, task in enumerate(tasks[:2]):
                done = min(self.today, flagged + DAY * (n + 1))
                self.call(
                    self.at(done),
                    services_referrals.outreach_task_done,
                    actor=worker,
                    task=task,
                    outcome=self.rng.choice(words.LOST_OUTCOMES),
                    done_on=done,
                )
            peer = self.users.get(PEERS.get(episode.org, ""))
            self.call(
                self.at(flagged),
                services_referrals.outreach_task_add,
                actor=worker,
                plan=plan,
                place_kind=OutreachTask.Place.OTHER,
                place="Site de consommation supervisée L'Escale",
                assigned_to=peer or worker,
                due_on=self.today + 2 * DAY,
            )
            self.counts["re-engagement plans"] += 1

    # exits (F1–F3)

    def exit(self, episode: Episode) -> None:
        if not self.still_active(episode):
            return
        rng = self.rng
        day = episode.end
        assert day is not None
        assert episode.enrollment is not None
        worker = episode.worker_on(day)
        state = episode.end_state
        kwargs: dict[str, Any] = {
            "actor": worker,
            "enrollment": episode.enrollment,
            "exited_on": day,
            "procedure_given_on": day - DAY * rng.randint(0, 10) if state != "deceased" else None,
            "note": "",
        }
        if state == "graduation":
            assessment = self.administer(episode, "baseline_functioning", day - DAY * rng.randint(3, 12), "")
            kwargs.update(
                kind=Exit.Kind.GRADUATION,
                reason=Exit.Reason.GOALS_REACHED,
                destination=rng.choice([Exit.Destination.OWN_HOUSING, Exit.Destination.SUBSIDISED]),
                graduation_assessment=assessment,
                note=words.EXIT_NOTES["graduation"],
            )
        elif state == "planned":
            kwargs.update(
                kind=Exit.Kind.PLANNED,
                reason=rng.choice([Exit.Reason.LESS_SUPPORT, Exit.Reason.MOVED_AWAY]),
                destination=rng.choice([Exit.Destination.OWN_HOUSING, Exit.Destination.FAMILY]),
                next_provider="Stabilité résidentielle avec accompagnement — Est",
                note=words.EXIT_NOTES["planned"],
            )
        elif state == "moved_away":
            kwargs.update(
                kind=Exit.Kind.PLANNED,
                reason=Exit.Reason.MOVED_AWAY,
                destination=Exit.Destination.FAMILY,
                destination_detail="Chez sa sœur, à Sherbrooke",
                note=words.EXIT_NOTES["planned"],
            )
        elif state == "institution":
            kwargs.update(
                kind=Exit.Kind.UNPLANNED,
                reason=rng.choice([Exit.Reason.DETENTION, Exit.Reason.MORE_SUPPORT]),
                destination=rng.choice([Exit.Destination.DETENTION, Exit.Destination.INSTITUTION]),
                no_referrals_reason="Hébergé pour plusieurs mois; références à faire avant la sortie.",
                note=words.EXIT_NOTES["unplanned"],
            )
        elif state == "deceased":
            kwargs.update(
                kind=Exit.Kind.UNPLANNED,
                reason=Exit.Reason.DECEASED,
                destination=Exit.Destination.DECEASED,
                no_referrals_reason="Décès.",
                procedure_given_on=day,
                note="Décès confirmé par la famille. L'équipe a participé aux funérailles.",
            )
        else:
            # Back on the street or out of touch: three housing-stability referrals, or why not.
            referrals = []
            shelter = not self.counts["shelter exits"]
            if rng.random() < 0.75 or shelter:
                for provider in rng.sample(self.providers["housing_stability"], k=3):
                    referral = self.call(
                        self.at(day),
                        services_referrals.referral_create,
                        actor=worker,
                        participant=episode.participant,
                        provider=provider,
                        need="Perte du logement: besoin d'un logement avec soutien rapidement.",
                        approved_on=day,
                    )
                    ServiceReferral.objects.filter(pk=referral.pk).update(created_at=self.at(day))
                    referrals.append(referral.pk)
            kwargs.update(
                kind=Exit.Kind.UNPLANNED,
                reason=Exit.Reason.PARTICIPANT_ENDED if state == "inactive" else Exit.Reason.NEEDS_NOT_MET,
                destination=Exit.Destination.SHELTER
                if shelter
                else rng.choice([Exit.Destination.STREET, Exit.Destination.UNKNOWN, Exit.Destination.FAMILY]),
                shelter_justification=words.SHELTER_JUSTIFICATION if shelter else "",
                referral_ids=referrals,
                no_referrals_reason=""
                if referrals
                else "La personne n'a pas pu être jointe malgré nos recherches.",
                note=words.EXIT_NOTES["unplanned"],
            )
            if shelter:
                self.counts["shelter exits"] += 1
        if kwargs["procedure_given_on"] is None:
            kwargs["procedure_given_on"] = day
        moment = self.at(day)
        exit_ = self.call(moment, services_exits.exit_record, **kwargs)
        Exit.objects.filter(pk=exit_.pk).update(recorded_at=moment)
        Enrollment.objects.filter(pk=episode.enrollment.pk).update(updated_at=moment)
        self.counts[f"exits {kwargs['kind']}"] += 1

    # -- contacts

    def contact_plan(self, episode: Episode, day: datetime.date) -> list[tuple[str, int, bool]]:
        """The contacts of one day for one episode: (kind, minutes, present)."""
        rng = self.rng
        kind = self.weighted(
            [
                ("home", 52),
                ("community", 15),
                ("office", 7),
                ("phone", 16),
                ("accompaniment", 8),
                ("video", 2),
            ]
        )
        minutes = {
            "home": (40, 120),
            "community": (25, 90),
            "office": (20, 60),
            "phone": (5, 25),
            "accompaniment": (90, 240),
            "video": (10, 30),
        }[kind]
        present = not (kind == "phone" and rng.random() < 0.3) and rng.random() > 0.04
        contacts = [(kind, rng.randint(*minutes) // 5 * 5 or 5, present)]
        if rng.random() < 0.3:
            # A call about the participant, without them: the landlord, the pharmacy, a nurse.
            contacts.append(("phone", rng.choice([5, 10, 10, 15, 20]), False))
        return contacts

    def contact_days(self, episode: Episode, start: datetime.date, end: datetime.date) -> list[datetime.date]:
        """The days someone from the team saw or called the participant, week by week: the weekly standard
        mostly kept, more while the tenancy is at risk or in ACT, gaps when the person is away or out of touch."""
        rng = self.rng
        days: list[datetime.date] = []
        week = start - datetime.timedelta(days=start.weekday())
        while week < end:
            if any(a <= week < b for a, b in episode.gaps) or (
                episode.lost_since is not None and week + 6 * DAY >= episode.lost_since
            ):
                week += 7 * DAY
                continue
            wanted = 2 if episode.program.kind == Program.Kind.ACT or episode.at_risk_on(week) else 1
            count = max(0, round(rng.gauss(wanted * episode.engagement * 2.2 + 0.8, 1.0)))
            if rng.random() < 0.07:
                count = 0  # a missed week: holidays, illness, a visit nobody answered
            workdays = [week + DAY * d for d in range(5)]
            for d in sorted(rng.sample(workdays, k=min(count, 5))):
                if start <= d < end and (episode.lost_since is None or d < episode.lost_since):
                    days.append(d)
            week += 7 * DAY
        return days

    def staff_for(self, episode: Episode, day: datetime.date, kind: str) -> list[User]:
        rng = self.rng
        worker = episode.worker_on(day)
        staff = [worker]
        peer = self.users.get(PEERS.get(episode.org, ""))
        colleagues = [w for w in self.workers[episode.program.pk] if w != worker]
        if kind in {"home", "community", "accompaniment"}:
            if episode.paired_since is not None and day >= episode.paired_since and colleagues:
                staff.append(rng.choice(colleagues))
            elif peer is not None and rng.random() < 0.15:
                staff.append(peer)
            elif colleagues and rng.random() < 0.06:
                staff.append(rng.choice(colleagues))
            elif rng.random() < 0.02:
                staff.append(self.leads[episode.org])
        return staff

    def note_for(self, episode: Episode, kind: str, present: bool) -> str:
        if not present:
            return self.rng.choice(words.ABSENT_NOTES["phone" if kind == "phone" else "other"])
        pool = words.NOTES_EN if episode.english else words.NOTES_FR
        return self.rng.choice(pool[kind])

    def bulk_contacts(self) -> None:
        """Contacts older than two weeks, written in bulk.

        Logging ~25,000 contacts through `services_contacts.contact_log` (validation, staff and goals checks, an
        audit entry and the lost-contact hook each) takes several minutes on SQLite, which the demo cannot
        afford: these historic rows are written with bulk_create instead, without audit entries. The last two
        weeks, which screens show in detail, go through the service (see `recent_weeks`)."""
        rng = self.rng
        cutoff = self.today - 13 * DAY
        rows: list[Contact] = []
        staff_of: list[list[User]] = []
        goals_of: list[list[Goal]] = []
        for episode in self.episodes:
            if episode.enrollment is None:
                continue
            end = min(episode.end or cutoff, cutoff)
            for day in self.contact_days(episode, episode.start, end):
                for kind, minutes, present in self.contact_plan(episode, day):
                    occurred = self.at(day)
                    staff = self.staff_for(episode, day, kind)
                    private = rng.choice(words.PRIVATE_NOTES) if present and rng.random() < 0.04 else ""
                    rows.append(
                        Contact(
                            participant=episode.participant,
                            enrollment=episode.enrollment,
                            organisation_id=episode.program.organisation_id,
                            occurred_at=occurred,
                            duration_minutes=minutes,
                            kind=kind,
                            participant_present=present,
                            shared_note=self.note_for(episode, kind, present),
                            private_note=private,
                            recorded_by=staff[0],
                            recorded_at=min(
                                self.now, occurred + datetime.timedelta(minutes=rng.randint(15, 600))
                            ),
                        )
                    )
                    staff_of.append(staff)
                    goals = [g for g in episode.goals if g.starts_on <= day]
                    goals_of.append(
                        rng.sample(goals, k=min(len(goals), rng.choice([0, 0, 1, 1, 2]))) if present else []
                    )
        Contact.objects.bulk_create(rows, batch_size=2000)
        if rows and rows[0].pk is None:  # a database that does not return ids from bulk inserts
            created = list(Contact.objects.order_by("pk").values_list("pk", flat=True))[-len(rows) :]
            for row, pk in zip(rows, created, strict=True):
                row.pk = pk
        staff_links = [
            Contact.staff.through(contact_id=row.pk, user_id=user.pk)
            for row, staff in zip(rows, staff_of, strict=True)
            for user in staff
        ]
        Contact.staff.through.objects.bulk_create(staff_links, batch_size=5000)
        goal_links = [
            Contact.goals_discussed.through(contact_id=row.pk, goal_id=goal.pk)
            for row, goals in zip(rows, goals_of, strict=True)
            for goal in goals
        ]
        Contact.goals_discussed.through.objects.bulk_create(goal_links, batch_size=5000)
        self.counts["contacts (bulk)"] = len(rows)

    # -- the last two weeks, through the services

    def recent_weeks(self) -> None:
        """Contacts of the last two weeks through `contact_log`, home visits with their field visit started
        and ended from the phone."""
        rng = self.rng
        start = self.today - 12 * DAY
        for episode in self.episodes:
            if episode.enrollment is None or not self.still_active(episode):
                continue
            for day in self.contact_days(episode, start, self.today):
                for kind, minutes, present in self.contact_plan(episode, day):
                    staff = self.staff_for(episode, day, kind)
                    occurred = self.at(day, 8 * 60 + 30, 16 * 60)
                    visit = None
                    if kind == "home" and present and rng.random() < 0.7:
                        visit = self.past_visit(episode, staff, occurred, minutes)
                    goals = [g for g in episode.goals if g.starts_on <= day]
                    chosen = rng.sample(goals, k=min(len(goals), rng.choice([0, 1, 1, 2]))) if present else []
                    recorded = min(
                        self.now, occurred + datetime.timedelta(minutes=minutes + rng.randint(2, 90))
                    )
                    contact = self.call(
                        recorded,
                        services_contacts.contact_log,
                        actor=staff[0],
                        participant=episode.participant,
                        occurred_at=occurred,
                        duration_minutes=minutes,
                        kind=kind,
                        participant_present=present,
                        staff=staff[1:],
                        goals=chosen,
                        shared_note=self.note_for(episode, kind, present),
                        private_note=rng.choice(words.PRIVATE_NOTES)
                        if present and rng.random() < 0.04
                        else "",
                        visit=visit,
                    )
                    Contact.objects.filter(pk=contact.pk).update(recorded_at=recorded)
                    self.counts["contacts (service)"] += 1

    def past_visit(
        self, episode: Episode, staff: list[User], start: datetime.datetime, minutes: int
    ) -> FieldVisit:
        """A home visit of the last days: planned in the morning, started and ended from the phone. The service
        refuses to plan a visit whose end is past (one logs the contact instead), so the demo plans it ahead and
        dates it back to that morning."""
        worker = staff[0]
        planned = self.call(
            start,
            services_contacts.visit_plan,
            actor=worker,
            participant=episode.participant,
            location="Domicile",
            planned_start=self.now + datetime.timedelta(hours=1),
            planned_end=self.now + datetime.timedelta(hours=2),
            companions=staff[1:],
        )
        end = start + datetime.timedelta(minutes=minutes + self.rng.choice([0, 10, 20]))
        FieldVisit.objects.filter(pk=planned.pk).update(
            planned_start=start - datetime.timedelta(minutes=5),
            planned_end=start + datetime.timedelta(minutes=max(minutes, 45) + 15),
            created_at=start - datetime.timedelta(hours=self.rng.randint(1, 5)),
        )
        planned.refresh_from_db()
        visit = self.call(start, services_contacts.visit_start, actor=worker, visit=planned, at=start)
        ended = min(end, self.now)
        self.call(ended, services_contacts.visit_end, actor=worker, visit=visit, at=ended)
        visit.refresh_from_db()
        self.counts["field visits"] += 1
        return visit

    def today_in_the_field(self) -> None:
        """Today: a few visits planned, one under way, one not ended past its end plus the grace period (which
        alerts the team lead and the on-call worker, as the background task does)."""
        rng = self.rng
        current = [
            e for e in self.episodes if e.end is None and e.enrollment is not None and e.lost_since is None
        ]
        for org in LEADS:
            mine = [e for e in current if e.org == org and self.still_active(e)]
            if len(mine) < 6:
                continue
            rng.shuffle(mine)
            showcase = [e for e in mine if e.worker_on(self.today).username == SHOWCASE]
            # Planned later today, or the next morning when the working day is over.
            local = clock.localtime(self.now)
            if 7 <= local.hour < 14:
                first = self.now + datetime.timedelta(hours=1)
            else:
                following = local.date() + DAY if local.hour >= 14 else local.date()
                first = datetime.datetime.combine(following, datetime.time(9, 30), tzinfo=self.tz)
            for n, episode in enumerate(mine[:3]):
                start = first + datetime.timedelta(hours=n * 1.5, minutes=rng.choice([0, 15, 30]))
                worker = episode.worker_on(self.today)
                companions = self.paired_companions(episode, worker)
                self.call(
                    self.now,
                    services_contacts.visit_plan,
                    actor=worker,
                    participant=episode.participant,
                    location=rng.choice(words.VISIT_PLACES),
                    planned_start=start,
                    planned_end=start + datetime.timedelta(minutes=rng.choice([45, 60, 90])),
                    companions=companions,
                )
                self.counts["field visits"] += 1
            # A visit planned then cancelled.
            episode = mine[3]
            worker = episode.worker_on(self.today)
            visit = self.call(
                self.now,
                services_contacts.visit_plan,
                actor=worker,
                participant=episode.participant,
                location="Domicile",
                planned_start=first + datetime.timedelta(hours=5),
                planned_end=first + datetime.timedelta(hours=6),
                companions=self.paired_companions(episode, worker),
            )
            self.call(
                self.now,
                services_contacts.visit_cancel,
                actor=worker,
                visit=visit,
                reason="Le participant a appelé: rendez-vous médical, on reporte à demain.",
            )
            if org != "MHS":
                continue
            # Under way: the showcase case manager at a participant's home since 40 minutes.
            episode = showcase[0] if showcase else mine[4]
            worker = episode.worker_on(self.today)
            start = self.now - datetime.timedelta(minutes=40)
            visit = self.call(
                start,
                services_contacts.visit_plan,
                actor=worker,
                participant=episode.participant,
                location="Domicile",
                planned_start=start,
                planned_end=self.now + datetime.timedelta(minutes=50),
                companions=self.paired_companions(episode, worker),
            )
            self.call(start, services_contacts.visit_start, actor=worker, visit=visit, at=start)
            # Not ended: planned to end 80 minutes ago, started and never ended.
            episode = next(
                e for e in mine[5:] if e.worker_on(self.today).username not in {SHOWCASE, ON_CALL_NOW[org]}
            )
            worker = episode.worker_on(self.today)
            start = self.now - datetime.timedelta(minutes=170)
            visit = self.call(
                start,
                services_contacts.visit_plan,
                actor=worker,
                participant=episode.participant,
                location="Parc Morgan",
                planned_start=self.now + datetime.timedelta(minutes=10),
                planned_end=self.now + datetime.timedelta(minutes=70),
                companions=self.paired_companions(episode, worker),
            )
            FieldVisit.objects.filter(pk=visit.pk).update(
                planned_start=start, planned_end=self.now - datetime.timedelta(minutes=80), created_at=start
            )
            visit.refresh_from_db()
            self.call(start, services_contacts.visit_start, actor=worker, visit=visit, at=start)
            services_contacts.visits_alert_overdue(self.now)
            self.b.stamp(self.now)
            self.counts["field visits"] += 2

    def paired_companions(self, episode: Episode, worker: User) -> list[User]:
        if episode.paired_since is None:
            return []
        colleagues = [w for w in self.workers[episode.program.pk] if w != worker]
        return colleagues[:1]

    # -- on-call (B10)

    def on_call(self) -> None:
        """Weekly shifts, Monday 8:30 to Monday 8:30, eight weeks back and four ahead; the after-hours log."""
        rng = self.rng
        monday = self.today - datetime.timedelta(days=self.today.weekday())
        this_week = datetime.datetime.combine(monday, datetime.time(8, 30), tzinfo=self.tz)
        if this_week > self.now:
            this_week -= datetime.timedelta(days=7)
        for org, on_call_now in ON_CALL_NOW.items():
            rota = [*list(self.b.case_managers[org]), self.leads[org]]
            first = rota.index(self.users[on_call_now])
            lead = self.leads[org]
            for week in range(-8, 5):
                starts = this_week + datetime.timedelta(days=7 * week)
                worker = rota[(first + week) % len(rota)]
                shift = self.call(
                    min(self.now, starts - datetime.timedelta(days=10)),
                    services_referrals.on_call_shift_set,
                    actor=lead,
                    organisation=self.orgs[org],
                    worker=worker,
                    starts_at=starts,
                    ends_at=starts + datetime.timedelta(days=7),
                )
                if week >= 0:
                    continue
                # The calls of that week, in the evening, at night or on the weekend.
                people = [
                    e.participant
                    for e in self.episodes
                    if e.org == org and e.active_on((starts + datetime.timedelta(days=3)).date())
                ]
                for _n in range(rng.randint(1, 4)):
                    offset = rng.choice([0, 1, 2, 3, 4, 5, 6])
                    hour = rng.choice([17, 18, 19, 20, 21, 22, 23, 0, 1, 2, 6, 7])
                    called = datetime.datetime.combine(
                        shift.starts_at.astimezone(self.tz).date() + DAY * offset,
                        datetime.time(hour, rng.randint(0, 59)),
                        tzinfo=self.tz,
                    )
                    # Drawn before the checks, so the sequence does not depend on the hour the demo is built.
                    caller, summary, action, follow = rng.choice(words.ON_CALL_CALLS)
                    about = rng.choice(people) if people and rng.random() < 0.85 else None
                    written = called + datetime.timedelta(minutes=rng.randint(10, 50))
                    if called >= self.now or called < shift.starts_at:
                        continue
                    entry = self.call(
                        called,
                        services_referrals.on_call_log,
                        actor=worker,
                        organisation=self.orgs[org],
                        called_at=called,
                        caller=caller,
                        summary=summary,
                        action_taken=action,
                        participant=about,
                        follow_up=follow and week == -1,
                    )
                    OnCallEntry.objects.filter(pk=entry.pk).update(recorded_at=min(written, self.now))
                    self.counts["on-call log"] += 1
            # Last night's calls, for the morning.
            worker = self.users[on_call_now]
            people = [e.participant for e in self.episodes if e.org == org and e.end is None]
            for hours in (3, 9):
                called = self.now - datetime.timedelta(hours=hours, minutes=rng.randint(0, 50))
                caller, summary, action, _follow = rng.choice(words.ON_CALL_CALLS)
                about = rng.choice(people) if people else None
                if called < this_week:
                    continue
                self.call(
                    called,
                    services_referrals.on_call_log,
                    actor=worker,
                    organisation=self.orgs[org],
                    called_at=called,
                    caller=caller,
                    summary=summary,
                    action_taken=action,
                    participant=about,
                    follow_up=True,
                )
                self.counts["on-call log"] += 1

    def overnight(self) -> None:
        """What happened since the team went home yesterday: incidents the morning meeting opens with."""
        from ancrage.casework.flags import overnight_since

        since = overnight_since(self.today)
        current = [
            e for e in self.episodes if e.end is None and e.lost_since is None and self.still_active(e)
        ]
        plans = [
            ("MHS", "police_called"),
            ("MHS", "hospital"),
            ("RDP", "overdose"),
            ("CAA", "eviction_notice"),
        ]
        for org, kind in plans:
            mine = [e for e in current if e.org == org]
            if not mine:
                continue
            # The police were called about someone with a risk plan (the team is told by email too).
            with_risk = [
                e
                for e in mine
                if RiskAssessment.objects.filter(participant=e.participant, ended_on__isnull=True).exists()
            ]
            showcase = [e for e in with_risk if e.worker_on(self.today).username == SHOWCASE]
            episode = (showcase or with_risk or mine)[0] if kind == "police_called" else self.rng.choice(mine)
            span = max(60, int((self.now - since).total_seconds() // 60) - 30)
            moment = since + datetime.timedelta(minutes=self.rng.randint(30, span))
            self.incident(episode, moment.date(), kind, moment)

    def meeting_orders(self) -> None:
        """Two team leads chose how their morning meeting is ordered; the other teams keep the default."""
        orders = {
            "MHS": (MeetingOrder.FLAGS, ["new_incident", "visit_under_way", "lost_contact", "risk_plan"]),
            "MVE": (MeetingOrder.LAST_CONTACT, []),
        }
        for org, (order, flags) in orders.items():
            program = self.programs[(org, Program.Kind.ICM)]
            team = self.teams[program.pk]
            self.call(
                self.now - datetime.timedelta(days=self.rng.randint(20, 90)),
                services_meeting.meeting_settings_set,
                actor=self.leads[org],
                team=team,
                order=order,
                flag_order=flags,
            )

    def settle_alerts(self) -> None:
        """Alerts of long ago were acted on: resolved a day or two later. Recent ones stay open."""
        old = self.now - datetime.timedelta(days=3)
        for alert in Alert.objects.filter(kind__startswith="casework.", resolved_at__isnull=True).order_by(
            "pk"
        ):
            if alert.kind == "casework.assignment.new":
                # Assignments: the alert is dated with the assignment.
                enrollment = Enrollment.objects.filter(pk=alert.object_id).first()
                if enrollment is not None:
                    assignment = enrollment.assignments.order_by("-starts_on", "-pk").first()
                    if assignment is not None:
                        alert.created_at = assignment.assigned_at
            if alert.created_at < old and alert.kind != "casework.lost_contact":
                alert.resolved_at = alert.created_at + datetime.timedelta(hours=self.rng.randint(2, 40))
            alert.save(update_fields=["created_at", "resolved_at"])

    # -- summary

    def summary(self) -> dict[str, Any]:
        return {
            "enrollments": dict(
                Enrollment.objects.values_list("status").annotate(n=Count("pk")).values_list("status", "n")
            ),
            "contacts": Contact.objects.count(),
            "casework": dict(sorted(self.counts.items())),
            "exits": dict(Exit.objects.values_list("kind").annotate(n=Count("pk")).values_list("kind", "n")),
            "service referrals": dict(
                ServiceReferral.objects.values_list("status")
                .annotate(n=Count("pk"))
                .values_list("status", "n")
            ),
            "plans": RecoveryPlan.objects.count(),
            "plan reviews": PlanReview.objects.count(),
            "on-call shifts": OnCallShift.objects.count(),
            "housing-stability services": ServiceProvider.objects.filter(
                kind=ServiceKind.HOUSING_STABILITY
            ).count(),
        }


def build_casework(builder: DemoBuilder, journeys: list[Journey]) -> dict[str, Any]:
    return CaseworkDemo(builder, journeys).build()
