"""Small helpers shared by views: service errors onto forms, pagination, htmx partial rendering."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator

# The deepest page an open-ended list serves: past it, OFFSET reads more than anyone pages through.
MAX_PAGE = 4000


def apply_service_errors(form, exc: ValidationError) -> None:
    """Show a service's validation errors next to the fields they concern; keep every typed answer."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            target = field if field in form.fields else None
            for error in errors:
                form.add_error(target, error)
    else:
        for message in exc.messages:
            form.add_error(None, message)


@dataclass
class OpenEndedPage:
    """One page of a list read without counting the whole list: its rows, and whether more follow.

    The consent-scoped lists (participants, search, by-name list) read 25 rows (and one to know if there
    is a next page) in the order of an index; an exact COUNT would read every visible row on every page
    view, which is what made them grow with the community (issue 16). The page says "showing 26–50" and
    links to the first, previous and next pages instead of "page 2 of 4,000"."""

    object_list: list
    number: int
    per_page: int
    has_more: bool
    is_open_ended: bool = True

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)

    def has_next(self) -> bool:
        return self.has_more

    def has_previous(self) -> bool:
        return self.number > 1

    def has_other_pages(self) -> bool:
        return self.has_next() or self.has_previous()

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1

    def start_index(self) -> int:
        return (self.number - 1) * self.per_page + 1 if self.object_list else 0

    def end_index(self) -> int:
        return (self.number - 1) * self.per_page + len(self.object_list)


def _page_number(value) -> int:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return 1
    return min(max(number, 1), MAX_PAGE)


def paginate(request, queryset, per_page: int | None = None, *, count: bool = True) -> Page | OpenEndedPage:
    """A page of `queryset` as `?page=` asks. With `count=False` the list is not counted: one query reads
    the page and one row more (see `OpenEndedPage`); a page past the end shows no rows and a way back."""
    per_page = per_page or settings.ANCRAGE["PAGE_SIZE"]
    if count:
        paginator = Paginator(queryset, per_page)
        return paginator.get_page(request.GET.get("page"))
    number = _page_number(request.GET.get("page"))
    offset = (number - 1) * per_page
    rows = list(queryset[offset : offset + per_page + 1])
    return OpenEndedPage(
        object_list=rows[:per_page], number=number, per_page=per_page, has_more=len(rows) > per_page
    )
