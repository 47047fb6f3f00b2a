"""Writes to participant files. Each service validates, saves and writes its audit entry in one transaction."""

from __future__ import annotations

import datetime
import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import filetype
from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from ancrage.core import audit, bulk, clock
from ancrage.core.permissions import Category
from ancrage.organisations.models import Organisation
from ancrage.people import visibility
from ancrage.people.models import (
    Alias,
    Consent,
    ConsentCategory,
    Document,
    DuplicateDecision,
    HouseholdMember,
    Identifier,
    Merge,
    Participant,
    SupportContact,
)
from ancrage.people.signals import files_linked

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

    from ancrage.accounts.models import User

PARTICIPANT_FIELDS = [
    "legal_first_name",
    "legal_last_name",
    "preferred_name",
    "date_of_birth",
    "dob_quality",
    "gender",
    "indigenous_identity",
    "communication_language",
    "languages_spoken",
    "phone",
    "email",
    "current_location",
]

_ID_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
_ID_LENGTH = 6
_ID_CODES = len(_ID_ALPHABET) ** _ID_LENGTH


def _random_code() -> str:
    """Six letters of the alphabet, each drawn uniformly and independently: one draw of `secrets` among
    all the 31**6 codes, read as six base-31 digits (six `secrets.choice` cost six reads of the system's
    random source)."""
    number = secrets.randbelow(_ID_CODES)
    letters = []
    for _position in range(_ID_LENGTH):
        number, digit = divmod(number, len(_ID_ALPHABET))
        letters.append(_ID_ALPHABET[digit])
    return "".join(letters)


def _new_community_id(organisation: Organisation) -> str:
    prefix = (organisation.consortium.short_name or "ANC").upper()
    while True:
        candidate = f"{prefix}-{_random_code()}"
        if not Participant.objects.filter(community_id=candidate).exists():
            return candidate


def _validate_participant(values: dict[str, Any], today: datetime.date | None = None) -> None:
    """The registry's rules for a participant's fields (`today`: the clock's, unless the caller read it)."""
    errors: dict[str, list[str]] = {}
    dob = values.get("date_of_birth")
    today = today or clock.today()
    if dob:
        if dob > today:
            errors.setdefault("date_of_birth", []).append(_("A date of birth cannot be in the future."))
        elif dob < today - datetime.timedelta(days=365 * 120):
            errors.setdefault("date_of_birth", []).append(_("This date of birth is more than 120 years ago."))
        if values.get("dob_quality") in {"doesnt_know", "refused", "not_collected"}:
            errors.setdefault("dob_quality", []).append(
                _("A date of birth was entered: choose “exact” or “approximate”.")
            )
    elif values.get("dob_quality") in {"exact", "approximate"}:
        errors.setdefault("date_of_birth", []).append(
            _("Enter the date of birth, or say that it is unknown, refused or not collected.")
        )
    for name in ("legal_first_name", "legal_last_name"):
        if not (values.get(name) or "").strip():
            errors.setdefault(name, []).append(_("This field is required."))
    if errors:
        raise ValidationError(errors)


def refresh_search_text(participant: Participant) -> None:
    aliases = list(participant.aliases.values_list("name", flat=True))
    identifiers = list(participant.identifiers.values_list("value", flat=True))
    participant.search_text = participant.build_search_text(aliases, identifiers)
    participant.save(update_fields=["search_text"])


@transaction.atomic
def participant_create(
    *,
    actor: User,
    organisation: Organisation,
    aliases: list[str] | None = None,
    identifiers: list[tuple[str, str]] | None = None,
    photo: UploadedFile | None = None,
    **values: Any,
) -> Participant:
    unknown = set(values) - set(PARTICIPANT_FIELDS)
    if unknown:
        raise TypeError(f"Unknown participant fields: {sorted(unknown)}")
    if not organisation.can_hold_participants:
        raise ValidationError(
            {"organisation": [_("This organisation cannot be a participant's home organisation.")]}
        )
    # Validate what will be saved: a field left out takes the model's default (dob_quality "not collected").
    participant = Participant(organisation=organisation, created_by=actor, **values)
    _validate_participant({name: getattr(participant, name) for name in PARTICIPANT_FIELDS})
    participant.community_id = _new_community_id(organisation)
    if photo:
        participant.photo = photo
    participant.save()
    for name in aliases or []:
        if name.strip():
            Alias.objects.create(participant=participant, name=name.strip())
    for kind, value in identifiers or []:
        _identifier_insert(participant, kind, value)
    refresh_search_text(participant)
    audit.record(
        actor=actor,
        action="people.participant.created",
        obj=participant,
        participant=participant,
        data={"changes": audit.changes({}, audit.snapshot(participant), Participant.SENSITIVE_FIELDS)},
    )
    return participant


