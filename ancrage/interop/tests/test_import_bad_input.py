"""Bad input, one kind each: a clear message, a report row with its file, row and column, and nothing lost or
half-written."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.utils import translation

from ancrage.interop.hmis import sample as samples
from ancrage.interop.hmis.problems import message
from ancrage.interop.imports import services
from ancrage.interop.models import HmisImport, ImportedEnrollment
from ancrage.people.models import Identifier, Participant

pytestmark = pytest.mark.django_db
DONE, REFUSED = HmisImport.Status.DONE, HmisImport.Status.REFUSED


def _codes(hmis_import, severity=None):
    rows = hmis_import.problems.all()
    if severity:
        rows = rows.filter(severity=severity)
    return set(rows.values_list("code", flat=True))


def _problem(hmis_import, code):
    return hmis_import.problems.get(code=code)


def test_a_file_that_is_not_a_zip_is_refused_with_its_reason(pinned, run_upload, participant_a):
    before = Participant.objects.count()
    imp = run_upload(b"PersonalID,FirstName\n1,Ann\n")
    assert imp.status == REFUSED
    assert _codes(imp) == {"not_a_zip"}
    with translation.override("fr"):
        assert "n’est pas une archive zip" in message("not_a_zip") or "zip" in message("not_a_zip")
    assert Participant.objects.count() == before


def test_a_zip_bomb_is_refused(pinned, run_upload, settings):
    settings.HMIS_IMPORT_MAX_RATIO = 50
    imp = run_upload(samples.zip_bomb(8 * 1024 * 1024))
    assert imp.status == REFUSED
    assert "zip_ratio" in _codes(imp)


def test_a_zip_too_large_once_unpacked_is_refused(pinned, run_upload, settings):
    settings.HMIS_IMPORT_MAX_UNCOMPRESSED = 1000
    imp = run_upload(samples.generate(30, today=pinned).to_bytes())
    assert imp.status == REFUSED
    assert _problem(imp, "zip_too_large").params["limit"] == 0


def test_too_many_members_is_refused(pinned, run_upload, settings):
    settings.HMIS_IMPORT_MAX_MEMBERS = 3
    imp = run_upload(samples.generate(2, today=pinned).to_bytes())
    assert imp.status == REFUSED
    assert _problem(imp, "zip_members").params == {"count": 6, "limit": 3}


def test_a_member_name_leaving_its_folder_is_refused(pinned, run_upload):
    imp = run_upload(samples.traversal_zip(pinned))
    assert imp.status == REFUSED
    assert "unsafe_name" in _codes(imp)
    assert not Participant.objects.exists()


def test_windows_1252_is_read_with_a_warning(pinned, run_upload):
    export = samples.generate(3, today=pinned)
    export.set("Client", 0, "LastName", "Côté-Bérubé")
    export.encoding = "cp1252"
    imp = run_upload(export.to_bytes())
    assert imp.status == DONE
    assert imp.problems.filter(code="encoding_cp1252", file="Client.csv", severity="warning").exists()
    assert Identifier.objects.get(value="C1").participant.legal_last_name == "Côté-Bérubé"


def test_utf8_with_a_byte_order_mark_reads_without_warning(pinned, run_upload):
    export = samples.generate(3, today=pinned)
    export.set("Client", 0, "FirstName", "Zoé")
    export.bom = True
    imp = run_upload(export.to_bytes())
    assert imp.status == DONE
    assert not {"encoding_cp1252", "column_extra", "column_missing"} & _codes(imp)
    assert Identifier.objects.get(value="C1").participant.legal_first_name == "Zoé"


def test_another_fiscal_year_is_refused_with_what_to_do(pinned, run_upload):
    imp = run_upload(samples.generate(2, today=pinned).csv_version("2024 v1.3").to_bytes())
    assert imp.status == REFUSED
    problem = _problem(imp, "csv_version_other")
    assert (problem.file, problem.column, problem.value) == ("Export.csv", "CSVVersion", "2024 v1.3")
    with translation.override("en"):
        assert "2024 v1.3" in message(problem.code, problem.params)
    assert not Participant.objects.exists()


def test_a_missing_csv_version_is_read_as_fy2026(pinned, run_upload):
    imp = run_upload(samples.generate(2, today=pinned).csv_version(None).to_bytes())
    assert imp.status == DONE
    assert _problem(imp, "csv_version_missing").severity == "warning"


def test_headers_in_any_case_and_order_with_extras_trailing_commas_and_blank_rows(pinned, run_upload):
    export = (
        samples.generate(6, today=pinned)
        .shuffle_headers()
        .header_case()
        .add_column("Client", "FavouriteColour")
    )
    export.trailing_commas = True
    export.blank_lines = True
    imp = run_upload(export.to_bytes())
    assert imp.status == DONE, _codes(imp, "error")
    assert _codes(imp, "error") == set()
    extra = _problem(imp, "column_extra")
    assert (extra.file, extra.column) == ("Client.csv", "FavouriteColour")
    assert Participant.objects.count() == 6
    assert ImportedEnrollment.objects.count() == 6


def test_a_missing_required_column_refuses_the_file(pinned, run_upload):
    imp = run_upload(samples.generate(2, today=pinned).drop_column("Client", "PersonalID").to_bytes())
    assert imp.status == REFUSED
    problem = _problem(imp, "column_missing")
    assert (problem.file, problem.column) == ("Client.csv", "PersonalID")


def test_a_missing_client_file_is_refused(pinned, run_upload):
    imp = run_upload(samples.generate(2, today=pinned).without("Client").to_bytes())
    assert imp.status == REFUSED
    assert _problem(imp, "file_missing").params == {"file": "Client.csv"}


def test_lenient_dates_and_the_row_and_column_of_each_unreadable_one(pinned, run_upload):
    export = samples.generate(4, today=pinned)
    export.set("Client", 0, "DOB", "03-14-1970 00:00:00")
    export.set("Client", 1, "DOB", "1971/02/03")
    export.set("Enrollment", 2, "EntryDate", "31-31-2020")
    imp = run_upload(export.to_bytes())
    assert imp.status == DONE
    assert Identifier.objects.get(value="C1").participant.date_of_birth.isoformat() == "1970-03-14"
    assert Identifier.objects.get(value="C2").participant.date_of_birth.isoformat() == "1971-02-03"
    bad = _problem(imp, "date_unreadable")
    # Line 1 is the header: the third enrollment is on line 4.
    assert (bad.file, bad.row, bad.column, bad.value, bad.severity) == (
        "Enrollment.csv",
        4,
        "EntryDate",
        "31-31-2020",
        "error",
    )
    assert not ImportedEnrollment.objects.filter(enrollment_id="N3").exists()
    assert ImportedEnrollment.objects.count() == 3


def test_dates_in_the_future_or_before_1900(pinned, run_upload):
    export = samples.generate(3, today=pinned)
    export.set("Client", 0, "DOB", "2099-01-01")
    export.set("Client", 1, "DOB", "1850-01-01")
    export.set("Enrollment", 2, "EntryDate", "2099-05-05")
    imp = run_upload(export.to_bytes())
    assert imp.status == DONE
    future = imp.problems.filter(code="date_future")
    assert set(future.values_list("file", "row", "column", "severity")) == {
        ("Client.csv", 2, "DOB", "warning"),
        ("Enrollment.csv", 4, "EntryDate", "error"),
    }
    assert imp.problems.filter(code="date_too_old", file="Client.csv", row=3).exists()
    first = Identifier.objects.get(value="C1").participant
    assert first.date_of_birth is None
    assert first.dob_quality == "not_collected"
    assert ImportedEnrollment.objects.count() == 2


def test_codes_outside_the_fy2026_lists(pinned, run_upload):
    export = samples.generate(4, today=pinned)
    export.set("Exit", 0, "Destination", "77")
    export.set("Client", 0, "NameDataQuality", "abc")
    imp = run_upload(export.to_bytes())
    assert imp.status == DONE
    code = _problem(imp, "code_unknown")
    assert (code.file, code.row, code.column, code.value) == ("Exit.csv", 2, "Destination", "77")
    assert code.params == {"list": "Destination", "element": "3.12"}
    assert _problem(imp, "number_unreadable").column == "NameDataQuality"
    exited = ImportedEnrollment.objects.get(exit_id="X2")
    assert exited.exit_date is not None
    assert exited.destination is None


def test_duplicate_keys_keep_the_first_row(pinned, run_upload):
    export = samples.generate(3, today=pinned).duplicate_row("Client", 0)
    export.rows["Client"][-1]["FirstName"] = "Autre"
    imp = run_upload(export.to_bytes())
    assert imp.status == DONE
    problem = _problem(imp, "duplicate_key")
    assert (problem.file, problem.row, problem.column, problem.value) == ("Client.csv", 5, "PersonalID", "C1")
    assert problem.params == {"column": "PersonalID", "first": 2}
    assert Identifier.objects.get(value="C1").participant.legal_first_name != "Autre"
    assert Participant.objects.count() == 3


def test_a_second_exit_of_an_enrollment_keeps_the_first(pinned, run_upload):
    """HMIS has one Exit row per enrollment: a second one under another ExitID is reported, not written over
    the first (it failed the whole stage on PostgreSQL, and again on every run)."""
    export = samples.generate(4, today=pinned)
    first = dict(export.rows["Exit"][0])
    export = export.duplicate_row("Exit", 0)
    export.rows["Exit"][-1]["ExitID"] = "X-second"
    imp = run_upload(export.to_bytes())
    assert imp.status == DONE
    problem = _problem(imp, "second_exit")
    last_line = len(export.rows["Exit"]) + 1
    assert (problem.file, problem.row, problem.column, problem.value) == (
        "Exit.csv",
        last_line,
        "EnrollmentID",
        first["EnrollmentID"],
    )
    assert problem.params == {"column": "EnrollmentID", "first": 2}
    kept = ImportedEnrollment.objects.get(enrollment_id=first["EnrollmentID"])
    assert kept.exit_id == first["ExitID"]
    again = run_upload(export.to_bytes())
    assert again.status == DONE


def test_an_enrollment_without_its_client(pinned, run_upload):
    imp = run_upload(samples.generate(3, today=pinned).orphan_enrollment("GHOST").to_bytes())
    assert imp.status == DONE
    problem = _problem(imp, "enrollment_without_client")
    assert (problem.file, problem.row, problem.column, problem.value) == (
        "Enrollment.csv",
        5,
        "PersonalID",
        "GHOST",
    )
    assert not ImportedEnrollment.objects.filter(enrollment_id="ORPHAN-1").exists()
    assert ImportedEnrollment.objects.count() == 3


def test_long_values_nul_bytes_and_formulas(pinned, run_upload):
    export = samples.generate(3, today=pinned)
    export.set("Client", 0, "FirstName", "A" * 10_000)
    export.set("Client", 1, "LastName", "Bé\x00langer")
    export.set("Client", 2, "LastName", '=HYPERLINK("http://x","y")')
    export.set("Enrollment", 0, "EnrollmentID", "E" * 500)
    imp = run_upload(export.to_bytes())
    assert imp.status == DONE
    assert Identifier.objects.get(value="C1").participant.legal_first_name == "A" * 100
    assert _problem(imp, "value_too_long").params == {"limit": 100}
    assert Identifier.objects.get(value="C2").participant.legal_last_name == "Bélanger"
    assert Identifier.objects.get(value="C3").participant.legal_last_name.startswith("=HYPERLINK")
    assert _problem(imp, "id_too_long").column == "EnrollmentID"
    assert len(_problem(imp, "value_too_long").value) == 200


def test_a_client_of_another_organisations_import_is_not_taken(pinned, run_upload, org_b, case_manager_b):
    from ancrage.core.permissions import Role
    from ancrage.people.tests.factories import member

    data = samples.generate(2, today=pinned).to_bytes()
    run_upload(data)
    coordinator_b = member(org_b, Role.DATA_COORDINATOR, username="coord_b")
    imp = run_upload(data, user=coordinator_b, organisation=org_b)
    assert imp.status == DONE
    assert imp.problems.filter(code="other_organisation").count() == 2
    assert not Participant.objects.filter(organisation=org_b).exists()
    assert imp.counts["clients"]["refused"] == 2


def test_an_import_interrupted_half_way_resumes_and_ends_as_a_clean_one(pinned, run_upload, monkeypatch):
    data = samples.generate(5, 8, today=pinned).to_bytes()
    real = services._load_enrollments
    calls = {"n": 0}

    def crash_once(hmis_import):
        calls["n"] += 1
        if calls["n"] == 1:
            real(hmis_import)  # the stage's writes happen, then the worker dies before the stage ends
            raise RuntimeError("worker killed")
        real(hmis_import)

    monkeypatch.setattr(services, "_load_enrollments", crash_once)
    imp = run_upload(data)
    assert imp.status == HmisImport.Status.FAILED
    assert imp.stage == HmisImport.Stage.ENROLLMENTS
    assert "import_failed" in _codes(imp)
    # The stage ran in one transaction: nothing of it was kept.
    assert ImportedEnrollment.objects.count() == 0
    assert Participant.objects.count() == 5
    services.import_run(imp.pk)
    imp.refresh_from_db()
    assert imp.status == DONE
    assert ImportedEnrollment.objects.count() == 8
    assert Participant.objects.count() == 5


def test_a_crash_while_reading_rows_starts_that_stage_over(pinned, run_upload, monkeypatch):
    from ancrage.interop.imports import staging
    from ancrage.interop.models import StagedClient, StagedEnrollment

    data = samples.generate(7, today=pinned).to_bytes()
    real = staging.insert_rows
    calls = {"n": 0}

    def crash(model, fields, rows):
        calls["n"] += 1
        real(model, fields, rows)
        if model is StagedEnrollment and calls["n"] == 4:
            raise RuntimeError("disk full")

    monkeypatch.setattr(staging, "insert_rows", crash)
    imp = run_upload(data)
    assert imp.status == HmisImport.Status.FAILED
    assert imp.stage == HmisImport.Stage.STAGE
    assert not Participant.objects.exists()
    assert StagedClient.objects.filter(hmis_import=imp).count() == 7
    services.import_run(imp.pk)
    imp.refresh_from_db()
    assert imp.status == DONE
    assert Participant.objects.count() == 7
    assert StagedClient.objects.count() == 0


def test_messages_are_said_in_the_readers_language(pinned, run_upload):
    export = samples.generate(2, today=pinned)
    export.set("Exit", 0, "Destination", "77")
    imp = run_upload(export.to_bytes())
    problem = _problem(imp, "code_unknown")
    with translation.override("en"):
        english = message(problem.code, problem.params)
    with translation.override("fr"):
        french = message(problem.code, problem.params)
    assert "Destination" in english
    assert "Destination" in french
    assert english != french


def test_reading_a_big_client_file_keeps_memory_flat(pinned, tmp_path):
    """The reader streams: its peak memory does not grow with the file (200,000 rows here)."""
    import tracemalloc

    from ancrage.interop.hmis import reader

    path = samples.write_large(tmp_path / "big.zip", clients=200_000, enrollments=10, today=pinned)
    tracemalloc.start()
    with zipfile.ZipFile(path) as archive:
        found, _problems = reader.check_structure(archive)
        count = sum(1 for _ in reader.rows(archive, found["Client"]))
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert count == 200_000
    assert found["Client"].lines == 200_001
    assert peak < 16 * 1024 * 1024, peak


def test_an_empty_zip(pinned, run_upload):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w"):
        pass
    imp = run_upload(buffer.getvalue())
    assert imp.status == REFUSED
    assert {"file_missing"} <= _codes(imp)
