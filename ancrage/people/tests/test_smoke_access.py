"""The registry's core promise: a file you may not see is a 404, and consent opens exactly what it says."""

import pytest
from django.urls import reverse

from ancrage.core.permissions import Category
from ancrage.people import selectors, services
from ancrage.people.tests.factories import share

pytestmark = [pytest.mark.django_db, pytest.mark.smoke]


def test_home_organisation_sees_file(client_for, case_manager_a, participant_a):
    response = client_for(case_manager_a).get(reverse("people:detail", args=[participant_a.pk]))
    assert response.status_code == 200
    assert "Éloïse" in response.content.decode()


def test_other_organisation_gets_404(client_for, case_manager_b, participant_a):
    response = client_for(case_manager_b).get(reverse("people:detail", args=[participant_a.pk]))
    assert response.status_code == 404


def test_consent_opens_and_revocation_closes(
    client_for, case_manager_a, partner_rep, partner_org, participant_a
):
    consent = share(case_manager_a, participant_a, [partner_org], [Category.IDENTITY, Category.HOUSING])
    access = selectors.participant_get_for_user(partner_rep, participant_a.pk, log_read=False)
    assert access.categories == {Category.IDENTITY, Category.HOUSING}
    assert client_for(partner_rep).get(reverse("people:detail", args=[participant_a.pk])).status_code == 200
    services.consent_revoke(actor=case_manager_a, consent=consent, reason="Demande de la personne")
    assert client_for(partner_rep).get(reverse("people:detail", args=[participant_a.pk])).status_code == 404
