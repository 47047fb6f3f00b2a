"""The session store writes the session on a read only to push its expiry forward, at most once a minute."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ancrage.core import clock
from ancrage.core.sessions import SESSION_REFRESH_SECONDS, SessionStore


def test_needs_refresh_after_a_minute():
    now = datetime.datetime(2026, 3, 1, 12, tzinfo=datetime.UTC)
    age = datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE)
    assert not SessionStore.needs_refresh(now + age, now)
    assert not SessionStore.needs_refresh(
        now + age - datetime.timedelta(seconds=SESSION_REFRESH_SECONDS), now
    )
    assert SessionStore.needs_refresh(
        now + age - datetime.timedelta(seconds=SESSION_REFRESH_SECONDS + 1), now
    )


@pytest.mark.django_db
def test_reading_a_page_writes_no_session_within_the_minute(client_for, case_manager_a):
    start = clock.now()
    with time_machine.travel(start, tick=False):
        c = client_for(case_manager_a)
    with (
        time_machine.travel(start + datetime.timedelta(seconds=20), tick=False),
        CaptureQueriesContext(connection) as captured,
    ):
        assert c.get(reverse("home")).status_code == 200
    writes = [q["sql"] for q in captured.captured_queries if "django_session" in q["sql"]]
    assert writes
    assert all(sql.lstrip().upper().startswith("SELECT") for sql in writes), writes
    with (
        time_machine.travel(start + datetime.timedelta(minutes=5), tick=False),
        CaptureQueriesContext(connection) as captured,
    ):
        assert c.get(reverse("home")).status_code == 200
    assert any(
        q["sql"].lstrip().upper().startswith("UPDATE") and "django_session" in q["sql"]
        for q in captured.captured_queries
    )
    session = Session.objects.get(session_key=c.session.session_key)
    assert session.expire_date == start + datetime.timedelta(minutes=5, seconds=settings.SESSION_COOKIE_AGE)


@pytest.mark.django_db
def test_an_idle_session_still_ends(client_for, case_manager_a):
    start = clock.now()
    with time_machine.travel(start, tick=False):
        c = client_for(case_manager_a)
    later = start + datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE + 1)
    with time_machine.travel(later, tick=False):
        response = c.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
