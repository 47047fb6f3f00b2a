"""Signals of core: a significant change for a participant (E3), sent by the app where it happens."""

from __future__ import annotations

import datetime

from django.db import models, transaction
from django.dispatch import Signal
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ancrage.core import clock

# Sent once the change is committed, with participant_id, kind (a ChangeKind), happened_on, actor_id, and `at`:
# the moment the change was recorded when code runs `clock.at` one (the demo telling its story), else None.
significant_change = Signal()


class ChangeKind(models.TextChoices):
    HOUSED = "housed", _("Housed")
    MOVED = "moved", pgettext_lazy("partners", "Moved")
    HOSPITALISED = "hospitalised", pgettext_lazy("partners", "Hospitalised")
    INCIDENT = "incident", pgettext_lazy("partners", "Incident")
    EXIT = "exit", _("Exit from a program")
    RISK_PLAN = "risk_plan", _("Risk plan changed")
    LOST_CONTACT = "lost_contact", _("Lost contact")


def announce(
    *, sender: str, participant_id: int, kind: str, happened_on: datetime.date, actor_id=None
) -> None:
    """Send `significant_change` when the current transaction commits (never for a write rolled back)."""
    if kind not in ChangeKind.values:
        raise ValueError(f"Unknown significant change {kind!r}")

    at = clock.now() if clock.is_running_at() else None

    def send() -> None:
        significant_change.send(
            sender=sender,
            participant_id=participant_id,
            kind=kind,
            happened_on=happened_on,
            actor_id=actor_id,
            at=at,
        )

    transaction.on_commit(send)
