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
    signatures = {opening.pk: signature(opening) for opening in order}
    holder: dict[int, Facts] = {}  # opening id -> person
    eligible_for: dict[int, list[Any]] = {}  # entry id -> openings
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
                _augment(facts, eligible_for, holder, set())
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


def _augment(
    person: Facts, eligible_for: dict[int, list[Any]], holder: dict[int, Facts], seen: set[int]
) -> bool:
    # A free opening first: someone already placed moves only when that is the only way to serve this person.
    for opening in eligible_for[person.entry_id]:
        if opening.pk not in holder and opening.pk not in seen:
            holder[opening.pk] = person
            return True
    for opening in eligible_for[person.entry_id]:
        if opening.pk in seen:
            continue
        seen.add(opening.pk)
        current = holder.get(opening.pk)
        if current is None or _augment(current, eligible_for, holder, seen):
            holder[opening.pk] = person
            return True
    return False
