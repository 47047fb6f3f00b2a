"""Weights of enrollments, assignments and caseloads."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from ancrage.casework.models import Enrollment
from ancrage.organisations.models import Program

HIGH, MODERATE, LOW = "high", "moderate", "low"

ACUITY_FACTORS: dict[str, float] = {HIGH: 1.5, MODERATE: 1.0, LOW: 0.75}
ACUITY_LABELS = {HIGH: _("High acuity"), MODERATE: _("Moderate acuity"), LOW: _("Low acuity")}

# Band keys of the instruments we ship (see ancrage/assessments/instruments/acuity_screener.yaml), and the
# plain levels a community's own instrument may use.
BAND_LEVELS: dict[str, str] = {
    "act": HIGH,
    "housing_first_icm": MODERATE,
    "rapid_rehousing": LOW,
    "none": LOW,
    HIGH: HIGH,
    MODERATE: MODERATE,
    LOW: LOW,
}


def acuity_level(acuity_band: str | None) -> str | None:
    """high, moderate or low for a triage band; None when there is no triage or the band is unknown."""
    if not acuity_band:
        return None
    return BAND_LEVELS.get(acuity_band.strip().lower())


def acuity_factor(acuity_band: str | None) -> float:
    level = acuity_level(acuity_band)
    return ACUITY_FACTORS[level] if level else 1.0


def visit_factor(visits_per_week: int) -> float:
    standard = settings.ANCRAGE["VISITS_PER_WEEK"] or 1
    return max(visits_per_week, 0) / standard


def weight_of(visits_per_week: int, acuity_band: str | None) -> float:
    return round(acuity_factor(acuity_band) * visit_factor(visits_per_week), 2)


def enrollment_weight(enrollment: Enrollment, acuity_band: str | None) -> float:
    """How much one enrollment weighs in its case manager's caseload (see the module's docstring)."""
    return weight_of(enrollment.visits_per_week, acuity_band)


def ratio_for_kind(kind: str, caseload_ratio: int | None = None) -> int:
    if caseload_ratio:
        return caseload_ratio
    key = "CASELOAD_RATIO_ACT" if kind == Program.Kind.ACT else "CASELOAD_RATIO_ICM"
    return int(settings.ANCRAGE[key])


@dataclass
class WorkerLoad:
    """A case manager's active caseload: how many participants, their total weight, and the ratio it is held
    against (the program's; without a program, the one of the program most of the caseload is in)."""

    count: int = 0
    weight: float = 0.0
    ratio: int | None = None
    by_program: dict[int, int] = field(default_factory=dict)

    @property
    def over(self) -> bool:
        return self.ratio is not None and self.weight > self.ratio

    @property
    def at_or_over(self) -> bool:
        return self.ratio is not None and self.weight >= self.ratio

    @property
    def room(self) -> float | None:
        """Weight still free under the ratio (negative when over)."""
        return None if self.ratio is None else round(self.ratio - self.weight, 2)

    @property
    def percent(self) -> int:
        """Share of the ratio used, for a bar (capped at 100; `over` says when it is more)."""
        if not self.ratio:
            return 0
        return min(100, round(100 * self.weight / self.ratio))

    @property
    def percent_exact(self) -> int:
        if not self.ratio:
            return 0
        return round(100 * self.weight / self.ratio)

    def would_exceed(self, extra_weight: float) -> bool:
        """Whether adding `extra_weight` takes the caseload over the ratio (B1: warn and ask why)."""
        return self.ratio is not None and round(self.weight + extra_weight, 2) > self.ratio


def caseload_for_workers(
    worker_ids: Iterable[int], program: Program | None = None, *, exclude_enrollment_id: int | None = None
) -> dict[int, WorkerLoad]:
    """{worker_id: WorkerLoad} for every given worker (those with no participant too), in one query.

    The load counts every active enrollment of which the worker is the primary case manager, whatever the
    program (a person carries one caseload); `program` only says which ratio to hold it against."""
    ids = sorted({int(i) for i in worker_ids if i is not None})
    loads = {i: WorkerLoad() for i in ids}
    if not ids:
        return loads
    # Grouped in the database: one row per worker, program, visit frequency and acuity band, whatever the
    # number of participants (a team lead's page stays fast with 100,000 files).
    enrollments = Enrollment.objects.filter(status=Enrollment.Status.ACTIVE, primary_worker_id__in=ids)
    if exclude_enrollment_id is not None:
        enrollments = enrollments.exclude(pk=exclude_enrollment_id)
    rows = (
        enrollments.order_by()
        .values_list(
            "primary_worker_id",
            "visits_per_week",
            "program_id",
            "program__kind",
            "program__caseload_ratio",
            "participant__by_name_entry__acuity_band",
        )
        .annotate(n=Count("id"))
    )
    ratios: dict[int, int] = {}
    for worker_id, visits, program_id, kind, own_ratio, band, n in rows:
        load = loads[worker_id]
        load.count += n
        load.weight += n * weight_of(visits, band)
        load.by_program[program_id] = load.by_program.get(program_id, 0) + n
        ratios[program_id] = ratio_for_kind(kind, own_ratio)
    for load in loads.values():
        load.weight = round(load.weight, 2)
        if program is not None:
            load.ratio = program.effective_caseload_ratio
        elif load.by_program:
            main = max(load.by_program.items(), key=lambda item: (item[1], -item[0]))[0]
            load.ratio = ratios[main]
    return loads
