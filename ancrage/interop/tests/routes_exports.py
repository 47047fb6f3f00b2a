"""Route table of exports for ancrage/core/tests/test_routes.py: every URL and API operation of this part,
with the objects its URLs need (see that module for what each field means)."""

from __future__ import annotations

ROUTES: dict[str, dict] = {
    # The export page (the form; with its answers, the zip). No record in its URL: 403 without the permission.
    "interop:export": {"outsider": 403, "perm": "interop.export_hmis"},
    "api:hmis_export": {"anonymous": 401, "outsider": 403, "perm": "interop.export_hmis", "api": True},
}
API_OPERATIONS: dict[str, tuple[str, str]] = {"api:hmis_export": ("get", "/api/v1/hmis/export")}
API_BODIES: dict[str, object] = {}
# Routes with an id in their URL that is not a person's record.
NOT_A_PERSONS_RECORD: frozenset[str] = frozenset()
# Routes with an id in their URL that show nothing of a participant's file, and why (test_read_audit.py).
NO_PARTICIPANT_INFORMATION: dict[str, str] = {}
# Roles of the participant's organisation without and with each permission of this part.
LACKING: dict[str, str] = {"interop.export_hmis": "case_manager"}
HAVING: dict[str, str] = {"interop.export_hmis": "data_coordinator"}


def extend_world(w: dict) -> None:
    """The objects this part's URLs need, added to the routes world."""


def kwargs(name: str, w: dict, tamper: str | None) -> dict | None:
    """URL arguments of this part's routes (None: not this part's); `tamper` swaps one for another's."""
    if name not in ROUTES:
        return None
    return {}
