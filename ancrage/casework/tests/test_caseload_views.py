"""Pages of enrollment and caseloads."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ancrage.casework.services_caseload import enrollment_assign
from ancrage.casework.tests.factories_caseload import (
    enroll,
    make_program,
    make_team,
    make_worker,
)
from ancrage.core.permissions import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def program(org_a):
    return make_program(org_a)


@pytest.fixture
def team(program):
    return make_team(program)


@pytest.fixture
def lead(org_a, team):
    return make_worker(org_a, role=Role.TEAM_LEAD, team=team, username="lead_a")


def test_participant_page_shows_enrollment_and_reassignment_reason(
    client_for, lead, case_manager_a, participant_a, program, team, org_a
):
    enrollment = enroll(lead, participant_a, program, case_manager_a, team=team)
    other = make_worker(org_a, first_name="Nadia", last_name="Roy")
    enrollment_assign(actor=lead, enrollment=enrollment, worker=other, reason="Départ en congé")
    response = client_for(case_manager_a).get(reverse("casework:participant", args=[participant_a.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Départ en congé" in html
    assert "Nadia Roy" in html
    assert case_manager_a.display_name in html
    assert program.display_name in html


def test_participant_page_english(client_for, lead, case_manager_a, participant_a, program):
    enroll(lead, participant_a, program, case_manager_a)
    case_manager_a.language = "en"
    case_manager_a.save()
    html = (
        client_for(case_manager_a)
        .get(reverse("casework:participant", args=[participant_a.pk]))
        .content.decode()
    )
    assert "Case management" in html
    assert "Primary case manager" in html
