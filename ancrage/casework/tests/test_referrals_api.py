"""API of referrals out, incidents and on-call: same rules as the pages."""

from __future__ import annotations

import pytest

from ancrage.casework.models import Incident, OnCallEntry, ServiceKind, ServiceReferral
from ancrage.casework.referrals import services
from ancrage.core import clock
from ancrage.core.models import AuditEntry
from ancrage.core.permissions import Category
from ancrage.people.tests.factories import share

pytestmark = pytest.mark.django_db


@pytest.fixture
def partner_provider(case_manager_a, org_a, partner_org):
    return services.provider_create(
        actor=case_manager_a,
        consortium=org_a.consortium,
        name="Clinique partenaire",
        kind=ServiceKind.HEALTH,
        organisation=partner_org,
    )


def test_referral_api_flow(client_for, case_manager_a, participant_a, partner_provider, partner_org):
    c = client_for(case_manager_a)
    url = f"/api/v1/participants/{participant_a.pk}/referrals"
    body = {"provider_id": partner_provider.pk, "need": "Soins", "shared_categories": ["health"]}
    response = c.post(url, body, content_type="application/json")
    assert response.status_code == 422
    assert "shared_categories" in response.json()["errors"]
    assert not ServiceReferral.objects.exists()
    consent = share(case_manager_a, participant_a, [partner_org], [Category.HEALTH])
    response = c.post(url, body, content_type="application/json")
    assert response.status_code == 201
    data = response.json()
    assert data["consent_id"] == consent.pk
    assert data["shared_categories"] == ["health"]
    response = c.post(
        f"/api/v1/referrals/{data['id']}/steps",
        {"status": "sent"},
        content_type="application/json",
    )
    assert response.status_code == 422  # no approval yet
    response = c.post(
        f"/api/v1/referrals/{data['id']}/steps",
        {"status": "approved"},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert [a["status"] for a in response.json()["attempts"]] == ["proposed", "approved"]
    listed = c.get(url).json()
    assert [r["id"] for r in listed] == [data["id"]]
    providers = c.get("/api/v1/providers", {"kind": "health"}).json()
    assert [p["name"] for p in providers] == ["Clinique partenaire"]


def test_incident_api_for_invisible_participant_is_404_and_nothing_saved(
    client_for, case_manager_b, participant_a
):
    response = client_for(case_manager_b).post(
        f"/api/v1/participants/{participant_a.pk}/incidents",
        {"kind": "overdose", "occurred_at": clock.now().isoformat(), "description": "X"},
        content_type="application/json",
    )
    assert response.status_code == 404
    assert response.json()["detail"]
    assert not Incident.objects.exists()


def test_incident_api_records_and_lists(client_for, case_manager_a, participant_a):
    c = client_for(case_manager_a)
    url = f"/api/v1/participants/{participant_a.pk}/incidents"
    response = c.post(
        url,
        {
            "kind": "eviction_notice",
            "occurred_at": clock.now().isoformat(),
            "description": "Avis du locateur",
        },
        content_type="application/json",
    )
    assert response.status_code == 201
    assert response.json()["team_notified_at"]
    response = c.post(
        url,
        {"kind": "x", "occurred_at": clock.now().isoformat(), "description": ""},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"kind", "description"}
    assert [i["kind"] for i in c.get(url).json()] == ["eviction_notice"]
    assert AuditEntry.objects.filter(action="casework.incident.viewed").count() == 1


def test_on_call_api(client_for, case_manager_a, case_manager_b, participant_a):
    c = client_for(case_manager_a)
    response = c.post(
        "/api/v1/on-call",
        {
            "called_at": clock.now().isoformat(),
            "caller": "Concierge",
            "summary": "Porte ouverte",
            "participant_id": participant_a.pk,
        },
        content_type="application/json",
    )
    assert response.status_code == 201
    assert response.json()["participant_id"] == participant_a.pk
    assert [e["caller"] for e in c.get("/api/v1/on-call").json()] == ["Concierge"]
    # Another organisation sees none of it, and cannot name A's participant.
    other = client_for(case_manager_b)
    assert other.get("/api/v1/on-call").json() == []
    response = other.post(
        "/api/v1/on-call",
        {
            "called_at": clock.now().isoformat(),
            "caller": "X",
            "summary": "Y",
            "participant_id": participant_a.pk,
        },
        content_type="application/json",
    )
    assert response.status_code == 404
    assert OnCallEntry.objects.count() == 1
