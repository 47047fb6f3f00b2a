"""Stage 1 of the load: each loaded file's rows checked value by value and streamed into its staging table
(COPY on PostgreSQL, batched inserts on SQLite); every problem found becomes a report row."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection

from ancrage.interop.hmis import reader
from ancrage.interop.hmis.code_columns import CODE_COLUMNS
from ancrage.interop.hmis.columns import Kind
from ancrage.interop.hmis.reader import ERROR, WARNING, Problem
from ancrage.interop.models import (
    StagedClient,
    StagedEnrollment,
    StagedExit,
    StagedOrganization,
    StagedProject,
)
from ancrage.people.models import DobQuality, Gender, IndigenousIdentity

BATCH = 5000
ID_LIMIT = 60


class Reporter:
    """Collects problems, keeping at most HMIS_IMPORT_MAX_PROBLEMS per file and code (the rest counted)."""

    FLUSH = 1000

    def __init__(self, sink: Callable[[list[Problem]], None]):
        self.sink = sink
        self.pending: list[Problem] = []
        self.counts: dict[tuple[str, str, str], int] = {}
        self.limit = settings.HMIS_IMPORT_MAX_PROBLEMS
        self.holding = False

    def add(self, problem: Problem) -> None:
        key = (problem.file, problem.code, problem.severity)
        seen = self.counts.get(key, 0) + 1
        self.counts[key] = seen
        if seen <= self.limit:
            self.pending.append(problem)
            if self.full and not self.holding:
                self.flush()

    @property
    def full(self) -> bool:
        """A write's worth of problems waits."""
        return len(self.pending) >= self.FLUSH

    @contextmanager
    def held(self) -> Iterator[None]:
        """Problems kept, not written, while a COPY runs on the connection (nothing may interrupt it): the
        batch being copied ends once the reporter is `full` (`batch_of`), then the caller flushes."""
        self.holding = True
        try:
            yield
        finally:
            self.holding = False

    def flush(self) -> None:
        if self.pending:
            self.sink(self.pending)
            self.pending = []

    def close(self) -> None:
        for (file, _code, severity), seen in self.counts.items():
            if seen > self.limit:
                self.pending.append(
                    Problem(severity, "more_not_listed", file=file, params={"count": seen - self.limit})
                )
        self.flush()

    @property
    def errors(self) -> int:
        return sum(n for (_f, _c, severity), n in self.counts.items() if severity == ERROR)


# What check_rest does with a column: read it as a date, check it against its code list, or only see
# that it is not empty.
_DATE, _CODE, _PRESENT = "date", "code", "present"
# Past this many distinct values, a file's memory of the dates and codes it has judged starts over.
_MEMORY = 20_000


class Layout:
    """What checking the rows of one file needs, worked out once for the file rather than for each row:
    where each column is, which checks the columns a converter leaves to `check_rest` take (in the
    specification's order), and the dates and codes already judged (a value's verdict never changes
    within a file: `today` is fixed for the stage)."""

    def __init__(self, info: reader.FileInfo, done: Iterable[str], today: datetime.date):
        self.file = info.name
        self.problem_file = f"{info.name}.csv"
        self.positions = info.positions
        self.codes = CODE_COLUMNS.get(info.name, {})
        self.today = today
        done = set(done)
        rest: list[tuple[str, int, str, bool]] = []
        for column in reader.columns_of(info.name).values():
            position = self.positions.get(column.name)
            if column.name in done or position is None:
                continue
            required = not column.nullable and column.name != "CSVVersion"
            if column.kind in (Kind.DATE, Kind.DATETIME):
                rest.append((column.name, position, _DATE, required))
            elif column.name in self.codes:
                rest.append((column.name, position, _CODE, required))
            elif required:
                rest.append((column.name, position, _PRESENT, required))
        self.rest = tuple(rest)
        self.dates: dict[str, tuple[datetime.date | None, str]] = {}
        self.numbers: dict[tuple[str, str], tuple[int | None, str]] = {}

    def judge_date(self, value: str) -> tuple[datetime.date | None, str]:
        """(the date, "") or (None, the problem's code) for a non-empty value."""
        verdict = self.dates.get(value)
        if verdict is None:
            parsed = reader.parse_date(value)
            if parsed is None:
                verdict = (None, "date_unreadable")
            elif parsed > self.today:
                verdict = (None, "date_future")
            elif parsed < reader.EARLIEST:
                verdict = (None, "date_too_old")
            else:
                verdict = (parsed, "")
            if len(self.dates) >= _MEMORY:
                self.dates.clear()
            self.dates[value] = verdict
        return verdict

    def judge_code(self, column: str, value: str) -> tuple[int | None, str]:
        """(the number, "") or (None, the problem's code) for a non-empty value of `column`."""
        key = (column, value)
        verdict = self.numbers.get(key)
        if verdict is None:
            number = reader.parse_int(value)
            code_list = self.codes.get(column)
            if number is None:
                verdict = (None, "number_unreadable")
            elif code_list is not None and number not in code_list.values:
                verdict = (None, "code_unknown")
            else:
                verdict = (number, "")
            if len(self.numbers) >= _MEMORY:
                self.numbers.clear()
            self.numbers[key] = verdict
        return verdict


