"""Recovery plan services (B5, B6, B10, B11): due date in Québec business days, first completion, concurrent
edits, goal and step dates, the supervisor's review."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation

from ancrage.casework.models import Enrollment, Goal, PlanReview, RecoveryPlan, Step
from ancrage.casework.plans import services as svc
from ancrage.core.models import AuditEntry
from ancrage.core.permissions import Role
from ancrage.people.tests.factories import member

from .plans_helpers import enroll

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """These tests read the services' messages in English; the pages' tests read both languages."""
    with translation.override("en"):
        yield


def test_plan_due_ten_business_days_after_enrollment_skipping_weekends(case_manager_a, participant_a):
    # Monday 2026-03-02 + 10 business days = Monday 2026-03-16 (two weekends skipped, no holiday).
    enrollment = enroll(case_manager_a, participant_a, on=datetime.date(2026, 3, 2))
    plan = svc.plan_create(actor=case_manager_a, enrollment=enrollment)
    assert plan.due_on == datetime.date(2026, 3, 16)
    assert plan.revision == 1
    assert AuditEntry.objects.filter(action="casework.plan.created", object_id=str(plan.pk)).exists()


def test_plan_due_skips_fete_nationale_and_canada_day(case_manager_a, participant_a):
    # Friday 2027-06-18: business days 21, 22, 23, (24 Fête nationale), 25, 28, 29, 30, (1 July Canada Day),
    # 2, 5, 6 → the tenth is Tuesday 2027-07-06.
    enrollment = enroll(case_manager_a, participant_a, on=datetime.date(2027, 6, 18))
    plan = svc.plan_create(actor=case_manager_a, enrollment=enrollment)
    assert plan.due_on == datetime.date(2027, 7, 6)


def test_plan_due_skips_christmas_and_new_year(case_manager_a, participant_a):
    # Monday 2026-12-21: 22, 23, 24, (25 Christmas), 28, 29, 30, 31, (1 January), 4, 5, 6 → the tenth
    # business day is Wednesday 2027-01-06 (without the holidays it would be Monday 2027-01-04).
    enrollment = enroll(case_manager_a, participant_a, on=datetime.date(2026, 12, 21))
    plan = svc.plan_create(actor=case_manager_a, enrollment=enrollment)
    assert plan.due_on == datetime.date(2027, 1, 6)


def test_one_plan_per_enrollment(case_manager_a, participant_a):
    enrollment = enroll(case_manager_a, participant_a)
    svc.plan_create(actor=case_manager_a, enrollment=enrollment)
    with pytest.raises(ValidationError) as exc:
        svc.plan_create(actor=case_manager_a, enrollment=enrollment)
    assert "__all__" in exc.value.message_dict
    assert RecoveryPlan.objects.count() == 1


def test_update_with_current_revision_saves_and_bumps(case_manager_a, participant_a):
    plan = svc.plan_create(actor=case_manager_a, enrollment=enroll(case_manager_a, participant_a))
    plan = svc.plan_update(actor=case_manager_a, plan=plan, revision=1, strengths="Je cuisine bien")
    assert plan.revision == 2
    plan.refresh_from_db()
    assert plan.strengths == "Je cuisine bien"
    entry = AuditEntry.objects.get(action="casework.plan.updated")
    assert entry.data["changes"]["strengths"] == ["", "Je cuisine bien"]


def test_two_people_editing_at_once_second_is_told_nothing_overwritten(case_manager_a, participant_a, org_a):
    colleague = member(org_a, Role.CASE_MANAGER)
    plan = svc.plan_create(actor=case_manager_a, enrollment=enroll(case_manager_a, participant_a))
    # Both opened revision 1; the colleague saves first.
    svc.plan_update(actor=colleague, plan=plan, revision=1, strengths="Première version")
    with pytest.raises(ValidationError) as exc:
        svc.plan_update(actor=case_manager_a, plan=plan, revision=1, strengths="Deuxième version")
    message = exc.value.message_dict["__all__"][0]
    assert colleague.display_name in message
    plan.refresh_from_db()
    assert plan.strengths == "Première version"
    assert plan.revision == 2
    assert AuditEntry.objects.filter(action="casework.plan.updated").count() == 1


def test_goal_change_also_makes_an_open_edit_stale(case_manager_a, participant_a):
    plan = svc.plan_create(actor=case_manager_a, enrollment=enroll(case_manager_a, participant_a))
    svc.goal_add(actor=case_manager_a, plan=plan, words="Avoir un chien", stage="contemplation")
    with pytest.raises(ValidationError):
        svc.plan_update(actor=case_manager_a, plan=plan, revision=1, strengths="x")


def test_missing_or_malformed_revision_is_refused(case_manager_a, participant_a):
    plan = svc.plan_create(actor=case_manager_a, enrollment=enroll(case_manager_a, participant_a))
    for bad in (None, "", "abc"):
        with pytest.raises(ValidationError):
            svc.plan_update(actor=case_manager_a, plan=plan, revision=bad, strengths="x")


def test_unknown_fields_are_refused(case_manager_a, participant_a):
    plan = svc.plan_create(actor=case_manager_a, enrollment=enroll(case_manager_a, participant_a))
    with pytest.raises(ValidationError):
        svc.plan_update(actor=case_manager_a, plan=plan, revision=1, due_on=datetime.date(2030, 1, 1))


def test_first_completed_needs_crisis_strategies_and_a_goal_with_a_step(case_manager_a, participant_a):
    plan = svc.plan_create(actor=case_manager_a, enrollment=enroll(case_manager_a, participant_a))
    goal = svc.goal_add(actor=case_manager_a, plan=plan, words="Retrouver ma fille", stage="preparation")
    svc.step_add(actor=case_manager_a, goal=goal, description="Appeler la DPJ", who="both")
    plan.refresh_from_db()
    assert plan.first_completed_on is None  # no crisis strategies yet
    plan = svc.plan_update(
        actor=case_manager_a, plan=plan, revision=plan.revision, crisis_strategies="Appeler ma sœur"
    )
    plan.refresh_from_db()
    assert plan.first_completed_on is not None
    first = plan.first_completed_on
    # Emptying it later does not undo the first completion.
    svc.plan_update(actor=case_manager_a, plan=plan, revision=plan.revision, crisis_strategies="")
    plan.refresh_from_db()
    assert plan.first_completed_on == first


def test_crisis_first_then_step_completes(case_manager_a, participant_a):
    plan = svc.plan_create(actor=case_manager_a, enrollment=enroll(case_manager_a, participant_a))
    svc.plan_update(actor=case_manager_a, plan=plan, revision=1, crisis_strategies="Marcher")
    goal = svc.goal_add(actor=case_manager_a, plan=plan, words="Dormir mieux", stage="action")
    plan.refresh_from_db()
    assert plan.first_completed_on is None
    svc.step_add(actor=case_manager_a, goal=goal, description="Voir le médecin", who="participant")
    plan.refresh_from_db()
    assert plan.first_completed_on is not None


def test_goal_review_before_start_is_refused(case_manager_a, participant_a):
    plan = svc.plan_create(actor=case_manager_a, enrollment=enroll(case_manager_a, participant_a))
    with pytest.raises(ValidationError) as exc:
        svc.goal_add(
            actor=case_manager_a,
            plan=plan,
            words="Travailler",
            stage="contemplation",
            starts_on=datetime.date(2026, 5, 10),
            review_on=datetime.date(2026, 5, 1),
        )
    assert "before the goal" in exc.value.message_dict["review_on"][0]
    assert Goal.objects.count() == 0


def test_goal_bad_values(case_manager_a, participant_a):
    plan = svc.plan_create(actor=case_manager_a, enrollment=enroll(case_manager_a, participant_a))
    with pytest.raises(ValidationError) as exc:
        svc.goal_add(actor=case_manager_a, plan=plan, words="  ", stage="nope", domain="nope")
    assert set(exc.value.message_dict) == {"words", "stage", "domain"}


def test_goal_update_keeps_dates_consistent(case_manager_a, participant_a):
    plan = svc.plan_create(actor=case_manager_a, enrollment=enroll(case_manager_a, participant_a))
    goal = svc.goal_add(
        actor=case_manager_a,
        plan=plan,
        words="Travailler",
        stage="contemplation",
        starts_on=datetime.date(2026, 5, 10),
    )
    with pytest.raises(ValidationError):
        svc.goal_update(actor=case_manager_a, goal=goal, review_on=datetime.date(2026, 5, 9))
    goal = svc.goal_update(
        actor=case_manager_a, goal=goal, review_on=datetime.date(2026, 8, 1), stage="action"
    )
    goal.refresh_from_db()
    assert goal.stage == "action"
    assert AuditEntry.objects.get(action="casework.goal.changed").data["changes"]["stage"] == [
        "contemplation",
        "action",
    ]


def test_step_dates_and_who(case_manager_a, participant_a):
    plan = svc.plan_create(actor=case_manager_a, enrollment=enroll(case_manager_a, participant_a))
    goal = svc.goal_add(
        actor=case_manager_a,
        plan=plan,
        words="Travailler",
        stage="action",
        starts_on=datetime.date(2026, 5, 10),
    )
    with pytest.raises(ValidationError) as exc:
        svc.step_add(
            actor=case_manager_a,
            goal=goal,
            description="CV",
            who="someone",
            target_on=datetime.date(2026, 5, 1),
            review_on=datetime.date(2026, 4, 1),
        )
    assert set(exc.value.message_dict) == {"who", "target_on", "review_on"}
    step = svc.step_add(actor=case_manager_a, goal=goal, description="CV", who="participant")
    with pytest.raises(ValidationError):
        svc.step_update(actor=case_manager_a, step=step, done_on=datetime.date(2999, 1, 1))
    step = svc.step_update(actor=case_manager_a, step=step, done_on=datetime.date(2026, 5, 20))
    step.refresh_from_db()
    assert step.done_on == datetime.date(2026, 5, 20)
    assert AuditEntry.objects.filter(action__in=["casework.step.added", "casework.step.changed"]).count() == 2


def test_exited_enrollment_plan_is_read_only(case_manager_a, participant_a):
    enrollment = enroll(case_manager_a, participant_a)
    plan = svc.plan_create(actor=case_manager_a, enrollment=enrollment)
    Enrollment.objects.filter(pk=enrollment.pk).update(status=Enrollment.Status.EXITED)
    with pytest.raises(ValidationError):
        svc.plan_update(actor=case_manager_a, plan=plan, revision=1, strengths="x")
    with pytest.raises(ValidationError):
        svc.goal_add(actor=case_manager_a, plan=plan, words="x", stage="action")


def test_review_by_team_lead_sets_next_review(case_manager_a, participant_a, org_a):
    lead = member(org_a, Role.TEAM_LEAD)
    enrollment = enroll(case_manager_a, participant_a, on=datetime.date(2025, 9, 1))
    plan = svc.plan_create(actor=case_manager_a, enrollment=enrollment)
    review = svc.plan_review(
        actor=lead, plan=plan, comment="Bon plan", reviewed_on=datetime.date(2026, 10, 1)
    )
    assert review.signed_off
    assert review.revision == plan.revision
    plan.refresh_from_db()
    assert plan.next_review_on == datetime.date(2027, 10, 1)
    assert AuditEntry.objects.filter(action="casework.plan.reviewed").exists()


def test_review_by_case_manager_is_refused(case_manager_a, participant_a):
    plan = svc.plan_create(actor=case_manager_a, enrollment=enroll(case_manager_a, participant_a))
    with pytest.raises(ValidationError):
        svc.plan_review(actor=case_manager_a, plan=plan)
    assert PlanReview.objects.count() == 0


def test_review_in_the_future_is_refused(participant_a, case_manager_a, org_a):
    lead = member(org_a, Role.TEAM_LEAD)
    plan = svc.plan_create(actor=case_manager_a, enrollment=enroll(case_manager_a, participant_a))
    with pytest.raises(ValidationError) as exc:
        svc.plan_review(actor=lead, plan=plan, reviewed_on=datetime.date(2999, 1, 1))
    assert "reviewed_on" in exc.value.message_dict


CONDITION_WORDS = ("condition", "required_for_housing", "mandatory", "compulsory", "requirement", "sobriety")


@pytest.mark.parametrize("model", [RecoveryPlan, Goal, Step, PlanReview])
def test_no_goal_or_service_is_a_condition_of_housing(model):
    """B11: the data model has no field that could make a goal, a step or a service a condition of housing."""
    names = [f.name.lower() for f in model._meta.get_fields()]
    for name in names:
        assert not any(word in name for word in CONDITION_WORDS), (model.__name__, name)
    boolean = [f.name for f in model._meta.concrete_fields if isinstance(f, models.BooleanField)]
    assert set(boolean) <= {"signed_off"}, boolean


def test_no_housing_condition_anywhere_in_casework():
    from django.apps import apps

    for model in apps.get_app_config("casework").get_models():
        for f in model._meta.get_fields():
            assert "condition" not in f.name.lower(), (model.__name__, f.name)
            assert "required_for_housing" not in f.name.lower(), (model.__name__, f.name)