@transaction.atomic
def participant_update(
    *, actor: User, participant: Participant, photo: UploadedFile | None = None, **values: Any
) -> Participant:
    unknown = set(values) - set(PARTICIPANT_FIELDS)
    if unknown:
        raise TypeError(f"Unknown participant fields: {sorted(unknown)}")
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    before = audit.snapshot(participant)
    merged = {name: getattr(participant, name) for name in PARTICIPANT_FIELDS} | values
    _validate_participant(merged)
    for name, value in values.items():
        setattr(participant, name, value)
    fields = list(values)
    if photo is not None:
        participant.photo = photo
        fields.append("photo")
    participant.save(update_fields=[*fields, "updated_at"] if fields else ["updated_at"])
    refresh_search_text(participant)
    diff = audit.changes(before, audit.snapshot(participant), Participant.SENSITIVE_FIELDS)
    if diff:
        audit.record(
            actor=actor,
            action="people.participant.updated",
            obj=participant,
            participant=participant,
            data={"changes": diff},
        )
    return participant


@transaction.atomic
def alias_add(*, actor: User, participant: Participant, name: str) -> Alias:
    name = name.strip()
    if not name:
        raise ValidationError({"name": [_("This field is required.")]})
    alias = Alias.objects.create(participant=participant, name=name)
    refresh_search_text(participant)
    audit.record(actor=actor, action="people.alias.added", obj=alias, participant=participant)
    return alias


def _identifier_insert(participant: Participant, kind: str, value: str, issuer: str = "") -> Identifier:
    value = value.strip()
    if not value:
        raise ValidationError({"value": [_("This field is required.")]})
    if Identifier.objects.filter(kind=kind, issuer=issuer, value__iexact=value).exists():
        raise ValidationError(
            {"value": [_("This identifier already belongs to another file. Search for it before adding it.")]}
        )
    try:
        with transaction.atomic():
            return Identifier.objects.create(participant=participant, kind=kind, value=value, issuer=issuer)
    except IntegrityError:
        raise ValidationError(
            {"value": [_("This identifier already belongs to another file. Search for it before adding it.")]}
        ) from None


@transaction.atomic
def identifier_add(
    *, actor: User, participant: Participant, kind: str, value: str, issuer: str = ""
) -> Identifier:
    identifier = _identifier_insert(participant, kind, value, issuer)
    refresh_search_text(participant)
    audit.record(
        actor=actor,
        action="people.identifier.added",
        obj=identifier,
        participant=participant,
        data={"kind": kind},
    )
    return identifier


# -- many at once (the HMIS import): the same rules, the same rows and the same audit entries as the
# services above, written in a few statements per batch.


@dataclass
class NewParticipant:
    """One participant to create with `participants_create_many`: its fields (as `participant_create`
    takes them) and the identifier issued to it by `issuer` (as `identifier_add` takes it)."""

    values: dict[str, Any]
    identifier: str


def _new_community_ids(organisation: Organisation, count: int) -> list[str]:
    """`count` community identifiers of `_new_community_id`'s form, free in the registry and distinct."""
    prefix = (organisation.consortium.short_name or "ANC").upper()
    chosen: list[str] = []
    while len(chosen) < count:
        wanted = count - len(chosen)
        candidates = {f"{prefix}-{_random_code()}" for _ in range(wanted)} - set(chosen)
        taken = set(
            Participant.objects.filter(community_id__in=candidates).values_list("community_id", flat=True)
        )
        chosen += sorted(candidates - taken)
    return chosen


def held_identifiers(kind: str, issuer: str = "", among: set[str] | None = None) -> set[str]:
    """The values of the identifiers of `kind` issued by `issuer` already in the registry, in folded letter
    case (`str.casefold`): those among `among` (folded values) when given. One read of the issuer's
    values: a caller that creates many batches in a row (the HMIS import) reads them once and hands the
    set to each `participants_create_many`, which adds what it writes."""
    existing = Identifier.objects.filter(kind=kind, issuer=issuer).values_list("value", flat=True)
    folded = (v.casefold() for v in existing.iterator(chunk_size=5000))
    if among is None:
        return set(folded)
    return {v for v in folded if v in among}


