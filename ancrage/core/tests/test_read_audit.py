"""Every route that shows a participant's information writes a read entry (G2), once per participant and kind.

The routes come from the URL resolver (pages) and the OpenAPI (API operations), through the table of
test_routes.py: a new route that shows a record fails `test_every_record_route_writes_a_read_entry` until
it records its read or is named in NO_PARTICIPANT_INFORMATION with the reason it shows nothing of a file.
"""

from __future__ import annotations

import pytest

from ancrage.conferences.tests import routes_conferences
from ancrage.core.models import AuditEntry
from ancrage.core.tests.test_routes import (  # noqa: F401  (the world and the fixtures it is made of)
    ROUTES,
    _route_args,
    call,
    case_manager_a,
    case_manager_b,
    close_response,
    consortium,
    org_a,
    org_b,
    participant_a,
    partner_org,
    program_manager_a,
    project_routes,
    routes_world,
    routes_world_once,
    world,
)
from ancrage.housing.tests import routes_book
from ancrage.interop.tests import routes_exports, routes_imports
from ancrage.partners.tests import routes_partners
from ancrage.people.tests.helpers import fast_password_hasher  # noqa: F401
from ancrage.reports.tests import routes_fidelity, routes_funder, routes_reports

pytestmark = pytest.mark.django_db

# Routes with an id in their URL that show nothing of a participant's file, and why.
NO_PARTICIPANT_INFORMATION = {
    "access:policy_detail": "a priority policy belongs to the community: its factors and weights, no person",
    "access:opening_detail": "an opening is a place in a program; proposed people are listed by match id only",
    "housing:unit_detail": "a housing unit of the housing team: its address, area and rules, no person",
    "housing:unit_edit": "a housing unit's form: no person",
    "casework:provider_edit": "a service of the directory, not a person",
    "casework:provider_refer": "chooses a participant among those the user may refer; shows none of a file",
    "casework:meeting_settings": "the order of a team's meeting: a write (POST) with nothing to show",
    "casework:schedule_edit": "a program's assessment schedule: a write (POST) with nothing to show",
    "api_token_revoke": "a personal API token of the signed-in user",
    "api:team_meeting": "the team's meeting agenda: a list, audited per row by its selector",
    # The rent payment service (C5): rolls, payments and statements name landlords and amounts, no person.
    "housing:rent_roll": "a month's rent roll: totals per landlord, no person",
    "housing:rent_roll_export": "a month's roll for accounting: one row per landlord, no person",
    "housing:rent_statement": "a landlord's statement: units and amounts, no person",
    "api:get_rent_roll": "a month's rent roll: totals per landlord, no person",
    "api:list_rent_charges": "a roll's charges: tenancy ids and amounts, no name",
    **routes_partners.NO_PARTICIPANT_INFORMATION,
}
NO_PARTICIPANT_INFORMATION.update(routes_book.NO_PARTICIPANT_INFORMATION)
NO_PARTICIPANT_INFORMATION.update(routes_conferences.NO_PARTICIPANT_INFORMATION)
for _part in (routes_reports, routes_fidelity, routes_imports, routes_exports, routes_funder):
    NO_PARTICIPANT_INFORMATION.update(_part.NO_PARTICIPANT_INFORMATION)


def _shows_a_record(name: str) -> bool:
    route = ROUTES[name]
    args = _route_args(project_routes()[name].pattern)
    return route.method == "get" and bool(args - {"kind"})


RECORD_READ_ROUTES = [n for n in ROUTES if _shows_a_record(n) and n not in NO_PARTICIPANT_INFORMATION]


def test_the_exemptions_name_existing_routes_with_ids():
    stale = {n for n in NO_PARTICIPANT_INFORMATION if n not in ROUTES}
    assert not stale, stale
    for name, reason in NO_PARTICIPANT_INFORMATION.items():
        assert _route_args(project_routes()[name].pattern), name
        assert reason


