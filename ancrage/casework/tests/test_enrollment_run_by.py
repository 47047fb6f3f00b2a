"""Rule B1 (with G2): the organisation that enrolls a participant in its program runs that enrollment; the
participant's home organisation sees it on the file but may not reassign its primary case manager."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from ancrage.casework.caseload.services import enrollment_assign
from ancrage.casework.models import Assignment
from ancrage.casework.tests.factories_caseload import make_worker
from ancrage.casework.tests.test_serving_organisation import (  # noqa: F401  (world is a fixture)
    _consent_for_b,
    _enroll_b,
    world,
)
from ancrage.core.models import AuditEntry
from ancrage.core.permissions import Role
from ancrage.people.tests.helpers import fast_password_hasher  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def enrolled_in_b(world, org_a, org_b, case_manager_a, case_manager_b):  # noqa: F811
    _consent_for_b(case_manager_a, world, org_b)
    world["enrollment"] = _enroll_b(world, case_manager_b)
    world["lead_a"] = make_worker(org_a, role=Role.TEAM_LEAD, username="lead_a")
    world["other_b"] = make_worker(org_b, username="gc_b2")
    return world


def test_the_home_lead_may_not_reassign_the_worker_of_another_organisations_enrollment(
    enrolled_in_b, client_for, case_manager_a
):
    w = enrolled_in_b
    client = client_for(w["lead_a"])
    # The home organisation sees the enrollment on the file...
    assert client.get(reverse("casework:participant", args=[w["p"].pk])).status_code == 200
    # ... but its reassignment page refuses, saying why, and so does the API and the service.
    response = client.get(reverse("casework:assign", args=[w["p"].pk]))
    assert response.status_code == 403
    assert "qui gère ce programme" in response.content.decode()
    before = AuditEntry.objects.filter(action__startswith="casework.enrollment.").count()
    response = client.post(
        f"/api/v1/enrollments/{w['enrollment'].pk}/assign",
        {"worker_id": case_manager_a.pk, "reason": "Plus proche"},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert "qui gère ce programme" in response.json()["detail"]
    with pytest.raises(PermissionDenied):
        enrollment_assign(actor=w["lead_a"], enrollment=w["enrollment"], worker=w["other_b"], reason="x")
    assert not Assignment.objects.filter(enrollment=w["enrollment"], assigned_by=w["lead_a"]).exists()
    assert AuditEntry.objects.filter(action__startswith="casework.enrollment.").count() == before


def test_the_enrolling_organisations_lead_reassigns(enrolled_in_b, client_for):
    w = enrolled_in_b
    response = client_for(w["lead_b"]).post(
        f"/api/v1/enrollments/{w['enrollment'].pk}/assign",
        {"worker_id": w["other_b"].pk, "reason": "Départ en congé"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    w["enrollment"].refresh_from_db()
    assert w["enrollment"].primary_worker_id == w["other_b"].pk
    assert client_for(w["lead_b"]).get(reverse("casework:assign", args=[w["p"].pk])).status_code == 200
