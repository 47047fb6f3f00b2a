"""Prioritisation (A5): policy files of weighted factors, each person's score with its explanation, and ranks.

A policy is a YAML file the community writes and versions:

    title: {fr: Priorités 2026, en: 2026 priorities}
    factors:
      - factor: acuity_score        # latest triage total, as a share of the highest possible total
        weight: 40
      - factor: days_homeless_past_three_years
        weight: 25
      - factor: flag
        flag: medical_vulnerability
        weight: 10
      - factor: age_at_least
        years: 50
        weight: 5
    tie_breakers: [entered_on]

Each factor gives a value from 0 to 1 from recorded data; its points are value × weight; the score is
the sum. People are ranked by score, then by the tie-breakers in order, then by their entry's number,
so a rank never depends on the order rows come from the database.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import repeat
from operator import add, attrgetter, neg
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ancrage.access.eligibility import Facts
from ancrage.access.models import PersonFlag
from ancrage.assessments.definition import (
    InstrumentDefinitionError,
    Problem,
    _Checker,
    _is_number,
    _line,
    _load_yaml,
)


class PolicyError(InstrumentDefinitionError):
    """A policy file that cannot be used, with every problem, each naming its line and field."""


@dataclass(frozen=True)
class Factor:
    label: Any
    # (facts, parameters of the factor in the policy) -> (raw value shown to people, value from 0 to 1)
    compute: Callable[[Facts, dict[str, Any]], tuple[Any, float]]
    # The facts `compute` reads, and nothing else (with the policy's parameters and the day): people with
    # the same values get the same points, computed once for all of them when 100,000 are ranked.
    reads: tuple[str, ...]
    params: tuple[str, ...] = ()


def _share(value: float | None, top: float | None) -> float:
    if value is None or not top:
        return 0.0
    return max(0.0, min(1.0, value / top))


def _acuity(f: Facts, p: dict[str, Any]) -> tuple[Any, float]:
    return f.acuity_score, _share(f.acuity_score, p.get("max") or f.acuity_max)


def _days(attr: str, top: int) -> Callable[[Facts, dict[str, Any]], tuple[Any, float]]:
    def compute(f: Facts, p: dict[str, Any]) -> tuple[Any, float]:
        value = getattr(f, attr)
        return value, _share(value, p.get("max") or top)

    return compute


def _days_on_list(f: Facts, p: dict[str, Any]) -> tuple[Any, float]:
    days = (p["_on"] - f.entered_on).days
    return days, _share(days, p.get("max") or 365)


FACTORS: dict[str, Factor] = {
    "acuity_score": Factor(
        gettext_lazy("Acuity score (latest triage)"), _acuity, ("acuity_score", "acuity_max"), ("max",)
    ),
    "days_homeless_past_year": Factor(
        gettext_lazy("Days homeless in the past year"),
        _days("days_past_year", 365),
        ("days_past_year",),
        ("max",),
    ),
    "days_homeless_past_three_years": Factor(
        gettext_lazy("Days homeless in the past three years"),
        _days("days_past_three_years", 1095),
        ("days_past_three_years",),
        ("max",),
    ),
    "chronic": Factor(
        gettext_lazy("Chronically homeless"),
        lambda f, p: (f.is_chronic, float(f.is_chronic)),
        ("is_chronic",),
    ),
    "days_on_list": Factor(
        gettext_lazy("Days on the by-name list"), _days_on_list, ("entered_on",), ("max",)
    ),
    "age_at_least": Factor(
        gettext_lazy("Age at or above a threshold"),
        lambda f, p: (f.age, float(f.age is not None and f.age >= p["years"])),
        ("age",),
        ("years",),
    ),
    "age_under": Factor(
        gettext_lazy("Age under a threshold (youth)"),
        lambda f, p: (f.age, float(f.age is not None and f.age < p["years"])),
        ("age",),
        ("years",),
    ),
    "flag": Factor(
        gettext_lazy("Health or safety flag"),
        lambda f, p: (p["flag"] in f.flags, float(p["flag"] in f.flags)),
        ("flags",),
        ("flag",),
    ),
    "indigenous": Factor(
        gettext_lazy("Self-identifies as Indigenous"),
        lambda f, p: (f.indigenous, float(f.indigenous)),
        ("indigenous",),
    ),
}

# Tie-breakers, each as a sort key (smaller first) and its label.
TIE_BREAKERS: dict[str, tuple[Any, Callable[[Facts], Any]]] = {
    "entered_on": (gettext_lazy("Earliest on the list first"), lambda f: f.entered_on.toordinal()),
    "days_homeless": (gettext_lazy("Most days homeless first"), lambda f: -f.days_past_three_years),
    "acuity_score": (gettext_lazy("Highest acuity first"), lambda f: -(f.acuity_score or 0)),
    "age": (gettext_lazy("Oldest first"), lambda f: -(f.age if f.age is not None else -1)),
}


def validate_policy(text: str) -> dict[str, Any]:
    """Read and check a policy file; raise PolicyError listing every problem, each with its line and field."""
    try:
        root = _load_yaml(text)
    except InstrumentDefinitionError as error:
        raise PolicyError(error.problems) from None
    checker = _Checker()
    if not checker.mapping(root, "", 1):
        raise PolicyError(checker.problems)
    data: dict[str, Any] = {
        "title": checker.text(root, "title", ""),
        "description": checker.text(root, "description", "", required=False),
        "factors": [],
        "tie_breakers": [],
    }
    for extra in root:
        if extra not in {"title", "description", "factors", "tie_breakers"}:
            checker.add(_line(root, extra), str(extra), _("unknown field."))
    seen: set[str] = set()
    for i, node in enumerate(checker.sequence(root, "factors", "")):
        path = f"factors[{i}]"
        if not checker.mapping(node, path, _line(node, parent=root["factors"], index=i)):
            continue
        key = checker.required(node, "factor", path)
        if key is None:
            continue
        if not isinstance(key, str) or key not in FACTORS:
            checker.add(
                _line(node, "factor"),
                f"{path}.factor",
                _("unknown factor “%(value)s”; known factors: %(known)s.")
                % {"value": key, "known": ", ".join(FACTORS)},
            )
            continue
        factor = FACTORS[key]
        item: dict[str, Any] = {"factor": key}
        weight = node.get("weight")
        if not _is_number(weight) or weight < 0:
            checker.add(
                _line(node, "weight") if "weight" in node else _line(node),
                f"{path}.weight",
                _("give a weight, a number of 0 or more."),
            )
        else:
            item["weight"] = weight
        for name in node:
            if name not in {"factor", "weight", *factor.params}:
                checker.add(_line(node, name), f"{path}.{name}", _("this factor takes no such setting."))
        if "years" in factor.params:
            years = node.get("years")
            if not isinstance(years, int) or isinstance(years, bool) or not 0 < years < 120:
                checker.add(_line(node), f"{path}.years", _("give an age in years, from 1 to 119."))
            else:
                item["years"] = years
        if "flag" in factor.params:
            flag = node.get("flag")
            if flag not in PersonFlag.values:
                checker.add(
                    _line(node, "flag") if "flag" in node else _line(node),
                    f"{path}.flag",
                    _("unknown flag “%(value)s”; known flags: %(known)s.")
                    % {"value": flag, "known": ", ".join(PersonFlag.values)},
                )
            else:
                item["flag"] = flag
        if "max" in factor.params and "max" in node:
            top = node["max"]
            if not _is_number(top) or top <= 0:
                checker.add(_line(node, "max"), f"{path}.max", _("the maximum is a number above 0."))
            else:
                item["max"] = top
        identity = repr(sorted(item.items()))
        if identity in seen:
            checker.add(_line(node), path, _("this factor is listed twice."))
        seen.add(identity)
        data["factors"].append(item)
    for i, key in enumerate(checker.sequence(root, "tie_breakers", "", required=False)):
        if not isinstance(key, str) or key not in TIE_BREAKERS:
            checker.add(
                _line(None, parent=root["tie_breakers"], index=i),
                f"tie_breakers[{i}]",
                _("unknown tie-breaker “%(value)s”; known tie-breakers: %(known)s.")
                % {"value": key, "known": ", ".join(TIE_BREAKERS)},
            )
        else:
            data["tie_breakers"].append(key)
    if not data["tie_breakers"]:
        data["tie_breakers"] = ["entered_on"]
    if checker.problems:
        raise PolicyError(checker.problems)
    return data


@dataclass(frozen=True)
class Scored:
    facts: Facts
    score: float
    explanation: list[dict[str, Any]]


def score(definition: dict[str, Any], facts: Facts, on: datetime.date) -> Scored:
    """One person's score under a policy, with each factor's value, weight and points."""
    total = 0.0
    explanation = []
    for item in definition["factors"]:
        params = {**item, "_on": on}
        raw, value = FACTORS[item["factor"]].compute(facts, params)
        points = round(value * item["weight"], 3)
        total += points
        explanation.append(
            {
                **{k: v for k, v in item.items() if k != "weight"},
                "value": raw if not isinstance(raw, float) else round(raw, 2),
                "share": round(value, 3),
                "weight": item["weight"],
                "points": points,
            }
        )
    return Scored(facts, round(total, 3), explanation)


def rank(definition: dict[str, Any], people: Iterable[Facts], on: datetime.date) -> list[Scored]:
    """Everyone scored and sorted: highest score first, then the tie-breakers, then the entry's number."""
    breakers = [TIE_BREAKERS[key][1] for key in definition.get("tie_breakers") or ["entered_on"]]
    scored = [score(definition, facts, on) for facts in people]
    scored.sort(key=lambda s: (-s.score, *(b(s.facts) for b in breakers), s.facts.entry_id))
    return scored