@transaction.atomic
def participants_create_many(
    *,
    actor: User,
    organisation: Organisation,
    rows: list[NewParticipant],
    kind: str,
    issuer: str = "",
    taken: set[str] | None = None,
) -> list[Participant | ValidationError]:
    """Create many participants, each with one identifier (`kind`, `issuer`): for each row, in order, the
    participant made, or the ValidationError `participant_create` then `identifier_add` would have raised
    for it (that row is not written). The participants, identifiers and audit entries are exactly those of
    `participant_create` + `identifier_add`, written in bulk (one `record_many` per action).

    `taken`: the caller's `held_identifiers(kind, issuer)`, kept from one call to the next (each call adds
    the values it writes); without it, the values held are read here."""
    for row in rows:
        unknown = set(row.values) - set(PARTICIPANT_FIELDS)
        if unknown:
            raise TypeError(f"Unknown participant fields: {sorted(unknown)}")
    if not organisation.can_hold_participants:
        raise ValidationError(
            {"organisation": [_("This organisation cannot be a participant's home organisation.")]}
        )
    values = [row.identifier.strip() for row in rows]
    if taken is None:
        # `_identifier_insert` refuses a value already held in any letter case (value__iexact).
        lowered = {v.casefold() for v in values if v}
        taken = held_identifiers(kind, issuer, lowered) if lowered else set()
    results: list[Participant | ValidationError] = []
    fresh: list[tuple[Participant, str]] = []
    today = clock.today()
    for row, value in zip(rows, values, strict=True):
        participant = Participant(organisation=organisation, created_by=actor, **row.values)
        try:
            _validate_participant({name: getattr(participant, name) for name in PARTICIPANT_FIELDS}, today)
            if not value:
                raise ValidationError({"value": [_("This field is required.")]})
            if value.casefold() in taken:
                raise ValidationError(
                    {
                        "value": [
                            _(
                                "This identifier already belongs to another file. Search for it before adding it."
                            )
                        ]
                    }
                )
        except ValidationError as exc:
            results.append(exc)
            continue
        taken.add(value.casefold())
        results.append(participant)
        fresh.append((participant, value))
    if not fresh:
        return results
    for (participant, value), community_id in zip(
        fresh, _new_community_ids(organisation, len(fresh)), strict=True
    ):
        participant.community_id = community_id
        participant.search_text = participant.build_search_text([], [value])
    bulk.insert(Participant, [p for p, _v in fresh])
    identifiers = bulk.insert(
        Identifier, [Identifier(participant=p, kind=kind, value=v, issuer=issuer) for p, v in fresh]
    )
    audit.record_many(
        actor=actor,
        action="people.participant.created",
        items=[
            (p, p, {"changes": audit.changes({}, audit.snapshot(p), Participant.SENSITIVE_FIELDS)})
            for p, _v in fresh
        ],
    )
    audit.record_many(
        actor=actor,
        action="people.identifier.added",
        items=[(i, p, {"kind": kind}) for i, (p, _v) in zip(identifiers, fresh, strict=True)],
    )
    return results


@transaction.atomic
def participants_update_many(
    *, actor: User, changes: list[tuple[Participant, dict[str, Any]]]
) -> list[Participant | ValidationError]:
    """`participant_update` (without a photo) for many participants at once: each (participant, values)
    gives the participant updated, or the ValidationError `participant_update` would have raised (that one
    is not written). One UPDATE per batch of 1000 and one `record_many`."""
    for _participant, values in changes:
        unknown = set(values) - set(PARTICIPANT_FIELDS)
        if unknown:
            raise TypeError(f"Unknown participant fields: {sorted(unknown)}")
    current = Participant.objects.select_for_update().in_bulk([p.pk for p, _v in changes])
    aliases: dict[int, list[str]] = {}
    for pk, name in Alias.objects.filter(participant_id__in=current).values_list("participant_id", "name"):
        aliases.setdefault(pk, []).append(name)
    numbers: dict[int, list[str]] = {}
    for pk, value in Identifier.objects.filter(participant_id__in=current).values_list(
        "participant_id", "value"
    ):
        numbers.setdefault(pk, []).append(value)
    results: list[Participant | ValidationError] = []
    written: list[Participant] = []
    fields: set[str] = set()
    entries = []
    for given, values in changes:
        participant = current[given.pk]
        before = audit.snapshot(participant)
        try:
            _validate_participant({name: getattr(participant, name) for name in PARTICIPANT_FIELDS} | values)
        except ValidationError as exc:
            results.append(exc)
            continue
        for name, value in values.items():
            setattr(participant, name, value)
        fields |= set(values)
        participant.updated_at = clock.now()
        participant.search_text = participant.build_search_text(
            aliases.get(participant.pk, []), numbers.get(participant.pk, [])
        )
        diff = audit.changes(before, audit.snapshot(participant), Participant.SENSITIVE_FIELDS)
        if diff:
            entries.append((participant, participant, {"changes": diff}))
        written.append(participant)
        results.append(participant)
    if written:
        Participant.objects.bulk_update(
            written, sorted(fields | {"updated_at", "search_text"}), batch_size=1000
        )
    audit.record_many(actor=actor, action="people.participant.updated", items=entries)
    return results


