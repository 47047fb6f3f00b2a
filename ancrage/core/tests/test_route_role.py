"""Every route about one participant, for several roles, on participants the user may and may not see.

One world, built once per module: a participant of the user's own organisation, one of another organisation
shared with it by a consent in force, and four the user may not see (a consent that does not share identity,
a revoked one, an expired one, one not yet started). A file the user may not see answers 404 on every route,
whatever the role, exactly like an id that does not exist, and its content never appears anywhere; a file
the user may see never answers 403 (a refusal about a record is 404 too) nor fails.
"""

from __future__ import annotations

import datetime

import pytest
from django.db import transaction
from django.urls import reverse

from ancrage.core import clock
from ancrage.core.permissions import ROLE_PERMISSIONS, Category, Role
from ancrage.core.tests.test_routes import (
    NOT_A_PERSONS_RECORD,
    ROUTES,
    _route_args,
    close_response,
    project_routes,
)

pytestmark = pytest.mark.django_db

NAMES = {
    "home": "Homeside",
    "consent": "Consentfull",
    "no_identity": "Noidentity",
    "revoked": "Revokedone",
    "expired": "Expiredone",
    "not_yet": "Notyetstarted",
}
INVISIBLE = ("no_identity", "revoked", "expired", "not_yet")
MISSING = "missing"  # an id that exists nowhere: the answer every invisible file must match
ROLES = (Role.CASE_MANAGER, Role.PROGRAM_MANAGER, Role.HOUSING_SPECIALIST, Role.DATA_COORDINATOR)

# GET routes whose only id is a participant's (match and policy ids are not).
PARTICIPANT_ROUTES = sorted(
    n
    for n, r in ROUTES.items()
    if r.method == "get"
    and _route_args(project_routes()[n].pattern) - {"kind"} == {"pk"}
    and n not in NOT_A_PERSONS_RECORD
    and n not in {"access:match_detail", "access:match_step"}
)


@pytest.fixture(scope="module")
def rr_world(django_db_setup, django_db_blocker):
    """Built once for the module inside a transaction rolled back at its end, so no other module sees it."""
    from ancrage.access import services as access_services
    from ancrage.people import services
    from ancrage.people.tests.factories import (
        ConsortiumFactory,
        OrganisationFactory,
        make_participant,
        member,
        share,
    )

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            consortium = ConsortiumFactory()
            org_a = OrganisationFactory(consortium=consortium, name="Mission RR A", short_name="RRA")
            org_b = OrganisationFactory(consortium=consortium, name="Mission RR B", short_name="RRB")
            worker_a = member(org_a, Role.CASE_MANAGER, username="rr_cm_a")
            worker_b = member(org_b, Role.CASE_MANAGER, username="rr_cm_b")
            everything = list(Category.values)
            people = {
                "home": make_participant(
                    worker_a, org_a, legal_first_name="Anne", legal_last_name=NAMES["home"]
                )
            }
            for state in ("consent", "no_identity", "revoked", "expired", "not_yet"):
                people[state] = make_participant(
                    worker_b, org_b, legal_first_name="Berthe", legal_last_name=NAMES[state]
                )
            today = clock.today()
            share(worker_b, people["consent"], [org_a], everything)
            share(worker_b, people["no_identity"], [org_a], [c for c in everything if c != Category.IDENTITY])
            revoked = share(worker_b, people["revoked"], [org_a], everything)
            services.consent_revoke(actor=worker_b, consent=revoked, reason="Retrait")
            share(
                worker_b,
                people["expired"],
                [org_a],
                everything,
                starts_on=today - datetime.timedelta(days=400),
                expires_on=today - datetime.timedelta(days=1),
            )
            share(
                worker_b, people["not_yet"], [org_a], everything, starts_on=today + datetime.timedelta(days=1)
            )
            for p in people.values():
                access_services.by_name_entry_add(
                    actor=worker_a if p.organisation_id == org_a.pk else worker_b,
                    participant=p,
                    reference_worker=worker_a if p.organisation_id == org_a.pk else worker_b,
                )
            users = {role: member(org_a, role, username=f"rr_{role}") for role in ROLES}
            yield {"people": people, "users": users}
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def _get(client, name: str, pk: int):
    url = reverse(
        name,
        kwargs={
            "pk": pk,
            **({"kind": "alias"} if "kind" in _route_args(project_routes()[name].pattern) else {}),
        },
    )
    response = client.get(url)
    body = b"" if getattr(response, "streaming", False) else response.content
    close_response(response)
    return response.status_code, body.decode("utf-8", "replace")


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", PARTICIPANT_ROUTES)
def test_route_by_role_and_visibility(name, role, rr_world, client):
    client.force_login(rr_world["users"][role])
    people = rr_world["people"]
    missing_status, _body = _get(client, name, 10**9)
    assert missing_status == 404, missing_status
    answers = {state: _get(client, name, p.pk) for state, p in people.items()}
    for state in INVISIBLE:
        # Exactly the answer for an id that exists nowhere.
        assert answers[state][0] == missing_status, (state, answers[state][0])
    for state, (status, body) in answers.items():
        assert status not in {403, 500}, (state, status, body[:300])
        # Nothing of a file the user may not see, nor of another file, appears in any answer.
        for other, last_name in NAMES.items():
            if other != state:
                assert last_name not in body, (state, other)
    # Reading a participant's file itself: 200 for the home file and the one shared by consent.
    if name in {"people:detail", "api:get_participant"}:
        perms = ROLE_PERMISSIONS[role]
        expected = 200 if "people.view_participants" in perms else 404
        assert answers["home"][0] == expected
        assert answers["consent"][0] == expected
        if expected == 200:
            assert NAMES["home"] in answers["home"][1]
            assert NAMES["consent"] in answers["consent"][1]
