"""The demo consortium's weekly community case-conference table (D1–D7), called by the builder in one line.

Coordinated access runs it; the four organisations' team leads (who decide on housing options), the housing team
and the two partner agencies sit at it. Six months of weekly meetings, each at its own moment through the
services: the agenda (people flagged by the daily job, or proposed by a member with why) sent two days ahead,
the three phases written by the note-taker, action items with RACI moved on over the following weeks, attendance
with a few no-shows, the minutes closed and the action list sent; a monthly administrative meeting reviews the
parking lot and the members evaluate. The next meeting's agenda is ready, and sent when it is within two days.
Every date is relative to the demo's moment, so any seed and any --as-of give a valid story.
"""

from __future__ import annotations

import datetime
import random
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db.models import Count

from ancrage.access.models import ByNameEntry, ByNameStatus
from ancrage.conferences import mail, services
from ancrage.conferences.models import ActionItem, AgendaItem, Meeting, ParkingLotIssue, Proposal
from ancrage.core import clock

if TYPE_CHECKING:
    from ancrage.demo.builder import DemoBuilder

LEADS = ["chef.hochelaga", "chef.plateau", "chef.verdun", "chef.ahuntsic"]
OTHERS = ["logement1", "partenaire.sante", "partenaire.emploi"]
WEEKS = 26

REASONS = [
    "Trois logements refusés : la personne veut rester près de son réseau dans le quartier.",
    "Aucun programme n’accepte ses revenus actuels ; le dossier d’aide sociale est bloqué.",
    "Expulsée deux fois en un an ; aucun propriétaire du parc ne veut la reprendre.",
    "Besoins de santé qui dépassent le suivi d’intensité variable ; en attente d’un lit depuis des mois.",
    "Perd le contact après chaque hospitalisation ; le plan de sortie n’est jamais prêt.",
]
ISSUES = [
    (
        "Délais de l’aide sociale pour les premiers chèques",
        "Les premiers versements prennent plus de six semaines.",
    ),
    (
        "Pas de logement adapté en fauteuil roulant dans le parc",
        "Aucun logement accessible libre depuis trois mois.",
    ),
    ("Sorties d’hôpital sans préavis", "L’équipe apprend la sortie le jour même."),
    ("Banque de meubles en rupture de lits", "Les livraisons sont reportées d’un mois."),
    ("Références de la police sans consentement signé", "Les fiches arrivent sans consentement valide."),
]
PLANS = [
    ("Visiter deux logements du parc diffus avec la personne", "Banque de logements, allocation au logement"),
    ("Demander une évaluation en santé mentale au CSR", "Équipe itinérance du CSR"),
    ("Rencontrer le propriétaire pour une entente de remboursement", "Fonds de dépannage du consortium"),
    ("Accompagner la personne au bureau de l’aide sociale", "Agente de liaison de l’aide sociale"),
    ("Inscrire la personne au programme Tremplin Emploi", "Tremplin Emploi"),
]


