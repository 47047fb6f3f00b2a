"""The demo consortium: its structure and accounts, then its people, access, matching and casework."""

from __future__ import annotations

import datetime
import functools
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Count
from django.test.utils import override_settings
from faker import Faker

from ancrage.access.models import (
    ByNameEntry,
    ByNameStatusChange,
    LivingSituationPeriod,
    Match,
    Opening,
    PriorityPolicy,
    Referral,
)
from ancrage.accounts.models import Membership, User
from ancrage.accounts.views import DEMO_PASSWORD
from ancrage.assessments.models import Administration
from ancrage.core import audit, clock
from ancrage.core.models import AuditEntry
from ancrage.core.permissions import Role
from ancrage.demo.access import AccessMixin
from ancrage.demo.accounts import ACCOUNTS, CONSORTIUM, MISSIONS, ORGANISATIONS
from ancrage.demo.casework import build_casework
from ancrage.demo.conferences import build_conferences
from ancrage.demo.fidelity import build_fidelity
from ancrage.demo.funder import build_funder_reports
from ancrage.demo.hmis_import import build_hmis_import
from ancrage.demo.housing_book import build_housing_book
from ancrage.demo.housing_rent import build_rent
from ancrage.demo.housing_support import build_housing_support
from ancrage.demo.housing_tenancies import build_housing_tenancies
from ancrage.demo.matching import MatchingMixin
from ancrage.demo.names import ACT_TEAM, ADDRESSES, DUPLICATE_PAIRS, ENGLISH_SPEAKING_STAFF, PROGRAMS
from ancrage.demo.partners import build_partners
from ancrage.demo.people import PeopleMixin
from ancrage.demo.plan import PersonPlan, Window
from ancrage.housing.models import Unit
from ancrage.organisations.models import Consortium, Organisation, Program, Team
from ancrage.people.models import (
    Alias,
    Consent,
    Document,
    Identifier,
    Participant,
)


@functools.cache
def fakers() -> dict[str, Faker]:
    """Faker's French and English Canadian generators, made once (slow to make): every draw reseeds them from
    the entity's own stream (`DemoBuilder.drawing`)."""
    return {"fr": Faker("fr_CA"), "en": Faker("en_CA")}


