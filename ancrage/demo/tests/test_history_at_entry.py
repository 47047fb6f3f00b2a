"""The history a demo person gives at intake agrees with their dated nights: it never makes them chronic
when the nights do not, and it says where they slept, since when, how many times and how long."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

from ancrage.access.chronic import chronic_from_history
from ancrage.demo.access import history_at_entry
from ancrage.demo.plan import PeriodPlan

ENTERED = datetime.date(2026, 3, 1)


def d(days_before: int) -> datetime.date:
    return ENTERED - datetime.timedelta(days=days_before)


def _as_stays(periods):
    return [
        SimpleNamespace(kind=p.kind, starts_on=p.starts_on, ends_on=p.ends_on, situation="", source="")
        for p in periods
    ]


def test_two_spells_broken_by_a_hospital_stay():
    periods = [
        PeriodPlan("homeless_unsheltered", d(700), d(401), d(0)),
        PeriodPlan("institution", d(400), d(341), d(0)),
        PeriodPlan("homeless_sheltered", d(340), d(101), d(0)),
        PeriodPlan("homeless_unsheltered", d(100), None, d(0)),
    ]
    values = history_at_entry(periods, ENTERED)
    assert values["living_situation"] == "street"
    assert values["episode_started_on"] == d(340)
    assert values["times_homeless_past_three_years"] == "two"
    assert values["prior_living_situation"] == "hospital"
    # 300 + 341 nights = 641, about 21 months.
    assert values["months_homeless_past_three_years"] == 21
    history = SimpleNamespace(pk=1, **values)
    dated = chronic_from_history(_as_stays(periods), [], on=ENTERED)
    with_history = chronic_from_history(_as_stays(periods), [history], on=ENTERED)
    assert dated.is_chronic
    assert with_history.days_past_three_years == dated.days_past_three_years
    assert with_history.days_past_year == dated.days_past_year


def test_a_few_weeks_homeless_is_not_chronic():
    periods = [PeriodPlan("homeless_sheltered", d(40), None, d(0))]
    values = history_at_entry(periods, ENTERED)
    assert values["living_situation"] == "shelter"
    assert values["months_homeless_past_three_years"] == 1
    assert values["times_homeless_past_three_years"] == "one"
    history = SimpleNamespace(pk=1, **values)
    assert not chronic_from_history(_as_stays(periods), [history], on=ENTERED).is_chronic
