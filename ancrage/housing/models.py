"""Housing units offered to the programs. Landlords, buildings and tenancies come with the housing module."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ancrage.core.models import TimeStampedModel


class UnitKind(models.TextChoices):
    SCATTERED_SITE = "scattered_site", _("Scattered-site apartment")
    CONGREGATE = "congregate", _("Congregate housing")
    ROOMING_HOUSE = "rooming_house", _("Room in a rooming house")
    SOCIAL_HOUSING = "social_housing", _("Social or community housing")


class AccessibilityFeature(models.TextChoices):
    """What a unit offers and what a person needs (A2: needs are checked against features)."""

    STEP_FREE = "step_free", _("Step-free entrance")
    ELEVATOR = "elevator", _("Elevator")
    GROUND_FLOOR = "ground_floor", _("Ground floor")
    WHEELCHAIR = "wheelchair", _("Wheelchair accessible")
    GRAB_BARS = "grab_bars", _("Grab bars in the bathroom")
    VISUAL_ALARM = "visual_alarm", _("Visual fire alarm")
    PETS_ALLOWED = "pets_allowed", _("Pets allowed")


class Unit(TimeStampedModel):
    """A dwelling the housing team can offer. Its requirements are data (ancrage.organisations.requirements), checked by ancrage.access.eligibility."""

    class Status(models.TextChoices):
        AVAILABLE = "available", _("Available")
        RESERVED = "reserved", _("Reserved for a match")
        OCCUPIED = "occupied", _("Occupied")
        OFF_MARKET = "off_market", _("Off the market")

    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("held by"),
        on_delete=models.PROTECT,
        related_name="units",
    )
    address = models.CharField(_("address"), max_length=300)
    neighbourhood = models.CharField(_("neighbourhood"), max_length=100)
    kind = models.CharField(_("type of housing"), max_length=30, choices=UnitKind.choices)
    bedrooms = models.PositiveSmallIntegerField(_("bedrooms"), default=1)
    monthly_rent = models.DecimalField(_("monthly rent"), max_digits=8, decimal_places=2)
    features = models.JSONField(_("accessibility and features"), default=list, blank=True)
    # [{"criterion": ..., "rule": "must" | "must_not", ...}]: see ancrage.access.eligibility.
    requirements = models.JSONField(_("requirements"), default=list, blank=True)
    available_from = models.DateField(_("available from"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.AVAILABLE)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("added by"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("housing unit")
        verbose_name_plural = _("housing units")
        ordering = ["neighbourhood", "address", "id"]

    def __str__(self) -> str:
        return f"{self.address} ({self.neighbourhood})"

    def clean(self) -> None:
        """Requirements and features typed in the administration are checked like any other input."""
        from django.core.exceptions import ValidationError

        from ancrage.organisations.requirements import validate_requirements

        errors = {}
        problems = validate_requirements(self.requirements)
        if problems:
            errors["requirements"] = problems
        if not isinstance(self.features, list) or any(
            f not in AccessibilityFeature.values for f in self.features
        ):
            errors["features"] = [
                _("Features are a list of: %(known)s.") % {"known": ", ".join(AccessibilityFeature.values)}
            ]
        if errors:
            raise ValidationError(errors)
