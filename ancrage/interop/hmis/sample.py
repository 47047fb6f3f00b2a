"""Generated HMIS CSV FY2026 exports, for tests, the demo and the bench: N clients and M enrollments (valid
against the format), and the deliberate problems an importer must survive, one function each.

`SampleExport` holds small exports in memory (rows as dicts, easy to spoil); `write_large` streams a big one
straight into a zip, so a million rows never sit in memory.
"""

from __future__ import annotations

import datetime
import io
import random
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ancrage.core.exports import CsvRowWriter
from ancrage.interop.hmis.code_columns import CODE_COLUMNS
from ancrage.interop.hmis.columns import CSV_VERSION, FILES, Kind

FIRST = [
    "Marie",
    "Jean",
    "Sophie",
    "Luc",
    "Amélie",
    "Joseph",
    "Chloé",
    "Olivier",
    "Nadia",
    "Kevin",
    "Aisha",
    "Tom",
]
LAST = [
    "Tremblay",
    "Gagnon",
    "Roy",
    "Côté",
    "Bouchard",
    "Gauthier",
    "Morin",
    "Lavoie",
    "Fortin",
    "Smith",
    "Nguyen",
]
SAMPLE_FILES = ("Export", "Organization", "Project", "Client", "Enrollment", "Exit")


def _default(file: str, column: str, kind: Kind, stamp: str, day: str) -> str:
    code_list = CODE_COLUMNS.get(file, {}).get(column)
    if code_list is not None:
        return str(min(code_list.values))
    if kind == Kind.NUMBER:
        return "0"
    if kind == Kind.DATE:
        return day
    if kind == Kind.DATETIME:
        return stamp
    if column == "UserID":
        return "U1"
    if column == "ExportID":
        return "E1"
    return "X"


@dataclass
class SampleExport:
    """A small export: each file's header (spec order unless changed) and rows."""

    today: datetime.date
    headers: dict[str, list[str]] = field(default_factory=dict)
    rows: dict[str, list[dict[str, str]]] = field(default_factory=dict)
    encoding: str = "utf-8"
    bom: bool = False
    trailing_commas: bool = False
    blank_lines: bool = False
    extra_members: dict[str, bytes] = field(default_factory=dict)

    # -- writing ---------------------------------------------------------------------------------------------

    def csv_text(self, file: str) -> str:
        # Another system's file, cells as it wrote them (formulas and NUL bytes included).
        writer = CsvRowWriter(verbatim=True)
        out = io.StringIO()
        header = self.headers[file]
        out.write(writer.header([*header, ""] if self.trailing_commas else header))
        for index, row in enumerate(self.rows[file]):
            values = [row.get(column, "") for column in header]
            out.write(writer.row([*values, ""] if self.trailing_commas else values))
            if self.blank_lines and index % 3 == 0:
                out.write("\r\n" if index % 2 else " , , \r\n")
        return out.getvalue()

    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for file in self.headers:
                data = self.csv_text(file).encode(self.encoding)
                if self.bom:
                    data = b"\xef\xbb\xbf" + data
                archive.writestr(f"{file}.csv", data)
            for name, data in self.extra_members.items():
                archive.writestr(name, data)
        return buffer.getvalue()

    # -- problems, one each ----------------------------------------------------------------------------------

    def set(self, file: str, index: int, column: str, value: str) -> SampleExport:
        self.rows[file][index][column] = value
        return self

    def duplicate_row(self, file: str, index: int) -> SampleExport:
        self.rows[file].append(dict(self.rows[file][index]))
        return self

    def orphan_enrollment(self, personal_id: str = "NOBODY") -> SampleExport:
        row = dict(self.rows["Enrollment"][0])
        row.update(EnrollmentID="ORPHAN-1", PersonalID=personal_id)
        self.rows["Enrollment"].append(row)
        return self

    def drop_column(self, file: str, column: str) -> SampleExport:
        self.headers[file].remove(column)
        return self

    def add_column(self, file: str, column: str, value: str = "x") -> SampleExport:
        self.headers[file].append(column)
        for row in self.rows[file]:
            row[column] = value
        return self

    def shuffle_headers(self, seed: int = 3) -> SampleExport:
        for header in self.headers.values():
            random.Random(seed).shuffle(header)
        return self

    def header_case(self) -> SampleExport:
        for file, header in self.headers.items():
            mapping = {column: column.upper() if i % 2 else column.lower() for i, column in enumerate(header)}
            self.headers[file] = [mapping[c] for c in header]
            self.rows[file] = [{mapping.get(k, k): v for k, v in row.items()} for row in self.rows[file]]
        return self

    def csv_version(self, version: str | None) -> SampleExport:
        if version is None:
            self.drop_column("Export", "CSVVersion")
        else:
            self.rows["Export"][0]["CSVVersion"] = version
        return self

    def without(self, file: str) -> SampleExport:
        del self.headers[file]
        del self.rows[file]
        return self


