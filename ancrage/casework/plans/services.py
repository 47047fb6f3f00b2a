"""Writes of recovery plans, goals, steps and reviews (B4, B5)."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import formats
from django.utils.translation import gettext as _

from ancrage.casework.calendar import add_business_days
from ancrage.casework.models import (
    Enrollment,
    Goal,
    LifeDomain,
    PlanReview,
    RecoveryPlan,
    StageOfChange,
    Step,
)
from ancrage.core import audit, clock

if TYPE_CHECKING:
    from ancrage.accounts.models import User


PLAN_TEXT_FIELDS = (
    "strengths",
    "interests",
    "aspirations",
    "crisis_strategies",
    "after_hours_protocol",
    "local_resources",
)
# The code of the error raised when the plan was saved by someone else since the editor opened it.
STALE_REVISION = "stale_revision"

GOAL_FIELDS = ("words", "domain", "stage", "status", "starts_on", "review_on", "position")
STEP_FIELDS = ("description", "who", "target_on", "review_on", "done_on", "position")


def is_stale_revision(exc: ValidationError) -> bool:
    """True when `exc` is plan_update's refusal of an edit started from an older revision."""
    errors = exc.error_dict.get("__all__", []) if hasattr(exc, "error_dict") else exc.error_list
    return any(error.code == STALE_REVISION for error in errors)


def plan_due_on(enrolled_on: datetime.date) -> datetime.date:
    return add_business_days(enrolled_on, settings.ANCRAGE["PLAN_DUE_BUSINESS_DAYS"])


def plan_is_complete(plan: RecoveryPlan) -> bool:
    """Crisis strategies written, and at least one goal with at least one step."""
    if not (plan.crisis_strategies or "").strip():
        return False
    return Step.objects.filter(goal__plan=plan).exists()


def _mark_completed(plan: RecoveryPlan, today: datetime.date | None = None) -> bool:
    """Set `first_completed_on` the first time the plan is complete. Returns True when it was set now."""
    if plan.first_completed_on is not None or not plan_is_complete(plan):
        return False
    plan.first_completed_on = today or clock.today()
    RecoveryPlan.objects.filter(pk=plan.pk).update(first_completed_on=plan.first_completed_on)
    return True


def _bump(plan: RecoveryPlan, actor) -> None:
    """A change to goals or steps is a change to the plan: one more revision, so an editor of the plan's
    text on an older revision is told too."""
    RecoveryPlan.objects.filter(pk=plan.pk).update(
        revision=F("revision") + 1, updated_by=actor, updated_at=clock.now()
    )
    plan.refresh_from_db(fields=["revision", "updated_by", "updated_at"])


def _organisation(plan: RecoveryPlan):
    return plan.enrollment.program.organisation if plan.enrollment_id else None


def _require_active(enrollment: Enrollment) -> None:
    if enrollment.status != Enrollment.Status.ACTIVE:
        raise ValidationError(
            {"__all__": [_("This enrollment has ended: its recovery plan can be read, no longer changed.")]}
        )


@transaction.atomic
def plan_create(*, actor: User, enrollment: Enrollment) -> RecoveryPlan:
    """Start the recovery plan of an enrollment, due PLAN_DUE_BUSINESS_DAYS business days after enrollment."""
    _require_active(enrollment)
    if RecoveryPlan.objects.filter(enrollment=enrollment).exists():
        raise ValidationError({"__all__": [_("This enrollment already has a recovery plan.")]})
    plan = RecoveryPlan.objects.create(
        participant_id=enrollment.participant_id,
        enrollment=enrollment,
        due_on=plan_due_on(enrollment.enrolled_on),
        updated_by=actor,
    )
    audit.record(
        actor=actor,
        action="casework.plan.created",
        obj=plan,
        participant=enrollment.participant,
        data={"enrollment": enrollment.pk, "due_on": plan.due_on.isoformat()},
    )
    return plan


