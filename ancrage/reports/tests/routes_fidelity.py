"""Route table of fidelity for ancrage/core/tests/test_routes.py: every URL and API operation of this part,
with the objects its URLs need (see that module for what each field means).

No id is in a fidelity URL: the program and quarter are in the query string (the page's filters), and a program
the reader may not score answers 404 (ancrage/reports/tests/test_fidelity_views.py)."""

from __future__ import annotations

ROUTES: dict[str, dict] = {
    "reports:fidelity": {"outsider": 403, "perm": "reports.view_fidelity"},
    "reports:fidelity_assess": {"outsider": 403, "perm": "reports.assess_fidelity"},
    "reports:fidelity_people": {"outsider": 403, "perm": "reports.view_fidelity"},
    "reports:fidelity_export": {"outsider": 403, "perm": "reports.view_fidelity"},
    "reports:fidelity_pdf": {"outsider": 403, "perm": "reports.view_fidelity"},
    "api:get_fidelity": {"anonymous": 401, "outsider": 403, "perm": "reports.view_fidelity", "api": True},
}
API_OPERATIONS: dict[str, tuple[str, str]] = {
    "api:get_fidelity": ("get", "/api/v1/reports/fidelity"),
}
API_BODIES: dict[str, object] = {}
# Routes with an id in their URL that is not a person's record.
NOT_A_PERSONS_RECORD: frozenset[str] = frozenset()
# Routes with an id in their URL that show nothing of a participant's file, and why (test_read_audit.py).
NO_PARTICIPANT_INFORMATION: dict[str, str] = {}
# Roles of the participant's organisation without and with each permission of this part.
LACKING: dict[str, str] = {
    "reports.view_fidelity": "case_manager",
    "reports.assess_fidelity": "team_lead",
}
HAVING: dict[str, str] = {
    "reports.view_fidelity": "team_lead",
    "reports.assess_fidelity": "data_coordinator",
}


def extend_world(w: dict) -> None:
    """The objects this part's URLs need, added to the routes world: none (the world's program of A)."""


def kwargs(name: str, w: dict, tamper: str | None) -> dict | None:
    """URL arguments of this part's routes (None: not this part's); `tamper` swaps one for another's."""
    if name not in ROUTES:
        return None
    return {}
