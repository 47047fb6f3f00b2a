"""The intake says what the homelessness history recorded makes of the person: chronic or not, and the days."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ancrage.access import services
from ancrage.access.tests.factories import consent_for_access, make_referral
from ancrage.core import clock
from ancrage.core.permissions import Role
from ancrage.people.tests.factories import make_participant, member

pytestmark = pytest.mark.django_db


def test_the_intake_shows_the_chronic_verdict_of_the_history(client_for, org_a, case_manager_a):
    worker = member(org_a, Role.COORDINATED_ACCESS, username="acces_verdict")
    person = make_participant(case_manager_a, org_a, legal_first_name="Rosalie", legal_last_name="Nouveau")
    consent_for_access(case_manager_a, person, [org_a])
    intake = services.intake_start(actor=worker, referral=make_referral(worker), participant=person)
    url = reverse("access:intake_detail", args=[intake.pk])
    c = client_for(worker)
    page = c.get(url)
    assert page.context["verdict"] is None
    assert "intake-verdict" not in page.content.decode()

    services.homelessness_history_record(
        actor=worker,
        participant=person,
        intake=intake,
        reported_on=clock.today(),
        source="self_reported",
        living_situation="street",
        times_homeless_past_three_years="three",
        months_homeless_past_three_years=30,
    )
    page = c.get(url)
    assert page.context["verdict"].is_chronic
    text = page.content.decode()
    assert "En situation d&#x27;itinérance chronique" in text or "En situation d'itinérance chronique" in text
    assert "912 jours dans les trois dernières années" in text
