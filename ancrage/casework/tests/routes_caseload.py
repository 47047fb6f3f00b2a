"""Route table of case management (caseload) for ancrage/core/tests/test_routes.py: every URL and API
operation of this part, with the objects its URLs need (see that module for what each field means)."""

from __future__ import annotations

from ancrage.core.permissions import Role

ROUTES: dict[str, dict] = {
    "casework:caseloads": {"outsider": 403, "perm": "casework.manage_team"},
    "casework:participant": {"outsider": 403, "perm": "casework.view"},
    "casework:enroll": {"outsider": 403, "perm": "casework.manage_team"},
    "casework:assign": {"outsider": 403, "perm": "casework.manage_team"},
    "casework:enrollment_settings": {"outsider": 403, "perm": "casework.record"},
    "api:list_enrollments": {"anonymous": 401, "perm": "casework.view", "api": True},
    "api:create_enrollment": {
        "method": "post",
        "anonymous": 401,
        "perm": "casework.manage_team",
        "api": True,
    },
    "api:assign_enrollment": {
        "method": "post",
        "anonymous": 401,
        "perm": "casework.manage_team",
        "api": True,
    },
}
API_OPERATIONS: dict[str, tuple[str, str]] = {
    "api:list_enrollments": ("get", "/api/v1/participants/{pk}/enrollments"),
    "api:create_enrollment": ("post", "/api/v1/participants/{pk}/enrollments"),
    "api:assign_enrollment": ("post", "/api/v1/enrollments/{enrollment_pk}/assign"),
}
API_BODIES: dict = {
    # The world's participant is already in w["program"]: the API enrolls them in an ACT program too.
    "api:create_enrollment": lambda w: {
        "program_id": w["program_act"].pk,
        "primary_worker_id": w["case_manager_a"].pk,
    },
    "api:assign_enrollment": lambda w: {"worker_id": w["case_manager_a2"].pk, "reason": "Congé"},
}


def extend_world(w: dict) -> None:
    """Enrollments of the world's participant (w["enrollment"], in w["program"], primary case manager
    case_manager_a) and of participant_b (w["enrollment_b"], in program_b): other parts may use them."""
    from ancrage.casework.caseload.services import enrollment_create
    from ancrage.organisations.models import Program
    from ancrage.people.tests.factories import ProgramFactory, member

    w["enrollment"] = enrollment_create(
        actor=w["program_manager_a"],
        participant=w["participant"],
        program=w["program"],
        primary_worker=w["case_manager_a"],
    )
    w["enrollment_b"] = enrollment_create(
        actor=w["manager_b"],
        participant=w["participant_b"],
        program=w["program_b"],
        primary_worker=w["case_manager_b"],
    )
    w["program_act"] = ProgramFactory(organisation=w["org_a"], kind=Program.Kind.ACT)
    w["case_manager_a2"] = member(w["org_a"], Role.CASE_MANAGER)


def kwargs(name: str, w: dict, tamper: str | None) -> dict | None:
    """URL arguments for one of this part's routes, or None to let the generic rules decide."""
    if name == "api:assign_enrollment":
        return {"enrollment_pk": (w["enrollment_b"] if tamper == "participant" else w["enrollment"]).pk}
    return None
