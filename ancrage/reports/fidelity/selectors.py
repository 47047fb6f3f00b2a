"""Reads of fidelity: the programs a reader may score, each computed item from the data, the assessments.

Figures are the program's: they name nobody. Each query reads one kind of record for the whole program at
once, so the page's query count does not grow with the program's size.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404

from ancrage.access.models import Match, MatchStatus
from ancrage.casework.models import VISIT_KINDS, Assignment, Contact, Enrollment, Exit
from ancrage.core import clock
from ancrage.core.permissions import Category
from ancrage.housing.models import Tenancy, Unit, UnitKind
from ancrage.housing.selectors_tenancies import choice_figures
from ancrage.organisations.models import Program
from ancrage.people.selectors import participants_visible_for_category
from ancrage.reports.fidelity import indicators as ind
from ancrage.reports.fidelity.models import FidelityAssessment


def programs_for(user) -> QuerySet[Program]:
    """The Housing First programs (ICM, ACT) of the reader's organisations."""
    return (
        Program.objects.filter(
            organisation_id__in=user.organisation_ids, kind__in=Program.HOUSING_FIRST_KINDS
        )
        .select_related("organisation")
        .order_by("organisation__short_name", "name", "id")
    )


def program_get_for_user(user, pk) -> Program:
    """A program the reader may score, or 404 (another organisation's program looks like none)."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    program = programs_for(user).filter(pk=pk).first()
    if program is None:
        raise Http404
    return program


@dataclass
class Report:
    program: Program
    start: datetime.date
    end: datetime.date
    results: dict[str, ind.Result] = field(default_factory=dict)


def _housed_on(tenancies: QuerySet[Tenancy], day: datetime.date) -> QuerySet[Tenancy]:
    return tenancies.filter(lease_start__lte=day).filter(Q(ended_on__isnull=True) | Q(ended_on__gt=day))


def _moved_in(lease_start: datetime.date, moved_in_on: datetime.date | None) -> datetime.date:
    return moved_in_on or lease_start


def compute(program: Program, start: datetime.date, end: datetime.date) -> Report:
    """Every computed item for `program` over [start, end] (the last day is the reference day)."""
    report = Report(program, start, end)
    results = report.results

    # Housing choice (C3): the housing selector's figures, one row per person whose lease started.
    figures = choice_figures(program, start=start, end=end)
    everyone = [f.participant_id for f in figures]
    results["options_offered"] = ind.percentage_result(
        "options_offered",
        [f.participant_id for f in figures if f.options_offered >= ind.MIN_OPTIONS],
        everyone,
    )
    results["unit_chosen"] = ind.percentage_result(
        "unit_chosen", [f.participant_id for f in figures if f.chosen], everyone
    )

    # Scattered sites: the program's tenancies on the reference day, and the programs' units per building.
    program_tenancies = Tenancy.objects.filter(program=program)
    housed = list(
        _housed_on(program_tenancies, end).values_list("participant_id", "unit__kind", "unit__building_id")
    )
    buildings = {b for _p, _k, b in housed if b is not None}
    recorded = dict(
        Unit.objects.filter(building_id__in=buildings)
        .values("building_id")
        .annotate(n=Count("id"))
        .values_list("building_id", "n")
    )
    held = dict(
        _housed_on(Tenancy.objects.filter(program__isnull=False, unit__building_id__in=buildings), end)
        .values("unit__building_id")
        .annotate(n=Count("unit_id", distinct=True))
        .values_list("unit__building_id", "n")
    )
    scattered = []
    for participant_id, kind, building in housed:
        if kind != UnitKind.SCATTERED_SITE:
            continue
        if building is None:
            scattered.append(participant_id)
            continue
        units_held, units_recorded = held.get(building, 1), recorded.get(building, 1)
        if (
            units_held <= ind.SCATTERED_FEW_UNITS
            or Decimal(units_held) <= ind.SCATTERED_MAX_SHARE * units_recorded
        ):
            scattered.append(participant_id)
    results["scattered_sites"] = ind.percentage_result(
        "scattered_sites", scattered, [p for p, _k, _b in housed]
    )

    # Time to housing: first move-ins of the period, from the enrollment in this program.
    first_tenancies: dict[int, datetime.date] = {}
    for participant_id, lease_start, moved_in_on in (
        Tenancy.objects.filter(participant__enrollments__program=program)
        .values_list("participant_id", "lease_start", "moved_in_on")
        .distinct()
    ):
        day = _moved_in(lease_start, moved_in_on)
        if participant_id not in first_tenancies or day < first_tenancies[participant_id]:
            first_tenancies[participant_id] = day
    enrolled: dict[int, datetime.date] = {}
    for participant_id, day in Enrollment.objects.filter(program=program).values_list(
        "participant_id", "enrolled_on"
    ):
        if participant_id not in enrolled or day < enrolled[participant_id]:
            enrolled[participant_id] = day
    days = {
        pk: (moved - enrolled[pk]).days
        for pk, moved in first_tenancies.items()
        if start <= moved <= end and pk in enrolled and enrolled[pk] <= moved
    }
    median = ind.median_days(list(days.values()))
    results["time_to_housing"] = ind.Result(
        "time_to_housing",
        median,
        None,
        len(days),
        ind.COMPUTED_BY_KEY["time_to_housing"].scale.score(median),
        people=sorted(days),
    )

    # Rent share: the program's tenancies on the reference day with an income recorded.
    rents = list(
        _housed_on(program_tenancies, end)
        .filter(participant_monthly_income__gt=0)
        .values_list("participant_id", "participant_share", "participant_monthly_income")
    )
    results["rent_share"] = ind.percentage_result(
        "rent_share",
        [p for p, part, income in rents if income is not None and part <= ind.RENT_SHARE_MAX * income],
        [p for p, _part, _income in rents],
    )

    # No conditions (B11): requirements on substance use or mental health; refusals to review.
    conditions = [
        req
        for req in program.eligibility or []
        if isinstance(req, dict)
        and req.get("criterion") == "flag"
        and set(req.get("values") or [req.get("value")]) & set(ind.CONDITION_FLAGS)
    ]
    refusals = Match.objects.filter(
        opening__program=program,
        status=MatchStatus.PROVIDER_DECLINED,
        last_step_at__gte=clock.start_of_day(start),
        last_step_at__lt=clock.start_of_day(end + datetime.timedelta(days=1)),
    ).count()
    results["no_conditions"] = ind.Result(
        "no_conditions",
        Decimal(len(conditions)),
        len(conditions),
        None,
        4 if not conditions else 1,
        extra={"refusals": refusals},
    )

    # Housing kept after leaving services: exits of the period while housed (deaths left out).
    exits = list(
        Exit.objects.filter(enrollment__program=program, exited_on__gte=start, exited_on__lte=end)
        .exclude(Q(reason=Exit.Reason.DECEASED) | Q(destination=Exit.Destination.DECEASED))
        .values_list("participant_id", "exited_on")
    )
    exit_ids = {p for p, _d in exits}
    stays = defaultdict(list)
    for participant_id, lease_start, ended_on, end_reason in Tenancy.objects.filter(
        participant_id__in=exit_ids
    ).values_list("participant_id", "lease_start", "ended_on", "end_reason"):
        stays[participant_id].append((lease_start, ended_on, end_reason))

    def housed_at(pk: int, day: datetime.date) -> bool:
        return any(s <= day and (e is None or e > day) for s, e, _r in stays[pk])

    left_housed = [(p, d) for p, d in exits if housed_at(p, d)]
    kept = [
        p
        for p, d in left_housed
        if housed_at(p, d + datetime.timedelta(days=ind.KEPT_AFTER_EXIT_DAYS))
        or any(
            r == Tenancy.EndReason.DECEASED
            for s, e, r in stays[p]
            if e is not None and d < e <= d + datetime.timedelta(days=ind.KEPT_AFTER_EXIT_DAYS)
        )
    ]
    results["kept_after_exit"] = ind.percentage_result("kept_after_exit", kept, [p for p, _d in left_housed])

    # Rehousing (C8): the program's tenancies ended by an eviction in the period, and what followed.
    evicted = list(
        program_tenancies.filter(ended_on__gte=start, ended_on__lte=end)
        .filter(Q(end_reason=Tenancy.EndReason.EVICTION) | Q(eviction__isnull=False))
        .annotate(followed=Count("next_tenancies"))
        .values_list("participant_id", "ended_on", "followed")
        .distinct()
    )
    later = defaultdict(list)
    for participant_id, lease_start in Tenancy.objects.filter(
        participant_id__in={p for p, _e, _f in evicted}
    ).values_list("participant_id", "lease_start"):
        later[participant_id].append(lease_start)
    rehoused = [
        p
        for p, ended, followed in evicted
        if followed or (ended is not None and any(s >= ended for s in later[p]))
    ]
    results["rehousing"] = ind.percentage_result("rehousing", rehoused, [p for p, _e, _f in evicted])

    # Visits and hours (B2): per participant-week enrolled in the period.
    enrollments = list(
        Enrollment.objects.filter(program=program, enrolled_on__lte=end)
        .filter(Q(exited_on__isnull=True) | Q(exited_on__gte=start))
        .values_list("pk", "participant_id", "enrolled_on", "exited_on")
    )
    days_enrolled = 0
    for _pk, _p, enrolled_on, exited_on in enrollments:
        first, last = max(enrolled_on, start), min(exited_on or end, end)
        days_enrolled += max(0, (last - first).days + 1)
    weeks = Decimal(days_enrolled) / 7
    contacts = Contact.objects.filter(
        enrollment_id__in=[e[0] for e in enrollments],
        participant_present=True,
        occurred_at__gte=clock.start_of_day(start),
        occurred_at__lt=clock.start_of_day(end + datetime.timedelta(days=1)),
    )
    totals = contacts.aggregate(
        visits=Count("id", filter=Q(kind__in=VISIT_KINDS)), minutes=Sum("duration_minutes")
    )
    people = sorted({p for _pk, p, _s, _e in enrollments})
    visits = ind.rate(totals["visits"] or 0, weeks)
    results["visits_per_week"] = ind.Result(
        "visits_per_week",
        visits,
        totals["visits"] or 0,
        None,
        ind.COMPUTED_BY_KEY["visits_per_week"].scale.score(visits),
        people=people,
        extra={"participant_weeks": int(weeks)},
    )
    hours = ind.rate(Decimal(totals["minutes"] or 0) / 60, weeks)
    results["hours_per_week"] = ind.Result(
        "hours_per_week",
        hours,
        int((totals["minutes"] or 0) / 60),
        None,
        ind.COMPUTED_BY_KEY["hours_per_week"].scale.score(hours),
        people=people,
        extra={"participant_weeks": int(weeks)},
    )

    # Caseload ratio (B1): on the reference day.
    active = [e for e in enrollments if e[2] <= end and (e[3] is None or e[3] > end)]
    workers = (
        Assignment.objects.filter(enrollment_id__in=[e[0] for e in active], starts_on__lte=end)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=end))
        .values("worker_id")
        .distinct()
        .count()
    )
    ratio, score = ind.caseload_score(len(active), workers, program.effective_caseload_ratio)
    results["caseload_ratio"] = ind.Result(
        "caseload_ratio",
        ratio,
        len(active),
        workers,
        score,
        people=sorted({e[1] for e in active}),
        extra={"program_ratio": program.effective_caseload_ratio},
    )
    return report


def people_behind(user, result: ind.Result) -> tuple[list, int]:
    """The people behind a figure the reader may see (that kind of information, within consent), and how
    many others are counted in it."""
    category = Category.HOUSING if result.item.category == "housing" else Category.CASE_NOTES
    visible = list(
        participants_visible_for_category(user, category)
        .filter(pk__in=result.people)
        .select_related("organisation")
        .order_by("legal_last_name", "legal_first_name", "id")
    )
    return visible, len(result.people) - len(visible)


def assessment_for(program: Program, start: datetime.date, end: datetime.date) -> FidelityAssessment | None:
    return FidelityAssessment.objects.filter(program=program, period_start=start, period_end=end).first()


def history(program: Program) -> list[FidelityAssessment]:
    """The program's assessments, the oldest first (the chart's order)."""
    return list(FidelityAssessment.objects.filter(program=program).order_by("period_start", "id"))
