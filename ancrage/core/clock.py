"""The application's one clock: now, today, and running code at a chosen moment.

Every rule, service and page asks this module for the time, never `timezone.now()` or `date.today()`
(ruff's TID251 refuses them elsewhere). Tests move it with `time-machine`, which moves what
`timezone.now()` answers underneath; the demo builder runs each service `at()` its event's moment, so
what the service writes (its rows, its audit entry) is dated then without rewriting history afterwards.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime
from collections.abc import Iterator

from django.utils import timezone

_moment: contextvars.ContextVar[datetime.datetime | None] = contextvars.ContextVar(
    "ancrage_clock_moment", default=None
)


def now() -> datetime.datetime:
    """The current moment, aware, in UTC (or the moment code runs `at`)."""
    moment = _moment.get()
    if moment is not None:
        return moment
    return timezone.now()  # noqa: TID251 - the one place that reads the machine's clock


def localtime(moment: datetime.datetime | None = None) -> datetime.datetime:
    """A moment (the current one by default) in the application's time zone (Montréal)."""
    return timezone.localtime(now() if moment is None else moment)  # noqa: TID251


def today() -> datetime.date:
    """Today's date in the application's time zone, not the machine's."""
    return timezone.localdate(now())  # noqa: TID251


def localdate(moment: datetime.datetime | None = None) -> datetime.date:
    """The date a moment (the current one by default) falls on in the application's time zone."""
    return timezone.localdate(now() if moment is None else moment)  # noqa: TID251


def start_of_day(day: datetime.date) -> datetime.datetime:
    """The first moment of `day` in the application's time zone, aware."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def is_running_at() -> bool:
    """True inside `at()`: code that must not wait on the real world (an email's timer) can tell."""
    return _moment.get() is not None


@contextlib.contextmanager
def at(moment: datetime.datetime) -> Iterator[datetime.datetime]:
    """Run the enclosed code as if it were `moment`: `now()` and `today()` answer it, and every row
    stamped with the clock (created, recorded, audited) carries it. Nests; the previous moment is
    restored on exit, even on error."""
    if timezone.is_naive(moment):
        raise ValueError("clock.at() needs an aware moment")
    token = _moment.set(moment)
    try:
        yield moment
    finally:
        _moment.reset(token)
