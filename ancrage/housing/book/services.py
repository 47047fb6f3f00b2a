"""Writes of the landlords' book (C1): landlords, their representatives and buildings, the log of every
contact, complaints and notices followed to their resolution, and the risk they put a tenancy at."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from ancrage.core import audit, clock
from ancrage.housing.models import (
    Area,
    Building,
    Complaint,
    Landlord,
    LandlordContact,
    LandlordRepresentative,
    Tenancy,
    Unit,
)
from ancrage.housing.signals import tenancy_at_risk

if TYPE_CHECKING:
    from ancrage.accounts.models import User
    from ancrage.core.models import AuditEntry
    from ancrage.organisations.models import Organisation

# What the team may change on a landlord, a representative and a building.
LANDLORD_FIELDS = (
    "name",
    "kind",
    "phone",
    "email",
    "address",
    "preferred_channel",
    "language",
    "program_contact",
    "checkin_every_days",
    "notes",
)
REPRESENTATIVE_FIELDS = ("name", "role", "phone", "email", "is_active")
BUILDING_FIELDS = ("name", "address", "area", "notes", "is_active")
LIMITS = {"name": 200, "phone": 40, "address": 300, "email": 254}
# A complaint raises a tenancy's risk this high; a notice or an application to the TAL puts it at risk.
RISK_OF = {
    Complaint.Kind.COMPLAINT: Tenancy.Risk.WATCH,
    Complaint.Kind.NOTICE: Tenancy.Risk.HIGH,
    Complaint.Kind.TAL: Tenancy.Risk.HIGH,
}
_RISK_ORDER = [Tenancy.Risk.NONE, Tenancy.Risk.WATCH, Tenancy.Risk.HIGH]


def checkin_days(landlord: Landlord) -> int:
    """Days between friendly check-ins for this landlord: its own cadence, else the setting."""
    return landlord.checkin_every_days or settings.ANCRAGE["LANDLORD_CHECKIN_DAYS"]


def _text(values: dict[str, Any], name: str, errors: dict[str, list[str]], *, required: bool = False) -> str:
    value = str(values.get(name) or "").strip()
    if "\x00" in value:
        errors[name] = [_("Null characters are not allowed.")]
        return ""
    limit = LIMITS.get(name, settings.ANCRAGE["NOTE_MAX_LENGTH"])
    if len(value) > limit:
        errors[name] = [_("Keep it under %(limit)s characters.") % {"limit": limit}]
    elif required and not value:
        errors[name] = [_("This field is required.")]
    return value


def _email(value: str, errors: dict[str, list[str]]) -> None:
    if value and "email" not in errors:
        try:
            validate_email(value)
        except ValidationError:
            errors["email"] = [_("Enter a valid email address.")]


def _bounded_day(day: Any, name: str, errors: dict[str, list[str]], *, back_days: int | None = None) -> None:
    """A day of the past, not older than `back_days` (a year by default): other dates are typing errors."""
    today = clock.today()
    back = back_days if back_days is not None else settings.ANCRAGE["CONTACT_BACKDATE_DAYS"]
    if not isinstance(day, datetime.date):
        errors[name] = [_("Give the date.")]
    elif day > today:
        errors[name] = [_("The date cannot be in the future.")]
    elif day < today - datetime.timedelta(days=back):
        errors[name] = [_("The date cannot be more than %(days)s days ago.") % {"days": back}]


def _moment(value: Any, name: str, errors: dict[str, list[str]], *, after: datetime.datetime | None = None):
    if not isinstance(value, datetime.datetime):
        errors[name] = [_("Give the date and time.")]
        return
    _bounded_day(clock.localdate(value), name, errors)
    if name not in errors and after is not None and value < after:
        errors[name] = [_("This moment is before the complaint was received.")]


def _mine(actor: User, organisation_id: int) -> None:
    if organisation_id not in set(actor.organisation_ids):
        raise ValidationError(_("Only the housing team that keeps this landlord can change it."))


def _check_landlord(values: dict[str, Any], organisation_id: int, errors: dict[str, list[str]]) -> dict:
    clean = dict(values)
    clean["name"] = _text(values, "name", errors, required=True)
    for name in ("phone", "address", "notes"):
        clean[name] = _text(values, name, errors)
    clean["email"] = _text(values, "email", errors)
    _email(clean["email"], errors)
    if values.get("kind") not in Landlord.Kind.values:
        errors["kind"] = [_("Choose the kind of landlord.")]
    if values.get("preferred_channel", Landlord.Channel.PHONE) not in Landlord.Channel.values:
        errors["preferred_channel"] = [_("Choose a channel of the list.")]
    if values.get("language", "fr") not in {"fr", "en"}:
        errors["language"] = [_("Choose French or English.")]
    days = values.get("checkin_every_days")
    if days is not None and (not isinstance(days, int) or not 7 <= days <= 365):
        errors["checkin_every_days"] = [_("A check-in comes every 7 to 365 days, or leave it empty.")]
    contact = values.get("program_contact")
    if contact is not None and (
        not contact.is_active
        or organisation_id not in set(contact.organisation_ids)
        or not contact.has_ancrage_perm("housing.manage_landlords")
    ):
        errors["program_contact"] = [
            _("The program contact is a member of the housing team that keeps the book.")
        ]
    return clean


def _save_changes(
    *, actor: User, obj, values: dict[str, Any], clean: dict[str, Any], action: str, organisation
):
    """Set the fields named in `values` to their checked value; save and audit only what really changed."""
    fields = list(values)
    before = audit.snapshot(obj, fields)
    for name in fields:
        setattr(obj, name, clean[name])
    changes = audit.changes(before, audit.snapshot(obj, fields))
    if changes:
        obj.save(update_fields=[*fields, "updated_at"])
        audit.record(
            actor=actor, action=action, obj=obj, organisation=organisation, data={"changes": changes}
        )


@transaction.atomic
def landlord_create(*, actor: User, organisation: Organisation, **values: Any) -> Landlord:
    """Add a landlord to the book of one of the actor's housing teams."""
    unknown = set(values) - set(LANDLORD_FIELDS)
    if unknown:
        raise TypeError(f"Unknown fields {sorted(unknown)}")
    errors: dict[str, list[str]] = {}
    if organisation is None or organisation.pk not in set(actor.organisation_ids):
        errors["organisation"] = [_("Choose one of your organisations.")]
    clean = _check_landlord(values, organisation.pk if organisation else 0, errors)
    if errors:
        raise ValidationError(errors)
    landlord = Landlord.objects.create(organisation=organisation, **clean)
    audit.record(
        actor=actor,
        action="housing.landlord.created",
        obj=landlord,
        organisation=organisation,
        data={"name": landlord.name, "kind": landlord.kind},
    )
    return landlord


