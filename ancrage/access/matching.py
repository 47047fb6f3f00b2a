"""The matching engine (A6): who to propose for which opening, deterministically, with the reasons.

People are taken in rank order. Each one is given an opening they are eligible for if that can be done
without taking one away from anyone ranked above them: an opening already given may pass to that person's
other eligible opening (an augmenting path, as in Kuhn's algorithm). Taking people in rank order this way
serves the highest priorities first: the set of people served is the best possible, compared rank by rank.
Openings are tried in a fixed order (opening date, then number), so the same data gives the same proposals.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ancrage.access.eligibility import Check, Facts, is_eligible


@dataclass
class Plan:
    """Proposals of one run, and for each opening the higher-ranked people passed over, with why."""

    # opening id -> facts of the person proposed
    proposals: dict[int, Facts] = field(default_factory=dict)
    # opening id -> [(facts, reason data)] for people ranked above its proposal who were not proposed for it
    passed_over: dict[int, list[tuple[Facts, dict[str, Any]]]] = field(default_factory=dict)
    # opening id -> checks of the person proposed
    checks: dict[int, list[Check]] = field(default_factory=dict)
    people_considered: int = 0


def plan_matches(
    openings: Sequence[Any],
    people: Iterable[Facts],
    check: Callable[[Any, Facts], list[Check]],
    *,
    excluded: dict[int, set[int]] | None = None,
    signature: Callable[[Any], Any] | None = None,
    explain_limit: int = 10,
) -> Plan:
    """Assign openings to people given in rank order.

    `check(opening, facts)` returns the eligibility checks; `excluded` maps an opening id to entry ids
    never to propose again for it (they declined it, or were declined for it). Openings with the same
    `signature(opening)` have the same requirements, so a person is checked once for all of them.
    """
    excluded = excluded or {}
    order = list(openings)
    signature = signature or (lambda opening: opening.pk)
    # Plain values from here on: the loops below run hundreds of thousands of times.
    ids = [opening.pk for opening in order]
    signatures = [signature(opening) for opening in order]
    no_one: frozenset[int] = frozenset()
    refused = [excluded.get(pk, no_one) for pk in ids]
    holder: dict[int, Facts] = {}  # opening id -> person
    verdicts: dict[int, dict[Any, bool]] = {}  # entry id -> signature -> eligible

    def eligible(facts: Facts, index: int) -> bool:
        if facts.entry_id in refused[index]:
            return False
        mine = verdicts[facts.entry_id]
        key = signatures[index]
        verdict = mine.get(key)
        if verdict is None:
            verdict = mine[key] = is_eligible(check(order[index], facts))
        return verdict

    people_by_entry: dict[int, Facts] = {}
    # entry id -> the openings the person is eligible for, in order; worked out only for the people an
    # augmenting path reaches (most people take the first free opening they are eligible for).
    eligible_for = _EligibleFor(
        lambda entry_id: [ids[i] for i in range(len(ids)) if eligible(people_by_entry[entry_id], i)]
    )
    plan = Plan()
    considered: list[Facts] = []
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 4 * len(order) + 100))
    try:
        for facts in people:
            if len(holder) == len(order):
                break
            considered.append(facts)
            people_by_entry[facts.entry_id] = facts
            verdicts[facts.entry_id] = {}
            # A free opening first, the first one in order (as `_augment` does): no one else moves.
            free = next(
                (i for i in range(len(ids)) if ids[i] not in holder and eligible(facts, i)),
                None,
            )
            if free is not None:
                holder[ids[free]] = facts
            elif eligible_for[facts.entry_id]:
                _augment(facts, eligible_for, holder, set())
    finally:
        sys.setrecursionlimit(limit)
    plan.people_considered = len(considered)
    plan.proposals = holder
    given = {person.entry_id: opening_id for opening_id, person in holder.items()}
    # The checks of a person against openings asking the same (same signature) are the same.
    checked: dict[tuple[Any, int], list[Check]] = {}

    def checks_of(index: int, facts: Facts) -> list[Check]:
        key = (signatures[index], facts.entry_id)
        if key not in checked:
            checked[key] = check(order[index], facts)
        return checked[key]

    for index, opening_id in enumerate(ids):
        chosen = holder.get(opening_id)
        passed: list[tuple[Facts, dict[str, Any]]] = []
        for facts in considered:
            if chosen is not None and facts.entry_id == chosen.entry_id:
                break
            if len(passed) >= explain_limit:
                break
            if facts.entry_id in refused[index]:
                passed.append((facts, {"why": "declined_before"}))
            elif facts.entry_id in given:
                passed.append((facts, {"why": "proposed_elsewhere", "opening": given[facts.entry_id]}))
            else:
                failed = [c.as_data() for c in checks_of(index, facts) if not c.passed]
                passed.append((facts, {"why": "not_eligible", "checks": failed}))
        plan.passed_over[opening_id] = passed
        if chosen is not None:
            plan.checks[opening_id] = checks_of(index, chosen)
    return plan


class _EligibleFor(dict):
    """entry id -> opening ids, each list worked out the first time it is asked for."""

    def __init__(self, work_out: Callable[[int], list[int]]):
        super().__init__()
        self.work_out = work_out

    def __missing__(self, entry_id: int) -> list[int]:
        value = self[entry_id] = self.work_out(entry_id)
        return value


def _augment(
    person: Facts, eligible_for: dict[int, list[int]], holder: dict[int, Facts], seen: set[int]
) -> bool:
    # A free opening first: someone already placed moves only when that is the only way to serve this person.
    for opening in eligible_for[person.entry_id]:
        if opening not in holder and opening not in seen:
            holder[opening] = person
            return True
    for opening in eligible_for[person.entry_id]:
        if opening in seen:
            continue
        seen.add(opening)
        current = holder.get(opening)
        if current is None or _augment(current, eligible_for, holder, seen):
            holder[opening] = person
            return True
    return False
