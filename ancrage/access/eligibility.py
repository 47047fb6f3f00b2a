"""Eligibility as data (A2): requirements of programs and units, checked against what is recorded of a person.

A requirement is a small mapping, stored as JSON on a program (`Program.eligibility`) or a unit
(`Unit.requirements`):

    {"criterion": "age", "rule": "must", "min": 18, "max": 64}
    {"criterion": "household_type", "rule": "must", "values": ["single", "couple"]}
    {"criterion": "flag", "rule": "must_not", "values": ["fleeing_violence"]}
    {"criterion": "chronic", "rule": "must"}

For a unit, two more checks always apply: the unit offers every accessibility feature the person needs,
and it is in an area and of a type the person chose, when they stated a preference (C3: choice). Areas come
from the configured list (ancrage.housing.models.Area): a choice of a borough covers its neighbourhoods.
Every check says in a sentence why it passes or fails, in the reader's language.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from ancrage.housing.models import AccessibilityFeature, UnitKind

# The requirement language is shared with the programs and units that store requirements.
from ancrage.organisations.requirements import (  # noqa: F401 (validate_requirements: read from here too)
    band_label,
    describe_requirement,
    validate_requirements,
    value_label,
)


@dataclass(frozen=True)
class Facts:
    """What eligibility and ranking read of one person on the by-name list (built without extra queries)."""

    entry_id: int
    participant_id: int
    age: int | None
    gender: str
    household_type: str
    acuity_score: float | None
    acuity_max: float | None
    acuity_band: str
    is_chronic: bool
    days_past_year: int
    days_past_three_years: int
    entered_on: datetime.date
    income_sources: tuple[str, ...] = ()
    flags: tuple[str, ...] = ()
    accessibility_needs: tuple[str, ...] = ()
    preferred_areas: tuple[int, ...] = ()
    preferred_neighbourhoods: tuple[str, ...] = ()
    preferred_unit_kinds: tuple[str, ...] = ()
    indigenous: bool = False
    # False when no living situation is recorded: chronic homelessness is then unknown, not "no".
    has_history: bool = True


# The columns Facts are built from, so selectors can fetch them with .values() in one query.
FACT_FIELDS = (
    "id",
    "participant_id",
    "participant__date_of_birth",
    "participant__dob_quality",
    "participant__gender",
    "participant__indigenous_identity",
    "household_type",
    "acuity_score",
    "acuity_max",
    "acuity_band",
    "is_chronic",
    "homeless_days_past_year",
    "homeless_days_past_three_years",
    "entered_on",
    "income_sources",
    "flags",
    "accessibility_needs",
    "preferred_areas",
    "preferred_neighbourhoods",
    "preferred_unit_kinds",
)

_INDIGENOUS = frozenset({"first_nations", "metis", "inuit"})


def _age(born: datetime.date | None, quality: str, on: datetime.date) -> int | None:
    if born is None or quality in {"doesnt_know", "refused", "not_collected"}:
        return None
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def facts_from_row(row: dict[str, Any], on: datetime.date) -> Facts:
    return Facts(
        entry_id=row["id"],
        participant_id=row["participant_id"],
        age=_age(row["participant__date_of_birth"], row["participant__dob_quality"], on),
        gender=row["participant__gender"] or "",
        household_type=row["household_type"],
        acuity_score=row["acuity_score"],
        acuity_max=row["acuity_max"],
        acuity_band=row["acuity_band"] or "",
        is_chronic=row["is_chronic"],
        days_past_year=row["homeless_days_past_year"],
        days_past_three_years=row["homeless_days_past_three_years"],
        entered_on=row["entered_on"],
        income_sources=tuple(row["income_sources"] or ()),
        flags=tuple(row["flags"] or ()),
        accessibility_needs=tuple(row["accessibility_needs"] or ()),
        preferred_areas=tuple(int(i) for i in row.get("preferred_areas") or ()),
        preferred_neighbourhoods=tuple(row["preferred_neighbourhoods"] or ()),
        preferred_unit_kinds=tuple(row["preferred_unit_kinds"] or ()),
        indigenous=row["participant__indigenous_identity"] in _INDIGENOUS,
        has_history=row.get("has_history", True),
    )


def facts_for_entry(entry, on: datetime.date) -> Facts:
    """Facts of one entry already loaded with its participant."""
    p = entry.participant
    row = {name: getattr(entry, name) for name in FACT_FIELDS if "__" not in name}
    row.update(
        {
            "participant__date_of_birth": p.date_of_birth,
            "participant__dob_quality": p.dob_quality,
            "participant__gender": p.gender,
            "participant__indigenous_identity": p.indigenous_identity,
        }
    )
    row["has_history"] = p.living_situations.exists() or p.homelessness_histories.exists()
    return facts_from_row(row, on)


def facts_for_participant(participant, on: datetime.date) -> Facts:
    """Facts of someone who may not be on the by-name list yet (at a referral or an intake): what their file
    says, and nothing else known (no triage, no household, no living situation unless recorded)."""
    from ancrage.access.models import ByNameEntry

    entry = ByNameEntry.objects.filter(participant=participant).select_related("participant").first()
    if entry is not None:
        return facts_for_entry(entry, on)
    from ancrage.access.chronic import chronic_from_history

    stays = list(participant.living_situations.all())
    histories = list(participant.homelessness_histories.all())
    verdict = chronic_from_history(stays, histories, on=on)
    return Facts(
        entry_id=0,
        participant_id=participant.pk,
        age=_age(participant.date_of_birth, participant.dob_quality, on),
        gender=participant.gender or "",
        household_type="",
        acuity_score=None,
        acuity_max=None,
        acuity_band="",
        is_chronic=verdict.is_chronic,
        days_past_year=verdict.days_past_year,
        days_past_three_years=verdict.days_past_three_years,
        entered_on=on,
        indigenous=participant.indigenous_identity in _INDIGENOUS,
        has_history=bool(stays or histories),
    )


# --- checking a person against requirements -------------------------------------------------------


def _meets(req: dict[str, Any], facts: Facts) -> bool | None:
    """True or False, or None when the information it needs is not recorded."""
    criterion = req["criterion"]
    if criterion == "age":
        if facts.age is None:
            return None
        low, high = req.get("min"), req.get("max")
        return (low is None or facts.age >= low) and (high is None or facts.age <= high)
    if criterion == "chronic":
        return facts.is_chronic if facts.has_history else None
    values = set(req.get("values", []))
    if criterion == "household_type":
        if not facts.household_type:
            return None
        return facts.household_type in values
    if criterion == "gender":
        if facts.gender in {"", "doesnt_know", "refused", "not_collected"}:
            return None
        return facts.gender in values
    if criterion == "acuity_band":
        if not facts.acuity_band:
            return None
        return facts.acuity_band in values
    if criterion == "income_source":
        if not facts.income_sources:
            return None
        return bool(values & set(facts.income_sources))
    if criterion == "flag":
        return bool(values & set(facts.flags))
    return None


def _observed(req: dict[str, Any], facts: Facts) -> Any:
    """What is recorded of the person for this criterion, JSON-ready, so the sentence is written later in
    the reader's language."""
    if req["criterion"] == "flag":
        # Only the flags this requirement is about: the others are nobody's business here.
        return sorted(set(facts.flags) & set(req.get("values", [])))
    return {
        "age": facts.age,
        "chronic": facts.is_chronic if facts.has_history else None,
        "household_type": facts.household_type,
        "gender": facts.gender,
        "acuity_band": facts.acuity_band,
        "income_source": list(facts.income_sources),
        "flag": list(facts.flags),
    }.get(req["criterion"])


