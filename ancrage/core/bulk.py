"""Work over many rows at once: Python's cycle collector paused while a computation builds its hundreds
of thousands of small objects (a night's ranks, a community's report, an import's batch:
`cycle_collector_paused`), and many new rows of one model written faster than `bulk_create` writes
them on PostgreSQL (`insert`).

Each object a collection would look at is one of the computation's own rows, tuples and lists, none of
which refer back to each other in a cycle; yet every few thousand new objects Python starts a collection,
and the oldest generation's collections walk everything the process holds (Django's own objects included)
again and again: measured at 100,000 people, half to two thirds of the Python time of the ranks and of the
outcomes report. Paused, the objects are freed by their reference counts as usual; anything cyclic is
collected once the collector is back.

On PostgreSQL, Django's `bulk_create` sends each value through its field's preparation and psycopg's array
adaptation (`INSERT ... SELECT * FROM UNNEST(...)`): for the HMIS import's 20,000 participants, their
identifiers and their 40,000 audit entries, that was most of the clients stage. `insert` draws the new
rows' keys from the table's sequence and sends the rows by COPY instead: the same rows, the same keys set
on the instances, several times faster. A few rows go by `bulk_create` (one statement, where COPY needs
two), and so does every row elsewhere (SQLite).
"""

from __future__ import annotations

import contextlib
import datetime
import gc
import time
from collections.abc import Callable, Iterator, Sequence
from operator import attrgetter
from typing import Any, TypeVar

from django.db import DEFAULT_DB_ALIAS, connection, connections, models
from django.db.backends.base.base import BaseDatabaseWrapper

# Below this many rows, one INSERT (`bulk_create`) costs less than asking for the keys, then copying.
COPY_FROM = 100
BATCH = 1000

M = TypeVar("M", bound=models.Model)

# pre_save methods that only read the value (when the field is not auto_now / auto_now_add).
_PLAIN_PRE_SAVE = frozenset({models.Field.pre_save, models.DateField.pre_save, models.DateTimeField.pre_save})


def _as_is(field: models.Field) -> frozenset[type]:
    """The types of value `field`'s preparation for PostgreSQL returns unchanged (none: always prepare)."""
    if isinstance(field, models.ForeignKey):
        return _as_is(field.target_field)
    if isinstance(field, models.BooleanField):
        return frozenset({bool, type(None)})
    if isinstance(field, models.CharField | models.TextField):
        return frozenset({str, type(None)})
    if isinstance(field, models.IntegerField):
        return frozenset({int, type(None)})
    if isinstance(field, models.DateTimeField):
        return frozenset({type(None)})  # an aware moment too: see _preparer
    if isinstance(field, models.DateField):
        return frozenset({datetime.date, type(None)})
    return frozenset()


def _preparer(field: models.Field, db: BaseDatabaseWrapper) -> Callable[[Any], Any]:
    """`field`'s preparation of a value for the database (`get_db_prep_save`), for the values `_as_is`
    does not let through; an aware datetime goes as it is (what Django's preparation returns for it)."""
    prepare = field.get_db_prep_save
    if isinstance(field, models.DateTimeField):

        def moment(value: Any) -> Any:
            if type(value) is datetime.datetime and value.tzinfo is not None:
                return value
            return prepare(value, db)

        return moment
    return lambda value: prepare(value, db)


def _stamps(fields: list[models.Field]) -> list[tuple[int, models.Field]]:
    """(position, field) of the fields whose `pre_save` gives the value to write (a stamp, a file)."""
    return [
        (position, field)
        for position, field in enumerate(fields)
        if getattr(field, "auto_now", False)
        or getattr(field, "auto_now_add", False)
        or type(field).pre_save not in _PLAIN_PRE_SAVE
    ]


def _related_ready(model: type[models.Model]) -> Callable[[Any], None]:
    """What `bulk_create` checks of an instance's relations before writing it: a foreign key given as an
    object gets that object's key, an unsaved one is refused. Django's check runs only where it can act
    (a key left empty, a generic relation)."""
    opts = model._meta
    if any(f.is_relation for f in opts.private_fields):
        return lambda obj: obj._prepare_related_fields_for_save(operation_name="bulk_create")
    keys: list[Any] = [f for f in opts.concrete_fields if f.is_relation]  # foreign keys, one-to-one fields

    def ready(obj: Any) -> None:
        for field in keys:
            if getattr(obj, field.attname) is None and field.is_cached(obj):
                obj._prepare_related_fields_for_save(operation_name="bulk_create")
                return

    return ready


def insert(model: type[M], objs: Sequence[M], *, batch_size: int = BATCH) -> list[M]:
    """INSERT `objs`, new instances of `model` without keys, as `model.objects.bulk_create(objs)` does:
    their keys are set, their `pre_save` values (stamps) filled in, and they are marked saved. `batch_size`
    is `bulk_create`'s, where it writes them."""
    objs = list(objs)
    opts = model._meta
    if not objs:
        return objs
    if connection.vendor != "postgresql" or len(objs) < COPY_FROM:
        model._default_manager.bulk_create(objs, batch_size=batch_size)
        return objs
    pk = opts.pk
    if not isinstance(pk, models.AutoField | models.BigAutoField | models.SmallAutoField):
        raise TypeError(f"{opts.label}: insert() draws keys from a sequence; its key is not one")
    if any(obj.pk is not None for obj in objs):
        raise ValueError(f"{opts.label}: insert() writes new rows only; some already have a key")
    ready = _related_ready(model)
    for obj in objs:
        ready(obj)
    fields = [f for f in opts.concrete_fields if f is not pk]
    read = attrgetter(*(f.attname for f in fields))
    db = connections[DEFAULT_DB_ALIAS]  # the connection itself, not its per-thread proxy
    kinds = [(_as_is(f), _preparer(f, db)) for f in fields]
    stamps = _stamps(fields)
    table = db.ops.quote_name(opts.db_table)
    columns = ", ".join(db.ops.quote_name(str(f.column)) for f in [pk, *fields])
    statement = f"COPY {table} ({columns}) FROM STDIN"
    with db.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [opts.db_table, pk.column, len(objs)],
        )
        keys = [key for (key,) in cursor.fetchall()]
        began = time.monotonic()
        with cursor.cursor.copy(statement) as copy:
            for obj, key in zip(objs, keys, strict=True):
                values = list(read(obj)) if len(fields) > 1 else [read(obj)]
                for position, field in stamps:
                    values[position] = field.pre_save(obj, True)
                copy.write_row(
                    [
                        key,
                        *[
                            value if type(value) in as_is else prepare(value)
                            for value, (as_is, prepare) in zip(values, kinds, strict=True)
                        ],
                    ]
                )
        if db.queries_logged:
            # Counted with the connection's other statements (query-count tests see it).
            db.queries_log.append(
                {"sql": f"{statement} -- {len(objs)} rows", "time": f"{time.monotonic() - began:.3f}"}
            )
    # Written: the instances take their keys and are saved ones (left as they were if the COPY failed).
    for obj, key in zip(objs, keys, strict=True):
        setattr(obj, pk.attname, key)
        obj._state.adding = False
        obj._state.db = db.alias
    return objs


@contextlib.contextmanager
def cycle_collector_paused() -> Iterator[None]:
    """Pause Python's cycle collector inside the block (restored as it was, even on an error)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