class DemoBuilder(PeopleMixin, AccessMixin, MatchingMixin):
    """The demo consortium, built through the services."""

    def __init__(self, seed: int = 2026, as_of: datetime.datetime | None = None):
        super().__init__(seed, as_of or clock.now(), fakers())

    # -- organisations, programs, teams, accounts

    def build_structure(self) -> None:
        # Rows made directly (no service creates a consortium or an account): made at the moment the consortium
        # began, through the clock their fields default to.
        with clock.at(self.now - datetime.timedelta(days=800)):
            self._structure()

    def _structure(self) -> None:
        consortium = Consortium.objects.create(**CONSORTIUM)
        for short, name, kind in ORGANISATIONS:
            self.orgs[short] = Organisation.objects.create(
                consortium=consortium,
                short_name=short,
                name=name,
                kind=kind,
                phone=f"514 555-01{len(self.orgs) + 10:02d}",
                address=ADDRESSES.get(short, ""),
            )
        teams: dict[tuple[str, str], Team] = {}
        for org, name, name_en, kind, team_name, team_en in PROGRAMS:
            program = Program.objects.create(
                organisation=self.orgs[org], name=name, name_en=name_en, kind=kind
            )
            teams[(org, kind)] = Team.objects.create(
                organisation=self.orgs[org],
                program=program,
                name=team_name,
                name_en=team_en,
            )
        # One slow hash for everyone: the demo password is the same for every account.
        password = make_password(DEMO_PASSWORD)
        for username, first, last, role, org in ACCOUNTS:
            user = User.objects.create(
                username=username,
                first_name=first,
                last_name=last,
                email=f"{username}@demo.ancrage.example",
                password=password,
                language="en" if username in ENGLISH_SPEAKING_STAFF else "fr-ca",
                is_staff=role == Role.ADMINISTRATOR,
                date_joined=clock.now(),
            )
            Membership.objects.create(
                user=user,
                organisation=self.orgs[org],
                role=role,
                team=self._team_for(username, role, org, teams),
            )
            self.users[username] = user
            self.staff_by_org.setdefault(org, []).append(user)
            if role == Role.CASE_MANAGER:
                self.case_managers.setdefault(org, []).append(user)

    @staticmethod
    def _team_for(username: str, role: str, org: str, teams: dict) -> Team | None:
        if org in MISSIONS and role in {
            Role.CASE_MANAGER,
            Role.TEAM_LEAD,
            Role.PEER_SUPPORT,
            Role.PROGRAM_ASSISTANT,
        }:
            kind = Program.Kind.ACT if username in ACT_TEAM else Program.Kind.ICM
            return teams[(org, kind)]
        if role == Role.HOUSING_SPECIALIST:
            return teams[("SLC", Program.Kind.HOUSING_TEAM)]
        if role == Role.RENT_CLERK:
            return teams[("SLC", Program.Kind.RENT_PAYMENT)]
        if role == Role.COORDINATED_ACCESS:
            return teams[("ACM", Program.Kind.COORDINATED_ACCESS)]
        return None

    # -- the whole

    def build(self) -> dict[str, Any]:
        if Consortium.objects.filter(name=CONSORTIUM["name"]).exists():
            raise ValueError("The demo consortium already exists in this database.")
        self.build_structure()
        people = self.plan_people()

        # Files are opened in the order they were in real life, so ids follow time.
        people.sort(key=lambda p: -p.created_ago)
        caseload: dict[str, int] = {}
        created: list[tuple[Participant, PersonPlan, User, list[Window]]] = []
        for plan in people:
            managers = self.case_managers[plan.org]
            actor = managers[caseload.get(plan.org, 0) % len(managers)]
            caseload[plan.org] = caseload.get(plan.org, 0) + 1
            participant, windows = self.create_file(plan, actor)
            created.append((participant, plan, actor, windows))

        for participant, plan, actor, windows in created:
            self.record_reads(participant, plan, actor, windows)
        self.build_access(created)
        build_hmis_import(self.users, self.orgs)
        return self.summary()

    def plan_people(self) -> list[PersonPlan]:
        """Everyone's file, consents and journey on the list, as data (no database): each person drawn from a
        random stream of their own, so one more day of history does not change who the others are."""
        people: list[PersonPlan] = []
        for index in range(250 - len(DUPLICATE_PAIRS)):
            with self.drawing("person", index):
                org = MISSIONS[index % len(MISSIONS)] if index < 240 else self.rng.choice(MISSIONS)
                people.append(self.person(org, self.rng.randint(1, 730)))
                people[-1].key = index
        for index, (first, second, dob, gender, origin) in enumerate(DUPLICATE_PAIRS):
            for which, (given, family, preferred) in enumerate((first, second)):
                key = 1000 + 2 * index + which
                with self.drawing("person", key):
                    plan = self.person(MISSIONS[(index + which) % len(MISSIONS)], 0)
                    plan.key = key
                    plan.first, plan.last, plan.preferred = given, family, preferred
                    plan.dob, plan.dob_quality, plan.gender = dob, "exact", gender
                    plan.origin, plan.indigenous = origin, self._indigenous(origin)
                    plan.language, plan.languages_spoken = self._languages(origin)
                    if which:
                        plan.identifiers, plan.aliases = [], []
                    # The second file was opened recently, elsewhere, by someone who did not find the first.
                    plan.created_ago = self.rng.randint(200, 600) if which == 0 else self.rng.randint(15, 120)
                    plan.is_duplicate_second = bool(which)
                    plan.scenario = "duplicate"
                    people.append(plan)
        with self.drawing("consents", 0):
            self.plan_consents(people)
        for plan in people:
            if plan.scenario == "duplicate" and "ACM" not in plan.consents[-1].orgs:
                plan.consents[-1].orgs.append("ACM")
            # Most people go on the by-name list; a second file of a duplicate never does.
            listed = self.stream("listed", plan.key).random() >= 0.12 and not plan.is_duplicate_second
            plan.journey = self.plan_journey(plan) if listed else None
        return people

    # -- coordinated access: living situations, the by-name list, referrals, assessments

    def build_access(self, created: list[tuple[Participant, PersonPlan, User, list[Window]]]) -> None:
        self.load_instruments()
        journeys, unlisted = [], []
        for participant, plan, actor, _windows in created:
            if plan.journey is None:
                unlisted.append(participant)
                continue
            journeys.append(self.journey(participant, plan, actor))
        self.record_referrals(journeys, unlisted)
        self.record_administrations(journeys)
        self.build_matching(journeys)
        # Intensive case management follows the matches and transfers: enrollments, contacts, plans, exits…
        self.casework = build_casework(self, journeys)
        self.casework.update(build_housing_book(self))  # the landlords' book (C1, C2)
        self.casework.update(build_housing_tenancies(self, journeys))
        # The rent payment service's two years, on the tenancies that exist (C5).
        self.rent = build_rent(self)
        self.casework.update(build_conferences(self))
        # External partners, their agreements and monthly contacts, police units linked to risk plans (E1–E3).
        self.casework |= build_partners(self)
        # The hub's own intake of a person referred by a partner agency, and the partner's other referrals.
        self.record_hub_story()
        # The furniture bank, housing budgets and expenses (C6, C7), after the tenancies.
        build_housing_support(self)
        # The last 24 months' funder reports, as the monthly job kept them (G6), once everything is written.
        self.casework.update(build_funder_reports(self))
        # Fidelity self-assessments of the last two quarters (G5), once the data they snapshot exists.
        build_fidelity(self)

    def summary(self) -> dict[str, Any]:
        consortium = Consortium.objects.get(name=CONSORTIUM["name"])
        participants = Participant.objects.filter(organisation__consortium=consortium)
        statuses: dict[str, int] = {}
        for consent in Consent.objects.filter(participant__in=participants):
            statuses[consent.status()] = statuses.get(consent.status(), 0) + 1
        entries = AuditEntry.objects.filter(participant__in=participants)
        return {
            "organisations": Organisation.objects.filter(consortium=consortium).count(),
            "programs": Program.objects.filter(organisation__consortium=consortium).count(),
            "teams": Team.objects.filter(organisation__consortium=consortium).count(),
            "accounts": len(self.users),
            "participants": participants.count(),
            "probable duplicates": len(DUPLICATE_PAIRS),
            "aliases": Alias.objects.filter(participant__in=participants).count(),
            "identifiers": Identifier.objects.filter(participant__in=participants).count(),
            "consents": statuses,
            "documents": Document.objects.filter(participant__in=participants).count(),
            "audit entries (changes)": entries.filter(is_read=False).count(),
            "audit entries (reads)": entries.filter(is_read=True).count(),
            "living situations": LivingSituationPeriod.objects.filter(participant__in=participants).count(),
            "by-name list": dict(
                ByNameEntry.objects.filter(participant__in=participants)
                .values_list("status")
                .annotate(n=Count("pk"))
                .values_list("status", "n")
            ),
            "chronically homeless": ByNameEntry.objects.filter(
                participant__in=participants, is_chronic=True
            ).count(),
            "status changes": ByNameStatusChange.objects.filter(entry__participant__in=participants).count(),
            "referrals": dict(
                Referral.objects.filter(organisation__consortium=consortium)
                .values_list("status")
                .annotate(n=Count("pk"))
                .values_list("status", "n")
            ),
            "priority policies": dict(
                PriorityPolicy.objects.values_list("status")
                .annotate(n=Count("pk"))
                .values_list("status", "n")
            ),
            "ranked": ByNameEntry.objects.filter(priority_rank__isnull=False).count(),
            "housing units": Unit.objects.filter(organisation__consortium=consortium).count(),
            "openings": dict(
                Opening.objects.values_list("status").annotate(n=Count("pk")).values_list("status", "n")
            ),
            "matches": dict(
                Match.objects.values_list("status").annotate(n=Count("pk")).values_list("status", "n")
            ),
            "case conferencing": ByNameEntry.objects.filter(needs_conference=True).count(),
            "assessments": {
                f"{key} {status}": n
                for key, status, n in Administration.objects.filter(participant__in=participants)
                .values_list("version__instrument__key", "status")
                .annotate(n=Count("pk"))
                .order_by("version__instrument__key", "status")
            },
            **self.casework,
        }


def build_demo(seed: int = 2026, as_of: datetime.datetime | None = None) -> dict[str, Any]:
    """The whole demo consortium, in one transaction. It sends no email (police called, visits not ended, some
    sent when the transaction commits): the alerts in the app are enough."""
    with (
        override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"),
        transaction.atomic(),
    ):
        # Whatever a service does outside an explicit moment happens at the end of the story, not at the
        # machine's hour.
        as_of = as_of or clock.now()
        # Its thousands of audit entries are written together (each as `audit.record` makes it, with the same
        # ids), before anything reads the trail.
        with clock.at(as_of), audit.entries_kept():
            return DemoBuilder(seed, as_of).build()