def _actual(criterion: str, observed: Any) -> str:
    """What is recorded of the person, for the sentence of a failed check."""
    if criterion == "age":
        return (
            _("age %(age)s") % {"age": observed} if observed is not None else _("date of birth not recorded")
        )
    if criterion == "chronic":
        if observed is None:
            return _("no living situation recorded")
        return _("chronically homeless") if observed else _("not chronically homeless")
    if criterion == "household_type":
        return value_label(criterion, observed) if observed else _("household not recorded")
    if criterion == "gender":
        return value_label(criterion, observed) if observed else _("gender not recorded")
    if criterion == "acuity_band":
        return band_label(observed) if observed else _("no triage completed")
    if criterion == "income_source":
        if not observed:
            return _("no source of income recorded")
        return ", ".join(value_label(criterion, v) for v in observed)
    if criterion == "flag":
        return ", ".join(value_label(criterion, v) for v in observed or []) or _("none of these flags")
    return ""


@dataclass(frozen=True)
class Check:
    """One requirement or built-in check against one person, JSON-ready through `as_data`."""

    kind: str  # "requirement", "accessibility", "neighbourhood", "unit_kind"
    passed: bool
    data: dict[str, Any] = field(default_factory=dict)

    def as_data(self) -> dict[str, Any]:
        return {"kind": self.kind, "passed": self.passed, **self.data}

    @property
    def sentence(self) -> str:
        return describe_check(self.as_data())


