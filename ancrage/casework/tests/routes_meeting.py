"""Route table of case management (meeting) for ancrage/core/tests/test_routes.py: every URL and API operation
of this part, with the objects its URLs need (see that module for what each field means)."""

from __future__ import annotations

ROUTES: dict[str, dict] = {
    "casework:caseload": {"outsider": 403, "perm": "casework.view"},
    "casework:meeting": {"outsider": 403, "perm": "casework.view"},
    "casework:meeting_settings": {"method": "post", "outsider": 403, "perm": "casework.manage_team"},
    "api:caseload": {"anonymous": 401, "outsider": 403, "perm": "casework.view", "api": True},
    "api:team_meeting": {"anonymous": 401, "outsider": 403, "perm": "casework.view", "api": True},
}
API_OPERATIONS: dict[str, tuple[str, str]] = {
    "api:caseload": ("get", "/api/v1/caseload"),
    "api:team_meeting": ("get", "/api/v1/teams/{team_pk}/meeting"),
}
API_BODIES: dict = {}


def extend_world(w: dict) -> None:
    """Add to the world the objects this part's URLs point at (a record of participant_b for tampering)."""
    from ancrage.organisations.models import Team

    w["meeting_team"] = Team.objects.create(organisation=w["org_a"], program=w["program"], name="Équipe A")
    w["meeting_team_b"] = Team.objects.create(
        organisation=w["org_b"], program=w["program_b"], name="Équipe B"
    )


def kwargs(name: str, w: dict, tamper: str | None) -> dict | None:
    """URL arguments for one of this part's routes, or None to let the generic rules decide."""
    if name in {"casework:meeting_settings", "api:team_meeting"}:
        team = w["meeting_team_b"] if tamper == "team" else w["meeting_team"]
        return {"team_pk": team.pk}
    return None