@transaction.atomic
def support_contact_add(*, actor: User, participant: Participant, **values: Any) -> SupportContact:
    contact = SupportContact(participant=participant, **values)
    contact.full_clean()
    contact.save()
    audit.record(
        actor=actor,
        action="people.contact.added",
        obj=contact,
        participant=participant,
        data={"emergency": contact.is_emergency_contact},
    )
    return contact


@transaction.atomic
def household_member_add(*, actor: User, participant: Participant, **values: Any) -> HouseholdMember:
    member = HouseholdMember(participant=participant, **values)
    if member.date_of_birth and member.date_of_birth > clock.today():
        raise ValidationError({"date_of_birth": [_("A date of birth cannot be in the future.")]})
    member.full_clean()
    member.save()
    audit.record(actor=actor, action="people.household.added", obj=member, participant=participant)
    return member


def default_expiry(starts_on: datetime.date) -> datetime.date:
    return starts_on + relativedelta(months=settings.ANCRAGE["CONSENT_DEFAULT_MONTHS"])


@transaction.atomic
def consent_record(
    *,
    actor: User,
    participant: Participant,
    organisations: list[Organisation],
    categories: list[str],
    purpose: str,
    starts_on: datetime.date,
    method: str,
    expires_on: datetime.date | None = None,
    witness_name: str = "",
) -> Consent:
    expires_on = expires_on or default_expiry(starts_on)
    errors: dict[str, list[str]] = {}
    if expires_on <= starts_on:
        errors["expires_on"] = [_("The expiry date must come after the start date.")]
    if not organisations:
        errors["organisations"] = [_("Choose at least one organisation to share with.")]
    if not categories:
        errors["categories"] = [_("Choose at least one kind of information.")]
    elif set(categories) - set(Category.values):
        errors["categories"] = [_("Unknown kind of information.")]
    if method == Consent.Method.VERBAL and not witness_name.strip():
        errors["witness_name"] = [_("A verbal consent needs the name of its witness.")]
    if not purpose.strip():
        errors["purpose"] = [_("This field is required.")]
    if errors:
        raise ValidationError(errors)
    consent = Consent.objects.create(
        participant=participant,
        purpose=purpose.strip(),
        starts_on=starts_on,
        expires_on=expires_on,
        method=method,
        witness_name=witness_name.strip(),
        recorded_by=actor,
    )
    consent.organisations.set(organisations)
    ConsentCategory.objects.bulk_create(
        ConsentCategory(consent=consent, category=c) for c in sorted(set(categories))
    )
    visibility.refresh_consents([consent.pk])
    audit.record(
        actor=actor,
        action="people.consent.recorded",
        obj=consent,
        participant=participant,
        data={
            "organisations": sorted(o.pk for o in organisations),
            "categories": sorted(set(categories)),
            "starts_on": starts_on.isoformat(),
            "expires_on": expires_on.isoformat(),
            "method": method,
        },
    )
    return consent


@transaction.atomic
def consent_revoke(*, actor: User, consent: Consent, reason: str = "") -> Consent:
    consent = Consent.objects.select_for_update().get(pk=consent.pk)
    if consent.revoked_at:
        raise ValidationError(_("This consent was already revoked."))
    consent.revoked_at = clock.now()
    consent.revoked_by = actor
    consent.revocation_reason = reason.strip()
    consent.save(update_fields=["revoked_at", "revoked_by", "revocation_reason"])
    visibility.refresh_consents([consent.pk])
    audit.record(
        actor=actor,
        action="people.consent.revoked",
        obj=consent,
        participant=consent.participant,
        data={"reason": consent.revocation_reason},
    )
    return consent


