"""`goals_add_many` writes what `goal_add` then `step_add` write one at a time: the same goals and steps, the
same plan (revision, first completion) and the same audit entries in the same order; it refuses what they
refuse, writing nothing."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import transaction

from ancrage.casework.models import Enrollment, Goal, RecoveryPlan, Step
from ancrage.casework.plans import services as svc
from ancrage.core.models import AuditEntry

from .plans_helpers import enroll

pytestmark = pytest.mark.django_db

NOON = datetime.datetime(2026, 6, 15, 16, 0, tzinfo=datetime.UTC)
DAY = datetime.timedelta(days=1)
TODAY = datetime.date(2026, 6, 15)

GOALS = [
    svc.NewGoal(
        words=" Garder mon logement ",
        stage="action",
        starts_on=TODAY - 3 * DAY,
        domain="housing",
        review_on=TODAY + 60 * DAY,
        steps=(
            svc.NewStep(description="Payer le loyer le 1er", who="participant", target_on=TODAY + 20 * DAY),
            svc.NewStep(
                description=" Voir le propriétaire ",
                who="both",
                target_on=TODAY + 10 * DAY,
                review_on=TODAY + 24 * DAY,
            ),
        ),
    ),
    svc.NewGoal(words="Revoir ma fille", stage="contemplation"),
    svc.NewGoal(
        words="Retourner à l'école",
        stage="preparation",
        domain="",
        steps=(svc.NewStep(description="Appeler le cégep", who="case_manager"),),
    ),
]


def _single(actor, plan, goals) -> None:
    for new in goals:
        goal = svc.goal_add(
            actor=actor,
            plan=plan,
            words=new.words,
            stage=new.stage,
            starts_on=new.starts_on,
            domain=new.domain,
            review_on=new.review_on,
        )
        for step in new.steps:
            svc.step_add(
                actor=actor,
                goal=goal,
                description=step.description,
                who=step.who,
                target_on=step.target_on,
                review_on=step.review_on,
            )


def _written(plan, write) -> dict:
    """The plan, its goals and steps and the entries `write` adds, ids replaced by their order; rolled back."""
    last_entry = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    with transaction.atomic():
        write()
        goals = list(Goal.objects.filter(plan=plan).order_by("pk"))
        steps = list(Step.objects.filter(goal__plan=plan).order_by("pk"))
        number = {f"casework.goal:{g.pk}": f"goal {n}" for n, g in enumerate(goals)}
        number |= {f"casework.step:{s.pk}": f"step {n}" for n, s in enumerate(steps)}
        goal_number = {g.pk: n for n, g in enumerate(goals)}

        def plain(data: dict) -> dict:
            return {k: goal_number[v] if k == "goal" else v for k, v in data.items()}

        written = {
            "plan": RecoveryPlan.objects.filter(pk=plan.pk)
            .values("revision", "updated_by", "updated_at", "first_completed_on")
            .get(),
            "goals": [
                {k: v for k, v in Goal.objects.filter(pk=g.pk).values().get().items() if k != "id"}
                for g in goals
            ],
            "steps": [
                {
                    **{
                        k: v
                        for k, v in Step.objects.filter(pk=s.pk).values().get().items()
                        if k not in {"id"}
                    },
                    "goal_id": goal_number[s.goal_id],
                }
                for s in steps
            ],
            "entries": [
                (
                    e.at,
                    e.action,
                    e.actor_id,
                    e.organisation_id,
                    e.participant_id,
                    number[f"{e.object_type}:{e.object_id}"],
                    plain(e.data),
                )
                for e in AuditEntry.objects.filter(pk__gt=last_entry).order_by("pk")
            ],
        }
        transaction.set_rollback(True)
    return written


@pytest.fixture
def plan(case_manager_a, participant_a):
    with time_machine.travel(NOON - DAY, tick=False):
        enrollment = enroll(case_manager_a, participant_a, on=TODAY - 20 * DAY)
        plan = svc.plan_create(actor=case_manager_a, enrollment=enrollment)
        # A goal already there: the new ones come after it.
        svc.goal_add(actor=case_manager_a, plan=plan, words="Premier", stage="action")
    return plan


@pytest.mark.parametrize("crisis", ["", "Appeler sa sœur"])
def test_goals_added_in_bulk_are_those_added_one_by_one(plan, case_manager_a, program_manager_a, crisis):
    plan.refresh_from_db()
    with time_machine.travel(NOON - DAY, tick=False):
        svc.plan_update(actor=case_manager_a, plan=plan, revision=plan.revision, crisis_strategies=crisis)
    with time_machine.travel(NOON, tick=False):
        one_by_one = _written(plan, lambda: _single(program_manager_a, plan, GOALS))
        in_bulk = _written(plan, lambda: svc.goals_add_many(actor=program_manager_a, plan=plan, goals=GOALS))
    assert in_bulk == one_by_one
    assert [g["position"] for g in in_bulk["goals"]] == [1, 2, 3, 4]
    assert in_bulk["goals"][1]["words"] == "Garder mon logement"
    assert in_bulk["goals"][3]["domain"] == "other"
    assert [(s["goal_id"], s["position"]) for s in in_bulk["steps"]] == [(1, 1), (1, 2), (3, 1)]
    assert in_bulk["plan"]["updated_by"] == program_manager_a.pk
    assert in_bulk["plan"]["first_completed_on"] == (TODAY if crisis else None)
    assert [e[6].get("plan_completed") for e in in_bulk["entries"]] == [
        None,
        bool(crisis),
        False,
        None,
        None,
        False,
    ]


def test_goals_in_bulk_return_each_goal_with_its_steps(plan, case_manager_a):
    with time_machine.travel(NOON, tick=False):
        made = svc.goals_add_many(actor=case_manager_a, plan=plan, goals=GOALS)
    assert [len(steps) for _goal, steps in made] == [2, 0, 1]
    goal, steps = made[0]
    assert goal.pk is not None
    assert [s.goal_id for s in steps] == [goal.pk, goal.pk]
    assert Step.objects.get(pk=steps[1].pk).description == "Voir le propriétaire"
    assert svc.goals_add_many(actor=case_manager_a, plan=plan, goals=[]) == []


def test_goals_in_bulk_take_a_few_queries(plan, case_manager_a, django_assert_max_num_queries):
    with time_machine.travel(NOON, tick=False), django_assert_max_num_queries(12):
        svc.goals_add_many(actor=case_manager_a, plan=plan, goals=GOALS * 5)


@pytest.mark.parametrize(
    "goal",
    [
        svc.NewGoal(words="  ", stage="action"),
        svc.NewGoal(words="Un but", stage="nowhere"),
        svc.NewGoal(words="Un but", stage="action", review_on=TODAY - 30 * DAY),
        svc.NewGoal(
            words="Un but",
            stage="action",
            steps=(svc.NewStep(description="Trop tôt", who="case_manager", target_on=TODAY - 5 * DAY),),
        ),
        svc.NewGoal(words="Un but", stage="action", steps=(svc.NewStep(description="Qui?", who="nobody"),)),
    ],
)
def test_a_refusal_is_the_single_services_and_nothing_is_written(plan, case_manager_a, goal):
    goals = [GOALS[0], goal, GOALS[2]]
    with time_machine.travel(NOON, tick=False):
        with pytest.raises(ValidationError) as single, transaction.atomic():
            _single(case_manager_a, plan, goals)
        before = (Goal.objects.count(), Step.objects.count(), AuditEntry.objects.count())
        revision = RecoveryPlan.objects.get(pk=plan.pk).revision
        with pytest.raises(ValidationError) as bulk:
            svc.goals_add_many(actor=case_manager_a, plan=plan, goals=goals)
    assert bulk.value.message_dict == single.value.message_dict
    assert (Goal.objects.count(), Step.objects.count(), AuditEntry.objects.count()) == before
    assert RecoveryPlan.objects.get(pk=plan.pk).revision == revision


def test_an_ended_enrollment_is_refused_in_bulk_too(plan, case_manager_a):
    Enrollment.objects.filter(pk=plan.enrollment_id).update(status=Enrollment.Status.EXITED)
    with time_machine.travel(NOON, tick=False):
        with pytest.raises(ValidationError) as single:
            _single(case_manager_a, plan, GOALS)
        with pytest.raises(ValidationError) as bulk:
            svc.goals_add_many(actor=case_manager_a, plan=plan, goals=GOALS)
    assert bulk.value.message_dict == single.value.message_dict
