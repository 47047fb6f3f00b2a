"""Timing the HMIS CSV export on an existing database, and its peak memory (the lead wires it into `make bench`).

`bench_export()` exports everything one user may export (by default the user with the permission who
sees the most people) over a wide period, reading the zip as a client would and throwing it away, and
returns rows of (label, value, goal, met?). Memory is Python's own peak during the export (tracemalloc):
it must stay flat whatever the size, since the zip is streamed and the rows are read in chunks.
`seed_export_data()` fills an empty database with people and enrollments to measure at a chosen size.
"""

from __future__ import annotations

import datetime
import time
import tracemalloc
from dataclasses import dataclass

from django.db.models import Count

from ancrage.core import clock

# Goals: the export's peak memory stays under this many megabytes at any size, and it writes at least this
# many enrollments a second (100,000 people and 150,000 enrollments in under a minute and a quarter).
MEMORY_GOAL_MB = 64.0
ENROLLMENTS_PER_SECOND_GOAL = 2000.0


@dataclass(frozen=True)
class Row:
    label: str
    value: float
    goal: str
    met: bool

    def as_tuple(self) -> tuple[str, float, str, bool]:
        return (self.label, self.value, self.goal, self.met)


def _exporter():
    """The user with the export permission whose organisations hold the most participants."""
    from ancrage.accounts.models import Membership
    from ancrage.core.permissions import ROLE_PERMISSIONS

    roles = [role for role, perms in ROLE_PERMISSIONS.items() if "interop.export_hmis" in perms]
    membership = (
        Membership.objects.filter(role__in=roles, is_active=True, user__is_active=True)
        .annotate(people=Count("organisation__participants"))
        .order_by("-people", "pk")
        .select_related("user")
        .first()
    )
    if membership is None:
        raise RuntimeError("No user may export HMIS CSV files in this database.")
    return membership.user


def bench_export(
    user=None,
    *,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    hashed: bool = False,
) -> list[tuple[str, float, str, bool]]:
    """Export as `user` (the widest exporter by default) the enrollments active from `start` (20 years ago)
    to `end` (today), reading the whole zip, twice (timed, then under tracemalloc); (label, value, goal,
    met?) rows. Each run writes its audit entries, as a real export does."""
    from ancrage.interop.hmis.export import selectors, services

    user = user or _exporter()
    end = end or clock.today()
    start = start or end - datetime.timedelta(days=365 * 20)
    programs = list(selectors.programs_exportable(user).values_list("pk", flat=True))

    def run() -> tuple[services.ExportStream, int]:
        stream = services.hmis_export(actor=user, start=start, end=end, program_ids=programs, hashed=hashed)
        return stream, sum(len(chunk) for chunk in stream.chunks())

    # Timed on its own (tracemalloc slows Python down several times), then run again to measure memory.
    began = time.perf_counter()
    stream, size = run()
    seconds = time.perf_counter() - began
    tracemalloc.start()
    try:
        run()
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    peak_mb = peak / 1024 / 1024
    per_second = stream.enrollments / seconds if seconds else 0.0
    rows = [
        Row("HMIS export: clients", stream.people, "—", True),
        Row("HMIS export: enrollments", stream.enrollments, "—", True),
        Row("HMIS export: seconds", round(seconds, 2), "—", True),
        Row("HMIS export: zip size (MB)", round(size / 1024 / 1024, 2), "—", True),
        Row(
            "HMIS export: enrollments per second",
            round(per_second, 1),
            f">= {ENROLLMENTS_PER_SECOND_GOAL:.0f}",
            per_second >= ENROLLMENTS_PER_SECOND_GOAL,
        ),
        Row(
            "HMIS export: peak memory (MB)",
            round(peak_mb, 2),
            f"< {MEMORY_GOAL_MB:.0f}",
            peak_mb < MEMORY_GOAL_MB,
        ),
    ]
    return [row.as_tuple() for row in rows]


def bench_export_seeded(clients: int, enrollments: int) -> list[tuple[str, float, str, bool]]:
    """`bench_export` of `clients` people and `enrollments` enrollments added to this database for the run (the
    scale data's case management holds a few hundred enrollments, too few to say anything of the rate)."""
    return bench_export(seed_export_data(clients, enrollments))


def seed_export_data(clients: int, enrollments: int, *, batch: int = 5000):
    """`clients` participants of one organisation and `enrollments` enrollments in its program (one each, then
    a second for some, exited), and a data coordinator to export them: bulk inserts, for a bench database."""
    from ancrage.accounts.models import Membership, User
    from ancrage.casework.models import Enrollment, Exit
    from ancrage.core.permissions import Role
    from ancrage.organisations.models import Consortium, Organisation, Program
    from ancrage.people.models import Participant

    today = clock.today()
    consortium = Consortium.objects.create(name=f"Banc d'essai HMIS {clock.now():%H%M%S%f}")
    organisation = Organisation.objects.create(consortium=consortium, name="Mission banc", short_name="MBE")
    program = Program.objects.create(organisation=organisation, kind=Program.Kind.ICM, name="SIV banc")
    coordinator = User.objects.create(
        username=f"hmis_bench_{organisation.pk}", first_name="Banc", last_name="Essai"
    )
    Membership.objects.create(user=coordinator, organisation=organisation, role=Role.DATA_COORDINATOR)
    people: list[Participant] = []
    for n in range(clients):
        people.append(
            Participant(
                organisation=organisation,
                community_id=f"HB{organisation.pk}-{n}",
                legal_first_name=f"Prénom{n}",
                legal_last_name=f"Nom{n % 997}",
                date_of_birth=datetime.date(1950 + n % 50, 1 + n % 12, 1 + n % 28),
                dob_quality="exact",
            )
        )
        if len(people) >= batch:
            Participant.objects.bulk_create(people)
            people = []
    if people:
        Participant.objects.bulk_create(people)
    ids = list(
        Participant.objects.filter(organisation=organisation).order_by("pk").values_list("pk", flat=True)
    )
    rows: list[Enrollment] = []
    exited: list[Enrollment] = []
    for n in range(enrollments):
        pk = ids[n % len(ids)]
        earlier = n >= len(ids)
        rows.append(
            Enrollment(
                participant_id=pk,
                program=program,
                enrolled_on=today - datetime.timedelta(days=900 if earlier else 300),
                status=Enrollment.Status.EXITED if earlier else Enrollment.Status.ACTIVE,
                exited_on=today - datetime.timedelta(days=400) if earlier else None,
            )
        )
        if len(rows) >= batch:
            created = Enrollment.objects.bulk_create(rows)
            exited += [e for e in created if e.exited_on]
            rows = []
    if rows:
        exited += [e for e in Enrollment.objects.bulk_create(rows) if e.exited_on]
    exits = [
        Exit(
            enrollment_id=e.pk,
            participant_id=e.participant_id,
            kind=Exit.Kind.PLANNED,
            reason=Exit.Reason.GOALS_REACHED,
            exited_on=e.exited_on or today,
            destination=Exit.Destination.OWN_HOUSING,
            recorded_by=coordinator,
        )
        for e in exited
    ]
    Exit.objects.bulk_create(exits, batch_size=batch)
    _analyze()
    return coordinator


def _analyze() -> None:
    """Fresh planner statistics after bulk inserts, as autovacuum would give a live database: without them
    PostgreSQL plans for empty tables (a nested loop over 15,000 rows per row)."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
