"""Reads of exits, assessment schedules and progress (F1..F4)."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from ancrage.assessments.models import Administration, Instrument
from ancrage.casework.models import (
    AssessmentSchedule,
    Enrollment,
    Exit,
    ReengagementPlan,
    ServiceKind,
    ServiceReferral,
)
from ancrage.core import clock
from ancrage.organisations.models import Organisation, Program
from ancrage.people.models import Consent

if TYPE_CHECKING:
    from ancrage.people.models import Participant
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from ancrage.assessments import selectors as assessment_selectors
from ancrage.assessments.forms import localized
from ancrage.casework.schedules import DueAssessment, due_assessments
from ancrage.casework.selectors import enrollments_visible_to, participant_for_casework
from ancrage.core.permissions import Category
from ancrage.people.selectors import ParticipantAccess

# --- what an exit relies on (read by the exit page too) ----------------------------------------------------


def intake_instrument(enrollment: Enrollment) -> Instrument | None:
    """The instrument given at intake, which graduation re-administers (F1): the program's first baseline
    instrument (the first of its schedule due within days of enrollment); without a schedule, the instrument
    of the participant's first completed assessment."""
    schedule = (
        AssessmentSchedule.objects.filter(
            program_id=enrollment.program_id, within_days_of_enrollment__isnull=False
        )
        .select_related("instrument")
        .order_by("position", "id")
        .first()
    )
    if schedule is not None:
        return schedule.instrument
    first = (
        Administration.objects.filter(
            participant_id=enrollment.participant_id, status=Administration.Status.COMPLETED
        )
        .select_related("version__instrument")
        .order_by("started_at", "id")
        .first()
    )
    return first.version.instrument if first else None


def intake_baseline(enrollment: Enrollment, instrument: Instrument | None) -> Administration | None:
    """The completed administration of the intake instrument that stands as this enrollment's baseline (F1):
    the latest given by the end of the program's intake window (its schedule's days after enrollment; the
    enrollment's day without a schedule), else the first given after it (a late baseline)."""
    if instrument is None:
        return None
    window = (
        AssessmentSchedule.objects.filter(
            program_id=enrollment.program_id, instrument=instrument, within_days_of_enrollment__isnull=False
        )
        .order_by("position", "id")
        .values_list("within_days_of_enrollment", flat=True)
        .first()
    ) or 0
    window_end = enrollment.enrolled_on + datetime.timedelta(days=window)
    completed = Administration.objects.filter(
        participant_id=enrollment.participant_id,
        version__instrument=instrument,
        status=Administration.Status.COMPLETED,
    )
    return (
        completed.filter(started_at__date__lte=window_end).order_by("-started_at", "-id").first()
        or completed.order_by("started_at", "id").first()
    )


def graduation_candidates(enrollment: Enrollment, instrument: Instrument | None):
    """Completed administrations of the intake instrument after the enrollment's first day and after its
    baseline: the re-administrations graduation compares with intake (F1). The baseline itself never is one."""
    if instrument is None:
        return Administration.objects.none()
    candidates = Administration.objects.filter(
        participant_id=enrollment.participant_id,
        version__instrument=instrument,
        status=Administration.Status.COMPLETED,
        started_at__date__gt=enrollment.enrolled_on,
    )
    baseline = intake_baseline(enrollment, instrument)
    if baseline is not None:
        candidates = candidates.filter(started_at__gt=baseline.started_at).exclude(pk=baseline.pk)
    return candidates.select_related("version__instrument").order_by("-started_at")


def open_reengagement(enrollment: Enrollment) -> ReengagementPlan | None:
    """The enrollment's open re-engagement plan, if the participant is lost to contact (B12)."""
    return (
        ReengagementPlan.objects.filter(enrollment=enrollment, status=ReengagementPlan.Status.OPEN)
        .order_by("-started_on", "-id")
        .first()
    )


def pending_exit(enrollment: Enrollment) -> Exit | None:
    """A planned exit recorded ahead of its date for this (still active) enrollment (F2)."""
    return Exit.objects.filter(enrollment=enrollment).first()


def open_exit_referrals(participant: Participant):
    """The participant's housing-stability referrals not yet counted for an exit (F3)."""
    return (
        ServiceReferral.objects.filter(
            participant=participant,
            provider__kind=ServiceKind.HOUSING_STABILITY,
            exit__isnull=True,
        )
        .select_related("provider")
        .order_by("-created_at", "-id")
    )


def consent_naming(
    participant: Participant, organisation: Organisation, on: datetime.date | None = None
) -> Consent | None:
    """An in-force consent of the participant naming `organisation` (the latest to start), if any."""
    return (
        Consent.objects.in_force(on)
        .filter(participant=participant, organisations=organisation)
        .order_by("-starts_on", "-id")
        .first()
    )


# --- assessment schedules ---------------------------------------------------------------------------------


def schedule_programs(user) -> list[Program]:
    """The active ICM and ACT programs of the user's organisations, each with its schedule in order (2 queries)."""
    return list(
        Program.objects.filter(
            organisation_id__in=user.organisation_ids,
            kind__in=Program.HOUSING_FIRST_KINDS,
            is_active=True,
        )
        .select_related("organisation")
        .prefetch_related(
            Prefetch(
                "assessment_schedules",
                queryset=AssessmentSchedule.objects.select_related("instrument").order_by("position", "id"),
            )
        )
        .order_by("organisation__name", "name", "id")
    )


