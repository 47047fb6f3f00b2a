"""Shared pieces of the JSON API's schemas: bounded text, ids, numbers and dates, bounded pages, the error shape.

Every API module builds its input schemas from these, so a value the database cannot hold (a NUL byte, a
string longer than its column, an integer past the column's range, a date of year 1) is refused with a 422
that names the field and says why, the same way on PostgreSQL and on SQLite, before any query runs.
"""

from __future__ import annotations

import datetime
import math
from typing import Annotated, Any

from django.conf import settings
from django.db import models
from django.db.backends.base.operations import BaseDatabaseOperations
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from ninja import Field, Query, Schema
from ninja.pagination import PageNumberPagination
from pydantic import AfterValidator
from pydantic_core import PydanticCustomError

# PostgreSQL's ranges (the strictest of our two databases); SQLite takes them too.
_RANGES = BaseDatabaseOperations.integer_field_ranges
ID_MAX = _RANGES["BigIntegerField"][1]
INT_MIN, INT_MAX = _RANGES["IntegerField"]

# Before 1900 no date in this registry is real (birth included); after 2199 none is either. Within these
# bounds every date and time converts between time zones without overflowing.
DATE_MIN = datetime.date(1900, 1, 1)
DATE_MAX = datetime.date(2199, 12, 31)

# Deep enough for the last page of any list we hold; small enough that page x page size stays an integer.
PAGE_MAX = 1_000_000
PAGE_SIZE_MAX = 100
# How many ids or words one list in a request may carry.
LIST_MAX = 200
# The largest number a free answer may hold (a count, an amount): far past any real one.
NUMBER_MAX = 10**12


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise PydanticCustomError("nul_character", "Null characters are not allowed.")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        # A lone surrogate: neither database can store it.
        raise PydanticCustomError("invalid_character", "Invalid character.") from None
    return value


# Text the database can store: no NUL byte, no lone surrogate. The length comes from text_field().
Text = Annotated[str, AfterValidator(_no_nul)]
# An id: positive and within the range of a primary key.
Id = Annotated[int, Field(ge=1, le=ID_MAX)]
# A count or small number stored in an integer column.
Int = Annotated[int, Field(ge=INT_MIN, le=INT_MAX)]
Date = Annotated[datetime.date, Field(ge=DATE_MIN, le=DATE_MAX)]
# A date of birth: not before 1900; a date in the future is the service's to refuse, in the rule's words.
BirthDate = Annotated[datetime.date, Field(ge=DATE_MIN)]


def _bounded_moment(value: datetime.datetime) -> datetime.datetime:
    if not DATE_MIN <= value.date() <= DATE_MAX:
        raise PydanticCustomError(
            "date_out_of_range",
            "Date out of range.",
            {"min": DATE_MIN.isoformat(), "max": DATE_MAX.isoformat()},
        )
    if timezone.is_naive(value):
        # A moment without a zone is one of the application's zone (Montréal), as a form's would be.
        value = timezone.make_aware(value)
    return value


DateTime = Annotated[datetime.datetime, AfterValidator(_bounded_moment)]


def max_length_of(model: type[models.Model], name: str) -> int:
    """The longest text the model's field holds: its column's max_length, or the note limit for a TextField."""
    field = model._meta.get_field(name)
    if getattr(field, "max_length", None):
        return field.max_length  # type: ignore[union-attr, return-value]
    return settings.ANCRAGE["NOTE_MAX_LENGTH"]


def text_field(model: type[models.Model], name: str, default: Any = ..., **kwargs: Any) -> Any:
    """Field(...) for a Text that goes into model.name: at most as long as the column."""
    return Field(default, max_length=max_length_of(model, name), **kwargs)


def list_field(**kwargs: Any) -> Any:
    """Field(...) for a list (of ids, of words): empty by default, at most LIST_MAX items."""
    return Field(default_factory=list, max_length=LIST_MAX, **kwargs)


def _json_value(value: Any, depth: int = 0) -> Any:
    if depth > 10:
        raise PydanticCustomError("too_deep", "Too deeply nested.")
    if isinstance(value, str):
        if len(value) > settings.ANCRAGE["NOTE_MAX_LENGTH"]:
            raise PydanticCustomError(
                "string_too_long", "String too long.", {"max_length": settings.ANCRAGE["NOTE_MAX_LENGTH"]}
            )
        return _no_nul(value)
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        if not -NUMBER_MAX <= value <= NUMBER_MAX:
            raise PydanticCustomError("int_out_of_range", "Number out of range.")
        return value
    if isinstance(value, float):
        # Answers are scored by adding them up: a finite, human-sized number keeps every total finite.
        if not math.isfinite(value) or abs(value) > NUMBER_MAX:
            raise PydanticCustomError("int_out_of_range", "Number out of range.")
        return value
    if isinstance(value, list):
        if len(value) > LIST_MAX:
            raise PydanticCustomError("too_long", "Too many items.", {"max_length": LIST_MAX})
        return [_json_value(v, depth + 1) for v in value]
    if isinstance(value, dict):
        if len(value) > LIST_MAX:
            raise PydanticCustomError("too_long", "Too many items.", {"max_length": LIST_MAX})
        return {_json_value(k, depth + 1): _json_value(v, depth + 1) for k, v in value.items()}
    return value


# Free JSON (an assessment's answers): strings, numbers and nesting the database and the scoring can take.
JsonObject = Annotated[dict[str, Any], AfterValidator(_json_value)]


class PageIn(Schema):
    page: int = Field(1, ge=1, le=PAGE_MAX)
    page_size: int | None = Field(None, ge=1, le=PAGE_SIZE_MAX)


