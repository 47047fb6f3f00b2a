"""Writing the audit trail, and turning its action codes into sentences in both languages."""

from __future__ import annotations

import contextvars
import datetime
import decimal
import functools
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connections, models, router
from django.db.models.fields.files import FieldFile
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ancrage.core import bulk, clock
from ancrage.core.models import AuditEntry

# Each app declares its codes (its audit_actions.py, registered in its AppConfig.ready()).
from ancrage.core.registry import ACTIONS, action_sentence, register_actions

__all__ = ["ACTIONS", "register_actions"]

MASK = "•••"


# Values written as they are (most of a snapshot): no conversion to look for.
_AS_IS = frozenset({str, int, bool, float, type(None)})


def _plain(value: Any) -> Any:
    if type(value) in _AS_IS:
        return value
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, FieldFile):
        return value.name or ""
    if isinstance(value, list | tuple | set | frozenset):
        return sorted(_plain(v) for v in value)
    return value


@functools.cache
def _snapshot_fields(opts) -> tuple[tuple[str, str], ...]:
    """(name, attname) of the concrete fields a snapshot holds, for one model (its `_meta`)."""
    return tuple(
        (field.name, field.attname)
        for field in opts.concrete_fields
        if field.name not in {"search_text", "updated_at", "created_at"}
    )


def snapshot(instance: models.Model, fields: list[str] | None = None) -> dict[str, Any]:
    """The concrete field values of `instance`, as JSON-ready values."""
    values = {}
    for name, attname in _snapshot_fields(instance._meta):
        if fields is not None and name not in fields:
            continue
        values[name] = _plain(getattr(instance, attname))
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
    """Write one audit entry. Call it inside the service's transaction. (Inside `entries_kept()` the entry is
    kept, written with the others before anything reads the trail: it has no id until then.)"""
    written = entry(
        actor=actor,
        action=action,
        obj=obj,
        participant=participant,
        organisation=organisation,
        data=data,
        is_read=is_read,
    )
    kept = _KEPT.get()
    if kept is not None:
        kept.append(written)
        return written
    written.save(force_insert=True)
    return written


# Inside `entries_kept()`: the entries `record` made, not written yet, in their order.
_KEPT: contextvars.ContextVar[list[AuditEntry] | None] = contextvars.ContextVar(
    "ancrage_audit_kept", default=None
)


@contextmanager
def entries_kept() -> Iterator[None]:
    """A build that records thousands of things in one transaction (the demo): inside, the entries `record`
    makes are kept and written together, in their order (in as few statements as the database takes, of at
    most 2000 entries), before any statement that reads or writes the audit trail and at the block's end. Whatever reads the trail inside
    sees every entry recorded before, and the entries are the ones `record` would have written one by one,
    with the same ids. A block left on an error writes none (its transaction is rolled back)."""
    kept: list[AuditEntry] = []
    table = AuditEntry._meta.db_table

    def trail_written_first(execute, sql, params, many, context):
        if kept and table in sql:
            _write_kept(kept)
        return execute(sql, params, many, context)

    token = _KEPT.set(kept)
    try:
        with connections[router.db_for_write(AuditEntry)].execute_wrapper(trail_written_first):
            yield
            _write_kept(kept)
    finally:
        _KEPT.reset(token)


def _write_kept(kept: list[AuditEntry]) -> None:
    rows = list(kept)
    kept.clear()  # before the INSERT, which passes `trail_written_first` too
    AuditEntry.objects.bulk_create(rows, batch_size=2000)


def entry(
    *,
    actor,
    action: str,
    obj: models.Model | None = None,
    participant=None,
    organisation=None,
    data: dict | None = None,
    is_read: bool = False,
) -> AuditEntry:
    """The entry `record` writes, not written yet (dated now, by the clock): a service that writes many
    things at once makes each one's entry as `record` would, then writes them all with `record_all`."""
    if action not in ACTIONS:
        raise ValueError(f"Unknown audit action {action!r}: declare it in its app's audit_actions.py")
    if organisation is None and actor is not None and getattr(actor, "pk", None):
        membership = actor.primary_membership
        organisation = membership.organisation if membership else None
    return AuditEntry(
        actor=actor if getattr(actor, "pk", None) else None,
        organisation=organisation,
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        participant=participant,
        is_read=is_read,
        data=data or {},
    )


@functools.cache
def _entry_columns() -> tuple[str, ...]:
    return tuple(field.attname for field in AuditEntry._meta.concrete_fields)


def record_all(entries: list[AuditEntry]) -> list[AuditEntry]:
    """Write the entries `entry` made, in their order, in one statement a batch of 2000. Call it inside the
    service's transaction, like `record`."""
    if entries:
        AuditEntry.objects.bulk_create(entries, batch_size=2000)
    return entries


