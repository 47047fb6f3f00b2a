"""`contacts_log_many` writes what `contact_log` writes one contact at a time: the same contacts (enrollment of
their day, staff present, goals discussed), the same audit entries, the same lost-contact hook; it refuses what
`contact_log` refuses, writing nothing."""

from __future__ import annotations

import dataclasses
import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import transaction

from ancrage.casework.contacts import services
from ancrage.casework.models import Contact, Enrollment, ReengagementPlan
from ancrage.casework.plans import services as plans_services
from ancrage.casework.reengagement import services as reengagement_services
from ancrage.core import clock
from ancrage.core.models import AuditEntry
from ancrage.core.permissions import Role
from ancrage.people.tests.factories import make_participant, member

from .plans_helpers import enroll

pytestmark = pytest.mark.django_db

NOON = datetime.datetime(2026, 6, 15, 16, 0, tzinfo=datetime.UTC)
HOUR = datetime.timedelta(hours=1)
DAY = datetime.timedelta(days=1)


@pytest.fixture
def world(case_manager_a, participant_a, org_a):
    """Two participants of org_a: the first enrolled (an older enrollment ended, a plan with two goals, a
    visit planned, out of touch since last week), the second not enrolled; a peer support worker."""
    with time_machine.travel(NOON, tick=False):
        today = clock.today()
        old = enroll(case_manager_a, participant_a, on=today - 200 * DAY)
        Enrollment.objects.filter(pk=old.pk).update(
            status=Enrollment.Status.EXITED, exited_on=today - 100 * DAY
        )
        enrollment = enroll(case_manager_a, participant_a, on=today - 60 * DAY, program=old.program)
        plan = plans_services.plan_create(actor=case_manager_a, enrollment=enrollment)
        goals = [
            plans_services.goal_add(
                actor=case_manager_a, plan=plan, words=words, stage="action", starts_on=today - 50 * DAY
            )
            for words in ("Garder mon logement", "Revoir ma fille")
        ]
        visit = services.visit_plan(
            actor=case_manager_a,
            participant=participant_a,
            location="Domicile",
            planned_start=clock.now() + HOUR,
            planned_end=clock.now() + 2 * HOUR,
        )
        reengagement_services.lost_contact_flag(
            actor=case_manager_a, enrollment=enrollment, on=today - 2 * DAY, last_contact_on=today - 9 * DAY
        )
        other = make_participant(case_manager_a, org_a, legal_first_name="Marc", legal_last_name="Roy")
    return {
        "peer": member(org_a, Role.PEER_SUPPORT),
        "goals": goals,
        "visit": visit,
        "other": other,
        "actor": case_manager_a,
        "participant": participant_a,
    }


def _contacts(world) -> list[services.ContactToLog]:
    actor, participant, peer = world["actor"], world["participant"], world["peer"]
    first, second = world["goals"]
    return [
        # Before the visit was planned, the participant absent: the lost-contact plan stays open.
        services.ContactToLog(
            actor=actor,
            participant=participant,
            occurred_at=NOON - 30 * HOUR,
            duration_minutes=10,
            kind="phone",
            participant_present=False,
            shared_note="  Pas de réponse. ",
            logged_at=NOON - 29 * HOUR,
        ),
        # Dated during the old enrollment: counted there.
        services.ContactToLog(
            actor=actor,
            participant=participant,
            occurred_at=NOON - 150 * 24 * HOUR,
            duration_minutes="45",
            kind="office",
            goals=[second.pk],
            logged_at=NOON - 28 * HOUR,
        ),
        services.ContactToLog(
            actor=peer,
            participant=world["other"],
            occurred_at=NOON - 5 * HOUR,
            duration_minutes=30,
            kind="community",
            private_note="Privé.",
            logged_at=NOON - 4 * HOUR,
        ),
        # Seen at home with the peer worker: back in contact.
        services.ContactToLog(
            actor=actor,
            participant=participant,
            occurred_at=NOON - 2 * HOUR,
            duration_minutes=60,
            kind="home",
            staff=[peer],
            goals=[second, first],
            visit=world["visit"],
            logged_at=NOON - HOUR,
        ),
    ]


def _single(contacts: list[services.ContactToLog]) -> None:
    for c in contacts:
        with clock.at(c.logged_at):
            services.contact_log(
                actor=c.actor,
                participant=c.participant,
                occurred_at=c.occurred_at,
                duration_minutes=c.duration_minutes,
                kind=c.kind,
                participant_present=c.participant_present,
                staff=c.staff,
                goals=c.goals,
                shared_note=c.shared_note,
                private_note=c.private_note,
                visit=c.visit,
            )


