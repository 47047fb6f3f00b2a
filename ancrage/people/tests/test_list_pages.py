"""The participant list reads 25 rows at a time without counting the whole list, and stays usable."""

import pytest
from django.urls import reverse

from ancrage.people.tests.factories import make_participant

pytestmark = pytest.mark.django_db


def test_the_list_pages_through_without_a_count(client_for, case_manager_a, org_a):
    # The case manager reads in French, the default.
    for i in range(30):
        make_participant(case_manager_a, org_a, legal_first_name=f"P{i:02d}", legal_last_name="Roy")
    c = client_for(case_manager_a)
    first = c.get(reverse("people:list")).content.decode()
    assert "Affichage de 1 à 25" in first
    assert "page=2" in first
    assert "Page 1" in first
    second = c.get(reverse("people:list") + "?page=2").content.decode()
    assert "Affichage de 26 à 30" in second
    assert "page=3" not in second
    assert "Première page" not in second
    assert second.count("<tr>") == 5 + 1  # five rows and the header
    past = c.get(reverse("people:list") + "?page=%00abc9")
    assert past.status_code == 200
    assert "Affichage de 1 à 25" in past.content.decode()
    beyond = c.get(reverse("people:list") + "?page=9").content.decode()
    assert "Aucun résultat sur cette page." in beyond
    assert "page=8" in beyond
    assert "page=1" in beyond
