"""Who is involved with a participant: a registry of "involvement sources" the apps above contribute.

A significant change for a participant is told to the partners involved with them (E3): those with an open
referral (casework), the case-conference tables that discussed them (conferences), the police unit linked to
their risk plan (partners). Core never imports those apps: each registers a source at start-up, and the
partners app asks them all.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Involvement:
    """One reason someone outside the home team is involved: an organisation using Ancrage, a directory
    service (casework's provider), or a registered partner; `why` is a short sentence for the sender."""

    why: str
    organisation_id: int | None = None
    service_provider_id: int | None = None
    partner_id: int | None = None


Source = Callable[..., list[Involvement]]

_SOURCES: list[Source] = []


def register(source: Source) -> None:
    """Add `source(participant, on) -> list[Involvement]`; registering the same function again is a no-op."""
    if source not in _SOURCES:
        _SOURCES.append(source)


def unregister(source: Source) -> None:
    if source in _SOURCES:
        _SOURCES.remove(source)


def involved(participant, on: datetime.date) -> list[Involvement]:
    """Everyone every source says is involved with `participant` on `on`."""
    found: list[Involvement] = []
    for source in _SOURCES:
        found.extend(source(participant, on))
    return found
