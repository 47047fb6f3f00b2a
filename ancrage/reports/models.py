"""Models of reporting (each part keeps its own module)."""

from ancrage.reports.models_funder import FunderReport

__all__ = ["FunderReport"]
