"""What housing tells the domains above it, which listen without housing knowing them."""

from django.dispatch import Signal

# A unit was added and offered for matching, inside the service's transaction; arguments: actor, unit.
# Coordinated access opens a place to fill for it (A6).
unit_offered = Signal()
