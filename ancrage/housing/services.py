"""Writes of housing: units offered to the programs, edited, held out of matching and released."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ancrage.core import audit
from ancrage.housing.models import AccessibilityFeature, Area, Unit, UnitKind, Utility
from ancrage.housing.signals import OfferOutcome, unit_held, unit_offered

if TYPE_CHECKING:
    from ancrage.accounts.models import User
    from ancrage.organisations.models import Organisation

# What a housing specialist may change on a unit (its status moves through holds, offers and matches).
EDITABLE = (
    "address",
    "area",
    "kind",
    "bedrooms",
    "monthly_rent",
    "features",
    "requirements",
    "available_from",
    # The book's details (C2): kept apart from the status, which moves through holds, offers and matches.
    "building",
    "unit_number",
    "utilities",
    "smoking_allowed",
    "condition",
    "available_until",
)
BOOK_DEFAULTS: dict[str, Any] = {
    "building": None,
    "unit_number": "",
    "utilities": [],
    "smoking_allowed": False,
    "condition": "good",
    "available_until": None,
}


def _place(area: Area | None, neighbourhood: str, errors: dict[str, list[str]]) -> tuple[Area | None, str]:
    """The unit's area: the one chosen, or the one a typed neighbourhood names (callers written before areas)."""
    from ancrage.housing.areas import area_for_text

    neighbourhood = (neighbourhood or "").strip()
    if area is not None:
        if not area.is_active:
            errors["area"] = [_("This area is retired: choose another one.")]
        return area, ""
    if not neighbourhood:
        errors["area"] = [_("Choose the area.")]
        return None, ""
    found = area_for_text(neighbourhood)
    if found is None:
        errors["area"] = [
            _("“%(text)s” names no area of the list: choose the area.") % {"text": neighbourhood[:100]}
        ]
    return found, ""


def _check_fields(
    errors: dict[str, list[str]],
    *,
    address: str,
    kind: str,
    bedrooms: int | None,
    monthly_rent: Decimal | None,
    features: list[str],
    requirements: list[dict[str, Any]],
) -> None:
    from ancrage.organisations.requirements import validate_requirements

    if not address:
        errors["address"] = [_("Give the address.")]
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


def _check_book(
    errors: dict[str, list[str]], actor: User, values: dict[str, Any], organisation_id: int
) -> None:
    """The book's details of a unit: its building (one of the team's landlords), what the rent includes, its
    condition, and the last day it is available (after the first)."""
    building = values.get("building")
    if building is not None and building.landlord.organisation_id not in set(actor.organisation_ids) | {
        organisation_id
    }:
        errors["building"] = [_("Choose a building of your landlords' book.")]
    number = str(values.get("unit_number") or "")
    if len(number) > 20 or "\x00" in number:
        errors["unit_number"] = [_("An apartment number has at most 20 characters.")]
    utilities = values.get("utilities") or []
    if not isinstance(utilities, list) or any(u not in Utility.values for u in utilities):
        errors["utilities"] = [_("Choose what the rent includes from the list.")]
    if values.get("condition", "good") not in Unit.Condition.values:
        errors["condition"] = [_("Choose the condition.")]
    until, start = values.get("available_until"), values.get("available_from")
    if until is not None and start is not None and until < start:
        errors["available_until"] = [_("The last day available is before the first.")]


@transaction.atomic
def unit_create(
    *,
    actor: User,
    organisation: Organisation,
    address: str,
    kind: str,
    bedrooms: int,
    monthly_rent: Decimal,
    features: list[str],
    requirements: list[dict[str, Any]],
    available_from: datetime.date,
    area: Area | None = None,
    neighbourhood: str = "",
    open_for_matching: bool = True,
    **book: Any,
) -> Unit:
    """Add a unit in an area of the list; by default it is offered for matching at once (one opening, A6).

    A `neighbourhood` typed as text is accepted when it names one area of the list."""
    errors: dict[str, list[str]] = {}
    address = (address or "").strip()
    area, neighbourhood = _place(area, neighbourhood, errors)
    _check_fields(
        errors,
        address=address,
        kind=kind,
        bedrooms=bedrooms,
        monthly_rent=monthly_rent,
        features=features,
        requirements=requirements,
    )
    if organisation is None or organisation.pk not in set(actor.organisation_ids):
        errors["organisation"] = [_("Choose one of your organisations.")]
    unknown = set(book) - set(BOOK_DEFAULTS)
    if unknown:
        raise TypeError(f"Unknown fields {sorted(unknown)}")
    book = BOOK_DEFAULTS | book
    _check_book(
        errors, actor, book | {"available_from": available_from}, organisation.pk if organisation else 0
    )
    if errors:
        raise ValidationError(errors)
    book["utilities"] = sorted(set(book["utilities"] or []))
    book["unit_number"] = str(book["unit_number"] or "").strip()
    unit = Unit.objects.create(
        **book,
        organisation=organisation,
        address=address,
        area=area,
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
        data={"area": unit.area_id, "kind": kind, "open_for_matching": open_for_matching},
    )
    if open_for_matching:
        # Coordinated access listens and opens a place to fill for the unit (A6).
        unit_offered.send(sender=Unit, actor=actor, unit=unit)
    return unit


def _for_actor(actor: User, unit: Unit) -> Unit:
    """The unit locked for a change; a unit held by another organisation is refused as if unknown."""
    locked = (
        Unit.objects.select_for_update().filter(pk=unit.pk, organisation__in=actor.organisation_ids).first()
    )
    if locked is None:
        raise ValidationError(_("Only the organisation that holds this unit can change it."))
    return locked


