"""A bulk load defers rank recomputation: changes inside `ranks_recompute_deferred()` queue none."""

import pytest
from django.db import transaction

from ancrage.access.services import policies

pytestmark = pytest.mark.django_db


def _queued() -> int:
    return len(transaction.get_connection().run_on_commit)


def test_a_change_queues_one_recomputation_and_a_deferred_one_none():
    with transaction.atomic():
        before = _queued()
        with policies.ranks_recompute_deferred():
            policies.schedule_ranks_recompute()
        assert _queued() == before
        policies.schedule_ranks_recompute()
        policies.schedule_ranks_recompute()
        assert _queued() == before + 1


def test_deferral_ends_even_on_error():
    with pytest.raises(RuntimeError), policies.ranks_recompute_deferred():
        raise RuntimeError
    with transaction.atomic():
        before = _queued()
        policies.schedule_ranks_recompute()
        assert _queued() == before + 1
