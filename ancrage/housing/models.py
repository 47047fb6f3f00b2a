"""Areas of the city, and housing units offered to the programs. Landlords, buildings and tenancies come with the housing module."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from ancrage.core.models import TimeStampedModel


class Area(models.Model):
    """A borough or a neighbourhood, from a list administrators keep (configuration, not free text), so that
    units, people's choices and reports name places the same way. A choice of a borough covers its
    neighbourhoods. Areas are retired (inactive), never deleted: units and choices keep naming them."""

    class Kind(models.TextChoices):
        BOROUGH = "borough", _("Borough")
        NEIGHBOURHOOD = "neighbourhood", _("Neighbourhood")

    name_fr = models.CharField(_("name (French)"), max_length=100)
    name_en = models.CharField(
        _("name (English)"),
        max_length=100,
        blank=True,
        help_text=_("Leave empty when it is the French name."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("borough"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="neighbourhoods",
        limit_choices_to={"kind": "borough"},
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        ordering = ["name_fr", "id"]
        constraints = [
            models.UniqueConstraint(fields=["name_fr"], name="area_unique_name_fr"),
            models.CheckConstraint(
                condition=models.Q(kind="borough", parent__isnull=True) | models.Q(kind="neighbourhood"),
                name="area_borough_has_no_parent",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """The name in the current language (English falls back on the French name)."""
        if (get_language() or "fr").startswith("en") and self.name_en:
            return self.name_en
        return self.name_fr

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.kind == self.Kind.BOROUGH and self.parent_id is not None:
            raise ValidationError({"parent": _("A borough is not inside another area.")})
        if self.kind == self.Kind.NEIGHBOURHOOD and self.parent_id is None:
            raise ValidationError({"parent": _("Choose the borough this neighbourhood is in.")})
        if self.parent is not None and self.parent.kind != self.Kind.BOROUGH:
            raise ValidationError({"parent": _("A neighbourhood is inside a borough.")})


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
        # Kept out of matching for a while (repairs, a landlord's delay), with the reason.
        ON_HOLD = "on_hold", _("On hold")

    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("held by"),
        on_delete=models.PROTECT,
        related_name="units",
    )
    address = models.CharField(_("address"), max_length=300)
    area = models.ForeignKey(
        Area, verbose_name=_("area"), null=True, blank=True, on_delete=models.PROTECT, related_name="units"
    )
    # The neighbourhood as typed before areas existed, kept when it matched no area (nothing typed is lost).
    neighbourhood = models.CharField(_("neighbourhood as typed before"), max_length=100, blank=True)
    kind = models.CharField(_("type of housing"), max_length=30, choices=UnitKind.choices)
    bedrooms = models.PositiveSmallIntegerField(_("bedrooms"), default=1)
    monthly_rent = models.DecimalField(_("monthly rent"), max_digits=8, decimal_places=2)
    features = models.JSONField(_("accessibility and features"), default=list, blank=True)
    # [{"criterion": ..., "rule": "must" | "must_not", ...}]: see ancrage.access.eligibility.
    requirements = models.JSONField(_("requirements"), default=list, blank=True)
    available_from = models.DateField(_("available from"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.AVAILABLE)
    hold_reason = models.CharField(_("why it is on hold"), max_length=300, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("added by"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("housing unit")
        verbose_name_plural = _("housing units")
        ordering = ["address", "id"]

    def __str__(self) -> str:
        return f"{self.address} ({self.place})"

    @property
    def place(self) -> str:
        """Where the unit is, in words: its area, or the neighbourhood typed before areas."""
        return self.area.name if self.area_id is not None and self.area is not None else self.neighbourhood

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
