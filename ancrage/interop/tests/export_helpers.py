"""A small world for the HMIS CSV export's tests, and a reader of the zips it makes."""

from __future__ import annotations

import csv
import datetime
import io
import zipfile

from ancrage.casework.models import Enrollment, Exit
from ancrage.core import clock
from ancrage.core.permissions import Category, Role
from ancrage.housing.tests.support_factories import make_tenancy
from ancrage.organisations.models import Program
from ancrage.people.models import Participant
from ancrage.people.tests.factories import ProgramFactory, make_participant, member, share


def read_zip(content: bytes) -> dict[str, list[dict[str, str]]]:
    """{file name without .csv: rows as dicts}, with each file's header kept as `header:<name>`."""
    files: dict = {}
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        for info in archive.infolist():
            text = archive.read(info.filename).decode("utf-8")
            reader = csv.reader(io.StringIO(text, newline=""))
            rows = list(reader)
            name = info.filename.removesuffix(".csv")
            files["header:" + name] = rows[0]
            files[name] = [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]
    return files


def build(org_a, org_b, case_manager_a, case_manager_b, *, extra_people: int = 0) -> dict:
    """Programs in two organisations of one consortium, people with enrollments in and out of the period, one
    of another organisation who shares nothing and one who shares only their identity."""
    today = clock.today()
    coordinator = member(
        org_a, Role.DATA_COORDINATOR, username="coord_a", first_name="Céline", last_name="Roy"
    )
    program_a = ProgramFactory(organisation=org_a, kind=Program.Kind.ICM, name="SIV Verdun", name_en="")
    program_b = ProgramFactory(organisation=org_b, kind=Program.Kind.ACT, name="SIM Est", name_en="")
    start = today - datetime.timedelta(days=365)

    def enrol(person, program, on, exited_on=None, worker=case_manager_a):
        return Enrollment.objects.create(
            participant=person,
            program=program,
            primary_worker=worker,
            enrolled_on=on,
            status=Enrollment.Status.EXITED if exited_on else Enrollment.Status.ACTIVE,
            exited_on=exited_on,
        )

    housed = make_participant(
        case_manager_a,
        org_a,
        legal_first_name="Éloïse",
        legal_last_name="Gagnon",
        indigenous_identity="metis",
    )
    housed_enrollment = enrol(housed, program_a, today - datetime.timedelta(days=200))
    make_tenancy(
        housed,
        case_manager_a,
        organisation=org_a,
        program=program_a,
        start=today - datetime.timedelta(days=150),
    )
    left = make_participant(
        case_manager_a, org_a, legal_first_name="Marc", legal_last_name="Roy", gender="refused"
    )
    left_enrollment = enrol(
        left, program_a, today - datetime.timedelta(days=300), exited_on=today - datetime.timedelta(days=20)
    )
    exit_row = Exit.objects.create(
        enrollment=left_enrollment,
        participant=left,
        kind=Exit.Kind.PLANNED,
        reason=Exit.Reason.GOALS_REACHED,
        exited_on=left_enrollment.exited_on,
        destination=Exit.Destination.SUBSIDISED,
        procedure_given_on=left_enrollment.exited_on,
        recorded_by=case_manager_a,
    )
    # Exited long before the period: not exported.
    before = make_participant(case_manager_a, org_a, legal_first_name="Ancien", legal_last_name="Dossier")
    enrol(
        before, program_a, start - datetime.timedelta(days=900), exited_on=start - datetime.timedelta(days=10)
    )
    # Another organisation's participant who shares nothing with A: never exported to A.
    secret = make_participant(case_manager_b, org_b, legal_first_name="Secret", legal_last_name="Bélanger")
    enrol(secret, program_b, today - datetime.timedelta(days=100), worker=case_manager_b)
    # Another organisation's participant who shares their identity with A, not their housing.
    shared = make_participant(case_manager_b, org_b, legal_first_name="Partage", legal_last_name="Côté")
    share(case_manager_b, shared, [org_a], [Category.IDENTITY])
    enrol(shared, program_b, today - datetime.timedelta(days=90), worker=case_manager_b)
    make_tenancy(
        shared,
        case_manager_b,
        organisation=org_b,
        program=program_b,
        start=today - datetime.timedelta(days=60),
    )
    for n in range(extra_people):
        person = make_participant(
            case_manager_a, org_a, legal_first_name=f"Personne{n}", legal_last_name="Lot"
        )
        enrol(person, program_a, today - datetime.timedelta(days=10 + n))
    return {
        "coordinator": coordinator,
        "program_a": program_a,
        "program_b": program_b,
        "housed": housed,
        "housed_enrollment": housed_enrollment,
        "left": left,
        "left_enrollment": left_enrollment,
        "exit": exit_row,
        "before": before,
        "secret": secret,
        "shared": shared,
        "start": start,
        "end": today,
    }


def add_person(case_manager, org, program, **names) -> Participant:
    person = make_participant(case_manager, org, **names)
    Enrollment.objects.create(
        participant=person, program=program, primary_worker=case_manager, enrolled_on=clock.today()
    )
    return person
