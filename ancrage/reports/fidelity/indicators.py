"""The Housing First fidelity items, their 1–4 thresholds and their scoring, as pure functions (no database).

The page, its exports, the API and the snapshots all score the same way. Five domains (the Pathways Housing
First fidelity scale's): housing choice and structure, separation of housing and services, service philosophy,
service array, program structure. An item is either computed from the data (its definition and thresholds
are here and on the page) or left to the program's self-assessment (its four anchors are here).
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

DOMAINS: dict[str, Promise] = {
    "housing": _("Housing choice and structure"),
    "separation": _("Separation of housing and services"),
    "philosophy": _("Service philosophy"),
    "array": _("Service array"),
    "structure": _("Program structure"),
}

# Thresholds of the computed items (the page shows them; change them here only).
MIN_OPTIONS = 2  # C3: at least 2–3 options offered.
RENT_SHARE_MAX = Decimal("0.30")  # The participant pays at most 30 % of their income.
SCATTERED_MAX_SHARE = Decimal("0.20")  # The programs hold at most 20 % of a building's units…
SCATTERED_FEW_UNITS = 2  # …or at most 2 units in it.
KEPT_AFTER_EXIT_DAYS = 30  # Housed 30 days after leaving the program's services.
CONDITION_FLAGS = ("substance_use", "mental_health")  # A requirement on these is a clinical condition.


@dataclass(frozen=True)
class Scale:
    """Cut-offs for scores 4, 3 and 2 (below the last: 1). `higher_is_better` False: at most each cut-off."""

    four: Decimal
    three: Decimal
    two: Decimal
    higher_is_better: bool = True

    def score(self, value: Decimal | None) -> int | None:
        if value is None:
            return None
        for score, cut in ((4, self.four), (3, self.three), (2, self.two)):
            if (value >= cut) if self.higher_is_better else (value <= cut):
                return score
        return 1


def _d(value) -> Decimal:
    return Decimal(str(value))


@dataclass(frozen=True)
class ComputedItem:
    key: str
    domain: str
    title: Promise
    definition: Promise
    unit: Promise
    scale: Scale
    # Which kind of information the people behind the figure belong to (consent, G2).
    category: str = "housing"


@dataclass(frozen=True)
class SelfItem:
    key: str
    domain: str
    title: Promise
    anchors: tuple[Promise, Promise, Promise, Promise]  # for scores 1, 2, 3 and 4
    # Why the data cannot say it, when a computed item would be expected (team meetings).
    why_not_data: Promise | None = None


PERCENT = _("%")
COMPUTED: tuple[ComputedItem, ...] = (
    ComputedItem(
        "options_offered",
        "housing",
        _("Housing options offered"),
        _(
            "Share of the people whose lease started in the period who were offered at least 2 units in the "
            "search that led to it (C3)."
        ),
        PERCENT,
        Scale(_d(90), _d(75), _d(50)),
    ),
    ComputedItem(
        "unit_chosen",
        "housing",
        _("Unit chosen by the participant"),
        _("Share of the people whose lease started in the period who chose their unit (C3)."),
        PERCENT,
        Scale(_d(95), _d(85), _d(70)),
    ),
    ComputedItem(
        "scattered_sites",
        "housing",
        _("Scattered sites"),
        _(
            "Share of the people housed by the program on the last day of the period who live in a "
            "scattered-site apartment of a building where the programs hold at most 2 of the units the "
            "landlords' book records in it, or a small share of them (at most 20 %)."
        ),
        PERCENT,
        Scale(_d(85), _d(70), _d(50)),
    ),
    ComputedItem(
        "time_to_housing",
        "housing",
        _("Time to housing"),
        _(
            "Median number of days from the enrollment in the program to the first move-in, for the first "
            "move-ins of the period."
        ),
        _("days"),
        Scale(_d(45), _d(90), _d(180), higher_is_better=False),
    ),
    ComputedItem(
        "rent_share",
        "separation",
        _("Rent share at most 30 %"),
        _(
            "Share of the program's tenancies on the last day of the period, with an income recorded, where the "
            "participant's share of the rent, against their monthly income, is at most 30 %."
        ),
        PERCENT,
        Scale(_d(90), _d(75), _d(50)),
    ),
    ComputedItem(
        "no_conditions",
        "separation",
        _("No condition of treatment or sobriety"),
        _(
            "The program's eligibility requirements set no condition on substance use or mental health "
            "(B11). Refusals by the program in the period are counted for the reader to review their "
            "reasons."
        ),
        _("requirements"),
        Scale(_d(0), _d(0), _d(0), higher_is_better=False),
    ),
    ComputedItem(
        "kept_after_exit",
        "separation",
        _("Housing kept after leaving services"),
        _(
            "Share of the people who left the program in the period while housed (deaths left out) who were "
            "still housed 30 days after leaving."
        ),
        PERCENT,
        Scale(_d(90), _d(75), _d(50)),
    ),
    ComputedItem(
        "rehousing",
        "separation",
        _("Rehousing after an eviction"),
        _(
            "Share of the program's tenancies ended by an eviction in the period that were followed by a new "
            "tenancy (C8)."
        ),
        PERCENT,
        Scale(_d(80), _d(60), _d(40)),
    ),
    ComputedItem(
        "visits_per_week",
        "array",
        _("Visits per week"),
        _(
            "Visits (at home, in the community, at the office or accompanying), the participant present, per "
            "participant and week enrolled in the period (B2: at least one a week)."
        ),
        _("visits a week"),
        Scale(_d("1.0"), _d("0.75"), _d("0.5")),
        category="case_notes",
    ),
    ComputedItem(
        "hours_per_week",
        "array",
        _("Hours of support per week"),
        _(
            "Hours of contacts with the participant present, per participant and week enrolled in the period "
            "(B2: 2.5 hours a week on average)."
        ),
        _("hours a week"),
        Scale(_d("2.5"), _d("1.75"), _d("1.0")),
        category="case_notes",
    ),
    ComputedItem(
        "caseload_ratio",
        "structure",
        _("Caseload ratio"),
        _(
            "Participants enrolled on the last day of the period per case manager assigned to them that day, "
            "against the program's ratio (B1: 15 in ICM, 10 in ACT)."
        ),
        _("participants per case manager"),
        # Relative to the program's ratio: at most the ratio, 1.25 times it, 1.5 times it.
        Scale(_d("1.0"), _d("1.25"), _d("1.5"), higher_is_better=False),
        category="case_notes",
    ),
)

SELF: tuple[SelfItem, ...] = (
    SelfItem(
        "lease_rights",
        "separation",
        _("Tenants' rights"),
        (
            _("Participants hold no lease; housing depends on the program's rules."),
            _("Some participants hold a standard lease; program rules still apply at home."),
            _("Most participants hold a standard lease with a tenant's rights and duties."),
            _("Every participant holds a standard lease with a tenant's rights and duties."),
        ),
    ),
    SelfItem(
        "service_choice",
        "philosophy",
        _("Choice of services"),
        (
            _("Staff decide the type and frequency of services."),
            _("Participants are consulted on some services."),
            _("Participants choose most services and their frequency."),
            _("Participants choose the type, order and intensity of every service."),
        ),
    ),
    SelfItem(
        "harm_reduction",
        "philosophy",
        _("Harm reduction"),
        (
            _("Abstinence is expected; use leads to sanctions."),
            _("Harm reduction is tolerated but not practised by the whole team."),
            _("The team practises harm reduction with most participants."),
            _(
                "The whole team practises harm reduction with every participant; nobody is sanctioned for use."
            ),
        ),
    ),
    SelfItem(
        "person_centred",
        "philosophy",
        _("Person-centred planning"),
        (
            _("Plans are written by staff without the participant."),
            _("Plans are written with the participant but in staff's words."),
            _("Plans are the participant's goals, mostly in their words."),
            _("Every plan is the participant's goals, in their words, reviewed with them regularly."),
        ),
    ),
    SelfItem(
        "clinical_services",
        "array",
        _("Mental health and substance use services"),
        (
            _("Participants are referred elsewhere without follow-up."),
            _("Referrals are followed up for some participants."),
            _("The team offers or accompanies participants to most services they need."),
            _("The team offers psychiatric and substance use services directly or by close partnership."),
        ),
    ),
    SelfItem(
        "crisis_support",
        "array",
        _("Support around the clock"),
        (
            _("No support outside office hours."),
            _("A phone number outside office hours, without knowledge of the participants."),
            _("An on-call worker who can read the crisis plans."),
            _("An on-call worker of the team, every day and night, who can go out to the participant."),
        ),
    ),
    SelfItem(
        "peer_and_employment",
        "array",
        _("Peer support and employment"),
        (
            _("No peer support worker and no employment support."),
            _("One of the two is offered occasionally."),
            _("Both are offered, one of them by the team itself."),
            _(
                "A peer support worker is on the team and employment support is offered to everyone who wants it."
            ),
        ),
    ),
    SelfItem(
        "team_meetings",
        "structure",
        _("Team meetings"),
        (
            _("The team meets less than once a week."),
            _("The team meets once or twice a week."),
            _("The team meets three times a week and reviews the participants at risk."),
            _("The team meets at least four times a week and reviews every participant each week."),
        ),
        why_not_data=_(
            "Ancrage keeps the order of the team meeting screen, not a record of each meeting held: the "
            "program says how often its team met."
        ),
    ),
    SelfItem(
        "participant_voice",
        "structure",
        _("Participants' voice in the program"),
        (
            _("Participants have no say in how the program runs."),
            _("Participants are asked their opinion occasionally."),
            _("Participants are asked regularly and told what changed."),
            _("Participants sit on the program's committees and their advice changes how it runs."),
        ),
    ),
)

COMPUTED_BY_KEY = {item.key: item for item in COMPUTED}
SELF_BY_KEY = {item.key: item for item in SELF}
SCORES = (1, 2, 3, 4)


@dataclass
class Result:
    """A computed item for one program and period: the figure, the counts behind it, its score."""

    key: str
    value: Decimal | None
    numerator: int | None = None
    denominator: int | None = None
    score: int | None = None
    # The people behind the figure (ids, never shown as such: the list view shows those the reader may see).
    people: list[int] = field(default_factory=list)
    # A second count for the reader (refusals to review, the program's ratio).
    extra: dict[str, int] = field(default_factory=dict)

    @property
    def item(self) -> ComputedItem:
        return COMPUTED_BY_KEY[self.key]

    def snapshot(self) -> dict:
        return {
            "key": self.key,
            "value": None if self.value is None else str(self.value),
            "numerator": self.numerator,
            "denominator": self.denominator,
            "score": self.score,
            "extra": dict(self.extra),
        }


def share(numerator: int, denominator: int) -> Decimal | None:
    """A percentage with one decimal, None without a denominator."""
    if not denominator:
        return None
    return (Decimal(numerator) * 100 / Decimal(denominator)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def percentage_result(key: str, met: Sequence[int], total: Sequence[int]) -> Result:
    value = share(len(met), len(total))
    return Result(
        key,
        value,
        len(met),
        len(total),
        COMPUTED_BY_KEY[key].scale.score(value),
        people=sorted(set(total)),
    )


def median_days(days: Sequence[int]) -> Decimal | None:
    if not days:
        return None
    return _d(statistics.median(days)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def rate(numerator: Decimal | int, weeks: Decimal) -> Decimal | None:
    if weeks <= 0:
        return None
    return (Decimal(numerator) / weeks).quantize(Decimal("0.01"), ROUND_HALF_UP)


def caseload_score(participants: int, workers: int, program_ratio: int) -> tuple[Decimal | None, int | None]:
    """The caseload ratio and its score against the program's own ratio (1 without any case manager)."""
    if not participants:
        return None, None
    if not workers:
        return None, 1
    ratio = (Decimal(participants) / Decimal(workers)).quantize(Decimal("0.1"), ROUND_HALF_UP)
    relative = ratio / Decimal(program_ratio)
    return ratio, COMPUTED_BY_KEY["caseload_ratio"].scale.score(relative)