def describe_check(check: dict[str, Any]) -> str:
    """A stored check in a sentence, in the current language."""
    kind = check["kind"]
    if kind == "requirement":
        req = check["requirement"]
        text = describe_requirement(req)
        if req.get("rule", "must") == "must_not" and not check.get("unknown"):
            # An exclusion is said as one: meeting it must never read as passing.
            what = describe_requirement({**req, "rule": "must"})
            actual = _actual(req["criterion"], check.get("observed"))
            if check["passed"]:
                return _("Not excluded: “%(requirement)s” does not apply (%(actual)s).") % {
                    "requirement": what,
                    "actual": actual,
                }
            return _("Excluded: “%(requirement)s” applies (%(actual)s).") % {
                "requirement": what,
                "actual": actual,
            }
        if check["passed"]:
            return _("Meets “%(requirement)s”.") % {"requirement": text}
        actual = _actual(req["criterion"], check.get("observed"))
        if check.get("unknown"):
            return _("Cannot confirm “%(requirement)s”: %(actual)s.") % {
                "requirement": text,
                "actual": actual,
            }
        return _("Does not meet “%(requirement)s”: %(actual)s.") % {"requirement": text, "actual": actual}
    if kind == "accessibility":
        if check["passed"]:
            if not check.get("needs"):
                return _("No accessibility need recorded.")
            return _("The unit has what the person needs: %(needs)s.") % {
                "needs": ", ".join(feature_label(n) for n in check["needs"])
            }
        return _("The unit lacks what the person needs: %(missing)s.") % {
            "missing": ", ".join(feature_label(n) for n in check["missing"])
        }
    if kind == "neighbourhood":
        from ancrage.housing.areas import names

        # Areas are stored by id and named in the reader's language; texts typed before areas as they were.
        place = (names([check["area"]]) or [""])[0] if check.get("area") else check.get("place", "")
        chosen = [*names(check.get("areas", [])), *check.get("chosen", [])]
        if check["passed"]:
            return _("In an area the person chose (%(place)s).") % {"place": place}
        return _("%(place)s is not among the areas the person chose (%(chosen)s).") % {
            "place": place or _("A unit with no area"),
            "chosen": ", ".join(chosen),
        }
    if kind == "unit_kind":
        label = str(dict(UnitKind.choices).get(check["unit_kind"], check["unit_kind"]))
        if check["passed"]:
            return _("A type of housing the person chose (%(kind)s).") % {"kind": label}
        return _("%(kind)s is not a type of housing the person chose.") % {"kind": label}
    return ""


