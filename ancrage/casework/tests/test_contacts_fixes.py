"""Fixes found by the browser tests on the contact form: the preset the worker taps wins over a duration
prefilled from a field visit, and the tap targets are styled from a static stylesheet (no inline style)."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from ancrage.casework.contacts import services
from ancrage.casework.contacts.forms import DURATION_OTHER
from ancrage.casework.models import Contact
from ancrage.casework.tests.test_contacts_pages import _local, _visit
from ancrage.core import clock

pytestmark = pytest.mark.django_db


def _ended_visit(actor, participant, minutes=50):
    visit = _visit(actor, participant)
    from ancrage.casework.models import FieldVisit

    FieldVisit.objects.filter(pk=visit.pk).update(
        planned_start=clock.now() - datetime.timedelta(minutes=minutes + 5)
    )
    visit = services.visit_start(
        actor=actor, visit=visit, at=clock.now() - datetime.timedelta(minutes=minutes)
    )
    return services.visit_end(actor=actor, visit=visit)


def _post(client, participant, **values):
    data = {"kind": "home", "occurred_at": _local(clock.now()), "participant_present": "yes"}
    data.update(values)
    return client.post(reverse("casework:contact_create", args=[participant.pk]), data)


def test_visit_of_another_length_prefills_the_other_choice(client_for, case_manager_a, participant_a):
    visit = _ended_visit(case_manager_a, participant_a, minutes=50)
    url = reverse("casework:contact_create", args=[participant_a.pk]) + f"?visit={visit.pk}"
    response = client_for(case_manager_a).get(url)
    form = response.context["form"]
    assert form["duration_minutes"].value() == DURATION_OTHER
    assert form["duration_other"].value() == 50
    html = response.content.decode()
    assert 'value="other" checked' in html


def test_a_tapped_preset_wins_over_the_prefilled_other(client_for, case_manager_a, participant_a):
    response = _post(client_for(case_manager_a), participant_a, duration_minutes="30", duration_other="50")
    assert response.status_code == 302
    assert Contact.objects.get().duration_minutes == 30


def test_the_other_duration_counts_when_chosen(client_for, case_manager_a, participant_a):
    response = _post(client_for(case_manager_a), participant_a, duration_minutes="other", duration_other="50")
    assert response.status_code == 302
    assert Contact.objects.get().duration_minutes == 50


def test_other_chosen_without_a_number_is_refused(client_for, case_manager_a, participant_a):
    response = _post(client_for(case_manager_a), participant_a, duration_minutes="other")
    assert response.status_code == 200
    assert response.context["form"].errors["duration_other"]
    assert Contact.objects.count() == 0


def test_a_number_without_a_choice_still_counts(client_for, case_manager_a, participant_a):
    response = _post(client_for(case_manager_a), participant_a, duration_other="20")
    assert response.status_code == 302
    assert Contact.objects.get().duration_minutes == 20


def test_unknown_duration_choice_is_refused(client_for, case_manager_a, participant_a):
    response = _post(client_for(case_manager_a), participant_a, duration_minutes="17")
    assert response.status_code == 200
    assert response.context["form"].errors["duration_minutes"]


def test_contact_form_loads_the_casework_stylesheet(client_for, case_manager_a, participant_a):
    html = client_for(case_manager_a).get(reverse("casework:contact_create", args=[participant_a.pk])).content
    html = html.decode()
    assert "casework/casework.css" in html
    assert "casework-checks" in html
    assert "casework-toggle" in html
    assert "style=" not in html.split("<main", 1)[1]
    css = Path(finders.find("casework/casework.css")).read_text()
    assert ".casework-checks .form-check" in css
    assert "min-height: 44px" in css


def test_overdue_alert_links_within_the_site_and_the_email_gives_the_whole_address(
    settings, case_manager_a, participant_a, org_a
):
    from django.core import mail

    from ancrage.casework.tests.test_contacts_services import _visit as _service_visit
    from ancrage.core.models import Alert
    from ancrage.core.permissions import Role
    from ancrage.people.tests.factories import member

    settings.SITE_URL = "https://ancrage.example.org"
    member(org_a, Role.TEAM_LEAD, email="lead@example.org")
    visit = _service_visit(case_manager_a, participant_a)
    services.visit_start(actor=case_manager_a, visit=visit)
    assert services.visits_alert_overdue() == 1
    alert = Alert.objects.get(kind="casework.visit.overdue")
    assert alert.url == reverse("casework:visit_list")
    assert "https://ancrage.example.org" + reverse("casework:visit_list") in mail.outbox[0].body
