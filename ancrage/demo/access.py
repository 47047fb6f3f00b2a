"""The demo's coordinated access: living situations, the by-name list, referrals and intakes, assessments."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings

from ancrage.access import services as access_services
from ancrage.access.chronic import DAYS_PER_MONTH, HOMELESS_KINDS, PAST_THREE_YEARS_DAYS, homeless_days
from ancrage.access.models import (
    ByNameEntry,
    ByNameStatus,
    HistorySource,
    LengthOfStay,
    LivingSituation,
    LivingSituationPeriod,
    Referral,
    YesNoAnswer,
)
from ancrage.access.services import policies as access_policies
from ancrage.accounts.models import User
from ancrage.assessments import services as assessment_services
from ancrage.assessments.management.commands.load_instruments import SHIPPED as SHIPPED_INSTRUMENTS
from ancrage.assessments.models import InstrumentVersion
from ancrage.assessments.services import instrument_version_load
from ancrage.core import clock
from ancrage.core.permissions import Category, Role
from ancrage.demo.accounts import ACCOUNTS
from ancrage.demo.names import (
    DESCRIPTIONS,
    HOUSED_REASONS,
    INACTIVE_REASONS,
    INSTITUTION_REASONS,
    MOVED_REASONS,
    ORIGINS,
    REFERRAL_REASONS,
    RETURN_REASONS,
    SOURCE_NAMES,
    STREET_NAMES,
    WITHDRAW_REASONS,
)
from ancrage.demo.plan import Journey, JourneyPlan, PeriodPlan, PersonPlan, StatusPlan
from ancrage.demo.state import DemoState
from ancrage.people import services as people_services
from ancrage.people.models import (
    Consent,
    Participant,
)

# Where the demo's stays and sightings were, and who tells: shelters keep their nights, outreach workers
# see people outside; housing and institutions keep the kind only.
PERIOD_SITUATIONS: dict[str, tuple[str, str]] = {
    LivingSituationPeriod.Kind.HOMELESS_SHELTERED: (LivingSituation.SHELTER, HistorySource.SHELTER),
    LivingSituationPeriod.Kind.HOMELESS_UNSHELTERED: (LivingSituation.STREET, HistorySource.WORKER),
    LivingSituationPeriod.Kind.HOUSED: (LivingSituation.RENTAL_SUBSIDISED, HistorySource.WORKER),
}


def history_at_entry(periods: list[PeriodPlan], entered: datetime.date) -> dict[str, Any]:
    """The history a person gives at intake, from their planned nights: where they slept, since when this
    time, how many times and how many months homeless in the three years before (never more than dated,
    so the chronic status stays the one the dated nights give)."""
    homeless = sorted(
        (p for p in periods if p.kind in HOMELESS_KINDS and p.starts_on <= entered), key=lambda p: p.starts_on
    )
    runs: list[list[datetime.date]] = []
    for p in homeless:
        end = min(p.ends_on or entered, entered)
        if runs and p.starts_on <= runs[-1][1] + datetime.timedelta(days=1):
            runs[-1][1] = max(runs[-1][1], end)
        else:
            runs.append([p.starts_on, end])
    window = entered - datetime.timedelta(days=PAST_THREE_YEARS_DAYS - 1)
    recent = [r for r in runs if r[1] >= window]
    current = recent[-1] if recent and recent[-1][1] >= entered else None
    tonight = next((p for p in reversed(homeless) if (p.ends_on or entered) >= entered), None)
    days = homeless_days(homeless, first=window, last=entered)
    before_episode = [p for p in periods if current is not None and p.ends_on and p.ends_on < current[0]]
    came_from_institution = (
        bool(before_episode) and before_episode[-1].kind == LivingSituationPeriod.Kind.INSTITUTION
    )
    times = ["one", "two", "three"][len(recent) - 1] if 0 < len(recent) <= 3 else "four_or_more"
    return {
        "reported_on": entered,
        "source": HistorySource.SELF_REPORTED,
        "living_situation": PERIOD_SITUATIONS[tonight.kind][0] if tonight else LivingSituation.FRIENDS,
        "prior_living_situation": LivingSituation.HOSPITAL
        if came_from_institution
        else LivingSituation.RENTAL,
        "prior_length_of_stay": LengthOfStay.ONE_MONTH if came_from_institution else LengthOfStay.ONE_YEAR,
        "previous_street_or_shelter": YesNoAnswer.YES if tonight else YesNoAnswer.NO,
        "episode_started_on": current[0] if current else None,
        "times_homeless_past_three_years": times,
        "months_homeless_past_three_years": min(36, int(days / DAYS_PER_MONTH)),
    }


_CONSENT_PURPOSE_HUB = "Accès coordonné : évaluation d'accueil, triage, liste nominative et jumelage avec un logement ou un programme."


class AccessMixin(DemoState):
    def load_instruments(self) -> None:
        loaded = self.now - datetime.timedelta(days=790)
        for path in sorted(SHIPPED_INSTRUMENTS.glob("*.yaml")):
            self.run(loaded, instrument_version_load, actor=None, text=path.read_text(encoding="utf-8"))
        self.versions = {
            v.instrument.key: v for v in InstrumentVersion.objects.select_related("instrument").order_by("pk")
        }

    def _homeless_spell(
        self, rng, start: datetime.date, end: datetime.date | None, recorded: datetime.date
    ) -> list[PeriodPlan]:
        """Shelter and street nights from `start` to `end` (open when None), in stretches of a few months."""
        periods = []
        unsheltered = rng.random() < 0.4
        limit = end if end is not None else self.today
        day = start
        while True:
            stop = day + datetime.timedelta(days=rng.randint(25, 200))
            final = stop >= limit
            kind = (
                LivingSituationPeriod.Kind.HOMELESS_UNSHELTERED
                if unsheltered
                else LivingSituationPeriod.Kind.HOMELESS_SHELTERED
            )
            periods.append(PeriodPlan(kind, day, end if final else stop, max(recorded, day)))
            if final:
                return periods
            day = stop + datetime.timedelta(days=1)
            if rng.random() < 0.6:
                unsheltered = not unsheltered

    def plan_journey(self, plan: PersonPlan) -> JourneyPlan:
        """Homeless before the file was opened, then on the list: housed, lost touch, came back, and so on. Data
        only, from the person's own random stream: the list's statuses and the living situations under them."""
        rng = self.stream("journey", plan.key)
        today = self.today
        day = datetime.timedelta(days=1)
        entered = today - datetime.timedelta(days=plan.created_ago)
        periods: list[PeriodPlan] = []
        # How long the person had been homeless before the file: many for years (chronic), some for weeks.
        weights = [(40, 15), (120, 20), (300, 25), (700, 25), (1400, 15)]
        before = int(
            rng.choices([v for v, _w in weights], [w for _v, w in weights])[0] * rng.uniform(0.6, 1.3)
        )
        first_night = entered - datetime.timedelta(days=before)
        if rng.random() < 0.3 and before > 200:
            # An earlier stay in an institution (hospital, detention) broke the homeless years.
            cut = first_night + datetime.timedelta(days=rng.randint(30, before - 120))
            stay = rng.randint(20, 90)
            periods += self._homeless_spell(rng, first_night, cut - day, entered)
            periods.append(
                PeriodPlan(
                    LivingSituationPeriod.Kind.INSTITUTION, cut, cut + datetime.timedelta(days=stay), entered
                )
            )
            first_night = cut + datetime.timedelta(days=stay + 1)
        # The timeline on the list, planned first; periods follow it.
        managers = [u for u, _f, _l, role, org in ACCOUNTS if role == Role.CASE_MANAGER and org == plan.org]
        worker = "acces" if rng.random() < 0.3 else rng.choice(managers)
        events: list[tuple[str, datetime.date]] = [("active", entered)]
        status, since = "active", entered
        outcomes = [("housed", 52), ("inactive", 24), ("institution", 10), ("moved_away", 9), ("deceased", 2)]
        while True:
            if status == "active":
                wait = int(rng.expovariate(1 / 210)) + 20
                outcome = rng.choices([o for o, _w in outcomes], [w for _o, w in outcomes])[0]
            elif status == "housed":
                wait, outcome = rng.randint(90, 500), "active" if rng.random() < 0.14 else ""
            elif status in {"inactive", "institution"}:
                wait = rng.randint(30, 240)
                outcome = "active" if rng.random() < (0.45 if status == "inactive" else 0.6) else ""
            else:
                outcome = ""
            if not outcome:
                break
            when = since + datetime.timedelta(days=wait)
            if when >= today:
                break
            events.append((outcome, when))
            status, since = outcome, when
        # Living situations, one stretch per status.
        for index, (state, start) in enumerate(events):
            end = events[index + 1][1] - day if index + 1 < len(events) else None
            if state == "active":
                spell_start = first_night if index == 0 else start
                periods += self._homeless_spell(rng, spell_start, end, start)
            elif state == "housed":
                periods.append(PeriodPlan(LivingSituationPeriod.Kind.HOUSED, start, end, start))
            elif state == "institution":
                periods.append(PeriodPlan(LivingSituationPeriod.Kind.INSTITUTION, start, end, start))
        reasons = {
            "housed": HOUSED_REASONS,
            "inactive": INACTIVE_REASONS,
            "institution": INSTITUTION_REASONS,
            "moved_away": MOVED_REASONS,
            "deceased": ["Décès confirmé par la famille"],
            "active": RETURN_REASONS,
        }
        changes = [
            StatusPlan(state, start, rng.choice(reasons[state]), by_worker=rng.random() < 0.7)
            for state, start in events[1:]
        ]
        return JourneyPlan(worker=worker, entered=entered, events=events, changes=changes, periods=periods)

    def journey(self, participant: Participant, plan: PersonPlan, actor: User) -> Journey:
        """The person's planned journey: the list entry now (referrals, assessments and profiles refer to it),
        and its living situations and status changes on the timeline, each at its moment, so the matching
        rounds see the list as it stood on their day."""
        assert plan.journey is not None
        jp = plan.journey
        worker = self.users[jp.worker]
        for period in jp.periods:
            situation, source = PERIOD_SITUATIONS.get(period.kind, ("", ""))
            self.service_on_timeline(
                self.at(period.recorded_on),
                access_services.living_situation_record,
                actor=actor,
                participant=participant,
                kind=period.kind,
                situation=situation,
                source=source,
                starts_on=period.starts_on,
                ends_on=period.ends_on,
            )
        entered_at = self.at(jp.entered)
        # What the person told at intake of their homelessness (HMIS 3.917), consistent with the nights dated.
        self.later_on(
            entered_at,
            access_services.homelessness_history_record,
            actor=worker if worker.username == "acces" else actor,
            participant=participant,
            **history_at_entry(jp.periods, jp.entered),
        )
        self.later_on(
            entered_at,
            access_services.by_name_entry_add,
            actor=worker if worker.username == "acces" else actor,
            participant=participant,
            reference_worker=worker,
            entered_on=jp.entered,
        )
        for change in jp.changes:
            self.on_timeline(
                max(entered_at, self.at(change.on)),
                self._status_change,
                actor=worker if change.by_worker else actor,
                participant=participant,
                status=change.status,
                reason=change.reason,
                on=change.on,
            )
        self.run_pending()
        entry = ByNameEntry.objects.get(participant=participant)
        return Journey(participant, plan, actor, worker, entry, jp.events)

    def _status_change(
        self,
        moment: datetime.datetime,
        *,
        actor: User,
        participant: Participant,
        status: str,
        reason: str,
        on: datetime.date,
    ) -> None:
        if (participant.pk, on) in self.housed_by_match:
            # A match with a unit housed the person that day (the service changed the status itself).
            return
        entry = ByNameEntry.objects.get(participant=participant)
        self.run(
            moment,
            access_services.by_name_status_change,
            actor=actor,
            entry=entry,
            status=status,
            reason=reason,
            on=on,
        )

    def later_on(self, moment: datetime.datetime, service, /, **kwargs) -> None:
        """Keep a service call for `run_pending`, which runs them in the order of their moments."""
        self._pending.append((moment, len(self._pending), service, kwargs))

    def run_pending(self) -> None:
        for moment, _n, service, kwargs in sorted(self._pending, key=lambda p: (p[0], p[1])):
            self.run(moment, service, **kwargs)
        self._pending = []

    def last_contacts(self) -> None:
        """When each person on the list was last seen: a date the outreach workers keep, which no service writes
        (contacts of coordinated access are not recorded in the app), so it is set directly; it is not a
        timestamp of a write."""
        entries = list(ByNameEntry.objects.order_by("pk"))
        limit = settings.ANCRAGE["INACTIVE_AFTER_DAYS"]
        for entry in entries:
            rng = self.stream("last_contact", entry.participant_id)
            if entry.status == ByNameStatus.ACTIVE:
                # Most active people were seen lately; a few are slipping out of touch.
                gap = rng.randint(0, 40) if rng.random() < 0.88 else rng.randint(60, limit + 40)
                entry.last_contact_on = max(entry.status_since, self.today - datetime.timedelta(days=gap))
            else:
                entry.last_contact_on = entry.status_since
        ByNameEntry.objects.bulk_update(entries, ["last_contact_on"], batch_size=500)

    def record_referrals(self, journeys: list[Journey], unlisted: list[Participant]) -> None:
        rng = self.rng
        today = self.today
        acces = self.users["acces"]
        acm = self.orgs["ACM"]

        def consent_of(participant: Participant) -> Consent | None:
            return access_services.coordinated_access_consent(acces, participant)

        recent = [j for j in journeys if (today - j.entry.entered_on).days <= 400]
        recent.sort(key=lambda j: j.entry.entered_on)
        done = [j for j in recent if consent_of(j.participant) is not None][-20:]
        plans: list[tuple[str, Participant | None, Journey | None, datetime.datetime]] = []
        for journey in done:
            referred = journey.entry.entered_on - datetime.timedelta(days=rng.randint(1, 12))
            plans.append(("intake_done", journey.participant, journey, self.at(referred)))
        # Intakes under way: people with a file and a consent, not on the list yet.
        waiting = [p for p in unlisted if consent_of(p) is not None]
        rng.shuffle(waiting)
        for participant in waiting[:6]:
            referred = self.at(today - datetime.timedelta(days=rng.randint(1, 20)))
            plans.append(("intake_started", participant, None, referred))
        for _index in range(9):
            referred = self.at(today - datetime.timedelta(days=rng.randint(0, 25)))
            plans.append(("received", None, None, referred))
        for _index in range(6):
            referred = self.at(today - datetime.timedelta(days=rng.randint(10, 300)))
            plans.append(("withdrawn", None, None, referred))
        plans.sort(key=lambda p: p[3])
        for state, person, listed, referred_at in plans:
            source = self.weighted(
                [
                    ("outreach", 25),
                    ("shelter", 25),
                    ("hospital", 15),
                    ("prison", 8),
                    ("self", 12),
                    ("partner", 15),
                ]
            )
            if person is not None:
                name = person.display_name
            else:
                origin = self.weighted(ORIGINS)
                female = rng.random() < 0.35
                name = f"{self._given_name(origin, female)} {self._family_name(origin)}"
                if rng.random() < 0.2:
                    name = f"« {rng.choice(STREET_NAMES)} »"
            by = acces if rng.random() < 0.7 or listed is None else listed.actor
            referral = self.run(
                referred_at,
                access_services.referral_create,
                actor=by,
                organisation=acm,
                person_name=name,
                person_description=rng.choice(DESCRIPTIONS) if person is None else "",
                source_kind=source,
                source_name=rng.choice(SOURCE_NAMES[source]),
                reason=rng.choice(REFERRAL_REASONS),
                referred_at=referred_at,
            )
            if state in {"intake_started", "intake_done"} and person is not None:
                started = min(self.now, referred_at + datetime.timedelta(days=rng.randint(0, 3), hours=1))
                # The intake begins once the person's consent to coordinated access is on file.
                consent = consent_of(person)
                assert consent is not None  # chosen above for having one
                in_force = max(consent.recorded_at, clock.start_of_day(consent.starts_on))
                started = min(self.now, max(started, in_force + datetime.timedelta(minutes=20)))
                intake = self.run(
                    started, access_services.intake_start, actor=acces, referral=referral, participant=person
                )
                if state == "intake_done" and listed is not None:
                    finished = self.at(max(listed.entry.entered_on, clock.localdate(started)))
                    finished = max(finished, started + datetime.timedelta(minutes=45))
                    finished = min(finished, self.now)
                    self.run(finished, access_services.intake_complete, actor=acces, intake=intake)
            elif state == "withdrawn":
                self.run(
                    min(self.now, referred_at + datetime.timedelta(days=rng.randint(3, 30))),
                    access_services.referral_withdraw,
                    actor=acces,
                    referral=referral,
                    reason=rng.choice(WITHDRAW_REASONS),
                )

    def record_hub_story(self) -> None:
        """The hub at work (A1), in the last days: a partner agency refers people to coordinated access; for one
        who has no file, the hub opens it, records the coordinated-access consent and completes the intake, so
        the file belongs to the hub until an organisation takes the person on."""
        rng = self.rng
        today = self.today
        acces = self.users["acces"]
        partner = self.users["partenaire.sante"]
        acm = self.orgs["ACM"]
        csr = self.orgs["CSR"]

        def refer(back: int, name: str) -> Referral:
            referred = self.at(today - datetime.timedelta(days=back))
            return self.run(
                referred,
                access_services.referral_create,
                actor=partner,
                organisation=acm,
                person_name=name,
                source_kind=Referral.SourceKind.PARTNER,
                source_name=csr.name,
                reason=rng.choice(REFERRAL_REASONS),
                referred_at=referred,
            )

        def new_name() -> tuple[str, str]:
            origin = self.weighted(ORIGINS)
            return self._given_name(origin, rng.random() < 0.35), self._family_name(origin)

        for back in (1, 4):
            refer(back, " ".join(new_name()))
        given, family = new_name()
        referral = refer(9, f"{given} {family}")
        opened = max(self.at(today - datetime.timedelta(days=8)), referral.referred_at)
        # Ranks are recomputed once, at the end, as the matching rounds do.
        with access_policies.ranks_recompute_deferred():
            person = self.run(
                opened,
                people_services.participant_create,
                actor=acces,
                organisation=acm,
                legal_first_name=given,
                legal_last_name=family,
                dob_quality="not_collected",
            )
            self.run(
                self.later(opened, 10),
                people_services.consent_record,
                actor=acces,
                participant=person,
                organisations=[acm],
                categories=[Category.IDENTITY, Category.HOUSING, Category.COORDINATED_ACCESS],
                purpose=_CONSENT_PURPOSE_HUB,
                starts_on=clock.localdate(opened),
                method="written",
            )
            intake = self.run(
                self.later(opened, 30),
                access_services.intake_start,
                actor=acces,
                referral=referral,
                participant=person,
            )
            # What the person told at intake (HMIS 3.917): outside since last winter, homeless often before.
            on = clock.localdate(opened)
            self.run(
                self.later(opened, 50),
                access_services.homelessness_history_record,
                actor=acces,
                participant=person,
                reported_on=on,
                source=HistorySource.SELF_REPORTED,
                living_situation=LivingSituation.STREET,
                prior_living_situation=LivingSituation.RENTAL,
                prior_length_of_stay=LengthOfStay.ONE_YEAR,
                previous_street_or_shelter=YesNoAnswer.YES,
                episode_started_on=on - datetime.timedelta(days=300),
                times_homeless_past_three_years="four_or_more",
                months_homeless_past_three_years=22,
                intake=intake,
            )
            self.run(
                self.later(opened, 75),
                access_services.intake_complete,
                actor=acces,
                intake=intake,
                reference_worker=acces,
                entered_on=clock.localdate(opened),
            )
            self.run(self.now, access_services.ranks_recompute)

    def _acuity_answers(self, level: float) -> dict[str, Any]:
        rng = self.rng

        def yes(p: float) -> str:
            if rng.random() < 0.04:
                return "refused"
            return "yes" if rng.random() < p else "no"

        answers: dict[str, Any] = {
            "months_homeless": min(36, max(0, int(rng.gauss(4 + level * 26, 5)))),
            "episodes": rng.randint(0, 1 + int(level * 5)),
            "slept_last_night": self.weighted(
                [("outside", 1 + 6 * level), ("shelter", 5), ("couch", 3 - 2 * level), ("institution", 1)]
            ),
            "evicted": yes(0.3 + 0.5 * level),
            "chronic_condition": yes(0.2 + 0.6 * level),
            "mental_health": yes(0.25 + 0.65 * level),
            "medication_trouble": yes(0.2 + 0.6 * level),
            "emergency_visits": max(0, int(rng.gauss(level * 4, 1.5))),
            "use_frequency": self.weighted(
                [
                    ("never", 3 - 2.5 * level),
                    ("sometimes", 3),
                    ("weekly", 1 + 2 * level),
                    ("daily", 4 * level),
                ]
            ),
            "use_consequences": yes(0.2 + 0.6 * level),
            "overdose": yes(0.05 + 0.5 * level),
            "harm": yes(0.05 + 0.4 * level),
            "exploitation": yes(0.1 + 0.5 * level),
            "help_needed": [
                k for k in ("hygiene", "meals", "money", "appointments") if rng.random() < level * 0.7
            ]
            or ["none"],
            "regular_income": yes(0.9 - 0.6 * level),
            "someone_to_count_on": yes(0.8 - 0.6 * level),
            "loneliness": min(10, max(1, int(rng.gauss(3 + level * 6, 2)))),
        }
        justice = [k for k in ("police", "arrest", "detention") if rng.random() < 0.15 + 0.5 * level]
        answers["justice_contact"] = justice or ["none"]
        if rng.random() < 0.05:
            answers["months_homeless"] = "doesnt_know"
        return answers

    def _administer(
        self,
        key: str,
        journey: Journey,
        by: User,
        day: datetime.date,
        answers: dict[str, Any] | None,
        *,
        complete: bool = True,
        close: str = "",
    ) -> None:
        started = self.at(day)
        administration = self.run(
            started,
            assessment_services.administration_start,
            actor=by,
            participant=journey.participant,
            version=self.versions[key],
        )
        finished = min(self.now, started + datetime.timedelta(minutes=self.rng.randint(15, 50)))
        if answers:
            self.run(
                finished,
                assessment_services.administration_save_answers,
                actor=by,
                administration=administration,
                answers=answers,
                complete=complete,
            )
        if close == "declined":
            self.run(
                finished,
                assessment_services.administration_decline,
                actor=by,
                administration=administration,
                reason="La personne ne souhaite pas répondre aujourd'hui.",
            )
        elif close == "postponed":
            self.run(
                finished,
                assessment_services.administration_postpone,
                actor=by,
                administration=administration,
                reason="Rencontre écourtée ; on reprendra la semaine prochaine.",
            )

    def record_administrations(self, journeys: list[Journey]) -> None:
        rng = self.rng
        today = self.today
        acces = self.users["acces"]
        screened = sorted(rng.sample(journeys, k=min(120, len(journeys))), key=lambda j: j.entry.entered_on)
        # The latest screenings: a few under way, one declined, one set aside for later.
        latest = screened[-7:]
        in_progress = {id(j) for j in latest[2:]}
        declined = latest[0] if len(latest) == 7 else None
        postponed = latest[1] if len(latest) == 7 else None
        for journey in screened:
            day = min(today, journey.entry.entered_on + datetime.timedelta(days=rng.randint(0, 21)))
            by = acces if rng.random() < 0.55 else rng.choice(self.case_managers[journey.plan.org])
            level = min(1.0, max(0.0, rng.betavariate(2.2, 2.0)))
            answers = self._acuity_answers(level)
            if id(journey) in in_progress:
                partial = dict(list(answers.items())[: rng.randint(3, 9)])
                self._administer("acuity_screener", journey, by, day, partial, complete=False)
            elif journey is declined:
                self._administer("acuity_screener", journey, by, day, None, complete=False, close="declined")
            elif journey is postponed:
                partial = dict(list(answers.items())[:4])
                self._administer(
                    "acuity_screener", journey, by, day, partial, complete=False, close="postponed"
                )
            else:
                self._administer("acuity_screener", journey, by, day, answers)
        levels = ["none", "some", "serious"]
        housed = [j for j in journeys if any(state == "housed" for state, _day in j.events)]
        for journey in housed[: max(1, len(housed) * 2 // 3)]:
            moved_in = next(day for state, day in journey.events if state == "housed")
            manager = journey.actor
            first_visit = moved_in + datetime.timedelta(days=rng.randint(10, 40))
            if first_visit <= today and rng.random() < 0.6:
                concern = rng.uniform(0.1, 0.9)
                baseline: dict[str, Any] = {
                    key: self.weighted([(lvl, w) for lvl, w in zip(levels, (2 - concern, 1, concern), strict=True)])
                    for key in (
                        "mood_low", "mood_anxiety", "mood_sleep", "behaviour_agitation", "behaviour_withdrawal",
                        "behaviour_neighbours", "mh_perception", "su_impact", "df_hygiene", "df_meals",
                        "df_home_upkeep", "df_money",
                    )
                }  # fmt: skip
                baseline["mh_self_harm"] = "yes" if rng.random() < concern * 0.25 else "no"
                baseline["mh_follow_up"] = "yes" if rng.random() < 0.6 else "no"
                self._administer("baseline_functioning", journey, manager, first_visit, baseline)
            visit = moved_in + datetime.timedelta(days=rng.randint(20, 60))
            base = rng.uniform(2.5, 6)
            while visit <= today and rng.random() < 0.8:
                scale: dict[str, Any] = {
                    key: min(10, max(1, round(rng.gauss(base, 1.5))))
                    for key in (
                        "home", "money", "self_care", "physical_health", "wellbeing", "substance_use",
                        "relationships", "activities", "safety_rights", "hope",
                    )
                }  # fmt: skip
                scale["priority_domain"] = min(scale, key=lambda k: scale[k])
                self._administer("progress_scale", journey, manager, visit, scale)
                base = min(9, base + rng.uniform(-0.5, 1.5))
                visit += datetime.timedelta(days=rng.randint(80, 200))
