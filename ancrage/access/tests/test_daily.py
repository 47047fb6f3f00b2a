"""The daily upkeep command runs every job of coordinated access and says what it did."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core.management import call_command

from ancrage.access import services
from ancrage.access.models import ByNameEntry, ByNameStatus
from ancrage.access.tests.factories import make_entry
from ancrage.core import clock
from ancrage.organisations.models import Program
from ancrage.people.tests.factories import ProgramFactory

pytestmark = pytest.mark.django_db


def test_access_daily(case_manager_a, org_a):
    today = clock.today()
    stale = make_entry(case_manager_a, org_a, entered_on=today - datetime.timedelta(days=200))
    ByNameEntry.objects.filter(pk=stale.pk).update(last_contact_on=today - datetime.timedelta(days=120))
    young = make_entry(case_manager_a, org_a, date_of_birth=datetime.date(2010, 1, 1))
    ProgramFactory(organisation=org_a, kind=Program.Kind.ICM, eligibility=[{"criterion": "age", "min": 18}])
    policy = services.policy_draft_create(
        actor=case_manager_a, text="title: {fr: P, en: P}\nfactors:\n  - factor: chronic\n    weight: 1\n"
    )
    services.policy_activate(actor=case_manager_a, policy=policy, reason="Comité")
    out = StringIO()
    call_command("access_daily", stdout=out)
    assert out.getvalue().strip() == "inactive: 1, chronic: 0, ranked: 1, stalled: 0, stuck: 1"
    stale.refresh_from_db()
    young.refresh_from_db()
    assert stale.status == ByNameStatus.INACTIVE
    assert stale.priority_rank is None
    assert young.priority_rank == 1
    assert young.needs_conference
