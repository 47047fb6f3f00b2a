"""The demo consortium's two years of intensive case management (called by `ancrage.demo.builder.DemoBuilder`).

Who is enrolled comes from the coordinated-access history the builder made: people transferred to a program are
enrolled from their match (in another organisation's program, once the participant's consent lets that organisation
receive their identity and case notes), others housed are enrolled directly, and some people still on the list are
followed while they look for housing. Everything a screen shows in detail (enrollments, assignments,
plans, goals and steps, reviews, referrals, risk plans, incidents, on-call, lost contact, exits, assessments, recent
contacts and field visits) goes through the services, in the order it happened, each audit entry dated when it
happened. The bulk of the older contacts (about 25,000) is written with `bulk_create`: through `contact_log` it
would take minutes on SQLite (see the comment in `bulk_contacts`).

Dates are relative to the demo's moment (`as_of`), and every service runs at its event's moment (`clock.at`), in
the order of one timeline: enrollments, plans, reviews, risk plans, incidents, referrals, exits and the last two
weeks' contacts and visits, day by day. The same seed and moment give the same data.

"""

from __future__ import annotations

import datetime
import heapq
import itertools
import random
from collections import defaultdict
from typing import TYPE_CHECKING, Any

from django.db.models import Count

from ancrage.accounts.models import User
from ancrage.casework import (
    services_exits,
    services_referrals,
)
from ancrage.casework.models import (
    Contact,
    Enrollment,
    Exit,
    OnCallShift,
    PlanReview,
    RecoveryPlan,
    ServiceKind,
    ServiceProvider,
    ServiceReferral,
)
from ancrage.demo import content as words
from ancrage.demo.casework_care import CareMixin
from ancrage.demo.casework_episodes import EpisodesMixin
from ancrage.demo.casework_field import FieldMixin
from ancrage.demo.casework_risk import RiskMixin
from ancrage.demo.names import LEADS
from ancrage.demo.plan import Episode, Journey
from ancrage.organisations.models import Program, Team

if TYPE_CHECKING:
    from ancrage.demo.builder import DemoBuilder


class CaseworkDemo(EpisodesMixin, CareMixin, RiskMixin, FieldMixin):
    """Two years of intensive case management, built through the services."""

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
        """Run a service at `moment` (never after the end of the story): what it writes is dated then."""
        return self.b.run(min(moment, self.now), service, **kwargs)

    def schedule(self, day: datetime.date, action, *args) -> None:
        heapq.heappush(self.events, (day, next(self._seq), (action, args)))

    # -- the whole of it

    def build(self) -> dict[str, Any]:
        self.structure()
        self.directory()
        self.schedules()
        self.plan_episodes()
        self.plan_events()
        self.recent_weeks()
        # One timeline: each event runs at its moment, after everything of the days before it.
        while self.events:
            _day, _n, (action, args) = heapq.heappop(self.events)
            action(*args)
        self.bulk_contacts()
        self.on_call()
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
        from ancrage.demo.names import ACT_TEAM

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
