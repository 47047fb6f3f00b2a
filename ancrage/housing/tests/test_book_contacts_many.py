"""`contacts_log_many` writes what the landlords' book's `contact_log` writes one contact at a time: the same
contacts and audit entries, each at its moment; it refuses what `contact_log` refuses, writing nothing."""

from __future__ import annotations

import dataclasses
import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import transaction

from ancrage.core import clock
from ancrage.core.models import AuditEntry
from ancrage.core.permissions import Role
from ancrage.housing.book import services
from ancrage.housing.models import LandlordContact
from ancrage.housing.tests.book_factories import make_landlord
from ancrage.people.tests.factories import member

pytestmark = pytest.mark.django_db

NOON = datetime.datetime(2026, 6, 15, 16, 0, tzinfo=datetime.UTC)
DAY = datetime.timedelta(days=1)

CONTACTS = [
    services.LandlordContactToLog(
        contacted_on=(NOON - 300 * DAY).date(),
        channel="phone",
        purpose="check_in",
        summary="  Tout va bien. ",
        logged_at=NOON - 299 * DAY,
    ),
    services.LandlordContactToLog(
        contacted_on=(NOON - 40 * DAY).date(),
        channel="email",
        purpose="negotiation",
        summary="Loyer de juillet",
        logged_at=NOON - 40 * DAY,
    ),
    services.LandlordContactToLog(
        contacted_on=NOON.date(), channel="in_person", purpose="thanks", summary="Merci", logged_at=NOON
    ),
]


@pytest.fixture
def landlord(housing_specialist, shared_org):
    with time_machine.travel(NOON - 400 * DAY, tick=False):
        return make_landlord(housing_specialist, shared_org)


def _single(actor, landlord, contacts) -> None:
    for c in contacts:
        with clock.at(c.logged_at):
            services.contact_log(
                actor=actor,
                landlord=landlord,
                contacted_on=c.contacted_on,
                channel=c.channel,
                purpose=c.purpose,
                summary=c.summary,
            )


def _written(write) -> dict:
    """The contacts and entries `write` adds, ids replaced by their order; rolled back after."""
    last_contact = LandlordContact.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    last_entry = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    with transaction.atomic():
        write()
        contacts = list(LandlordContact.objects.filter(pk__gt=last_contact).order_by("pk").values())
        number = {str(c["id"]): n for n, c in enumerate(contacts)}
        written = {
            "contacts": [{k: v for k, v in c.items() if k != "id"} for c in contacts],
            "entries": [
                (e.at, e.action, e.actor_id, e.organisation_id, e.participant_id, number[e.object_id], e.data)
                for e in AuditEntry.objects.filter(pk__gt=last_entry).order_by("pk")
            ],
        }
        transaction.set_rollback(True)
    return written


def test_contacts_logged_in_bulk_are_those_logged_one_by_one(housing_specialist, landlord):
    with time_machine.travel(NOON, tick=False):
        one_by_one = _written(lambda: _single(housing_specialist, landlord, CONTACTS))
        in_bulk = _written(
            lambda: services.contacts_log_many(actor=housing_specialist, landlord=landlord, contacts=CONTACTS)
        )
    assert in_bulk == one_by_one
    assert [c["recorded_at"] for c in in_bulk["contacts"]] == [c.logged_at for c in CONTACTS]
    assert in_bulk["contacts"][0]["summary"] == "Tout va bien."
    assert [e[0] for e in in_bulk["entries"]] == [c.logged_at for c in CONTACTS]


def test_contacts_in_bulk_take_a_few_queries(housing_specialist, landlord, django_assert_max_num_queries):
    with time_machine.travel(NOON, tick=False), django_assert_max_num_queries(7):
        services.contacts_log_many(actor=housing_specialist, landlord=landlord, contacts=CONTACTS * 10)
    assert LandlordContact.objects.count() == 30


@pytest.mark.parametrize(
    ("change", "index"),
    [
        ({"contacted_on": (NOON - 30 * DAY).date()}, 0),  # after the moment it is logged
        ({"contacted_on": (NOON - 420 * DAY).date()}, 1),  # further back than CONTACT_BACKDATE_DAYS
        ({"channel": "pigeon"}, 2),
        ({"purpose": "nothing"}, 1),
        ({"summary": "  "}, 0),
    ],
)
def test_a_refusal_is_contact_logs_and_nothing_is_written(housing_specialist, landlord, change, index):
    contacts = list(CONTACTS)
    contacts[index] = dataclasses.replace(contacts[index], **change)
    with time_machine.travel(NOON, tick=False):
        with pytest.raises(ValidationError) as single, transaction.atomic():
            _single(housing_specialist, landlord, contacts)
        with pytest.raises(ValidationError) as bulk:
            services.contacts_log_many(actor=housing_specialist, landlord=landlord, contacts=contacts)
    assert bulk.value.message_dict == single.value.message_dict
    assert not LandlordContact.objects.exists()


def test_another_teams_landlord_is_refused_in_bulk_too(landlord, org_b):
    stranger = member(org_b, Role.HOUSING_SPECIALIST)
    with time_machine.travel(NOON, tick=False), pytest.raises(ValidationError):
        services.contacts_log_many(actor=stranger, landlord=landlord, contacts=CONTACTS)
    assert not LandlordContact.objects.exists()
