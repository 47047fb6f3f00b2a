"""API of exits and due assessments: same rules and permissions as the pages."""

from __future__ import annotations

import datetime

import pytest

from ancrage.assessments.models import Instrument
from ancrage.assessments.tests.factories import load_shipped_instruments
from ancrage.casework.models import AssessmentSchedule, Enrollment, Exit
from ancrage.casework.tests.test_exits_services import housing_referrals
from ancrage.core import clock
from ancrage.core.permissions import Category, Role
from ancrage.organisations.models import Program
from ancrage.people.tests.factories import ProgramFactory, member, share

pytestmark = pytest.mark.django_db


@pytest.fixture
def enrollment(participant_a, org_a, case_manager_a):
    program = ProgramFactory(organisation=org_a, kind=Program.Kind.ICM)
    return Enrollment.objects.create(
        participant=participant_a,
        program=program,
        primary_worker=case_manager_a,
        enrolled_on=clock.today() - datetime.timedelta(days=40),
    )


def body(**values):
    today = clock.today().isoformat()
    data = {
        "kind": "unplanned",
        "reason": "needs_not_met",
        "exited_on": today,
        "destination": "family",
        "procedure_given_on": today,
    }
    data.update(values)
    return data


def test_create_exit_refused_then_recorded(
    client_for, case_manager_a, participant_a, enrollment, program_manager_a
):
    c = client_for(case_manager_a)
    url = f"/api/v1/participants/{participant_a.pk}/exits"
    response = c.post(url, body(), content_type="application/json")
    assert response.status_code == 422
    assert "no_referrals_reason" in response.json()["errors"]
    assert not Exit.objects.exists()
    referrals = housing_referrals(case_manager_a, participant_a, 3, program_manager_a)
    response = c.post(url, body(referral_ids=[r.pk for r in referrals]), content_type="application/json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert sorted(data["referral_ids"]) == sorted(r.pk for r in referrals)
    assert data["enrollment_id"] == enrollment.pk
    listed = c.get(url).json()
    assert [e["id"] for e in listed] == [data["id"]]
    # No current enrollment any more.
    response = c.post(url, body(no_referrals_reason="x"), content_type="application/json")
    assert response.status_code == 422


def test_create_exit_information_sent_needs_consent(
    client_for, case_manager_a, participant_a, enrollment, partner_org
):
    c = client_for(case_manager_a)
    url = f"/api/v1/participants/{participant_a.pk}/exits"
    values = body(
        kind="planned", reason="less_support", information_sent=True, next_organisation_id=partner_org.pk
    )
    response = c.post(url, values, content_type="application/json")
    assert response.status_code == 422
    assert "information_sent" in response.json()["errors"]
    share(case_manager_a, participant_a, [partner_org], [Category.CASE_NOTES])
    response = c.post(url, values, content_type="application/json")
    assert response.status_code == 201
    assert response.json()["consent_id"] is not None


def test_exits_api_permissions(client_for, participant_a, enrollment, org_a, org_b):
    peer = member(org_a, Role.PEER_SUPPORT)
    url = f"/api/v1/participants/{participant_a.pk}/exits"
    assert client_for(peer).post(url, body(), content_type="application/json").status_code == 404
    assert client_for(peer).get(url).status_code == 200
    other = member(org_b, Role.PROGRAM_MANAGER)
    assert client_for(other).get(url).status_code == 404


def test_assessments_due_api(client_for, case_manager_a, participant_a, enrollment):
    load_shipped_instruments()
    AssessmentSchedule.objects.create(
        program=enrollment.program,
        instrument=Instrument.objects.get(key="progress_scale"),
        within_days_of_enrollment=10,
    )
    c = client_for(case_manager_a)
    rows = c.get("/api/v1/assessments-due").json()
    assert len(rows) == 1
    assert rows[0]["participant_id"] == participant_a.pk
    assert rows[0]["overdue"] is True
    assert rows[0]["occasion"] == "baseline"
    # Only team leads see their organisations' list.
    assert c.get("/api/v1/assessments-due?scope=team").status_code == 403
    assert c.get("/api/v1/assessments-due?scope=nope").status_code == 422