def _locked_landlord(actor: User, landlord: Landlord) -> Landlord:
    locked = Landlord.objects.select_for_update().filter(pk=landlord.pk).first()
    if locked is None:
        raise ValidationError(_("This landlord no longer exists."))
    _mine(actor, locked.organisation_id)
    return locked


@transaction.atomic
def landlord_update(*, actor: User, landlord: Landlord, **values: Any) -> Landlord:
    """Correct what the book says of a landlord; each change is audited."""
    unknown = set(values) - set(LANDLORD_FIELDS)
    if unknown:
        raise TypeError(f"Unknown fields {sorted(unknown)}")
    landlord = _locked_landlord(actor, landlord)
    merged = {name: getattr(landlord, name) for name in LANDLORD_FIELDS}
    merged.update(values)
    errors: dict[str, list[str]] = {}
    if "program_contact" not in values:
        merged["program_contact"] = None  # the contact kept is not checked again
    clean = _check_landlord(merged, landlord.organisation_id, errors)
    if errors:
        raise ValidationError(errors)
    _save_changes(
        actor=actor,
        obj=landlord,
        values=values,
        clean=clean,
        action="housing.landlord.updated",
        organisation=landlord.organisation,
    )
    return landlord


@transaction.atomic
def landlord_retire(*, actor: User, landlord: Landlord, reason: str) -> Landlord:
    """Take a landlord out of the book (kept, inactive: its tenancies and history still name it)."""
    landlord = _locked_landlord(actor, landlord)
    errors: dict[str, list[str]] = {}
    reason = _text({"reason": reason}, "reason", errors, required=True)
    if not landlord.is_active:
        errors["__all__"] = [_("This landlord is already retired.")]
    elif Tenancy.objects.filter(landlord=landlord, ended_on__isnull=True).exists():
        errors["__all__"] = [
            _("A tenancy with this landlord is going on: end it before retiring the landlord.")
        ]
    if errors:
        raise ValidationError(errors)
    landlord.is_active = False
    landlord.save(update_fields=["is_active", "updated_at"])
    audit.record(
        actor=actor,
        action="housing.landlord.retired",
        obj=landlord,
        organisation=landlord.organisation,
        data={"changes": {"is_active": [True, False]}, "reason": reason},
    )
    return landlord


