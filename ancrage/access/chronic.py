"""The one place that decides chronic homelessness (Reaching Home's definition), with its figures."""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from django.conf import settings as django_settings

# Reaching Home counts nights unsheltered, in an emergency shelter, or staying temporarily with others or in
# a motel without a lease; not transitional housing, institutions or housing. "homeless_undated" is the part
# of the months a person reported that no date places (see `history_periods`).
HOMELESS_KINDS = frozenset(
    {"homeless_sheltered", "homeless_unsheltered", "homeless_temporary", "homeless_undated"}
)
PAST_YEAR_DAYS = 365
PAST_THREE_YEARS_DAYS = 1095
# A reported month, in days: 18 months make 547 days (at least 546), 6 months 182 (at least 180).
DAYS_PER_MONTH = PAST_THREE_YEARS_DAYS / 36

# Each living situation (ancrage.access.models.LivingSituation) and the kind of period it is for the rule.
SITUATION_KINDS: dict[str, str] = {
    "street": "homeless_unsheltered",
    "shelter": "homeless_sheltered",
    "safe_haven": "homeless_sheltered",
    "hotel_self_paid": "homeless_temporary",
    "family": "homeless_temporary",
    "friends": "homeless_temporary",
    "host_home": "homeless_temporary",
    "transitional": "transitional",
    "residential_program": "institution",
    "psychiatric": "institution",
    "treatment": "institution",
    "hospital": "institution",
    "detention": "institution",
    "foster_care": "institution",
    "long_term_care": "institution",
    "rental": "housed",
    "rental_subsidised": "housed",
    "owned": "housed",
    "owned_subsidised": "housed",
    "doesnt_know": "unknown",
    "refused": "unknown",
    "not_collected": "unknown",
}


class Period(Protocol):
    @property
    def kind(self) -> str: ...
    @property
    def starts_on(self) -> datetime.date: ...
    @property
    def ends_on(self) -> datetime.date | None: ...


@dataclass(frozen=True)
class ChronicVerdict:
    """The verdict and the figures behind it, so the interface can explain it."""

    is_chronic: bool
    on: datetime.date
    days_past_year: int
    days_past_three_years: int
    threshold_past_year: int
    threshold_past_three_years: int
    # What the figures were counted from, most recent first (see `evidence_of`); empty when not asked for.
    evidence: tuple[dict[str, Any], ...] = ()

    @property
    def meets_past_year(self) -> bool:
        return self.days_past_year >= self.threshold_past_year

    @property
    def meets_past_three_years(self) -> bool:
        return self.days_past_three_years >= self.threshold_past_three_years


def homeless_days(periods: Iterable[Period], *, first: datetime.date, last: datetime.date) -> int:
    """Distinct homeless days between `first` and `last` (both included); overlaps count once.

    A period is a run of nights with both ends included; an open period runs to `last`.
    """
    spans = []
    for period in periods:
        if period.kind not in HOMELESS_KINDS:
            continue
        start = max(period.starts_on, first)
        end = min(period.ends_on or last, last)
        if start <= end:
            spans.append((start, end))
    spans.sort()
    total = 0
    current_start: datetime.date | None = None
    current_end: datetime.date | None = None
    for start, end in spans:
        if current_end is not None and start <= current_end + datetime.timedelta(days=1):
            current_end = max(current_end, end)
            continue
        if current_start is not None and current_end is not None:
            total += (current_end - current_start).days + 1
        current_start, current_end = start, end
    if current_start is not None and current_end is not None:
        total += (current_end - current_start).days + 1
    return total


