"""Writes of a person's homelessness history (A4, A5): what they report at intake or later on their profile.

The stays and sightings recorded afterwards (a shelter night, a street outreach contact) are
`living_situation_record`; chronic status and days homeless are computed from both (ancrage.access.chronic).
"""

from __future__ import annotations

import contextlib
import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ancrage.access.chronic import PAST_THREE_YEARS_DAYS
from ancrage.access.models import (
    HistorySource,
    HomelessnessHistory,
    Intake,
    LengthOfStay,
    LivingSituation,
    MissingAnswer,
    TimesHomeless,
    YesNoAnswer,
)
from ancrage.access.services.by_name import refresh_chronic_of
from ancrage.accounts.models import User
from ancrage.core import audit, clock
from ancrage.people.models import Participant

HISTORY_FIELDS = (
    "reported_on",
    "source",
    "living_situation",
    "prior_living_situation",
    "prior_length_of_stay",
    "previous_street_or_shelter",
    "episode_started_on",
    "times_homeless_past_three_years",
    "months_homeless_past_three_years",
    "months_homeless_missing",
)

_CHOICES: dict[str, tuple[Any, Any]] = {
    "source": (HistorySource, gettext_lazy("Choose the source.")),
    "living_situation": (LivingSituation, gettext_lazy("Choose where the person stays now.")),
    "prior_living_situation": (LivingSituation, gettext_lazy("Choose where the person stayed before.")),
    "prior_length_of_stay": (LengthOfStay, gettext_lazy("Choose how long the person stayed there.")),
    "previous_street_or_shelter": (YesNoAnswer, gettext_lazy("Choose an answer.")),
    "times_homeless_past_three_years": (TimesHomeless, gettext_lazy("Choose how many times.")),
}


def _check(values: dict[str, Any]) -> None:
    errors: dict[str, list[str]] = {}
    today = clock.today()
    for name, (choices, message) in _CHOICES.items():
        if values[name] not in choices.values:
            errors[name] = [str(message)]
    reported_on = values["reported_on"]
    if reported_on > today:
        errors["reported_on"] = [_("This date cannot be in the future.")]
    elif reported_on.year < 1900:
        errors["reported_on"] = [_("Enter a year after 1900.")]
    started = values["episode_started_on"]
    if started is not None:
        if started > reported_on:
            errors["episode_started_on"] = [_("The episode cannot start after the date of this history.")]
        elif started.year < 1900:
            errors["episode_started_on"] = [_("Enter a year after 1900.")]
    months = values["months_homeless_past_three_years"]
    missing = values["months_homeless_missing"]
    if months is not None:
        if not 0 <= months <= 36:
            errors["months_homeless_past_three_years"] = [_("Enter a number of months from 0 to 36.")]
        elif missing:
            errors["months_homeless_past_three_years"] = [
                _("Give the months, or say why they are not known, not both.")
            ]
        elif (
            started is not None
            and "episode_started_on" not in errors
            and values["living_situation"] in HOMELESS_SITUATIONS
        ):
            # The current episode's nights in the three years are part of the months reported.
            window = reported_on - datetime.timedelta(days=PAST_THREE_YEARS_DAYS - 1)
            episode_months = ((reported_on - max(started, window)).days + 1) // 31
            if episode_months > months:
                errors["months_homeless_past_three_years"] = [
                    _(
                        "The current episode alone lasts about %(episode)s months: the months homeless in the "
                        "past three years include it, so they cannot be fewer."
                    )
                    % {"episode": episode_months}
                ]
    elif missing and missing not in MissingAnswer.values:
        errors["months_homeless_missing"] = [_("Choose an answer.")]
    if errors:
        raise ValidationError(errors)


HOMELESS_SITUATIONS = frozenset(
    {
        LivingSituation.STREET,
        LivingSituation.SHELTER,
        LivingSituation.SAFE_HAVEN,
        LivingSituation.HOTEL_SELF_PAID,
        LivingSituation.FAMILY,
        LivingSituation.FRIENDS,
        LivingSituation.HOST_HOME,
    }
)


