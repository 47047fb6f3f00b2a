"""Reading an HMIS CSV zip without trusting it: the zip's safety, each file's encoding and headers, its rows
streamed one at a time (a file is never held in memory), and lenient parsing of dates and codes.

Nothing here touches the database: the reader says what it found as `Problem`s, the import stores them.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from django.conf import settings

from ancrage.interop.hmis.columns import CSV_VERSION, FILES, Column

ERROR, WARNING = "error", "warning"
# The files the import loads into Ancrage; the others are only checked.
LOADED = ("Export", "Organization", "Project", "Client", "Enrollment", "Exit")
REQUIRED_FILES = ("Export", "Client")
_CHUNK = 1024 * 1024
_MB = 1024 * 1024


@dataclass
class Problem:
    severity: str
    code: str
    file: str = ""
    row: int | None = None
    column: str = ""
    value: str = ""
    params: dict = field(default_factory=dict)


class RefusedError(Exception):
    """The zip cannot be read at all (not a zip, a bomb, an unsafe name)."""

    def __init__(self, problem: Problem):
        super().__init__(problem.code)
        self.problem = problem


@dataclass
class FileInfo:
    """What the structure check found in one file of the zip."""

    name: str  # the FY2026 file name (Client)
    member: str  # its name in the zip
    encoding: str = "utf-8-sig"
    lines: int = 0
    # FY2026 column -> its position in this file's rows.
    positions: dict[str, int] = field(default_factory=dict)
    readable: bool = True


def _member_file_name(member: str) -> str | None:
    """The FY2026 file a zip member is (case-insensitive, in any folder), or None."""
    path = PurePosixPath(member.replace("\\", "/"))
    if path.suffix.lower() != ".csv":
        return None
    stem = path.stem.lower()
    for name in FILES:
        if name.lower() == stem:
            return name
    return None


def _unsafe(member: str) -> bool:
    name = member.replace("\\", "/")
    parts = PurePosixPath(name).parts
    return name.startswith("/") or ".." in parts or (len(name) > 1 and name[1] == ":") or "\x00" in name


def open_zip(path_or_file) -> zipfile.ZipFile:
    """Open the upload as a zip and check it against the limits (settings), or raise Refused."""
    try:
        archive = zipfile.ZipFile(path_or_file)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise RefusedError(Problem(ERROR, "not_a_zip")) from None
    members = [info for info in archive.infolist() if not info.is_dir()]
    if len(members) > settings.HMIS_IMPORT_MAX_MEMBERS:
        raise RefusedError(
            Problem(
                ERROR,
                "zip_members",
                params={"count": len(members), "limit": settings.HMIS_IMPORT_MAX_MEMBERS},
            )
        )
    total = 0
    for info in members:
        if _unsafe(info.filename):
            raise RefusedError(Problem(ERROR, "unsafe_name", value=info.filename[:200]))
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > _MB and ratio > settings.HMIS_IMPORT_MAX_RATIO:
            raise RefusedError(
                Problem(ERROR, "zip_ratio", file=info.filename[:60], params={"ratio": int(ratio)})
            )
    if total > settings.HMIS_IMPORT_MAX_UNCOMPRESSED:
        raise RefusedError(
            Problem(
                ERROR,
                "zip_too_large",
                params={"size": total // _MB, "limit": settings.HMIS_IMPORT_MAX_UNCOMPRESSED // _MB},
            )
        )
    return archive


def _scan(archive: zipfile.ZipFile, member: str) -> tuple[str | None, int]:
    """The member's encoding (UTF-8 with or without BOM, else Windows-1252, else None) and its line count,
    read in chunks."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    utf8 = True
    lines = 0
    with archive.open(member) as raw:
        while chunk := raw.read(_CHUNK):
            lines += chunk.count(b"\n")
            if utf8:
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError:
                    utf8 = False
            last = chunk
        if utf8:
            try:
                decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                utf8 = False
    if "last" in locals() and not last.endswith(b"\n"):
        lines += 1
    if utf8:
        return "utf-8-sig", lines
    # Windows-1252 leaves five bytes undefined: a file holding them is not text we can read.
    fallback = codecs.getincrementaldecoder("cp1252")()
    with archive.open(member) as raw:
        try:
            while chunk := raw.read(_CHUNK):
                fallback.decode(chunk)
        except UnicodeDecodeError:
            return None, lines
    return "cp1252", lines


def _text_lines(archive: zipfile.ZipFile, info: FileInfo) -> Iterator[str]:
    with archive.open(info.member) as raw:
        text = io.TextIOWrapper(raw, encoding=info.encoding, newline="")
        for line in text:
            # A NUL byte is never part of a value: dropped rather than letting it reach the database.
            yield line.replace("\x00", "") if "\x00" in line else line


def _reader(archive: zipfile.ZipFile, info: FileInfo):
    return csv.reader(_text_lines(archive, info), skipinitialspace=False)


def _header_key(value: str) -> str:
    return value.strip().strip("\ufeff").strip('"').strip().lower()


def check_structure(archive: zipfile.ZipFile) -> tuple[dict[str, FileInfo], list[Problem]]:
    """Every file of the zip against FY2026: which it is, its encoding, its headers (by name, any case, any
    order). Returns the readable files and the problems found."""
    problems: list[Problem] = []
    found: dict[str, FileInfo] = {}
    for member in archive.infolist():
        if member.is_dir() or member.filename.startswith("__MACOSX/"):
            continue
        name = _member_file_name(member.filename)
        shown = PurePosixPath(member.filename.replace("\\", "/")).name[:60]
        if name is None:
            problems.append(Problem(WARNING, "file_unknown", file=shown))
            continue
        if name in found:
            problems.append(Problem(WARNING, "file_twice", file=shown, params={"file": f"{name}.csv"}))
            continue
        found[name] = FileInfo(name=name, member=member.filename)
    for name in REQUIRED_FILES:
        if name not in found:
            problems.append(
                Problem(ERROR, "file_missing", file=f"{name}.csv", params={"file": f"{name}.csv"})
            )
    for name in LOADED:
        if name not in found and name not in REQUIRED_FILES:
            problems.append(
                Problem(WARNING, "file_missing_optional", file=f"{name}.csv", params={"file": f"{name}.csv"})
            )
    for info in found.values():
        problems += _check_file(archive, info)
    return found, problems