def _written(write) -> dict:
    """What `write` writes, ids of the contacts it makes replaced by their order; rolled back after."""
    last_contact = Contact.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    last_entry = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    with transaction.atomic():
        write()
        contacts = list(Contact.objects.filter(pk__gt=last_contact).order_by("pk"))
        number = {str(c.pk): n for n, c in enumerate(contacts)}
        written = {
            "contacts": [
                {
                    **{k: v for k, v in Contact.objects.filter(pk=c.pk).values().get().items() if k != "id"},
                    "staff": list(
                        Contact.staff.through.objects.filter(contact=c).order_by("pk").values_list("user_id")
                    ),
                    "goals": list(
                        Contact.goals_discussed.through.objects.filter(contact=c)
                        .order_by("pk")
                        .values_list("goal_id")
                    ),
                }
                for c in contacts
            ],
            "entries": sorted(
                (
                    e.at,
                    e.action,
                    e.actor_id,
                    e.organisation_id,
                    e.participant_id,
                    e.object_type,
                    number.get(e.object_id, e.object_id),
                    str(e.data),
                )
                for e in AuditEntry.objects.filter(pk__gt=last_entry)
            ),
            "plans": list(ReengagementPlan.objects.order_by("pk").values("status", "closed_on")),
            "enrollments": list(Enrollment.objects.order_by("pk").values("lost_contact_since", "updated_at")),
        }
        transaction.set_rollback(True)
    return written


def test_contacts_logged_in_bulk_are_those_logged_one_by_one(world):
    contacts = _contacts(world)
    with time_machine.travel(NOON, tick=False):
        one_by_one = _written(lambda: _single(contacts))
        in_bulk = _written(lambda: services.contacts_log_many(contacts=contacts))
    assert in_bulk == one_by_one
    # The scenario covers what a contact writes: its enrollments (old, current, none), staff, goals, visit,
    # the hook (the open plan closed, the flag cleared) and the entries.
    rows = in_bulk["contacts"]
    assert [r["enrollment_id"] is None for r in rows] == [False, False, True, False]
    assert rows[0]["enrollment_id"] != rows[1]["enrollment_id"]
    assert rows[0]["shared_note"] == "Pas de réponse."
    assert rows[0]["recorded_at"] == NOON - 29 * HOUR
    assert len(rows[3]["staff"]) == 2
    assert len(rows[3]["goals"]) == 2
    assert rows[3]["visit_id"] == world["visit"].pk
    assert [p["status"] for p in in_bulk["plans"]] == [ReengagementPlan.Status.RECONNECTED]
    assert all(e["lost_contact_since"] is None for e in in_bulk["enrollments"])
    assert [e[1] for e in in_bulk["entries"]].count("casework.contact.logged") == 4
    assert "casework.lost_contact.closed" in [e[1] for e in in_bulk["entries"]]


def test_contacts_in_bulk_take_a_few_queries(world, django_assert_max_num_queries):
    contacts = _contacts(world)
    with time_machine.travel(NOON, tick=False), django_assert_max_num_queries(30):
        services.contacts_log_many(contacts=contacts)


@pytest.mark.parametrize(
    ("change", "index"),
    [
        ({"occurred_at": NOON}, 1),  # after the moment it is logged
        ({"occurred_at": NOON - 400 * 24 * HOUR}, 1),  # further back than CONTACT_BACKDATE_DAYS
        ({"duration_minutes": 0}, 2),
        ({"kind": "telepathy"}, 0),
        ({"staff": "outsider"}, 3),
        ({"goals": "other's"}, 1),
        ({"participant": "elsewhere"}, 2),
    ],
)
def test_a_refusal_is_contact_logs_and_nothing_is_written(world, case_manager_b, org_b, change, index):
    contacts = _contacts(world)
    with time_machine.travel(NOON, tick=False):
        value = next(iter(change.values()))
        name = next(iter(change))
        if value == "outsider":
            value = [case_manager_b]
        elif value == "other's":
            plan = plans_services.plan_create(
                actor=case_manager_b,
                enrollment=enroll(case_manager_b, make_participant(case_manager_b, org_b)),
            )
            value = [plans_services.goal_add(actor=case_manager_b, plan=plan, words="Autre", stage="action")]
        elif value == "elsewhere":
            value = make_participant(case_manager_b, org_b)
        contacts[index] = dataclasses.replace(contacts[index], **{name: value})
        with pytest.raises(ValidationError) as single, transaction.atomic():
            _single(contacts)
        before = (Contact.objects.count(), AuditEntry.objects.count())
        with pytest.raises(ValidationError) as bulk:
            services.contacts_log_many(contacts=contacts)
    assert bulk.value.messages == single.value.messages
    assert (Contact.objects.count(), AuditEntry.objects.count()) == before


def test_a_visit_is_logged_once_in_bulk_too(world):
    contacts = _contacts(world)
    with time_machine.travel(NOON, tick=False):
        twice = [*contacts, contacts[3]]
        with pytest.raises(services.VisitAlreadyLoggedError):
            services.contacts_log_many(contacts=twice)
        assert not Contact.objects.exists()
        services.contacts_log_many(contacts=contacts[3:])
        with pytest.raises(services.VisitAlreadyLoggedError):
            services.contacts_log_many(contacts=contacts)
    assert Contact.objects.count() == 1
