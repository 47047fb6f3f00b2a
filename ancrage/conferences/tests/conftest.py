"""A community table run by coordinated access, with members of two organisations, the hub and a partner."""

from __future__ import annotations

import datetime

import pytest

from ancrage.access.models import ByNameEntry
from ancrage.conferences import services
from ancrage.core import clock
from ancrage.core.permissions import Category, Role


@pytest.fixture
def hub_org(consortium):
    from ancrage.organisations.models import Organisation
    from ancrage.people.tests.factories import OrganisationFactory

    return OrganisationFactory(
        consortium=consortium,
        name="Accès coordonné",
        short_name="AC",
        kind=Organisation.Kind.COORDINATED_ACCESS,
    )


@pytest.fixture
def ca_worker(hub_org):
    from ancrage.people.tests.factories import member

    return member(
        hub_org, Role.COORDINATED_ACCESS, username="acces", email="acces@example.org", language="fr"
    )


@pytest.fixture
def ca_worker_2(hub_org):
    from ancrage.people.tests.factories import member

    return member(hub_org, Role.COORDINATED_ACCESS, username="acces2", email="acces2@example.org")


@pytest.fixture
def table(ca_worker, hub_org):
    return services.table_create(
        actor=ca_worker,
        organisation=hub_org,
        name="Table communautaire",
        start_time=datetime.time(10, 0),
        weekday=2,
        place="Salle 2, 100 rue Ontario",
    )


@pytest.fixture
def members(
    table,
    ca_worker,
    ca_worker_2,
    hub_org,
    case_manager_a,
    org_a,
    case_manager_b,
    org_b,
    partner_rep,
    partner_org,
):
    result = {}
    for user, org in (
        (ca_worker, hub_org),
        (ca_worker_2, hub_org),
        (case_manager_a, org_a),
        (case_manager_b, org_b),
        (partner_rep, partner_org),
    ):
        result[user.username] = services.member_add(actor=ca_worker, table=table, user=user, organisation=org)
        type(user).objects.filter(pk=user.pk).update(email=f"{user.username}@example.org")
    return result


@pytest.fixture
def meeting(table, members, ca_worker):
    start = clock.start_of_day(clock.today() + datetime.timedelta(days=7)).replace(hour=10)
    return services.meeting_create(actor=ca_worker, table=table, starts_at=start)


def flag(participant, reason="no_eligible_program"):
    """The person as the coordinated-access daily job leaves them: active on the list, flagged as stuck."""
    from ancrage.access.models import ByNameStatus

    entry, _ = ByNameEntry.objects.get_or_create(
        participant=participant,
        defaults={"status": ByNameStatus.ACTIVE, "entered_on": clock.today(), "status_since": clock.today()},
    )
    ByNameEntry.objects.filter(pk=entry.pk).update(
        status=ByNameStatus.ACTIVE,
        needs_conference=True,
        needs_conference_reason=reason,
        needs_conference_since=clock.today(),
    )
    return entry


def person(
    actor, org, first, last, *, share_with=(), categories=(Category.IDENTITY, Category.COORDINATED_ACCESS)
):
    from ancrage.people.tests.factories import make_participant, share

    p = make_participant(actor, org, legal_first_name=first, legal_last_name=last)
    if share_with:
        share(actor, p, share_with, categories)
    return p
