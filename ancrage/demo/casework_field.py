"""Casework in the field: contacts, the last two weeks, today's visits, on-call, overnight, the meeting."""

from __future__ import annotations

import datetime

from ancrage.accounts.models import User
from ancrage.casework.contacts import services as contacts_services
from ancrage.casework.meeting import services as meeting_services
from ancrage.casework.models import (
    Contact,
    Enrollment,
    FieldVisit,
    Goal,
    MeetingOrder,
    RiskAssessment,
)
from ancrage.casework.risk import services as risk_services
from ancrage.core import clock
from ancrage.core.models import Alert
from ancrage.demo import content as words
from ancrage.demo.names import DAY, LEADS, ON_CALL_NOW, PEERS, SHOWCASE
from ancrage.demo.plan import Episode
from ancrage.demo.state import CaseworkState
from ancrage.organisations.models import Program


class FieldMixin(CaseworkState):
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
            if episode.paired_on(day) and colleagues:
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
        and ended from the phone: each day's contacts are events of the timeline, so a visit is planned against
        the risk plans of its own day, not of today."""
        start = self.today - 12 * DAY
        for episode in self.episodes:
            if episode.end is not None and episode.end <= start:
                continue
            for day in self.contact_days(episode, start, self.today):
                self.schedule(day, self.recent_contacts, episode, day)

    def recent_contacts(self, episode: Episode, day: datetime.date) -> None:
        rng = self.rng
        if episode.enrollment is None or not self.still_active(episode):
            return
        for kind, minutes, present in self.contact_plan(episode, day):
            staff = self.staff_for(episode, day, kind)
            occurred = self.at(day, 8 * 60 + 30, 16 * 60)
            visit = None
            if kind == "home" and present and rng.random() < 0.7:
                visit = self.past_visit(episode, staff, occurred, minutes)
            goals = [g for g in episode.goals if g.starts_on <= day]
            chosen = rng.sample(goals, k=min(len(goals), rng.choice([0, 1, 1, 2]))) if present else []
            recorded = min(self.now, occurred + datetime.timedelta(minutes=minutes + rng.randint(2, 90)))
            # Logged with the day's other contacts (`log_contacts`), each at its moment.
            self.contacts_to_log.append(
                contacts_services.ContactToLog(
                    actor=staff[0],
                    participant=episode.participant,
                    occurred_at=occurred,
                    duration_minutes=minutes,
                    kind=kind,
                    participant_present=present,
                    staff=staff[1:],
                    goals=chosen,
                    shared_note=self.note_for(episode, kind, present),
                    private_note=rng.choice(words.PRIVATE_NOTES) if present and rng.random() < 0.04 else "",
                    visit=visit,
                    logged_at=recorded,
                )
            )
            self.counts["contacts (service)"] += 1

    def log_contacts(self) -> None:
        """The contacts of the last two weeks kept so far (`recent_contacts`), logged as `contact_log` logs
        them, each at its moment, in one go (`contacts_log_many`). The timeline calls it before any event
        other than a day's contacts, which then sees them logged."""
        if self.contacts_to_log:
            pending, self.contacts_to_log = self.contacts_to_log, []
            self.call(
                max(c.logged_at for c in pending if c.logged_at is not None),
                contacts_services.contacts_log_many,
                contacts=pending,
            )

    def past_visit(
        self, episode: Episode, staff: list[User], start: datetime.datetime, minutes: int
    ) -> FieldVisit:
        """A home visit of the last days: planned a few hours before (the service plans only visits still to
        come), started and ended from the phone."""
        worker = staff[0]
        planned = self.call(
            start - datetime.timedelta(hours=self.rng.randint(1, 5)),
            contacts_services.visit_plan,
            actor=worker,
            participant=episode.participant,
            location="Domicile",
            planned_start=start - datetime.timedelta(minutes=5),
            planned_end=start + datetime.timedelta(minutes=max(minutes, 45) + 15),
            companions=staff[1:],
        )
        end = start + datetime.timedelta(minutes=minutes + self.rng.choice([0, 10, 20]))
        visit = self.call(start, contacts_services.visit_start, actor=worker, visit=planned, at=start)
        ended = min(end, self.now)
        visit = self.call(ended, contacts_services.visit_end, actor=worker, visit=visit, at=ended)
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
                    contacts_services.visit_plan,
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
                contacts_services.visit_plan,
                actor=worker,
                participant=episode.participant,
                location="Domicile",
                planned_start=first + datetime.timedelta(hours=5),
                planned_end=first + datetime.timedelta(hours=6),
                companions=self.paired_companions(episode, worker),
            )
            self.call(
                self.now,
                contacts_services.visit_cancel,
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
                start - datetime.timedelta(minutes=90),
                contacts_services.visit_plan,
                actor=worker,
                participant=episode.participant,
                location="Domicile",
                planned_start=start,
                planned_end=self.now + datetime.timedelta(minutes=50),
                companions=self.paired_companions(episode, worker),
            )
            self.call(start, contacts_services.visit_start, actor=worker, visit=visit, at=start)
            # From the phone: the worker said "I'm safe" a quarter of an hour ago and asked for half an hour more.
            self.call(
                self.now - datetime.timedelta(minutes=15),
                contacts_services.visit_safe,
                actor=worker,
                visit=visit,
            )
            self.call(
                self.now - datetime.timedelta(minutes=14),
                contacts_services.visit_extend,
                actor=worker,
                visit=visit,
                minutes=30,
            )
            # Not ended: planned to end 80 minutes ago, started and never ended.
            episode = next(
                e for e in mine[5:] if e.worker_on(self.today).username not in {SHOWCASE, ON_CALL_NOW[org]}
            )
            worker = episode.worker_on(self.today)
            start = self.now - datetime.timedelta(minutes=170)
            visit = self.call(
                start - datetime.timedelta(minutes=75),
                contacts_services.visit_plan,
                actor=worker,
                participant=episode.participant,
                location="Parc Morgan",
                planned_start=start,
                planned_end=self.now - datetime.timedelta(minutes=80),
                companions=self.paired_companions(episode, worker),
            )
            self.call(start, contacts_services.visit_start, actor=worker, visit=visit, at=start)
            # What the scheduled job does every few minutes: the visit is past its end plus the grace period.
            self.call(self.now, contacts_services.visits_alert_overdue, now=self.now)
            self.counts["field visits"] += 2

    def paired_companions(self, episode: Episode, worker: User) -> list[User]:
        if not episode.paired_on(self.today):
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
                    risk_services.on_call_shift_set,
                    actor=lead,
                    organisation=self.orgs[org],
                    worker=worker,
                    starts_at=starts,
                    ends_at=starts + datetime.timedelta(days=7),
                    # Each organisation's shared on-call cell (a fictional 555 number).
                    phone=f"514 555-{2000 + sorted(ON_CALL_NOW).index(org):04d}",
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
                    # Logged when the call is over, with the moment it came in.
                    self.call(
                        min(written, self.now),
                        risk_services.on_call_log,
                        actor=worker,
                        organisation=self.orgs[org],
                        called_at=called,
                        caller=caller,
                        summary=summary,
                        action_taken=action,
                        participant=about,
                        follow_up=follow and week == -1,
                    )
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
                    risk_services.on_call_log,
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
                meeting_services.meeting_settings_set,
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
