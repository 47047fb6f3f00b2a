"""Writes of housing: units offered to the programs."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ancrage.core import audit
from ancrage.housing.models import AccessibilityFeature, Unit, UnitKind
from ancrage.housing.signals import unit_offered

if TYPE_CHECKING:
    from ancrage.accounts.models import User
    from ancrage.organisations.models import Organisation


@transaction.atomic
def unit_create(
    *,
    actor: User,
    organisation: Organisation,
    address: str,
    neighbourhood: str,
    kind: str,
    bedrooms: int,
    monthly_rent: Decimal,
    features: list[str],
    requirements: list[dict[str, Any]],
    available_from: datetime.date,
    open_for_matching: bool = True,
) -> Unit:
    """Add a unit; by default it is offered for matching at once (one opening, A6)."""
    from ancrage.organisations.requirements import validate_requirements

    errors: dict[str, list[str]] = {}
    address, neighbourhood = (address or "").strip(), (neighbourhood or "").strip()
    if not address:
        errors["address"] = [_("Give the address.")]
    if not neighbourhood:
        errors["neighbourhood"] = [_("Give the neighbourhood.")]
    if kind not in UnitKind.values:
        errors["kind"] = [_("Choose the type of housing.")]
    if bedrooms is None or not 0 <= bedrooms <= 10:
        errors["bedrooms"] = [_("A unit has from 0 (studio) to 10 bedrooms.")]
    if monthly_rent is None or monthly_rent < 0:
        errors["monthly_rent"] = [_("The monthly rent cannot be negative.")]
    unknown = [f for f in features if f not in AccessibilityFeature.values]
    if unknown:
        errors["features"] = [_("Unknown feature: %(values)s.") % {"values": ", ".join(map(str, unknown))}]
    problems = validate_requirements(requirements)
    if problems:
        errors["requirements"] = problems
    if organisation is None or organisation.pk not in set(actor.organisation_ids):
        errors["organisation"] = [_("Choose one of your organisations.")]
    if errors:
        raise ValidationError(errors)
    unit = Unit.objects.create(
        organisation=organisation,
        address=address,
        neighbourhood=neighbourhood,
        kind=kind,
        bedrooms=bedrooms,
        monthly_rent=monthly_rent,
        features=sorted(set(features)),
        requirements=requirements,
        available_from=available_from,
        added_by=actor,
    )
    audit.record(
        actor=actor,
        action="housing.unit.created",
        obj=unit,
        organisation=organisation,
        data={"neighbourhood": neighbourhood, "kind": kind, "open_for_matching": open_for_matching},
    )
    if open_for_matching:
        # Coordinated access listens and opens a place to fill for the unit (A6).
        unit_offered.send(sender=Unit, actor=actor, unit=unit)
    return unit
