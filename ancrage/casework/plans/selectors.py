"""Reads of recovery plans, goals, steps and reviews (B4, B5)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Case, Exists, OuterRef, Prefetch, Value, When
from django.http import Http404

from ancrage.casework.models import Enrollment, Goal, PlanReview, RecoveryPlan, Step
from ancrage.casework.plans.services import review_due_on
from ancrage.casework.selectors import (
    access_can_write,
    participant_for_casework,
    participant_for_casework_write,
)
from ancrage.core import clock
from ancrage.core.audit import record_read
from ancrage.core.permissions import Category
from ancrage.people.selectors import ParticipantAccess

PLAN_VIEWED = "casework.plan.viewed"


@dataclass
class PlanView:
    access: ParticipantAccess
    enrollment: Enrollment | None
    plan: RecoveryPlan | None
    goals: list[Goal] = field(default_factory=list)
    reviews: list[PlanReview] = field(default_factory=list)
    today: datetime.date = field(default_factory=clock.today)
    # The plans of the participant's other enrollments (a re-enrolled participant's earlier plan).
    other_plans: list[RecoveryPlan] = field(default_factory=list)

    @property
    def participant(self):
        return self.access.participant

    @property
    def is_overdue(self) -> bool:
        """Not yet completed once, and past its due date (the rule the team meeting uses too)."""
        return bool(self.plan and self.plan.first_completed_on is None and self.plan.due_on < self.today)

    @property
    def last_review(self) -> PlanReview | None:
        return self.reviews[0] if self.reviews else None

    @property
    def review_due_on(self) -> datetime.date | None:
        return review_due_on(self.plan) if self.plan is not None else None

    @property
    def review_is_due(self) -> bool:
        due = self.review_due_on
        return due is not None and due < self.today

    @property
    def review_months_late(self) -> int:
        """Whole months the supervisor review is late (0 when not late or late by less than a month)."""
        due = self.review_due_on
        if due is None or due >= self.today:
            return 0
        t = self.today
        return max(0, (t.year - due.year) * 12 + t.month - due.month - (t.day < due.day))

    @property
    def review_is_soon(self) -> bool:
        """Due within the next 30 days: said calmly, before it is late."""
        due = self.review_due_on
        return due is not None and self.today <= due <= self.today + datetime.timedelta(days=30)

    @property
    def can_start(self) -> bool:
        """An active enrollment without a plan yet."""
        return self.plan is None and self.enrollment is not None and self.enrollment.is_active

    @property
    def is_editable(self) -> bool:
        return (
            self.plan is not None
            and self.enrollment is not None
            and self.enrollment.is_active
            and access_can_write(self.access)
        )


def enrollment_for_plan(participant) -> Enrollment | None:
    """The enrollment whose plan is the participant's current one: an active enrollment before an ended one,
    among those one that has a plan before one that has none yet, then the most recent. An ended
    enrollment's plan stays readable after the exit. One query."""
    has_plan = Exists(RecoveryPlan.objects.filter(enrollment=OuterRef("pk")))
    is_active = Case(When(status=Enrollment.Status.ACTIVE, then=Value(1)), default=Value(0))
    return (
        Enrollment.objects.filter(participant=participant)
        .select_related("program", "primary_worker", "team")
        .annotate(plan_exists=has_plan, active_first=is_active)
        .order_by("-active_first", "-plan_exists", "-enrolled_on", "-id")
        .first()
    )


def _goals(plan: RecoveryPlan) -> list[Goal]:
    return list(
        plan.goals.prefetch_related(Prefetch("steps", queryset=Step.objects.order_by("position", "id")))
    )


def plan_for_user(user, pk, *, read_action: str | None = PLAN_VIEWED, enrollment_id=None) -> PlanView:
    """The plan of participant `pk` as `user` may read it, with its goals, steps and reviews (constant
    queries). 404 unless the user may read the participant's case notes. The read is audited when a plan
    exists and `read_action` is given. With `enrollment_id`, the plan of that enrollment of the participant
    (an earlier one, read only); any other id is a 404."""
    access = participant_for_casework(user, pk, category=Category.CASE_NOTES)
    enrollment = None
    if enrollment_id not in (None, ""):
        try:
            enrollment_pk = int(enrollment_id)
        except (TypeError, ValueError):
            raise Http404 from None
        enrollment = (
            Enrollment.objects.filter(participant=access.participant, pk=enrollment_pk)
            .select_related("program", "primary_worker", "team")
            .first()
        )
        if enrollment is None:
            raise Http404
    return _plan_view(user, access, read_action, enrollment=enrollment)


def plan_for_writer(user, pk) -> PlanView:
    """As `plan_for_user`, for a change: only an organisation serving the participant writes the plan."""
    access = participant_for_casework_write(user, pk, category=Category.CASE_NOTES)
    return _plan_view(user, access, None)


def _plan_view(
    user, access: ParticipantAccess, read_action: str | None, *, enrollment: Enrollment | None = None
) -> PlanView:
    enrollment = enrollment or enrollment_for_plan(access.participant)
    plan = None
    if enrollment is not None:
        plan = RecoveryPlan.objects.select_related("updated_by").filter(enrollment=enrollment).first()
        if plan is not None:
            plan.enrollment = enrollment
    view = PlanView(access=access, enrollment=enrollment, plan=plan)
    view.other_plans = list(
        RecoveryPlan.objects.filter(participant=access.participant)
        .exclude(enrollment=enrollment)
        .select_related("enrollment__program")
        .order_by("-enrollment__enrolled_on", "-id")
    )
    if plan is not None:
        view.goals = _goals(plan)
        view.reviews = list(plan.reviews.select_related("reviewed_by"))
        if read_action:
            record_read(actor=user, participant=access.participant, what=read_action, obj=plan)
    return view


def writable_goal(view: PlanView, goal_pk) -> Goal:
    """A goal of the plan in view, else 404 (a goal of another participant's plan is never reached)."""
    if view.plan is None:
        raise Http404
    goal = Goal.objects.filter(pk=goal_pk, plan=view.plan).first() if str(goal_pk).isdigit() else None
    if goal is None:
        raise Http404
    goal.plan = view.plan
    return goal


def writable_step(view: PlanView, step_pk) -> Step:
    if view.plan is None:
        raise Http404
    step = (
        Step.objects.select_related("goal").filter(pk=step_pk, goal__plan=view.plan).first()
        if str(step_pk).isdigit()
        else None
    )
    if step is None:
        raise Http404
    step.goal.plan = view.plan
    return step


def active_goals_for_panel(user, access: ParticipantAccess, enrollment: Enrollment) -> list[Goal]:
    """The goals the participant is working on in the enrollment's plan, for the file's first screen (one
    query). Showing them reads the plan: recorded like the plan page's read (G2)."""
    goals = list(
        Goal.objects.filter(plan__enrollment=enrollment, status=Goal.Status.ACTIVE).order_by("position", "id")
    )
    if goals:
        record_read(actor=user, participant=access.participant, what=PLAN_VIEWED, data={"from": "file"})
    return goals
