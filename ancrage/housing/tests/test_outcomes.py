"""The outcome definitions (C9) on hand-made cases: rehoused counts as retained, a gap longer than the setting
breaks retention, the deceased are out of the denominator, a move-in less than 12 months ago is outside the
12-month cohort; and the outcomes report over tenancies, at a pinned moment."""

from __future__ import annotations

import datetime
from decimal import Decimal

from ancrage.housing import outcomes
from ancrage.housing.outcomes import PersonHousing, Stay

D = datetime.date
REFERENCE = D(2026, 12, 1)


def _retention(people, months=12, gap=30):
    return outcomes.retention(people, months=months, reference=REFERENCE, gap_days=gap)


def test_still_housed_is_retained():
    person = PersonHousing(1, (Stay(D(2025, 6, 1)),))
    result = _retention([person])
    assert result.cohort == [1]
    assert result.retained == [1]
    assert result.rate == Decimal("100.0")


def test_rehoused_counts_as_retained():
    person = PersonHousing(
        1, (Stay(D(2025, 1, 10), D(2025, 8, 1), evicted=True), Stay(D(2025, 8, 20), rehousing=True))
    )
    assert _retention([person]).retained == [1]


def test_a_gap_longer_than_the_setting_breaks_retention():
    # Milestone 2026-01-10 falls in a gap of 45 days (2025-12-20 to 2026-02-03).
    person = PersonHousing(1, (Stay(D(2025, 1, 10), D(2025, 12, 20)), Stay(D(2026, 2, 3))))
    assert _retention([person], gap=30).retained == []
    assert _retention([person], gap=30).not_retained == [1]
    assert _retention([person], gap=60).retained == [1]


def test_a_short_gap_still_counts_as_housed():
    person = PersonHousing(1, (Stay(D(2025, 1, 10), D(2026, 1, 1)), Stay(D(2026, 1, 20))))
    assert _retention([person]).retained == [1]


def test_left_before_the_milestone_is_not_retained():
    person = PersonHousing(1, (Stay(D(2025, 1, 10), D(2025, 9, 1)),))
    assert _retention([person]).not_retained == [1]
    assert _retention([person], months=6).retained == [1]


def test_deceased_are_out_of_the_denominator():
    died = PersonHousing(1, (Stay(D(2025, 1, 10), D(2025, 9, 1)),), died_on=D(2025, 9, 1))
    housed = PersonHousing(2, (Stay(D(2025, 1, 10)),))
    result = _retention([died, housed])
    assert result.cohort == [2]
    assert result.deceased == [1]
    assert result.rate == Decimal("100.0")
    # Who died after their milestone was retained at it.
    later = PersonHousing(3, (Stay(D(2024, 1, 10), D(2025, 9, 1)),), died_on=D(2025, 9, 1))
    assert _retention([later]).retained == [3]


def test_a_move_in_less_than_12_months_ago_is_outside_the_12_month_cohort():
    recent = PersonHousing(1, (Stay(D(2026, 1, 15)),))
    assert _retention([recent]).cohort == []
    assert _retention([recent], months=6).cohort == [1]
    # Exactly 12 months: in.
    exact = PersonHousing(2, (Stay(D(2025, 12, 1)),))
    assert _retention([exact]).cohort == [2]


def test_first_move_in_is_the_first_tenancy():
    person = PersonHousing(1, (Stay(D(2025, 8, 1)), Stay(D(2024, 3, 1), D(2024, 4, 1))))
    assert person.first_move_in == D(2024, 3, 1)
    # Milestone 2025-03-01 falls in a 16-month gap: not retained at 12 months.
    assert _retention([person]).not_retained == [1]


def test_medians_percentiles_and_events():
    assert outcomes.median([10, 30, 20]) == Decimal(20)
    assert outcomes.median([10, 20]) == Decimal("15.0")
    assert outcomes.percentile([1, 2, 3, 4], 0.75) == 3
    assert outcomes.median([]) is None
    assert outcomes.percentile([], 0.75) is None
    people = [
        PersonHousing(1, (Stay(D(2026, 3, 1)),), start_date=D(2026, 1, 1)),
        PersonHousing(
            2, (Stay(D(2025, 1, 1), D(2026, 4, 1), evicted=True), Stay(D(2026, 4, 20), rehousing=True))
        ),
    ]
    days = outcomes.days_to_move_in(people, D(2026, 1, 1), REFERENCE)
    assert days == {1: 59}
    happened = outcomes.events(people, D(2026, 1, 1), REFERENCE)
    assert happened.evictions == [2]
    assert happened.rehousings == [2]
    assert happened.moves == [2]
