"""The hub worker's home page lists the referrals received and not yet taken to intake, each a step from it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ancrage.access import services
from ancrage.access.models import Referral
from ancrage.access.tests.factories import consent_for_access, make_referral
from ancrage.core.permissions import Role
from ancrage.organisations.models import Organisation
from ancrage.people.tests.factories import OrganisationFactory, make_participant, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def hub(consortium):
    return OrganisationFactory(
        consortium=consortium,
        name="Accès coordonné",
        short_name="ACC",
        kind=Organisation.Kind.COORDINATED_ACCESS,
    )


@pytest.fixture
def hub_worker(hub):
    return member(hub, Role.COORDINATED_ACCESS, username="acces_home")


def test_home_lists_the_referrals_waiting_for_intake(client_for, hub, hub_worker, partner_rep, org_a):
    waiting = services.referral_create(
        actor=partner_rep,
        organisation=hub,
        person_name="Rosalie Nouveau",
        source_kind=Referral.SourceKind.PARTNER,
        reason="Dort dehors",
    )
    started = make_referral(hub_worker, person_name="Gilles Vachon")
    person = make_participant(hub_worker, hub, legal_first_name="Gilles", legal_last_name="Vachon")
    consent_for_access(hub_worker, person, [hub])
    services.intake_start(actor=hub_worker, referral=started, participant=person)
    # Another organisation's referral is not the hub's to take.
    make_referral(member(org_a, Role.COORDINATED_ACCESS, username="acces_a"), person_name="Autre Personne")

    page = client_for(hub_worker).get(reverse("home"))
    assert page.status_code == 200
    assert page.context["waiting"] == [waiting]
    assert page.context["waiting_count"] == 1
    text = page.content.decode()
    assert reverse("access:intake_start", args=[waiting.pk]) in text
    assert "Références en attente d’accueil" in text
    assert "1 référence reçue dont l’accueil n’a pas commencé" in text
    assert "Autre Personne" not in text


def test_home_says_when_no_referral_waits(client_for, hub_worker):
    hub_worker.language = "en"
    hub_worker.save(update_fields=["language"])
    text = client_for(hub_worker).get(reverse("home")).content.decode()
    assert "No referral waiting for intake." in text


def test_a_case_manager_or_a_partner_sees_no_waiting_referrals(client_for, case_manager_a, partner_rep):
    for user in (case_manager_a, partner_rep):
        page = client_for(user).get(reverse("home"))
        assert page.status_code == 200
        assert "waiting" not in page.context
        assert "waiting-title" not in page.content.decode()
