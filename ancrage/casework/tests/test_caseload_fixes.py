"""Fixes found by the browser tests: the caseloads page (no inline style, team leads outside the capacity,
the casework sub-navigation) and a participant's case management after an exit (page and file panel)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from ancrage.casework.models import Enrollment, Exit
from ancrage.casework.tests.factories_caseload import enroll, make_program, make_team, make_worker
from ancrage.core import clock
from ancrage.core.permissions import Role
from ancrage.people.tests.factories import make_participant

pytestmark = pytest.mark.django_db


@pytest.fixture
def program(org_a):
    return make_program(org_a)


@pytest.fixture
def team(program):
    return make_team(program, name="Équipe Est", name_en="East team")


@pytest.fixture
def lead(org_a, team):
    return make_worker(org_a, role=Role.TEAM_LEAD, team=team, username="lead_fix", first_name="Léa")


def _team_row(response, team):
    (row,) = [t for t in response.context["teams"] if t.team == team]
    return row


def test_caseloads_page_has_no_inline_style_and_a_meter(client_for, lead, org_a, team):
    worker = make_worker(org_a, team=team)
    enroll(lead, make_participant(lead, org_a, legal_first_name="M"), team.program, worker, team=team)
    html = client_for(lead).get(reverse("casework:caseloads")).content.decode()
    assert "style=" not in html
    assert 'role="progressbar"' not in html
    meter = re.search(r"<meter [^>]*>[^<]*</meter>", html)
    assert meter is not None
    assert 'value="7"' in meter.group(0)  # 1 of 15
    assert "aria-label=" in meter.group(0)


def test_no_casework_template_has_an_inline_style():
    from pathlib import Path

    import ancrage.casework

    folder = Path(ancrage.casework.__file__).parent / "templates" / "casework"
    offenders = [p.name for p in folder.glob("*.html") if "style=" in p.read_text()]
    assert offenders == []


def test_team_lead_without_participants_is_not_in_the_capacity(client_for, lead, org_a, team):
    make_worker(org_a, team=team, first_name="Zoé")
    make_worker(org_a, team=team, first_name="Yves")
    response = client_for(lead).get(reverse("casework:caseloads"))
    row = _team_row(response, team)
    assert lead not in [w.worker for w in row.workers]
    assert row.capacity == 30  # two case managers at 15, not 45
    assert "/ 30" in response.content.decode()


def test_team_lead_with_participants_is_listed_without_capacity(client_for, lead, org_a, team):
    make_worker(org_a, team=team)
    peer = make_worker(org_a, role=Role.PEER_SUPPORT, team=team)
    enroll(lead, make_participant(lead, org_a, legal_first_name="L"), team.program, lead, team=team)
    response = client_for(lead).get(reverse("casework:caseloads"))
    row = _team_row(response, team)
    (lead_row,) = [w for w in row.workers if w.worker == lead]
    assert lead_row.is_lead
    assert lead_row.ratio is None
    assert not lead_row.over
    assert peer not in [w.worker for w in row.workers]  # no participants, and never primary (issue 12)
    assert row.capacity == 15  # the case manager only
    assert row.participants == 1
    html = response.content.decode()
    assert "hors capacité" in html or "Team lead, not in the capacity" in html


def test_caseloads_page_has_the_casework_subnav(client_for, lead):
    lead.language = "en"
    lead.save()
    html = client_for(lead).get(reverse("casework:caseloads")).content.decode()
    assert 'aria-label="Case management"' in html
    assert f'href="{reverse("casework:caseloads")}" aria-current="page"' in html
    assert "peer support workers visit with the case managers" in html


# --- after an exit -------------------------------------------------------------------------------------------


def _exited(lead, participant, program, worker):
    enrollment = enroll(lead, participant, program, worker)
    Enrollment.objects.filter(pk=enrollment.pk).update(
        status=Enrollment.Status.EXITED, exited_on=clock.today()
    )
    return Exit.objects.create(
        enrollment=enrollment,
        participant=participant,
        kind=Exit.Kind.PLANNED,
        reason=Exit.Reason.MOVED_AWAY,
        exited_on=clock.today(),
        destination=Exit.Destination.FAMILY,
        destination_detail="Chez sa sœur à Rimouski",
        recorded_by=lead,
    )


def test_participant_page_after_exit_shows_the_exit_and_enroll_again(
    client_for, lead, case_manager_a, participant_a, program
):
    exit_ = _exited(lead, participant_a, program, case_manager_a)
    lead.language = "en"
    lead.save()
    html = client_for(lead).get(reverse("casework:participant", args=[participant_a.pk])).content.decode()
    assert "Planned exit" in html
    assert "Moved away" in html
    assert "With family or friends" in html
    assert "Chez sa sœur à Rimouski" in html
    assert reverse("casework:exit_detail", kwargs={"pk": participant_a.pk, "exit_pk": exit_.pk}) in html
    assert "Enroll again" in html
    for name in ("casework:contact_create", "casework:visit_plan", "casework:exit_create"):
        assert reverse(name, args=[participant_a.pk]) not in html, name
    # Reading stays open.
    assert reverse("casework:contact_list", args=[participant_a.pk]) in html


def test_participant_page_case_manager_after_exit_cannot_enroll(
    client_for, lead, case_manager_a, participant_a, program
):
    _exited(lead, participant_a, program, case_manager_a)
    html = (
        client_for(case_manager_a)
        .get(reverse("casework:participant", args=[participant_a.pk]))
        .content.decode()
    )
    assert reverse("casework:enroll", args=[participant_a.pk]) not in html
    assert reverse("casework:contact_create", args=[participant_a.pk]) not in html


def test_participant_page_while_enrolled_offers_the_actions(
    client_for, lead, case_manager_a, participant_a, program
):
    enroll(lead, participant_a, program, case_manager_a)
    html = (
        client_for(case_manager_a)
        .get(reverse("casework:participant", args=[participant_a.pk]))
        .content.decode()
    )
    assert reverse("casework:contact_create", args=[participant_a.pk]) in html


def test_panel_after_exit(client_for, lead, case_manager_a, participant_a, program):
    exit_ = _exited(lead, participant_a, program, case_manager_a)
    detail = reverse("people:detail", args=[participant_a.pk])
    html = client_for(lead).get(detail).content.decode()
    panel = html[html.index('id="casework-panel-title"') :]
    assert "Déménagement" in panel or exit_.get_reason_display() in panel
    assert reverse("casework:exit_detail", kwargs={"pk": participant_a.pk, "exit_pk": exit_.pk}) in panel
    assert reverse("casework:enroll", args=[participant_a.pk]) in panel
    assert reverse("casework:contact_create", args=[participant_a.pk]) not in panel
    assert reverse("casework:visit_plan", args=[participant_a.pk]) not in panel
    html = client_for(case_manager_a).get(detail).content.decode()
    panel = html[html.index('id="casework-panel-title"') :]
    assert reverse("casework:enroll", args=[participant_a.pk]) not in panel
    assert reverse("casework:exit_detail", kwargs={"pk": participant_a.pk, "exit_pk": exit_.pk}) in panel
