"""The by-name list read through the consent visibility lookup gives the same rows, in the same order, as
the rule before it (the old joins, kept as the oracle in `people.tests.visibility_world`), for every role."""

from __future__ import annotations

import datetime
import random

import pytest
import time_machine

from ancrage.access import selectors
from ancrage.access.models import ByNameEntry, ByNameStatus
from ancrage.access.services.by_name import by_name_entry_add
from ancrage.core.permissions import Category, Role
from ancrage.people.tests.visibility_world import build_world, oracle_visible_for_category

PINNED = datetime.datetime(2031, 3, 10, 23, 40, tzinfo=datetime.UTC)


def _oracle(user, *, status=None, chronic=None, sort="entered_on") -> list[int]:
    if not user.has_ancrage_perm("access.view_by_name_list"):
        return []
    visible = oracle_visible_for_category(user, Category.COORDINATED_ACCESS)
    qs = ByNameEntry.objects.filter(
        participant_id__in=visible, participant__merged_into__isnull=True, listed_via__isnull=True
    )
    if status:
        qs = qs.filter(status=status)
    if chronic is not None:
        qs = qs.filter(is_chronic=chronic)
    return list(qs.order_by(*selectors.SORTS[sort], "id").values_list("pk", flat=True))


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "seed"), [(role, 100 + n) for n, role in enumerate(Role.values)])
def test_the_by_name_list_gives_the_same_rows_for_every_role(role, seed):
    with time_machine.travel(PINNED, tick=False):
        world = build_world(seed)
        rng = random.Random(seed)
        for p in world.participants:
            if p.merged_into_id is None:
                by_name_entry_add(
                    actor=world.writers[p.organisation_id],
                    participant=p,
                    reference_worker=world.writers[p.organisation_id],
                )
        # Ranks with ties and gaps, chronic flags and statuses, as the daily jobs leave them.
        for entry in ByNameEntry.objects.all():
            ByNameEntry.objects.filter(pk=entry.pk).update(
                priority_rank=rng.choice([None, 1, 2, 2, 3, rng.randint(4, 50)]),
                is_chronic=rng.random() < 0.5,
                status=rng.choice([ByNameStatus.ACTIVE, ByNameStatus.ACTIVE, ByNameStatus.INACTIVE]),
            )
        seen_someone = False
        for user in world.users_for(role):
            for kwargs in (
                {"sort": "rank"},
                {"sort": "entered_on"},
                {"sort": "name"},
                {"status": ByNameStatus.ACTIVE, "chronic": True, "sort": "rank"},
            ):
                # Both forms of the lookup: the page's (walk=True, a correlated EXISTS) and the whole list's.
                new = list(selectors.by_name_list_for_user(user, **kwargs).values_list("pk", flat=True))
                walked = selectors.by_name_list_for_user(user, **kwargs, walk=True).values_list(
                    "pk", flat=True
                )
                assert new == _oracle(user, **kwargs), (user.roles, kwargs)
                assert list(walked) == new, (user.roles, kwargs)
                seen_someone = seen_someone or bool(new)
        if role in (Role.COORDINATED_ACCESS, Role.CASE_MANAGER):
            assert seen_someone  # the comparison is not between two empty lists
