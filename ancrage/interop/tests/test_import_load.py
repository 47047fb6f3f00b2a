"""The load: a sound export becomes participants, identifiers, projects and imported history; twice changes
nothing; a crash half-way resumes."""

from __future__ import annotations

import pytest

from ancrage.core.models import AuditEntry
from ancrage.interop.hmis.sample import generate
from ancrage.interop.models import HmisImport, ImportedEnrollment, SourceProject
from ancrage.people.models import Identifier, Participant

pytestmark = pytest.mark.django_db


def test_a_sound_export_is_imported(pinned, run_upload, org_a):
    sample = generate(5, 7, today=pinned)
    hmis_import = run_upload(sample.to_bytes())
    assert hmis_import.status == HmisImport.Status.DONE, list(
        hmis_import.problems.values_list("code", "params")
    )
    assert not hmis_import.problems.filter(severity="error").exists()
    people = Participant.objects.filter(organisation=org_a)
    assert people.count() == 5
    ids = Identifier.objects.filter(kind="hmis", issuer="Autre SGI")
    assert sorted(ids.values_list("value", flat=True)) == sorted(f"C{n}" for n in range(1, 6))
    first = sample.rows["Client"][0]
    p = Identifier.objects.get(value="C1").participant
    assert (p.legal_first_name, p.legal_last_name, p.date_of_birth.isoformat()) == (
        first["FirstName"],
        first["LastName"],
        first["DOB"],
    )
    assert p.dob_quality == "exact"
    assert ImportedEnrollment.objects.count() == 7
    assert ImportedEnrollment.objects.exclude(exit_date=None).count() == 3
    assert SourceProject.objects.filter(organisation=org_a).count() == 2
    assert AuditEntry.objects.filter(action="people.participant.created").count() == 5
    assert hmis_import.counts["clients"]["created"] == 5


def test_the_same_upload_twice_changes_nothing(pinned, run_upload):
    data = generate(4, 6, today=pinned).to_bytes()
    run_upload(data)
    snapshot = (
        list(Participant.objects.values().order_by("pk")),
        list(
            ImportedEnrollment.objects.values(
                "enrollment_id", "exit_date", "destination", "participant_id"
            ).order_by("pk")
        ),
        list(SourceProject.objects.values("project_id", "name").order_by("pk")),
    )
    writes = AuditEntry.objects.filter(action__startswith="people.").count()
    second = run_upload(data)
    assert second.status == HmisImport.Status.DONE
    assert second.counts["clients"] == {"created": 0, "updated": 0, "unchanged": 4, "refused": 0}
    assert second.counts["enrollments"]["written"] == 0
    assert snapshot == (
        list(Participant.objects.values().order_by("pk")),
        list(
            ImportedEnrollment.objects.values(
                "enrollment_id", "exit_date", "destination", "participant_id"
            ).order_by("pk")
        ),
        list(SourceProject.objects.values("project_id", "name").order_by("pk")),
    )
    assert AuditEntry.objects.filter(action__startswith="people.").count() == writes
