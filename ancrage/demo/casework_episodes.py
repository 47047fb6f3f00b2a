"""Casework planning: who is enrolled, when, with whom, how it ends, and the events of each episode."""

from __future__ import annotations

import datetime
from collections import defaultdict

from ancrage.access.models import ByNameEntry, ByNameStatusChange, Match, MatchStatus
from ancrage.core import clock
from ancrage.demo import content as words
from ancrage.demo.names import DAY, LEADS, SHOWCASE
from ancrage.demo.plan import Episode, overlapping_episodes
from ancrage.demo.state import CaseworkState
from ancrage.organisations.models import Program
from ancrage.people.models import Participant


class EpisodesMixin(CaseworkState):
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
                        (m for m in matched if abs((clock.localdate(m.transferred_at) - start).days) <= 40),
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
        from ancrage.demo.names import DUPLICATE_PAIRS

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
        self.one_at_a_time()

    def one_at_a_time(self) -> None:
        """One enrollment per person and program at a time: of two episodes that overlap (a follow-up while
        looking for housing, then a transfer dated a few weeks earlier), the later one goes, unless it came
        from a match and the earlier did not."""
        for first, second in overlapping_episodes(self.episodes):
            if first not in self.episodes or second not in self.episodes:
                continue
            drop = first if second.match is not None and first.match is None else second
            self.episodes.remove(drop)
        assert not overlapping_episodes(self.episodes)

    def newcomers(self) -> None:
        """In each team, people enrolled in the last weeks: one whose plan is late (15 business days), one whose
        plan is written but not complete, one enrolled this week (baseline assessments due)."""
        # Not someone enrolled now or lately: one enrollment per person and program at a time.
        recent = self.today - 45 * DAY
        enrolled = {e.participant.pk for e in self.episodes if e.end is None or e.end >= recent}
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
        self.plan_partner_referrals()
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
