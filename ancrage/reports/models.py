"""Models of reporting: each part keeps its own in its package and lists them here."""

from ancrage.reports.fidelity.models import FidelityAssessment, FidelityAssessmentVersion
from ancrage.reports.models_funder import FunderReport

__all__ = ["FidelityAssessment", "FidelityAssessmentVersion", "FunderReport"]
