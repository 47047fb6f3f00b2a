"""Rows of the mapping modules as CSV files in the specification's column order, and the zip streamed as it
is built.

A mapping yields one dict per row, by column name; the writer puts the values in `columns.FILES` order
(header first), writes each value as its column's kind says (dates `YYYY-MM-DD`, moments
`YYYY-MM-DD HH:MM:SS` in Montréal time, numbers as integers) and passes every cell through the project's
one CSV writer (`core.exports.CsvRowWriter`: formulas and control characters neutralised). A column a
mapping does not fill stays empty, which only nullable columns may: a mapping that forgets a required
column fails loudly rather than write an invalid file.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from typing import Any

import zipstream

from ancrage.core import clock
from ancrage.core.exports import CsvRowWriter
from ancrage.interop.hmis.columns import FILES, Column, Kind

# Rows are gathered into pieces of about this many bytes before they go to the zip.
PIECE_BYTES = 64 * 1024


class MissingValueError(ValueError):
    """A mapping left a column empty that the specification says may not be."""


def _date(value: datetime.date) -> str:
    # strftime pads years below 1000 differently by platform: write the year with four digits ourselves.
    return f"{value.year:04d}-{value.month:02d}-{value.day:02d}"


def _local(value: datetime.datetime) -> datetime.datetime:
    if value.tzinfo is None:
        return value
    try:
        return clock.localtime(value)
    except (OverflowError, ValueError):
        # A moment at the very edge of the calendar (year 1, 9999) has no local time to move to.
        return value


def format_value(column: Column, value: Any) -> Any:
    """One value as its column's kind is written in an HMIS CSV."""
    if value is None or value == "":
        return ""
    if column.kind is Kind.DATETIME:
        if isinstance(value, datetime.datetime):
            moment = _local(value)
            return f"{_date(moment)} {moment:%H:%M:%S}"
        if isinstance(value, datetime.date):
            return f"{_date(value)} 00:00:00"
    if column.kind is Kind.DATE:
        if isinstance(value, datetime.datetime):
            return _date(_local(value).date())
        if isinstance(value, datetime.date):
            return _date(value)
    if column.kind is Kind.NUMBER and isinstance(value, bool):
        return int(value)
    return value


def file_lines(name: str, rows: Iterable[dict[str, Any]]) -> Iterator[str]:
    """The header and each row of one file as CSV text, in the specification's column order."""
    columns = FILES[name]
    known = {c.name for c in columns}
    writer = CsvRowWriter()
    yield writer.header([c.name for c in columns])
    for row in rows:
        unknown = set(row) - known
        if unknown:
            raise KeyError(f"{name}: no such column {sorted(unknown)}")
        cells = []
        for column in columns:
            value = format_value(column, row.get(column.name))
            if value == "" and not column.nullable:
                raise MissingValueError(f"{name}.{column.name} may not be empty")
            cells.append(value)
        yield writer.row(cells)


def file_bytes(name: str, rows: Iterable[dict[str, Any]]) -> Iterator[bytes]:
    """One file's CSV as UTF-8 pieces of about PIECE_BYTES."""
    piece: list[str] = []
    size = 0
    for line in file_lines(name, rows):
        piece.append(line)
        size += len(line)
        if size >= PIECE_BYTES:
            yield "".join(piece).encode("utf-8")
            piece, size = [], 0
    if piece:
        yield "".join(piece).encode("utf-8")


def zip_stream(files: Iterable[tuple[str, Iterable[dict[str, Any]]]]) -> Iterator[bytes]:
    """The zip of the files (`Name.csv` each), produced while it is read: each file's rows are fetched only
    when the zip reaches it, so memory holds a piece at a time."""
    archive = zipstream.ZipStream(compress_type=zipstream.ZIP_DEFLATED)
    for name, rows in files:
        archive.add(file_bytes(name, rows), f"{name}.csv")
    yield from archive
