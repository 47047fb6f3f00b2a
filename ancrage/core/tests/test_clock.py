"""The application's one clock: now, today in Montréal, running code at a moment, and what it stamps."""

import datetime
import os
import zoneinfo

import pytest
import time_machine

from ancrage.core import audit, clock
from ancrage.core.models import AuditEntry
from ancrage.organisations.models import Consortium

MONTREAL = zoneinfo.ZoneInfo("America/Montreal")
UTC = datetime.UTC


def _moment(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=MONTREAL)


def test_now_is_aware_and_follows_the_machine_clock():
    with time_machine.travel(_moment(2026, 12, 7, 0, 20), tick=False):
        assert clock.now() == _moment(2026, 12, 7, 0, 20)
        assert clock.now().tzinfo is not None


def test_today_is_montreals_date_when_utc_is_already_tomorrow():
    # 19:30 in Montréal on 7 December is 00:30 UTC on 8 December: the machine's date is not the day.
    with time_machine.travel(datetime.datetime(2026, 12, 8, 0, 30, tzinfo=UTC), tick=False):
        assert clock.today() == datetime.date(2026, 12, 7)
        assert clock.localdate() == datetime.date(2026, 12, 7)
        assert clock.localtime().hour == 19


def test_today_follows_daylight_saving_time():
    # 8 March 2026: clocks go forward at 02:00 (EST -5 → EDT -4); 03:59 UTC is still 7 March in Montréal.
    with time_machine.travel(datetime.datetime(2026, 3, 8, 4, 59, tzinfo=UTC), tick=False):
        assert clock.today() == datetime.date(2026, 3, 7)
    with time_machine.travel(datetime.datetime(2026, 3, 8, 7, 30, tzinfo=UTC), tick=False):
        assert clock.today() == datetime.date(2026, 3, 8)
        assert clock.localtime().utcoffset() == datetime.timedelta(hours=-4)


def test_at_moves_now_and_today_and_restores_them():
    with time_machine.travel(_moment(2026, 12, 7, 10, 0), tick=False):
        moment = _moment(2026, 11, 26, 23, 30)
        with clock.at(moment) as inside:
            assert inside == moment
            assert clock.now() == moment
            assert clock.today() == datetime.date(2026, 11, 26)
            assert clock.is_running_at()
        assert clock.now() == _moment(2026, 12, 7, 10, 0)
        assert not clock.is_running_at()


def test_at_nests_and_each_exit_restores_the_moment_before():
    outer = _moment(2026, 1, 5, 9, 0)
    inner = _moment(2026, 2, 6, 10, 0)
    with clock.at(outer):
        with clock.at(inner):
            assert clock.now() == inner
        assert clock.now() == outer
    assert not clock.is_running_at()


def test_at_restores_the_moment_on_error():
    outer = _moment(2026, 1, 5, 9, 0)
    with clock.at(outer):
        with pytest.raises(RuntimeError), clock.at(_moment(2026, 2, 6, 10, 0)):
            raise RuntimeError("a service refused")
        assert clock.now() == outer
    assert not clock.is_running_at()


def test_at_refuses_a_naive_moment():
    with pytest.raises(ValueError, match="aware"), clock.at(datetime.datetime(2026, 12, 7, 0, 20)):
        pass  # pragma: no cover - never entered
    assert not clock.is_running_at()


def test_start_of_day_is_local_midnight_even_on_a_daylight_saving_day():
    start = clock.start_of_day(datetime.date(2026, 11, 1))
    assert start.utcoffset() == datetime.timedelta(hours=-4)  # EDT until 02:00 that night
    assert clock.localtime(start).time() == datetime.time.min
    assert clock.start_of_day(datetime.date(2026, 11, 2)).utcoffset() == datetime.timedelta(hours=-5)


@pytest.mark.django_db
def test_model_defaults_and_stamped_on_save_take_the_moment_of_at():
    created = _moment(2025, 6, 24, 8, 15)
    with clock.at(created):
        consortium = Consortium.objects.create(name="Consortium d'essai")
    consortium.refresh_from_db()
    assert consortium.created_at == created
    assert consortium.updated_at == created

    saved = _moment(2025, 7, 1, 12, 0)
    with clock.at(saved):
        consortium.name = "Consortium renommé"
        consortium.save()
    consortium.refresh_from_db()
    assert consortium.created_at == created  # a default is read once, at creation
    assert consortium.updated_at == saved


@pytest.mark.django_db
def test_stamped_on_save_also_stamps_update_fields_saves():
    consortium = Consortium.objects.create(name="Consortium d'essai")
    later = _moment(2030, 1, 2, 3, 4)
    with clock.at(later):
        consortium.name = "Autre nom"
        consortium.save(update_fields=["name", "updated_at"])
    consortium.refresh_from_db()
    assert consortium.updated_at == later


@pytest.mark.django_db
def test_audit_entries_take_the_moment_of_at(case_manager_a):
    moment = _moment(2026, 11, 26, 14, 0)
    with clock.at(moment):
        entry = audit.record(actor=case_manager_a, action="people.participant.viewed", is_read=True)
    assert AuditEntry.objects.get(pk=entry.pk).at == moment


@pytest.mark.django_db
def test_audit_reads_written_in_one_statement_take_the_moment_of_at(case_manager_a, participant_a):
    moment = _moment(2026, 11, 26, 14, 0)
    with clock.at(moment):
        audit.record_reads(actor=case_manager_a, reads=[(participant_a.pk, "people.participant.viewed")])
    entry = AuditEntry.objects.filter(participant=participant_a, is_read=True).latest("id")
    assert entry.at == moment


def test_the_session_runs_at_ancrage_test_now_when_it_is_set(request):
    """The root conftest moves the whole session to ANCRAGE_TEST_NOW; without it, the session is not moved."""
    value = os.environ.get("ANCRAGE_TEST_NOW", "").strip()
    moment = getattr(request.config, "_ancrage_test_now", None)
    if not value:
        assert moment is None
        return
    assert moment is not None
    # The session ticks from the moment on: a test runs after it, within the session's length.
    assert moment <= clock.now() < moment + datetime.timedelta(hours=6)


def test_ancrage_test_now_reads_a_moment_without_offset_as_montreal_time():
    from conftest import _session_moment

    assert _session_moment("2026-12-07T00:20:00") == _moment(2026, 12, 7, 0, 20)
    assert _session_moment("2026-12-07T00:20:00-05:00") == _moment(2026, 12, 7, 0, 20)
    with pytest.raises(pytest.UsageError):
        _session_moment("lundi matin")
