"""What a partner organisation sees of a participant's case management, within the consent (D7, E3)."""