def is_chronically_homeless(
    periods: Iterable[Period], *, on: datetime.date, settings: Mapping[str, Any] | None = None
) -> ChronicVerdict:
    """Chronic when homeless at least 180 of the past 365 days, or at least 546 of the past 1,095.

    The windows end on `on` (included): the past year is the 365 days from `on - 364` to `on`.
    Both thresholds come from settings.ANCRAGE (CHRONIC_DAYS_PAST_YEAR, CHRONIC_DAYS_PAST_THREE_YEARS),
    or from `settings` when given.
    """
    config = django_settings.ANCRAGE if settings is None else settings
    year_threshold = int(config["CHRONIC_DAYS_PAST_YEAR"])
    three_year_threshold = int(config["CHRONIC_DAYS_PAST_THREE_YEARS"])
    periods = list(periods)
    past_year = homeless_days(periods, first=on - datetime.timedelta(days=PAST_YEAR_DAYS - 1), last=on)
    past_three = homeless_days(
        periods, first=on - datetime.timedelta(days=PAST_THREE_YEARS_DAYS - 1), last=on
    )
    return ChronicVerdict(
        is_chronic=past_year >= year_threshold or past_three >= three_year_threshold,
        on=on,
        days_past_year=past_year,
        days_past_three_years=past_three,
        threshold_past_year=year_threshold,
        threshold_past_three_years=three_year_threshold,
    )


# --- From the recorded history to the verdict, with its evidence ------------------------------------------


class History(Protocol):
    """What `history_periods` reads of a homelessness history (ancrage.access.models.HomelessnessHistory)."""

    @property
    def reported_on(self) -> datetime.date: ...
    @property
    def source(self) -> str: ...
    @property
    def living_situation(self) -> str: ...
    @property
    def episode_started_on(self) -> datetime.date | None: ...
    @property
    def months_homeless_past_three_years(self) -> int | None: ...


class Stay(Period, Protocol):
    @property
    def situation(self) -> str: ...
    @property
    def source(self) -> str: ...


@dataclass(frozen=True)
class Span:
    """A run of nights the rule counts, and where it comes from: `recorded` (a stay or a sighting),
    `episode` (the current episode a history reports) or `undated` (reported months with no dates)."""

    kind: str
    starts_on: datetime.date
    ends_on: datetime.date | None
    origin: str = "recorded"
    situation: str = ""
    source: str = ""
    reported_on: datetime.date | None = None


def _day(d: datetime.date, days: int) -> datetime.date:
    return d + datetime.timedelta(days=days)


def history_periods(history: History | None, stays: Iterable[Stay]) -> list[Span]:
    """The nights a history reports, as spans the rule can count.

    - The current episode, when the living situation at entry is homelessness: from the date it started
      (or the date of the history when unknown), still running unless a stay recorded after the history
      says the person was housed, in an institution or in transitional housing (it then ends the night before).
    - The months homeless in the three years before the history, less the nights already dated in those
      years (the current episode, the stays and sightings recorded): no date places the rest, so they are
      counted on the earliest free nights of those three years: the least favourable placement, which
      time passing ages out first.
    """
    if history is None:
        return []
    spans: list[Span] = []
    reported = history.reported_on
    kind = SITUATION_KINDS.get(history.living_situation, "unknown")
    episode_start: datetime.date | None = None
    episode_end: datetime.date | None = None
    if kind in HOMELESS_KINDS:
        episode_start = min(history.episode_started_on or reported, reported)
        later = [
            s.starts_on
            for s in stays
            if s.kind not in HOMELESS_KINDS | {"unknown"} and s.starts_on > reported
        ]
        episode_end = _day(min(later), -1) if later else None
        spans.append(
            Span(
                kind,
                episode_start,
                episode_end,
                origin="episode",
                situation=history.living_situation,
                source=history.source,
                reported_on=reported,
            )
        )
    months = history.months_homeless_past_three_years
    if months:
        window_start = _day(reported, -(PAST_THREE_YEARS_DAYS - 1))
        declared = min(PAST_THREE_YEARS_DAYS, int(months * DAYS_PER_MONTH))
        # The nights already dated (the episode, the stays recorded) are part of the months reported.
        dated = [*spans, *(s for s in stays if s.kind in HOMELESS_KINDS)]
        rest = declared - homeless_days(dated, first=window_start, last=reported)
        for start, end in _free_runs(dated, first=window_start, last=reported):
            if rest <= 0:
                break
            taken = min(rest, (end - start).days + 1)
            spans.append(
                Span(
                    "homeless_undated",
                    start,
                    _day(start, taken - 1),
                    origin="undated",
                    source=history.source,
                    reported_on=reported,
                )
            )
            rest -= taken
    return spans


