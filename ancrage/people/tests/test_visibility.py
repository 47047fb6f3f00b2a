"""The consent visibility lookup gives the same answers as the rule (the old joins, kept as the oracle) for
every kind of consent and every role; the services keep it exact; the nightly check repairs drift."""

from __future__ import annotations

import datetime
import logging

import pytest
import time_machine

from ancrage.core import clock, scheduling
from ancrage.core.permissions import Category, Role
from ancrage.people import selectors, services, visibility
from ancrage.people.models import Consent, ConsentVisibility, Participant
from ancrage.people.tests.factories import make_participant, member, share
from ancrage.people.tests.visibility_world import (
    build_world,
    oracle_categories_for,
    oracle_categories_for_organisation,
    oracle_visible_for_category,
    oracle_visible_to,
)

# Late evening in UTC: the next day already in no time zone, the same day in Montreal.
PINNED = datetime.datetime(2031, 3, 10, 23, 40, tzinfo=datetime.UTC)


@pytest.fixture
def pinned():
    with time_machine.travel(PINNED, tick=False):
        yield


def _compare(world, user) -> None:
    assert set(selectors.participants_visible_to(user).values_list("pk", flat=True)) == oracle_visible_to(
        user
    )
    for category in Category.values:
        new = set(selectors.participants_visible_for_category(user, category).values_list("pk", flat=True))
        assert new == oracle_visible_for_category(user, category), category
        # The UNION form (merged files are the caller's to leave out).
        ids = selectors.visible_ids_for_category(user, category)
        united = (
            set()
            if ids is None
            else set(Participant.objects.current().filter(pk__in=ids).values_list("pk", flat=True))
        )
        assert united == new, category
    expected = {p.pk: oracle_categories_for(user, p) for p in world.participants}
    for p in world.participants:
        assert selectors.categories_for(user, p) == expected[p.pk], (p.pk, world.kinds)
    many = selectors.categories_for_participants(user, expected)
    assert {pk: many.get(pk, frozenset()) for pk in expected} == expected


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "seed"), [(role, n) for n, role in enumerate(Role.values)])
def test_the_lookup_answers_as_the_rule_for_every_role(pinned, seed, role):
    world = build_world(seed)
    # The world holds every kind of consent the rule distinguishes.
    assert {
        "home only",
        "without identity",
        "revoked",
        "expired",
        "not yet started",
        "transferred",
        "merged",
    } <= set(world.kinds)
    for user in world.users_for(role):
        _compare(world, user)


@pytest.mark.django_db
def test_the_lookup_follows_the_days_without_a_write(pinned):
    """A consent that starts tomorrow opens the file tomorrow, one that ends today closes it the day after."""
    world = build_world(3)
    for days in (1, 2, 400):
        with time_machine.travel(PINNED + datetime.timedelta(days=days), tick=False):
            for user in world.users_for(Role.CASE_MANAGER):
                _compare(world, user)


@pytest.mark.django_db
def test_categories_for_an_organisation_answer_as_the_rule(pinned):
    world = build_world(4)
    for p in world.participants:
        for org in world.orgs:
            assert selectors.categories_for_organisation(p, org) == oracle_categories_for_organisation(p, org)


@pytest.mark.django_db
def test_the_services_keep_the_lookup_exact(pinned):
    """After every kind of write, a full rebuild finds nothing to repair."""
    build_world(5)
    assert ConsentVisibility.objects.exists()
    result = visibility.rebuild()
    assert (result["missing"], result["extra"], result["changed"]) == (0, 0, 0)


@pytest.mark.django_db
def test_revoking_takes_effect_at_once(pinned, org_a, org_b):
    writer = member(org_a, Role.CASE_MANAGER)
    partner = member(org_b, Role.PARTNER)
    p = make_participant(writer, org_a)
    consent = share(writer, p, [org_b], [Category.IDENTITY, Category.HOUSING])
    assert selectors.participants_visible_to(partner).filter(pk=p.pk).exists()
    services.consent_revoke(actor=writer, consent=consent, reason="retire")
    assert not selectors.participants_visible_to(partner).filter(pk=p.pk).exists()
    assert not ConsentVisibility.objects.filter(consent=consent).exists()


@pytest.mark.django_db
def test_the_nightly_check_repairs_and_reports_drift(pinned, org_a, org_b, caplog):
    writer = member(org_a, Role.CASE_MANAGER)
    partner = member(org_b, Role.PARTNER)
    p = make_participant(writer, org_a)
    kept = share(writer, p, [org_b], [Category.IDENTITY, Category.HOUSING])
    q = make_participant(writer, org_a, legal_first_name="Marie")
    gone = share(writer, q, [org_b], [Category.IDENTITY])
    # Writes past the services: a row lost, a revocation and a new expiry the lookup never heard of.
    ConsentVisibility.objects.filter(consent=kept, category=Category.HOUSING).delete()
    Consent.objects.filter(pk=gone.pk).update(revoked_at=clock.now())
    Consent.objects.filter(pk=kept.pk).update(expires_on=clock.today() + datetime.timedelta(days=3))
    assert selectors.participants_visible_to(partner).filter(pk=q.pk).exists()  # the drift is real
    with caplog.at_level(logging.WARNING, logger="ancrage.people.visibility"):
        result = visibility.check()
    assert result == {"rows": 2, "missing": 1, "extra": 1, "changed": 1, "drift": 3}
    assert "drifted" in caplog.text
    assert not selectors.participants_visible_to(partner).filter(pk=q.pk).exists()
    assert selectors.categories_for(partner, p) == {Category.IDENTITY, Category.HOUSING}
    assert set(ConsentVisibility.objects.values_list("expires_on", flat=True)) == {
        clock.today() + datetime.timedelta(days=3)
    }
    assert visibility.check()["drift"] == 0


@pytest.mark.django_db
def test_the_check_is_a_scheduled_job_that_runs(org_a):
    job = scheduling.get("people.visibility_check")
    assert job.get_task()
    with time_machine.travel(datetime.datetime(2031, 3, 11, 8, 30, tzinfo=datetime.UTC), tick=False):
        run = scheduling.enqueue_due("people.visibility_check")
    assert run is not None
    run.refresh_from_db()
    assert run.status == run.Status.SUCCEEDED, run.error
