"""Fixes found by the browser tests on the exit form: the number of referrals asked comes from the setting,
and the shelter's justification is marked for the script that shows it only for a shelter."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from ancrage.casework.models import Enrollment
from ancrage.casework.tests.test_exits_views import english
from ancrage.core import clock
from ancrage.organisations.models import Program
from ancrage.people.tests.factories import ProgramFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def enrollment(participant_a, org_a, case_manager_a):
    return Enrollment.objects.create(
        participant=participant_a,
        program=ProgramFactory(organisation=org_a, kind=Program.Kind.ICM),
        primary_worker=case_manager_a,
        enrolled_on=clock.today() - datetime.timedelta(days=100),
    )


def _unplanned(client, participant):
    return client.get(reverse("casework:exit_create", args=[participant.pk]) + "?kind=unplanned")


def test_no_referrals_label_takes_the_number_from_the_setting(
    settings, client_for, case_manager_a, participant_a, enrollment
):
    c = client_for(english(case_manager_a))
    html = _unplanned(c, participant_a).content.decode()
    assert "Why fewer than 3 referrals" in html
    assert "three" not in html
    settings.ANCRAGE = {**settings.ANCRAGE, "UNPLANNED_EXIT_REFERRALS": 5}
    html = _unplanned(c, participant_a).content.decode()
    assert "Why fewer than 5 referrals" in html
    settings.ANCRAGE = {**settings.ANCRAGE, "UNPLANNED_EXIT_REFERRALS": 1}
    html = _unplanned(c, participant_a).content.decode()
    assert "Why fewer than 1 referral<" in html


def test_shelter_justification_is_marked_for_the_shelter_only(
    client_for, case_manager_a, participant_a, enrollment
):
    html = _unplanned(client_for(case_manager_a), participant_a).content.decode()
    assert 'data-shelter-only="shelter"' in html
    group = html.split('data-shelter-only="shelter"', 1)[1].split('name="next_organisation"')[0]
    assert 'name="shelter_justification"' in group
    assert "casework/exits_form.js" in html
    script = Path(finders.find("casework/exits_form.js")).read_text()
    assert "data-shelter-only" in script
    assert "id_destination" in script


def test_shelter_justification_still_required_by_the_server(
    client_for, case_manager_a, participant_a, enrollment
):
    today = clock.today().isoformat()
    response = client_for(english(case_manager_a)).post(
        reverse("casework:exit_create", args=[participant_a.pk]),
        {
            "kind": "planned",
            "enrollment": enrollment.pk,
            "reason": "moved_away",
            "exited_on": today,
            "destination": "shelter",
            "procedure_given_on": today,
        },
    )
    assert response.status_code == 200
    assert "no reasonable alternative exists" in response.content.decode()