def _points(people: list[Any], item: dict[str, Any], on: datetime.date) -> list[float]:
    """Each person's points on one factor of a policy, as `score` counts them (value × weight, rounded),
    computed once per distinct value of what the factor reads."""
    factor = FACTORS[item["factor"]]
    params, weight = {**item, "_on": on}, item["weight"]
    keys = list(map(attrgetter(*factor.reads), people))
    # One person for each distinct value read (any of them: they get the same points).
    someone = dict(zip(keys, people, strict=True))
    points = {key: round(factor.compute(facts, params)[1] * weight, 3) for key, facts in someone.items()}
    return list(map(points.__getitem__, keys))


def rank_scores(
    definition: dict[str, Any], people: Iterable[Any], on: datetime.date
) -> list[tuple[float, Any]]:
    """`rank` without the explanations: each person's score (the same arithmetic as `score`, so the same
    float) and facts, in the same order. What the nightly recompute needs for 100,000 people: `people` are
    Facts, or anything with the attributes the factors and tie-breakers read (`policies.RankFacts`).

    Counted a factor at a time over everyone (each factor's points computed once per distinct value it
    reads), then added up in the policy's order, as `score` adds them: the same floats."""
    people = list(people)
    totals = [0.0] * len(people)
    for item in definition["factors"]:
        totals = list(map(add, totals, _points(people, item, on)))
    scores = list(map(round, totals, repeat(3, len(people))))
    # Highest score first, then the tie-breakers, then the entry's number: sorted one key at a time from
    # the last (sorts are stable), each over plain numbers, which is the order of `rank`'s key tuples.
    order = list(range(len(people)))
    order.sort(key=[f.entry_id for f in people].__getitem__)
    for key in reversed(definition.get("tie_breakers") or ["entered_on"]):
        order.sort(key=list(map(TIE_BREAKERS[key][1], people)).__getitem__)
    order.sort(key=list(map(neg, scores)).__getitem__)
    return [(scores[i], people[i]) for i in order]