@transaction.atomic
def participant_transfer(
    *, actor: User, participant: Participant, organisation: Organisation, reason: str
) -> Participant:
    """Make `organisation` the participant's home organisation (organisme d'attache): the hub hands a file
    over, or an organisation takes the person on (A1). The receiving organisation then sees the whole file,
    so the participant's consent in force must share at least their identity with it (G1)."""
    from ancrage.people.selectors import categories_for_organisation

    participant = (
        Participant.objects.select_for_update().select_related("organisation").get(pk=participant.pk)
    )
    before = participant.organisation
    errors: dict[str, list[str]] = {}
    if participant.is_merged:
        errors["organisation"] = [_("This file was merged into another: use that one.")]
    elif organisation.pk == before.pk:
        errors["organisation"] = [_("This organisation is already the participant's home organisation.")]
    elif not organisation.can_hold_participants or not organisation.is_active:
        errors["organisation"] = [_("This organisation cannot be a participant's home organisation.")]
    elif organisation.consortium_id != before.consortium_id:
        errors["organisation"] = [_("Choose an organisation of the participant's consortium.")]
    elif before.pk not in actor.organisation_ids and organisation.pk not in actor.organisation_ids:
        errors["organisation"] = [
            _("Only the home organisation hands a file over, or the organisation that takes the person on.")
        ]
    elif Category.IDENTITY not in categories_for_organisation(participant, organisation):
        errors["organisation"] = [
            _(
                "The participant has no consent in force sharing their file with %(organisation)s: record "
                "their consent first."
            )
            % {"organisation": organisation.name}
        ]
    if not reason.strip():
        errors["reason"] = [_("Say why the file changes home organisation.")]
    if errors:
        raise ValidationError(errors)
    participant.organisation = organisation
    participant.save(update_fields=["organisation", "updated_at"])
    audit.record(
        actor=actor,
        action="people.participant.transferred",
        obj=participant,
        participant=participant,
        data={
            "changes": {"organisation": [before.name, organisation.name]},
            "from": before.pk,
            "to": organisation.pk,
            "reason": reason.strip(),
        },
    )
    return participant


def _check_upload(upload) -> tuple[str, str]:
    """The file's real type and extension, read from its first bytes, whatever its name says."""
    max_bytes = settings.DOCUMENT_MAX_BYTES
    if upload.size > max_bytes:
        raise ValidationError(
            {
                "file": [
                    _("This file is too large: the limit is %(size)s.") % {"size": filesizeformat(max_bytes)}
                ]
            }
        )
    head = upload.read(2048)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is None or kind.mime not in settings.DOCUMENT_ALLOWED_TYPES:
        raise ValidationError({"file": [_("Only PDF, JPEG and PNG files can be uploaded.")]})
    return kind.mime, kind.extension


@transaction.atomic
def document_upload(
    *,
    actor: User,
    participant: Participant,
    kind: str,
    upload,
    signed_on: datetime.date,
    resign_on: datetime.date | None = None,
    consent: Consent | None = None,
) -> Document:
    mime, extension = _check_upload(upload)
    errors = {}
    if signed_on > clock.today():
        errors["signed_on"] = [_("The signature date cannot be in the future.")]
    if resign_on and resign_on <= signed_on:
        errors["resign_on"] = [_("The re-signing date must come after the signature date.")]
    if consent and consent.participant_id != participant.pk:
        errors["consent"] = [_("This consent belongs to another participant.")]
    if errors:
        raise ValidationError(errors)
    document = Document(
        participant=participant,
        kind=kind,
        original_name=upload.name[:255],
        content_type=mime,
        size=upload.size,
        signed_on=signed_on,
        resign_on=resign_on,
        consent=consent,
        uploaded_by=actor,
    )
    # Stored under the extension of its real type: a PNG named .html must not become a page if served.
    document.file.save(f"document.{extension}", upload, save=False)
    document.save()
    audit.record(
        actor=actor,
        action="people.document.uploaded",
        obj=document,
        participant=participant,
        data={"kind": kind, "size": upload.size, "type": mime},
    )
    return document


# --- duplicates: link, mark as different, merge and undo --------------------------------------------


def _ordered(a: Participant, b: Participant) -> tuple[Participant, Participant]:
    return (a, b) if a.pk < b.pk else (b, a)


