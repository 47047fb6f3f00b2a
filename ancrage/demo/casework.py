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
from typing import TYPE_CHECKING, Any

from django.db.models import Count

from ancrage.casework.exits import services as exits_services
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
from ancrage.casework.referrals import services as referrals_services
from ancrage.demo import content as words
from ancrage.demo.casework_care import CareMixin
from ancrage.demo.casework_episodes import EpisodesMixin
from ancrage.demo.casework_field import FieldMixin
from ancrage.demo.casework_risk import RiskMixin
from ancrage.demo.names import LEADS
from ancrage.demo.plan import Journey
from ancrage.organisations.models import Program, Team

if TYPE_CHECKING:
    from ancrage.demo.builder import DemoBuilder


class CaseworkDemo(EpisodesMixin, CareMixin, RiskMixin, FieldMixin):
    """Two years of intensive case management, built through the services."""

    # -- the whole of it

    def build(self) -> dict[str, Any]:
        self.structure()
        self.directory()
        self.schedules()
        self.plan_episodes()
        self.plan_events()
        self.recent_weeks()
        # One timeline: each event runs at its moment, after everything of the days before it. A day's
        # recent contacts are logged together, before the next event of another kind.
        while self.events:
            _day, _n, (action, args) = heapq.heappop(self.events)
            if action != self.recent_contacts:
                self.log_contacts()
            action(*args)
        self.log_contacts()
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
                referrals_services.provider_create,
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
                description_en=words.PROVIDER_DESCRIPTIONS_EN.get(name, ""),
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
                exits_services.schedule_set,
                actor=lead,
                program=program,
                instrument=baseline,
                position=0,
                within_days_of_enrollment=10,
                at_exit=True,
            )
            self.call(
                moment,
                exits_services.schedule_set,
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
