"""The bench's databases and the gunicorn it serves them with.

Scale data is built once per size into its own database (`<BENCH_DB>_<size>`), with a marker in the
database's comment (the size and the project's migrations): a later run finds it and skips the seeding. Each
run measures a copy (`CREATE DATABASE … TEMPLATE`, a file copy in PostgreSQL: seconds, not minutes), and
drops the copy at the end: the built database is left as it was found, whatever the pages and jobs write
(read audit entries, sessions, ranks, matches)."""

from __future__ import annotations

import hashlib
import os
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import dj_database_url
import psycopg
from psycopg import sql
from psycopg.conninfo import make_conninfo

BASE_DIR = Path(__file__).resolve().parents[3]
MANAGE = [sys.executable, str(BASE_DIR / "manage.py")]


class BenchError(Exception):
    pass


def _config(url: str) -> Any:
    config = dj_database_url.parse(url)
    if "postgresql" not in config["ENGINE"]:
        raise BenchError("bench needs a PostgreSQL URL (postgres://user@host:port/name).")
    return config


def database_url(url: str, name: str) -> str:
    """The same server as `url`, another database."""
    head, _sep, _tail = url.rpartition("/")
    query = ""
    if "?" in _tail:
        query = "?" + _tail.split("?", 1)[1]
    return f"{head}/{name}{query}"


def database_name(url: str) -> str:
    return _config(url)["NAME"]


def _admin(url: str) -> psycopg.Connection:
    config = _config(url)
    params = {
        "host": config.get("HOST"),
        "port": config.get("PORT"),
        "user": config.get("USER"),
        "password": config.get("PASSWORD"),
        "dbname": "postgres",
    }
    return psycopg.connect(make_conninfo(**{k: str(v) for k, v in params.items() if v}), autocommit=True)


def check_name(name: str) -> None:
    if not name or name in {"postgres", "template0", "template1"} or "bench" not in name:
        raise BenchError(f"The bench creates and drops the database {name!r}: its name must contain 'bench'.")


def schema_marker(participants: int) -> str:
    """What a built database was built from: its size and every migration file of the project."""
    digest = hashlib.sha256()
    for path in sorted((BASE_DIR / "ancrage").glob("*/migrations/0*.py")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return f"ancrage-bench participants={participants} migrations={digest.hexdigest()[:16]}"


def database_comment(url: str, name: str) -> str | None:
    """The comment of a database, None when it does not exist."""
    with _admin(url) as conn:
        row = conn.execute(
            "SELECT coalesce(shobj_description(oid, 'pg_database'), '') FROM pg_database WHERE datname = %s",
            [name],
        ).fetchone()
    return None if row is None else row[0]


def create_database(url: str, name: str, *, template: str | None = None, comment: str | None = None) -> None:
    check_name(name)
    with _admin(url) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        if template:
            conn.execute(
                sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                    sql.Identifier(name), sql.Identifier(template)
                )
            )
        else:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        if comment is not None:
            conn.execute(
                sql.SQL("COMMENT ON DATABASE {} IS {}").format(sql.Identifier(name), sql.Literal(comment))
            )


def drop_database(url: str, name: str) -> None:
    check_name(name)
    with _admin(url) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def manage(*arguments: str, env: dict[str, str]) -> None:
    done = subprocess.run([*MANAGE, *arguments], env=env, check=False)  # noqa: S603
    if done.returncode:
        raise BenchError(f"manage.py {arguments[0]} failed (exit {done.returncode}).")


def ensure_built(url: str, participants: int, *, say=print, seed_args: tuple[str, ...] = ()) -> str:
    """The database of scale data for `participants`, built unless a database with the same marker exists;
    returns its name."""
    name = f"{database_name(url)}_{participants}"
    marker = schema_marker(participants)
    if database_comment(url, name) == marker:
        say(f"Reusing {name} (built earlier, same migrations).")
        return name
    began = time.perf_counter()
    create_database(url, name)
    env = {**os.environ, "DATABASE_URL": database_url(url, name), "ANCRAGE_TESTING": "1"}
    manage("migrate", "--noinput", "-v0", env=env)
    manage("seed_scale", "--participants", str(participants), *seed_args, env=env)
    with _admin(url) as conn:
        conn.execute(
            sql.SQL("COMMENT ON DATABASE {} IS {}").format(sql.Identifier(name), sql.Literal(marker))
        )
    say(f"Built {name} in {time.perf_counter() - began:.0f} s.")
    return name


@contextmanager
def copy_of(url: str, template: str) -> Iterator[str]:
    """A copy of `template` for one run, dropped afterwards; yields its URL."""
    name = f"{template}_run"
    create_database(url, name, template=template)
    try:
        yield database_url(url, name)
    finally:
        drop_database(url, name)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def production_env(database: str, port: int) -> dict[str, str]:
    """Production settings: no DEBUG, no DEMO, not the tests' settings; a fresh secret; loopback only; the
    Server-Timing header on."""
    env = {k: v for k, v in os.environ.items() if k not in {"ANCRAGE_TESTING", "DEMO", "DEBUG"}}
    return env | {
        "DATABASE_URL": database,
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "CSRF_TRUSTED_ORIGINS": f"https://127.0.0.1:{port}",
        "BENCH_SERVER_TIMING": "1",
        "LOG_LEVEL": "ERROR",
    }


def prepare_static(env: dict[str, str]) -> None:
    """Production serves compiled catalogues and hashed static files (whitenoise's manifest)."""
    manage("compile_catalogue", env=env)
    manage("collectstatic", "--noinput", "-v0", env=env)


@contextmanager
def gunicorn(database: str, *, workers: int = 2, port: int | None = None) -> Iterator[str]:
    """gunicorn on 127.0.0.1 with production settings and `workers` sync workers; yields its base URL."""
    port = port or free_port()
    env = production_env(database, port)
    prepare_static(env)
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "config.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        "sync",
        "--timeout",
        "120",
        "--log-level",
        "warning",
    ]
    process = subprocess.Popen(command, cwd=BASE_DIR, env=env)  # noqa: S603
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise BenchError(f"gunicorn stopped (exit {process.returncode}).")
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise BenchError("gunicorn did not listen within 60 s.") from None
                time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
