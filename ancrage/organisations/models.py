"""Consortia, the organisations in them, their programs and their teams."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from ancrage.core.models import BilingualNameMixin, TimeStampedModel


class Consortium(TimeStampedModel):
    name = models.CharField(_("name"), max_length=200, unique=True)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("consortium")
        verbose_name_plural = _("consortia")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Organisation(TimeStampedModel):
    class Kind(models.TextChoices):
        MISSION = "mission", _("Community organisation (home organisation)")
        SHARED_SERVICE = "shared_service", _("Shared consortium service")
        COORDINATED_ACCESS = "coordinated_access", _("Coordinated access")
        PARTNER = "partner", _("Partner agency")

    consortium = models.ForeignKey(
        Consortium, verbose_name=_("consortium"), on_delete=models.PROTECT, related_name="organisations"
    )
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=40)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices, default=Kind.MISSION)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    complaint_procedure_url = models.URLField(_("complaint and appeal procedure (link)"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["consortium", "short_name"], name="org_unique_short_name"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def can_hold_participants(self) -> bool:
        """Community organisations are a participant's organisme d'attache; so is the coordinated-access hub,
        which holds the file of a person it takes in until an organisation takes the person on (A1)."""
        return self.kind in HOLDING_KINDS


# The kinds of organisation a participant's file may belong to.
HOLDING_KINDS = (Organisation.Kind.MISSION, Organisation.Kind.COORDINATED_ACCESS)


class Program(BilingualNameMixin, TimeStampedModel):
    class Kind(models.TextChoices):
        ICM = "icm", _("Intensive case management (ICM)")
        ACT = "act", _("Assertive community treatment (ACT)")
        COORDINATED_ACCESS = "coordinated_access", _("Coordinated access")
        HOUSING_TEAM = "housing_team", _("Housing team")
        RENT_PAYMENT = "rent_payment", _("Rent payment service")

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="programs"
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    is_active = models.BooleanField(_("active"), default=True)
    # Eligibility as data (A2): [{"criterion": ..., "rule": "must" | "must_not", ...}], read and checked by
    # ancrage.access.eligibility, which says for any person which requirement passes or fails.
    eligibility = models.JSONField(_("eligibility requirements"), default=list, blank=True)
    # Participants per case manager (B1); empty means the setting for the program's kind (15 ICM, 10 ACT).
    caseload_ratio = models.PositiveSmallIntegerField(_("caseload ratio"), null=True, blank=True)

    HOUSING_FIRST_KINDS = ("icm", "act")

    class Meta:
        verbose_name = _("program")
        verbose_name_plural = _("programs")
        ordering = ["organisation__name", "name"]

    @property
    def effective_caseload_ratio(self) -> int:
        from django.conf import settings

        if self.caseload_ratio:
            return self.caseload_ratio
        key = "CASELOAD_RATIO_ACT" if self.kind == self.Kind.ACT else "CASELOAD_RATIO_ICM"
        return settings.ANCRAGE[key]

    def clean(self) -> None:
        """Requirements typed in the administration are checked like any other input."""
        from django.core.exceptions import ValidationError

        from ancrage.organisations.requirements import validate_requirements

        problems = validate_requirements(self.eligibility)
        if problems:
            raise ValidationError({"eligibility": problems})


class Team(BilingualNameMixin, TimeStampedModel):
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="teams"
    )
    program = models.ForeignKey(
        Program,
        verbose_name=_("program"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="teams",
    )

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["organisation__name", "name"]
