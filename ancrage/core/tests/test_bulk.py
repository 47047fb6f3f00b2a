"""`bulk.insert`: the rows `bulk_create` writes, by COPY on PostgreSQL (keys drawn from the sequence, stamps
filled in, awkward text intact, relations checked); and `cycle_collector_paused`."""

from __future__ import annotations

import datetime
import gc

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ancrage.core import bulk
from ancrage.core.models import AuditEntry
from ancrage.people.models import Identifier, Participant

pytestmark = pytest.mark.django_db
postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's")

NOON = datetime.datetime(2026, 6, 15, 16, 0, tzinfo=datetime.UTC)
# Text COPY must carry as they are: its separators, its escape, its null marker, quotes, accents, emoji.
AWKWARD = ["a\tb", "line\nbreak\r\n", "back\\slash", "\\N", "", "l'Île-d’Orléans 🏠", '"quoted"']


def _people(org, actor, tag: str) -> list[Participant]:
    return [
        Participant(
            organisation=org,
            created_by=actor if n % 2 else None,
            community_id=f"{tag}-{n}",
            legal_first_name=text or "x",
            legal_last_name=f"Nom {n}",
            current_location=text,
            date_of_birth=datetime.date(1980, 1, n + 1) if n % 3 else None,
            dob_quality="exact" if n % 3 else "not_collected",
            search_text=text,
        )
        for n, text in enumerate(AWKWARD)
    ]


def _written(model, rows, ignore=("id",)) -> list[dict]:
    return [
        {k: v for k, v in values.items() if k not in ignore}
        for values in model.objects.filter(pk__in=[r.pk for r in rows]).order_by("pk").values()
    ]


@postgres_only
def test_copy_writes_the_rows_bulk_create_writes(monkeypatch, org_a, case_manager_a):
    with time_machine.travel(NOON, tick=False):
        expected = Participant.objects.bulk_create(_people(org_a, case_manager_a, "A"))
        monkeypatch.setattr(bulk, "COPY_FROM", 1)
        with CaptureQueriesContext(connection) as queries:
            copied = bulk.insert(Participant, _people(org_a, case_manager_a, "B"))
    assert any(q["sql"].startswith("COPY ") for q in queries)  # it took the COPY path, counted
    assert len(queries) == 2  # the keys, then the rows
    assert all(p.pk and not p._state.adding for p in copied)
    assert len({p.pk for p in copied}) == len(copied)
    ignore = ("id", "community_id")
    assert _written(Participant, copied, ignore) == _written(Participant, expected, ignore)
    # The stamps were filled in on the instances, as bulk_create fills them in.
    assert copied[0].updated_at == expected[0].updated_at == NOON


@postgres_only
def test_copy_writes_json_and_foreign_keys_given_as_objects(monkeypatch, org_a, case_manager_a):
    participant = Participant.objects.bulk_create(_people(org_a, case_manager_a, "C"))[0]
    data = {"changes": {"legal_last_name": [None, "Côté\t\\N"], "n": [1, 2.5], "ok": True, "none": None}}

    def entries():
        return [
            AuditEntry(
                actor=case_manager_a, organisation=org_a, action="x.y", participant=participant, data=data
            ),
            AuditEntry(action="x.z", object_id="7", is_read=True),
        ]

    with time_machine.travel(NOON, tick=False):
        expected = AuditEntry.objects.bulk_create(entries())
        monkeypatch.setattr(bulk, "COPY_FROM", 1)
        copied = bulk.insert(AuditEntry, entries())
    assert _written(AuditEntry, copied) == _written(AuditEntry, expected)
    assert AuditEntry.objects.get(pk=copied[0].pk).data == data


@postgres_only
def test_copy_takes_the_key_of_a_related_object_saved_since(monkeypatch, org_a, case_manager_a):
    monkeypatch.setattr(bulk, "COPY_FROM", 1)
    person = _people(org_a, case_manager_a, "D")[0]
    identifier = Identifier(participant=person, kind="hmis", value="K1", issuer="S")
    with pytest.raises(ValueError, match="unsaved related object"):
        bulk.insert(Identifier, [identifier])
    bulk.insert(Participant, [person])
    bulk.insert(Identifier, [identifier])
    assert Identifier.objects.get(value="K1").participant_id == person.pk


@pytest.mark.parametrize("copy_from", [1, 100])
def test_rows_that_have_a_key_are_refused_or_written_as_bulk_create_would(
    monkeypatch, org_a, case_manager_a, copy_from
):
    monkeypatch.setattr(bulk, "COPY_FROM", copy_from)
    people = bulk.insert(Participant, _people(org_a, case_manager_a, "E"))
    assert Participant.objects.filter(pk__in=[p.pk for p in people]).count() == len(AWKWARD)
    if connection.vendor == "postgresql" and copy_from == 1:
        with pytest.raises(ValueError, match="new rows only"):
            bulk.insert(Participant, people)


def test_nothing_to_write_sends_nothing(org_a):
    with CaptureQueriesContext(connection) as queries:
        assert bulk.insert(Participant, []) == []
    assert len(queries) == 0


def test_the_collector_is_paused_for_the_batch_then_back_as_it_was():
    assert gc.isenabled()
    with bulk.cycle_collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(RuntimeError), bulk.cycle_collector_paused():
        raise RuntimeError("batch failed")
    assert gc.isenabled()
    gc.disable()
    try:
        with bulk.cycle_collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # it was off: left off
    finally:
        gc.enable()
