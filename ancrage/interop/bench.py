"""The HMIS import's bench: generate an export of N clients and M enrollments, import it, and compare its speed
with a plain PostgreSQL COPY of the same files into bare tables (the goal: at least half of COPY's speed).

`bench_import` runs on the database Django is connected to (the caller points DATABASE_URL at
`database_url`); the plain COPY uses its own connection to `database_url`.
"""

from __future__ import annotations

import tempfile
import time
import zipfile
from pathlib import Path

from django.core.files import File
from django.db import connection

from ancrage.core import clock
from ancrage.interop.hmis.columns import FILES
from ancrage.interop.hmis.sample import write_large

BENCH_SOURCE = "Bench HMIS"


def _actor_and_organisation():
    from ancrage.accounts.models import Membership, User
    from ancrage.core.permissions import Role
    from ancrage.organisations.models import Consortium, Organisation

    consortium, _ = Consortium.objects.get_or_create(name="Bench HMIS", defaults={"short_name": "BH"})
    organisation, _ = Organisation.objects.get_or_create(
        consortium=consortium, short_name="BHI", defaults={"name": "Bench HMIS import", "kind": "mission"}
    )
    user, created = User.objects.get_or_create(username="bench.hmis", defaults={"first_name": "Bench"})
    if created:
        Membership.objects.create(user=user, organisation=organisation, role=Role.PROGRAM_MANAGER)
    return User.objects.get(pk=user.pk), organisation


def _plain_copy(database_url: str, path: Path) -> tuple[float, int]:
    """Seconds to COPY every CSV of the zip into bare text tables (no checks, no keys), and rows copied."""
    import dj_database_url
    import psycopg
    from psycopg import sql
    from psycopg.conninfo import make_conninfo

    config = dj_database_url.parse(database_url)
    params = {
        "host": config.get("HOST"),
        "port": config.get("PORT"),
        "user": config.get("USER"),
        "password": config.get("PASSWORD"),
        "dbname": config.get("NAME"),
    }
    conninfo = make_conninfo(**{k: str(v) for k, v in params.items() if v})
    rows = 0
    with psycopg.connect(conninfo) as conn, zipfile.ZipFile(path) as archive:
        began = time.perf_counter()
        for info in archive.infolist():
            name = info.filename.removesuffix(".csv")
            table = sql.Identifier(f"bench_copy_{name.lower()}")
            columns = sql.SQL(", ").join(
                sql.SQL("{} text").format(sql.Identifier(c.name)) for c in FILES[name]
            )
            conn.execute(sql.SQL("DROP TABLE IF EXISTS {}").format(table))
            conn.execute(sql.SQL("CREATE TABLE {} ({})").format(table, columns))
            with (
                conn.cursor() as cursor,
                cursor.copy(
                    sql.SQL("COPY {} FROM STDIN WITH (FORMAT csv, HEADER true)").format(table)
                ) as copy,
                archive.open(info) as member,
            ):
                while chunk := member.read(1 << 20):
                    copy.write(chunk)
            counted = conn.execute(sql.SQL("SELECT count(*) FROM {}").format(table)).fetchone()
            rows += counted[0] if counted else 0
        conn.commit()
        elapsed = time.perf_counter() - began
        for info in archive.infolist():
            table = sql.Identifier(f"bench_copy_{info.filename.removesuffix('.csv').lower()}")
            conn.execute(sql.SQL("DROP TABLE IF EXISTS {}").format(table))
        conn.commit()
    return elapsed, rows


def bench_import(
    database_url: str, clients: int = 100_000, enrollments: int = 150_000
) -> list[tuple[str, str, str, bool | None]]:
    """Rows of (label, value, goal, met?) for `make bench`."""
    from ancrage.interop.imports import services

    if connection.vendor != "postgresql":
        raise RuntimeError(
            "bench_import measures PostgreSQL's COPY: point DATABASE_URL at a PostgreSQL database."
        )
    actor, organisation = _actor_and_organisation()
    with tempfile.TemporaryDirectory() as folder:
        path = write_large(
            Path(folder) / "bench.zip", clients=clients, enrollments=enrollments, today=clock.today()
        )
        copy_seconds, rows = _plain_copy(database_url, path)
        began = time.perf_counter()
        with path.open("rb") as handle:
            hmis_import = services.import_receive(
                actor=actor,
                organisation=organisation,
                source=f"{BENCH_SOURCE} {time.time_ns()}",
                upload=File(handle, name="bench.zip"),
                original_name="bench.zip",
            )
        checked = time.perf_counter() - began
        services.import_run(hmis_import.pk)
        seconds = time.perf_counter() - began
        hmis_import.refresh_from_db()
    import_rate = rows / seconds
    copy_rate = rows / copy_seconds
    ratio = import_rate / copy_rate
    return [
        ("HMIS import: rows (all files)", f"{rows:,}", "", None),
        ("HMIS import: status", str(hmis_import.status), "done", hmis_import.status == "done"),
        ("HMIS import: structure check (s)", f"{checked:.1f}", "", None),
        ("HMIS import: whole import (s)", f"{seconds:.1f}", "", None),
        ("HMIS import: rows per second", f"{import_rate:,.0f}", "", None),
        ("Plain COPY of the same files (s)", f"{copy_seconds:.2f}", "", None),
        ("Plain COPY: rows per second", f"{copy_rate:,.0f}", "", None),
        ("HMIS import / COPY speed", f"{ratio:.3f}", "≥ 0.5", ratio >= 0.5),
        ("HMIS import: per stage", str(hmis_import.counts), "", None),
    ]