def _free_runs(
    periods: Iterable[Period], *, first: datetime.date, last: datetime.date
) -> list[tuple[datetime.date, datetime.date]]:
    """The runs of nights from `first` to `last` that no homeless period covers, earliest first."""
    taken = sorted(
        (max(p.starts_on, first), min(p.ends_on or last, last))
        for p in periods
        if p.kind in HOMELESS_KINDS and p.starts_on <= last and (p.ends_on or last) >= first
    )
    runs = []
    cursor = first
    for start, end in taken:
        if start > cursor:
            runs.append((cursor, _day(start, -1)))
        cursor = max(cursor, _day(end, 1))
    if cursor <= last:
        runs.append((cursor, last))
    return runs


def _span_days(span: Span, first: datetime.date, last: datetime.date) -> int:
    start = max(span.starts_on, first)
    end = min(span.ends_on or last, last)
    return (end - start).days + 1 if start <= end else 0


EVIDENCE_LINES = 12


def evidence_of(spans: Iterable[Span], *, on: datetime.date) -> tuple[dict[str, Any], ...]:
    """One line per homeless span that counts in the past three years, most recent first, as plain data
    (dates in ISO) so the entry can keep it and any page say it in the reader's language. Past
    EVIDENCE_LINES lines, the rest are summed on one line of origin `more`."""
    first_year = _day(on, -(PAST_YEAR_DAYS - 1))
    first_three = _day(on, -(PAST_THREE_YEARS_DAYS - 1))
    lines: list[dict[str, Any]] = []
    for span in spans:
        if span.kind not in HOMELESS_KINDS:
            continue
        three = _span_days(span, first_three, on)
        if not three:
            continue
        lines.append(
            {
                "origin": span.origin,
                "kind": span.kind,
                "situation": span.situation,
                "source": span.source,
                "from": span.starts_on.isoformat(),
                "to": span.ends_on.isoformat() if span.ends_on else None,
                "reported_on": span.reported_on.isoformat() if span.reported_on else None,
                "year": _span_days(span, first_year, on),
                "three": three,
            }
        )
    lines.sort(key=lambda line: (line["to"] or "9999", line["from"]), reverse=True)
    if len(lines) > EVIDENCE_LINES:
        rest = lines[EVIDENCE_LINES - 1 :]
        lines = lines[: EVIDENCE_LINES - 1]
        lines.append(
            {
                "origin": "more",
                "count": len(rest),
                "year": sum(line["year"] for line in rest),
                "three": sum(line["three"] for line in rest),
            }
        )
    return tuple(lines)


def chronic_from_history(
    stays: Iterable[Stay],
    histories: Iterable[History],
    *,
    on: datetime.date,
    settings: Mapping[str, Any] | None = None,
) -> ChronicVerdict:
    """The verdict as of `on` from everything recorded: the latest history reported on or before `on`, and
    every stay and sighting (overlapping nights count once), with the evidence behind it."""
    stays = list(stays)
    known = [h for h in histories if h.reported_on <= on]
    latest = max(known, key=lambda h: (h.reported_on, getattr(h, "pk", 0) or 0), default=None)
    spans: list[Span] = [
        Span(s.kind, s.starts_on, s.ends_on, situation=s.situation, source=s.source)
        for s in stays
        if s.starts_on <= on
    ]
    spans += history_periods(latest, stays)
    verdict = is_chronically_homeless(spans, on=on, settings=settings)
    return dataclasses.replace(verdict, evidence=evidence_of(spans, on=on))
