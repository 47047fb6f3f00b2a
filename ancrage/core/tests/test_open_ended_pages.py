"""Open-ended pages: a list read 25 rows (and one) at a time, never counted; any `?page=` is answered."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from ancrage.core.views_helpers import MAX_PAGE, OpenEndedPage, paginate


def _page(value: str | None, rows: int = 60, per_page: int = 25) -> OpenEndedPage:
    request = RequestFactory().get("/", {} if value is None else {"page": value})
    page = paginate(request, list(range(rows)), per_page, count=False)
    assert isinstance(page, OpenEndedPage)
    return page


def test_pages_say_where_they_are_and_whether_more_follow():
    first = _page(None)
    assert (first.number, list(first)[:2], len(first), first.start_index(), first.end_index()) == (
        1,
        [0, 1],
        25,
        1,
        25,
    )
    assert first.has_next()
    assert not first.has_previous()
    assert first.next_page_number() == 2
    second = _page("2")
    assert (second.start_index(), second.end_index(), second.has_next(), second.previous_page_number()) == (
        26,
        50,
        True,
        1,
    )
    last = _page("3")
    assert (list(last), last.has_next(), last.has_previous()) == (list(range(50, 60)), False, True)


def test_a_list_of_exactly_one_page_has_no_next_page():
    page = _page("1", rows=25)
    assert len(page) == 25
    assert not page.has_next()
    assert not page.has_other_pages()


@pytest.mark.parametrize(
    ("value", "number"),
    [("0", 1), ("-3", 1), ("abc", 1), ("2\x00", 1), ("", 1), ("9" * 10_000, 1), ("99999999999", MAX_PAGE)],
)
def test_any_page_asked_is_answered(value, number):
    page = _page(value)
    assert page.number == number


def test_a_page_past_the_end_is_empty_with_a_way_back():
    page = _page("7")
    assert list(page) == []
    assert page.has_previous()
    assert not page.has_next()
    assert page.start_index() == 0
