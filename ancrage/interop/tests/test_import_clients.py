"""The clients stage in bulk: known clients updated and audited, a crash between batches resumes without a
second participant, a case variant of a known PersonalID is refused, and the stage's queries do not grow
with the number of clients."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.translation import gettext

from ancrage.core.models import AuditEntry
from ancrage.interop.hmis.sample import generate
from ancrage.interop.imports import services
from ancrage.interop.models import HmisImport, ImportedPerson
from ancrage.people.models import Identifier, Participant

pytestmark = pytest.mark.django_db
DONE = HmisImport.Status.DONE


def test_a_client_changed_at_the_source_is_updated_and_audited(pinned, run_upload):
    sample = generate(4, 4, today=pinned)
    run_upload(sample.to_bytes())
    sample.set("Client", 0, "LastName", "Nouveaunom").set("Client", 1, "FirstName", "Zoé")
    second = run_upload(sample.to_bytes())
    assert second.status == DONE
    assert second.counts["clients"] == {"created": 0, "updated": 2, "unchanged": 2, "refused": 0}
    first = Identifier.objects.get(value="C1", issuer="Autre SGI").participant
    assert first.legal_last_name == "Nouveaunom"
    assert "nouveaunom" in first.search_text
    assert "c1" in first.search_text.split(" | ")
    entry = AuditEntry.objects.get(action="people.participant.updated", participant=first)
    assert entry.actor_id == second.uploaded_by_id
    assert entry.data["changes"]["legal_last_name"][1] == "Nouveaunom"
    assert Identifier.objects.get(value="C2").participant.legal_first_name == "Zoé"
    assert AuditEntry.objects.filter(action="people.participant.updated").count() == 2
    assert ImportedPerson.objects.filter(hmis_import=second).count() == 4


def test_a_crash_between_two_batches_of_clients_resumes_without_a_second_file(
    pinned, run_upload, monkeypatch
):
    monkeypatch.setattr(services, "CLIENT_BATCH", 2)
    real = services._load_client_batch
    calls = {"n": 0}

    def crash_on_the_third(*args):
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("worker killed")
        real(*args)

    monkeypatch.setattr(services, "_load_client_batch", crash_on_the_third)
    imp = run_upload(generate(7, 7, today=pinned).to_bytes())
    assert imp.status == HmisImport.Status.FAILED
    assert imp.stage == HmisImport.Stage.CLIENTS
    assert Participant.objects.count() == 4  # two batches committed, the third rolled back whole
    services.import_run(imp.pk)
    imp.refresh_from_db()
    assert imp.status == DONE
    assert Participant.objects.count() == 7
    assert Identifier.objects.filter(issuer="Autre SGI").count() == 7
    assert AuditEntry.objects.filter(action="people.participant.created").count() == 7
    assert AuditEntry.objects.filter(action="people.identifier.added").count() == 7
    assert imp.counts["clients"] == {"created": 3, "updated": 0, "unchanged": 4, "refused": 0}


def test_a_case_variant_of_a_known_personal_id_is_refused(pinned, run_upload):
    run_upload(generate(2, 2, today=pinned).to_bytes())
    sample = generate(3, 3, today=pinned).set("Client", 2, "PersonalID", "c1")
    for row in sample.rows["Enrollment"]:
        if row["PersonalID"] == "C3":
            row["PersonalID"] = "c1"
    imp = run_upload(sample.to_bytes())
    problem = imp.problems.get(code="participant_refused")
    assert problem.value == "c1"
    assert problem.params["reason"] == gettext(
        "This identifier already belongs to another file. Search for it before adding it."
    )
    assert imp.counts["clients"]["refused"] == 1
    assert Participant.objects.count() == 2


@pytest.mark.parametrize("clients", [3, 30])
def test_the_clients_stage_queries_do_not_grow_with_the_clients(pinned, run_upload, monkeypatch, clients):
    seen: dict[str, int] = {}
    real = services._load_clients

    def counted(hmis_import):
        with CaptureQueriesContext(connection) as queries:
            real(hmis_import)
        seen["n"] = len(queries)

    monkeypatch.setattr(services, "_load_clients", counted)
    imp = run_upload(generate(clients, clients, today=pinned).to_bytes())
    assert imp.status == DONE
    assert Participant.objects.count() == clients
    assert seen["n"] <= 30, seen
