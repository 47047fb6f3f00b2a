"""Housing outcomes (C9), defined once, as pure functions on plain data (no database): the outcomes page, its
API and the reports (issue 15) all count the same way.

Definitions (the outcomes page says them in words too):

* A person's **first move-in** is the day they moved into their first tenancy with the programs: its
  `moved_in_on`, or its lease start when the move-in day was not recorded.
* The **cohort at N months** (6 or 12) on a reference day: the people whose first move-in is at least N months
  before the reference day, i.e. whose **milestone** (first move-in + N months) is on or before it.
* A person is **retained at N months** when they are housed on their milestone day, in ANY tenancy (a person
  rehoused by the program after an eviction counts as retained). Between two tenancies, a gap of at most
  `gap_days` days (the setting RETENTION_GAP_DAYS, 30 by default) still counts as housed; a longer gap does not.
* People who **died** on or before their milestone are taken out of the cohort (the denominator): a death is
  not a loss of housing.
* **Retention rate** = retained / cohort, as a percentage with one decimal.
* **Days to move-in**: from the person's start date (their first enrollment in a program, told to housing by
  the app that knows it, through `register_start_dates`) to their first move-in; median and 75th percentile
  (nearest rank) over the people of the period who have both dates, the start before the move-in.
* **Moves**: tenancies started in the period that are not the person's first. **Evictions**: tenancies ended
  in the period by an eviction. **Rehousings**: tenancies started in the period that follow an ended one
  (`previous` set).
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from ancrage.core.dates import months_later

MILESTONES = (6, 12)


class Stay(NamedTuple):
    """One tenancy, as far as outcomes go: from the move-in (or lease start) to its end (None: still housed).
    A named tuple: a report builds one per tenancy, 100,000 and more."""

    start: datetime.date
    end: datetime.date | None = None
    evicted: bool = False
    rehousing: bool = False


@dataclass(frozen=True)
class PersonHousing:
    """A person's tenancies with the programs, in the order they began, and whether and when they died."""

    participant_id: int
    stays: tuple[Stay, ...]
    died_on: datetime.date | None = None
    start_date: datetime.date | None = None

    @property
    def first_move_in(self) -> datetime.date | None:
        if len(self.stays) == 1:  # most people: one tenancy
            return self.stays[0].start
        return min((s.start for s in self.stays), default=None)


def milestone(first_move_in: datetime.date, months: int) -> datetime.date:
    """The day `months` after the first move-in (the 31st falls on the month's last day)."""
    return months_later(first_move_in, months)


def housed_on(stays: Sequence[Stay], day: datetime.date, gap_days: int) -> bool:
    """Whether the person is housed on `day`: inside a stay, or in a gap of at most `gap_days` days between the
    end of one stay and the start of a later one."""
    if len(stays) == 1:  # most people: one tenancy, and no gap to bridge
        only = stays[0]
        return only.start <= day and (only.end is None or day <= only.end)
    ordered = sorted(stays, key=lambda s: s.start)
    for stay in ordered:
        if stay.start <= day and (stay.end is None or day <= stay.end):
            return True
    for index, stay in enumerate(ordered):
        if stay.end is None or stay.end >= day:
            continue
        later = [s.start for s in ordered[index + 1 :] if s.start > stay.end]
        if later and min(later) > day and (min(later) - stay.end).days <= gap_days:
            return True
    return False


@dataclass
class Retention:
    """The N-month retention on a reference day: who is in the cohort, who is retained, who was taken out."""

    months: int
    cohort: list[int] = field(default_factory=list)
    retained: list[int] = field(default_factory=list)
    deceased: list[int] = field(default_factory=list)

    @property
    def not_retained(self) -> list[int]:
        kept = set(self.retained)
        return [pk for pk in self.cohort if pk not in kept]

    @property
    def rate(self) -> Decimal | None:
        if not self.cohort:
            return None
        return (Decimal(len(self.retained)) * 100 / Decimal(len(self.cohort))).quantize(Decimal("0.1"))


def retention(
    people: Iterable[PersonHousing], *, months: int, reference: datetime.date, gap_days: int
) -> Retention:
    result = Retention(months=months)
    milestones: dict[datetime.date, datetime.date] = {}  # many people share a first move-in day
    for person in people:
        first = person.first_move_in
        if first is None:
            continue
        day = milestones.get(first)
        if day is None:
            day = milestones[first] = milestone(first, months)
        if day > reference:
            continue
        if person.died_on is not None and person.died_on <= day:
            result.deceased.append(person.participant_id)
            continue
        result.cohort.append(person.participant_id)
        if housed_on(person.stays, day, gap_days):
            result.retained.append(person.participant_id)
    return result


def percentile(values: Sequence[int], share: float) -> int | None:
    """The nearest-rank percentile (`share` from 0 to 1) of whole numbers; None without values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(share * len(ordered)))
    return ordered[rank - 1]


def median(values: Sequence[int]) -> Decimal | None:
    if not values:
        return None
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return Decimal(ordered[middle])
    return (Decimal(ordered[middle - 1] + ordered[middle]) / 2).quantize(Decimal("0.1"))


def days_to_move_in(
    people: Iterable[PersonHousing], start: datetime.date, end: datetime.date
) -> dict[int, int]:
    """Days from each person's start date to their first move-in, for first move-ins in [start, end]."""
    result: dict[int, int] = {}
    for person in people:
        first = person.first_move_in
        if first is None or person.start_date is None or not start <= first <= end:
            continue
        if person.start_date <= first:
            result[person.participant_id] = (first - person.start_date).days
    return result


@dataclass
class Events:
    """What happened to tenancies in a period: moves, evictions and rehousings, with the people behind them."""

    moves: list[int] = field(default_factory=list)
    evictions: list[int] = field(default_factory=list)
    rehousings: list[int] = field(default_factory=list)


def events(people: Iterable[PersonHousing], start: datetime.date, end: datetime.date) -> Events:
    result = Events()
    for person in people:
        first = person.first_move_in
        for stay in person.stays:
            if start <= stay.start <= end:
                if stay.start != first:
                    result.moves.append(person.participant_id)
                if stay.rehousing:
                    result.rehousings.append(person.participant_id)
            if stay.evicted and stay.end is not None and start <= stay.end <= end:
                result.evictions.append(person.participant_id)
    return result


# --- start dates, told by the app that knows them (case management's first enrollment) -------------------

StartDates = Callable[[Iterable[int]], dict[int, datetime.date]]
_START_DATES: list[StartDates] = []


def register_start_dates(function: StartDates) -> None:
    """Called by an app above housing at start-up: `function(participant_ids) -> {id: start day}`."""
    if function not in _START_DATES:
        _START_DATES.append(function)


def start_dates(participant_ids: Iterable[int]) -> dict[int, datetime.date]:
    """Each person's start date, the earliest any registered source knows."""
    ids = list(participant_ids)
    result: dict[int, datetime.date] = {}
    for function in _START_DATES:
        for pk, day in function(ids).items():
            if pk not in result or day < result[pk]:
                result[pk] = day
    return result