def _check_representative(values: dict[str, Any], errors: dict[str, list[str]]) -> dict:
    clean = dict(values)
    clean["name"] = _text(values, "name", errors, required=True)
    clean["phone"] = _text(values, "phone", errors)
    clean["email"] = _text(values, "email", errors)
    _email(clean["email"], errors)
    if values.get("role") not in LandlordRepresentative.Role.values:
        errors["role"] = [_("Choose the role.")]
    if not clean["phone"] and not clean["email"] and "phone" not in errors and "email" not in errors:
        errors["phone"] = [_("Give a phone number or an email address.")]
    return clean


@transaction.atomic
def representative_add(
    *, actor: User, landlord: Landlord, name: str, role: str, phone: str = "", email: str = ""
) -> LandlordRepresentative:
    """A person at the landlord the team deals with (property manager, superintendent…)."""
    landlord = _locked_landlord(actor, landlord)
    errors: dict[str, list[str]] = {}
    clean = _check_representative({"name": name, "role": role, "phone": phone, "email": email}, errors)
    if errors:
        raise ValidationError(errors)
    rep = LandlordRepresentative.objects.create(landlord=landlord, **clean)
    audit.record(
        actor=actor,
        action="housing.representative.added",
        obj=rep,
        organisation=landlord.organisation,
        data={"landlord": landlord.pk, "role": rep.role},
    )
    return rep


