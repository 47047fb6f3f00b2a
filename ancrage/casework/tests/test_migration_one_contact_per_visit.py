"""The migration that makes a field visit one contact resolves the visits logged twice before it, losing
nothing written (issue 12, part 2)."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from ancrage.casework.contacts import services
from ancrage.casework.models import Contact, FieldVisit
from ancrage.core import clock
from ancrage.core.permissions import Role
from ancrage.people.tests.factories import member

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
    executor = MigrationExecutor(connection)
    executor.migrate([BEFORE])
    try:
        old = MigrationExecutor(connection).loader.project_state([BEFORE]).apps
        old_contact = old.get_model("casework", "Contact")
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
    finally:
        # Every app back to its latest state: going back in casework also undid the apps that depend on it
        # (partners links risk plans), which the next tests on this worker need.
        call_command("migrate", verbosity=0)
    kept = Contact.objects.get(visit=visit)
    assert kept.pk == first.pk
    assert kept.shared_note.startswith("Vu chez lui")
    assert "Il a parlé de son frère" in kept.shared_note
    assert kept.shared_note.count("Vu chez lui") == 1  # the same words are not repeated
    assert "À surveiller" in kept.private_note
    assert {u.pk for u in kept.staff.all()} == {case_manager_a.pk, peer.pk}
    assert not Contact.objects.filter(pk__in=[second.pk, third.pk]).exists()
    assert Contact.objects.get(visit=other_visit).pk == lone.pk
    # Back and forth: the constraint goes and comes back, the merged contact stays.
    call_command("migrate", "casework", BEFORE[1], verbosity=0)
    call_command("migrate", verbosity=0)
    assert Contact.objects.get(visit=visit).shared_note == kept.shared_note
    # Nothing is left undone for the tests that follow on this worker.
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(connection)
    assert set(loader.graph.leaf_nodes()) <= loader.applied_migrations.keys()