class RowCheck:
    """Checks one row of one file, value by value, against FY2026 (values are read stripped; a column the
    file lacks, or a short row, reads as empty)."""

    __slots__ = ("failed", "layout", "line", "report", "row", "today")

    def __init__(self, layout: Layout, line: int, row: list[str], report: Reporter):
        self.layout = layout
        self.line = line
        self.row = row
        self.report = report
        self.today = layout.today
        self.failed = False

    @property
    def file(self) -> str:
        return self.layout.file

    def value(self, column: str) -> str:
        position = self.layout.positions.get(column)
        if position is None or position >= len(self.row):
            return ""
        return self.row[position].strip()

    def _problem(self, severity: str, code: str, column: str, value: str = "", **params) -> None:
        self.report.add(
            Problem(
                severity,
                code,
                file=self.layout.problem_file,
                row=self.line,
                column=column,
                value=value[:200],
                params=params,
            )
        )
        if severity == ERROR:
            self.failed = True

    def key(self, column: str) -> str:
        value = self.value(column)
        if not value:
            self._problem(ERROR, "required_empty", column)
        elif len(value) > ID_LIMIT:
            self._problem(ERROR, "id_too_long", column, value, limit=ID_LIMIT)
        return value

    def text(self, column: str, limit: int) -> str:
        value = self.value(column)
        if len(value) > limit:
            self._problem(WARNING, "value_too_long", column, value, limit=limit)
            value = value[:limit]
        return value

    def date(self, column: str, *, required: bool = False) -> datetime.date | None:
        return self._date(column, self.value(column), required)

    def _date(self, column: str, value: str, required: bool = False) -> datetime.date | None:
        if not value:
            if required:
                self._problem(ERROR, "required_empty", column)
            return None
        parsed, problem = self.layout.judge_date(value)
        if problem:
            self._problem(ERROR if required else WARNING, problem, column, value)
        return parsed

    def code(self, column: str) -> int | None:
        return self._code(column, self.value(column))

    def _code(self, column: str, value: str) -> int | None:
        if not value:
            return None
        number, problem = self.layout.judge_code(column, value)
        if problem == "code_unknown":
            code_list = self.layout.codes[column]
            self._problem(WARNING, problem, column, value, list=code_list.name, element=code_list.element)
        elif problem:
            self._problem(WARNING, problem, column, value)
        return number

    def check_rest(self) -> None:
        """The columns the file's converter did not read: dates readable, codes in their lists, required
        values present."""
        row = self.row
        width = len(row)
        for name, position, check, required in self.layout.rest:
            value = row[position].strip() if position < width else ""
            if not value:
                if required:
                    self._problem(WARNING, "required_empty", name)
            elif check is _DATE:
                self._date(name, value)
            elif check is _CODE:
                self._code(name, value)


