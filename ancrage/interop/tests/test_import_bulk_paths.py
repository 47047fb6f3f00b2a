"""The clients stage's fast paths: the source's identifiers read once for the stage still refuse a case
variant written by an earlier batch, and on PostgreSQL the rows written by COPY (participants, identifiers,
audit entries, links to the import) are those `bulk_create` writes."""

from __future__ import annotations

import pytest
from django.db import connection
from django.utils.translation import gettext

from ancrage.core import bulk
from ancrage.core.models import AuditEntry
from ancrage.core.text import normalise
from ancrage.interop.hmis.sample import generate
from ancrage.interop.imports import services
from ancrage.interop.models import HmisImport, ImportedPerson
from ancrage.people.models import Identifier, Participant

pytestmark = pytest.mark.django_db
DONE = HmisImport.Status.DONE


def test_a_case_variant_of_a_client_an_earlier_batch_wrote_is_refused(pinned, run_upload, monkeypatch):
    monkeypatch.setattr(services, "CLIENT_BATCH", 2)
    sample = generate(5, 5, today=pinned).set("Client", 3, "PersonalID", "c1")
    imp = run_upload(sample.to_bytes())
    assert imp.status == DONE
    problem = imp.problems.get(code="participant_refused")
    assert (problem.row, problem.value) == (5, "c1")
    assert problem.params["reason"] == gettext(
        "This identifier already belongs to another file. Search for it before adding it."
    )
    assert imp.counts["clients"] == {"created": 4, "updated": 0, "unchanged": 0, "refused": 1}
    assert sorted(Identifier.objects.values_list("value", flat=True)) == ["C1", "C2", "C3", "C5"]


def _people(source: str) -> list[dict]:
    rows = []
    for person in Participant.objects.filter(identifiers__issuer=source).order_by("pk"):
        values = Participant.objects.filter(pk=person.pk).values().get()
        values["search_text"] = values["search_text"].replace(normalise(person.community_id), "ID")
        rows.append({k: v for k, v in values.items() if k not in {"id", "community_id"}})
    return rows


def _entries(source: str) -> list[tuple]:
    people = Participant.objects.filter(identifiers__issuer=source)
    entries = []
    for entry in AuditEntry.objects.filter(participant__in=people).order_by("pk"):
        changes = {k: v for k, v in entry.data.get("changes", {}).items() if k not in {"id", "community_id"}}
        data = {**entry.data, "changes": changes} if "changes" in entry.data else entry.data
        entries.append(
            (entry.action, entry.actor_id, entry.organisation_id, entry.object_type, entry.at, data)
        )
    return entries


@pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's")
def test_the_copy_path_writes_what_bulk_create_writes(pinned, run_upload, monkeypatch):
    data = generate(12, 12, today=pinned).to_bytes()
    monkeypatch.setattr(bulk, "COPY_FROM", 10**9)
    by_insert = run_upload(data, source="Par INSERT")
    monkeypatch.setattr(bulk, "COPY_FROM", 1)
    by_copy = run_upload(data, source="Par COPY")
    assert by_insert.status == by_copy.status == DONE
    assert (
        by_copy.counts["clients"]
        == by_insert.counts["clients"]
        == {
            "created": 12,
            "updated": 0,
            "unchanged": 0,
            "refused": 0,
        }
    )
    assert _people("Par COPY") == _people("Par INSERT")
    assert len(_people("Par COPY")) == 12
    assert _entries("Par COPY") == _entries("Par INSERT")
    assert len(_entries("Par COPY")) == 24
    identifiers = [
        list(Identifier.objects.filter(issuer=s).order_by("pk").values_list("kind", "value"))
        for s in ("Par INSERT", "Par COPY")
    ]
    assert identifiers[0] == identifiers[1]
    links = [
        list(
            ImportedPerson.objects.filter(hmis_import=i).order_by("pk").values_list("personal_id", "created")
        )
        for i in (by_insert, by_copy)
    ]
    assert links[0] == links[1]
    assert len(links[1]) == 12
