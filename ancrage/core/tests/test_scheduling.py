"""Scheduled jobs: due times in Montréal time, each due time enqueued once, the missed-night catch-up,
runs recorded, jobs idempotent, and an overdue visit alerted within one period of the watch."""

from __future__ import annotations

import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django_tasks import task

from ancrage.core import clock, scheduling
from ancrage.core.models import Alert, ScheduledRun
from ancrage.core.permissions import Role
from ancrage.people.tests.factories import ProgramFactory, member

MONTREAL = ZoneInfo("America/Montreal")


def mtl(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=MONTREAL)


def job_names():
    return {job.name for job in scheduling.jobs()}


# --- the registry and due times ----------------------------------------------------------------------


def test_each_app_declares_its_jobs():
    assert job_names() >= {"casework.overdue_visits", "casework.daily", "access.daily"}
    for job in scheduling.jobs():
        job.get_task()  # every import path names a django-tasks task
        assert str(job.description)
        assert job.late_after > datetime.timedelta(0)


def test_two_different_jobs_cannot_share_a_name():
    job = scheduling.get("access.daily")
    scheduling.register(job)  # the same job again: harmless
    other = scheduling.ScheduledJob(
        name="access.daily", task=job.task, cron="0 6 * * *", description="x", late_after=job.late_after
    )
    with pytest.raises(ValueError):
        scheduling.register(other)
    assert scheduling.get("access.daily") is job


def test_a_malformed_cron_fails_at_registration():
    job = scheduling.ScheduledJob(
        name="tests.bad",
        task="ancrage.casework.tasks.daily",
        cron="61 * * * *",
        description="x",
        late_after=datetime.timedelta(hours=1),
    )
    with pytest.raises(ValueError):
        scheduling.register(job)
    assert "tests.bad" not in job_names()


@pytest.mark.parametrize(
    ("at", "last", "following"),
    [
        # Monday 00:05, Sunday 23:59, Friday 16:59, 31 December 23:59: the daily job's times in Montréal.
        (mtl(2026, 12, 7, 0, 5), mtl(2026, 12, 6, 5, 15), mtl(2026, 12, 7, 5, 15)),
        (mtl(2026, 12, 6, 23, 59), mtl(2026, 12, 6, 5, 15), mtl(2026, 12, 7, 5, 15)),
        (mtl(2026, 12, 4, 16, 59), mtl(2026, 12, 4, 5, 15), mtl(2026, 12, 5, 5, 15)),
        (mtl(2026, 12, 31, 23, 59), mtl(2026, 12, 31, 5, 15), mtl(2027, 1, 1, 5, 15)),
        (mtl(2026, 12, 7, 5, 15), mtl(2026, 12, 7, 5, 15), mtl(2026, 12, 8, 5, 15)),
        # Both daylight-saving changes: 5:15 stays 5:15 local, 23 and 25 hours apart.
        (mtl(2027, 3, 14, 12, 0), mtl(2027, 3, 14, 5, 15), mtl(2027, 3, 15, 5, 15)),
        (mtl(2027, 11, 7, 12, 0), mtl(2027, 11, 7, 5, 15), mtl(2027, 11, 8, 5, 15)),
        (mtl(2028, 2, 29, 4, 0), mtl(2028, 2, 28, 5, 15), mtl(2028, 2, 29, 5, 15)),
    ],
)
def test_due_times_of_a_daily_job_are_montreal_times(at, last, following):
    job = scheduling.get("access.daily")
    assert job.last_due(at) == last
    assert job.next_due(at) == following
    assert job.last_due(at).utcoffset() == last.utcoffset()


def test_due_times_of_the_five_minute_watch():
    job = scheduling.get("casework.overdue_visits")
    at = mtl(2027, 3, 14, 3, 7)  # just after the spring change (2:00 does not exist that night)
    assert job.last_due(at) == mtl(2027, 3, 14, 3, 5)
    assert job.next_due(at) == mtl(2027, 3, 14, 3, 10)
    assert job.next_due(mtl(2027, 3, 14, 3, 10)) == mtl(2027, 3, 14, 3, 15)


# --- enqueuing each due time once --------------------------------------------------------------------


