"""The demo's completed HMIS import: a small export from another system (with a few deliberate problems, and
two people the registry already knows), imported into Mission Hochelaga Solidarité by its program manager."""

from __future__ import annotations

from typing import Any

from django.core.files.base import ContentFile

from ancrage.core import clock
from ancrage.interop.hmis.sample import generate
from ancrage.interop.imports import services
from ancrage.people.models import Participant


def build_hmis_import(users: dict[str, Any], orgs: dict[str, Any]) -> dict[str, Any]:
    actor, organisation = users["coordination"], orgs["MHS"]
    export = generate(24, 30, today=clock.today(), seed=2026)
    # Two people already in the registry, as the other system wrote them: proposed as duplicates.
    known = list(
        Participant.objects.filter(organisation=organisation, date_of_birth__isnull=False).order_by("pk")[:2]
    )
    for index, person in enumerate(known):
        assert person.date_of_birth is not None
        export.set("Client", index, "FirstName", person.legal_first_name)
        export.set("Client", index, "LastName", person.legal_last_name)
        export.set("Client", index, "DOB", person.date_of_birth.isoformat())
    # The problems a real export has: a date in another format, one unreadable, a code outside its list, a
    # birth date in the future, an enrollment whose client is missing, an extra column.
    export.set("Client", 3, "DOB", "07-14-1968 00:00:00")
    export.set("Client", 4, "DOB", "2099-01-01")
    export.set("Enrollment", 5, "EntryDate", "31/31/2024")
    export.set("Exit", 1, "Destination", "77")
    export.orphan_enrollment("C999")
    export.add_column("Client", "CaseWorkerNotes", "")
    hmis_import = services.import_receive(
        actor=actor,
        organisation=organisation,
        source="SGI Laval",
        upload=ContentFile(export.to_bytes(), name="export.zip"),
        original_name="sgi-laval-hmis-fy2026.zip",
    )
    services.import_run(hmis_import.pk)
    hmis_import.refresh_from_db()
    return {"hmis_import": hmis_import.status, "hmis_problems": hmis_import.problems.count()}
