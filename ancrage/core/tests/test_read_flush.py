"""A request's read entries are written in one INSERT in the request's own transaction, not in a
transaction of their own."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ancrage.core import audit
from ancrage.core.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def atomic_calls(monkeypatch):
    calls = []
    real = transaction.atomic

    def spy(*args, **kwargs):
        calls.append((args, kwargs))
        return real(*args, **kwargs)

    monkeypatch.setattr(transaction, "atomic", spy)
    return calls


def _pending(actor, participant, n: int) -> dict:
    return {
        (actor.pk, participant.pk, f"x{k}"): audit._read_entry(
            actor, participant.pk, "people.participant.viewed"
        )
        for k in range(n)
    }


def test_a_pages_reads_are_one_insert_without_a_transaction_of_their_own(
    case_manager_a, participant_a, atomic_calls
):
    pending = _pending(case_manager_a, participant_a, 3)
    before = AuditEntry.objects.count()
    with CaptureQueriesContext(connection) as captured:
        assert audit.flush_reads(pending) == 3
    assert [q["sql"].split()[0] for q in captured.captured_queries] == ["INSERT"]
    assert atomic_calls == []
    assert pending == {}
    written = AuditEntry.objects.order_by("-id")[:3]
    assert AuditEntry.objects.count() == before + 3
    for entry in written:
        assert (entry.actor, entry.participant, entry.is_read) == (case_manager_a, participant_a, True)
        assert entry.at is not None
        assert entry.organisation_id is not None


def test_more_than_one_statement_of_reads_is_written_all_or_nothing(
    case_manager_a, participant_a, atomic_calls
):
    pending = _pending(case_manager_a, participant_a, 501)
    before = AuditEntry.objects.count()
    assert audit.flush_reads(pending) == 501
    assert len(atomic_calls) == 1
    assert AuditEntry.objects.count() == before + 501


def test_nothing_to_write_sends_nothing(atomic_calls):
    with CaptureQueriesContext(connection) as captured:
        assert audit.flush_reads({}) == 0
    assert captured.captured_queries == []


def test_a_page_writes_its_read_in_one_statement(client_for, case_manager_a, participant_a):
    c = client_for(case_manager_a)
    with CaptureQueriesContext(connection) as captured:
        assert c.get(reverse("people:detail", args=[participant_a.pk])).status_code == 200
    inserts = [q for q in captured.captured_queries if q["sql"].startswith('INSERT INTO "core_auditentry"')]
    assert len(inserts) == 1
    assert AuditEntry.objects.filter(is_read=True, participant=participant_a, actor=case_manager_a).exists()


def test_reads_written_in_one_statement_are_the_entries_record_read_writes_one_by_one(
    case_manager_a, participant_a
):
    import datetime

    from ancrage.core import clock

    first = clock.now() - datetime.timedelta(days=30)
    second = first + datetime.timedelta(days=3)
    fields = ("actor_id", "organisation_id", "action", "object_type", "object_id", "participant_id")
    fields += ("is_read", "data", "at")

    def written(since: int) -> list[tuple]:
        return list(AuditEntry.objects.filter(pk__gt=since).order_by("pk").values_list(*fields))

    start = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    with clock.at(first):
        audit.record_read(actor=case_manager_a, participant=participant_a, data={"categories": ["identity"]})
    with clock.at(second):
        audit.record_read(actor=case_manager_a, participant=participant_a, what="people.audit.viewed")
    one_by_one = written(start)
    middle = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first()
    with CaptureQueriesContext(connection) as captured:
        audit.read_entries_write(
            [
                (
                    first,
                    case_manager_a,
                    participant_a,
                    "people.participant.viewed",
                    None,
                    {"categories": ["identity"]},
                ),
                (second, case_manager_a, participant_a, "people.audit.viewed", None, None),
            ]
        )
    assert [q["sql"].split()[0] for q in captured.captured_queries] == ["INSERT"]
    assert written(middle) == one_by_one
    assert [row[-1] for row in one_by_one] == [first, second]
    with pytest.raises(ValueError, match="Unknown audit action"):
        audit.read_entries_write([(first, case_manager_a, participant_a, "people.nothing", None, None)])