def describe_reason(reason: dict[str, Any]) -> str:
    """One stored reason of a match (its rank, "by hand", or an eligibility check) in a sentence.

    The "passed over" reason names people, so each caller says it in its own way (within what it may show).
    """
    from django.template.defaultfilters import floatformat

    kind = reason.get("kind")
    if kind == "rank":
        if not reason.get("rank"):
            return _("Not ranked when proposed (no priority policy in force).")
        score = reason.get("score")
        return _("Rank %(rank)s on the by-name list when proposed (priority score %(score)s).") % {
            "rank": reason["rank"],
            "score": "—" if score is None else floatformat(score, "-2"),
        }
    if kind == "by_hand":
        if reason.get("reason"):
            return _("Proposed by hand, not by a matching run, for this reason: %(reason)s") % {
                "reason": reason["reason"]
            }
        return _("Proposed by hand, not by a matching run.")
    return describe_check(reason)


def feature_label(key: str) -> str:
    return str(dict(AccessibilityFeature.choices).get(key, key))


def check_requirements(requirements: Iterable[dict[str, Any]], facts: Facts) -> list[Check]:
    checks = []
    for req in requirements:
        met = _meets(req, facts)
        must_not = req.get("rule", "must") == "must_not"
        # Unknown information never passes a requirement: the check says what to record.
        passed = bool(met is not None and (not met if must_not else met))
        checks.append(
            Check(
                "requirement",
                passed,
                {"requirement": req, "observed": _observed(req, facts), "unknown": met is None},
            )
        )
    return checks


def check_unit(unit, facts: Facts) -> list[Check]:
    """The unit's own requirements, then accessibility against its features, then the person's choices."""
    checks = check_requirements(unit.requirements or [], facts)
    features = set(unit.features or [])
    missing = [need for need in facts.accessibility_needs if need not in features]
    checks.append(
        Check("accessibility", not missing, {"needs": list(facts.accessibility_needs), "missing": missing})
    )
    if facts.preferred_areas or facts.preferred_neighbourhoods:
        checks.append(_check_area(unit, facts))
    if facts.preferred_unit_kinds:
        checks.append(Check("unit_kind", unit.kind in facts.preferred_unit_kinds, {"unit_kind": unit.kind}))
    return checks


def _check_area(unit, facts: Facts) -> Check:
    """The unit is in an area the person chose: the area itself or its borough. A text typed before areas
    existed (on either side) still counts when it names the same place."""
    from ancrage.housing.areas import covered, normalise

    area = unit.area if unit.area_id is not None else None
    passed = bool(covered(area) & set(facts.preferred_areas))
    if not passed and facts.preferred_neighbourhoods:
        typed = {normalise(n) for n in facts.preferred_neighbourhoods}
        places = {normalise(unit.neighbourhood)} if unit.neighbourhood else set()
        if area is not None:
            places |= {normalise(area.name_fr), normalise(area.name_en or area.name_fr)}
        passed = bool(places & typed)
    return Check(
        "neighbourhood",
        passed,
        {
            "area": unit.area_id,
            "place": unit.neighbourhood,
            "areas": list(facts.preferred_areas),
            "chosen": list(facts.preferred_neighbourhoods),
        },
    )


def opening_requirements(opening) -> list[dict[str, Any]]:
    """Every requirement an opening sets: its program's, then its unit's."""
    program = opening.program.eligibility or [] if opening.program_id is not None else []
    unit = opening.unit.requirements or [] if opening.unit_id is not None else []
    return [*program, *unit]


def check_opening(opening, facts: Facts) -> list[Check]:
    """Every check for one opening: its program's requirements, then its unit's."""
    checks: list[Check] = []
    if opening.program_id is not None:
        checks += check_requirements(opening.program.eligibility or [], facts)
    if opening.unit_id is not None:
        checks += check_unit(opening.unit, facts)
    return checks


def is_eligible(checks: Iterable[Check]) -> bool:
    return all(c.passed for c in checks)
