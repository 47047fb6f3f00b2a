"""The outcomes page's figures (G5, C9, A7), defined once, as pure functions on plain data (no database): the
page, its exports and its API all count the same way. Housing retention is housing's own definition
(`ancrage.housing.outcomes`), reused here, never rewritten.

Definitions (the page says them in words too):

* **Days from referral to move-in**: from the person's first contact with coordinated access (the earlier of
  their first referral and their entry on the by-name list) to their first move-in (housing's definition),
  for the first move-ins of the period; median and 75th percentile (nearest rank).
* **Exits by destination**: the case-management exits of the period, grouped by where the person went:
  permanent housing (own or social housing), temporary (family or friends, another program's housing),
  homelessness (shelter, street), institutions (hospital, treatment, detention), deceased, other or unknown.
* **Returns to homelessness within N months** (6, 12, 24) of an exit to permanent housing: a person returns
  when, after the exit day and at most N months later, their by-name list entry becomes active again (a new
  entry, or a change back to active) or a later exit of theirs goes to a homelessness destination. Only exits
  whose N months are over by the end of the period are counted (the denominator), whenever they happened.
* **Community outcomes by month** (Reaching Home), from the by-name list's status changes: people homeless
  (active on the month's last day), chronically homeless (of those, the ones whose entry is chronic, as last
  computed), new inflows (entering the list as active in the month) and returns from housing (a change from
  housed back to active in the month). These are access's monthly-flow figures (`access.selectors`), counted
  in one pass over the rows here so they can be broken down by program, organisation and group.
* **Changes on the instruments**: for each person, the baseline is their first completed administration of
  the instrument; the k-th follow-up is the k-th completed one after it. For each follow-up and domain, the
  mean change from baseline, and people improved, the same or worse on the instrument's total (for the
  progress scale a higher score is better; for the baseline functioning scale, which counts concerns, a lower
  one is).
* **Small counts**: in every breakdown a count from 1 to threshold - 1 is hidden, with the rates and medians
  made of fewer people than the threshold.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from dateutil.relativedelta import relativedelta

from ancrage.core.dates import months_later, whole_years
from ancrage.housing.outcomes import median, percentile

RETURN_WINDOWS = (6, 12, 24)

# Exit destinations (casework's Exit.Destination values) and the group each belongs to.
DESTINATION_GROUPS: dict[str, str] = {
    "own_housing": "permanent",
    "subsidised": "permanent",
    "family": "temporary",
    "other_program": "temporary",
    "shelter": "homelessness",
    "street": "homelessness",
    "institution": "institution",
    "detention": "institution",
    "deceased": "deceased",
    "unknown": "other",
}
GROUPS = ("permanent", "temporary", "homelessness", "institution", "deceased", "other")


def destination_group(destination: str) -> str:
    return DESTINATION_GROUPS.get(destination, "other")


def rate(part: int, whole: int) -> Decimal | None:
    """A percentage with one decimal; None without a whole."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"))


# --- days from referral to move-in ------------------------------------------------------------------------


def referral_to_move_in(
    first_contact: Mapping[int, datetime.date],
    first_move_in: Mapping[int, datetime.date],
    start: datetime.date,
    end: datetime.date,
) -> dict[int, int]:
    """Days from each person's first contact with coordinated access to their first move-in, for first
    move-ins in [start, end] that come on or after the contact."""
    result: dict[int, int] = {}
    for pid, moved_in in first_move_in.items():
        contact = first_contact.get(pid)
        if contact is None or not start <= moved_in <= end or contact > moved_in:
            continue
        result[pid] = (moved_in - contact).days
    return result


def days_summary(days: Iterable[int]) -> tuple[Decimal | None, int | None]:
    values = list(days)
    return median(values), percentile(values, 0.75)


# --- exits and returns to homelessness --------------------------------------------------------------------


@dataclass(frozen=True)
class ExitFact:
    participant_id: int
    exited_on: datetime.date
    destination: str


def exits_by_group(
    exits: Iterable[ExitFact], start: datetime.date, end: datetime.date
) -> dict[str, list[int]]:
    """The people of each destination group among the exits of [start, end] (a person exits once per
    enrollment, so they may be there twice)."""
    result: dict[str, list[int]] = {group: [] for group in GROUPS}
    for fact in exits:
        if start <= fact.exited_on <= end:
            result[destination_group(fact.destination)].append(fact.participant_id)
    return result


@dataclass
class Returns:
    """Exits to permanent housing whose N months are over, and which of them were followed by a return."""

    months: int
    cohort: list[int] = field(default_factory=list)
    returned: list[int] = field(default_factory=list)

    @property
    def rate(self) -> Decimal | None:
        return rate(len(self.returned), len(self.cohort))


def homeless_days(
    exits: Iterable[ExitFact], became_active: Mapping[int, Sequence[datetime.date]]
) -> dict[int, list[datetime.date]]:
    """Each person's days of homelessness after which a return is counted: their by-name entry becoming
    active, and their exits to a homelessness destination."""
    result: dict[int, list[datetime.date]] = defaultdict(list)
    for pid, days in became_active.items():
        result[pid].extend(days)
    for fact in exits:
        if destination_group(fact.destination) == "homelessness":
            result[fact.participant_id].append(fact.exited_on)
    return result


def returns_to_homelessness(
    exits: Iterable[ExitFact],
    homeless_on: Mapping[int, Sequence[datetime.date]],
    *,
    months: int,
    reference: datetime.date,
) -> Returns:
    """Of the exits to permanent housing whose `months` are over on `reference`, those followed within
    `months` by a day of homelessness (after the exit day, on or before exit + months)."""
    result = Returns(months=months)
    for fact in exits:
        if destination_group(fact.destination) != "permanent":
            continue
        until = months_later(fact.exited_on, months)
        if until > reference:
            continue
        result.cohort.append(fact.participant_id)
        if any(fact.exited_on < day <= until for day in homeless_on.get(fact.participant_id, ())):
            result.returned.append(fact.participant_id)
    return result


