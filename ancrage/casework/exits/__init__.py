"""Exits, assessment schedules and progress (F1..F4)."""