@transaction.atomic
def homelessness_history_record(
    *,
    actor: User,
    participant: Participant,
    reported_on: datetime.date,
    source: str,
    living_situation: str,
    prior_living_situation: str = LivingSituation.NOT_COLLECTED,
    prior_length_of_stay: str = LengthOfStay.NOT_COLLECTED,
    previous_street_or_shelter: str = YesNoAnswer.NOT_COLLECTED,
    episode_started_on: datetime.date | None = None,
    times_homeless_past_three_years: str = TimesHomeless.NOT_COLLECTED,
    months_homeless_past_three_years: int | None = None,
    months_homeless_missing: str = "",
    intake: Intake | None = None,
) -> HomelessnessHistory:
    """Record what is known of the person's homelessness as of `reported_on`; the chronic figures and the
    rank follow. A new history never overwrites an earlier one: the latest as of a date counts."""
    values: dict[str, Any] = {
        "reported_on": reported_on,
        "source": source,
        "living_situation": living_situation,
        "prior_living_situation": prior_living_situation,
        "prior_length_of_stay": prior_length_of_stay,
        "previous_street_or_shelter": previous_street_or_shelter,
        "episode_started_on": episode_started_on,
        "times_homeless_past_three_years": times_homeless_past_three_years,
        "months_homeless_past_three_years": months_homeless_past_three_years,
        "months_homeless_missing": ""
        if months_homeless_past_three_years is not None
        else months_homeless_missing,
    }
    _check(values)
    if participant.is_merged:
        raise ValidationError(_("This file was merged into another: use that one."))
    if intake is not None and intake.participant_id != participant.pk:
        raise ValidationError(_("This intake is about another person."))
    history = HomelessnessHistory.objects.create(
        participant=participant, intake=intake, recorded_by=actor, **values
    )
    refresh_chronic_of(participant)
    audit.record(
        actor=actor,
        action="access.homelessness_history.recorded",
        obj=history,
        participant=participant,
        data={
            name: value.isoformat() if isinstance(value, datetime.date) else value
            for name, value in values.items()
        }
        | {"intake": intake.pk if intake else None},
    )
    return history


# --- What the acuity screener feeds (A3): its housing-history answers as a history's first values ----------

_SLEPT: dict[str, str] = {
    "outside": LivingSituation.STREET,
    "shelter": LivingSituation.SHELTER,
    "couch": LivingSituation.FRIENDS,
    "refused": LivingSituation.REFUSED,
    "doesnt_know": LivingSituation.DOESNT_KNOW,
}


def _times(episodes: Any) -> str:
    if episodes in {"doesnt_know", "refused"}:
        return str(episodes)
    try:
        count = int(episodes)
    except (TypeError, ValueError):
        return TimesHomeless.NOT_COLLECTED
    if count >= 4:
        return TimesHomeless.FOUR_OR_MORE
    return {0: TimesHomeless.ONE, 1: TimesHomeless.ONE, 2: TimesHomeless.TWO, 3: TimesHomeless.THREE}[
        max(count, 0)
    ]


def history_from_screener(answers: dict[str, Any], completed_on: datetime.date) -> dict[str, Any]:
    """The values a screener's housing-history answers give a history, self-reported on the day it was
    completed: where the person slept last night, times homeless, months homeless in three years. Answers
    that say nothing of a living situation (an institution, their own place) leave it to the worker."""
    initial: dict[str, Any] = {"reported_on": completed_on, "source": HistorySource.SELF_REPORTED}
    slept = answers.get("slept_last_night")
    if slept in _SLEPT:
        initial["living_situation"] = _SLEPT[slept]
        if slept in {"outside", "shelter"}:
            initial["previous_street_or_shelter"] = YesNoAnswer.YES
    if "episodes" in answers:
        initial["times_homeless_past_three_years"] = _times(answers["episodes"])
    months = answers.get("months_homeless")
    if months in {"doesnt_know", "refused"}:
        initial["months_homeless"] = months
    elif months is not None:
        with contextlib.suppress(TypeError, ValueError):
            initial["months_homeless"] = str(max(0, min(36, int(months))))
    return initial
