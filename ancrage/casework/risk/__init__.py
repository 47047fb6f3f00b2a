"""Risk: risk assessments and plans, incidents and on-call (B8, B9, B10)."""