@transaction.atomic
def duplicate_decide(
    *, actor: User, first: Participant, second: Participant, decision: str, reason: str = ""
):
    if first.pk == second.pk:
        raise ValidationError(_("A file cannot be compared with itself."))
    a, b = _ordered(first, second)
    row, _created = DuplicateDecision.objects.update_or_create(
        first=a, second=b, defaults={"decision": decision, "reason": reason, "decided_by": actor}
    )
    action = "people.participant.not_duplicate" if decision == "not_same" else "people.participant.linked"
    for p in (a, b):
        audit.record(
            actor=actor, action=action, obj=p, participant=p, data={"other": (b if p is a else a).pk}
        )
    # Coordinated access counts linked files as one person on the by-name list (A4).
    files_linked.send(sender=DuplicateDecision, actor=actor, participant_ids=[a.pk, b.pk])
    return row


def _participant_owned_relations():
    """Every model that hangs off a participant, found from the schema so later modules merge too."""
    # The consent visibility lookup is derived: the merge refreshes it from the consents it moved.
    skip = {
        "core.auditentry",
        "people.merge",
        "people.duplicatedecision",
        "people.participant",
        "people.consentvisibility",
    }
    for rel in Participant._meta.related_objects:
        model = rel.related_model
        if model._meta.label_lower in skip or rel.many_to_many or rel.one_to_one:
            continue
        yield model, rel.field.name


@dataclass
class MergeResult:
    merge: Merge
    moved_count: int


@transaction.atomic
def participant_merge(
    *, actor: User, kept: Participant, merged: Participant, reason: str = ""
) -> MergeResult:
    """Move everything of `merged` onto `kept`. `merged` stays, pointing at `kept`, so history survives."""
    kept = Participant.objects.select_for_update().get(pk=kept.pk)
    merged = Participant.objects.select_for_update().get(pk=merged.pk)
    if kept.pk == merged.pk:
        raise ValidationError(_("A file cannot be merged into itself."))
    if kept.merged_into_id or merged.merged_into_id:
        raise ValidationError(_("One of these files was already merged into another."))
    moved: dict[str, list[int]] = {}
    total = 0
    for model, field in _participant_owned_relations():
        ids = list(model.objects.filter(**{field: merged}).values_list("pk", flat=True))
        if ids:
            model.objects.filter(pk__in=ids).update(**{field: kept})
            moved[f"{model._meta.label_lower}:{field}"] = ids
            total += len(ids)
    merged.merged_into = kept
    merged.save(update_fields=["merged_into", "updated_at"])
    visibility.refresh_participants([kept.pk, merged.pk])
    merge = Merge.objects.create(kept=kept, merged=merged, moved=moved, reason=reason, merged_by=actor)
    a, b = _ordered(kept, merged)
    DuplicateDecision.objects.update_or_create(
        first=a, second=b, defaults={"decision": "merged", "reason": reason, "decided_by": actor}
    )
    refresh_search_text(kept)
    for p in (kept, merged):
        audit.record(
            actor=actor,
            action="people.participant.merged",
            obj=merge,
            participant=p,
            data={"kept": kept.pk, "merged": merged.pk, "moved": {k: len(v) for k, v in moved.items()}},
        )
    return MergeResult(merge=merge, moved_count=total)


@transaction.atomic
def participant_merge_undo(*, actor: User, merge: Merge) -> Merge:
    merge = Merge.objects.select_for_update().select_related("kept", "merged").get(pk=merge.pk)
    if merge.undone_at:
        raise ValidationError(_("This merge was already undone."))
    from django.apps import apps

    for key, ids in merge.moved.items():
        label, field = key.split(":")
        model = apps.get_model(label)
        model.objects.filter(pk__in=ids).update(**{field: merge.merged})
    merged = merge.merged
    merged.merged_into = None
    merged.save(update_fields=["merged_into", "updated_at"])
    visibility.refresh_participants([merge.kept_id, merged.pk])
    merge.undone_at = clock.now()
    merge.undone_by = actor
    merge.save(update_fields=["undone_at", "undone_by"])
    a, b = _ordered(merge.kept, merged)
    DuplicateDecision.objects.filter(first=a, second=b).delete()
    refresh_search_text(merge.kept)
    refresh_search_text(merged)
    for p in (merge.kept, merged):
        audit.record(
            actor=actor,
            action="people.participant.merge_undone",
            obj=merge,
            participant=p,
            data={"kept": merge.kept_id, "merged": merged.pk},
        )
    return merge
