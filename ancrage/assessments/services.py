"""Writes for instruments and administrations. Each service validates, saves and writes its audit entry together."""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ancrage.assessments.definition import Definition, InstrumentDefinitionError, validate_definition
from ancrage.assessments.engine import AnswerError, clean_answer, missing_required, score, visible_answers
from ancrage.assessments.models import Administration, Instrument, InstrumentVersion
from ancrage.assessments.signals import administration_completed
from ancrage.core import audit, clock

if TYPE_CHECKING:
    from ancrage.accounts.models import User
    from ancrage.people.models import Participant


def _checksum(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@transaction.atomic
def instrument_version_load(*, actor: User | None, text: str) -> InstrumentVersion:
    """Validate a definition file and store it; the same file loaded again gives the same row.

    A different file under an existing version number replaces it only while nobody has used it.
    """
    try:
        definition = validate_definition(text)
    except InstrumentDefinitionError as error:
        raise ValidationError([str(p) for p in error.problems]) from None
    checksum = _checksum(text)
    instrument, _created = Instrument.objects.get_or_create(
        key=definition.key,
        defaults={"name": definition.data["title"]["fr"], "name_en": definition.data["title"]["en"]},
    )
    existing = (
        InstrumentVersion.objects.select_for_update()
        .filter(instrument=instrument, version=definition.version)
        .first()
    )
    if existing is not None and existing.checksum == checksum:
        return existing
    if existing is not None:
        return instrument_version_update(actor=actor, version=existing, text=text)
    version = InstrumentVersion.objects.create(
        instrument=instrument,
        version=definition.version,
        definition_text=text,
        definition=definition.data,
        checksum=checksum,
    )
    _update_names(instrument, definition)
    audit.record(
        actor=actor,
        action="assessments.instrument.loaded",
        obj=version,
        data={"instrument": instrument.key, "version": version.version, "checksum": checksum},
    )
    return version


def _update_names(instrument: Instrument, definition: Definition) -> None:
    title = definition.data["title"]
    if (instrument.name, instrument.name_en) != (title["fr"], title["en"]):
        instrument.name, instrument.name_en = title["fr"], title["en"]
        instrument.save(update_fields=["name", "name_en", "updated_at"])


@transaction.atomic
def instrument_version_update(
    *, actor: User | None, version: InstrumentVersion, text: str
) -> InstrumentVersion:
    """Replace the definition of a version nobody has used yet; a used version is immutable."""
    version = InstrumentVersion.objects.select_for_update().get(pk=version.pk)
    if version.is_used:
        raise ValidationError(
            _(
                "Version %(version)s of this instrument has already been used and cannot change: "
                "give the new file a new version number."
            )
            % {"version": version.version}
        )
    try:
        definition = validate_definition(text)
    except InstrumentDefinitionError as error:
        raise ValidationError([str(p) for p in error.problems]) from None
    if definition.key != version.instrument.key or definition.version != version.version:
        raise ValidationError(_("This file is for another instrument or another version."))
    version.definition_text = text
    version.definition = definition.data
    version.checksum = _checksum(text)
    version.save(update_fields=["definition_text", "definition", "checksum"])
    _update_names(version.instrument, definition)
    audit.record(
        actor=actor,
        action="assessments.instrument.changed",
        obj=version,
        data={"instrument": version.instrument.key, "version": version.version, "checksum": version.checksum},
    )
    return version


@transaction.atomic
def administration_start(
    *, actor: User, participant: Participant, version: InstrumentVersion
) -> Administration:
    now = clock.now()
    # The version is frozen from its first use on.
    InstrumentVersion.objects.filter(pk=version.pk, first_used_at__isnull=True).update(first_used_at=now)
    version.refresh_from_db(fields=["first_used_at"])
    administration = Administration.objects.create(
        participant=participant, version=version, administered_by=actor, started_at=now
    )
    audit.record(
        actor=actor,
        action="assessments.administration.started",
        obj=administration,
        participant=participant,
        data={"instrument": version.instrument.key, "version": version.version},
    )
    return administration


def _locked(administration: Administration) -> Administration:
    return (
        Administration.objects.select_for_update()
        .select_related("version__instrument")
        .get(pk=administration.pk)
    )


@transaction.atomic
def administration_save_answers(
    *, actor: User, administration: Administration, answers: dict[str, Any], complete: bool = False
) -> Administration:
    """Check and keep answers (a partial save is fine); `complete` also requires every required question.

    An empty value clears an answer. Answers to questions not asked (their condition is false) are dropped.
    Any error leaves the administration as it was.
    """
    administration = _locked(administration)
    if not administration.is_open:
        raise ValidationError(_("This assessment is closed: its answers can no longer change."))
    definition = administration.version.parsed
    errors: dict[str, list[str]] = {}
    merged = dict(administration.answers)
    for key, value in answers.items():
        question = definition.question(key)
        if question is None:
            errors.setdefault(key, []).append(_("This instrument has no such question."))
            continue
        if value is None or value == "" or value == []:
            merged.pop(key, None)
            continue
        try:
            merged[key] = clean_answer(question, value)
        except AnswerError as error:
            errors.setdefault(key, []).append(str(error))
    if errors:
        raise ValidationError(errors)
    merged = visible_answers(definition, merged)
    if complete:
        missing = missing_required(definition, merged)
        if missing:
            raise ValidationError({key: [_("This question needs an answer.")] for key in missing})
    changed = sorted(
        k for k in set(merged) | set(administration.answers) if merged.get(k) != administration.answers.get(k)
    )
    administration.answers = merged
    fields = ["answers", "updated_at"]
    if complete:
        administration.status = Administration.Status.COMPLETED
        administration.completed_at = clock.now()
        administration.status_reason = ""
        administration.score = score(definition, merged)
        fields += ["status", "completed_at", "status_reason", "score"]
    elif administration.status == Administration.Status.POSTPONED:
        administration.status = Administration.Status.IN_PROGRESS
        fields.append("status")
    administration.save(update_fields=fields)
    if complete:
        # Coordinated access listens: a triage's score places the person on the by-name list (A3, A5).
        administration_completed.send(
            sender=Administration, administration=administration, definition=definition.data
        )
    # Which questions changed, never the answers themselves: they are health information.
    data: dict[str, Any] = {"questions": changed}
    if complete:
        data.update(total=administration.score["total"], band=administration.score["band"])
    audit.record(
        actor=actor,
        action="assessments.administration.completed" if complete else "assessments.administration.saved",
        obj=administration,
        participant=administration.participant,
        data=data,
    )
    return administration


def _close(actor, administration: Administration, status: str, reason: str, action: str) -> Administration:
    administration = _locked(administration)
    if not administration.is_open:
        raise ValidationError(_("This assessment is closed: its answers can no longer change."))
    reason = (reason or "").strip()
    administration.status = status
    administration.status_reason = reason
    administration.save(update_fields=["status", "status_reason", "updated_at"])
    audit.record(
        actor=actor,
        action=action,
        obj=administration,
        participant=administration.participant,
        data={"reason": reason},
    )
    return administration


@transaction.atomic
def administration_decline(
    *, actor: User, administration: Administration, reason: str = ""
) -> Administration:
    """The participant declines this assessment (B4): that is their right, and it is recorded as such."""
    return _close(
        actor, administration, Administration.Status.DECLINED, reason, "assessments.administration.declined"
    )


@transaction.atomic
def administration_postpone(
    *, actor: User, administration: Administration, reason: str = ""
) -> Administration:
    """Set aside for later; saving answers again resumes it."""
    return _close(
        actor, administration, Administration.Status.POSTPONED, reason, "assessments.administration.postponed"
    )


def administration_score(administration: Administration) -> dict[str, Any]:
    """The score of a completed administration, always by the version that was administered."""
    if administration.status != Administration.Status.COMPLETED:
        raise ValidationError(_("This assessment is not completed, so it has no score yet."))
    return score(administration.version.parsed, administration.answers)
