"""What move-in support adds to shared pages: the day's deliveries on the housing team's home page, and what
a participant received from the furniture bank on their file (under the housing category of consent)."""

from __future__ import annotations

from typing import Any

from ancrage.core import clock
from ancrage.core.audit import record_reads
from ancrage.core.permissions import Category
from ancrage.housing import selectors_support as sel
from ancrage.housing.models import FurnitureDelivery


def home(*, user) -> dict[str, Any]:
    if not user.has_ancrage_perm("housing.manage_furniture"):
        return {}
    deliveries = list(
        sel.deliveries_for(user)
        .filter(scheduled_for=clock.today(), status=FurnitureDelivery.Status.BOOKED)
        .order_by("window_start", "id")[:20]
    )
    record_reads(actor=user, reads=[(d.participant_id, "housing.furniture.viewed") for d in deliveries])
    return {"furniture_deliveries_today": deliveries}


def participant_detail(*, user, access) -> dict[str, Any]:
    """The furniture reserved for and delivered to the person, when the reader may read their housing."""
    if not access.can(Category.HOUSING):
        return {"furniture_received": None}
    return {
        "furniture_received": sel.received_by(access.participant),
        "furniture_can_reserve": user.has_ancrage_perm("housing.manage_furniture"),
    }
