"""The session store: Django's database sessions, never asked about a cookie that cannot be one of its keys,
and not rewritten on every page.

Sessions end after SESSION_COOKIE_AGE of inactivity (settings). Saving the session on every request
(SESSION_SAVE_EVERY_REQUEST) made each page read an UPDATE of the session row, a write and a commit on every
read: the store instead pushes the expiry forward when the session is read and its expiry was last set more
than SESSION_REFRESH_SECONDS ago (one minute), so a session still ends after its idle time, give or take that
minute, and reading a page writes nothing."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.sessions.backends.base import VALID_KEY_CHARS
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore

from ancrage.core import clock

_KEY_CHARS = frozenset(VALID_KEY_CHARS)
SESSION_REFRESH_SECONDS = 60


class SessionStore(DatabaseSessionStore):
    """A session cookie holding anything but a key Django could have made (a NUL byte, which PostgreSQL
    refuses in a query, or 5,000 characters) is no session at all: the visitor is simply not signed in."""

    def _validate_session_key(self, key):
        return bool(key) and 8 <= len(key) <= 64 and set(key) <= _KEY_CHARS

    def _get_session_from_db(self):
        session = super()._get_session_from_db()  # type: ignore[misc]
        if session is not None and self.needs_refresh(session.expire_date, clock.now()):
            # Saved at the end of the request (SessionMiddleware saves a modified session).
            self.modified = True
        return session

    @staticmethod
    def needs_refresh(expire_date: datetime.datetime, now: datetime.datetime) -> bool:
        """True once the expiry was set more than SESSION_REFRESH_SECONDS ago."""
        age = datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE)
        return expire_date - now < age - datetime.timedelta(seconds=SESSION_REFRESH_SECONDS)
