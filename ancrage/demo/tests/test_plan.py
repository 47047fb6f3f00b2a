"""The demo's plan keeps the rules at any moment: 50 seeds at the moments where builds used to break."""

import datetime
import types
import zoneinfo

import pytest

from ancrage.demo.builder import DemoBuilder
from ancrage.demo.plan import Episode, overlapping_episodes
from ancrage.demo.rules import people_violations
from ancrage.demo.state import before_now

MONTREAL = zoneinfo.ZoneInfo("America/Montreal")


def montreal(*args, fold: int = 0) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=MONTREAL, fold=fold)


MOMENTS = {
    "Monday 00:05": montreal(2026, 12, 7, 0, 5),
    "Sunday 23:59": montreal(2026, 12, 6, 23, 59),
    "Friday 16:59": montreal(2026, 12, 4, 16, 59),
    "24 June": montreal(2026, 6, 24, 11, 0),
    "1 July": montreal(2026, 7, 1, 9, 0),
    "25 December": montreal(2026, 12, 25, 10, 0),
    "31 December 23:59": montreal(2026, 12, 31, 23, 59),
    # Clocks jump from 02:00 to 03:00 on 8 March 2026 and fall back from 02:00 to 01:00 on 1 November.
    "spring forward, 01:59": montreal(2026, 3, 8, 1, 59),
    "spring forward, 03:00": montreal(2026, 3, 8, 3, 0),
    "fall back, first 01:30": montreal(2026, 11, 1, 1, 30),
    "fall back, second 01:30": montreal(2026, 11, 1, 1, 30, fold=1),
    "29 February 2028": montreal(2028, 2, 29, 12, 0),
    "7 December 2026 00:20": montreal(2026, 12, 7, 0, 20),
}
SEEDS = range(50)


@pytest.mark.parametrize("name", list(MOMENTS))
def test_the_plan_keeps_the_rules_at_every_moment(name):
    moment = MOMENTS[name]
    for seed in SEEDS:
        builder = DemoBuilder(seed, moment)
        people = builder.plan_people()
        assert people_violations(people, builder.today) == [], (name, seed)
        assert len(people) == 256
        assert len({p.key for p in people}) == len(people)
        listed = [p for p in people if p.journey is not None]
        assert len(people) * 0.7 < len(listed) < len(people), (name, seed)


def test_the_rules_catch_a_broken_plan():
    builder = DemoBuilder(1, MOMENTS["Friday 16:59"])
    people = builder.plan_people()
    listed = next(p for p in people if p.journey is not None and len(p.journey.events) > 1)
    assert listed.journey is not None
    state, _on = listed.journey.events[1]
    listed.journey.events[1] = (state, builder.today + datetime.timedelta(days=3))
    revoked = next(c for p in people for c in p.consents if c.revoke_on is not None)
    revoked.revoke_on = builder.today + datetime.timedelta(days=1)
    problems = people_violations(people, builder.today)
    assert any("after the demo's day" in p for p in problems)
    assert any("revoked after" in p for p in problems)


def test_a_day_later_the_same_people_live_the_same_story_a_day_later():
    """Each person draws from their own stream, relative to the demo's day: one more day of history moves
    everyone's dates by a day and changes nobody's story."""
    day = datetime.timedelta(days=1)
    before = DemoBuilder(7, MOMENTS["Friday 16:59"]).plan_people()
    after = DemoBuilder(7, MOMENTS["Friday 16:59"] + day).plan_people()
    assert [(p.first, p.last, p.org, p.created_ago) for p in before] == [
        (p.first, p.last, p.org, p.created_ago) for p in after
    ]
    for one, other in zip(before, after, strict=True):
        assert (one.journey is None) == (other.journey is None)
        if one.journey is not None and other.journey is not None:
            assert [(s, d + day) for s, d in one.journey.events] == other.journey.events
        assert [c.starts_on + day for c in one.consents] == [c.starts_on for c in other.consents]


def _episode(person: int, program: int, start: datetime.date, end: datetime.date | None) -> Episode:
    return Episode(
        participant=types.SimpleNamespace(pk=person),
        org="MHS",
        program=types.SimpleNamespace(pk=program),
        team=None,
        start=start,
        end=end,
    )


def test_overlapping_episodes_of_one_person_in_one_program():
    day = datetime.date(2026, 1, 10)
    month = datetime.timedelta(days=30)
    first = _episode(1, 1, day, day + month)
    again = _episode(1, 1, day + month, None)  # the same day as the exit: the exit has to come first
    later = _episode(1, 1, day + 2 * month, None)
    elsewhere = _episode(1, 2, day, None)
    someone_else = _episode(2, 1, day, None)
    assert overlapping_episodes([first, later, elsewhere, someone_else]) == []
    assert overlapping_episodes([first, again]) == [(first, again)]
    assert overlapping_episodes([later, elsewhere, _episode(1, 2, day + month, None)]) != []


@pytest.mark.parametrize("minutes", [2, 20, 119, 180])
def test_a_moment_of_the_last_day_stays_on_that_day_just_after_midnight(minutes):
    now = MOMENTS["7 December 2026 00:20"]
    moment = before_now(now, now.date(), minutes)
    assert moment < now
    assert moment.astimezone(MONTREAL).date() == now.date()
    # Later in the day, simply that many minutes before.
    noon = montreal(2026, 12, 7, 12, 0)
    assert before_now(noon, noon.date(), minutes) == noon - datetime.timedelta(minutes=minutes)
