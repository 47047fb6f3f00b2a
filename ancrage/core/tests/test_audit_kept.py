"""Inside `audit.entries_kept()` the entries `record` makes are written together, in their order, before
anything reads or writes the audit trail and at the block's end: the same entries, with the same ids."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ancrage.core import audit, clock
from ancrage.core.models import AuditEntry

pytestmark = pytest.mark.django_db

NOON = datetime.datetime(2026, 6, 15, 16, 0, tzinfo=datetime.UTC)


def _record(actor, participant, n: int) -> None:
    for k in range(n):
        with clock.at(NOON - datetime.timedelta(minutes=n - k)):
            audit.record(
                actor=actor,
                action="people.participant.updated",
                obj=participant,
                participant=participant,
                data={"k": k},
            )


def _rows(since: int) -> list[tuple]:
    return list(
        AuditEntry.objects.filter(pk__gt=since)
        .order_by("pk")
        .values_list("at", "actor_id", "organisation_id", "action", "object_type", "object_id", "data")
    )


def test_kept_entries_are_those_recorded_one_by_one(case_manager_a, participant_a):
    start = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    _record(case_manager_a, participant_a, 3)
    one_by_one = _rows(start)
    middle = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first()
    with audit.entries_kept(), CaptureQueriesContext(connection) as captured:
        _record(case_manager_a, participant_a, 3)
        assert captured.captured_queries == []
    assert _rows(middle) == one_by_one


def test_whatever_reads_or_writes_the_trail_inside_sees_every_entry_before_it(case_manager_a, participant_a):
    with time_machine.travel(NOON, tick=False), audit.entries_kept():
        _record(case_manager_a, participant_a, 2)
        with CaptureQueriesContext(connection) as captured:
            assert (
                AuditEntry.objects.filter(
                    participant=participant_a, action="people.participant.updated"
                ).count()
                == 2
            )
        # The two entries in one INSERT, then the count.
        assert [q["sql"].split()[0] for q in captured.captured_queries] == ["INSERT", "SELECT"]
        _record(case_manager_a, participant_a, 1)
        audit.record_many(
            actor=case_manager_a,
            action="people.participant.viewed",
            items=[(participant_a, participant_a, {})],
        )
    actions = list(
        AuditEntry.objects.filter(participant=participant_a).order_by("pk").values_list("action", flat=True)
    )
    assert actions[-4:] == [
        "people.participant.updated",
        "people.participant.updated",
        "people.participant.updated",
        "people.participant.viewed",
    ]


def test_many_entries_are_one_statement(case_manager_a, participant_a, django_assert_max_num_queries):
    assert case_manager_a.primary_membership is not None  # read once, as the first entry would
    with django_assert_max_num_queries(1), audit.entries_kept():
        _record(case_manager_a, participant_a, 100)
    assert AuditEntry.objects.filter(action="people.participant.updated").count() == 100


def test_a_block_left_on_an_error_writes_nothing_and_recording_is_as_before_after_it(
    case_manager_a, participant_a
):
    before = AuditEntry.objects.count()

    def fails():
        with audit.entries_kept():
            _record(case_manager_a, participant_a, 2)
            raise RuntimeError

    with pytest.raises(RuntimeError):
        fails()
    assert AuditEntry.objects.count() == before
    _record(case_manager_a, participant_a, 1)
    assert AuditEntry.objects.count() == before + 1
