"""The by-name list's table is rewritten every day (ranks, chronic figures): on PostgreSQL, autovacuum visits
it after 2 % of its rows changed instead of 20 %, and its pages keep room for updates in place (HOT), so dead
rows are reclaimed before they bloat it (issue 16: 237 MB for 41 MB of live rows). Nothing on SQLite."""

from django.db import migrations

TABLE = "access_bynameentry"
SETTINGS = {
    "autovacuum_vacuum_scale_factor": "0.02",
    "autovacuum_analyze_scale_factor": "0.02",
    "autovacuum_vacuum_threshold": "1000",
    "fillfactor": "85",
}


def tune(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    values = ", ".join(f"{name} = {value}" for name, value in SETTINGS.items())
    schema_editor.execute(f"ALTER TABLE {TABLE} SET ({values})")


def untune(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"ALTER TABLE {TABLE} RESET ({', '.join(SETTINGS)})")


class Migration(migrations.Migration):
    dependencies = [("access", "0011_by_name_rank_id_index")]

    operations = [migrations.RunPython(tune, untune, elidable=False)]
