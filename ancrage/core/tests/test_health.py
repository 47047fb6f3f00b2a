"""Health page and monitoring JSON: who may read them, a late or failed job shows, the worker's state, and
a bounded number of queries."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from ancrage.core import health, scheduling
from ancrage.core.models import ScheduledRun
from ancrage.core.permissions import ROLE_PERMISSIONS, Role
from ancrage.people.tests.factories import member

pytestmark = pytest.mark.django_db

MONTREAL = ZoneInfo("America/Montreal")
MONDAY_10 = datetime.datetime(2030, 1, 14, 10, 2, tzinfo=MONTREAL)


def _all_on_time():
    with time_machine.travel(MONDAY_10, tick=False):
        runs = scheduling.enqueue_all_due()
    assert {run.status for run in runs} == {ScheduledRun.Status.SUCCEEDED}


def test_only_administrators_hold_the_permission():
    holders = {role for role, perms in ROLE_PERMISSIONS.items() if "core.view_health" in perms}
    assert holders == {Role.ADMINISTRATOR}


def test_before_any_run_every_job_is_late(administrator, client_for):
    with time_machine.travel(MONDAY_10, tick=False):
        state = health.check()
        response = client_for(administrator).get(reverse("health"))
    assert not state.ok
    assert all(item.late for item in state.jobs)
    assert response.status_code == 200
    page = response.content.decode()
    for job in scheduling.jobs():
        assert job.name in page
        assert job.cron in page
    assert "text-bg-danger" in page


def test_jobs_run_on_time_are_not_late_and_a_stopped_scheduler_becomes_late(administrator, client_for):
    _all_on_time()
    with time_machine.travel(MONDAY_10 + datetime.timedelta(minutes=10), tick=False):
        state = health.check()
        assert state.ok, health.as_json(state)
        data = client_for(administrator).get(reverse("health_json"))
    assert data.status_code == 200
    body = data.json()
    assert body["ok"] is True
    assert body["database"] == {"ok": True}
    assert body["worker"]["ok"] is True
    watch = next(job for job in body["jobs"] if job["name"] == "casework.overdue_visits")
    assert watch["late"] is False
    assert watch["last_run"]["status"] == "succeeded"
    assert watch["last_run"]["due_at"] == "2030-01-14T15:00:00+00:00"
    assert watch["next_run"] == "2030-01-14T15:15:00+00:00"
    # The scheduler stops after 10:02. At 10:16 the watch may still be 15 minutes behind: the 10:00 run
    # covers it.
    with time_machine.travel(MONDAY_10 + datetime.timedelta(minutes=14), tick=False):
        assert health.check().ok
    # At 10:21 the 10:05 run should have finished: late, on the page and in the JSON (503); the daily jobs
    # have three hours.
    with time_machine.travel(MONDAY_10 + datetime.timedelta(minutes=19), tick=False):
        state = health.check()
        late = {item.job.name for item in state.jobs if item.late}
        assert late == {"casework.overdue_visits"}
        data = client_for(administrator).get(reverse("health_json"))
        page = client_for(administrator).get(reverse("health")).content.decode()
    assert data.status_code == 503
    assert [job["name"] for job in data.json()["jobs"] if job["late"]] == ["casework.overdue_visits"]
    assert page.count('badge text-bg-danger">late<') + page.count('badge text-bg-danger">en retard<') == 1


def test_a_failed_run_is_shown_as_failed_without_its_message(administrator, client_for, monkeypatch):
    from ancrage.casework.contacts import services as services_contacts

    def broken(now=None):
        raise RuntimeError("Éloïse Gagnon's visit")

    monkeypatch.setattr(services_contacts, "visits_alert_overdue", broken)
    with time_machine.travel(MONDAY_10, tick=False):
        scheduling.enqueue_all_due()
    with time_machine.travel(MONDAY_10 + datetime.timedelta(minutes=1), tick=False):
        state = health.check()
        response = client_for(administrator).get(reverse("health_json"))
        page = client_for(administrator).get(reverse("health")).content.decode()
    failed = {item.job.name for item in state.jobs if item.failed}
    assert failed == {"casework.overdue_visits", "casework.daily"}
    assert response.status_code == 503
    assert "Éloïse" not in response.content.decode()
    assert "Éloïse" not in page
    assert "builtins.RuntimeError" in page


def test_page_in_english_and_french(administrator, client_for):
    _all_on_time()
    pages = {}
    with time_machine.travel(MONDAY_10 + datetime.timedelta(minutes=1), tick=False):
        for language in ("fr", "en"):
            administrator.language = language
            administrator.save()
            pages[language] = client_for(administrator).get(reverse("health")).content.decode()
    page_fr, page_en = pages["fr"], pages["en"]
    assert "Tâches planifiées" in page_fr
    assert "à l’heure" in page_fr or "à l'heure" in page_fr
    assert "Scheduled jobs" in page_en
    assert "on time" in page_en


def test_other_roles_and_outsiders_are_refused(client_for, org_a, outsider, client):
    url, json_url = reverse("health"), reverse("health_json")
    for role in Role:
        if role == Role.ADMINISTRATOR:
            continue
        user = member(org_a, role)
        c = client_for(user)
        assert c.get(url).status_code == 403, role
        response = c.get(json_url)
        assert response.status_code == 403, role
        assert response.json()["detail"]
    assert client_for(outsider).get(url).status_code == 403
    client.logout()
    assert client.get(url).status_code == 302
    assert client.get(json_url).status_code == 401


def test_monitoring_reads_the_json_with_the_health_token(client, monkeypatch):
    _all_on_time()
    url = reverse("health_json")
    with time_machine.travel(MONDAY_10 + datetime.timedelta(minutes=1), tick=False):
        # Without HEALTH_TOKEN set no token opens it, not even an empty one.
        monkeypatch.delenv("HEALTH_TOKEN", raising=False)
        assert client.get(url, HTTP_AUTHORIZATION="Bearer ").status_code == 401
        monkeypatch.setenv("HEALTH_TOKEN", "s3cret-token-for-monitoring")
        assert client.get(url, HTTP_AUTHORIZATION="Bearer wrong").status_code == 401
        assert client.get(url + "?token=s3cret-token-for-monitoring").status_code == 401
        response = client.get(url, HTTP_AUTHORIZATION="Bearer s3cret-token-for-monitoring")
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    assert set(response.json()) == {"ok", "checked_at", "database", "worker", "jobs"}


def test_worker_state_with_the_database_backend(settings, administrator, client_for):
    """With the worker's backend, a task waiting more than ten minutes means no worker takes tasks."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with time_machine.travel(MONDAY_10, tick=False):
        runs = scheduling.enqueue_all_due()
        assert {run.status for run in runs} == {ScheduledRun.Status.QUEUED}
        state = health.check()
        assert state.worker.queued
        assert state.worker.waiting == len(runs)
        assert state.worker.ok
        assert state.worker.last_finished_at is None
    with time_machine.travel(MONDAY_10 + datetime.timedelta(minutes=11), tick=False):
        state = health.check()
        assert not state.worker.ok
        body = client_for(administrator).get(reverse("health_json"))
        page = client_for(administrator).get(reverse("health")).content.decode()
    assert body.status_code == 503
    assert body.json()["worker"]["waiting"] == len(runs)
    assert "text-bg-danger" in page
    # The worker takes them: the runs are recorded from the task's side.
    from django_tasks_db.models import DBTaskResult

    with time_machine.travel(MONDAY_10 + datetime.timedelta(minutes=12), tick=False):
        for row in DBTaskResult.objects.order_by("enqueued_at"):
            row.task.call(*row.args_kwargs["args"], **row.args_kwargs["kwargs"])
    assert set(ScheduledRun.objects.values_list("status", flat=True)) == {ScheduledRun.Status.SUCCEEDED}


def test_queries_are_bounded_however_many_runs(administrator, client_for, django_assert_max_num_queries):
    client = client_for(administrator)
    _all_on_time()
    with time_machine.travel(MONDAY_10 + datetime.timedelta(minutes=1), tick=False):
        client.get(reverse("health"))  # the session and user are read once beforehand
        with django_assert_max_num_queries(12):
            client.get(reverse("health"))
        with django_assert_max_num_queries(10):
            client.get(reverse("health_json"))
    due = MONDAY_10
    for _i in range(200):
        due += datetime.timedelta(minutes=5)
        with time_machine.travel(due, tick=False):
            scheduling.enqueue_due("casework.overdue_visits")
    with time_machine.travel(due + datetime.timedelta(minutes=1), tick=False):
        # The other jobs ran on time meanwhile (the hourly and quarter-hourly ones too).
        scheduling.enqueue_all_due()
        client = client_for(administrator)  # signed in again: the session has expired since
        client.get(reverse("health"))
        with django_assert_max_num_queries(12):
            assert client.get(reverse("health")).status_code == 200
        with django_assert_max_num_queries(10):
            assert client.get(reverse("health_json")).status_code == 200
    assert ScheduledRun.objects.filter(job="casework.overdue_visits").count() == 201
