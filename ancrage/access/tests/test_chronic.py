"""The chronic homelessness rule (Reaching Home): thresholds, windows, overlaps."""

import datetime

import pytest

from ancrage.access.chronic import is_chronically_homeless
from ancrage.access.tests.factories import Span, homeless

ON = datetime.date(2026, 6, 30)
RULES = {"CHRONIC_DAYS_PAST_YEAR": 180, "CHRONIC_DAYS_PAST_THREE_YEARS": 546}


def days_back(n: int) -> datetime.date:
    return ON - datetime.timedelta(days=n)


@pytest.mark.smoke
def test_exactly_180_days_in_the_past_year_is_chronic_and_179_is_not():
    verdict = is_chronically_homeless([homeless(days_back(179), ON)], on=ON, settings=RULES)
    assert verdict.days_past_year == 180
    assert verdict.is_chronic
    assert verdict.meets_past_year

    verdict = is_chronically_homeless([homeless(days_back(178), ON)], on=ON, settings=RULES)
    assert verdict.days_past_year == 179
    assert not verdict.is_chronic


def test_an_open_period_runs_to_the_day_asked_about():
    verdict = is_chronically_homeless([homeless(days_back(179))], on=ON, settings=RULES)
    assert verdict.days_past_year == 180
    assert verdict.is_chronic


def test_overlapping_periods_count_each_day_once():
    periods = [
        homeless(days_back(150), days_back(50)),
        homeless(days_back(100), days_back(0), sheltered=False),
        homeless(days_back(120), days_back(110)),
    ]
    verdict = is_chronically_homeless(periods, on=ON, settings=RULES)
    assert verdict.days_past_year == 151
    assert not verdict.is_chronic


def test_adjacent_periods_join_without_a_gap_or_a_double_day():
    periods = [homeless(days_back(179), days_back(90)), homeless(days_back(89), ON)]
    assert is_chronically_homeless(periods, on=ON, settings=RULES).days_past_year == 180


def test_a_period_crossing_the_window_edge_counts_only_its_days_inside():
    # 400 days homeless, ending 200 days ago: 165 of them fall inside the past 365 days.
    period = homeless(days_back(599), days_back(200))
    verdict = is_chronically_homeless([period], on=ON, settings=RULES)
    assert verdict.days_past_year == 165
    assert verdict.days_past_three_years == 400
    assert not verdict.is_chronic


def test_546_days_over_three_years_is_chronic_545_is_not():
    # Three separate winters, none of them 180 days in the past year.
    periods = [
        homeless(days_back(1094), days_back(1094 - 199)),  # 200 days, starting on the window's first day
        homeless(days_back(700), days_back(700 - 199)),  # 200 days
        homeless(days_back(300), days_back(300 - 145)),  # 146 days
    ]
    verdict = is_chronically_homeless(periods, on=ON, settings=RULES)
    assert verdict.days_past_year == 146
    assert verdict.days_past_three_years == 546
    assert verdict.is_chronic
    assert verdict.meets_past_three_years
    assert not verdict.meets_past_year

    # One day earlier, the first winter starts a day before the window: 545 days inside it.
    verdict = is_chronically_homeless(periods, on=ON + datetime.timedelta(days=1), settings=RULES)
    assert verdict.days_past_three_years == 545
    assert not verdict.is_chronic


def test_housed_institution_and_unknown_periods_do_not_count():
    periods = [Span(kind, days_back(364), ON) for kind in ("housed", "institution", "unknown")]
    verdict = is_chronically_homeless(periods, on=ON, settings=RULES)
    assert verdict.days_past_year == 0
    assert not verdict.is_chronic


def test_periods_after_the_day_asked_about_do_not_count():
    verdict = is_chronically_homeless([homeless(ON + datetime.timedelta(days=1))], on=ON, settings=RULES)
    assert verdict.days_past_year == 0


def test_thresholds_come_from_settings(settings):
    settings.ANCRAGE = {**settings.ANCRAGE, "CHRONIC_DAYS_PAST_YEAR": 30}
    verdict = is_chronically_homeless([homeless(days_back(29), ON)], on=ON)
    assert verdict.is_chronic
    assert verdict.threshold_past_year == 30
