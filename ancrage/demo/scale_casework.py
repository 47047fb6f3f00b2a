"""Case management at scale, for `manage.py seed_scale` and the bench (issue 4, part 12): a team a mission with
a team lead, about 15 enrollments per case manager, recovery plans, two years of contacts (5 million for
100,000 participants, written with COPY on PostgreSQL), some risk plans, incidents (some overnight) and
visits under way, so that "my caseload" and the team meeting are measured on realistic data."""

from __future__ import annotations

import datetime
import io
import random
from collections.abc import Callable

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import connection, transaction

from ancrage.accounts.models import Membership, User
from ancrage.casework.calendar import add_business_days
from ancrage.casework.models import (
    Assignment,
    Contact,
    ContactKind,
    Enrollment,
    FieldVisit,
    Incident,
    RecoveryPlan,
    RiskAssessment,
)
from ancrage.core import clock
from ancrage.core.permissions import Role
from ancrage.organisations.models import Program, Team
from ancrage.people.models import Participant

# Enrollments a case manager of the scale consortium carries (the ICM ratio).
PER_WORKER = 15
CONTACTS_PER_PARTICIPANT = 50
KINDS = [
    (ContactKind.HOME, 40),
    (ContactKind.COMMUNITY, 20),
    (ContactKind.OFFICE, 10),
    (ContactKind.PHONE, 20),
    (ContactKind.VIDEO, 2),
    (ContactKind.ACCOMPANIMENT, 8),
]
OVERNIGHT_KINDS = ["police_called", "hospital", "overdose", "mental_health_crisis", "victimisation"]
TWO_YEARS = 2 * 365 * 24 * 3600
COPY_CHUNK = 200_000


def team_lead_username(mission: str) -> str:
    return f"scale.chef.{mission.lower()}"


def casework_structure(structure) -> dict[str, Team]:
    """A team a mission on its ICM program, its case managers in it, and a team lead; created once."""
    from ancrage.demo.scale import SCALE_MISSIONS

    teams: dict[str, Team] = {}
    for short in SCALE_MISSIONS:
        org = structure.orgs[short]
        program = Program.objects.filter(organisation=org, kind=Program.Kind.ICM).order_by("pk").first()
        if program is None:
            program = Program.objects.create(
                organisation=org, kind=Program.Kind.ICM, name=f"SIV {short}", name_en=f"ICM {short}"
            )
        team, _created = Team.objects.get_or_create(
            organisation=org,
            program=program,
            defaults={"name": f"Équipe SIV {short}", "name_en": f"ICM team {short}"},
        )
        teams[short] = team
        Membership.objects.filter(
            user__in=structure.case_managers[short], organisation=org, role=Role.CASE_MANAGER
        ).update(team=team)
        lead, created = User.objects.get_or_create(
            username=team_lead_username(short), defaults={"first_name": "Chef", "last_name": short}
        )
        if created:
            lead.set_unusable_password()
            lead.save(update_fields=["password"])
        Membership.objects.get_or_create(
            user=lead, organisation=org, role=Role.TEAM_LEAD, defaults={"team": team}
        )
    return teams


# One entry a percent: a kind drawn with one random number (rng.choices per row costs twice as much).
KIND_DRAW = [str(kind) for kind, weight in KINDS for _n in range(weight)]


def _kind(rng: random.Random) -> str:
    return KIND_DRAW[int(rng.random() * len(KIND_DRAW))]