_DOB_QUALITY = {
    1: DobQuality.EXACT,
    2: DobQuality.APPROXIMATE,
    8: DobQuality.DOESNT_KNOW,
    9: DobQuality.REFUSED,
}
_MISSING = {8: "doesnt_know", 9: "refused", 99: "not_collected"}
_RACES = ("Asian", "BlackAfAmerican", "HispanicLatinao", "MidEastNAfrican", "NativeHIPacific", "White")


def _client(check: RowCheck) -> tuple | None:
    personal_id = check.key("PersonalID")
    first = check.text("FirstName", 100)
    last = check.text("LastName", 100)
    name_quality = check.code("NameDataQuality")
    dob = check.date("DOB")
    dob_code = check.code("DOBDataQuality")
    sex = check.code("Sex")
    am_ind = check.code("AmIndAKNative")
    race_none = check.code("RaceNone")
    others = [check.code(column) for column in _RACES]
    check.check_rest()
    if check.failed:
        return None
    if not first and not last:
        check._problem(WARNING, "name_missing", "FirstName")
    del name_quality
    # The registry's rule: a date of birth is exact or approximate; none is "doesn't know / refused / not
    # collected". A date over 120 years old is not a date of birth the registry takes.
    if dob and dob < check.today - datetime.timedelta(days=365 * 120):
        check._problem(WARNING, "date_too_old", "DOB", dob.isoformat())
        dob = None
    if dob:
        quality = DobQuality.APPROXIMATE if dob_code == 2 else DobQuality.EXACT
    else:
        quality = _DOB_QUALITY.get(dob_code or 99, DobQuality.NOT_COLLECTED)
        if quality in (DobQuality.EXACT, DobQuality.APPROXIMATE):
            quality = DobQuality.NOT_COLLECTED
    # FY2026 records sex (4.21), not gender identity: only its missing-data answers say something of gender.
    gender = _MISSING.get(sex or 99, Gender.NOT_COLLECTED) if sex not in (0, 1) else Gender.NOT_COLLECTED
    # AmIndAKNative says Indigenous without saying First Nations, Métis or Inuit: only "not Indigenous" (another
    # race given, AmIndAKNative 0) and the missing-data answers map to Ancrage's self-identification.
    indigenous: str
    if am_ind == 0 and any(value == 1 for value in others):
        indigenous = IndigenousIdentity.NOT_INDIGENOUS
    elif am_ind == 1:
        indigenous = IndigenousIdentity.NOT_COLLECTED
    else:
        indigenous = _MISSING.get(race_none or 99, IndigenousIdentity.NOT_COLLECTED)
    return (personal_id, first or "?", last or "?", dob, str(quality), str(gender), str(indigenous))


def _project(check: RowCheck) -> tuple | None:
    project_id = check.key("ProjectID")
    organization_id = check.key("OrganizationID")
    name = check.text("ProjectName", 200)
    project_type = check.code("ProjectType")
    check.check_rest()
    if check.failed:
        return None
    return (project_id, organization_id, name or project_id, project_type)


def _organization(check: RowCheck) -> tuple | None:
    organization_id = check.key("OrganizationID")
    name = check.text("OrganizationName", 200)
    check.check_rest()
    if check.failed:
        return None
    return (organization_id, name or organization_id)


def _enrollment(check: RowCheck) -> tuple | None:
    enrollment_id = check.key("EnrollmentID")
    personal_id = check.key("PersonalID")
    project_id = check.key("ProjectID")
    entry = check.date("EntryDate", required=True)
    move_in = check.date("MoveInDate")
    relationship = check.code("RelationshipToHoH")
    living = check.code("LivingSituation")
    check.check_rest()
    if check.failed or entry is None:
        return None
    return (enrollment_id, personal_id, project_id, entry, move_in, relationship, living)


def _exit(check: RowCheck) -> tuple | None:
    exit_id = check.key("ExitID")
    enrollment_id = check.key("EnrollmentID")
    personal_id = check.key("PersonalID")
    exit_date = check.date("ExitDate", required=True)
    destination = check.code("Destination")
    check.check_rest()
    if check.failed or exit_date is None:
        return None
    return (exit_id, enrollment_id, personal_id, exit_date, destination)