@transaction.atomic
def plan_update(
    *, actor: User, plan: RecoveryPlan, revision: int | str | None, **fields: Any
) -> RecoveryPlan:
    """Change the plan's text parts. `revision` is the one the editor started from: if someone else saved
    in between, nothing is written and ValidationError says so (the caller shows back what was typed)."""
    unknown = set(fields) - set(PLAN_TEXT_FIELDS)
    if unknown:
        raise ValidationError(
            {"__all__": [_("Unknown plan fields: %(names)s.") % {"names": ", ".join(sorted(unknown))}]}
        )
    locked = (
        RecoveryPlan.objects.select_for_update(of=("self",))
        .select_related("enrollment__program", "updated_by")
        .get(pk=plan.pk)
    )
    _require_active(locked.enrollment)
    try:
        started_from = int(revision) if revision is not None else None
    except (TypeError, ValueError):
        started_from = None
    if started_from != locked.revision:
        message = _(
            "Someone else saved this plan while you were editing it (%(name)s, at %(when)s). "
            "Nothing of yours was saved: your text is shown below; compare it with the plan as it "
            "is now, then save again."
        ) % {
            "name": locked.updated_by.display_name,
            "when": formats.time_format(clock.localtime(locked.updated_at)),
        }
        raise ValidationError({"__all__": [ValidationError(message, code=STALE_REVISION)]})
    before = audit.snapshot(locked, list(PLAN_TEXT_FIELDS))
    for name, value in fields.items():
        setattr(locked, name, (value or "").strip())
    after = audit.snapshot(locked, list(PLAN_TEXT_FIELDS))
    diff = audit.changes(before, after)
    if diff:
        locked.revision += 1
        locked.updated_by = actor
        locked.save()
        _mark_completed(locked)
        audit.record(
            actor=actor,
            action="casework.plan.updated",
            obj=locked,
            participant=locked.participant,
            organisation=_organisation(locked),
            data={"changes": diff, "revision": locked.revision},
        )
    for name in (*PLAN_TEXT_FIELDS, "revision", "updated_by_id", "updated_at", "first_completed_on"):
        setattr(plan, name, getattr(locked, name))
    return locked


