"""Which assessments are due for which enrollment (B4): each program's schedule, read against what was given.

An administration completed, or declined by the participant (their right, B4), settles the occasion it answers;
a postponed one leaves it due. Two queries whatever the number of enrollments.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.utils.translation import gettext_lazy as _

from ancrage.assessments.models import Administration
from ancrage.casework.models import AssessmentSchedule, Enrollment
from ancrage.core import clock

# How far ahead "due" looks; anything with a date before today is overdue.
DUE_SOON_DAYS = 14

OCCASIONS = {
    "baseline": _("baseline"),
    "follow_up": _("follow-up"),
    "exit": _("at exit"),
}

SETTLED = (Administration.Status.COMPLETED, Administration.Status.DECLINED)


@dataclass(frozen=True)
class DueAssessment:
    enrollment_id: int
    participant_id: int
    schedule: AssessmentSchedule
    occasion: str  # a key of OCCASIONS
    due_on: datetime.date
    today: datetime.date
    postponed_reason: str = ""
    postponed_on: datetime.date | None = None

    @property
    def overdue(self) -> bool:
        return self.due_on < self.today

    @property
    def instrument(self):
        return self.schedule.instrument

    @property
    def occasion_label(self) -> str:
        return str(OCCASIONS[self.occasion])


def _settled_dates(participant_ids: Iterable[int]) -> tuple[dict, dict]:
    """{(participant, instrument): [dates settled, ascending]} and {(participant, instrument): (date, reason) of
    the last postponement not followed by a settled administration}."""
    settled: dict[tuple[int, int], list[datetime.date]] = defaultdict(list)
    postponed: dict[tuple[int, int], tuple[datetime.date, str]] = {}
    rows = (
        Administration.objects.filter(participant_id__in=list(participant_ids))
        .values_list("participant_id", "version__instrument_id", "status", "started_at", "status_reason")
        .order_by("started_at")
    )
    for participant_id, instrument_id, status, started_at, reason in rows:
        key = (participant_id, instrument_id)
        # The day it was given, where the team works (not the UTC date of the timestamp).
        day = clock.localtime(started_at).date()
        if status in SETTLED:
            settled[key].append(day)
            postponed.pop(key, None)
        elif status == Administration.Status.POSTPONED:
            postponed[key] = (day, reason)
    return settled, postponed


def due_assessments(
    enrollments: Iterable[Enrollment], today: datetime.date, *, horizon_days: int = DUE_SOON_DAYS
) -> dict[int, list[DueAssessment]]:
    """For each active enrollment (by id), the scheduled assessments overdue or due within `horizon_days`,
    in the program's order. Exit assessments are due on the exit date and answered by the exit's service."""
    enrollments = [e for e in enrollments if e.status == Enrollment.Status.ACTIVE]
    if not enrollments:
        return {}
    by_program: dict[int, list[AssessmentSchedule]] = defaultdict(list)
    # Each program's schedule in its order (by program id, not by the program's name: no join for it).
    for schedule in (
        AssessmentSchedule.objects.filter(program_id__in={e.program_id for e in enrollments})
        .select_related("instrument")
        .order_by("program_id", "position", "id")
    ):
        by_program[schedule.program_id].append(schedule)
    settled, postponed = _settled_dates(e.participant_id for e in enrollments)
    horizon = today + datetime.timedelta(days=horizon_days)
    result: dict[int, list[DueAssessment]] = {}
    for enrollment in enrollments:
        items = []
        for schedule in by_program.get(enrollment.program_id, []):
            key = (enrollment.participant_id, schedule.instrument_id)
            # An administration from the month before enrollment (the intake's) counts as its baseline.
            since = enrollment.enrolled_on - datetime.timedelta(days=30)
            dates = [d for d in settled.get(key, []) if d >= since]
            due = _next_due(schedule, enrollment.enrolled_on, dates)
            if due is None or due[1] > horizon:
                continue
            occasion, due_on = due
            # A postponement shows with its reason while the occasion it put off is still open.
            postponed_on, reason = postponed.get(key, (None, ""))
            if postponed_on is None or postponed_on < since:
                postponed_on, reason = None, ""
            items.append(
                DueAssessment(
                    enrollment_id=enrollment.pk,
                    participant_id=enrollment.participant_id,
                    schedule=schedule,
                    occasion=occasion,
                    due_on=due_on,
                    today=today,
                    postponed_reason=reason,
                    postponed_on=postponed_on,
                )
            )
        if items:
            result[enrollment.pk] = items
    return result


def _next_due(
    schedule: AssessmentSchedule, enrolled_on: datetime.date, settled: list[datetime.date]
) -> tuple[str, datetime.date] | None:
    if schedule.within_days_of_enrollment is not None and not settled:
        return "baseline", enrolled_on + datetime.timedelta(days=schedule.within_days_of_enrollment)
    if schedule.every_months:
        last = settled[-1] if settled else enrolled_on
        return "follow_up", last + relativedelta(months=schedule.every_months)
    return None


def exit_assessments(enrollment: Enrollment) -> list[AssessmentSchedule]:
    """The instruments the program gives at exit, in order."""
    return list(
        AssessmentSchedule.objects.filter(program_id=enrollment.program_id, at_exit=True).select_related(
            "instrument"
        )
    )
