"""API of enrollments: same permissions and 404 rules as the pages."""

from __future__ import annotations

import pytest

from ancrage.casework.models import Enrollment
from ancrage.casework.tests.factories_caseload import enroll, make_program, make_worker, transferred_match
from ancrage.core import clock
from ancrage.core.permissions import Category, Role
from ancrage.people.tests.factories import make_participant, member, share

pytestmark = pytest.mark.django_db


@pytest.fixture
def program(org_a):
    return make_program(org_a)


@pytest.fixture
def lead(org_a):
    lead = make_worker(org_a, role=Role.TEAM_LEAD, username="lead_api")
    lead.language = "en"
    lead.save()
    return lead


def _post(client, url, body):
    return client.post(url, body, content_type="application/json")


def test_create_list_and_assign(client_for, lead, case_manager_a, participant_a, program, org_a):
    client = client_for(lead)
    response = _post(
        client,
        f"/api/v1/participants/{participant_a.pk}/enrollments",
        {"program_id": program.pk, "primary_worker_id": case_manager_a.pk},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "active"
    assert body["primary_worker_id"] == case_manager_a.pk
    assert body["assignments"][0]["worker_id"] == case_manager_a.pk
    other = make_worker(org_a)
    response = _post(
        client,
        f"/api/v1/enrollments/{body['id']}/assign",
        {"worker_id": other.pk, "reason": "Congé parental"},
    )
    assert response.status_code == 200, response.content
    assignments = response.json()["assignments"]
    assert [a["worker_id"] for a in assignments] == [other.pk, case_manager_a.pk]
    assert assignments[0]["reason"] == "Congé parental"
    listing = client_for(case_manager_a).get(f"/api/v1/participants/{participant_a.pk}/enrollments").json()
    assert [e["id"] for e in listing] == [body["id"]]
    assert listing[0]["assignments"][1]["ends_on"] == clock.today().isoformat()


def test_bad_input_is_422_with_the_field(client_for, lead, case_manager_a, participant_a, org_a):
    client = client_for(lead)
    url = f"/api/v1/participants/{participant_a.pk}/enrollments"
    program = make_program(org_a, caseload_ratio=1)
    enroll(lead, make_participant(lead, org_a, legal_first_name="Un"), program, case_manager_a)
    response = _post(client, url, {"program_id": program.pk, "primary_worker_id": case_manager_a.pk})
    assert response.status_code == 422
    assert "over_ratio_reason" in response.json()["errors"]
    response = _post(client, url, {"program_id": 999999, "primary_worker_id": case_manager_a.pk})
    assert response.status_code == 422
    assert "program_id" in response.json()["errors"]
    response = _post(client, url, {"program_id": program.pk})
    assert response.status_code == 422
    accepted = transferred_match(lead, org_a, program, status="provider_accepted")
    response = _post(
        client,
        f"/api/v1/participants/{accepted.participant_id}/enrollments",
        {"program_id": program.pk, "primary_worker_id": lead.pk, "match_id": accepted.pk},
    )
    assert response.status_code == 422
    assert response.json()["errors"]["match_id"] == [
        "The match must be at the assisted transfer before enrollment."
    ]
    assert not Enrollment.objects.filter(participant=participant_a).exists()


def test_assign_without_reason_is_422(client_for, lead, case_manager_a, participant_a, program, org_a):
    enrollment = enroll(lead, participant_a, program, case_manager_a)
    response = _post(
        client_for(lead),
        f"/api/v1/enrollments/{enrollment.pk}/assign",
        {"worker_id": make_worker(org_a).pk, "reason": ""},
    )
    assert response.status_code == 422
    assert "reason" in response.json()["errors"]


def test_other_organisation_is_404_and_consent_reads_but_never_writes(
    client_for, lead, case_manager_a, participant_a, program, org_b
):
    enrollment = enroll(lead, participant_a, program, case_manager_a)
    manager_b = member(org_b, Role.PROGRAM_MANAGER)
    client = client_for(manager_b)
    assert client.get(f"/api/v1/participants/{participant_a.pk}/enrollments").status_code == 404
    share(case_manager_a, participant_a, [org_b], [Category.IDENTITY, Category.CASE_NOTES])
    assert client.get(f"/api/v1/participants/{participant_a.pk}/enrollments").status_code == 200
    program_b = make_program(org_b)
    response = _post(
        client,
        f"/api/v1/participants/{participant_a.pk}/enrollments",
        {"program_id": program_b.pk, "primary_worker_id": manager_b.pk},
    )
    assert response.status_code == 404
    worker_b = make_worker(org_b)
    response = _post(
        client, f"/api/v1/enrollments/{enrollment.pk}/assign", {"worker_id": worker_b.pk, "reason": "x"}
    )
    assert response.status_code == 404
    assert (
        _post(
            client, "/api/v1/enrollments/999999/assign", {"worker_id": worker_b.pk, "reason": "x"}
        ).status_code
        == 404
    )


def test_role_without_permission_is_404(client_for, case_manager_a, participant_a, program):
    """A participant's record: without the permission, the same 404 as for a file not seen."""
    response = _post(
        client_for(case_manager_a),
        f"/api/v1/participants/{participant_a.pk}/enrollments",
        {"program_id": program.pk, "primary_worker_id": case_manager_a.pk},
    )
    assert response.status_code == 404
