"""Every route that shows a participant's information writes a read entry (G2), once per participant and kind.

The routes come from the URL resolver (pages) and the OpenAPI (API operations), through the table of
test_routes.py: a new route that shows a record fails `test_every_record_route_writes_a_read_entry` until
it records its read or is named in NO_PARTICIPANT_INFORMATION with the reason it shows nothing of a file.
"""

from __future__ import annotations

import pytest

from ancrage.core.models import AuditEntry
from ancrage.core.tests.test_routes import (  # noqa: F401  (world is a fixture)
    ROUTES,
    _route_args,
    call,
    project_routes,
    world,
)
from ancrage.people.tests.helpers import fast_password_hasher  # noqa: F401

pytestmark = pytest.mark.django_db

# Routes with an id in their URL that show nothing of a participant's file, and why.
NO_PARTICIPANT_INFORMATION = {
    "access:policy_detail": "a priority policy belongs to the community: its factors and weights, no person",
    "access:opening_detail": "an opening is a place in a program; proposed people are listed by match id only",
    "casework:provider_edit": "a service of the directory, not a person",
    "casework:provider_refer": "chooses a participant among those the user may refer; shows none of a file",
    "casework:meeting_settings": "the order of a team's meeting: a write (POST) with nothing to show",
    "casework:schedule_edit": "a program's assessment schedule: a write (POST) with nothing to show",
    "api_token_revoke": "a personal API token of the signed-in user",
    "api:team_meeting": "the team's meeting agenda: a list, audited per row by its selector",
}


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
    response = call(client_for(program_manager_a), name, w)
    response.close()  # files (photo, documents) are streamed: close them here, not in another test
    assert response.status_code == 200, (response.status_code, response.content[:300])
    reads = list(
        AuditEntry.objects.filter(id__gt=before, is_read=True).values_list("participant_id", "action")
    )
    assert reads, f"{name} showed a participant's information and wrote no read entry"
    assert all(pk is not None for pk, _what in reads), reads
    participants = {w.pk for w in (world["participant"], world["other"])}
    assert {pk for pk, _what in reads} <= participants, reads
    assert len(reads) == len(set(reads)), f"{name} wrote the same read twice: {reads}"
