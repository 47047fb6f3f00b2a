"""The outcomes page's definitions on hand-made cases: days from referral, exits grouped by destination,
returns to homelessness within 6, 12 and 24 months, the community's figures by month, changes on the
instruments from baseline, the equity view's groups, and small counts."""

from __future__ import annotations

import datetime
from decimal import Decimal

from ancrage.reports.outcomes import definitions as d

D = datetime.date


def test_days_from_referral_to_move_in_count_only_the_period_and_a_contact_before_the_move_in():
    contact = {1: D(2026, 1, 1), 2: D(2026, 3, 1), 3: D(2025, 1, 1), 4: D(2026, 5, 1)}
    moved = {1: D(2026, 3, 2), 2: D(2026, 3, 1), 3: D(2025, 6, 1), 4: D(2026, 4, 1), 5: D(2026, 4, 1)}
    days = d.referral_to_move_in(contact, moved, D(2026, 1, 1), D(2026, 12, 31))
    # 3 moved in before the period; 4's contact is after the move-in; 5 has no contact.
    assert days == {1: 60, 2: 0}
    assert d.days_summary(days.values()) == (Decimal("30.0"), 60)
    assert d.days_summary([]) == (None, None)


def test_exits_are_grouped_by_destination_within_the_period():
    exits = [
        d.ExitFact(1, D(2026, 2, 1), "own_housing"),
        d.ExitFact(2, D(2026, 2, 1), "subsidised"),
        d.ExitFact(3, D(2026, 2, 1), "shelter"),
        d.ExitFact(4, D(2026, 2, 1), "street"),
        d.ExitFact(5, D(2026, 2, 1), "detention"),
        d.ExitFact(6, D(2026, 2, 1), "deceased"),
        d.ExitFact(7, D(2026, 2, 1), "family"),
        d.ExitFact(8, D(2026, 2, 1), "something new"),
        d.ExitFact(9, D(2025, 2, 1), "own_housing"),
    ]
    groups = d.exits_by_group(exits, D(2026, 1, 1), D(2026, 12, 31))
    assert groups == {
        "permanent": [1, 2],
        "temporary": [7],
        "homelessness": [3, 4],
        "institution": [5],
        "deceased": [6],
        "other": [8],
    }


def test_returns_to_homelessness_within_each_window():
    exits = [
        d.ExitFact(1, D(2024, 1, 15), "own_housing"),  # back on the list after 3 months
        d.ExitFact(2, D(2024, 1, 15), "subsidised"),  # a shelter exit 10 months later
        d.ExitFact(2, D(2024, 11, 15), "shelter"),
        d.ExitFact(3, D(2024, 1, 15), "own_housing"),  # back after 20 months
        d.ExitFact(4, D(2024, 1, 15), "own_housing"),  # never back
        d.ExitFact(5, D(2024, 1, 15), "shelter"),  # not an exit to permanent housing
        d.ExitFact(6, D(2025, 9, 1), "own_housing"),  # less than 6 months before the reference
    ]
    active = {1: [D(2024, 4, 15)], 3: [D(2025, 9, 15)], 4: [D(2023, 12, 1)], 6: [D(2025, 10, 1)]}
    homeless_on = d.homeless_days(exits, active)
    reference = D(2026, 1, 31)
    six = d.returns_to_homelessness(exits, homeless_on, months=6, reference=reference)
    twelve = d.returns_to_homelessness(exits, homeless_on, months=12, reference=reference)
    twenty_four = d.returns_to_homelessness(exits, homeless_on, months=24, reference=reference)
    assert six.cohort == [1, 2, 3, 4]
    assert six.returned == [1]
    assert twelve.returned == [1, 2]
    assert twelve.rate == Decimal("50.0")
    assert twenty_four.cohort == [1, 2, 3, 4]
    assert twenty_four.returned == [1, 2, 3]
    # The window ends on exit + 24 months: 2026-01-15 is in it, so the reference of 2026-01-14 leaves it out.
    assert d.returns_to_homelessness(exits, homeless_on, months=24, reference=D(2026, 1, 14)).cohort == []