@pytest.mark.django_db
def test_the_tick_enqueues_each_due_job_once():
    with time_machine.travel(mtl(2030, 1, 14, 10, 2), tick=False):
        first = scheduling.enqueue_all_due()
        assert {run.job for run in first} == job_names()
        assert {(run.job, clock.localtime(run.due_at).time()) for run in first} >= {
            ("casework.overdue_visits", datetime.time(10, 0)),
            ("access.daily", datetime.time(5, 15)),
            ("casework.daily", datetime.time(5, 30)),
        }
        # The immediate backend of the tests ran them: each run is recorded from start to finish.
        for run in first:
            assert run.status == ScheduledRun.Status.SUCCEEDED, (run.job, run.error)
            assert run.task_result_id
            assert run.started_at is not None
            assert run.finished_at is not None
        # A second scheduler, or a second tick at the same moment: nothing more.
        assert scheduling.enqueue_all_due() == []
        assert scheduling.enqueue_due("casework.overdue_visits") is None
    with time_machine.travel(mtl(2030, 1, 14, 10, 4, 59), tick=False):
        assert scheduling.enqueue_all_due() == []
    with time_machine.travel(mtl(2030, 1, 14, 10, 5), tick=False):
        (run,) = scheduling.enqueue_all_due()
        assert run.job == "casework.overdue_visits"
        assert run.due_at == mtl(2030, 1, 14, 10, 5)
    assert ScheduledRun.objects.count() == len(job_names()) + 1


@pytest.mark.django_db
def test_a_due_time_already_claimed_by_another_scheduler_is_not_enqueued():
    due = mtl(2030, 1, 14, 10, 0)
    ScheduledRun.objects.create(job="casework.overdue_visits", due_at=due, enqueued_at=due)
    with time_machine.travel(mtl(2030, 1, 14, 10, 1), tick=False):
        assert scheduling.enqueue_due("casework.overdue_visits") is None
    assert ScheduledRun.objects.get().status == ScheduledRun.Status.QUEUED


@pytest.mark.django_db
def test_after_a_missed_night_and_day_each_job_runs_once():
    with time_machine.travel(mtl(2030, 1, 14, 10, 2), tick=False):
        scheduling.enqueue_all_due()
    # The machine was off from Monday morning to Thursday 9:58: three mornings and hundreds of watches.
    with time_machine.travel(mtl(2030, 1, 17, 9, 58), tick=False):
        out = StringIO()
        call_command("scheduler", "--once", stdout=out)
    caught_up = ScheduledRun.objects.filter(due_at__gt=mtl(2030, 1, 14, 10, 2))
    assert sorted(caught_up.values_list("job", "due_at")) == sorted(
        [
            ("access.daily", mtl(2030, 1, 17, 5, 15)),
            ("casework.daily", mtl(2030, 1, 17, 5, 30)),
            ("casework.overdue_visits", mtl(2030, 1, 17, 9, 55)),
            ("partners.daily", mtl(2030, 1, 17, 5, 45)),
            ("partners.notices_retry", mtl(2030, 1, 17, 9, 45)),
            ("conferences.send_due", mtl(2030, 1, 17, 9, 15)),
            ("housing.rent_daily", mtl(2030, 1, 17, 6, 15)),
            ("people.visibility_check", mtl(2030, 1, 17, 3, 10)),
        ]
    )
    assert "caught up access.daily" in out.getvalue()
    # A restart a minute later finds nothing to catch up.
    with time_machine.travel(mtl(2030, 1, 17, 9, 59), tick=False):
        call_command("scheduler", "--once", stdout=StringIO())
    assert caught_up.count() == 8


_calls: list[int] = []


@task()
def _failing_job() -> int:
    raise RuntimeError("the mail server answers nothing about Éloïse Gagnon")


@task()
def _counting_job() -> int:
    _calls.append(1)
    return len(_calls)


@pytest.fixture
def test_job(request):
    """A job of the tests' own, on the given task, removed afterwards."""
    made = []

    def _make(name: str, task_object, cron="*/5 * * * *", late_after=datetime.timedelta(minutes=15)):
        job = scheduling.ScheduledJob(
            name=name, task=task_object, cron=cron, description="A test job", late_after=late_after
        )
        scheduling.register(job)
        made.append(name)
        return job

    yield _make
    for name in made:
        scheduling.unregister(name)


