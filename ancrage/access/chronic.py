"""The one place that decides chronic homelessness (Reaching Home's definition), with its figures."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from django.conf import settings as django_settings

HOMELESS_KINDS = frozenset({"homeless_sheltered", "homeless_unsheltered"})
PAST_YEAR_DAYS = 365
PAST_THREE_YEARS_DAYS = 1095


class Period(Protocol):
    kind: str
    starts_on: datetime.date
    ends_on: datetime.date | None


@dataclass(frozen=True)
class ChronicVerdict:
    """The verdict and the figures behind it, so the interface can explain it."""

    is_chronic: bool
    on: datetime.date
    days_past_year: int
    days_past_three_years: int
    threshold_past_year: int
    threshold_past_three_years: int

    @property
    def meets_past_year(self) -> bool:
        return self.days_past_year >= self.threshold_past_year

    @property
    def meets_past_three_years(self) -> bool:
        return self.days_past_three_years >= self.threshold_past_three_years


def homeless_days(periods: Iterable[Period], *, first: datetime.date, last: datetime.date) -> int:
    """Distinct homeless days between `first` and `last` (both included); overlaps count once.

    A period is a run of nights with both ends included; an open period runs to `last`.
    """
    spans = []
    for period in periods:
        if period.kind not in HOMELESS_KINDS:
            continue
        start = max(period.starts_on, first)
        end = min(period.ends_on or last, last)
        if start <= end:
            spans.append((start, end))
    spans.sort()
    total = 0
    current_start: datetime.date | None = None
    current_end: datetime.date | None = None
    for start, end in spans:
        if current_end is not None and start <= current_end + datetime.timedelta(days=1):
            current_end = max(current_end, end)
            continue
        if current_start is not None and current_end is not None:
            total += (current_end - current_start).days + 1
        current_start, current_end = start, end
    if current_start is not None and current_end is not None:
        total += (current_end - current_start).days + 1
    return total


def is_chronically_homeless(
    periods: Iterable[Period], *, on: datetime.date, settings: Mapping[str, Any] | None = None
) -> ChronicVerdict:
    """Chronic when homeless at least 180 of the past 365 days, or at least 546 of the past 1,095.

    The windows end on `on` (included): the past year is the 365 days from `on - 364` to `on`.
    Both thresholds come from settings.ANCRAGE (CHRONIC_DAYS_PAST_YEAR, CHRONIC_DAYS_PAST_THREE_YEARS),
    or from `settings` when given.
    """
    config = django_settings.ANCRAGE if settings is None else settings
    year_threshold = int(config["CHRONIC_DAYS_PAST_YEAR"])
    three_year_threshold = int(config["CHRONIC_DAYS_PAST_THREE_YEARS"])
    periods = list(periods)
    past_year = homeless_days(periods, first=on - datetime.timedelta(days=PAST_YEAR_DAYS - 1), last=on)
    past_three = homeless_days(
        periods, first=on - datetime.timedelta(days=PAST_THREE_YEARS_DAYS - 1), last=on
    )
    return ChronicVerdict(
        is_chronic=past_year >= year_threshold or past_three >= three_year_threshold,
        on=on,
        days_past_year=past_year,
        days_past_three_years=past_three,
        threshold_past_year=year_threshold,
        threshold_past_three_years=three_year_threshold,
    )
