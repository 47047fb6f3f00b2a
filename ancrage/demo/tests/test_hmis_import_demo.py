"""The demo's HMIS import: one completed import, with its data-quality report and duplicates proposed."""

from __future__ import annotations

import datetime

import pytest

from ancrage.core.permissions import Role
from ancrage.demo.hmis_import import build_hmis_import
from ancrage.interop.models import HmisImport, ProposedDuplicate
from ancrage.people.tests.factories import make_participant, member

pytestmark = pytest.mark.django_db


def test_the_demo_import_completes_with_its_report(org_a):
    manager = member(org_a, Role.PROGRAM_MANAGER, username="coordination_test")
    known = make_participant(
        manager,
        org_a,
        legal_first_name="Ginette",
        legal_last_name="Labelle",
        date_of_birth=datetime.date(1961, 4, 2),
    )
    summary = build_hmis_import({"coordination": manager}, {"MHS": org_a})
    imp = HmisImport.objects.get()
    assert summary["hmis_import"] == imp.status == HmisImport.Status.DONE
    codes = set(imp.problems.values_list("code", flat=True))
    assert {
        "date_unreadable",
        "date_future",
        "code_unknown",
        "enrollment_without_client",
        "column_extra",
    } <= codes
    assert ProposedDuplicate.objects.filter(hmis_import=imp, candidate=known).exists()
