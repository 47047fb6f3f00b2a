"""Making an HMIS CSV export: check the question, audit it, and hand back the zip as a stream.

Nothing is kept: the zip is built while it is sent. The audit is written before the first byte: the
export's own entry (who, which period and programs, hashed or not, how many people and enrollments) and one
read entry per person exported, all of them in one INSERT … SELECT statement, so neither the time nor the
memory it takes grows with the number of people.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.db import connections, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from ancrage.core import audit, clock
from ancrage.core.api_types import DATE_MAX, DATE_MIN
from ancrage.core.models import AuditEntry
from ancrage.interop.hmis.columns import FILES
from ancrage.interop.hmis.export.files import FILE_ROWS
from ancrage.interop.hmis.export.selectors import ExportScope, programs_exportable
from ancrage.interop.hmis.export.writer import zip_stream

EXPORTED = "interop.hmis_export.created"
CLIENT_EXPORTED = "interop.hmis_client.exported"
# The order of the files in the zip: the export's description first, then the projects, then the people.
FILE_ORDER: tuple[str, ...] = (
    "Export",
    "Organization",
    "User",
    "Project",
    "Funder",
    "ProjectCoC",
    "Inventory",
    "Affiliation",
    "HMISParticipation",
    "CEParticipation",
    "Client",
    "Enrollment",
    "Exit",
    "IncomeBenefits",
    "HealthAndDV",
    "Disabilities",
    "EmploymentEducation",
    "YouthEducationStatus",
    "Services",
    "CurrentLivingSituation",
    "Assessment",
    "AssessmentQuestions",
    "AssessmentResults",
    "Event",
)
assert set(FILE_ORDER) == set(FILES) == set(FILE_ROWS)

# The dates an export may cover, as everywhere in the application (outside them: a typing mistake).
EARLIEST, LATEST = DATE_MIN, DATE_MAX


class ExportRefusedError(ValueError):
    """The question cannot be answered as asked; the message says why, in the reader's language."""


@dataclass(frozen=True)
class ExportStream:
    scope: ExportScope
    filename: str
    people: int
    enrollments: int

    def chunks(self) -> Iterator[bytes]:
        return zip_stream((name, FILE_ROWS[name](self.scope)) for name in FILE_ORDER)


def _export_id(actor, at: datetime.datetime) -> str:
    # At most 32 characters (the column's width in the specification).
    return f"{at:%Y%m%d%H%M%S}{at.microsecond:06d}U{actor.pk}"[:32]


def check_question(actor, start, end, program_ids: Iterable[int]) -> tuple[int, ...]:
    """The chosen programs, if the question can be answered; ExportRefusedError otherwise."""
    if start is None or end is None:
        raise ExportRefusedError(_("Give the first and the last day of the period."))
    if end < start:
        raise ExportRefusedError(_("The end date comes before the start date."))
    if start < EARLIEST or end > LATEST:
        raise ExportRefusedError(
            _("The period must fall between %(first)s and %(last)s.")
            % {"first": EARLIEST.isoformat(), "last": LATEST.isoformat()}
        )
    wanted = sorted({int(pk) for pk in program_ids})
    if not wanted:
        raise ExportRefusedError(_("Choose at least one program."))
    allowed = set(programs_exportable(actor).filter(pk__in=wanted).values_list("pk", flat=True))
    if set(wanted) - allowed:
        # Another consortium's program is treated like one that does not exist.
        raise ExportRefusedError(_("One of the chosen programs does not exist or is not yours to export."))
    return tuple(wanted)


def hmis_export(
    *, actor, start: datetime.date, end: datetime.date, program_ids: Iterable[int], hashed: bool = False
) -> ExportStream:
    """Audit an export of the chosen programs' enrollments active from `start` to `end` (the people the
    actor may see) and return its stream. Raises ExportRefusedError for a question that cannot be answered."""
    programs = check_question(actor, start, end, program_ids)
    at = clock.now()
    scope = ExportScope(
        user=actor,
        start=start,
        end=end,
        program_ids=programs,
        hashed=hashed,
        at=at,
        export_id=_export_id(actor, at),
    )
    with transaction.atomic():
        people = scope.participants().count()
        enrollments = scope.enrollments().count()
        audit.record(
            actor=actor,
            action=EXPORTED,
            data={
                "format": "hmis_csv",
                "rows": people,
                "filters": {
                    "since": start.isoformat(),
                    "until": end.isoformat(),
                    "programs": ", ".join(str(pk) for pk in programs),
                    "hashed": hashed,
                },
                "enrollments": enrollments,
                "export_id": scope.export_id,
            },
        )
        record_exported_reads(scope)
    filename = f"hmis-csv-fy2026-{start.isoformat()}-{end.isoformat()}"
    return ExportStream(scope=scope, filename=filename, people=people, enrollments=enrollments)


def record_exported_reads(scope: ExportScope) -> int:
    """One read entry per person exported, written by the database from the export's own query in one
    statement (as the by-name export does, but without holding the people in memory)."""
    people = scope.participants().order_by().annotate(exported_id=F("pk")).values("exported_id")
    connection = connections[people.db]
    inner, params = people.query.sql_with_params()
    actor = scope.user
    membership = actor.primary_membership
    organisation_id = membership.organisation_id if membership else None
    data = json.dumps({"format": "hmis_csv", "export_id": scope.export_id})
    q = connection.ops.quote_name
    columns = ", ".join(
        q(c)
        for c in (
            "at",
            "actor_id",
            "organisation_id",
            "action",
            "object_type",
            "object_id",
            "participant_id",
            "is_read",
            "data",
        )
    )
    data_sql = "CAST(%s AS jsonb)" if connection.vendor == "postgresql" else "%s"
    exported_id = f"exported.{q('exported_id')}"
    # Only quoted names and Django's own compiled query go into the text; every value is a parameter.
    sql = (
        f"INSERT INTO {q(AuditEntry._meta.db_table)} ({columns}) "  # noqa: S608
        f"SELECT %s, %s, %s, %s, %s, CAST({exported_id} AS VARCHAR(64)), {exported_id}, %s, {data_sql} "
        f"FROM ({inner}) exported"
    )
    values = [
        connection.ops.adapt_datetimefield_value(scope.at),
        actor.pk,
        organisation_id,
        CLIENT_EXPORTED,
        "people.participant",
        True,
        data,
        *params,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        return cursor.rowcount