@pytest.mark.parametrize("name", RECORD_READ_ROUTES)
def test_every_record_route_writes_a_read_entry(name, world, client_for, program_manager_a):  # noqa: F811
    """A program manager of the participant's organisation may read everything: each route answers 200
    and writes at least one read entry naming a participant, and never two of the same kind."""
    w = dict(world)
    if name in {"api:get_referral", "access:intake_start"}:
        # A referral with no file yet names nobody the registry holds; the one of the intake is tied to a file.
        w["referral"] = world["intake"].referral
    before = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
    # The housing team's form pages are opened by the one who fills them (see routes_tenancies.ACTING_AS).
    from ancrage.housing.tests.routes_tenancies import ACTING_AS

    reader = w[ACTING_AS[name]] if name in ACTING_AS else program_manager_a
    response = call(client_for(reader), name, w)
    close_response(response)  # files (photo, documents) are streamed: close them here, not in another test
    assert response.status_code == 200, (response.status_code, response.content[:300])
    reads = list(
        AuditEntry.objects.filter(id__gt=before, is_read=True).values_list("participant_id", "action")
    )
    assert reads, f"{name} showed a participant's information and wrote no read entry"
    assert all(pk is not None for pk, _what in reads), reads
    participants = {w.pk for w in (world["participant"], world["other"])}
    assert {pk for pk, _what in reads} <= participants, reads
    assert len(reads) == len(set(reads)), f"{name} wrote the same read twice: {reads}"


def test_an_export_writes_one_read_per_person_in_one_statement(world, client_for, program_manager_a):  # noqa: F811
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    c = client_for(program_manager_a)
    with CaptureQueriesContext(connection) as queries:
        response = c.get(reverse("access:by_name_export"))
    assert response.status_code == 200
    reads = AuditEntry.objects.filter(action="access.by_name_entry.exported", actor=program_manager_a)
    assert set(reads.values_list("participant_id", flat=True)) == {world["participant"].pk, world["other"].pk}
    inserts = [
        q["sql"] for q in queries.captured_queries if "core_auditentry" in q["sql"] and "INSERT" in q["sql"]
    ]
    # The export's own entry, and one statement for every person in it.
    assert len(inserts) == 2, inserts
    # Each person's own report lists the export.
    who_saw = c.get(reverse("people:who_saw", args=[world["participant"].pk]))
    assert who_saw.status_code == 200
    assert AuditEntry.objects.filter(
        participant=world["participant"], action="access.by_name_entry.exported"
    ).exists()


def test_a_page_that_opens_the_file_twice_writes_one_read(world, client_for, program_manager_a):  # noqa: F811
    """The assessment result opens the file for the participant and for the administration: one entry each
    kind, none repeated; a second request writes its own."""
    from django.urls import reverse

    c = client_for(program_manager_a)
    p = world["participant"]
    url = reverse("assessments:result", args=[p.pk, world["administration_done"].pk])
    for expected in (1, 2):
        assert c.get(url).status_code == 200
        assert (
            AuditEntry.objects.filter(
                participant=p, actor=program_manager_a, action="assessments.administration.viewed"
            ).count()
            == expected
        )


def test_a_refused_or_failed_request_writes_no_read(world, client_for, org_b):  # noqa: F811
    """A read is what was shown: the file opened, then a 404 (another organisation's history), writes none."""
    from django.urls import reverse

    from ancrage.core.permissions import Category, Role
    from ancrage.people.tests.factories import member, share

    user = member(org_b, Role.PROGRAM_MANAGER)
    share(world["case_manager_a"], world["participant"], [org_b], [Category.IDENTITY])
    c = client_for(user)
    assert c.get(reverse("people:history", args=[world["participant"].pk])).status_code == 404
    assert not AuditEntry.objects.filter(actor=user, is_read=True).exists()
    assert c.get(reverse("people:detail", args=[world["participant"].pk])).status_code == 200
    assert AuditEntry.objects.filter(actor=user, is_read=True, participant=world["participant"]).count() == 1


def test_a_write_records_its_write_not_a_read(world, client_for, case_manager_a):  # noqa: F811
    from django.urls import reverse

    p = world["participant"]
    before = AuditEntry.objects.filter(participant=p, is_read=True).count()
    response = client_for(case_manager_a).post(
        reverse("people:edit", args=[p.pk]),
        {"legal_first_name": "", "legal_last_name": ""},  # refused by the form: the page is shown again
    )
    assert response.status_code == 200
    assert AuditEntry.objects.filter(participant=p, is_read=True).count() == before
