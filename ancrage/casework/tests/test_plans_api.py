"""API of the recovery plan: read, change with the revision (409 when stale), goals and steps."""

from __future__ import annotations

import pytest

from ancrage.casework.models import Goal, Step
from ancrage.casework.plans import services as svc
from ancrage.core.models import AuditEntry
from ancrage.core.permissions import Role
from ancrage.people.tests.factories import make_participant, member

from .plans_helpers import enroll

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(case_manager_a, participant_a):
    plan = svc.plan_create(actor=case_manager_a, enrollment=enroll(case_manager_a, participant_a))
    goal = svc.goal_add(actor=case_manager_a, plan=plan, words="Cuisiner", stage="action")
    svc.step_add(actor=case_manager_a, goal=goal, description="Acheter un chaudron", who="participant")
    plan.refresh_from_db()
    return plan


def test_get_plan(client_for, case_manager_a, participant_a, plan):
    response = client_for(case_manager_a).get(f"/api/v1/participants/{participant_a.pk}/plan")
    assert response.status_code == 200
    body = response.json()
    assert body["revision"] == plan.revision
    assert body["goals"][0]["words"] == "Cuisiner"
    assert body["goals"][0]["steps"][0]["who"] == "participant"
    # Enrolled 30 days ago, no crisis strategies yet: past its due date and not complete.
    assert body["overdue"] is True
    assert body["first_completed_on"] is None
    assert AuditEntry.objects.filter(action="casework.plan.viewed", participant=participant_a).exists()


def test_get_plan_none_yet_is_404(client_for, case_manager_a, participant_a):
    enroll(case_manager_a, participant_a)
    response = client_for(case_manager_a).get(f"/api/v1/participants/{participant_a.pk}/plan")
    assert response.status_code == 404
    assert response.json()["detail"]


def test_update_plan_and_stale_revision_is_409(client_for, case_manager_a, participant_a, plan, org_a):
    c = client_for(case_manager_a)
    path = f"/api/v1/participants/{participant_a.pk}/plan"
    opened = plan.revision
    response = c.post(path, {"revision": opened, "aspirations": "Voyager"}, content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["aspirations"] == "Voyager"
    assert response.json()["revision"] == opened + 1
    # A second client still on the old revision is told, and gets the plan as it is now.
    response = c.post(
        path, {"revision": opened, "aspirations": "Autre chose"}, content_type="application/json"
    )
    assert response.status_code == 409
    body = response.json()
    assert body["detail"]
    assert body["current"]["aspirations"] == "Voyager"
    assert body["current"]["revision"] == opened + 1
    plan.refresh_from_db()
    assert plan.aspirations == "Voyager"


def test_update_without_revision_is_422(client_for, case_manager_a, participant_a, plan):
    response = client_for(case_manager_a).post(
        f"/api/v1/participants/{participant_a.pk}/plan", {"aspirations": "x"}, content_type="application/json"
    )
    assert response.status_code == 422


def test_add_goal_and_step(client_for, case_manager_a, participant_a, plan):
    c = client_for(case_manager_a)
    response = c.post(
        f"/api/v1/participants/{participant_a.pk}/plan/goals",
        {"words": "Reprendre le vélo", "stage": "preparation", "domain": "health"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    goal_id = response.json()["id"]
    response = c.post(
        f"/api/v1/goals/{goal_id}/steps",
        {"description": "Réparer le pneu", "who": "case_manager", "target_on": "2099-05-01"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert Step.objects.get(pk=response.json()["id"]).goal_id == goal_id


def test_goal_review_before_start_is_422(client_for, case_manager_a, participant_a, plan):
    response = client_for(case_manager_a).post(
        f"/api/v1/participants/{participant_a.pk}/plan/goals",
        {"words": "Travailler", "stage": "action", "starts_on": "2026-05-10", "review_on": "2026-05-01"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "review_on" in response.json()["errors"]
    assert not Goal.objects.filter(words="Travailler").exists()


def test_step_on_another_organisations_goal_is_404(client_for, case_manager_b, org_b, plan):
    other = make_participant(case_manager_b, org_b, legal_first_name="Bruno", legal_last_name="Roy")
    other_plan = svc.plan_create(actor=case_manager_b, enrollment=enroll(case_manager_b, other))
    goal_b = svc.goal_add(actor=case_manager_b, plan=other_plan, words="Autre", stage="action")
    manager_a = member(plan.participant.organisation, Role.PROGRAM_MANAGER)
    response = client_for(manager_a).post(
        f"/api/v1/goals/{goal_b.pk}/steps",
        {"description": "x", "who": "both"},
        content_type="application/json",
    )
    assert response.status_code == 404
    assert not Step.objects.filter(goal=goal_b).exists()
    response = client_for(manager_a).post(
        "/api/v1/goals/999999/steps", {"description": "x", "who": "both"}, content_type="application/json"
    )
    assert response.status_code == 404


def test_peer_support_may_read_and_write_but_housing_specialist_may_not(
    client_for, participant_a, plan, org_a
):
    peer = member(org_a, Role.PEER_SUPPORT)
    assert client_for(peer).get(f"/api/v1/participants/{participant_a.pk}/plan").status_code == 200
    specialist = member(org_a, Role.HOUSING_SPECIALIST)
    response = client_for(specialist).get(f"/api/v1/participants/{participant_a.pk}/plan")
    assert response.status_code == 404