def record_many(*, actor, action: str, items, organisation=None) -> list[AuditEntry]:
    """Write the audit entries of a bulk write (a matching run, a nightly job, an import), all with one
    action code, in one statement (`bulk.insert`: from a hundred entries on PostgreSQL, their keys then a
    COPY): `items` are (obj, participant or participant id, data) triples. Call it inside the service's
    transaction, like `record`."""
    if action not in ACTIONS:
        raise ValueError(f"Unknown audit action {action!r}: declare it in its app's audit_actions.py")
    if organisation is None and actor is not None and getattr(actor, "pk", None):
        membership = actor.primary_membership
        organisation = membership.organisation if membership else None
    actor = actor if getattr(actor, "pk", None) else None
    # Built from their columns in order (a third of the keyword form's time, for thousands of entries).
    order = _entry_columns()
    common = {
        "id": None,
        "actor_id": actor.pk if actor is not None else None,
        "organisation_id": organisation.pk if organisation is not None else None,
        "action": action,
        "is_read": False,
    }
    rows = []
    for obj, participant, data in items:
        values = {
            **common,
            "at": clock.now(),
            "object_type": obj._meta.label_lower if obj is not None else "",
            "object_id": str(obj.pk) if obj is not None else "",
            "participant_id": getattr(participant, "pk", participant),
            "data": data or {},
        }
        rows.append(AuditEntry(*[values[name] for name in order]))
    if rows:
        bulk.insert(AuditEntry, rows, batch_size=2000)
    return rows


# The reads of this request, kept until its answer is known: (actor id, participant id, action code) ->
# the entry to write. The selectors that open a file record every read, and a page that calls two of them
# still writes one entry per participant and kind. None outside a request (a task, a shell, a test calling
# a selector): every read is written at once.
_REQUEST_READS: contextvars.ContextVar[dict | None] = contextvars.ContextVar(
    "ancrage_request_reads", default=None
)
# In a write (POST and the like) the write's own entry says who touched the file: reads are not added to it.
_READS_MUTED: contextvars.ContextVar[bool] = contextvars.ContextVar("ancrage_reads_muted", default=False)


@contextmanager
def reads_scope(*, write: bool = False):
    """One request's reads: each (participant, kind) once; in a write request, none. Yields the pending
    entries; `flush_reads` writes them."""
    pending: dict = {}
    seen_token = _REQUEST_READS.set(pending)
    muted_token = _READS_MUTED.set(write)
    try:
        yield pending
    finally:
        _REQUEST_READS.reset(seen_token)
        _READS_MUTED.reset(muted_token)


_ONE_STATEMENT = 500


def flush_reads(pending: dict) -> int:
    """Write a request's read entries, all of them in one statement, in the request's own transaction: a
    page that shows at most 500 people (every page; exports write theirs with record_reads) sends one INSERT,
    which is its own transaction in autocommit or joins the request's atomic block, rather than opening a
    transaction of its own around it (BEGIN, INSERT, COMMIT: three round trips on every page)."""
    rows = list(pending.values())
    pending.clear()
    if not rows:
        return len(rows)
    if len(rows) > _ONE_STATEMENT:
        AuditEntry.objects.bulk_create(rows, batch_size=_ONE_STATEMENT)
        return len(rows)
    opts = AuditEntry._meta
    fields = [f for f in opts.concrete_fields if not f.primary_key]
    AuditEntry._base_manager._insert(rows, fields=fields, using=router.db_for_write(AuditEntry))  # type: ignore[attr-defined]
    return len(rows)


class ReadAuditMiddleware:
    """Collects the read entries the selectors record during a request (pages and API alike) and writes
    them once the answer is a success: a read is what was shown, so a 404, a refusal, a redirect or an error
    after the file was opened writes none. A write request records its write, not its reads."""

    SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with reads_scope(write=request.method not in self.SAFE_METHODS) as pending:
            response = self.get_response(request)
            if 200 <= response.status_code < 300:
                flush_reads(pending)
        return response


def _read_entry(actor, participant_id: int, what: str, obj=None, data=None) -> AuditEntry:
    membership = actor.primary_membership if getattr(actor, "pk", None) else None
    return AuditEntry(
        actor=actor if getattr(actor, "pk", None) else None,
        organisation=membership.organisation if membership else None,
        action=what,
        object_type=obj._meta.label_lower if obj is not None else "people.participant",
        object_id=str(obj.pk) if obj is not None else str(participant_id),
        participant_id=participant_id,
        is_read=True,
        data=data or {},
    )


def _check_codes(codes) -> None:
    unknown = {what for what in codes if what not in ACTIONS}
    if unknown:
        raise ValueError(
            f"Unknown audit action {sorted(unknown)!r}: declare it in its app's audit_actions.py"
        )


