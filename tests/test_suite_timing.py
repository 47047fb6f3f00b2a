"""The suite's own speed: users hash their password fast in tests, and the slow tests start first on every worker."""

from __future__ import annotations

import pytest

from tests.suite_timing import arrange, expected_seconds, slice_sizes


@pytest.mark.django_db
def test_users_made_in_tests_hash_their_password_fast():
    from ancrage.people.tests.factories import UserFactory

    user = UserFactory()
    assert user.password.startswith("md5$")
    assert user.check_password("correct-horse-battery")


def test_the_slices_are_the_ones_worksteal_hands_out():
    assert slice_sizes(10, 2) == [5, 5]
    assert slice_sizes(11, 2) == [5, 6]
    assert slice_sizes(7, 3) == [2, 2, 3]
    assert slice_sizes(5, 1) == [5]


def _arrange(items, workers):
    # (name, seconds, group): group 0 in a transaction, 1 transactional, 2 no database.
    ordered = arrange(items, workers, lambda item: item[1], lambda item: item[2])
    return [item[0] for item in ordered]


def test_each_worker_starts_with_its_share_of_the_slow_tests():
    items = [(f"quick{i}", 0.3, 0) for i in range(10)] + [("demo", 150, 0), ("api", 45, 0), ("docs", 30, 0)]
    ordered = _arrange(items, 2)
    first, second = ordered[:6], ordered[6:]  # slice_sizes(13, 2) == [6, 7]
    assert first[0] == "demo"
    assert second[:2] == ["api", "docs"]
    assert sorted(ordered) == sorted(name for name, _s, _g in items)


def test_a_slice_keeps_pytest_djangos_groups_in_order():
    """A transactional test empties the tables (the areas a migration loads): tests in a transaction run before."""
    items = [("browser1", 10, 1), ("browser2", 10, 1), ("plain", 0.3, 2)] + [
        (f"db{i}", 0.3, 0) for i in range(5)
    ]
    for workers in (1, 2, 3):
        ordered = arrange(items, workers, lambda item: item[1], lambda item: item[2])
        sizes = slice_sizes(len(items), workers)
        start = 0
        for size in sizes:
            groups = [group for _name, _s, group in ordered[start : start + size]]
            assert groups == sorted(groups), (workers, ordered)
            start += size


def test_without_workers_the_slowest_go_first_and_the_rest_keep_their_order():
    items = [("a", 0.3, 0), ("b", 0.3, 0), ("slow", 9, 0), ("c", 0.3, 0)]
    assert _arrange(items, 1) == ["slow", "a", "b", "c"]


def test_expected_seconds_takes_the_longest_prefix():
    assert expected_seconds("ancrage/demo/tests/test_seed.py::test_seed_demo_builds_the_consortium") == 150
    assert expected_seconds("ancrage/demo/tests/test_seed.py::test_tiny_pdf_is_a_pdf") == 5
    assert expected_seconds("tests/browser/test_login.py::test_login[fr]") == 10
    assert expected_seconds("ancrage/people/tests/test_services.py::test_x") < 1
