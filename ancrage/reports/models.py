"""Models of reporting: each part keeps its own in its package and lists them here."""

from ancrage.reports.fidelity.models import FidelityAssessment, FidelityAssessmentVersion

__all__ = ["FidelityAssessment", "FidelityAssessmentVersion"]
