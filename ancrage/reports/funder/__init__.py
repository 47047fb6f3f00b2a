"""The monthly funder reports, kept, and the cost per participant (G5, G6, A7, C9)."""
