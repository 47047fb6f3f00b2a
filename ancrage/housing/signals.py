"""What housing tells the domains above it, which listen without housing knowing them."""

from dataclasses import dataclass

from django.dispatch import Signal

# A unit was added or offered for matching, inside the service's transaction; arguments: actor, unit, and
# propose (True: propose people at once). Coordinated access opens a place to fill for it (A6) and answers
# with an OfferOutcome.
unit_offered = Signal()

# A unit was put on hold, inside the service's transaction; arguments: actor, unit, reason. Coordinated
# access cancels the opening left open for it, with the same reason.
unit_held = Signal()

# A landlord's complaint or notice (or the team) raised a tenancy's risk, inside the service's transaction;
# arguments: actor, tenancy, risk ("watch" or "high"), reason, since (the day it became known). Case
# management records the tenancy at risk on the participant's active enrollments: visits go up (B2, C8).
tenancy_at_risk = Signal()


@dataclass(frozen=True)
class OfferOutcome:
    """What a listener did with an offered unit, in a sentence in the user's language, and where to see it."""

    message: str
    url: str = ""
    proposed: int = 0