def _clean_goal(values: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    words = (values.get("words") or "").strip()
    values["words"] = words
    if not words:
        errors.setdefault("words", []).append(_("Write the goal in the participant's own words."))
    if values.get("stage") not in StageOfChange.values:
        errors.setdefault("stage", []).append(_("Choose the stage of change."))
    if values.get("domain") not in LifeDomain.values:
        errors.setdefault("domain", []).append(_("Choose a life domain."))
    if values.get("status") not in Goal.Status.values:
        errors.setdefault("status", []).append(_("Choose the goal's status."))
    starts_on = values.get("starts_on")
    review_on = values.get("review_on")
    if not isinstance(starts_on, datetime.date):
        errors.setdefault("starts_on", []).append(_("Give the date the goal was set."))
    elif isinstance(review_on, datetime.date) and review_on < starts_on:
        errors.setdefault("review_on", []).append(
            _("The review date (%(review)s) is before the goal's start (%(start)s): choose a later date.")
            % {"review": review_on.isoformat(), "start": starts_on.isoformat()}
        )
    if errors:
        raise ValidationError(errors)
    return values


@transaction.atomic
def goal_add(
    *,
    actor: User,
    plan: RecoveryPlan,
    words: str,
    stage: str,
    starts_on: datetime.date | None = None,
    domain: str = LifeDomain.OTHER,
    review_on: datetime.date | None = None,
) -> Goal:
    """A goal the participant cares about, in their own words, with its stage of change (B6)."""
    # The participant and the program's organisation come with the plan: the audit entry names both.
    plan = (
        RecoveryPlan.objects.select_for_update(of=("self",))
        .select_related("enrollment__program__organisation", "participant")
        .get(pk=plan.pk)
    )
    _require_active(plan.enrollment)
    values = _clean_goal(
        {
            "words": words,
            "stage": stage,
            "starts_on": starts_on or clock.today(),
            "domain": domain or LifeDomain.OTHER,
            "review_on": review_on,
            "status": Goal.Status.ACTIVE,
        }
    )
    last = plan.goals.order_by("-position").values_list("position", flat=True).first()
    goal = Goal.objects.create(plan=plan, position=(last or 0) + 1, **values)
    _bump(plan, actor)
    audit.record(
        actor=actor,
        action="casework.goal.added",
        obj=goal,
        participant=plan.participant,
        organisation=_organisation(plan),
        data={"plan": plan.pk, "stage": goal.stage, "domain": goal.domain},
    )
    return goal


@transaction.atomic
def goal_update(*, actor: User, goal: Goal, **fields: Any) -> Goal:
    unknown = set(fields) - set(GOAL_FIELDS)
    if unknown:
        raise ValidationError(
            {"__all__": [_("Unknown goal fields: %(names)s.") % {"names": ", ".join(sorted(unknown))}]}
        )
    goal = (
        Goal.objects.select_for_update(of=("self",))
        .select_related("plan__enrollment__program")
        .get(pk=goal.pk)
    )
    plan = goal.plan
    _require_active(plan.enrollment)
    before = audit.snapshot(goal, list(GOAL_FIELDS))
    values = {name: getattr(goal, name) for name in GOAL_FIELDS}
    values.update(fields)
    if "starts_on" in fields and fields["starts_on"] is None:
        values["starts_on"] = goal.starts_on
    values = _clean_goal(values)
    for name, value in values.items():
        setattr(goal, name, value)
    diff = audit.changes(before, audit.snapshot(goal, list(GOAL_FIELDS)))
    if diff:
        goal.save()
        _bump(plan, actor)
        audit.record(
            actor=actor,
            action="casework.goal.changed",
            obj=goal,
            participant=plan.participant,
            organisation=_organisation(plan),
            data={"changes": diff},
        )
    return goal


def _clean_step(values: dict[str, Any], goal: Goal) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    values["description"] = (values.get("description") or "").strip()
    if not values["description"]:
        errors.setdefault("description", []).append(_("Say what the step is."))
    if values.get("who") not in Step.Who.values:
        errors.setdefault("who", []).append(
            _("Say who does it: the participant, the case manager, or both together.")
        )
    target_on, review_on, done_on = values.get("target_on"), values.get("review_on"), values.get("done_on")
    if target_on is not None and target_on < goal.starts_on:
        errors.setdefault("target_on", []).append(
            _("The target date is before the goal was set (%(start)s).")
            % {"start": goal.starts_on.isoformat()}
        )
    if review_on is not None and review_on < goal.starts_on:
        errors.setdefault("review_on", []).append(
            _("The review date is before the goal was set (%(start)s).")
            % {"start": goal.starts_on.isoformat()}
        )
    if done_on is not None and done_on > clock.today():
        errors.setdefault("done_on", []).append(_("A step cannot be done in the future."))
    if errors:
        raise ValidationError(errors)
    return values


@transaction.atomic
def step_add(
    *,
    actor: User,
    goal: Goal,
    description: str,
    who: str,
    target_on: datetime.date | None = None,
    review_on: datetime.date | None = None,
) -> Step:
    """A step towards a goal: who does it (participant, case manager, both), by when, reviewed when."""
    # The participant and the program's organisation come with the goal: the audit entry names both.
    goal = Goal.objects.select_related("plan__enrollment__program__organisation", "plan__participant").get(
        pk=goal.pk
    )
    plan = RecoveryPlan.objects.select_for_update(of=("self",)).get(pk=goal.plan_id)
    _require_active(goal.plan.enrollment)
    values = _clean_step(
        {"description": description, "who": who, "target_on": target_on, "review_on": review_on}, goal
    )
    last = goal.steps.order_by("-position").values_list("position", flat=True).first()
    step = Step.objects.create(goal=goal, position=(last or 0) + 1, **values)
    _bump(plan, actor)
    completed = _mark_completed(plan)
    audit.record(
        actor=actor,
        action="casework.step.added",
        obj=step,
        participant=goal.plan.participant,
        organisation=_organisation(goal.plan),
        data={"goal": goal.pk, "who": step.who, "plan_completed": completed},
    )
    return step


@dataclass(frozen=True)
class NewStep:
    """A step `goals_add_many` adds to its goal: `step_add`'s arguments."""

    description: str
    who: str
    target_on: datetime.date | None = None
    review_on: datetime.date | None = None


@dataclass(frozen=True)
class NewGoal:
    """A goal `goals_add_many` adds to the plan, with its steps: `goal_add`'s arguments."""

    words: str
    stage: str
    starts_on: datetime.date | None = None
    domain: str = LifeDomain.OTHER
    review_on: datetime.date | None = None
    steps: tuple[NewStep, ...] = ()


@transaction.atomic
def goals_add_many(
    *, actor: User, plan: RecoveryPlan, goals: Sequence[NewGoal]
) -> list[tuple[Goal, list[Step]]]:
    """`goal_add` for each goal, each followed by `step_add` for each of its steps, in a few statements: the
    same goals and steps (placed after the plan's), the same plan (one revision more a goal or a step, first
    completed by the first step once its crisis strategies are written) and the same audit entries, in the
    same order. Returns each goal with its steps. The first goal or step refused raises the ValidationError
    its service would have raised, and nothing is written."""
    plan = (
        RecoveryPlan.objects.select_for_update(of=("self",))
        .select_related("enrollment__program__organisation", "participant")
        .get(pk=plan.pk)
    )
    _require_active(plan.enrollment)
    last = plan.goals.order_by("-position").values_list("position", flat=True).first() or 0
    made: list[tuple[Goal, list[Step]]] = []
    for n, new in enumerate(goals, start=1):
        values = _clean_goal(
            {
                "words": new.words,
                "stage": new.stage,
                "starts_on": new.starts_on or clock.today(),
                "domain": new.domain or LifeDomain.OTHER,
                "review_on": new.review_on,
                "status": Goal.Status.ACTIVE,
            }
        )
        goal = Goal(plan=plan, position=last + n, **values)
        steps = [
            Step(
                goal=goal,
                position=k,
                **_clean_step(
                    {
                        "description": step.description,
                        "who": step.who,
                        "target_on": step.target_on,
                        "review_on": step.review_on,
                    },
                    goal,
                ),
            )
            for k, step in enumerate(new.steps, start=1)
        ]
        made.append((goal, steps))
    if not made:
        return made
    Goal.objects.bulk_create([goal for goal, _steps in made])
    every_step = Step.objects.bulk_create([step for _goal, steps in made for step in steps])
    RecoveryPlan.objects.filter(pk=plan.pk).update(
        revision=F("revision") + len(made) + len(every_step), updated_by=actor, updated_at=clock.now()
    )
    # `step_add` marks the plan complete on its first step, when the crisis strategies are written.
    completing = every_step[0] if every_step and _mark_completed(plan) else None
    organisation = _organisation(plan)
    entries = []
    for goal, steps in made:
        entries.append(
            audit.entry(
                actor=actor,
                action="casework.goal.added",
                obj=goal,
                participant=plan.participant,
                organisation=organisation,
                data={"plan": plan.pk, "stage": goal.stage, "domain": goal.domain},
            )
        )
        entries += [
            audit.entry(
                actor=actor,
                action="casework.step.added",
                obj=step,
                participant=plan.participant,
                organisation=organisation,
                data={"goal": goal.pk, "who": step.who, "plan_completed": step is completing},
            )
            for step in steps
        ]
    audit.record_all(entries)
    return made


@transaction.atomic
def step_update(*, actor: User, step: Step, **fields: Any) -> Step:
    unknown = set(fields) - set(STEP_FIELDS)
    if unknown:
        raise ValidationError(
            {"__all__": [_("Unknown step fields: %(names)s.") % {"names": ", ".join(sorted(unknown))}]}
        )
    step = (
        Step.objects.select_for_update(of=("self",))
        .select_related("goal__plan__enrollment__program")
        .get(pk=step.pk)
    )
    goal = step.goal
    _require_active(goal.plan.enrollment)
    before = audit.snapshot(step, list(STEP_FIELDS))
    values = {name: getattr(step, name) for name in STEP_FIELDS}
    values.update(fields)
    values = _clean_step(values, goal)
    for name, value in values.items():
        setattr(step, name, value)
    diff = audit.changes(before, audit.snapshot(step, list(STEP_FIELDS)))
    if diff:
        step.save()
        _bump(goal.plan, actor)
        audit.record(
            actor=actor,
            action="casework.step.changed",
            obj=step,
            participant=goal.plan.participant,
            organisation=_organisation(goal.plan),
            data={"changes": diff},
        )
    return step


def review_due_on(plan: RecoveryPlan) -> datetime.date:
    """When the supervisor's next review is due: the stored date, or PLAN_REVIEW_MONTHS after enrollment."""
    if plan.next_review_on is not None:
        return plan.next_review_on
    return plan.enrollment.enrolled_on + relativedelta(months=settings.ANCRAGE["PLAN_REVIEW_MONTHS"])


@transaction.atomic
def plan_review(
    *, actor: User, plan: RecoveryPlan, comment: str = "", reviewed_on: datetime.date | None = None
) -> PlanReview:
    """The supervisor's review and sign-off (B5); the next is due PLAN_REVIEW_MONTHS later."""
    if not actor.has_ancrage_perm("casework.manage_team"):
        raise ValidationError({"__all__": [_("Only a team lead or a program manager signs off a plan.")]})
    plan = (
        RecoveryPlan.objects.select_for_update(of=("self",))
        .select_related("enrollment__program")
        .get(pk=plan.pk)
    )
    today = clock.today()
    reviewed_on = reviewed_on or today
    if reviewed_on > today:
        raise ValidationError({"reviewed_on": [_("A review cannot be dated in the future.")]})
    if reviewed_on < plan.enrollment.enrolled_on:
        raise ValidationError({"reviewed_on": [_("A review cannot be dated before the enrollment.")]})
    review = PlanReview.objects.create(
        plan=plan,
        reviewed_by=actor,
        reviewed_on=reviewed_on,
        comment=(comment or "").strip(),
        signed_off=True,
        revision=plan.revision,
    )
    next_on = reviewed_on + relativedelta(months=settings.ANCRAGE["PLAN_REVIEW_MONTHS"])
    RecoveryPlan.objects.filter(pk=plan.pk).update(next_review_on=next_on)
    plan.next_review_on = next_on
    audit.record(
        actor=actor,
        action="casework.plan.reviewed",
        obj=plan,
        participant=plan.participant,
        organisation=_organisation(plan),
        data={"review": review.pk, "revision": plan.revision, "next_review_on": next_on.isoformat()},
    )
    return review
