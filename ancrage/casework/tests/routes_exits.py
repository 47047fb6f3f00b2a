"""Route table of case management (exits) for ancrage/core/tests/test_routes.py: every URL and API operation
of this part, with the objects its URLs need (see that module for what each field means)."""

from __future__ import annotations

from ancrage.core import clock

# Each route checks its permission before the record: an outsider (no permission at all) gets a 403.
ROUTES: dict[str, dict] = {
    "casework:schedule_list": {"outsider": 403, "perm": "casework.manage_team"},
    "casework:schedule_edit": {"method": "post", "outsider": 403, "perm": "casework.manage_team"},
    "casework:assessments_due": {"outsider": 403, "perm": "casework.view"},
    "casework:progress": {"outsider": 403, "perm": "assessments.view"},
    "casework:exit_create": {"outsider": 403, "perm": "casework.record_exits"},
    "casework:exit_detail": {"outsider": 403, "perm": "casework.view"},
    "api:list_exits": {"anonymous": 401, "outsider": 403, "perm": "casework.view", "api": True},
    "api:create_exit": {
        "method": "post",
        "anonymous": 401,
        "outsider": 403,
        "perm": "casework.record_exits",
        "api": True,
    },
    "api:list_assessments_due": {"anonymous": 401, "outsider": 403, "perm": "casework.view", "api": True},
}
API_OPERATIONS: dict[str, tuple[str, str]] = {
    "api:list_exits": ("get", "/api/v1/participants/{pk}/exits"),
    "api:create_exit": ("post", "/api/v1/participants/{pk}/exits"),
    "api:list_assessments_due": ("get", "/api/v1/assessments-due"),
}


def _exit_body(w: dict) -> dict:
    today = clock.today().isoformat()
    return {
        "enrollment_id": w["exits_enrollment"].pk,
        "kind": "planned",
        "reason": "goals_reached",
        "exited_on": today,
        "destination": "own_housing",
        "procedure_given_on": today,
    }


API_BODIES: dict = {"api:create_exit": _exit_body}


def extend_world(w: dict) -> None:
    """An ACT program of each organisation (so no other part's enrollment is in the way), an active enrollment
    of participant (A) to exit, and an earlier exit of each participant (for exit_detail and tampering)."""
    import datetime

    from ancrage.casework.models import Enrollment, Exit
    from ancrage.organisations.models import Program
    from ancrage.people.tests.factories import ProgramFactory

    today = clock.today()
    for suffix, org, participant, actor in (
        ("", w["org_a"], w["participant"], w["case_manager_a"]),
        ("_b", w["org_b"], w["participant_b"], w["case_manager_b"]),
    ):
        program = ProgramFactory(organisation=org, kind=Program.Kind.ACT, name="SIM (sorties)")
        earlier = Enrollment.objects.create(
            participant=participant,
            program=program,
            primary_worker=actor,
            enrolled_on=today - datetime.timedelta(days=400),
            status=Enrollment.Status.EXITED,
            exited_on=today - datetime.timedelta(days=30),
        )
        w["exits_exit" + suffix] = Exit.objects.create(
            enrollment=earlier,
            participant=participant,
            kind=Exit.Kind.PLANNED,
            reason=Exit.Reason.GOALS_REACHED,
            exited_on=earlier.exited_on,
            destination=Exit.Destination.OWN_HOUSING,
            procedure_given_on=earlier.exited_on,
            recorded_by=actor,
        )
        w["exits_enrollment" + suffix] = Enrollment.objects.create(
            participant=participant, program=program, primary_worker=actor, enrolled_on=today
        )


def kwargs(name: str, w: dict, tamper: str | None) -> dict | None:
    """URL arguments for one of this part's routes, or None to let the generic rules decide."""
    if name == "casework:schedule_edit":
        return {"program_pk": w["program"].pk}
    if name == "casework:exit_detail":
        if tamper == "participant":
            return {"pk": w["participant_b"].pk, "exit_pk": w["exits_exit_b"].pk}
        return {"pk": w["participant"].pk, "exit_pk": w["exits_exit"].pk}
    return None