def generate(
    clients: int = 10,
    enrollments: int | None = None,
    *,
    today: datetime.date,
    seed: int = 1,
    projects: int = 2,
) -> SampleExport:
    """A valid FY2026 export: `clients` clients, `enrollments` enrollments (one each by default), an exit for
    every other enrollment."""
    rng = random.Random(seed)
    enrollments = clients if enrollments is None else enrollments
    day = (today - datetime.timedelta(days=400)).isoformat()
    stamp = f"{day} 09:30:00"
    sample = SampleExport(today=today)

    def row(file: str, **values: str) -> dict[str, str]:
        base = {
            c.name: ("" if c.nullable else _default(file, c.name, c.kind, stamp, day)) for c in FILES[file]
        }
        base.update(values)
        return base

    for file in SAMPLE_FILES:
        sample.headers[file] = [c.name for c in FILES[file]]
        sample.rows[file] = []
    sample.rows["Export"].append(
        row(
            "Export",
            ExportID="E1",
            SourceName="Autre SGI",
            ExportDate=f"{today.isoformat()} 08:00:00",
            ExportStartDate=day,
            ExportEndDate=today.isoformat(),
            SoftwareName="Autre système",
            CSVVersion=CSV_VERSION,
            ImplementationID="IMPL-1",
        )
    )
    sample.rows["Organization"].append(
        row("Organization", OrganizationID="O1", OrganizationName="Refuge du Nord")
    )
    for n in range(1, projects + 1):
        sample.rows["Project"].append(
            row("Project", ProjectID=f"P{n}", OrganizationID="O1", ProjectName=f"Projet {n}", ProjectType="1")
        )
    for n in range(1, clients + 1):
        dob = datetime.date(1950, 1, 1) + datetime.timedelta(days=rng.randrange(0, 365 * 50))
        sample.rows["Client"].append(
            row(
                "Client",
                PersonalID=f"C{n}",
                FirstName=rng.choice(FIRST),
                LastName=f"{rng.choice(LAST)}{n}",
                NameDataQuality="1",
                SSNDataQuality="99",
                DOB=dob.isoformat(),
                DOBDataQuality="1",
                Sex=str(n % 2),
                White="1" if n % 3 else "0",
                Asian="0" if n % 3 else "1",
                AmIndAKNative="0",
                VeteranStatus="0",
            )
        )
    for n in range(1, enrollments + 1):
        client = (n - 1) % max(clients, 1) + 1
        entry = today - datetime.timedelta(days=300 - n % 200)
        sample.rows["Enrollment"].append(
            row(
                "Enrollment",
                EnrollmentID=f"N{n}",
                PersonalID=f"C{client}",
                ProjectID=f"P{n % projects + 1}",
                EntryDate=entry.isoformat(),
                HouseholdID=f"H{n}",
                RelationshipToHoH="1",
                LivingSituation="116",
                DisablingCondition="0",
            )
        )
        if n % 2 == 0:
            sample.rows["Exit"].append(
                row(
                    "Exit",
                    ExitID=f"X{n}",
                    EnrollmentID=f"N{n}",
                    PersonalID=f"C{client}",
                    ExitDate=(entry + datetime.timedelta(days=60)).isoformat(),
                    Destination="435",
                )
            )
    return sample


def _lines(file: str, rows: Iterator[dict[str, str]], stamp: str, day: str) -> Iterator[str]:
    header = [c.name for c in FILES[file]]
    defaults = {
        c.name: ("" if c.nullable else _default(file, c.name, c.kind, stamp, day)) for c in FILES[file]
    }
    writer = CsvRowWriter(verbatim=True)
    out = io.StringIO()
    out.write(writer.header(header))
    for values in rows:
        out.write(writer.row([values.get(c, defaults[c]) for c in header]))
        if out.tell() > 1 << 20:
            yield out.getvalue()
            out.seek(0)
            out.truncate()
    yield out.getvalue()


def write_large(path: Path, *, clients: int, enrollments: int, today: datetime.date) -> Path:
    """A big valid export streamed into `path` (for the bench and the memory test)."""
    day = (today - datetime.timedelta(days=400)).isoformat()
    stamp = f"{day} 09:30:00"
    small = generate(1, 1, today=today)
    entry = (today - datetime.timedelta(days=200)).isoformat()
    leave = (today - datetime.timedelta(days=100)).isoformat()
    streams = {
        "Export": iter(small.rows["Export"]),
        "Organization": iter(small.rows["Organization"]),
        "Project": iter(small.rows["Project"]),
        "Client": (
            {
                "PersonalID": f"C{n}",
                "FirstName": FIRST[n % len(FIRST)],
                "LastName": f"{LAST[n % len(LAST)]}{n}",
                "NameDataQuality": "1",
                "DOB": (datetime.date(1950, 1, 1) + datetime.timedelta(days=n % 18000)).isoformat(),
                "DOBDataQuality": "1",
                "Sex": str(n % 2),
                "White": "1",
            }
            for n in range(1, clients + 1)
        ),
        "Enrollment": (
            {
                "EnrollmentID": f"N{n}",
                "PersonalID": f"C{(n - 1) % clients + 1}",
                "ProjectID": "P1",
                "EntryDate": entry,
                "HouseholdID": f"H{n}",
                "RelationshipToHoH": "1",
                "LivingSituation": "116",
            }
            for n in range(1, enrollments + 1)
        ),
        "Exit": (
            {
                "ExitID": f"X{n}",
                "EnrollmentID": f"N{n}",
                "PersonalID": f"C{(n - 1) % clients + 1}",
                "ExitDate": leave,
                "Destination": "435",
            }
            for n in range(2, enrollments + 1, 2)
        ),
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for file, rows in streams.items():
            with archive.open(f"{file}.csv", "w", force_zip64=True) as member:
                for text in _lines(file, rows, stamp, day):
                    member.write(text.encode("utf-8"))
    return path


def zip_bomb(size: int = 64 * 1024 * 1024) -> bytes:
    """A small zip that expands to `size` bytes of one repeated byte."""
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive,
        archive.open("Client.csv", "w", force_zip64=True) as member,
    ):
        block = b"0" * (1 << 20)
        for _ in range(size // len(block)):
            member.write(block)
    return buffer.getvalue()


def traversal_zip(today: datetime.date) -> bytes:
    """A valid export plus a member whose name climbs out of its folder."""
    sample = generate(2, today=today)
    sample.extra_members["../../etc/evil.csv"] = b"x"
    return sample.to_bytes()
