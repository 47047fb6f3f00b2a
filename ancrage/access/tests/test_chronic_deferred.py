"""A bulk load of histories defers the chronic refresh: inside `chronic_refresh_deferred()` each living
situation and history recorded only notes its person, and `chronic_refresh_flush()` writes every entry as the
refresh after each record would have left it (figures, evidence, day computed and `updated_at`)."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.db import transaction

from ancrage.access import services
from ancrage.access.models import ByNameEntry
from ancrage.access.tests.factories import make_entry

pytestmark = pytest.mark.django_db

NOON = datetime.datetime(2026, 6, 15, 16, 0, tzinfo=datetime.UTC)
DAY = datetime.timedelta(days=1)
TODAY = datetime.date(2026, 6, 15)
FIELDS = [
    "is_chronic",
    "homeless_days_past_year",
    "homeless_days_past_three_years",
    "chronic_computed_on",
    "chronic_evidence",
    "updated_at",
]


@pytest.fixture
def entries(case_manager_a, org_a):
    with time_machine.travel(NOON - 400 * DAY, tick=False):
        return [
            make_entry(case_manager_a, org_a, legal_first_name=name, legal_last_name="Roy")
            for name in ("Anne", "Bruno", "Carole")
        ]


def _record(actor, entries) -> None:
    """Two years of nights for the first two people, each recorded at its own moment (the last ones today),
    a history told by the second; nothing for the third."""
    first, second, _third = entries
    for n in range(8):
        moment = NOON - (700 - 90 * n) * DAY
        for entry in (first, second):
            with time_machine.travel(moment, tick=False):
                services.living_situation_record(
                    actor=actor,
                    participant=entry.participant,
                    situation="shelter" if n % 2 else "street",
                    starts_on=(moment - 80 * DAY).date(),
                    ends_on=(moment - (10 if entry is first else 50) * DAY).date(),
                )
    with time_machine.travel(NOON - 2 * DAY, tick=False):
        services.homelessness_history_record(
            actor=actor,
            participant=second.participant,
            reported_on=TODAY - 2 * DAY,
            source="self_reported",
            living_situation="street",
            prior_living_situation="not_collected",
            prior_length_of_stay="not_collected",
            previous_street_or_shelter="not_collected",
            episode_started_on=TODAY - 400 * DAY,
            times_homeless_past_three_years="four_or_more",
            months_homeless_past_three_years=14,
        )
    with time_machine.travel(NOON - DAY, tick=False):
        services.living_situation_record(
            actor=actor,
            participant=first.participant,
            situation="street",
            starts_on=TODAY - 3 * DAY,
            ends_on=TODAY - 2 * DAY,
        )


def _state(entries, record) -> list[dict]:
    with transaction.atomic():
        record()
        state = [ByNameEntry.objects.filter(pk=e.pk).values(*FIELDS).get() for e in entries]
        transaction.set_rollback(True)
    return state


def test_a_deferred_refresh_leaves_the_entries_as_the_refresh_after_each_record(case_manager_a, entries):
    def deferred():
        with services.chronic_refresh_deferred():
            _record(case_manager_a, entries)
            # Nothing written yet: the entries are as they were.
            assert [ByNameEntry.objects.get(pk=e.pk).updated_at for e in entries] == [
                e.updated_at for e in entries
            ]

    each = _state(entries, lambda: _record(case_manager_a, entries))
    assert _state(entries, deferred) == each
    # The scenario moves every figure: chronic by nights, by a history, and someone without either.
    assert [e["is_chronic"] for e in each] == [True, True, False]
    assert each[0]["chronic_computed_on"] == TODAY - DAY
    assert each[1]["chronic_computed_on"] == TODAY - 2 * DAY
    assert each[2]["updated_at"] == entries[2].updated_at


def test_a_flush_writes_what_was_noted_so_far_in_a_few_statements(
    case_manager_a, entries, django_assert_max_num_queries
):
    with services.chronic_refresh_deferred():
        _record(case_manager_a, entries)
        with django_assert_max_num_queries(4):
            assert services.chronic_refresh_flush() == 2
        assert services.chronic_refresh_flush() == 0
        assert ByNameEntry.objects.get(pk=entries[0].pk).chronic_computed_on == TODAY - DAY


def test_outside_a_deferral_each_record_refreshes_its_entry(case_manager_a, entries):
    assert services.chronic_refresh_flush() == 0
    with time_machine.travel(NOON, tick=False):
        services.living_situation_record(
            actor=case_manager_a,
            participant=entries[0].participant,
            situation="street",
            starts_on=TODAY - 400 * DAY,
            ends_on=TODAY,
        )
    entry = ByNameEntry.objects.get(pk=entries[0].pk)
    assert (entry.homeless_days_past_year, entry.chronic_computed_on, entry.updated_at) == (365, TODAY, NOON)


def test_a_deferral_left_on_an_error_writes_nothing(case_manager_a, entries):
    def fails():
        with services.chronic_refresh_deferred():
            services.living_situation_record(
                actor=case_manager_a,
                participant=entries[0].participant,
                situation="street",
                starts_on=TODAY - 400 * DAY,
                ends_on=TODAY - 300 * DAY,
            )
            raise RuntimeError

    with pytest.raises(RuntimeError):
        fails()
    assert ByNameEntry.objects.get(pk=entries[0].pk).homeless_days_past_three_years == 0
    assert services.chronic_refresh_flush() == 0
