"""The session store: Django's database sessions, never asked about a cookie that cannot be one of its keys."""

from __future__ import annotations

from django.contrib.sessions.backends.base import VALID_KEY_CHARS
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore

_KEY_CHARS = frozenset(VALID_KEY_CHARS)


class SessionStore(DatabaseSessionStore):
    """A session cookie holding anything but a key Django could have made (a NUL byte, which PostgreSQL
    refuses in a query, or 5,000 characters) is no session at all: the visitor is simply not signed in."""

    def _validate_session_key(self, key):
        return bool(key) and 8 <= len(key) <= 64 and set(key) <= _KEY_CHARS
