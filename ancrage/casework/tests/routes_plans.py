"""Route table of case management (plans) for ancrage/core/tests/test_routes.py: every URL and API operation
of this part, with the objects its URLs need (see that module for what each field means)."""

from __future__ import annotations

import datetime

from ancrage.core import clock

_VIEW = {"outsider": 403, "perm": "casework.view"}
_RECORD = {"outsider": 403, "perm": "casework.record"}

ROUTES: dict[str, dict] = {
    "casework:plan": _VIEW,
    "casework:plan_pdf": _VIEW,
    "casework:plan_start": {"method": "post", **_RECORD},
    "casework:plan_edit": _RECORD,
    "casework:goal_add": _RECORD,
    "casework:goal_edit": _RECORD,
    "casework:step_add": _RECORD,
    "casework:step_edit": _RECORD,
    "casework:plan_review": {"outsider": 403, "perm": "casework.manage_team"},
    # API: the permission is checked before the record, as for the pages.
    "api:get_recovery_plan": {"anonymous": 401, "api": True, **_VIEW},
    "api:update_recovery_plan": {"method": "post", "anonymous": 401, "api": True, **_RECORD},
    "api:add_plan_goal": {"method": "post", "anonymous": 401, "api": True, **_RECORD},
    "api:add_goal_step": {"method": "post", "anonymous": 401, "api": True, **_RECORD},
}
API_OPERATIONS: dict[str, tuple[str, str]] = {
    "api:get_recovery_plan": ("get", "/api/v1/participants/{pk}/plan"),
    "api:update_recovery_plan": ("post", "/api/v1/participants/{pk}/plan"),
    "api:add_plan_goal": ("post", "/api/v1/participants/{pk}/plan/goals"),
    "api:add_goal_step": ("post", "/api/v1/goals/{goal_pk}/steps"),
}


def _current_revision(w) -> int:
    from ancrage.casework.models import RecoveryPlan

    return RecoveryPlan.objects.get(pk=w["plans_plan"].pk).revision


API_BODIES: dict = {
    "api:update_recovery_plan": lambda w: {"revision": _current_revision(w), "strengths": "Patience"},
    "api:add_plan_goal": lambda w: {"words": "Avoir un chat", "stage": "contemplation"},
    "api:add_goal_step": lambda w: {"description": "Visiter la SPCA", "who": "both"},
}

_GOAL_ROUTES = {"casework:goal_edit", "casework:step_add"}


def extend_world(w: dict) -> None:
    """Add to the world the objects this part's URLs point at (a record of participant_b for tampering):
    for each participant, an enrollment in an ICM program of its own, with a plan, a goal and a step."""

    from ancrage.casework.models import Enrollment
    from ancrage.casework.plans import services as services_plans
    from ancrage.organisations.models import Program
    from ancrage.people.tests.factories import ProgramFactory

    today = clock.today()
    for suffix, participant, actor in (
        ("", w["participant"], w["case_manager_a"]),
        ("_b", w["participant_b"], w["case_manager_b"]),
    ):
        program = ProgramFactory(
            organisation=participant.organisation, kind=Program.Kind.ICM, name="SIV plans"
        )
        enrollment = Enrollment.objects.create(
            participant=participant,
            program=program,
            primary_worker=actor,
            enrolled_on=today - datetime.timedelta(days=20),
        )
        plan = services_plans.plan_create(actor=actor, enrollment=enrollment)
        goal = services_plans.goal_add(actor=actor, plan=plan, words="Avoir mon appartement", stage="action")
        step = services_plans.step_add(actor=actor, goal=goal, description="Visiter", who="both")
        plan.refresh_from_db()
        w["plans_plan" + suffix] = plan
        w["plans_goal" + suffix] = goal
        w["plans_step" + suffix] = step


def kwargs(name: str, w: dict, tamper: str | None) -> dict | None:
    """URL arguments for one of this part's routes, or None to let the generic rules decide."""
    suffix = "_b" if tamper == "participant" else ""
    participant = w["participant" + suffix]
    if name in _GOAL_ROUTES:
        return {"pk": participant.pk, "goal_pk": w["plans_goal" + suffix].pk}
    if name == "casework:step_edit":
        return {"pk": participant.pk, "step_pk": w["plans_step" + suffix].pk}
    if name == "api:add_goal_step":
        return {"goal_pk": w["plans_goal" + suffix].pk}
    return None
