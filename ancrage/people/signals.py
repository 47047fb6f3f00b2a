"""What the participant registry tells the domains above it: two files were decided to be (or not be) one person.

Receivers run in the sender's transaction, so a failure there rolls the decision back.
"""

from django.dispatch import Signal

# Sent with `actor` and `participant_ids` (the files the decision was about) after a duplicate decision.
files_linked = Signal()
