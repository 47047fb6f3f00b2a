"""Parts of shared pages that the apps above contribute, registered at start-up.

The home page lives in core and the participant's file in people, yet each shows something of the
domains above them (the caseload, stalled matches, the by-name list): each domain registers a function
that adds its part to the page's context, so the lower layer never imports the higher one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

# page -> the functions that add to its context, in the order of INSTALLED_APPS (the order of ready()).
_CONTRIBUTORS: dict[str, list[Callable[..., dict[str, Any]]]] = {}

HOME = "home"
PARTICIPANT_DETAIL = "participant_detail"
# A risk plan shown in casework: what other apps add about it (the police unit linked to it).
RISK_PLAN = "risk_plan"


def register(page: str, contribute: Callable[..., dict[str, Any]]) -> None:
    """Add `contribute(**page_arguments) -> dict` to a page; registering the same function again is a no-op."""
    contributors = _CONTRIBUTORS.setdefault(page, [])
    if contribute not in contributors:
        contributors.append(contribute)


def context(page: str, **arguments: Any) -> dict[str, Any]:
    """What every app adds to the page, for these arguments (the user, the file being read…)."""
    result: dict[str, Any] = {}
    for contribute in _CONTRIBUTORS.get(page, []):
        result.update(contribute(**arguments))
    return result
