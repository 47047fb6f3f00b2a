"""Eligibility requirements as data (A2): the criteria, checking that a list of requirements is well formed,
and a requirement in words.

Programs (organisations) and units (housing) store requirements; coordinated access checks people against
them (ancrage.access.eligibility). The language lives here, in the lowest layer that stores it.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

RULES = ("must", "must_not")

# Marks a criterion whose accepted values are the choices of a model an app above declares (gender of a
# person, household of an entry on the list…): that app registers them at start-up.
REGISTERED = "registered"

# Each criterion: its label and, for those compared with a list, the values it accepts and their labels.
CRITERIA: dict[str, dict[str, Any]] = {
    "age": {"label": gettext_lazy("Age"), "values": None},
    "household_type": {"label": gettext_lazy("Household"), "values": REGISTERED},
    "gender": {"label": gettext_lazy("Gender"), "values": REGISTERED},
    "acuity_band": {"label": gettext_lazy("Acuity band"), "values": None},
    "chronic": {"label": gettext_lazy("Chronically homeless"), "values": None},
    "income_source": {"label": gettext_lazy("Source of income"), "values": REGISTERED},
    "flag": {"label": gettext_lazy("Health and safety flag"), "values": REGISTERED},
}


def register_values(criterion: str, choices: type[models.TextChoices]) -> None:
    """Give a criterion the values it accepts (called from the AppConfig.ready() of the app that owns them)."""
    if CRITERIA[criterion]["values"] not in (REGISTERED, choices):
        raise ImproperlyConfigured(f"The values of the criterion {criterion!r} are already given.")
    CRITERIA[criterion]["values"] = choices


def known_values(criterion: str) -> type[models.TextChoices] | None:
    """The choices a criterion accepts, or None when it is not compared with a list (age, chronic…)."""
    values = CRITERIA[criterion]["values"]
    if values == REGISTERED:
        # Checking now would accept anything: fail rather than let a wrong requirement through.
        raise ImproperlyConfigured(f"No app has registered the values of the criterion {criterion!r}.")
    return values


def choices_of(criterion: str) -> list[tuple[str, str]]:
    """The (value, label) pairs a criterion compared with a list accepts, for a form's choices."""
    known = known_values(criterion)
    if known is None:
        raise ImproperlyConfigured(f"The criterion {criterion!r} is not compared with a list of values.")
    return known.choices


# Labels of the bands of the instruments we ship; a community's own band keys show as they are.
BAND_LABELS: dict[str, Any] = {
    "none": gettext_lazy("No housing intervention recommended"),
    "rapid_rehousing": gettext_lazy("Rapid rehousing"),
    "housing_first_icm": gettext_lazy("Housing First with intensive case management (ICM)"),
    "act": gettext_lazy("Housing First with assertive community treatment (ACT)"),
}


def band_label(key: str) -> str:
    return str(BAND_LABELS.get(key, key))


# A3: the score places the person in low, mid or high acuity. The bands of the instruments we ship, and
# the plain levels a community's own instrument may name its bands after.
ACUITY_LEVELS: dict[str, str] = {
    "none": "low",
    "rapid_rehousing": "low",
    "housing_first_icm": "mid",
    "act": "high",
    "low": "low",
    "mid": "mid",
    "moderate": "mid",
    "high": "high",
}
ACUITY_LEVEL_LABELS: dict[str, Any] = {
    "low": gettext_lazy("Low acuity"),
    "mid": gettext_lazy("Moderate acuity"),
    "high": gettext_lazy("High acuity"),
}


def acuity_level_label(band: str | None) -> str:
    """“High acuity” for a triage band (A3); "" when there is no band or its level is unknown."""
    level = ACUITY_LEVELS.get((band or "").strip().lower())
    return str(ACUITY_LEVEL_LABELS[level]) if level else ""


def validate_requirements(requirements: Any) -> list[str]:
    """Every problem of a list of requirements, each naming the requirement and the field; [] when valid."""
    if not isinstance(requirements, list):
        return [_("Requirements are a list, one mapping per requirement.")]
    problems = []
    for number, req in enumerate(requirements, start=1):

        def problem(field_name: str, message: str, number: int = number) -> None:
            problems.append(
                _("Requirement %(number)s, field “%(field)s”: %(message)s")
                % {"number": number, "field": field_name, "message": message}
            )

        if not isinstance(req, dict):
            problems.append(_("Requirement %(number)s is not a mapping.") % {"number": number})
            continue
        criterion = req.get("criterion")
        if criterion not in CRITERIA:
            problem(
                "criterion",
                _("unknown criterion “%(value)s”; known criteria: %(known)s.")
                % {"value": criterion, "known": ", ".join(CRITERIA)},
            )
            continue
        if req.get("rule", "must") not in RULES:
            problem("rule", _("write must or must_not."))
        if criterion == "age":
            low, high = req.get("min"), req.get("max")
            for name, value in (("min", low), ("max", high)):
                if value is not None and (
                    not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 120
                ):
                    problem(name, _("an age is a whole number from 0 to 120."))
            if low is None and high is None:
                problem("min", _("give a minimum age, a maximum age, or both."))
            elif isinstance(low, int) and isinstance(high, int) and low > high:
                problem("max", _("the maximum age is below the minimum age."))
        elif criterion != "chronic":
            values = req.get("values")
            if not isinstance(values, list) or not values:
                problem("values", _("give the accepted values as a non-empty list."))
                continue
            known = known_values(criterion)
            if known is not None:
                for value in values:
                    if value not in known.values:
                        problem(
                            "values",
                            _("unknown value “%(value)s”; known values: %(known)s.")
                            % {"value": value, "known": ", ".join(known.values)},
                        )
    return problems


def value_label(criterion: str, value: str) -> str:
    if criterion == "acuity_band":
        return band_label(value)
    known = known_values(criterion)
    if known is None:
        return str(value)
    return str(dict(known.choices).get(value, value))


def describe_requirement(req: dict[str, Any]) -> str:
    """A requirement in words: “Age from 18 to 64”, “Not: Household: Family with children”."""
    criterion = req["criterion"]
    label = str(CRITERIA[criterion]["label"])
    if criterion == "age":
        low, high = req.get("min"), req.get("max")
        if low is not None and high is not None:
            text = _("Age from %(min)s to %(max)s") % {"min": low, "max": high}
        elif low is not None:
            text = _("Age %(min)s or more") % {"min": low}
        else:
            text = _("Age %(max)s or less") % {"max": high}
    elif criterion == "chronic":
        text = label
    else:
        values = " / ".join(value_label(criterion, v) for v in req.get("values", []))
        text = _("%(label)s: %(value)s") % {"label": label, "value": values}
    if req.get("rule", "must") == "must_not":
        return _("Not: %(requirement)s") % {"requirement": text}
    return text
