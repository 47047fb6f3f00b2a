"""Every page of the registry renders for a program manager (a smoke check; detailed tests live beside it)."""

import pytest
from django.urls import reverse

from ancrage.core.permissions import Category
from ancrage.people.tests.factories import share


@pytest.mark.django_db
@pytest.mark.smoke
def test_pages(client_for, program_manager_a, participant_a, partner_org, client):
    c = client_for(program_manager_a)
    share(program_manager_a, participant_a, [partner_org], [Category.IDENTITY])
    for name, args in [
        ("home", []),
        ("people:list", []),
        ("people:create", []),
        ("people:detail", [participant_a.pk]),
        ("people:edit", [participant_a.pk]),
        ("people:consent_create", [participant_a.pk]),
        ("people:document_upload", [participant_a.pk]),
        ("people:history", [participant_a.pk]),
        ("people:who_saw", [participant_a.pk]),
        ("people:duplicates", [participant_a.pk]),
        ("people:consents_expiring", []),
        ("audit_log", []),
        ("api_tokens", []),
        ("two_factor", []),
        ("people:add_related", [participant_a.pk, "alias"]),
    ]:
        r = c.get(reverse(name, args=args))
        assert r.status_code == 200, (name, r.status_code)
    r = c.get("/participants/?q=eloise", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="results")
    assert r.status_code == 200
    assert "Gagnon" in r.content.decode()
    assert "<html" not in r.content.decode()
    r = c.get("/api/openapi.json")
    assert r.status_code == 200
    r = c.get("/api/v1/participants")
    assert r.status_code == 200, r.content
    r = c.get(f"/api/v1/participants/{participant_a.pk}")
    assert r.status_code == 200, r.content
    c.logout()
    assert c.get(reverse("login")).status_code == 200
