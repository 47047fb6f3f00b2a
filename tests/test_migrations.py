"""Every app's migrations go both ways: to zero and back gives the same schema, and a step back and forth
keeps the rows written before it."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from ancrage.core import clock
from tests.migrating import Migrations


def _project_apps() -> list[str]:
    """The labels of Ancrage's own apps that have migrations (third-party apps test their own)."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    return sorted(
        config.label
        for config in apps.get_app_configs()
        if config.name.startswith("ancrage.") and config.label in loader.migrated_apps
    )


def _schema() -> dict[str, tuple[frozenset[tuple[str, bool]], frozenset[str]]]:
    """Each table: its columns (name, nullable) and the names of its constraints and indexes."""
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        return {
            table: (
                frozenset(
                    (column.name, bool(column.null_ok))
                    for column in connection.introspection.get_table_description(cursor, table)
                ),
                frozenset(
                    name
                    for name in connection.introspection.get_constraints(cursor, table)
                    # SQLite numbers its unnamed constraints in the order it reads them: not a name.
                    if not name.startswith("__unnamed_constraint_")
                ),
            )
            for table in tables
        }


# Tables derived from others (people.ConsentVisibility: who may see whom, from the consents), which a
# migration fills again from their source.
DERIVED_TABLES = {"people_consentvisibility"}


def _rows(tables: list[str]) -> dict[str, list[tuple]]:
    """Every row of these tables, in a stable order, as the database returns them."""
    quote = connection.ops.quote_name
    found = {}
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"SELECT * FROM {quote(table)} ORDER BY 1")
            found[table] = [tuple(str(value) for value in row) for row in cursor.fetchall()]
    return found


def test_every_project_app_is_covered():
    labels = _project_apps()
    assert {
        "access",
        "accounts",
        "assessments",
        "casework",
        "core",
        "housing",
        "organisations",
        "people",
    } <= set(labels)


@pytest.mark.django_db(transaction=True)
def test_every_app_migrates_to_zero_and_back_to_the_same_schema():
    """Every app of the project goes to zero (each of its migrations undone, in dependency order) and back
    to its latest migration, and the database has the same tables, columns and constraints as before.
    One round for all apps, in one plan each way: each app's round would undo nearly everything anyway, as
    they depend on each other."""
    before = _schema()
    labels = _project_apps()
    own_tables = {
        label: {model._meta.db_table for model in apps.get_app_config(label).get_models()} for label in labels
    }
    for label in labels:
        assert own_tables[label] <= set(before), label

    migrations = Migrations()
    own_migrations = {node for node in migrations.graph.nodes if node[0] in labels}
    assert own_migrations <= migrations.applied
    migrations.undo([migrations.first(label) for label in labels])
    assert not own_migrations & migrations.applied, "some migrations were not undone"
    remaining = set(_schema())
    for label in labels:
        assert not own_tables[label] & remaining, f"{label} at zero still has {own_tables[label] & remaining}"

    migrations.apply()
    assert own_migrations <= migrations.applied
    after = _schema()
    assert set(after) == set(before)
    changed = {table: (before[table], after[table]) for table in before if after[table] != before[table]}
    assert not changed, f"after zero and back, these tables differ: {changed}"


@pytest.mark.django_db(transaction=True)
def test_last_migrations_back_and_forth_keep_the_data(participant_a, case_manager_a, org_b):
    """Rows written at the latest state survive undoing each app's last migration (and what depends on it) and
    applying them again."""
    from ancrage.people import services

    services.alias_add(actor=case_manager_a, participant=participant_a, name="Élo")
    services.consent_record(
        actor=case_manager_a,
        participant=participant_a,
        organisations=[org_b],
        categories=["identity"],
        purpose="Coordinated access",
        starts_on=clock.today(),
        method="written",
    )
    tables = sorted(
        {model._meta.db_table for config in apps.get_app_configs() for model in config.get_models()}
        & set(connection.introspection.table_names())
    )
    before = _rows(tables)
    assert sum(len(rows) for rows in before.values()) > 10

    migrations = Migrations()
    every_leaf = [migrations.leaf(label) for label in _project_apps()]
    migrations.undo(every_leaf)
    assert not set(every_leaf) & migrations.applied
    migrations.apply()
    assert set(migrations.graph.leaf_nodes()) <= migrations.applied

    after = _rows(tables)
    # A table derived from others and filled again by its migration gets new ids: its rows must be the same
    # but for the id (the first column).
    for table in DERIVED_TABLES & set(tables):
        before[table] = sorted(row[1:] for row in before[table])
        after[table] = sorted(row[1:] for row in after[table])
    lost = sorted(table for table in tables if after[table] != before[table])
    assert not lost, f"undoing and redoing the last migrations changed the rows of: {lost}"
