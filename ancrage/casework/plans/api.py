"""API (v1) of recovery plans, goals, steps and reviews (B4, B5)."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from ancrage.casework.models import Goal, RecoveryPlan, StageOfChange, Step
from ancrage.casework.plans import services as plans_services
from ancrage.casework.plans.selectors import PlanView, plan_for_user, plan_for_writer, writable_goal
from ancrage.core.api_types import Date, Int, Text, errors, text_field
from ancrage.core.permissions import check_record_permission

router = Router(tags=["casework"])


# --- schemas ---------------------------------------------------------------------------------------------


class PlanStepOut(Schema):
    id: int
    goal_id: int
    description: str
    who: str
    who_label: str
    target_on: datetime.date | None
    review_on: datetime.date | None
    done_on: datetime.date | None
    position: int

    @staticmethod
    def of(step: Step) -> PlanStepOut:
        return PlanStepOut(
            id=step.pk,
            goal_id=step.goal_id,
            description=step.description,
            who=step.who,
            who_label=str(step.get_who_display()),
            target_on=step.target_on,
            review_on=step.review_on,
            done_on=step.done_on,
            position=step.position,
        )


class GoalOut(Schema):
    id: int
    words: str = Field(..., description="The goal, in the participant's own words.")
    domain: str
    domain_label: str
    stage: str
    stage_label: str
    status: str
    status_label: str
    starts_on: datetime.date
    review_on: datetime.date | None
    position: int
    steps: list[PlanStepOut]

    @staticmethod
    def of(goal: Goal, steps: list[Step] | None = None) -> GoalOut:
        return GoalOut(
            id=goal.pk,
            words=goal.words,
            domain=goal.domain,
            domain_label=str(goal.get_domain_display()),
            stage=goal.stage,
            stage_label=str(goal.get_stage_display()),
            status=goal.status,
            status_label=str(goal.get_status_display()),
            starts_on=goal.starts_on,
            review_on=goal.review_on,
            position=goal.position,
            steps=[PlanStepOut.of(s) for s in (steps if steps is not None else goal.steps.all())],
        )


class ReviewOut(Schema):
    reviewed_on: datetime.date
    reviewed_by: str
    comment: str
    revision: int


class PlanOut(Schema):
    id: int
    participant_id: int
    enrollment_id: int
    revision: int = Field(
        ..., description="Send it back with a change: a change on an older revision is a 409."
    )
    strengths: str
    interests: str
    aspirations: str
    crisis_strategies: str
    after_hours_protocol: str
    local_resources: str
    due_on: datetime.date
    first_completed_on: datetime.date | None
    overdue: bool
    review_due_on: datetime.date | None
    review_is_due: bool
    updated_at: datetime.datetime
    goals: list[GoalOut]
    reviews: list[ReviewOut]

    @staticmethod
    def of(view: PlanView) -> PlanOut:
        plan = view.plan
        assert plan is not None
        return PlanOut(
            id=plan.pk,
            participant_id=plan.participant_id,
            enrollment_id=plan.enrollment_id,
            revision=plan.revision,
            strengths=plan.strengths,
            interests=plan.interests,
            aspirations=plan.aspirations,
            crisis_strategies=plan.crisis_strategies,
            after_hours_protocol=plan.after_hours_protocol,
            local_resources=plan.local_resources,
            due_on=plan.due_on,
            first_completed_on=plan.first_completed_on,
            overdue=view.is_overdue,
            review_due_on=view.review_due_on,
            review_is_due=view.review_is_due,
            updated_at=plan.updated_at,
            goals=[GoalOut.of(g) for g in view.goals],
            reviews=[
                ReviewOut(
                    reviewed_on=r.reviewed_on,
                    reviewed_by=r.reviewed_by.display_name,
                    comment=r.comment,
                    revision=r.revision,
                )
                for r in view.reviews
            ],
        )


class PlanIn(Schema):
    revision: Int = Field(..., description="The revision the change starts from (from the last GET).")
    strengths: Text | None = text_field(RecoveryPlan, "strengths", None)
    interests: Text | None = text_field(RecoveryPlan, "interests", None)
    aspirations: Text | None = text_field(RecoveryPlan, "aspirations", None)
    crisis_strategies: Text | None = text_field(RecoveryPlan, "crisis_strategies", None)
    after_hours_protocol: Text | None = text_field(RecoveryPlan, "after_hours_protocol", None)
    local_resources: Text | None = text_field(RecoveryPlan, "local_resources", None)


class ConflictOut(Schema):
    detail: str
    current: PlanOut


class GoalIn(Schema):
    words: Text = text_field(Goal, "words", description="The goal, in the participant's own words.")
    stage: Text = text_field(Goal, "stage", description="Stage of change: " + ", ".join(StageOfChange.values))
    domain: Text = text_field(Goal, "domain", "other")
    starts_on: Date | None = None
    review_on: Date | None = None


class StepIn(Schema):
    description: Text = text_field(Step, "description")
    who: Text = text_field(Step, "who", description="participant, case_manager or both")
    target_on: Date | None = None
    review_on: Date | None = None


def _no_plan() -> Http404:
    return Http404(_("No recovery plan yet for this participant's enrollment."))


# --- operations ------------------------------------------------------------------------------------------


@router.get(
    "participants/{pk}/plan",
    response={200: PlanOut, **errors()},
    summary="The recovery plan of a participant",
    operation_id="ancrage_casework_api_plans_get_recovery_plan",
)
def get_recovery_plan(request, pk: int):
    check_record_permission(request.user, "casework.view")
    view = plan_for_user(request.user, pk)
    if view.plan is None:
        raise _no_plan()
    return PlanOut.of(view)


@router.post(
    "participants/{pk}/plan",
    response={200: PlanOut, 409: ConflictOut, **errors()},
    summary="Change the recovery plan's text (with the revision it starts from)",
    operation_id="ancrage_casework_api_plans_update_recovery_plan",
)
def update_recovery_plan(request, pk: int, payload: PlanIn):
    check_record_permission(request.user, "casework.record")
    view = plan_for_writer(request.user, pk)
    if view.plan is None:
        raise _no_plan()
    fields = payload.dict(exclude_unset=True, exclude_none=True)
    revision = fields.pop("revision")
    try:
        plans_services.plan_update(actor=request.user, plan=view.plan, revision=revision, **fields)
    except ValidationError as exc:
        if not plans_services.is_stale_revision(exc):
            raise
        current = plan_for_user(request.user, pk, read_action=None)
        return Status(409, ConflictOut(detail=exc.messages[0], current=PlanOut.of(current)))
    return PlanOut.of(plan_for_user(request.user, pk, read_action=None))


@router.post(
    "participants/{pk}/plan/goals",
    response={201: GoalOut, **errors()},
    summary="Add a goal to the recovery plan",
    operation_id="ancrage_casework_api_plans_add_plan_goal",
)
def add_plan_goal(request, pk: int, payload: GoalIn):
    check_record_permission(request.user, "casework.record")
    view = plan_for_writer(request.user, pk)
    if view.plan is None:
        raise _no_plan()
    goal = plans_services.goal_add(actor=request.user, plan=view.plan, **payload.dict())
    return Status(201, GoalOut.of(goal, steps=[]))


@router.post(
    "goals/{goal_pk}/steps",
    response={201: PlanStepOut, **errors()},
    summary="Add a step to a goal",
    operation_id="ancrage_casework_api_plans_add_goal_step",
)
def add_goal_step(request, goal_pk: int, payload: StepIn):
    check_record_permission(request.user, "casework.record")
    participant_id = Goal.objects.filter(pk=goal_pk).values_list("plan__participant_id", flat=True).first()
    if participant_id is None:
        raise Http404
    view = plan_for_writer(request.user, participant_id)
    goal = writable_goal(view, goal_pk)
    step = plans_services.step_add(actor=request.user, goal=goal, **payload.dict())
    return Status(201, PlanStepOut.of(step))
