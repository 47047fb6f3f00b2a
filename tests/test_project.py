"""Project-level promises: the README lists every demo account and the two commands (migrations: test_migrations)."""

from pathlib import Path

import pytest

from ancrage.demo.accounts import ACCOUNTS

ROOT = Path(__file__).resolve().parent.parent


def test_readme_lists_every_demo_account_and_the_two_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make run" in readme
    assert "make test" in readme
    missing = [username for username, *_ in ACCOUNTS if f"`{username}`" not in readme]
    assert not missing, f"README.md does not list these demo accounts: {missing}"


def test_ci_calls_make_test():
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def _database_settings(env: dict[str, str]) -> dict:
    import json
    import os
    import subprocess
    import sys

    code = "import json; from config import settings; print(json.dumps(settings.DATABASES['default'].get('OPTIONS', {})))"
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**os.environ, "ANCRAGE_TESTING": "1", "DB_JIT": "", **env},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_postgresql_connections_run_without_jit_unless_asked():
    """JIT compiled a 0.05 ms query of the home page for 0.9 s at 100,000 people (issue 16)."""
    url = "postgres://someone@db.example:5432/ancrage"
    assert _database_settings({"DATABASE_URL": url})["options"] == "-c jit=off"
    kept = _database_settings({"DATABASE_URL": url + "?options=-c%20statement_timeout%3D5000"})
    assert kept["options"] == "-c statement_timeout=5000 -c jit=off"
    assert "options" not in _database_settings({"DATABASE_URL": url, "DB_JIT": "1"})
    assert "options" not in _database_settings({"DATABASE_URL": "sqlite:////tmp/x.sqlite3"})


@pytest.mark.django_db
def test_this_database_runs_without_jit_when_it_is_postgresql():
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW jit")
            assert cursor.fetchone()[0] == "off"
        else:
            assert "jit" not in str(connection.settings_dict.get("OPTIONS", {}))
