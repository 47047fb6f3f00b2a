"""Route table of case management (plans) for ancrage/core/tests/test_routes.py: every URL and API operation
of this part, with the objects its URLs need (see that module for what each field means)."""

from __future__ import annotations

ROUTES: dict[str, dict] = {}
API_OPERATIONS: dict[str, tuple[str, str]] = {}
API_BODIES: dict = {}


def extend_world(w: dict) -> None:
    """Add to the world the objects this part's URLs point at (a record of participant_b for tampering)."""


def kwargs(name: str, w: dict, tamper: str | None) -> dict | None:
    """URL arguments for one of this part's routes, or None to let the generic rules decide."""
    return None