def factor_flags(definition: dict[str, Any]) -> tuple[str, ...]:
    """The health or safety flags a policy's factors read (the only part of a profile's lists ranks need)."""
    return tuple(sorted({item["flag"] for item in definition["factors"] if item["factor"] == "flag"}))


def rank_explanations(entries, *, on: datetime.date | None = None) -> dict[int, list[dict[str, Any]]]:
    """Why each ranked entry has its score, factor by factor, under the policy it was ranked by, from the
    entry's facts as of `on` (today): computed for the rows shown rather than stored for everyone. One
    query whatever the number of entries; an entry not ranked has none."""
    from ancrage.access.eligibility import FACT_FIELDS, facts_from_row
    from ancrage.access.models import ByNameEntry, PriorityPolicy
    from ancrage.core import clock

    on = on or clock.today()
    ranked = {
        e.pk: e.priority_policy_id for e in entries if e.priority_rank is not None and e.priority_policy_id
    }
    if not ranked:
        return {}
    policies: dict[int, PriorityPolicy] = {}
    loaded = ByNameEntry._meta.get_field("priority_policy")
    for e in entries:
        if loaded.is_cached(e) and e.priority_policy is not None:
            policies[e.priority_policy.pk] = e.priority_policy
    missing = set(ranked.values()) - set(policies)
    if missing:
        policies |= PriorityPolicy.objects.in_bulk(missing)
    rows = ByNameEntry.objects.filter(pk__in=list(ranked)).values(*FACT_FIELDS)
    return {
        row["id"]: score(policies[ranked[row["id"]]].definition, facts_from_row(row, on), on).explanation
        for row in rows
    }


def describe_factor(item: dict[str, Any]) -> str:
    """A factor of a policy or an explanation, in words, with its setting."""
    label = str(FACTORS[item["factor"]].label) if item["factor"] in FACTORS else item["factor"]
    if "years" in item:
        label = _("%(label)s: %(years)s years") % {"label": label, "years": item["years"]}
    if "flag" in item:
        flag = str(dict(PersonFlag.choices).get(item["flag"], item["flag"]))
        label = _("%(label)s: %(value)s") % {"label": label, "value": flag}
    return label


def describe_value(item: dict[str, Any]) -> str:
    value = item.get("value")
    if value is None:
        return _("not recorded")
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return str(value)


__all__ = [
    "FACTORS",
    "TIE_BREAKERS",
    "PolicyError",
    "Problem",
    "factor_flags",
    "rank",
    "rank_explanations",
    "rank_scores",
    "score",
    "validate_policy",
]