def _export(check: RowCheck) -> tuple | None:
    check.check_rest()
    return None


@dataclass(frozen=True)
class Target:
    model: type
    fields: tuple[str, ...]
    convert: Callable[[RowCheck], tuple | None]
    # The columns `convert` reads itself: `check_rest` checks the others.
    done: tuple[str, ...] = ()


TARGETS: dict[str, Target] = {
    "Export": Target(StagedProject, (), _export),
    "Organization": Target(
        StagedOrganization,
        ("organization_id", "name"),
        _organization,
        ("OrganizationID", "OrganizationName"),
    ),
    "Project": Target(
        StagedProject,
        ("project_id", "organization_id", "name", "project_type"),
        _project,
        ("ProjectID", "OrganizationID", "ProjectName", "ProjectType"),
    ),
    "Client": Target(
        StagedClient,
        (
            "personal_id",
            "first_name",
            "last_name",
            "date_of_birth",
            "dob_quality",
            "gender",
            "indigenous_identity",
        ),
        _client,
        (
            "PersonalID",
            "FirstName",
            "LastName",
            "NameDataQuality",
            "DOB",
            "DOBDataQuality",
            "Sex",
            "AmIndAKNative",
            "RaceNone",
            *_RACES,
        ),
    ),
    "Enrollment": Target(
        StagedEnrollment,
        (
            "enrollment_id",
            "personal_id",
            "project_id",
            "entry_date",
            "move_in_date",
            "relationship_to_hoh",
            "living_situation",
        ),
        _enrollment,
        (
            "EnrollmentID",
            "PersonalID",
            "ProjectID",
            "EntryDate",
            "MoveInDate",
            "RelationshipToHoH",
            "LivingSituation",
        ),
    ),
    "Exit": Target(
        StagedExit,
        ("exit_id", "enrollment_id", "personal_id", "exit_date", "destination"),
        _exit,
        ("ExitID", "EnrollmentID", "PersonalID", "ExitDate", "Destination"),
    ),
}


def checked_rows(
    archive, info: reader.FileInfo, report: Reporter, today: datetime.date
) -> Iterator[tuple[int, tuple]]:
    """(line, staged values) of each sound row of one file; the problems go to `report`."""
    target = TARGETS[info.name]
    layout = Layout(info, target.done, today)
    file = layout.problem_file
    deleted = info.positions.get("DateDeleted")
    for line, row in reader.raw_rows(archive, info):
        if row is None:
            report.add(Problem(ERROR, "csv_unreadable", file=file, row=line))
            continue
        if deleted is not None and deleted < len(row) and row[deleted].strip():
            report.add(Problem(WARNING, "deleted_in_source", file=file, row=line, column="DateDeleted"))
            continue
        staged = target.convert(RowCheck(layout, line, row, report))
        if staged is not None:
            yield line, staged


def batch_of(first: tuple, rows: Iterator[tuple], report: Reporter, size: int = BATCH) -> Iterator[tuple]:
    """`first`, then the rows that follow it, `size` in all at most: checked as the batch is copied, so the
    database writes the rows already sent while the next ones are read. Ends early once `report` holds a
    write's worth of problems (held during the COPY, written after it)."""
    yield first
    count = 1
    while count < size and not report.full:
        row = next(rows, None)
        if row is None:
            return
        yield row
        count += 1


def insert_rows(model: Any, fields: tuple[str, ...], rows: Iterable[tuple]) -> None:
    """Write staged rows: COPY on PostgreSQL, one executemany per batch elsewhere."""
    table = model._meta.db_table
    columns = ("hmis_import_id", "line", *fields)
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {connection.ops.quote_name(table)} ({quoted}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        placeholders = ", ".join(["%s"] * len(columns))
        # Table and column names come from the models, never from the file.
        sql = f"INSERT INTO {connection.ops.quote_name(table)} ({quoted}) VALUES ({placeholders})"  # noqa: S608
        cursor.executemany(sql, list(rows))
