"""Assessment instruments, their versions (definition files), and each time one is administered."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ancrage.assessments.definition import Definition, definition_category
from ancrage.core import clock
from ancrage.core.models import BilingualNameMixin, TimeStampedModel


class Instrument(BilingualNameMixin, TimeStampedModel):
    key = models.SlugField(_("key"), max_length=80, unique=True)

    class Meta:
        verbose_name = _("instrument")
        verbose_name_plural = _("instruments")
        ordering = ["key"]


class InstrumentVersion(models.Model):
    """One definition file. Once an administration uses it, it never changes (the engine's services see to it)."""

    instrument = models.ForeignKey(
        Instrument, verbose_name=_("instrument"), on_delete=models.PROTECT, related_name="versions"
    )
    version = models.CharField(_("version"), max_length=40)
    definition_text = models.TextField(_("definition file"))
    definition = models.JSONField(_("parsed definition"))
    checksum = models.CharField(_("checksum"), max_length=64, db_index=True)
    created_at = models.DateTimeField(_("created"), default=clock.now, editable=False)
    first_used_at = models.DateTimeField(_("first used"), null=True, blank=True)

    class Meta:
        verbose_name = _("instrument version")
        verbose_name_plural = _("instrument versions")
        ordering = ["instrument", "-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["instrument", "version"], name="assessments_version_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.instrument.key} {self.version}"

    @property
    def parsed(self) -> Definition:
        return Definition(self.definition)

    @property
    def category(self) -> str:
        """The kind of information its answers are (a Category value): health unless the file says otherwise."""
        return definition_category(self.definition)

    @property
    def is_used(self) -> bool:
        return self.first_used_at is not None


class Administration(TimeStampedModel):
    """One sitting of an instrument with a participant; answers are kept as {question key: value}."""

    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", _("In progress")
        COMPLETED = "completed", _("Completed")
        DECLINED = "declined", _("Declined")
        POSTPONED = "postponed", _("Postponed")

    participant = models.ForeignKey(
        "people.Participant",
        verbose_name=_("participant"),
        on_delete=models.PROTECT,
        related_name="administrations",
    )
    version = models.ForeignKey(
        InstrumentVersion,
        verbose_name=_("instrument version"),
        on_delete=models.PROTECT,
        related_name="administrations",
    )
    administered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("administered by"),
        on_delete=models.PROTECT,
        related_name="administrations",
    )
    started_at = models.DateTimeField(_("started"), default=clock.now)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.IN_PROGRESS)
    status_reason = models.TextField(_("reason"), blank=True)
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    score = models.JSONField(_("score"), default=dict, blank=True)

    class Meta:
        verbose_name = _("administration")
        verbose_name_plural = _("administrations")
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["participant", "-started_at"], name="assessments_participant_idx")]

    def __str__(self) -> str:
        return f"{self.version} — {self.participant_id} ({self.status})"

    @property
    def is_open(self) -> bool:
        return self.status in {self.Status.IN_PROGRESS, self.Status.POSTPONED}