class ConferencesDemo:
    def __init__(self, builder: DemoBuilder):
        self.b = builder
        self.rng = random.Random(builder.seed * 37 + 14)
        self.now = builder.now
        self.users = builder.users

    def at(self, moment: datetime.datetime):
        return clock.at(min(moment, self.now))

    def build(self) -> dict[str, Any]:
        acces = self.users["acces"]
        start = self.now - datetime.timedelta(weeks=WEEKS)
        with clock.at(start):
            table = services.table_create(
                actor=acces,
                organisation=self.b.orgs["ACM"],
                name="Table communautaire de conférence de cas",
                start_time=datetime.time(9, 30),
                weekday=clock.localdate(start).weekday(),
                place="Accès coordonné Montréal, salle 2",
                video_url="https://visio.demo.ancrage.example/table-communautaire",
            )
            self.members = {
                "acces": services.member_add(
                    actor=acces, table=table, user=acces, organisation=self.b.orgs["ACM"]
                )
            }
            for username in LEADS + OTHERS:
                user = self.users[username]
                self.members[username] = services.member_add(
                    actor=acces,
                    table=table,
                    user=user,
                    organisation=user.active_memberships[0].organisation,
                    can_decide_housing=username in LEADS or username == "logement1",
                )
            meetings = services.meetings_generate(
                actor=acces, table=table, until=clock.localdate(self.now) + datetime.timedelta(days=8)
            )
            # The monthly administrative meeting, the afternoon of the first meeting of each month.
            admin_meetings = []
            seen_months = set()
            for m in meetings:
                month = clock.localdate(m.starts_at).strftime("%Y-%m")
                if month not in seen_months and m.starts_at < self.now:
                    seen_months.add(month)
                    admin_meetings.append(
                        services.meeting_create(
                            actor=acces,
                            table=table,
                            starts_at=m.starts_at + datetime.timedelta(hours=4),
                            kind=Meeting.Kind.ADMINISTRATIVE,
                        )
                    )
        self.table = table
        self.used: dict[int, int] = {}
        past = [m for m in meetings if m.starts_at + datetime.timedelta(hours=3) <= self.now]
        coming = [m for m in meetings if m.starts_at + datetime.timedelta(hours=3) > self.now]
        for n, meeting in enumerate(past):
            self.hold(meeting, n)
            if n % 5 == 2:
                self.park(meeting, n // 5)
        for meeting in admin_meetings:
            if meeting.starts_at + datetime.timedelta(hours=2) <= self.now:
                self.administrative(meeting)
        if coming:
            self.prepare(coming[0], len(past))
        return {
            "case-conference meetings": Meeting.objects.filter(table=table).count(),
            "case-conference action items": dict(
                ActionItem.objects.filter(meeting__table=table)
                .values_list("status")
                .order_by()
                .annotate(n=Count("pk"))
                .values_list("status", "n")
            ),
            "parking-lot issues": ParkingLotIssue.objects.filter(table=table).count(),
        }

    # -- one meeting

    def candidates(self, day: datetime.date, count: int) -> list[tuple[Any, Proposal | None]]:
        """People flagged by then (least discussed first), and members' proposals of their own people."""
        flagged = list(
            ByNameEntry.objects.filter(
                needs_conference=True,
                status=ByNameStatus.ACTIVE,
                listed_via__isnull=True,
                needs_conference_since__lte=day,
            )
            .select_related("participant")
            .order_by("pk")
        )
        self.rng.shuffle(flagged)
        flagged.sort(key=lambda e: self.used.get(e.participant_id, 0))
        chosen: list[tuple[Any, Proposal | None]] = [
            (e.participant, None) for e in flagged[: max(count - 1, 1)]
        ]
        lead = self.users[self.rng.choice(LEADS)]
        org = lead.active_memberships[0].organisation
        own = list(
            ByNameEntry.objects.filter(
                participant__organisation=org, status=ByNameStatus.ACTIVE, needs_conference=False
            )
            .exclude(participant_id__in=[p.pk for p, _ in chosen])
            .select_related("participant")
            .order_by("pk")[:20]
        )
        if own and len(chosen) < count:
            entry = self.rng.choice(own)
            if not Proposal.objects.filter(
                table=self.table, participant=entry.participant, status="open"
            ).exists():
                proposal = services.proposal_create(
                    actor=lead,
                    table=self.table,
                    participant=entry.participant,
                    reason=self.rng.choice(REASONS),
                )
                chosen.append((entry.participant, proposal))
        return chosen

    def fill(self, meeting: Meeting, n: int) -> list[AgendaItem]:
        acces = self.users["acces"]
        items = []
        with self.at(meeting.starts_at - datetime.timedelta(days=3)):
            for participant, proposal in self.candidates(clock.today(), self.rng.randint(3, 5)):
                try:
                    items.append(
                        services.agenda_add(
                            actor=acces, meeting=meeting, participant=participant, proposal=proposal
                        )
                    )
                except ValidationError:  # full, or already there: the demo moves on as a facilitator would
                    continue
                self.used[participant.pk] = self.used.get(participant.pk, 0) + 1
        with self.at(meeting.starts_at - datetime.timedelta(days=2)):
            mail.agenda_send(actor=acces, meeting=meeting)
            mail.deliveries_send(meeting_id=meeting.pk)
        return items

    def hold(self, meeting: Meeting, n: int) -> None:
        acces = self.users["acces"]
        items = self.fill(meeting, n)
        members = list(self.members.values())
        with self.at(meeting.starts_at - datetime.timedelta(days=1)):
            services.meeting_set_roles(
                actor=acces,
                meeting=meeting,
                facilitator=acces,
                timekeeper=self.users[LEADS[n % len(LEADS)]],
                note_taker=self.users["logement1"],
            )
        with self.at(meeting.starts_at + datetime.timedelta(minutes=50)):
            statuses = {}
            for m in members:
                roll = self.rng.random()
                statuses[m.pk] = "present" if roll < 0.82 else ("excused" if roll < 0.93 else "absent")
            for username in ("acces", "logement1", LEADS[n % len(LEADS)]):
                statuses[self.members[username].pk] = "present"
            services.attendance_record(actor=acces, meeting=meeting, statuses=statuses)
            note_taker = self.users["logement1"]
            for item in items:
                plan, resources = self.rng.choice(PLANS)
                home = item.participant.organisation_id
                contributions = {
                    home: ("Lien de confiance avec l’intervenante", "Méfiance envers les refuges")
                }
                partner = self.members[self.rng.choice(OTHERS)].organisation_id
                contributions[partner] = ("Suivi régulier accepté", "Rendez-vous manqués")
                lead = self.rng.choice([self.users[u] for u in LEADS])
                services.item_record(
                    actor=note_taker,
                    item=item,
                    confidential="Les détails de santé restent à l’organisme d’attache.",
                    resources=resources,
                    action_plan=plan,
                    lead=lead,
                    notes="Discussion tenue dans le temps prévu.",
                    seconds_spent=self.rng.randint(300, 520),
                    contributions=contributions,
                )
                responsible = self.rng.choice([self.users[u] for u in [*LEADS, "logement1"]])
                services.action_create(
                    actor=note_taker,
                    meeting=meeting,
                    item=item,
                    description=plan,
                    responsible=responsible,
                    accountable=acces if responsible != acces else None,
                    due_on=clock.today() + datetime.timedelta(days=self.rng.choice([7, 14, 21])),
                    consulted=[self.members["partenaire.sante"].organisation],
                    informed=[self.users["acces"]],
                )
        with self.at(meeting.starts_at + datetime.timedelta(hours=2)):
            services.minutes_close(actor=acces, meeting=meeting)
            mail.deliveries_send(meeting_id=meeting.pk)
        # The weeks after: each action moves on (done, in progress, dropped) or stays open, some overdue.
        for action in meeting.actions.all():
            roll = self.rng.random()
            later = meeting.starts_at + datetime.timedelta(days=self.rng.randint(3, 20))
            if later > self.now or roll < 0.15:
                continue
            status, note = (
                ("done", "Fait, la personne a accepté.")
                if roll < 0.65
                else ("in_progress", "Rendez-vous fixé.")
                if roll < 0.85
                else ("dropped", "La personne a refusé ; autre piste au prochain ordre du jour.")
            )
            with clock.at(later):
                services.action_update(actor=action.responsible, action=action, status=status, note=note)

    def park(self, meeting: Meeting, k: int) -> None:
        title, description = ISSUES[k % len(ISSUES)]
        with self.at(meeting.starts_at + datetime.timedelta(minutes=55)):
            services.parking_create(
                actor=self.users["acces"],
                table=self.table,
                meeting=meeting,
                title=title,
                description=description,
                owner=self.users[self.rng.choice(LEADS + OTHERS)],
            )

    def administrative(self, meeting: Meeting) -> None:
        acces = self.users["acces"]
        with self.at(meeting.starts_at + datetime.timedelta(minutes=50)):
            services.meeting_set_roles(
                actor=acces,
                meeting=meeting,
                facilitator=acces,
                timekeeper=self.users["chef.plateau"],
                note_taker=self.users["logement1"],
            )
            services.attendance_record(
                actor=acces,
                meeting=meeting,
                statuses={
                    m.pk: ("present" if self.rng.random() < 0.85 else "absent") for m in self.members.values()
                },
            )
            for issue in ParkingLotIssue.objects.filter(
                table=self.table, status="open", created_at__lt=clock.now()
            ):
                if self.rng.random() < 0.5:
                    services.parking_update(
                        actor=acces,
                        issue=issue,
                        status="resolved",
                        resolution="Entente conclue avec le partenaire.",
                    )
                else:
                    services.parking_update(actor=acces, issue=issue, status="in_progress")
            services.minutes_close(actor=acces, meeting=meeting)
        with self.at(meeting.starts_at + datetime.timedelta(hours=3)):
            for username, _member in self.members.items():
                if self.rng.random() < 0.7:
                    services.evaluation_give(
                        actor=self.users[username],
                        meeting=meeting,
                        usefulness=self.rng.randint(3, 5),
                        time_use=self.rng.randint(2, 5),
                        preparation=self.rng.randint(3, 5),
                        comment=self.rng.choice(["", "Bon rythme.", "Trop de dossiers à la fin."]),
                    )

    def prepare(self, meeting: Meeting, n: int) -> None:
        """The next meeting: its agenda ready; sent when it falls within CONFERENCE_AGENDA_DAYS_AHEAD days."""
        from django.conf import settings

        acces = self.users["acces"]
        with clock.at(self.now):
            for participant, proposal in self.candidates(clock.today(), 4):
                try:
                    services.agenda_add(
                        actor=acces, meeting=meeting, participant=participant, proposal=proposal
                    )
                except ValidationError:  # full or already there
                    continue
            services.meeting_set_roles(
                actor=acces,
                meeting=meeting,
                facilitator=acces,
                timekeeper=self.users[LEADS[n % len(LEADS)]],
                note_taker=self.users["logement1"],
            )
            ahead = datetime.timedelta(days=settings.ANCRAGE["CONFERENCE_AGENDA_DAYS_AHEAD"])
            if meeting.starts_at - self.now <= ahead:
                mail.agenda_send(actor=acces, meeting=meeting)
                mail.deliveries_send(meeting_id=meeting.pk)


def build_conferences(builder: DemoBuilder) -> dict[str, Any]:
    return ConferencesDemo(builder).build()
