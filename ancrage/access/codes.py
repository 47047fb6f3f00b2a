"""How a homelessness history maps to HUD HMIS CSV FY2026 element 3.917 (the Enrollment file's columns
LivingSituation, LengthOfStay, LOSUnderThreshold, PreviousStreetESSH, DateToStreetESSH,
TimesHomelessPastThreeYears, MonthsHomelessPastThreeYears), in the style of `ancrage.people.codes`.

One module, so the HMIS CSV export (a later issue) reads the mapping from here and nowhere else; the codes
come from the lists the project keeps in `ancrage.people.hmis_fy2026`.
"""

from __future__ import annotations

from typing import Any

from ancrage.access.models import LengthOfStay, LivingSituation, MissingAnswer, TimesHomeless, YesNoAnswer
from ancrage.people import hmis_fy2026

DOESNT_KNOW = hmis_fy2026.DOESNT_KNOW
REFUSED = hmis_fy2026.PREFERS_NOT_TO_ANSWER
NOT_COLLECTED = hmis_fy2026.NOT_COLLECTED

# HMIS 3.917 Prior Living Situation (the Enrollment file's LivingSituation, from our prior living situation);
# the living situation at entry maps with the same codes to 4.12 CurrentLivingSituation, which holds them all.
HMIS_LIVING_SITUATION: dict[str, int] = {
    LivingSituation.STREET: 116,
    LivingSituation.SHELTER: 101,
    LivingSituation.SAFE_HAVEN: 118,
    LivingSituation.HOTEL_SELF_PAID: 314,
    LivingSituation.FAMILY: 335,
    LivingSituation.FRIENDS: 336,
    LivingSituation.HOST_HOME: 332,
    LivingSituation.TRANSITIONAL: 302,
    LivingSituation.RESIDENTIAL_PROGRAM: 329,
    LivingSituation.PSYCHIATRIC: 204,
    LivingSituation.TREATMENT: 205,
    LivingSituation.HOSPITAL: 206,
    LivingSituation.DETENTION: 207,
    LivingSituation.FOSTER_CARE: 215,
    LivingSituation.LONG_TERM_CARE: 225,
    LivingSituation.RENTAL: 410,
    LivingSituation.RENTAL_SUBSIDISED: 435,
    LivingSituation.OWNED: 411,
    LivingSituation.OWNED_SUBSIDISED: 421,
    LivingSituation.DOESNT_KNOW: DOESNT_KNOW,
    LivingSituation.REFUSED: REFUSED,
    LivingSituation.NOT_COLLECTED: NOT_COLLECTED,
}

# HMIS 3.917.2 ResidencePriorLengthOfStay.
HMIS_LENGTH_OF_STAY: dict[str, int] = {
    LengthOfStay.ONE_NIGHT: 10,
    LengthOfStay.TWO_TO_SIX_NIGHTS: 11,
    LengthOfStay.ONE_WEEK: 2,
    LengthOfStay.ONE_MONTH: 3,
    LengthOfStay.NINETY_DAYS: 4,
    LengthOfStay.ONE_YEAR: 5,
    LengthOfStay.DOESNT_KNOW: DOESNT_KNOW,
    LengthOfStay.REFUSED: REFUSED,
    LengthOfStay.NOT_COLLECTED: NOT_COLLECTED,
}

# HMIS 1.8 NoYesReasonsForMissingData (PreviousStreetESSH).
HMIS_YES_NO: dict[str, int] = {
    YesNoAnswer.NO: 0,
    YesNoAnswer.YES: 1,
    YesNoAnswer.DOESNT_KNOW: DOESNT_KNOW,
    YesNoAnswer.REFUSED: REFUSED,
    YesNoAnswer.NOT_COLLECTED: NOT_COLLECTED,
}

# HMIS 3.917.4 TimesHomelessPastThreeYears.
HMIS_TIMES_HOMELESS: dict[str, int] = {
    TimesHomeless.ONE: 1,
    TimesHomeless.TWO: 2,
    TimesHomeless.THREE: 3,
    TimesHomeless.FOUR_OR_MORE: 4,
    TimesHomeless.DOESNT_KNOW: DOESNT_KNOW,
    TimesHomeless.REFUSED: REFUSED,
    TimesHomeless.NOT_COLLECTED: NOT_COLLECTED,
}

HMIS_MISSING: dict[str, int] = {
    MissingAnswer.DOESNT_KNOW: DOESNT_KNOW,
    MissingAnswer.REFUSED: REFUSED,
    MissingAnswer.NOT_COLLECTED: NOT_COLLECTED,
}


def hmis_months_homeless(months: int | None, missing: str = "") -> int:
    """HMIS 3.917.5: 101 to 112 for one to twelve months (less than a month counts as one), 113 beyond."""
    if months is None:
        return HMIS_MISSING.get(missing, NOT_COLLECTED)
    return 100 + max(1, months) if months <= 12 else 113


# HMIS groups of 3.917: literally homeless (ES, SH, street), institutional, and everything else.
_LITERALLY_HOMELESS = frozenset({101, 116, 118})
_INSTITUTIONAL = frozenset({204, 205, 206, 207, 215, 225})


def hmis_los_under_threshold(prior_situation: str, length_of_stay: str) -> int | None:
    """HMIS LOSUnderThreshold: after an institution, a stay under 90 days; after anywhere else not homeless,
    under 7 nights. None where HMIS does not ask it (coming from the street or a shelter, or length unknown)."""
    situation = HMIS_LIVING_SITUATION.get(prior_situation, NOT_COLLECTED)
    if situation in _LITERALLY_HOMELESS or situation in {DOESNT_KNOW, REFUSED, NOT_COLLECTED}:
        return None
    short = {LengthOfStay.ONE_NIGHT, LengthOfStay.TWO_TO_SIX_NIGHTS}
    if situation in _INSTITUTIONAL:
        short = short | {LengthOfStay.ONE_WEEK, LengthOfStay.ONE_MONTH}
    if length_of_stay in {LengthOfStay.DOESNT_KNOW, LengthOfStay.REFUSED, LengthOfStay.NOT_COLLECTED}:
        return None
    return 1 if length_of_stay in short else 0


def hmis_enrollment_3917(history: Any) -> dict[str, Any]:
    """The Enrollment file's 3.917 columns for one history (a HomelessnessHistory)."""
    return {
        "LivingSituation": HMIS_LIVING_SITUATION[history.prior_living_situation],
        "LengthOfStay": HMIS_LENGTH_OF_STAY[history.prior_length_of_stay],
        "LOSUnderThreshold": hmis_los_under_threshold(
            history.prior_living_situation, history.prior_length_of_stay
        ),
        "PreviousStreetESSH": HMIS_YES_NO[history.previous_street_or_shelter],
        "DateToStreetESSH": history.episode_started_on,
        "TimesHomelessPastThreeYears": HMIS_TIMES_HOMELESS[history.times_homeless_past_three_years],
        "MonthsHomelessPastThreeYears": hmis_months_homeless(
            history.months_homeless_past_three_years, history.months_homeless_missing
        ),
    }