@transaction.atomic
def representative_update(*, actor: User, representative: LandlordRepresentative, **values: Any):
    unknown = set(values) - set(REPRESENTATIVE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown fields {sorted(unknown)}")
    _locked_landlord(actor, representative.landlord)
    rep = LandlordRepresentative.objects.select_for_update().get(pk=representative.pk)
    merged = {name: getattr(rep, name) for name in REPRESENTATIVE_FIELDS} | values
    errors: dict[str, list[str]] = {}
    clean = _check_representative(merged, errors)
    if errors:
        raise ValidationError(errors)
    _save_changes(
        actor=actor,
        obj=rep,
        values=values,
        clean=clean,
        action="housing.representative.updated",
        organisation=rep.landlord.organisation,
    )
    return rep


def _check_building(values: dict[str, Any], errors: dict[str, list[str]]) -> dict:
    clean = dict(values)
    clean["name"] = _text(values, "name", errors)
    clean["address"] = _text(values, "address", errors, required=True)
    clean["notes"] = _text(values, "notes", errors)
    area = values.get("area")
    if area is None:
        errors["area"] = [_("Choose the area.")]
    elif not isinstance(area, Area) or not area.is_active:
        errors["area"] = [_("This area is retired: choose another one.")]
    return clean


@transaction.atomic
def building_create(
    *, actor: User, landlord: Landlord, address: str, area: Area | None, name: str = "", notes: str = ""
) -> Building:
    landlord = _locked_landlord(actor, landlord)
    errors: dict[str, list[str]] = {}
    clean = _check_building({"address": address, "area": area, "name": name, "notes": notes}, errors)
    if not landlord.is_active:
        errors["__all__"] = [_("This landlord is retired.")]
    if errors:
        raise ValidationError(errors)
    building = Building.objects.create(landlord=landlord, **clean)
    audit.record(
        actor=actor,
        action="housing.building.created",
        obj=building,
        organisation=landlord.organisation,
        data={"landlord": landlord.pk, "area": building.area_id},
    )
    return building


@transaction.atomic
def building_update(*, actor: User, building: Building, **values: Any) -> Building:
    unknown = set(values) - set(BUILDING_FIELDS)
    if unknown:
        raise TypeError(f"Unknown fields {sorted(unknown)}")
    _locked_landlord(actor, building.landlord)
    building = Building.objects.select_for_update().get(pk=building.pk)
    merged = {name: getattr(building, name) for name in BUILDING_FIELDS} | values
    errors: dict[str, list[str]] = {}
    if "area" not in values and building.area_id is not None and not building.area.is_active:  # type: ignore[union-attr]
        merged["area"] = Area(pk=building.area_id, is_active=True)  # a retired area kept is not refused
    clean = _check_building(merged, errors)
    if errors:
        raise ValidationError(errors)
    _save_changes(
        actor=actor,
        obj=building,
        values=values,
        clean=clean,
        action="housing.building.updated",
        organisation=building.landlord.organisation,
    )
    return building


def _landlord_contact(
    *, actor: User, landlord: Landlord, contacted_on: datetime.date, channel: str, purpose: str, summary: str
) -> LandlordContact:
    """A contact with the landlord as `contact_log` writes it (dated by the clock), not written yet, or the
    ValidationError that refuses it."""
    errors: dict[str, list[str]] = {}
    _bounded_day(contacted_on, "contacted_on", errors)
    if channel not in Landlord.Channel.values:
        errors["channel"] = [_("Choose a channel of the list.")]
    if purpose not in LandlordContact.Purpose.values:
        errors["purpose"] = [_("Choose the purpose of the contact.")]
    summary = _text({"summary": summary}, "summary", errors, required=True)
    if errors:
        raise ValidationError(errors)
    return LandlordContact(
        landlord=landlord,
        contacted_on=contacted_on,
        channel=channel,
        purpose=purpose,
        summary=summary,
        recorded_by=actor,
    )


def _landlord_contact_entry(*, actor: User, contact: LandlordContact, organisation) -> AuditEntry:
    return audit.entry(
        actor=actor,
        action="housing.landlord_contact.logged",
        obj=contact,
        organisation=organisation,
        data={
            "landlord": contact.landlord_id,
            "purpose": contact.purpose,
            "channel": contact.channel,
            "on": contact.contacted_on.isoformat(),
        },
    )


@transaction.atomic
def contact_log(
    *,
    actor: User,
    landlord: Landlord,
    contacted_on: datetime.date,
    channel: str,
    purpose: str,
    summary: str,
) -> LandlordContact:
    """Log one contact with a landlord (a check-in, a complaint, a negotiation…): it resets the check-in."""
    landlord = _locked_landlord(actor, landlord)
    contact = _landlord_contact(
        actor=actor,
        landlord=landlord,
        contacted_on=contacted_on,
        channel=channel,
        purpose=purpose,
        summary=summary,
    )
    contact.save(force_insert=True)
    _landlord_contact_entry(actor=actor, contact=contact, organisation=landlord.organisation).save(
        force_insert=True
    )
    return contact


@dataclass(frozen=True)
class LandlordContactToLog:
    """One contact `contacts_log_many` logs: `contact_log`'s arguments, and the moment it is logged
    (`logged_at`, the clock's when not given): its `recorded_at`, its audit entry's moment and the "today"
    its date is checked against."""

    contacted_on: datetime.date
    channel: str
    purpose: str
    summary: str
    logged_at: datetime.datetime | None = None


@transaction.atomic
def contacts_log_many(
    *, actor: User, landlord: Landlord, contacts: Sequence[LandlordContactToLog]
) -> list[LandlordContact]:
    """`contact_log` for each of a landlord's contacts, in order, each at its `logged_at`, in a few
    statements: the same contacts and audit entries. The first contact refused raises the ValidationError
    `contact_log` would have raised for it, and nothing is written."""
    landlord = _locked_landlord(actor, landlord)
    now = clock.now()
    made: list[tuple[datetime.datetime, LandlordContact]] = []
    for c in contacts:
        moment = c.logged_at or now
        with clock.at(moment):
            made.append(
                (
                    moment,
                    _landlord_contact(
                        actor=actor,
                        landlord=landlord,
                        contacted_on=c.contacted_on,
                        channel=c.channel,
                        purpose=c.purpose,
                        summary=c.summary,
                    ),
                )
            )
    if not made:
        return []
    LandlordContact.objects.bulk_create([contact for _moment, contact in made], batch_size=1000)
    entries = []
    for moment, contact in made:
        with clock.at(moment):
            entries.append(
                _landlord_contact_entry(actor=actor, contact=contact, organisation=landlord.organisation)
            )
    audit.record_all(entries)
    return [contact for _moment, contact in made]


def _raise_tenancy_risk(*, actor: User, tenancy: Tenancy, risk: str, reason: str, since: datetime.date):
    """Raise (never lower) the tenancy's risk, audited, and tell the domains above (case management)."""
    tenancy = Tenancy.objects.select_for_update().get(pk=tenancy.pk)
    if _RISK_ORDER.index(Tenancy.Risk(risk)) <= _RISK_ORDER.index(Tenancy.Risk(tenancy.risk)):
        return tenancy
    old = tenancy.risk
    tenancy.risk = risk
    tenancy.save(update_fields=["risk", "updated_at"])
    audit.record(
        actor=actor,
        action="housing.tenancy.risk_changed",
        obj=tenancy,
        participant=tenancy.participant,
        data={"changes": {"risk": [old, risk]}, "reason": reason},
    )
    tenancy_at_risk.send(sender=Tenancy, actor=actor, tenancy=tenancy, risk=risk, reason=reason, since=since)
    return tenancy


@transaction.atomic
def tenancy_set_risk(*, actor: User, tenancy: Tenancy, risk: str, reason: str) -> Tenancy:
    """The team's decision on a tenancy's risk, up or down, with its reason (resolving complaints lowers
    nothing by itself). Raising it tells case management, whose visits go up (B2)."""
    errors: dict[str, list[str]] = {}
    reason = _text({"reason": reason}, "reason", errors, required=True)
    if risk not in Tenancy.Risk.values:
        errors["risk"] = [_("Choose the risk.")]
    if errors:
        raise ValidationError(errors)
    locked = Tenancy.objects.select_for_update().get(pk=tenancy.pk)
    if locked.ended_on is not None:
        raise ValidationError({"risk": [_("This tenancy has ended.")]})
    if risk == locked.risk:
        return locked
    if _RISK_ORDER.index(Tenancy.Risk(risk)) > _RISK_ORDER.index(Tenancy.Risk(locked.risk)):
        return _raise_tenancy_risk(actor=actor, tenancy=locked, risk=risk, reason=reason, since=clock.today())
    old = locked.risk
    locked.risk = risk
    locked.save(update_fields=["risk", "updated_at"])
    audit.record(
        actor=actor,
        action="housing.tenancy.risk_changed",
        obj=locked,
        participant=locked.participant,
        data={"changes": {"risk": [old, risk]}, "reason": reason},
    )
    return locked


@transaction.atomic
def complaint_record(
    *,
    actor: User,
    landlord: Landlord,
    kind: str,
    subject: str,
    received_at: datetime.datetime,
    details: str = "",
    unit: Unit | None = None,
    tenancy: Tenancy | None = None,
    first_response_at: datetime.datetime | None = None,
) -> Complaint:
    """Record a landlord's complaint, notice or TAL application; about a tenancy, it raises the tenancy's
    risk (to watch for a complaint, at risk for a notice or an application) and case management hears it."""
    landlord = _locked_landlord(actor, landlord)
    errors: dict[str, list[str]] = {}
    if kind not in Complaint.Kind.values:
        errors["kind"] = [_("Choose the kind.")]
    if subject not in Complaint.Subject.values:
        errors["subject"] = [_("Choose the subject.")]
    details = _text({"details": details}, "details", errors)
    _moment(received_at, "received_at", errors)
    if first_response_at is not None and "received_at" not in errors:
        _moment(first_response_at, "first_response_at", errors, after=received_at)
    if tenancy is not None:
        if tenancy.landlord_id != landlord.pk:
            errors["tenancy"] = [_("This tenancy is not with this landlord.")]
        elif unit is not None and unit.pk != tenancy.unit_id:
            errors["unit"] = [_("The unit is not the tenancy's.")]
        else:
            unit = tenancy.unit
    if (
        unit is not None
        and "unit" not in errors
        and (unit.building is None or unit.building.landlord_id != landlord.pk)
    ):
        errors["unit"] = [_("This unit is not in one of this landlord's buildings.")]
    if errors:
        raise ValidationError(errors)
    complaint = Complaint.objects.create(
        landlord=landlord,
        unit=unit,
        tenancy=tenancy,
        kind=kind,
        subject=subject,
        details=details,
        received_at=received_at,
        first_response_at=first_response_at,
        recorded_by=actor,
    )
    audit.record(
        actor=actor,
        action="housing.complaint.recorded",
        obj=complaint,
        organisation=landlord.organisation,
        participant=tenancy.participant if tenancy is not None else None,
        data={
            "landlord": landlord.pk,
            "kind": kind,
            "subject": subject,
            "tenancy": tenancy.pk if tenancy else None,
        },
    )
    if tenancy is not None and tenancy.ended_on is None:
        _raise_tenancy_risk(
            actor=actor,
            tenancy=tenancy,
            risk=RISK_OF[Complaint.Kind(kind)],
            reason=str(Complaint.Kind(kind).label),
            since=clock.localdate(received_at),
        )
    return complaint


def _locked_complaint(actor: User, complaint: Complaint) -> Complaint:
    locked = (
        Complaint.objects.select_for_update(of=("self",))
        .select_related("landlord", "tenancy")
        .get(pk=complaint.pk)
    )
    _mine(actor, locked.landlord.organisation_id)
    return locked


@transaction.atomic
def complaint_respond(*, actor: User, complaint: Complaint, at: datetime.datetime | None = None) -> Complaint:
    """The team's first answer to a complaint (the clock of the first response stops)."""
    complaint = _locked_complaint(actor, complaint)
    at = at or clock.now()
    errors: dict[str, list[str]] = {}
    if complaint.first_response_at is not None:
        errors["first_response_at"] = [_("The first response is already recorded.")]
    else:
        _moment(at, "first_response_at", errors, after=complaint.received_at)
    if errors:
        raise ValidationError(errors)
    complaint.first_response_at = at
    complaint.save(update_fields=["first_response_at"])
    audit.record(
        actor=actor,
        action="housing.complaint.responded",
        obj=complaint,
        organisation=complaint.landlord.organisation,
        participant=complaint.tenancy.participant if complaint.tenancy else None,
        data={"first_response_at": at.isoformat()},
    )
    return complaint


@transaction.atomic
def complaint_resolve(
    *, actor: User, complaint: Complaint, resolution: str, at: datetime.datetime | None = None
) -> Complaint:
    """Close a complaint with how it was resolved. The tenancy's risk stays: the team lowers it when ready."""
    complaint = _locked_complaint(actor, complaint)
    at = at or clock.now()
    errors: dict[str, list[str]] = {}
    resolution = _text({"resolution": resolution}, "resolution", errors, required=True)
    if complaint.resolved_at is not None:
        errors["__all__"] = [_("This complaint is already resolved.")]
    else:
        _moment(at, "resolved_at", errors, after=complaint.received_at)
    if errors:
        raise ValidationError(errors)
    complaint.resolved_at = at
    complaint.resolution = resolution
    fields = ["resolved_at", "resolution"]
    if complaint.first_response_at is None:
        # Resolving it answers it.
        complaint.first_response_at = at
        fields.append("first_response_at")
    complaint.save(update_fields=fields)
    audit.record(
        actor=actor,
        action="housing.complaint.resolved",
        obj=complaint,
        organisation=complaint.landlord.organisation,
        participant=complaint.tenancy.participant if complaint.tenancy else None,
        data={"resolved_at": at.isoformat()},
    )
    return complaint


@transaction.atomic
def unit_withdraw(*, actor: User, unit: Unit, reason: str) -> Unit:
    """Take an available or held unit off the market (the landlord rents it elsewhere, sells, renovates for
    long): it leaves the availability list and matching, and stays in the book."""
    locked = (
        Unit.objects.select_for_update().filter(pk=unit.pk, organisation__in=actor.organisation_ids).first()
    )
    if locked is None:
        raise ValidationError(_("Only the organisation that holds this unit can change it."))
    errors: dict[str, list[str]] = {}
    reason = _text({"reason": reason}, "reason", errors, required=True)
    if locked.status not in {Unit.Status.AVAILABLE, Unit.Status.ON_HOLD}:
        errors["status"] = [
            _("Only an available or held unit can be taken off the market; this one is “%(status)s”.")
            % {"status": locked.get_status_display()}
        ]
    if errors:
        raise ValidationError(errors)
    old = locked.status
    locked.status = Unit.Status.OFF_MARKET
    locked.hold_reason = reason[:300]
    locked.save(update_fields=["status", "hold_reason", "updated_at"])
    audit.record(
        actor=actor,
        action="housing.unit.withdrawn",
        obj=locked,
        organisation=locked.organisation,
        data={"changes": {"status": [old, Unit.Status.OFF_MARKET]}, "reason": reason},
    )
    return locked
