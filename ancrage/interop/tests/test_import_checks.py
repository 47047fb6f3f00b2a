"""The row checks of the staging stage judge each distinct date and code once per file: the verdict
remembered is the one worked out (on the edge inputs too), each row and column that holds a value gets its
own problem, a value's severity follows its column (required or not), a code follows its column's list,
and forgetting (a file with more distinct values than are kept) changes nothing."""

from __future__ import annotations

import datetime
import io
import zipfile

import pytest

from ancrage.interop.hmis import reader
from ancrage.interop.hmis import sample as samples
from ancrage.interop.hmis.code_columns import CODE_COLUMNS
from ancrage.interop.imports import staging
from ancrage.interop.models import ImportedEnrollment

TODAY = datetime.date(2026, 6, 15)
EDGE_DATES = [
    "2026-06-15",
    "2026-06-16",
    "1900-01-01",
    "1899-12-31",
    "2026-02-29",
    "2024-02-29",
    "2026-6-5",
    "06/15/2026",
    "6/5/2026",
    "06-15-2026 10:00",
    "06-16-2026 00:00:00",
    "2026/06/15",
    "2026-06-15 23:59:59",
    "2026-06-16 00:00:00",
    "2026-06-15T10:00:00",
    "2026-06-15T10:00:00+05:00",
    "2026-06-15 10:00",
    "20260615",
    "2026-W24-1",
    "15/06/2026",
    "0000-00-00",
    "9999-12-31",
    "abc",
    "2026-06-15x",
]
EDGE_CODES = ["1", "01", "1.0", "1.5", "99", "8", "101", "116", "-1", "x", "1e2", " 2", "٣", "9" * 30]


def _expected_date(value: str) -> tuple[datetime.date | None, str]:
    """The rules, worked out afresh (what RowCheck.date did for every cell before values were remembered)."""
    parsed = reader.parse_date(value)
    if parsed is None:
        return None, "date_unreadable"
    if parsed > TODAY:
        return None, "date_future"
    if parsed < reader.EARLIEST:
        return None, "date_too_old"
    return parsed, ""


def _expected_code(file: str, column: str, value: str) -> tuple[int | None, str]:
    number = reader.parse_int(value)
    if number is None:
        return None, "number_unreadable"
    code_list = CODE_COLUMNS.get(file, {}).get(column)
    if code_list is not None and number not in code_list.values:
        return None, "code_unknown"
    return number, ""


def _layout(file: str) -> staging.Layout:
    info = reader.FileInfo(name=file, member=f"{file}.csv")
    info.positions = {column.name: n for n, column in enumerate(reader.FILES[file])}
    return staging.Layout(info, staging.TARGETS[file].done, TODAY)


def test_a_remembered_date_verdict_is_the_one_worked_out():
    layout = _layout("Enrollment")
    for value in EDGE_DATES + EDGE_DATES[::-1]:
        assert layout.judge_date(value) == _expected_date(value), value
    assert len(layout.dates) == len(set(EDGE_DATES))


def test_a_remembered_code_verdict_follows_its_columns_list():
    layout = _layout("Enrollment")
    columns = ["RelationshipToHoH", "LivingSituation", "DisablingCondition", "PercentAMI"]
    for _round in range(2):
        for column in columns:
            for value in EDGE_CODES:
                assert layout.judge_code(column, value) == _expected_code("Enrollment", column, value), (
                    column,
                    value,
                )
    # The same value, two verdicts: 1 is a relationship to the head of household, not a living situation.
    assert layout.judge_code("RelationshipToHoH", "1") == (1, "")
    assert layout.judge_code("LivingSituation", "1") == (None, "code_unknown")


def _checked(data: bytes) -> tuple[list, list]:
    problems: list = []
    report = staging.Reporter(problems.extend)
    staged = []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        found, _ = reader.check_structure(archive)
        for name in ("Client", "Enrollment", "Exit"):
            staged += list(staging.checked_rows(archive, found[name], report, TODAY))
    report.close()
    return staged, [(p.severity, p.code, p.file, p.row, p.column, p.value, p.params) for p in problems]


