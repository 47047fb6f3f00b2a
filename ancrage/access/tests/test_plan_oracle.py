"""The matching plan on plain values (issue 16): the same proposals, passed-over people and checks as the
plan it replaced (kept here, word for word, as the oracle), on generated openings, people and rules."""

from __future__ import annotations

import datetime
import random
import sys
from types import SimpleNamespace
from typing import Any

import pytest

from ancrage.access.eligibility import Check, Facts, is_eligible
from ancrage.access.matching import Plan, plan_matches


def _old_plan_matches(openings, people, check, *, excluded=None, signature=None, explain_limit=10) -> Plan:
    excluded = excluded or {}
    order = list(openings)
    signature = signature or (lambda opening: opening.pk)
    signatures = {opening.pk: signature(opening) for opening in order}
    holder: dict[int, Facts] = {}
    eligible_for: dict[int, list[Any]] = {}
    plan = Plan()
    considered: list[Facts] = []
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 4 * len(order) + 100))
    try:
        for facts in people:
            if len(holder) == len(order):
                break
            considered.append(facts)
            verdicts: dict[Any, bool] = {}
            options = []
            for opening in order:
                if facts.entry_id in excluded.get(opening.pk, ()):
                    continue
                key = signatures[opening.pk]
                if key not in verdicts:
                    verdicts[key] = is_eligible(check(opening, facts))
                if verdicts[key]:
                    options.append(opening)
            eligible_for[facts.entry_id] = options
            if options:
                _old_augment(facts, eligible_for, holder, set())
    finally:
        sys.setrecursionlimit(limit)
    plan.people_considered = len(considered)
    plan.proposals = holder
    given = {person.entry_id: opening_id for opening_id, person in holder.items()}
    for opening in order:
        chosen = holder.get(opening.pk)
        passed: list[tuple[Facts, dict[str, Any]]] = []
        for facts in considered:
            if chosen is not None and facts.entry_id == chosen.entry_id:
                break
            if len(passed) >= explain_limit:
                break
            if facts.entry_id in excluded.get(opening.pk, ()):
                passed.append((facts, {"why": "declined_before"}))
            elif facts.entry_id in given:
                passed.append((facts, {"why": "proposed_elsewhere", "opening": given[facts.entry_id]}))
            else:
                failed = [c.as_data() for c in check(opening, facts) if not c.passed]
                passed.append((facts, {"why": "not_eligible", "checks": failed}))
        plan.passed_over[opening.pk] = passed
        if chosen is not None:
            plan.checks[opening.pk] = check(opening, chosen)
    return plan


def _old_augment(person, eligible_for, holder, seen) -> bool:
    for opening in eligible_for[person.entry_id]:
        if opening.pk not in holder and opening.pk not in seen:
            holder[opening.pk] = person
            return True
    for opening in eligible_for[person.entry_id]:
        if opening.pk in seen:
            continue
        seen.add(opening.pk)
        current = holder.get(opening.pk)
        if current is None or _old_augment(current, eligible_for, holder, seen):
            holder[opening.pk] = person
            return True
    return False


def _facts(entry_id: int) -> Facts:
    return Facts(
        entry_id=entry_id,
        participant_id=entry_id + 1000,
        age=40,
        gender="",
        household_type="single",
        acuity_score=None,
        acuity_max=None,
        acuity_band="",
        is_chronic=False,
        days_past_year=0,
        days_past_three_years=0,
        entered_on=datetime.date(2026, 1, 1),
    )


@pytest.mark.parametrize("seed", range(40))
def test_the_plan_is_the_old_plan(seed):
    rng = random.Random(seed)
    kinds = rng.randint(1, 6)
    openings = [SimpleNamespace(pk=100 + n, kind=rng.randrange(kinds)) for n in range(rng.randint(0, 25))]
    rng.shuffle(openings)
    people = [_facts(n) for n in rng.sample(range(1, 400), rng.randint(0, 60))]
    # Who meets what a kind of opening asks: scarce or plentiful, so augmenting paths are needed.
    share = rng.choice([0.1, 0.3, 0.6, 0.9])
    meets = {(p.entry_id, k): rng.random() < share for p in people for k in range(kinds)}
    calls = []

    def check(opening, facts):
        calls.append((opening.pk, facts.entry_id))
        ok = meets[(facts.entry_id, opening.kind)]
        return [Check("requirement", ok, {"kind_of_opening": opening.kind}), Check("unit_kind", True)]

    excluded = {
        o.pk: {p.entry_id for p in people if rng.random() < 0.1} for o in openings if rng.random() < 0.4
    }
    signature = rng.choice([None, lambda o: o.kind])
    limit = rng.choice([1, 3, 10])
    old = _old_plan_matches(
        openings, iter(people), check, excluded=excluded, signature=signature, explain_limit=limit
    )
    old_calls = len(calls)
    calls.clear()
    new = plan_matches(
        openings, iter(people), check, excluded=excluded, signature=signature, explain_limit=limit
    )
    assert list(new.proposals.items()) == list(old.proposals.items())
    assert new.passed_over == old.passed_over
    assert new.checks == old.checks
    assert new.people_considered == old.people_considered
    assert len(calls) <= old_calls