def mean(scores: Sequence[int | Decimal | None]) -> Decimal | None:
    present = [Decimal(s) for s in scores if s is not None]
    if not present:
        return None
    return (sum(present, Decimal(0)) / len(present)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def domain_scores(
    computed: dict[str, int | None], assessed: dict[str, int | None]
) -> dict[str, Decimal | None]:
    """Each domain's score: the mean of its items' scores, computed and self-assessed (items without one left
    out); None for a domain with none."""
    result: dict[str, Decimal | None] = {}
    for domain in DOMAINS:
        scores: list[int | None] = [computed.get(i.key) for i in COMPUTED if i.domain == domain]
        scores += [assessed.get(i.key) for i in SELF if i.domain == domain]
        result[domain] = mean(scores)
    return result


def overall(domains: dict[str, Decimal | None]) -> Decimal | None:
    """The program's score: the mean of its domains' scores."""
    return mean(list(domains.values()))


def thresholds_text(item: ComputedItem) -> str:
    """The thresholds of an item in words, as the page and the exports say them."""
    from django.utils.translation import gettext

    s = item.scale
    if item.key == "no_conditions":
        return gettext("4: no such requirement; 1: at least one.")
    if item.key == "caseload_ratio":
        return gettext(
            "4: at most the program's ratio; 3: at most 1.25 times it; 2: at most 1.5 times it; 1: more."
        )
    if s.higher_is_better:
        return gettext("4: at least %(four)s; 3: at least %(three)s; 2: at least %(two)s; 1: less.") % {
            "four": s.four,
            "three": s.three,
            "two": s.two,
        }
    return gettext("4: at most %(four)s; 3: at most %(three)s; 2: at most %(two)s; 1: more.") % {
        "four": s.four,
        "three": s.three,
        "two": s.two,
    }