def test_a_return_on_the_exit_day_itself_is_not_counted_and_the_last_day_is():
    exits = [d.ExitFact(1, D(2025, 1, 31), "own_housing")]
    on_day = d.returns_to_homelessness(exits, {1: [D(2025, 1, 31)]}, months=6, reference=D(2026, 1, 1))
    assert on_day.returned == []
    last = d.returns_to_homelessness(exits, {1: [D(2025, 7, 31)]}, months=6, reference=D(2026, 1, 1))
    assert last.returned == [1]


def test_community_figures_by_month():
    changes = [
        d.StatusChange(10, 1, D(2026, 1, 5), "", "active", 1),
        d.StatusChange(10, 1, D(2026, 2, 10), "active", "housed", 2),
        d.StatusChange(10, 1, D(2026, 3, 20), "housed", "active", 3),
        d.StatusChange(20, 2, D(2025, 12, 1), "", "active", 4),
        d.StatusChange(30, 3, D(2026, 2, 1), "", "active", 5),
        d.StatusChange(30, 3, D(2026, 2, 28), "active", "inactive", 6),
    ]
    months = d.months_between(D(2026, 1, 15), D(2026, 3, 1))
    assert months == [D(2026, 1, 1), D(2026, 2, 1), D(2026, 3, 1)]
    result = d.community_by_month(changes, chronic_entries={20}, months=months)
    assert result[D(2026, 1, 1)] == {
        "homeless": [1, 2],
        "chronic": [2],
        "new": [1],
        "returned_from_housing": [],
    }
    assert result[D(2026, 2, 1)] == {"homeless": [2], "chronic": [2], "new": [3], "returned_from_housing": []}
    assert result[D(2026, 3, 1)] == {
        "homeless": [1, 2],
        "chronic": [2],
        "new": [],
        "returned_from_housing": [1],
    }


def test_instrument_changes_from_baseline_to_each_follow_up():
    sittings = [
        d.Sitting(1, D(2025, 1, 1), 40, {"home": 2, "money": 5}, 1),
        d.Sitting(1, D(2025, 4, 1), 50, {"home": 6, "money": 5}, 2),
        d.Sitting(1, D(2025, 7, 1), 40, {"home": 4, "money": 3}, 3),
        d.Sitting(2, D(2025, 2, 1), 60, {"home": 8, "money": 8}, 4),
        d.Sitting(2, D(2025, 5, 1), 55, {"home": 7, "money": 8}, 5),
        d.Sitting(3, D(2025, 2, 1), 30, {"home": 3}, 6),  # a baseline only
    ]
    first, second = d.instrument_changes(sittings, higher_is_better=True)
    assert first.number == 1
    assert first.people == [1, 2]
    assert first.improved == [1]
    assert first.worse == [2]
    assert first.mean() == Decimal("2.50")
    assert first.mean("home") == Decimal("1.50")
    assert first.mean("money") == Decimal("0.00")
    assert second.people == [1]
    assert second.same == [1]
    assert second.mean("home") == Decimal("2.00")
    # On a scale of concerns, a lower total is better.
    first_concerns = d.instrument_changes(sittings, higher_is_better=False)[0]
    assert first_concerns.improved == [2]
    assert first_concerns.worse == [1]
    assert d.instrument_changes([], higher_is_better=True) == []


def test_groups_of_the_equity_view():
    assert d.indigenous_group("metis") == "metis"
    assert d.indigenous_group("refused") == "not_said"
    assert d.gender_group("two_spirit") == "gender_diverse"
    assert d.gender_group("woman") == "woman"
    assert d.gender_group("not_collected") == "not_said"
    on = D(2026, 6, 30)
    assert d.age_band(D(2001, 7, 1), on) == "under_25"
    assert d.age_band(D(2001, 6, 30), on) == "25_39"
    assert d.age_band(D(1971, 6, 30), on) == "55_plus"
    assert d.age_band(D(1980, 1, 1), on) == "40_54"
    assert d.age_band(None, on) == "not_said"
    assert d.age_band(D(9999, 1, 1), on) == "not_said"
    assert d.age_band(D(1, 1, 1), on) == "55_plus"


def test_small_counts_and_rates():
    assert [d.hidden(n, 5) for n in (0, 1, 4, 5)] == [False, True, True, False]
    assert d.rate(1, 3) == Decimal("33.3")
    assert d.rate(1, 0) is None
