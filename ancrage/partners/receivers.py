"""What partners listens to: significant changes (E3), and the police units it adds to those involved."""

from __future__ import annotations

import contextlib
import logging

from django.utils.translation import gettext

from ancrage.core import clock
from ancrage.core.involvement import Involvement
from ancrage.partners.models import PoliceLink

logger = logging.getLogger(__name__)


def on_significant_change(
    sender, *, participant_id: int, kind: str, happened_on, actor_id=None, at=None, **kwargs
) -> None:
    """Sent after the change is committed: the notices are written in their own transaction, and a failure
    here is logged, never turned into an error for the person who recorded the change."""
    from ancrage.partners.services import notices_for_change

    try:
        # A change told at a moment of the story (the demo) is told to partners at that moment, under the
        # consent of that day; otherwise now.
        with clock.at(at) if at is not None else contextlib.nullcontext():
            notices_for_change(
                participant_id=participant_id, kind=kind, happened_on=happened_on, actor_id=actor_id
            )
    except Exception:
        logger.exception("Significant-change notices for participant %s (%s) failed", participant_id, kind)


def police_involvement(participant, on) -> list[Involvement]:
    """The police unit linked to the participant's current risk plan is involved with them."""
    rows = PoliceLink.objects.filter(
        risk_plan__participant=participant, risk_plan__ended_on__isnull=True
    ).values_list("partner_id", flat=True)
    return [Involvement(why=gettext("Police unit linked to the risk plan"), partner_id=pk) for pk in rows]
