"""Field visits corrected from trials (issue 12): a visit is one contact; visit safety (B9)."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from ancrage.casework.contacts import selectors, services
from ancrage.casework.models import Contact, FieldVisit
from ancrage.core import clock
from ancrage.core.permissions import Role
from ancrage.people.tests.factories import member

pytestmark = pytest.mark.django_db


def _ended_visit(actor, participant, minutes=60, **kwargs):
    """A visit that started `minutes` ago and has just ended."""
    start = clock.now() + datetime.timedelta(minutes=5)
    visit = services.visit_plan(
        actor=actor,
        participant=participant,
        location="12 rue des Érables",
        planned_start=start,
        planned_end=start + datetime.timedelta(hours=1),
        **kwargs,
    )
    FieldVisit.objects.filter(pk=visit.pk).update(
        planned_start=clock.now() - datetime.timedelta(minutes=minutes + 5)
    )
    services.visit_start(actor=actor, visit=visit, at=clock.now() - datetime.timedelta(minutes=minutes))
    return services.visit_end(actor=actor, visit=visit)


def _local(dt):
    return clock.localtime(dt).strftime("%Y-%m-%dT%H:%M")


def _contact_form(visit, **extra):
    return {
        "kind": "home",
        "occurred_at": _local(visit.started_at),
        "duration_minutes": "60",
        "participant_present": "yes",
        "visit": visit.pk,
        **extra,
    }


# --- a visit is one contact (part 2) -----------------------------------------------------------------


def test_second_save_of_a_visit_contact_opens_the_first(client_for, case_manager_a, participant_a):
    visit = _ended_visit(case_manager_a, participant_a)
    c = client_for(case_manager_a)
    url = reverse("casework:contact_create", args=[participant_a.pk]) + f"?visit={visit.pk}"
    first = c.post(url, _contact_form(visit, shared_note="Première"))
    assert first.status_code == 302
    contact = Contact.objects.get(visit=visit)
    # Reload and save again (the browser's back button, a double tap): nothing logged twice.
    again = c.post(url, _contact_form(visit, shared_note="Deuxième"))
    assert again.status_code == 302
    assert again["Location"].endswith(f"#contact-{contact.pk}")
    assert Contact.objects.filter(visit=visit).count() == 1
    assert Contact.objects.get(visit=visit).shared_note == "Première"
    page = c.get(again["Location"])
    assert "déjà été consigné" in page.content.decode()
    # The weekly standard counts the visit's 60 minutes once.
    standard = selectors.weekly_standard(participant_a, None, clock.today())
    assert standard.this_week.minutes == 60
    # Opening the form again goes to the contact too.
    reopened = c.get(url)
    assert reopened.status_code == 302
    assert reopened["Location"].endswith(f"#contact-{contact.pk}")


def test_second_contact_for_a_visit_refused_by_the_service_and_the_api(
    client_for, case_manager_a, participant_a
):
    visit = _ended_visit(case_manager_a, participant_a)
    values = {"occurred_at": visit.started_at, "duration_minutes": 60, "kind": "home", "visit": visit}
    first = services.contact_log(actor=case_manager_a, participant=participant_a, **values)
    with pytest.raises(services.VisitAlreadyLoggedError) as caught:
        services.contact_log(actor=case_manager_a, participant=participant_a, **values)
    assert caught.value.contact == first
    response = client_for(case_manager_a).post(
        f"/api/v1/participants/{participant_a.pk}/contacts",
        {
            "occurred_at": visit.started_at.isoformat(),
            "duration_minutes": 60,
            "kind": "home",
            "visit_id": visit.pk,
        },
        content_type="application/json",
    )
    assert response.status_code == 422
    assert Contact.objects.filter(visit=visit).count() == 1


def test_the_database_refuses_two_contacts_for_one_visit(case_manager_a, participant_a):
    visit = _ended_visit(case_manager_a, participant_a)
    services.contact_log(
        actor=case_manager_a,
        participant=participant_a,
        occurred_at=visit.started_at,
        duration_minutes=60,
        kind="home",
        visit=visit,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Contact.objects.create(
            participant=participant_a,
            organisation_id=visit.organisation_id,
            occurred_at=visit.started_at,
            duration_minutes=60,
            kind="home",
            visit=visit,
            recorded_by=case_manager_a,
        )
    # Contacts without a visit are as many as needed.
    for _n in range(2):
        services.contact_log(
            actor=case_manager_a,
            participant=participant_a,
            occurred_at=clock.now(),
            duration_minutes=10,
            kind="phone",
        )
    assert Contact.objects.filter(visit__isnull=True).count() == 2


def test_contact_of_a_visit_of_another_organisation_is_404(client_for, case_manager_b, participant_a, org_a):
    other = member(org_a, Role.CASE_MANAGER)
    visit = _ended_visit(other, participant_a)
    url = reverse("casework:contact_create", args=[participant_a.pk]) + f"?visit={visit.pk}"
    assert client_for(case_manager_b).post(url, _contact_form(visit)).status_code == 404
    with pytest.raises(ValidationError):
        services.contact_log(
            actor=case_manager_b,
            participant=participant_a,
            occurred_at=visit.started_at,
            duration_minutes=60,
            kind="home",
            visit=visit,
        )