@transaction.atomic
def unit_update(*, actor: User, unit: Unit, **values: Any) -> Unit:
    """Correct what is known of a unit (its area, rent, features, requirements…); each change is audited."""
    unknown = set(values) - set(EDITABLE)
    if unknown:
        raise TypeError(f"Unknown fields {sorted(unknown)}")
    unit = _for_actor(actor, unit)
    merged = {name: getattr(unit, name) for name in EDITABLE}
    merged.update(values)
    errors: dict[str, list[str]] = {}
    merged["address"] = (merged["address"] or "").strip()
    if "area" in values:
        merged["area"], _text = _place(values["area"], "", errors)
    _check_fields(
        errors,
        address=merged["address"],
        kind=merged["kind"],
        bedrooms=merged["bedrooms"],
        monthly_rent=merged["monthly_rent"],
        features=list(merged["features"] or []),
        requirements=list(merged["requirements"] or []),
    )
    book = {k: merged[k] for k in BOOK_DEFAULTS} | {"available_from": merged["available_from"]}
    if book["building"] is not None and book["building"].pk == unit.building_id:
        book["building"] = None  # the building kept is not checked again
    _check_book(errors, actor, book, unit.organisation_id)
    if errors:
        raise ValidationError(errors)
    merged["features"] = sorted(set(merged["features"] or []))
    merged["utilities"] = sorted(set(merged["utilities"] or []))
    merged["unit_number"] = str(merged["unit_number"] or "").strip()
    merged["monthly_rent"] = Decimal(merged["monthly_rent"]).quantize(Decimal("0.01"))
    fields = [name for name in EDITABLE if name in values]
    if "area" in values and unit.neighbourhood:
        # The area now says where the unit is: the text typed before areas is no longer needed.
        fields.append("neighbourhood")
    # Requirements are a list of mappings: compared as they are (the snapshot sorts plain lists).
    plain = [name for name in fields if name != "requirements"]
    # The building is snapshotted by its id (audit.snapshot reads the column).
    before = audit.snapshot(unit, plain)
    old_requirements = list(unit.requirements or [])
    for name in fields:
        setattr(unit, name, merged[name] if name != "neighbourhood" else "")
    changes = audit.changes(before, audit.snapshot(unit, plain))
    if "requirements" in fields and list(unit.requirements or []) != old_requirements:
        changes["requirements"] = [old_requirements, list(unit.requirements or [])]
    if not changes:
        return unit
    unit.save(update_fields=[*fields, "updated_at"])
    audit.record(
        actor=actor,
        action="housing.unit.updated",
        obj=unit,
        organisation=unit.organisation,
        data={"changes": changes},
    )
    return unit


@transaction.atomic
def unit_hold(*, actor: User, unit: Unit, reason: str) -> Unit:
    """Keep an available unit out of matching for a while, with the reason; an opening left open for it is
    cancelled (coordinated access listens). A unit reserved for a match is held only once the match ends."""
    unit = _for_actor(actor, unit)
    reason = (reason or "").strip()
    errors: dict[str, list[str]] = {}
    if unit.status == Unit.Status.ON_HOLD:
        errors["status"] = [_("This unit is already on hold.")]
    elif unit.status != Unit.Status.AVAILABLE:
        errors["status"] = [
            _("Only an available unit can be put on hold; this one is “%(status)s”.")
            % {"status": unit.get_status_display()}
        ]
    if not reason:
        errors["reason"] = [_("Say why the unit is on hold.")]
    elif len(reason) > 300:
        errors["reason"] = [_("Keep the reason under 300 characters.")]
    if errors:
        raise ValidationError(errors)
    unit.status = Unit.Status.ON_HOLD
    unit.hold_reason = reason
    unit.save(update_fields=["status", "hold_reason", "updated_at"])
    audit.record(
        actor=actor,
        action="housing.unit.held",
        obj=unit,
        organisation=unit.organisation,
        data={"changes": {"status": [Unit.Status.AVAILABLE, Unit.Status.ON_HOLD]}, "reason": reason},
    )
    unit_held.send(sender=Unit, actor=actor, unit=unit, reason=reason)
    return unit


@transaction.atomic
def unit_release(*, actor: User, unit: Unit) -> Unit:
    """A held unit is available again (it is offered for matching when someone opens it)."""
    unit = _for_actor(actor, unit)
    if unit.status != Unit.Status.ON_HOLD:
        raise ValidationError({"status": [_("This unit is not on hold.")]})
    reason = unit.hold_reason
    unit.status = Unit.Status.AVAILABLE
    unit.hold_reason = ""
    unit.save(update_fields=["status", "hold_reason", "updated_at"])
    audit.record(
        actor=actor,
        action="housing.unit.released",
        obj=unit,
        organisation=unit.organisation,
        data={"changes": {"status": [Unit.Status.ON_HOLD, Unit.Status.AVAILABLE]}, "hold_reason": reason},
    )
    return unit


@transaction.atomic
def unit_offer(*, actor: User, unit: Unit) -> list[OfferOutcome]:
    """Offer an available unit for matching now: coordinated access opens it and proposes people at once,
    and says what it did (who is proposed, or why nobody is)."""
    unit = _for_actor(actor, unit)
    if unit.status != Unit.Status.AVAILABLE:
        raise ValidationError(
            _("Only an available unit can be offered; this one is “%(status)s”.")
            % {"status": unit.get_status_display()}
        )
    responses = unit_offered.send(sender=Unit, actor=actor, unit=unit, propose=True)
    answers: list[Any] = [answer for _receiver, answer in responses]
    return [answer for answer in answers if isinstance(answer, OfferOutcome)]
