"""An export re-imported gives the same records (issue 15, "Done means"): what one Ancrage community exports as
HMIS CSV FY2026, another imports as the same people with the same enrollments, exits and move-ins; the
same zip imported a second time changes nothing."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from ancrage.casework.models import Enrollment, Exit
from ancrage.core.permissions import Role
from ancrage.housing.models import Tenancy
from ancrage.interop.hmis.export.services import hmis_export
from ancrage.interop.imports import services as imports
from ancrage.interop.models import HmisImport, ImportedEnrollment
from ancrage.interop.tests.export_helpers import build, read_zip
from ancrage.people.models import Identifier, Participant
from ancrage.people.tests.factories import ConsortiumFactory, OrganisationFactory, member

pytestmark = pytest.mark.django_db

NOON = datetime.datetime(2026, 6, 15, 16, 0, tzinfo=datetime.UTC)
SOURCE = "Ancrage Verdun"


@pytest.fixture
def exported(org_a, org_b, case_manager_a, case_manager_b):
    """The world of the export tests, exported by A's data coordinator: (world, zip bytes, its files)."""
    with time_machine.travel(NOON, tick=False):
        w = build(org_a, org_b, case_manager_a, case_manager_b, extra_people=3)
        stream = hmis_export(
            actor=w["coordinator"],
            start=w["start"],
            end=w["end"],
            program_ids=[w["program_a"].pk, w["program_b"].pk],
        )
        data = b"".join(stream.chunks())
    return w, data, read_zip(data)


@pytest.fixture
def elsewhere():
    """Another community's organisation and its data coordinator, who receives the export."""
    consortium = ConsortiumFactory(name="Autre communauté", short_name="AUT")
    organisation = OrganisationFactory(consortium=consortium, name="Refuge du Nord", short_name="RDN")
    return organisation, member(organisation, Role.DATA_COORDINATOR, username="coord_nord")


def _import(data: bytes, organisation, actor) -> HmisImport:
    with time_machine.travel(NOON + datetime.timedelta(hours=1), tick=False):
        received = imports.import_receive(
            actor=actor,
            organisation=organisation,
            source=SOURCE,
            upload=SimpleUploadedFile("export.zip", data, content_type="application/zip"),
            original_name="export.zip",
        )
        if received.status == HmisImport.Status.QUEUED:
            imports.import_run(received.pk)
    received.refresh_from_db()
    return received


def test_an_export_reimported_gives_the_same_records(exported, elsewhere):
    w, data, files = exported
    organisation, coordinator = elsewhere
    done = _import(data, organisation, coordinator)
    assert done.status == HmisImport.Status.DONE, list(
        done.problems.exclude(code="file_not_loaded").values_list(
            "file", "row", "column", "code", "params", "severity"
        )
    )
    assert not done.problems.filter(severity="error").exists(), list(
        done.problems.filter(severity="error").values_list("file", "row", "column", "code")
    )

    # Every client exported is a participant of the receiving organisation, with the same name, birth date
    # and its quality, and the exporting system's PersonalID as an HMIS identifier.
    exported_ids = {row["PersonalID"] for row in files["Client"]}
    assert exported_ids, "the export held no client"
    assert str(w["secret"].pk) not in exported_ids  # consent decided what left, not the import
    for personal_id in exported_ids:
        original = Participant.objects.get(pk=int(personal_id))
        identifier = Identifier.objects.get(kind="hmis", issuer=SOURCE, value=personal_id)
        copy = identifier.participant
        assert copy.organisation_id == organisation.pk
        assert copy.pk != original.pk
        assert (copy.legal_first_name, copy.legal_last_name) == (
            original.legal_first_name,
            original.legal_last_name,
        )
        assert copy.date_of_birth == original.date_of_birth
        assert copy.dob_quality == original.dob_quality
    assert Participant.objects.filter(organisation=organisation).count() == len(exported_ids)

    # Every enrollment exported is the same stay: entry, exit, destination code and move-in.
    rows = {row["EnrollmentID"]: row for row in files["Enrollment"]}
    exits = {row["EnrollmentID"]: row for row in files["Exit"]}
    assert ImportedEnrollment.objects.filter(source=SOURCE).count() == len(rows)
    for enrollment_id, row in rows.items():
        original = Enrollment.objects.get(pk=int(enrollment_id))
        copy = ImportedEnrollment.objects.get(source=SOURCE, enrollment_id=enrollment_id)
        assert copy.participant.identifiers.get(kind="hmis", issuer=SOURCE).value == str(
            original.participant_id
        )
        assert copy.entry_date == original.enrolled_on
        assert copy.exit_date == original.exited_on
        moved_in = row["MoveInDate"]
        assert (copy.move_in_date.isoformat() if copy.move_in_date else "") == moved_in[:10]
        if enrollment_id in exits:
            assert copy.destination == int(exits[enrollment_id]["Destination"])
    # The world's exit and move-in made the trip.
    left = ImportedEnrollment.objects.get(source=SOURCE, enrollment_id=str(w["left_enrollment"].pk))
    assert left.exit_date == Exit.objects.get(pk=w["exit"].pk).exited_on
    assert left.destination is not None
    housed = ImportedEnrollment.objects.get(source=SOURCE, enrollment_id=str(w["housed_enrollment"].pk))
    tenancy = Tenancy.objects.filter(participant=w["housed"]).order_by("lease_start").first()
    assert housed.move_in_date == (tenancy.moved_in_on or tenancy.lease_start)


def test_the_same_export_imported_twice_changes_nothing(exported, elsewhere):
    _w, data, _files = exported
    organisation, coordinator = elsewhere
    _import(data, organisation, coordinator)
    before = (
        list(Participant.objects.filter(organisation=organisation).values().order_by("pk")),
        list(ImportedEnrollment.objects.filter(source=SOURCE).values().order_by("pk")),
    )
    again = _import(data, organisation, coordinator)
    assert again.status == HmisImport.Status.DONE
    after = (
        list(Participant.objects.filter(organisation=organisation).values().order_by("pk")),
        list(ImportedEnrollment.objects.filter(source=SOURCE).values().order_by("pk")),
    )
    strip = {"hmis_import_id"}
    assert [{k: v for k, v in row.items() if k not in strip} for row in before[1]] == [
        {k: v for k, v in row.items() if k not in strip} for row in after[1]
    ]
    assert before[0] == after[0]


def test_the_specification_names_columns_without_stray_spaces():
    from ancrage.interop.hmis.columns import FILES

    stray = [
        (file, column.name)
        for file, columns in FILES.items()
        for column in columns
        if column.name.strip() != column.name
    ]
    assert not stray