def _enroll(structure, teams, rng, after_pk: int, per_worker: int) -> list[Enrollment]:
    """Top each case manager's caseload up to `per_worker` with participants added in this run."""
    today = clock.today()
    created: list[Enrollment] = []
    # At most a tenth of the run's participants (a small test run stays small; 100,000 leaves room).
    room = Participant.objects.filter(pk__gt=after_pk).count() // 10
    for short, team in teams.items():
        workers = structure.case_managers[short]
        taken = set(
            Enrollment.objects.filter(program__organisation=team.organisation).values_list(
                "participant_id", flat=True
            )
        )
        need = {
            w.pk: per_worker
            - Enrollment.objects.filter(primary_worker=w, status=Enrollment.Status.ACTIVE).count()
            for w in workers
        }
        wanted = min(sum(max(0, n) for n in need.values()), room // len(teams))
        if wanted <= 0:
            continue
        candidates = [
            pk
            for pk in Participant.objects.filter(organisation=team.organisation, pk__gt=after_pk)
            .order_by("pk")
            .values_list("pk", flat=True)[: wanted + len(taken)]
            if pk not in taken
        ][:wanted]
        # Round-robin over the workers, so a capped run still gives each of them a caseload.
        slots = [w for n in range(per_worker) for w in workers if need[w.pk] > n]
        for worker, pid in zip(slots, candidates, strict=False):
            enrolled_on = today - datetime.timedelta(days=rng.randint(3, 700))
            at_risk = rng.random() < 0.06
            created.append(
                Enrollment(
                    participant_id=pid,
                    program_id=team.program_id,
                    team=team,
                    primary_worker=worker,
                    enrolled_on=enrolled_on,
                    visits_per_week=2 if at_risk or rng.random() < 0.1 else 1,
                    tenancy_at_risk_since=today - datetime.timedelta(days=rng.randint(0, 40))
                    if at_risk
                    else None,
                    lost_contact_since=today - datetime.timedelta(days=rng.randint(0, 20))
                    if rng.random() < 0.03
                    else None,
                )
            )
    return Enrollment.objects.bulk_create(created, batch_size=2000)


def _plans_and_assignments(enrollments: list[Enrollment], rng: random.Random) -> None:
    today = clock.today()
    plans, assignments = [], []
    for e in enrollments:
        due_on = add_business_days(e.enrolled_on, settings.ANCRAGE["PLAN_DUE_BUSINESS_DAYS"])
        completed = None
        if rng.random() < 0.88 and due_on - datetime.timedelta(days=12) < today:
            completed = min(today, due_on - datetime.timedelta(days=rng.randint(-5, 8)))
        plans.append(
            RecoveryPlan(
                participant_id=e.participant_id,
                enrollment=e,
                strengths="Débrouillardise, humour",
                aspirations="Garder mon logement",
                due_on=due_on,
                first_completed_on=completed,
                next_review_on=(completed + relativedelta(months=12)) if completed else None,
                updated_by=e.primary_worker,
            )
        )
        assignments.append(
            Assignment(
                enrollment=e,
                worker=e.primary_worker,
                starts_on=e.enrolled_on,
                assigned_by=e.primary_worker,
                reason="Premier jumelage",
            )
        )
    RecoveryPlan.objects.bulk_create(plans, batch_size=2000)
    Assignment.objects.bulk_create(assignments, batch_size=2000)


def _contact_rows(participants, enrolled: dict[int, Enrollment], workers, per_participant, rng):
    """(participant, enrollment, organisation, epoch seconds, minutes, kind, present, recorded_by) tuples."""
    now = clock.now().timestamp()
    for pid, org_id in participants:
        enrollment = enrolled.get(pid)
        worker_ids = workers[org_id]
        start = 0.0
        count = int(rng.random() * (2 * per_participant + 1))
        stamps = [now - 3600 - int(rng.random() * TWO_YEARS) for _n in range(count)]
        if enrollment is not None:
            # The team's weekly visits since enrollment, except for those not seen lately.
            start = datetime.datetime.combine(enrollment.enrolled_on, datetime.time(9)).timestamp()
            quiet_until = now - (rng.randint(8, 20) * 86400 if rng.random() < 0.3 else 0)
            t = start
            while t < quiet_until:
                stamps.append(t + rng.randint(0, 5 * 86400))
                if rng.random() < 0.5:
                    stamps.append(t + rng.randint(0, 6 * 86400))
                t += 7 * 86400
            stamps = [s for s in stamps if s < quiet_until]
        for stamp in stamps:
            kind = _kind(rng)
            yield (
                pid,
                enrollment.pk if enrollment is not None and stamp >= start else None,
                org_id,
                stamp,
                5 * (3 + int(rng.random() * 22)),
                kind,
                rng.random() < (0.7 if kind == ContactKind.PHONE else 0.96),
                enrollment.primary_worker_id if enrollment is not None else rng.choice(worker_ids),
            )


def _copy_contacts(rows) -> int:
    """COPY the rows into casework_contact (PostgreSQL), in chunks; returns how many."""
    columns = (
        "participant_id, enrollment_id, organisation_id, occurred_at, duration_minutes, kind, "
        "participant_present, shared_note, private_note, recorded_by_id, recorded_at"
    )
    total = 0
    utc = datetime.UTC
    days: dict[int, str] = {}

    def moment(stamp: float) -> str:
        """ISO timestamp in UTC, the date part computed once a day (5 million datetimes cost minutes)."""
        seconds = int(stamp)
        day, rest = divmod(seconds, 86400)
        text = days.get(day)
        if text is None:
            text = days[day] = datetime.datetime.fromtimestamp(day * 86400, utc).strftime("%Y-%m-%d")
        hours, rest = divmod(rest, 3600)
        return f"{text} {hours:02d}:{rest // 60:02d}:{rest % 60:02d}+00"

    with connection.cursor() as cursor:
        raw = cursor.cursor
        buffer = io.StringIO()
        pending = 0

        def flush() -> None:
            nonlocal buffer, pending
            if pending:
                with raw.copy(f"COPY casework_contact ({columns}) FROM STDIN") as copy:
                    copy.write(buffer.getvalue())
            buffer = io.StringIO()
            pending = 0

        for pid, eid, org_id, stamp, minutes, kind, present, recorded_by in rows:
            at = moment(stamp)
            buffer.write(
                f"{pid}\t{eid if eid is not None else chr(92) + 'N'}\t{org_id}\t{at}\t{minutes}\t{kind}\t"
                f"{'t' if present else 'f'}\t\t\t{recorded_by}\t{at}\n"
            )
            pending += 1
            total += 1
            if pending >= COPY_CHUNK:
                flush()
        flush()
    return total


def _bulk_contacts(rows, batch: int) -> int:
    total = 0
    chunk: list[Contact] = []
    utc = datetime.UTC
    for pid, eid, org_id, stamp, minutes, kind, present, recorded_by in rows:
        at = datetime.datetime.fromtimestamp(stamp, utc)
        chunk.append(
            Contact(
                participant_id=pid,
                enrollment_id=eid,
                organisation_id=org_id,
                occurred_at=at,
                duration_minutes=minutes,
                kind=kind,
                participant_present=present,
                recorded_by_id=recorded_by,
                recorded_at=at,
            )
        )
        if len(chunk) >= batch:
            Contact.objects.bulk_create(chunk)
            total += len(chunk)
            chunk = []
    Contact.objects.bulk_create(chunk)
    return total + len(chunk)


def _risk_and_incidents(enrollments, participants, workers, rng) -> tuple[int, int, int]:
    today = clock.today()
    now = clock.now()
    risks, incidents, visits = [], [], []
    for e in enrollments:
        org_id = e.team.organisation_id
        if rng.random() < 0.1:
            risks.append(
                RiskAssessment(
                    participant_id=e.participant_id,
                    organisation_id=org_id,
                    assessed_on=today - datetime.timedelta(days=rng.randint(0, 200)),
                    level=rng.choice([1, 1, 2, 2, 3]),
                    rating=rng.choice(["low", "moderate", "high"]),
                    description="Agressivité verbale lors d'une visite",
                    paired_visits=rng.random() < 0.5,
                    recorded_by_id=e.primary_worker_id,
                )
            )
        if rng.random() < 0.04:
            incidents.append(
                Incident(
                    participant_id=e.participant_id,
                    organisation_id=org_id,
                    kind=rng.choice(OVERNIGHT_KINDS),
                    occurred_at=now - datetime.timedelta(minutes=rng.randint(30, 600)),
                    description="Signalé pendant la nuit",
                    recorded_by_id=e.primary_worker_id,
                )
            )
        if rng.random() < 0.02:
            start = now - datetime.timedelta(minutes=rng.randint(5, 60))
            visits.append(
                FieldVisit(
                    participant_id=e.participant_id,
                    organisation_id=org_id,
                    worker_id=e.primary_worker_id,
                    location="Au logement",
                    planned_start=start,
                    planned_end=start + datetime.timedelta(hours=1),
                    started_at=start,
                    status=FieldVisit.Status.STARTED,
                    created_by_id=e.primary_worker_id,
                )
            )
    for pid, org_id in participants:
        if rng.random() < 0.01:
            incidents.append(
                Incident(
                    participant_id=pid,
                    organisation_id=org_id,
                    kind=rng.choice(Incident.Kind.values),
                    occurred_at=now - datetime.timedelta(seconds=rng.randint(86400, TWO_YEARS)),
                    description="Incident passé",
                    recorded_by_id=rng.choice(workers[org_id]),
                )
            )
    RiskAssessment.objects.bulk_create(risks, batch_size=5000)
    Incident.objects.bulk_create(incidents, batch_size=5000)
    FieldVisit.objects.bulk_create(visits, batch_size=5000)
    return len(risks), len(incidents), len(visits)


def build_casework_scale(
    *,
    after_pk: int = 0,
    per_worker: int = PER_WORKER,
    contacts_per_participant: int = CONTACTS_PER_PARTICIPANT,
    batch: int = 5000,
    seed: int = 2026,
    progress: Callable[[str], None] | None = None,
) -> dict[str, int]:
    """Casework for the scale participants with a pk above `after_pk` (those the current run added)."""
    from ancrage.demo.scale import scale_structure

    rng = random.Random(seed + after_pk)
    structure = scale_structure()
    with transaction.atomic():
        teams = casework_structure(structure)
        enrollments = _enroll(structure, teams, rng, after_pk, per_worker)
        _plans_and_assignments(enrollments, rng)
    org_ids = {structure.orgs[s].pk for s in teams}
    workers = {
        org.pk: [w.pk for w in structure.case_managers[short]]
        for short, org in structure.orgs.items()
        if short in teams
    }
    participants = list(
        Participant.objects.filter(pk__gt=after_pk, organisation_id__in=org_ids)
        .order_by("pk")
        .values_list("pk", "organisation_id")
    )
    enrolled = {e.participant_id: e for e in enrollments}
    rows = _contact_rows(participants, enrolled, workers, contacts_per_participant, rng)
    with transaction.atomic():
        contacts = _copy_contacts(rows) if connection.vendor == "postgresql" else _bulk_contacts(rows, batch)
    if progress:
        progress(f"{contacts} contacts")
    with transaction.atomic():
        risks, incidents, visits = _risk_and_incidents(enrollments, participants, workers, rng)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return {
        "enrollments": len(enrollments),
        "contacts": contacts,
        "risk plans": risks,
        "incidents": incidents,
        "visits under way": visits,
    }