@pytest.mark.django_db
def test_a_failed_run_records_the_exception_class_only(test_job):
    test_job("tests.failing", _failing_job)
    with time_machine.travel(mtl(2030, 1, 14, 10, 2), tick=False):
        run = scheduling.enqueue_due("tests.failing")
    assert run.status == ScheduledRun.Status.FAILED
    assert run.error == "builtins.RuntimeError"
    assert "Éloïse" not in run.error
    assert run.finished_at == mtl(2030, 1, 14, 10, 2)


@pytest.mark.django_db
def test_a_run_delivered_twice_is_not_run_twice(test_job):
    _calls.clear()
    test_job("tests.counting", _counting_job)
    with time_machine.travel(mtl(2030, 1, 14, 10, 2), tick=False):
        run = scheduling.enqueue_due("tests.counting")
        assert run.status == ScheduledRun.Status.SUCCEEDED
        assert run.result == 1
        assert scheduling.run_scheduled_job.call(run.pk) is None
    assert _calls == [1]


def test_the_scheduler_process_has_one_cron_trigger_per_job(monkeypatch, db):
    from apscheduler.schedulers.blocking import BlockingScheduler

    seen = {}

    def fake_start(self, *args, **kwargs):
        for job in self.get_jobs():
            seen[job.id] = (str(job.trigger.timezone), job.max_instances, job.coalesce)
        raise KeyboardInterrupt

    monkeypatch.setattr(BlockingScheduler, "start", fake_start)
    out = StringIO()
    with time_machine.travel(mtl(2030, 1, 14, 10, 2), tick=False):
        call_command("scheduler", stdout=out)
    assert set(seen) == job_names()
    assert set(seen.values()) == {("America/Montreal", 1, True)}
    assert "scheduler stopped" in out.getvalue()


# --- the jobs: an overdue visit within one period, and nothing doubled when a job runs twice ---------------


@pytest.fixture
def demo_like(db, org_a, case_manager_a, participant_a):
    """A small team as the demo has: a team lead, a case manager with an enrolled participant, a match
    proposed by the lead, and a field visit planned for the coming hour, all at Monday 10:00."""
    from ancrage.access import services as access_services
    from ancrage.access.tests.factories import make_entry
    from ancrage.casework.contacts import services as services_contacts
    from ancrage.casework.models import Enrollment
    from ancrage.organisations.models import Program

    start = mtl(2030, 1, 14, 10, 0)
    with time_machine.travel(start, tick=False):
        lead = member(org_a, Role.TEAM_LEAD, username="chef", email="chef@example.org")
        program = ProgramFactory(organisation=org_a, kind=Program.Kind.ICM)
        enrollment = Enrollment.objects.create(
            participant=participant_a,
            program=program,
            primary_worker=case_manager_a,
            enrolled_on=start.date(),
        )
        entry = make_entry(case_manager_a, org_a, legal_first_name="Marc", legal_last_name="Roy")
        opening = access_services.openings_create(actor=lead, program=program)[0]
        match = access_services.match_propose(actor=lead, opening=opening, entry=entry)
        visit = services_contacts.visit_plan(
            actor=case_manager_a,
            participant=participant_a,
            location="12 rue des Érables",
            planned_start=start + datetime.timedelta(minutes=10),
            planned_end=start + datetime.timedelta(minutes=70),
        )
        services_contacts.visit_start(actor=case_manager_a, visit=visit)
    return {"lead": lead, "visit": visit, "match": match, "enrollment": enrollment, "start": start}


