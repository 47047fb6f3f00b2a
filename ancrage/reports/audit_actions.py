"""The audit action codes of reporting and how each reads in the trail (registered at start-up)."""

# Codes are stable (stored on every entry); sentences are translated when shown.
ACTIONS: dict = {}

# The kind of information each entry's values carry (G1, G2); None: the entry concerns no participant.
CATEGORIES: dict[str, str | None] = {}