# --- community outcomes by month (Reaching Home) ---------------------------------------------------------

COMMUNITY_FIGURES = ("homeless", "chronic", "new", "returned_from_housing")
ACTIVE, HOUSED = "active", "housed"


@dataclass(frozen=True)
class StatusChange:
    entry_id: int
    participant_id: int
    on: datetime.date
    from_status: str
    to_status: str
    change_id: int = 0


def months_between(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    """The first day of every month that overlaps [start, end]."""
    first = start.replace(day=1)
    result = []
    while first <= end:
        result.append(first)
        first += relativedelta(months=1)
    return result


def month_end(first: datetime.date) -> datetime.date:
    return first + relativedelta(months=1, days=-1)


def community_by_month(
    changes: Iterable[StatusChange], chronic_entries: set[int], months: Sequence[datetime.date]
) -> dict[datetime.date, dict[str, list[int]]]:
    """For each month (its first day), the people of each community figure."""
    by_entry: dict[int, list[StatusChange]] = defaultdict(list)
    result: dict[datetime.date, dict[str, list[int]]] = {
        m: {f: [] for f in COMMUNITY_FIGURES} for m in months
    }
    bounds = [(m, month_end(m)) for m in months]
    for change in changes:
        by_entry[change.entry_id].append(change)
        for first, last in bounds:
            if first <= change.on <= last and change.to_status == ACTIVE:
                if change.from_status == "":
                    result[first]["new"].append(change.participant_id)
                elif change.from_status == HOUSED:
                    result[first]["returned_from_housing"].append(change.participant_id)
    for entry_id, rows in by_entry.items():
        rows.sort(key=lambda c: (c.on, c.change_id))
        index, status = 0, ""
        for first, last in bounds:
            while index < len(rows) and rows[index].on <= last:
                status = rows[index].to_status
                index += 1
            if status == ACTIVE:
                result[first]["homeless"].append(rows[0].participant_id)
                if entry_id in chronic_entries:
                    result[first]["chronic"].append(rows[0].participant_id)
    return result


# --- changes on the instruments ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Sitting:
    """One completed administration: who, when, its total and its score per domain."""

    participant_id: int
    completed_on: datetime.date
    total: float
    domains: Mapping[str, float]
    sitting_id: int = 0


@dataclass
class FollowUp:
    """The changes from baseline at the k-th follow-up."""

    number: int
    people: list[int] = field(default_factory=list)
    improved: list[int] = field(default_factory=list)
    same: list[int] = field(default_factory=list)
    worse: list[int] = field(default_factory=list)
    # domain -> the changes of every person with both values
    changes: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    total_changes: list[float] = field(default_factory=list)

    def mean(self, domain: str | None = None) -> Decimal | None:
        values = self.total_changes if domain is None else self.changes.get(domain, [])
        if not values:
            return None
        return (Decimal(str(sum(values))) / len(values)).quantize(Decimal("0.01"))


def instrument_changes(
    sittings: Iterable[Sitting], *, higher_is_better: bool, max_follow_ups: int = 4
) -> list[FollowUp]:
    """For each follow-up number from 1 to `max_follow_ups`, each person's change from their baseline."""
    by_person: dict[int, list[Sitting]] = defaultdict(list)
    for sitting in sittings:
        by_person[sitting.participant_id].append(sitting)
    follow_ups = [FollowUp(number=k) for k in range(1, max_follow_ups + 1)]
    for pid, rows in by_person.items():
        rows.sort(key=lambda s: (s.completed_on, s.sitting_id))
        baseline = rows[0]
        for k, later in enumerate(rows[1 : max_follow_ups + 1], start=1):
            follow_up = follow_ups[k - 1]
            follow_up.people.append(pid)
            change = later.total - baseline.total
            follow_up.total_changes.append(change)
            better = change > 0 if higher_is_better else change < 0
            if change == 0:
                follow_up.same.append(pid)
            elif better:
                follow_up.improved.append(pid)
            else:
                follow_up.worse.append(pid)
            for domain, value in later.domains.items():
                if domain in baseline.domains:
                    follow_up.changes[domain].append(value - baseline.domains[domain])
    return [f for f in follow_ups if f.people]


# --- groups of the equity view ----------------------------------------------------------------------------

INDIGENOUS_GROUPS = ("first_nations", "metis", "inuit", "not_indigenous", "not_said")
GENDER_GROUPS = ("woman", "man", "gender_diverse", "not_said")
AGE_BANDS = ("under_25", "25_39", "40_54", "55_plus", "not_said")
_NOT_SAID = {"doesnt_know", "refused", "not_collected", ""}


def indigenous_group(value: str) -> str:
    return "not_said" if value in _NOT_SAID else value


def gender_group(value: str) -> str:
    if value in _NOT_SAID:
        return "not_said"
    return value if value in {"woman", "man"} else "gender_diverse"


def age_band(birth: datetime.date | None, on: datetime.date) -> str:
    """The person's age band on `on` (the end of the period)."""
    if birth is None or birth > on:
        return "not_said"
    age = whole_years(birth, on)
    if age < 25:
        return "under_25"
    if age < 40:
        return "25_39"
    if age < 55:
        return "40_54"
    return "55_plus"


def hidden(count: int, threshold: int) -> bool:
    """A count that could point at someone: from 1 to threshold - 1."""
    return 0 < count < threshold
