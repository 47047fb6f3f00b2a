"""A program's fidelity assessment for one quarter: the self-assessed items and a snapshot of the computed ones."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ancrage.core import clock


class FidelityAssessment(models.Model):
    """One per program and period: saving again updates it (and keeps the previous version)."""

    program = models.ForeignKey(
        "organisations.Program",
        verbose_name=_("program"),
        on_delete=models.PROTECT,
        related_name="fidelity_assessments",
    )
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    # {item key: {"score": 1-4, "note": "..."}} for the self-assessed items.
    answers = models.JSONField(_("self-assessment"), default=dict)
    # The computed items as they were when saved: [{"key", "value", "numerator", "denominator", "score"}].
    computed = models.JSONField(_("computed items"), default=list)
    domain_scores = models.JSONField(_("domain scores"), default=dict)
    overall = models.DecimalField(_("overall score"), max_digits=3, decimal_places=1, null=True, blank=True)
    revision = models.PositiveIntegerField(_("revision"), default=1)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("saved by"), on_delete=models.PROTECT, related_name="+"
    )
    saved_at = models.DateTimeField(_("saved at"), default=clock.now)

    class Meta:
        verbose_name = _("fidelity assessment")
        verbose_name_plural = _("fidelity assessments")
        ordering = ["program_id", "period_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "period_start", "period_end"], name="one_fidelity_assessment_per_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.program_id} {self.period_start}–{self.period_end}"


class FidelityAssessmentVersion(models.Model):
    """A saved state of an assessment, kept when it is edited (history)."""

    assessment = models.ForeignKey(
        FidelityAssessment, verbose_name=_("assessment"), on_delete=models.CASCADE, related_name="versions"
    )
    revision = models.PositiveIntegerField(_("revision"))
    answers = models.JSONField(_("self-assessment"), default=dict)
    computed = models.JSONField(_("computed items"), default=list)
    domain_scores = models.JSONField(_("domain scores"), default=dict)
    overall = models.DecimalField(_("overall score"), max_digits=3, decimal_places=1, null=True, blank=True)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("saved by"), on_delete=models.PROTECT, related_name="+"
    )
    saved_at = models.DateTimeField(_("saved at"))

    class Meta:
        verbose_name = _("fidelity assessment version")
        verbose_name_plural = _("fidelity assessment versions")
        ordering = ["assessment_id", "revision"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "revision"], name="one_fidelity_version_per_revision"
            )
        ]

    def __str__(self) -> str:
        return f"{self.assessment_id} r{self.revision}"
