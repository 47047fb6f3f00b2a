"""What assessments tell the domains above them, which listen without assessments knowing them."""

from django.dispatch import Signal

# An administration was completed and scored, inside the service's transaction; arguments: administration,
# definition (the instrument version's data). Coordinated access keeps a triage's score on the list (A3, A5).
administration_completed = Signal()