def schedule_program_for_user(user, program_pk: int) -> Program:
    """One of the user's organisations' ICM or ACT programs, else 404."""
    program = (
        Program.objects.filter(
            pk=program_pk, organisation_id__in=user.organisation_ids, kind__in=Program.HOUSING_FIRST_KINDS
        )
        .select_related("organisation")
        .first()
    )
    if program is None:
        raise Http404
    return program


# --- due assessments --------------------------------------------------------------------------------------

SCOPE_MINE = "mine"
SCOPE_TEAM = "team"


@dataclass(frozen=True)
class DueRow:
    enrollment: Enrollment
    due: DueAssessment

    @property
    def participant(self):
        return self.enrollment.participant


def due_enrollments(user, scope: str) -> QuerySet[Enrollment]:
    """Active enrollments the list covers: the user's caseload (`mine`), or their organisations' programs
    (`team`). Only participants the user may see; one query."""
    qs = enrollments_visible_to(user).filter(
        status=Enrollment.Status.ACTIVE, program__organisation_id__in=user.organisation_ids
    )
    if scope != SCOPE_TEAM:
        qs = qs.filter(primary_worker=user)
    return qs.select_related("participant", "program", "primary_worker")


def due_rows(user, scope: str, today: datetime.date) -> list[DueRow]:
    """The due and overdue assessments of the enrollments `due_enrollments` covers, soonest first.
    Three queries whatever the number of participants."""
    enrollments = {e.pk: e for e in due_enrollments(user, scope)}
    rows = [
        DueRow(enrollment=enrollments[eid], due=item)
        for eid, items in due_assessments(enrollments.values(), today).items()
        for item in items
    ]
    rows.sort(key=lambda r: (r.due.due_on, r.participant.pk, r.due.schedule.position))
    return rows


# --- exits ------------------------------------------------------------------------------------------------


def exits_for_participant(participant) -> QuerySet[Exit]:
    return Exit.objects.filter(participant=participant).select_related("enrollment__program", "recorded_by")


def exit_for_user(user, pk: int, exit_pk: int) -> tuple[ParticipantAccess, Exit]:
    """An exit of participant `pk`, if the user may read their case notes; else 404."""
    access = participant_for_casework(user, pk, category=Category.CASE_NOTES)
    exit_ = (
        exits_for_participant(access.participant)
        .select_related(
            "consent", "graduation_assessment__version__instrument", "enrollment__program__organisation"
        )
        .filter(pk=exit_pk)
        .first()
    )
    if exit_ is None:
        raise Http404
    return access, exit_


# --- progress over time -----------------------------------------------------------------------------------

# An instrument has domain scales when it gives at least this many separate values (a radar needs three axes).
MIN_DOMAINS = 3


@dataclass
class InstrumentProgress:
    key: str
    title: str
    max_total: float | None
    # [(key, label)] of the domain scales, empty when the instrument has only a total.
    domains: list[tuple[str, str]] = field(default_factory=list)
    domain_max: float | None = None
    # One point per completed administration, oldest first: {"administration", "date", "total", "domains"}.
    points: list[dict[str, Any]] = field(default_factory=list)

    @property
    def has_radar(self) -> bool:
        return bool(self.domains)

    @property
    def radar_points(self) -> list[dict[str, Any]]:
        """The first and the latest administrations (the road travelled), or the only one."""
        if len(self.points) <= 1:
            return self.points
        return [self.points[0], self.points[-1]]


def _domains(definition: dict[str, Any]) -> tuple[str, list[tuple[str, str]], float | None]:
    """Where an instrument's domain values are in its score: its scored 1–10 scales (`points`), else its
    sections when it has several (`sections`); ("", [], None) when it has a total only."""
    questions = [q for s in definition.get("sections", []) for q in s.get("questions", [])]
    scales = [q for q in questions if q.get("type") == "scale_1_10" and q.get("scored")]
    if len(scales) >= MIN_DOMAINS:
        return "points", [(q["key"], localized(q.get("text"))) for q in scales], 10
    sections = [s for s in definition.get("sections", []) if s.get("cap") is not None]
    if len(sections) >= MIN_DOMAINS:
        top = max((s["cap"] for s in sections), default=None)
        return "sections", [(s["key"], localized(s.get("title"))) for s in sections], top
    return "", [], None


def _domain_value(score: dict[str, Any], source: str, key: str) -> float | None:
    if source == "points":
        value = score.get("points", {}).get(key)
    else:
        value = score.get("sections", {}).get(key, {}).get("total")
    return value if isinstance(value, int | float) else None


def progress_for_access(access: ParticipantAccess) -> list[InstrumentProgress]:
    """Each instrument's completed results over time, of the categories `access` may read (one query)."""
    administrations = (
        assessment_selectors.administrations_for_access(access)
        .filter(status=Administration.Status.COMPLETED)
        .order_by("started_at", "id")
    )
    by_instrument: dict[int, list[Administration]] = {}
    for a in administrations:
        by_instrument.setdefault(a.version.instrument_id, []).append(a)
    result = []
    for items in by_instrument.values():
        latest = items[-1].version
        definition = latest.definition
        source, domains, domain_max = _domains(definition)
        progress = InstrumentProgress(
            key=latest.instrument.key,
            title=localized(definition.get("title")) or latest.instrument.display_name,
            max_total=definition.get("max_total"),
            domains=domains,
            domain_max=domain_max,
        )
        for a in items:
            score = a.score or {}
            progress.points.append(
                {
                    "administration": a,
                    "date": clock.localtime(a.completed_at or a.started_at).date(),
                    "total": score.get("total"),
                    "domains": [_domain_value(score, source, key) for key, _label in domains],
                }
            )
        result.append(progress)
    result.sort(key=lambda p: p.title)
    return result
