"""The migration that makes a field visit one contact resolves the visits logged twice before it, losing
nothing written (issue 12, part 2)."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from ancrage.casework.contacts import services
from ancrage.casework.models import Contact, FieldVisit
from ancrage.core import clock
from ancrage.core.permissions import Role
from ancrage.people.tests.factories import member
from tests.migrating import Migrations

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = ("casework", "0002_stamped_by_the_clock")
AFTER = ("casework", "0003_one_contact_per_visit")


def test_duplicates_merged_into_the_first(case_manager_a, participant_a, org_a):
    peer = member(org_a, Role.PEER_SUPPORT)
    start = clock.now() + datetime.timedelta(minutes=5)
    visit = services.visit_plan(
        actor=case_manager_a,
        participant=participant_a,
        location="Parc",
        planned_start=start,
        planned_end=start + datetime.timedelta(hours=1),
    )
    other_visit = services.visit_plan(
        actor=case_manager_a,
        participant=participant_a,
        location="Bureau",
        planned_start=start,
        planned_end=start + datetime.timedelta(hours=1),
    )
    FieldVisit.objects.update(status=FieldVisit.Status.ENDED)
    migrations = Migrations()
    # Back before the migration: casework's later migrations and what depends on them in other apps are undone.
    state = migrations.undo([AFTER])
    assert BEFORE in migrations.applied
    try:
        old_contact = state.apps.get_model("casework", "Contact")
        common = {
            "participant_id": participant_a.pk,
            "organisation_id": org_a.pk,
            "duration_minutes": 60,
            "kind": "home",
            "visit_id": visit.pk,
            "recorded_by_id": case_manager_a.pk,
        }
        first = old_contact.objects.create(
            occurred_at=clock.now(), recorded_at=clock.now(), shared_note="Vu chez lui", **common
        )
        first.staff.add(case_manager_a.pk)
        second = old_contact.objects.create(
            occurred_at=clock.now(),
            recorded_at=clock.now() + datetime.timedelta(minutes=2),
            shared_note="Il a parlé de son frère",
            private_note="À surveiller",
            **common,
        )
        second.staff.add(peer.pk)
        third = old_contact.objects.create(
            occurred_at=clock.now(),
            recorded_at=clock.now() + datetime.timedelta(minutes=3),
            shared_note="Vu chez lui",
            **common,
        )
        lone = old_contact.objects.create(
            occurred_at=clock.now(), recorded_at=clock.now(), **(common | {"visit_id": other_visit.pk})
        )

        def assert_merged_into_the_first(contacts) -> None:
            kept = contacts.get(visit_id=visit.pk)
            assert kept.pk == first.pk
            assert kept.shared_note.startswith("Vu chez lui")
            assert "Il a parlé de son frère" in kept.shared_note
            assert kept.shared_note.count("Vu chez lui") == 1  # the same words are not repeated
            assert "À surveiller" in kept.private_note
            assert {u.pk for u in kept.staff.all()} == {case_manager_a.pk, peer.pk}
            assert not contacts.filter(pk__in=[second.pk, third.pk]).exists()
            assert contacts.get(visit_id=other_visit.pk).pk == lone.pk

        # The migration alone, seen through the models of its own state.
        merged = migrations.apply([AFTER]).apps.get_model("casework", "Contact")
        assert_merged_into_the_first(merged.objects)
        merged_note = merged.objects.get(visit_id=visit.pk).shared_note
        # Back and forth: the constraint goes and comes back, the merged contact stays.
        migrations.undo([AFTER])
        assert AFTER not in migrations.applied
    finally:
        # Every app back to its latest state: going back in casework also undid the apps that depend on it
        # (partners links risk plans), which the next tests on this worker need.
        migrations.apply()
    # And at the latest state, through the project's models.
    assert_merged_into_the_first(Contact.objects)
    assert Contact.objects.get(visit=visit).shared_note == merged_note
    # Nothing is left undone for the tests that follow on this worker.
    loader = MigrationLoader(connection)
    assert set(loader.graph.leaf_nodes()) <= loader.applied_migrations.keys()