@pytest.mark.django_db
def test_an_overdue_visit_alerts_the_team_lead_within_one_period_of_the_watch(demo_like, settings):
    lead, visit = demo_like["lead"], demo_like["visit"]
    with time_machine.travel(demo_like["start"] + datetime.timedelta(minutes=1), tick=False):
        scheduling.enqueue_all_due()  # the scheduler starts: nothing is overdue yet
    assert not Alert.objects.filter(kind="casework.visit.overdue").exists()
    overdue_from = visit.planned_end + datetime.timedelta(minutes=settings.ANCRAGE["VISIT_GRACE_MINUTES"])
    watch = scheduling.get("casework.overdue_visits")
    # Every tick of the scheduler from the start until the visit is overdue alerts no one ...
    due = watch.next_due(demo_like["start"] + datetime.timedelta(minutes=1))
    while due <= overdue_from:
        with time_machine.travel(due, tick=False):
            scheduling.enqueue_due(watch.name)
        due = watch.next_due(due)
    assert not Alert.objects.filter(kind="casework.visit.overdue").exists()
    # ... and the first tick after it does, within one period.
    assert due - overdue_from <= datetime.timedelta(minutes=5)
    with time_machine.travel(due, tick=False):
        run = scheduling.enqueue_due(watch.name)
    assert run.status == ScheduledRun.Status.SUCCEEDED
    assert run.result == 1
    alert = Alert.objects.get(kind="casework.visit.overdue", recipient=lead)
    assert alert.created_at == due


@pytest.mark.django_db
def test_jobs_run_twice_or_after_a_missed_night_do_not_double_alerts(demo_like):
    from ancrage.access.models import Match
    from ancrage.casework.models import ReengagementPlan

    # A month later every job is due: the visit is overdue, the match stalled, the contact lost.
    with time_machine.travel(mtl(2030, 2, 14, 5, 45), tick=False):
        runs = scheduling.enqueue_all_due()
        assert {run.status for run in runs} == {ScheduledRun.Status.SUCCEEDED}
    kinds = ["casework.visit.overdue", "access.match.stalled", "casework.lost_contact"]
    counts = {kind: Alert.objects.filter(kind=kind).count() for kind in kinds}
    assert all(counts.values()), counts
    assert ReengagementPlan.objects.count() == 1
    # The same work again: by hand, by the next morning's schedule, and after three missed nights.
    from ancrage.access.tasks import daily as access_daily
    from ancrage.casework.tasks import alert_overdue_visits
    from ancrage.casework.tasks import daily as casework_daily

    with time_machine.travel(mtl(2030, 2, 14, 6, 0), tick=False):
        assert alert_overdue_visits.call() == 0
        assert casework_daily.call() == {"exits": 0, "lost_contact": 0, "overdue_visits": 0}
        assert access_daily.call()["stalled"] == 0
    for moment in (mtl(2030, 2, 15, 5, 45), mtl(2030, 2, 19, 5, 45)):
        with time_machine.travel(moment, tick=False):
            assert {run.status for run in scheduling.enqueue_all_due()} == {ScheduledRun.Status.SUCCEEDED}
    assert {kind: Alert.objects.filter(kind=kind).count() for kind in kinds} == counts
    assert ReengagementPlan.objects.count() == 1
    assert Match.objects.filter(stalled_alert_at__isnull=False).count() == 1


# --- the processes: one Procfile for production, one for the demo, started by `make run` ---------------


def _procfile(name: str) -> dict[str, str]:
    from django.conf import settings

    lines = (settings.BASE_DIR / name).read_text().splitlines()
    return dict(line.split(":", 1) for line in lines if line.strip() and not line.startswith("#"))


@pytest.mark.parametrize("name", ["Procfile", "Procfile.demo"])
def test_procfiles_run_web_worker_and_scheduler(name):
    processes = {kind: command.strip() for kind, command in _procfile(name).items()}
    assert set(processes) == {"web", "worker", "scheduler"}
    assert processes["worker"].endswith("manage.py db_worker")
    assert processes["scheduler"].endswith("manage.py scheduler")
    assert ("gunicorn" if name == "Procfile" else "runserver") in processes["web"]


def test_make_run_starts_the_demo_processes_with_the_database_backend():
    from django.conf import settings

    makefile = (settings.BASE_DIR / "Makefile").read_text()
    recipe = makefile.split("\nrun:", 1)[1].split("\n\n", 1)[0]
    assert "seed_demo --if-empty" in recipe
    assert "honcho --procfile Procfile.demo" in recipe
    assert "TASKS_BACKEND=django_tasks_db.DatabaseBackend" in recipe