@pytest.mark.django_db
def test_forgetting_the_values_judged_changes_nothing(monkeypatch):
    export = samples.generate(12, 24, today=TODAY)
    for n, row in enumerate(export.rows["Enrollment"]):
        row["MoveInDate"] = EDGE_DATES[n % len(EDGE_DATES)]
        row["DateToStreetESSH"] = EDGE_DATES[(n * 7) % len(EDGE_DATES)]
        row["LivingSituation"] = EDGE_CODES[n % len(EDGE_CODES)]
        row["RelationshipToHoH"] = EDGE_CODES[(n * 5) % len(EDGE_CODES)]
    for n, row in enumerate(export.rows["Client"]):
        row["DOB"] = EDGE_DATES[(n * 3) % len(EDGE_DATES)]
        row["Sex"] = EDGE_CODES[n % len(EDGE_CODES)]
    data = export.to_bytes()
    remembered = _checked(data)
    monkeypatch.setattr(staging, "_MEMORY", 1)
    assert _checked(data) == remembered
    codes = {problem[1] for problem in remembered[1]}
    assert {"date_unreadable", "date_future", "date_too_old", "code_unknown", "number_unreadable"} <= codes


@pytest.mark.django_db
def test_a_value_judged_once_is_reported_on_each_row_and_column_that_holds_it(pinned, run_upload):
    export = samples.generate(4, 4, today=pinned)
    export.set("Enrollment", 0, "MoveInDate", "31-31-2020")
    export.set("Enrollment", 1, "MoveInDate", "31-31-2020")
    export.set("Enrollment", 1, "DateToStreetESSH", "31-31-2020")
    export.set("Enrollment", 2, "EntryDate", "31-31-2020")
    export.set("Enrollment", 3, "RelationshipToHoH", "1")
    export.set("Enrollment", 3, "LivingSituation", "1")
    imp = run_upload(export.to_bytes())
    unreadable = imp.problems.filter(code="date_unreadable")
    # Line 1 is the header: the first enrollment is on line 2.
    assert set(unreadable.values_list("row", "column", "severity", "value")) == {
        (2, "MoveInDate", "warning", "31-31-2020"),
        (3, "MoveInDate", "warning", "31-31-2020"),
        (3, "DateToStreetESSH", "warning", "31-31-2020"),
        (4, "EntryDate", "error", "31-31-2020"),
    }
    assert set(imp.problems.filter(code="code_unknown").values_list("row", "column")) == {
        (5, "LivingSituation")
    }
    assert set(ImportedEnrollment.objects.values_list("enrollment_id", flat=True)) == {"N1", "N2", "N4"}
    assert ImportedEnrollment.objects.get(enrollment_id="N4").relationship_to_hoh == 1


@pytest.mark.django_db
def test_problems_found_while_a_batch_is_copied_end_it_and_are_all_written(pinned, run_upload, monkeypatch):
    monkeypatch.setattr(staging.Reporter, "FLUSH", 3)
    real = staging.insert_rows
    batches: list[int] = []

    def counted(model, fields, rows):
        rows = list(rows)
        batches.append(len(rows))
        real(model, fields, rows)

    monkeypatch.setattr(staging, "insert_rows", counted)
    export = samples.generate(12, 12, today=pinned)
    for row in export.rows["Client"]:
        row["Sex"] = "7"
        row["VeteranStatus"] = "x"
    imp = run_upload(export.to_bytes())
    assert imp.counts["clients"]["created"] == 12
    problems = imp.problems.filter(file="Client.csv").order_by("pk")
    assert list(problems.values_list("row", "column")) == [
        (line, column) for line in range(2, 14) for column in ("Sex", "VeteranStatus")
    ]
    # Two problems a row, three make a write's worth: a batch of clients ends every second row.
    assert batches[2:8] == [2, 2, 2, 2, 2, 2]