def _check_file(archive: zipfile.ZipFile, info: FileInfo) -> list[Problem]:
    file = f"{info.name}.csv"
    problems: list[Problem] = []
    encoding, info.lines = _scan(archive, info.member)
    if encoding is None:
        info.readable = False
        return [Problem(ERROR, "encoding_unreadable", file=file)]
    info.encoding = encoding
    if encoding == "cp1252":
        problems.append(Problem(WARNING, "encoding_cp1252", file=file))
    header: list[str] | None = None
    try:
        for row in _reader(archive, info):
            if any(cell.strip() for cell in row):
                header = row
                break
    except csv.Error:
        header = None
    if header is None:
        info.readable = False
        return [*problems, Problem(ERROR, "file_empty", file=file)]
    spec = {column.name.lower(): column for column in FILES[info.name]}
    for position, raw in enumerate(header):
        key = _header_key(raw)
        if not key:
            continue  # a trailing comma
        column = spec.get(key)
        if column is None:
            problems.append(
                Problem(
                    WARNING,
                    "column_extra",
                    file=file,
                    column=raw.strip()[:60],
                    params={"column": raw.strip()[:60]},
                )
            )
        elif column.name in info.positions:
            problems.append(
                Problem(
                    WARNING, "column_twice", file=file, column=column.name, params={"column": column.name}
                )
            )
        else:
            info.positions[column.name] = position
    for column in FILES[info.name]:
        if column.name in info.positions:
            continue
        if info.name == "Export" and column.name == "CSVVersion":
            problems.append(Problem(WARNING, "csv_version_missing", file=file, column=column.name))
        elif column.nullable:
            problems.append(
                Problem(
                    WARNING,
                    "column_missing_optional",
                    file=file,
                    column=column.name,
                    params={"column": column.name},
                )
            )
        else:
            problems.append(
                Problem(
                    ERROR, "column_missing", file=file, column=column.name, params={"column": column.name}
                )
            )
            info.readable = False
    if info.name not in LOADED:
        problems.append(Problem(WARNING, "file_not_loaded", file=file))
    return problems


def raw_rows(archive: zipfile.ZipFile, info: FileInfo) -> Iterator[tuple[int, list[str] | None]]:
    """The file's data rows as (line, cells as the CSV parser read them), the header and blank rows
    skipped; (line, None) for a row the CSV parser cannot read. `info.positions` says which cell is which
    column (a short row lacks the last ones)."""
    reader = _reader(archive, info)
    header_seen = False
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error:
            yield reader.line_num, None
            continue
        # Blank: no cell holds anything but spaces (the first cell, an identifier, usually says no at once).
        if not (row and row[0].strip()) and not any(cell.strip() for cell in row):
            continue
        if not header_seen:
            header_seen = True
            continue
        yield reader.line_num, row


def rows(archive: zipfile.ZipFile, info: FileInfo) -> Iterator[tuple[int, dict[str, str] | None]]:
    """The file's data rows as (line, {column: value stripped}), blank rows skipped; (line, None) for a row
    the CSV parser cannot read."""
    positions = info.positions
    for line, row in raw_rows(archive, info):
        if row is None:
            yield line, None
            continue
        width = len(row)
        yield (
            line,
            {
                name: (row[position].strip() if position < width else "")
                for name, position in positions.items()
            },
        )


def csv_version(archive: zipfile.ZipFile, info: FileInfo) -> str:
    if "CSVVersion" not in info.positions:
        return ""
    for _line, values in rows(archive, info):
        if values is not None:
            return values.get("CSVVersion", "")
    return ""


def version_problem(version: str) -> Problem | None:
    """A CSVVersion of another fiscal year: refused with what to do."""
    if not version or version.startswith("2026"):
        return None
    return Problem(
        ERROR,
        "csv_version_other",
        file="Export.csv",
        column="CSVVersion",
        value=version[:200],
        params={"version": version[:40], "expected": CSV_VERSION},
    )


# Dates: ISO first (the format's own), then what exports in the field write.
_DATE_FORMATS = (
    "%Y-%m-%d %H:%M:%S",
    "%m-%d-%Y %H:%M:%S",
    "%m-%d-%Y %H:%M",
    "%m-%d-%Y",
    "%m/%d/%Y %H:%M:%S",
    "%m/%d/%Y %H:%M",
    "%m/%d/%Y",
    "%Y/%m/%d",
    "%Y/%m/%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M",
)
EARLIEST = datetime.date(1900, 1, 1)


def parse_date(value: str) -> datetime.date | None:
    """A date in any of the formats exports write (a time part is dropped), or None."""
    try:
        if len(value) == 10:
            return datetime.date.fromisoformat(value)
        return datetime.datetime.fromisoformat(value).date()
    except ValueError:
        pass
    for fmt in _DATE_FORMATS:
        try:
            return datetime.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    return None


def parse_int(value: str) -> int | None:
    try:
        return int(value)
    except ValueError:
        try:
            number = float(value)
        except ValueError:
            return None
        return int(number) if number.is_integer() else None


def columns_of(name: str) -> dict[str, Column]:
    return {column.name: column for column in FILES[name]}
