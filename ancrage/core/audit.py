"""Writing the audit trail, and turning its action codes into sentences in both languages."""

from __future__ import annotations

import datetime
import decimal
from typing import Any

from django.db import models

from ancrage.core.models import AuditEntry

# Each app declares its codes (its audit_actions.py, registered in its AppConfig.ready()).
from ancrage.core.registry import ACTIONS, action_sentence, register_actions

__all__ = ["ACTIONS", "register_actions"]

MASK = "•••"

def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    from django.db.models.fields.files import FieldFile

    if isinstance(value, FieldFile):
        return value.name or ""
    if isinstance(value, list | tuple | set | frozenset):
        return sorted(_plain(v) for v in value)
    return value


def snapshot(instance: models.Model, fields: list[str] | None = None) -> dict[str, Any]:
    """The concrete field values of `instance`, as JSON-ready values."""
    values = {}
    for field in instance._meta.concrete_fields:
        if fields is not None and field.name not in fields:
            continue
        if field.name in {"search_text", "updated_at", "created_at"}:
            continue
        values[field.name] = _plain(getattr(instance, field.attname))
    return values


def changes(before: dict[str, Any], after: dict[str, Any], sensitive: frozenset[str] = frozenset()) -> dict:
    """{field: [old, new]} for fields that changed, with sensitive values masked."""
    result: dict[str, list[Any]] = {}
    for key in sorted(set(before) | set(after)):
        old, new = before.get(key), after.get(key)
        if old != new:
            if key in sensitive:
                result[key] = [MASK if old not in (None, "") else "", MASK if new not in (None, "") else ""]
            else:
                result[key] = [old, new]
    return result


def record(
    *,
    actor,
    action: str,
    obj: models.Model | None = None,
    participant=None,
    organisation=None,
    data: dict | None = None,
    is_read: bool = False,
) -> AuditEntry:
    """Write one audit entry. Call it inside the service's transaction."""
    if action not in ACTIONS:
        raise ValueError(f"Unknown audit action {action!r}: declare it in its app's audit_actions.py")
    if organisation is None and actor is not None and getattr(actor, "pk", None):
        membership = actor.primary_membership
        organisation = membership.organisation if membership else None
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        organisation=organisation,
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        participant=participant,
        is_read=is_read,
        data=data or {},
    )


def record_read(
    *, actor, participant, what: str = "people.participant.viewed", obj=None, data=None
) -> AuditEntry:
    """Reads of sensitive records are logged like writes (G2)."""
    return record(
        actor=actor, action=what, obj=obj or participant, participant=participant, data=data, is_read=True
    )


def record_reads(*, actor, reads, data: dict | None = None) -> int:
    """Read entries for what a list showed, `reads` being (participant id, action code) pairs: written in one
    statement, so a list's query count does not grow with its rows."""
    pairs = sorted(set(reads))
    unknown = {what for _pk, what in pairs if what not in ACTIONS}
    if unknown:
        raise ValueError(
            f"Unknown audit action {sorted(unknown)!r}: declare it in its app's audit_actions.py"
        )
    if not pairs:
        return 0
    membership = actor.primary_membership if getattr(actor, "pk", None) else None
    rows = [
        AuditEntry(
            actor=actor,
            organisation=membership.organisation if membership else None,
            action=what,
            object_type="people.participant",
            object_id=str(pk),
            participant_id=pk,
            is_read=True,
            data=data or {},
        )
        for pk, what in pairs
    ]
    AuditEntry.objects.bulk_create(rows, batch_size=500)
    return len(rows)


def describe(entry: AuditEntry) -> str:
    return action_sentence(entry.action)


# Bookkeeping fields that say nothing to a reader of the trail.
_HIDDEN_IN_CHANGES = frozenset(
    {"id", "created_by", "recorded_by", "uploaded_by", "merged_into", "portal_user"}
)


def change_rows(entries: list[AuditEntry], readable: set[int] | None = None) -> None:
    """Attach `change_rows` [(label, old, new)] to each entry, in words: field names, choice labels, and
    the names of linked records (fetched once per model for the whole page, not once per row).
    A creation shows no rows: its sentence says enough, and its values are on the record itself.
    An entry outside `readable` (ids; None: all) keeps its field names and loses its values: it says
    what changed, never to what (`values_hidden`)."""
    from django.apps import apps

    wanted: dict[Any, set] = {}
    plans = []
    for entry in entries:
        hidden = readable is not None and entry.pk not in readable
        entry.values_hidden = hidden  # type: ignore[attr-defined]
        rows = []
        diff = entry.data.get("changes") or {}
        if not entry.action.endswith(".created"):
            try:
                model = apps.get_model(entry.object_type) if entry.object_type else None
            except (LookupError, ValueError):
                model = None
            for name, (old, new) in diff.items():
                if name in _HIDDEN_IN_CHANGES:
                    continue
                field = None
                if model is not None:
                    try:
                        field = model._meta.get_field(name)
                    except Exception:
                        field = None
                if hidden:
                    old = new = None
                elif field is not None and field.is_relation and field.related_model is not None:
                    wanted.setdefault(field.related_model, set()).update(
                        v for v in (old, new) if v not in (None, "")
                    )
                rows.append((name, field, old, new))
        plans.append((entry, rows))
    names = {
        related: {obj.pk: str(obj) for obj in related._default_manager.filter(pk__in=ids)}
        for related, ids in wanted.items()
    }

    def shown(field, value):
        if value in (None, "") or value == MASK:
            return value
        if field is None:
            return value
        if field.is_relation and field.related_model is not None:
            return names.get(field.related_model, {}).get(value, value)
        if field.choices:
            return dict(field.flatchoices).get(value, value)
        return value

    for entry, rows in plans:
        entry.change_rows = [  # type: ignore[attr-defined]
            (str(field.verbose_name) if field is not None else name, shown(field, old), shown(field, new))
            for name, field, old, new in rows
        ]