class Pagination(PageNumberPagination):
    """Page-number pagination whose page stays within what an SQL OFFSET can hold."""

    Input = PageIn  # type: ignore[assignment]


class MappedPage:
    """A queryset handed to @paginate whose page, once cut, is mapped row by row by `fn` (an `Out.of`): the
    list is never loaded whole. With `count_for`, the list's count is the one that user was given within the
    last minute for the same query (core/counting), for a list that grows with the community (issue 16)."""

    def __init__(self, queryset, fn, *, count_for=None):
        self.queryset, self.fn, self.count_for = queryset, fn, count_for

    def all(self) -> MappedPage:
        return self

    def count(self) -> int:
        if self.count_for is not None:
            from ancrage.core.counting import count_for_a_while

            return count_for_a_while(self.queryset, user=self.count_for)
        return self.queryset.count()

    def __getitem__(self, key: slice) -> list:
        return [self.fn(row) for row in self.queryset[key]]


# --- errors --------------------------------------------------------------------------------------------------


class ErrorOut(Schema):
    """Every error the API answers: a sentence, and for a 422 the messages of each field."""

    detail: str
    errors: dict[str, list[str]] | None = None


def errors(*codes: int) -> dict[int, type[ErrorOut]]:
    """The error answers an operation declares: errors(401, 404) -> {401: ErrorOut, 404: ErrorOut}."""
    return dict.fromkeys(codes or (401, 403, 404, 422), ErrorOut)


def _limit(value: Any) -> str:
    if isinstance(value, datetime.date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, str):
        try:
            return formats.date_format(datetime.date.fromisoformat(value), "SHORT_DATE_FORMAT")
        except ValueError:
            return value
    if isinstance(value, int):
        return formats.number_format(value, use_l10n=True, force_grouping=True)
    return str(value)


def _is_date(value: Any) -> bool:
    # ninja hands the errors over in JSON form: a date limit comes as "1900-01-01".
    if isinstance(value, datetime.date):
        return True
    try:
        datetime.date.fromisoformat(str(value))
    except ValueError:
        return False
    return True


def describe_error(err: dict[str, Any]) -> str:
    """One pydantic error in a sentence of the caller's language that says why the value was refused."""
    kind = err.get("type", "")
    ctx = err.get("ctx") or {}
    if kind == "missing":
        return _("This field is required.")
    if kind == "nul_character" or (
        kind == "string_pattern_mismatch" and ctx.get("pattern") == NO_NUL_PATTERN
    ):
        return _("Null characters are not allowed.")
    if kind == "invalid_character":
        return _("This text holds a character that cannot be stored.")
    if kind in {"string_too_long", "too_long"}:
        limit = int(ctx.get("max_length", 0))
        if kind == "string_too_long" or isinstance(err.get("input"), str):
            return ngettext("At most %(limit)s character.", "At most %(limit)s characters.", limit) % {
                "limit": _limit(limit)
            }
        return ngettext("At most %(limit)s item.", "At most %(limit)s items.", limit) % {
            "limit": _limit(limit)
        }
    if kind == "string_too_short":
        return _("This field is required.")
    if kind == "date_out_of_range" or (
        kind in {"greater_than_equal", "less_than_equal"} and _is_date(ctx.get("ge", ctx.get("le")))
    ):
        return _("Choose a date between %(min)s and %(max)s.") % {
            "min": _limit(DATE_MIN),
            "max": _limit(DATE_MAX),
        }
    if kind in {"greater_than_equal", "greater_than"}:
        return _("Must be at least %(limit)s.") % {"limit": _limit(ctx.get("ge", ctx.get("gt")))}
    if kind in {"less_than_equal", "less_than"}:
        return _("Must be at most %(limit)s.") % {"limit": _limit(ctx.get("le", ctx.get("lt")))}
    if kind == "int_out_of_range":
        return _("This number is too large.")
    if kind.startswith(("int_", "float_")):
        return _("Enter a number.")
    if kind.startswith("date") and "time" not in kind:
        return _("Enter a valid date (YYYY-MM-DD).")
    if kind.startswith(("datetime", "timezone")):
        return _("Enter a valid date and time (ISO 8601).")
    if kind.startswith("bool"):
        return _("Enter true or false.")
    if kind.startswith("string") or kind == "str_type":
        return _("Enter text.")
    if kind in {"list_type", "dict_type", "model_type", "model_attributes_type"}:
        return _("Wrong kind of value.")
    if kind == "too_deep":
        return _("Too deeply nested.")
    return _("Missing or malformed value.")


def bounded_text(model: type[models.Model], name: str) -> Any:
    """The Text type of model.name, its length included: for the items of a list of texts."""
    return Annotated[str, Field(max_length=max_length_of(model, name)), AfterValidator(_no_nul)]


# What a search box takes.
SEARCH_MAX = 200
NO_NUL_PATTERN = r"^[^\x00]*$"


def search_query(default: str = "") -> Any:
    """Query(...) for a search box: bounded, and no NUL byte. A pattern rather than the Text type, because
    ninja's @paginate resolves the view's annotations in its own module, where only builtins are known."""
    return Query(default, max_length=SEARCH_MAX, pattern=NO_NUL_PATTERN)


def int_field(model: type[models.Model], name: str, default: Any = ..., **kwargs: Any) -> Any:
    """Field(...) for an int that goes into model.name: within its column's range."""
    low, high = _RANGES[model._meta.get_field(name).get_internal_type()]
    return Field(default, ge=low, le=high, **kwargs)


# A word typed in a query string (a search, a filter): bounded, no NUL byte. Not for @paginate's views
# (see search_query).
Search = Annotated[str, Field(max_length=SEARCH_MAX), AfterValidator(_no_nul)]
