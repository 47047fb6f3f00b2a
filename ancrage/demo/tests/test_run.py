"""The demo runs each service at its moment; inside the build's transaction, without the savepoint of the
service's own atomic block (a refusal fails the whole build)."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from ancrage.casework.plans import services as plans_services
from ancrage.core.models import AuditEntry
from ancrage.demo.state import DemoState, without_own_savepoint
from ancrage.people import services as people_services

pytestmark = pytest.mark.django_db

NOON = datetime.datetime(2026, 6, 15, 16, 0, tzinfo=datetime.UTC)


def test_a_service_without_its_own_atomic_block():
    assert without_own_savepoint(plans_services.goal_add) is plans_services.goal_add.__wrapped__
    assert without_own_savepoint(len) is len

    def plain():
        return 1

    assert without_own_savepoint(plain) is plain
    durable = transaction.atomic(durable=True)(plain)
    assert without_own_savepoint(durable) is durable
    elsewhere = transaction.atomic(using="other")(plain)
    assert without_own_savepoint(elsewhere) is elsewhere


def test_run_writes_at_its_moment_without_a_savepoint(case_manager_a, participant_a):
    state = DemoState(1, NOON, {})
    with CaptureQueriesContext(connection) as captured:
        alias = state.run(
            NOON - datetime.timedelta(days=3),
            people_services.alias_add,
            actor=case_manager_a,
            participant=participant_a,
            name="Lou",
        )
    assert alias.pk is not None
    assert not [q for q in captured.captured_queries if "SAVEPOINT" in q["sql"].upper()]
    entry = AuditEntry.objects.filter(action="people.alias.added", participant=participant_a).get()
    assert entry.at == NOON - datetime.timedelta(days=3)


def test_a_refusal_names_the_service_and_the_moment(case_manager_a, participant_a):
    state = DemoState(1, NOON, {})
    with pytest.raises(ValidationError) as refused:
        state.run(
            NOON - datetime.timedelta(days=3),
            people_services.alias_add,
            actor=case_manager_a,
            participant=participant_a,
            name="   ",
        )
    assert "alias_add at" in str(refused.value)
    with pytest.raises(ValueError, match="after the demo's end"):
        state.run(NOON + datetime.timedelta(minutes=1), people_services.alias_add, actor=None)
