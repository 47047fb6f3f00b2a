"""The demo's matching: eligibility, profiles, priority policies, housing units, openings and matches."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from dateutil.relativedelta import relativedelta

from ancrage.access import selectors as access_selectors
from ancrage.access import services as access_services
from ancrage.access.models import (
    Match,
    MatchStatus,
    PriorityPolicy,
)
from ancrage.access.services import policies as access_policies
from ancrage.accounts.models import User
from ancrage.assessments.models import Administration
from ancrage.core import clock
from ancrage.core.permissions import Category
from ancrage.demo.accounts import MISSIONS
from ancrage.demo.areas import demo_areas, preferred_areas
from ancrage.demo.names import (
    CONTACT_NOTES,
    HOLD_REASONS,
    IN_PROGRESS_TARGETS,
    MATCH_REASONS,
    NEIGHBOURHOODS,
    POLICIES,
    PROFILE_FLAGS,
    PURPOSE_TRANSFER,
    UNIT_FEATURES,
    UNIT_STREETS,
)
from ancrage.demo.plan import Journey
from ancrage.demo.state import DemoState
from ancrage.housing import services as housing_services
from ancrage.housing.models import Unit
from ancrage.organisations.models import Program
from ancrage.people import services
from ancrage.people.models import (
    Consent,
)


class MatchingMixin(DemoState):
    # -- coordinated access: eligibility, profiles, priority policies, housing units, openings and matches

    def build_matching(self, journeys: list[Journey]) -> None:
        # Ranks are recomputed before each matching round and once at the end, rather than after each profile,
        # triage or status change saved.
        with access_policies.ranks_recompute_deferred():
            self.set_eligibility()
            self.record_acuity(journeys)
            self.record_profiles(journeys)
            self.record_policies()
            units = self.record_units()
            self.planned = {j.participant.pk: j.events for j in journeys}
            self.record_matches(units)
            # One timeline: the list's status changes and living situations, the rounds and each match's steps.
            self.run_timeline()
            self.hold_units()
            self.last_contacts()
            access_services.ranks_recompute()
            access_services.by_name_flag_stuck()

    def set_eligibility(self) -> None:
        adults = {"criterion": "age", "rule": "must", "min": 18}
        rules = {
            ("MHS", Program.Kind.ICM): [adults],
            ("RDP", Program.Kind.ICM): [adults, {"criterion": "flag", "rule": "must_not", "values": ["pregnancy"]}],
            ("MVE", Program.Kind.ICM): [
                adults,
                {"criterion": "household_type", "rule": "must", "values": ["single", "couple"]},
            ],
            # The Ahuntsic team follows women only (a program for women leaving violence and the street).
            ("CAA", Program.Kind.ICM): [adults, {"criterion": "gender", "rule": "must", "values": ["woman"]}],
            ("RDP", Program.Kind.ACT): [
                adults,
                {"criterion": "acuity_band", "rule": "must", "values": ["act", "housing_first_icm"]},
            ],
        }  # fmt: skip
        # A program's requirements are configuration with no service (set in the admin) and not a timestamp:
        # written directly.
        for (org, kind), requirements in rules.items():
            Program.objects.filter(organisation=self.orgs[org], kind=kind).update(eligibility=requirements)

    def record_acuity(self, journeys: list[Journey]) -> None:
        people = [j.participant.pk for j in journeys]
        latest: dict[int, Administration] = {}
        for administration in Administration.objects.filter(
            participant_id__in=people,
            version__instrument__key="acuity_screener",
            completed_at__isnull=False,
        ).order_by("completed_at", "pk"):
            latest[administration.participant_id] = administration
        for participant_id in sorted(latest):
            access_services.by_name_acuity_record(administration=latest[participant_id])

    def record_profiles(self, journeys: list[Journey]) -> None:
        rng = self.rng
        places = demo_areas()
        for journey in journeys:
            entry = journey.entry
            household = self.weighted([("single", 84), ("couple", 10), ("family", 6)])
            income = [
                self.weighted(
                    [
                        ("social_assistance", 55),
                        ("social_solidarity", 25),
                        ("pension", 6),
                        ("employment", 5),
                        ("employment_insurance", 3),
                        ("none", 6),
                    ]
                )
            ]
            if income[0] == "employment" and rng.random() < 0.5:
                income.append("social_assistance")
            needs: list[str] = []
            if rng.random() < 0.12:
                needs = rng.sample(
                    ["step_free", "elevator", "ground_floor", "wheelchair", "grab_bars"], k=rng.randint(1, 2)
                )
            if rng.random() < 0.08:
                needs.append("pets_allowed")
            flags = [flag for flag, share in PROFILE_FLAGS if rng.random() < share]
            if journey.participant.gender != "woman":
                flags = [f for f in flags if f != "pregnancy"]
            areas = preferred_areas(
                rng.sample(NEIGHBOURHOODS, k=rng.randint(1, 3)) if rng.random() < 0.7 else [], places
            )
            kinds = ["scattered_site"] if rng.random() < 0.45 else []
            if kinds and rng.random() < 0.4:
                kinds.append("social_housing")
            self.run(
                self.at(
                    self.day_between(
                        entry.entered_on, min(self.today, entry.entered_on + datetime.timedelta(days=30))
                    )
                ),
                access_services.by_name_profile_update,
                actor=journey.worker,
                entry=entry,
                household_type=household,
                income_sources=income,
                accessibility_needs=needs,
                flags=flags,
                preferred_areas=areas,
                preferred_unit_kinds=kinds,
            )

    def record_policies(self) -> None:
        acces, coordination = self.users["acces"], self.users["coordination"]
        written: list[tuple[PriorityPolicy, datetime.date]] = []
        for text, written_ago, activated_ago, reason in POLICIES:
            written_on = self.today - datetime.timedelta(days=written_ago)
            policy = self.run(
                self.at(written_on), access_services.policy_draft_create, actor=acces, text=text
            )
            if activated_ago is not None:
                activated_on = self.today - datetime.timedelta(days=activated_ago)
                # Activating retires the previous version at the same moment (the service does both).
                self.run(
                    self.at(activated_on),
                    access_services.policy_activate,
                    actor=coordination,
                    policy=policy,
                    reason=reason,
                )
            written.append((policy, written_on))

    def record_units(self) -> list[Unit]:
        """The housing units the consortium's housing service holds; each is opened for matching later."""
        rng = self.rng
        specialists = [self.users["logement1"], self.users["logement2"]]
        places = demo_areas()
        units = []
        for n in range(40):
            area = NEIGHBOURHOODS[n % len(NEIGHBOURHOODS)]
            kind = self.weighted(
                [("scattered_site", 60), ("social_housing", 20), ("rooming_house", 12), ("congregate", 8)]
            )
            bedrooms = 0 if kind == "rooming_house" else (2 if rng.random() < 0.12 else 1)
            features = sorted(
                {f for f, share in UNIT_FEATURES if rng.random() < share}
                | ({"elevator", "step_free"} if kind == "social_housing" and rng.random() < 0.6 else set())
            )
            requirements: list[dict[str, Any]] = []
            if kind == "rooming_house":
                requirements.append({"criterion": "household_type", "rule": "must", "values": ["single"]})
            if bedrooms == 0 and rng.random() < 0.3:
                requirements.append({"criterion": "age", "rule": "must", "min": 25})
            added_on = self.today - datetime.timedelta(days=rng.randint(60, 740))
            moment = self.at(added_on)
            number = rng.randint(1000, 9999)
            street = rng.choice(UNIT_STREETS[area])
            unit = self.run(
                moment,
                housing_services.unit_create,
                actor=rng.choice(specialists),
                organisation=self.orgs["SLC"],
                address=f"{number}, {street}, app. {rng.randint(1, 12)}",
                area=places[area],
                kind=kind,
                bedrooms=max(bedrooms, 1),
                monthly_rent=Decimal(
                    min(1100, 650 + 25 * rng.randint(0, 16) + (100 if bedrooms == 2 else 0))
                ),
                features=features,
                requirements=requirements,
                available_from=added_on,
                open_for_matching=False,
            )
            units.append(unit)
        units.sort(key=lambda u: u.available_from)
        return units

    def hold_units(self) -> None:
        """A few units available today are on hold (repairs, an inspection), with the reason: out of matching."""
        specialist = self.users["logement1"]
        available = Unit.objects.filter(organisation=self.orgs["SLC"], status=Unit.Status.AVAILABLE).order_by(
            "pk"
        )
        for unit, reason in zip(available[: len(HOLD_REASONS)], HOLD_REASONS, strict=False):
            self.run(self.now, housing_services.unit_hold, actor=specialist, unit=unit, reason=reason)

    def record_matches(self, units: list[Unit]) -> None:
        """Twelve matching rounds over two years, each an event of the timeline: a round proposes among the people
        active on its day, and each proposal's steps are later events, so a status change in between (the person
        housed elsewhere, out of touch, in hospital) withdraws the match as the service does."""
        specialists = [self.users["logement1"], self.users["logement2"]]
        programs = list(
            Program.objects.filter(
                kind__in=Program.HOUSING_FIRST_KINDS, organisation__short_name__in=MISSIONS
            )
            .select_related("organisation")
            .order_by("pk")
        )
        leads = {
            org: next(u for u in self.staff_by_org[org] if u.username.startswith("chef.")) for org in MISSIONS
        }
        rounds = 12
        first_day = self.today - datetime.timedelta(days=700)
        pending_units = list(units)
        for r in range(rounds):
            last = r == rounds - 1
            day = first_day + datetime.timedelta(days=r * 700 // (rounds - 1))
            if last:
                day = self.today - datetime.timedelta(days=18)
            # Each round draws from a stream of its own: what happened before it does not change its draws.
            with self.drawing("matching round", r):
                moment = self.at(day)
            self.on_timeline(
                moment,
                self.matching_round,
                index=r,
                day=day,
                last=last,
                pending_units=pending_units,
                programs=programs,
                leads=leads,
                specialists=specialists,
            )

    def matching_round(
        self,
        moment: datetime.datetime,
        *,
        index: int,
        day: datetime.date,
        last: bool,
        pending_units: list[Unit],
        programs: list[Program],
        leads: dict[str, User],
        specialists: list[User],
    ) -> None:
        with self.drawing("matching round run", index) as rng, clock.at(moment):
            for _n in range(rng.randint(2, 3) if not last else 5):
                if not pending_units or (pending_units[0].available_from > day and not last):
                    break
                unit = pending_units.pop(0)
                program = rng.choice(programs) if rng.random() < 0.35 else None
                access_services.openings_create(
                    actor=rng.choice(specialists),
                    unit=unit,
                    program=program,
                    opened_on=day,
                    note="Logement offert par le service logement du consortium",
                )
            program = rng.choice(programs)
            access_services.openings_create(
                actor=leads[program.organisation.short_name],
                program=program,
                count=rng.randint(1, 2),
                opened_on=day,
                note="Places libérées dans l'équipe",
            )
            # The round ranks the people active that day under the policy in force that day.
            access_services.ranks_recompute(on=day)
            acces = self.users["acces"]
            for _attempt in range(2):
                # Each pass proposes a little later the same day, then each match goes its way over days.
                moment = self.later(moment, rng.randint(10, 60))
                created = self.run(moment, access_services.matching_run, actor=acces, on=day)
                for n, match in enumerate(created):
                    self.follow_match(
                        match, moment, IN_PROGRESS_TARGETS[n % 4] if last else "", leads, specialists
                    )
                if not created:
                    break

    def _next_change(self, match: Match, day: datetime.date) -> tuple[str, datetime.date] | None:
        """The person's next planned status after `day` (None: still as they are at the end of the story)."""
        return next(((s, on) for s, on in self.planned.get(match.participant_id, []) if on > day), None)

    def _outcome(self, match: Match, proposed: datetime.datetime) -> tuple[str, datetime.datetime | None]:
        """Where a match goes and the moment of its last step (None: a few days a step), from the person's planned
        journey: a unit houses someone whose journey moves them into housing within five months, on that day
        (the lease begins then); a program takes someone on before their next change; otherwise the person or
        the provider declines, or coordinated access withdraws the proposal."""
        rng = self.rng
        day = clock.localdate(proposed)
        following = self._next_change(match, day)
        housed_soon = (
            following is not None and following[0] == "housed" and 1 <= (following[1] - day).days <= 150
        )
        if match.opening.unit_id:
            if housed_soon and rng.random() < 0.9:
                assert following is not None
                return "transferred", self.at(following[1])
        elif housed_soon and rng.random() < 0.85:
            assert following is not None
            moved = self.day_between(day + datetime.timedelta(days=1), following[1])
            return "transferred", self.at(moved)
        elif (following is None or (following[1] - day).days > 40) and rng.random() < 0.75:
            return "transferred", None
        target = self.weighted([("person_declined", 45), ("provider_declined", 35), ("withdrawn", 20)])
        return target, None

    def follow_match(
        self, match: Match, proposed: datetime.datetime, target: str, leads, specialists
    ) -> None:
        """Take a new match through the steps to `target`, or to the outcome the person's journey allows, each
        step a later event of the timeline. The latest matches (a target is given) end their last step in the
        last days, or more than five days ago for the stalled ones."""
        rng = self.rng
        entry = match.entry
        worker = entry.reference_worker or self.users["acces"]
        opening = match.opening
        ends: datetime.datetime | None = None
        if not target:
            target, ends = self._outcome(match, proposed)
        program = opening.program
        provider = (
            rng.choice(specialists)
            if opening.unit_id or program is None
            else leads[program.organisation.short_name]
        )
        paths = {
            "proposed": [],
            "contacted": [("contacted", worker, "")],
            "person_accepted": [("contacted", worker, ""), ("person_accepted", worker, "")],
            "provider_accepted": [
                ("contacted", worker, ""),
                ("person_accepted", worker, ""),
                ("provider_accepted", provider, ""),
            ],
            "transferred": [
                ("contacted", worker, ""),
                ("person_accepted", worker, ""),
                ("provider_accepted", provider, ""),
                ("transferred", provider, ""),
            ],
            "person_declined": [("contacted", worker, "")] if rng.random() < 0.7 else [],
            "provider_declined": [("contacted", worker, ""), ("person_accepted", worker, "")],
            "withdrawn": [("contacted", worker, "")] if rng.random() < 0.5 else [],
        }
        steps = paths[target]
        if target in {"person_declined", "provider_declined", "withdrawn"}:
            steps = [
                *steps,
                (
                    target,
                    worker if target != "provider_declined" else provider,
                    rng.choice(MATCH_REASONS[target]),
                ),
            ]
        moments = []
        moment = proposed
        for _step in steps:
            moment = moment + datetime.timedelta(days=rng.randint(1, 6), hours=rng.randint(0, 5))
            moments.append(moment)
        if target in IN_PROGRESS_TARGETS and steps:
            stalled = rng.random() < 0.4
            ends = self.now - datetime.timedelta(
                days=rng.randint(6, 14) if stalled else rng.randint(0, 3), hours=rng.randint(1, 8)
            )
        if ends is not None and steps:
            # The last step at `ends`; the others a few days apart, or spread evenly if that comes first (a
            # match in progress stalls on its last step; a transfer waits for the day the lease begins).
            span = max(ends, proposed + datetime.timedelta(minutes=len(steps))) - proposed
            even = [proposed + span * (n + 1) / len(steps) for n in range(len(steps))]
            if target in IN_PROGRESS_TARGETS:
                moments = even
            else:
                moments = [min(walk, spread) for walk, spread in zip(moments, even, strict=True)]
                moments[-1] = even[-1]
        moments = [min(m, self.now) for m in moments]
        if target == "transferred" and opening.unit_id:
            # The journey's move into housing that day is this match's (the service changes the status).
            self.housed_by_match.add((match.participant_id, clock.localdate(moments[-1])))
        status: str = MatchStatus.PROPOSED
        for (to_status, by, reason), moment in zip(steps, moments, strict=True):
            self.on_timeline(
                moment,
                self.match_step,
                match=match,
                to_status=to_status,
                by=by,
                reason=reason,
                expected=status,
            )
            status = to_status

    def match_step(
        self, moment: datetime.datetime, *, match: Match, to_status: str, by: User, reason: str, expected: str
    ) -> None:
        """One step of a match, unless the list's history took it elsewhere first (a status change withdraws
        the person's match in progress): its later steps then do not happen."""
        match.refresh_from_db()
        if match.status != expected:
            return
        if to_status == "transferred":
            self.consent_for_transfer(match, moment)
        self.run(
            moment,
            access_services.match_step,
            actor=by,
            match=match,
            to_status=to_status,
            expected_status=expected,
            reason=reason,
            # What the worker noted when reaching the person (chosen by the match, not drawn).
            note=CONTACT_NOTES[match.pk % len(CONTACT_NOTES)] if to_status == MatchStatus.CONTACTED else "",
        )

    def consent_for_transfer(self, match: Match, moment: datetime.datetime) -> None:
        """The assisted transfer shares identity and coordinated access: the person consents to it first."""
        with clock.at(moment):
            if not access_selectors.transfer_consent_gaps(match):
                return
        opening = match.opening
        # The program's organisation and the unit's holder both receive the triage data.
        receiving = sorted(
            {holder.organisation for holder in (opening.program, opening.unit) if holder is not None},
            key=lambda o: o.pk,
        )
        participant = match.participant
        home = self.case_managers[participant.organisation.short_name]
        self.run(
            moment - datetime.timedelta(minutes=30),
            services.consent_record,
            actor=match.entry.reference_worker if match.entry.reference_worker in home else home[0],
            participant=participant,
            organisations=receiving,
            categories=[Category.IDENTITY, Category.COORDINATED_ACCESS, Category.HOUSING],
            purpose=PURPOSE_TRANSFER,
            starts_on=clock.localdate(moment),
            # Asked for the placement's first two years (the follow-up the receiving team plans), rather than the
            # default year: matches now transfer people all along the two years of history, and a consent
            # renewed by the team would be a story of its own.
            expires_on=clock.localdate(moment) + relativedelta(years=2),
            method=Consent.Method.WRITTEN,
        )
