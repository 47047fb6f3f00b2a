"""E3: a case-conference table that discussed a person is involved with them, for significant-change notices."""

from __future__ import annotations

import datetime

import pytest

from ancrage.conferences import services
from ancrage.conferences.tests.conftest import flag, person
from ancrage.core import involvement
from ancrage.core.permissions import Category

pytestmark = pytest.mark.django_db


def _tables(found):
    return {i.organisation_id for i in found if "%(table)s" not in i.why and "Table communautaire" in i.why}


def test_the_tables_that_discussed_a_person_are_involved_from_the_meeting_on(
    meeting, members, ca_worker, case_manager_a, org_a, hub_org
):
    participant = person(
        case_manager_a, org_a, "Line", "Paradis", share_with=[hub_org], categories=list(Category.values)
    )
    flag(participant)
    services.agenda_add(actor=ca_worker, meeting=meeting, participant=participant)
    on_the_day = meeting.starts_at.date()
    assert _tables(involvement.involved(participant, on_the_day)) == {
        m.organisation_id for m in members.values()
    }
    # Before the meeting, the table had not discussed the person; another person was never discussed.
    assert _tables(involvement.involved(participant, on_the_day - datetime.timedelta(days=1))) == set()
    other = person(case_manager_a, org_a, "Marc", "Aubin")
    assert _tables(involvement.involved(other, on_the_day)) == set()