def record_read(
    *, actor, participant, what: str = "people.participant.viewed", obj=None, data=None
) -> AuditEntry | None:
    """Reads of sensitive records are logged like writes (G2). In a request, the entry is kept for the end
    of the request (once per participant and kind, none in a write request: None then); elsewhere it is
    written at once."""
    _check_codes([what])
    pending = _REQUEST_READS.get()
    if pending is None:
        return record(
            actor=actor, action=what, obj=obj or participant, participant=participant, data=data, is_read=True
        )
    if _READS_MUTED.get():
        return None
    key = (getattr(actor, "pk", None), participant.pk, what)
    if key not in pending:
        pending[key] = _read_entry(actor, participant.pk, what, obj=obj or participant, data=data)
    return pending[key]


def read_entries_write(reads) -> list[AuditEntry]:
    """Write, in one statement, the read entries `record_read` would write one by one outside a request:
    `reads` are (moment, actor, participant, what, obj, data) tuples, each entry dated at its moment. For a
    build that records many reads in a row (the demo's "who saw my file")."""
    rows = []
    for moment, actor, participant, what, obj, data in reads:
        _check_codes([what])
        with clock.at(moment):
            rows.append(_read_entry(actor, participant.pk, what, obj=obj or participant, data=data))
    if rows:
        AuditEntry.objects.bulk_create(rows, batch_size=500)
    return rows


def record_reads(*, actor, reads, data: dict | None = None) -> int:
    """Read entries for what a list or an export showed, `reads` being (participant id, action code) pairs:
    written in one statement (at the end of the request, with its other reads), so a list's query count
    does not grow with its rows."""
    pairs = sorted(set(reads))
    _check_codes(what for _pk, what in pairs)
    pending = _REQUEST_READS.get()
    if pending is not None:
        if _READS_MUTED.get():
            return 0
        fresh = 0
        actor_id = getattr(actor, "pk", None)
        for pk, what in pairs:
            if (actor_id, pk, what) not in pending:
                pending[(actor_id, pk, what)] = _read_entry(actor, pk, what, data=data)
                fresh += 1
        return fresh
    rows = [_read_entry(actor, pk, what, data=data) for pk, what in pairs]
    if rows:
        AuditEntry.objects.bulk_create(rows, batch_size=500)
    return len(rows)


class PageReads:
    """A queryset handed to the API's @paginate whose page, once cut, is recorded as read: one entry per
    person shown (written with the request's other reads, in one statement), then each row mapped by `fn`."""

    def __init__(self, queryset, *, actor, action: str, participant_id=None, fn=None):
        self.queryset, self.actor, self.action = queryset, actor, action
        self.participant_id = participant_id or (lambda row: row.participant_id)
        self.fn = fn

    def all(self) -> PageReads:
        return self

    def count(self) -> int:
        return self.queryset.count()

    def __getitem__(self, key: slice) -> list[Any]:
        rows = list(self.queryset[key])
        record_reads(actor=self.actor, reads=[(self.participant_id(row), self.action) for row in rows])
        return [self.fn(row) for row in rows] if self.fn else rows


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
        entry.detail_rows = [] if entry.values_hidden else detail_rows(entry)  # type: ignore[attr-defined]


# What an entry holds besides its changes, in words: an export's format, rows and filters, a policy's
# version, the version it replaces and why. Other keys (identifiers, checksums) are not shown.
DETAIL_LABELS: dict[str, Any] = {
    "version": _("Version"),
    "policy_version": _("Priority policy version"),
    "replaces": _("Replaces version"),
    "reason": _("Reason"),
    "format": _("Format"),
    "rows": _("Rows"),
    "hidden": _("Entries counted, not listed"),
    "filters": _("Filters"),
}
# The filters of the lists that are exported, in words; a filter not named here shows its code.
FILTER_LABELS: dict[str, Any] = {
    "status": _("Status"),
    "reference_worker_id": _("Reference worker"),
    "chronic": _("Chronic"),
    "organisation_id": _("Home organisation"),
    "sort": _("Sort"),
    "search": _("Name"),
    "born": _("Date of birth"),
    "action": _("Action"),
    "user": _("Who"),
    "since": _("From"),
    "until": _("To"),
    "participant": _("Participant"),
}


def _detail_value(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    return str(value)


def detail_rows(entry: AuditEntry) -> list[tuple[str, str]]:
    """[(label, value)] of what the entry's data says besides its changes, in the reader's language."""
    data = entry.data if isinstance(entry.data, dict) else {}
    rows = []
    for key, label in DETAIL_LABELS.items():
        if key not in data:
            continue
        value = data[key]
        if key == "filters":
            filters = value if isinstance(value, dict) else {}
            shown = "; ".join(
                f"{FILTER_LABELS.get(name, name)}: {_detail_value(v)}" for name, v in sorted(filters.items())
            )
            rows.append((str(label), shown or gettext("none")))
        elif key == "format":
            rows.append((str(label), str(value).upper()))
        else:
            rows.append((str(label), _detail_value(value)))
    return rows
