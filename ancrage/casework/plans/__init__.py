"""Recovery plans: goals, steps, reviews and the plan's PDF (B4, B5)."""
