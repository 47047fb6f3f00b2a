"""The participant's file shows their line on the by-name list only to those who may read coordinated access."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ancrage.access import services as access_services
from ancrage.access.tests.factories import make_entry
from ancrage.core.permissions import Category
from ancrage.people.tests.factories import share

pytestmark = pytest.mark.django_db

POLICY = "title: {fr: Priorités, en: Priorities}\nfactors:\n  - factor: chronic\n    weight: 10\n"


def test_file_shows_rank_and_links(client_for, case_manager_a, org_a):
    entry = make_entry(case_manager_a, org_a)
    policy = access_services.policy_draft_create(actor=case_manager_a, text=POLICY)
    access_services.policy_activate(actor=case_manager_a, policy=policy, reason="Comité")
    html = (
        client_for(case_manager_a).get(reverse("people:detail", args=[entry.participant_id])).content.decode()
    )
    assert "by-name-title" in html
    assert reverse("access:rank_explanation", args=[entry.participant_id]) in html
    assert reverse("access:eligibility", args=[entry.participant_id]) in html
    assert reverse("access:profile_edit", args=[entry.participant_id]) in html


def test_partner_without_coordinated_access_consent_sees_no_list_line(
    client_for, case_manager_a, org_a, partner_rep, partner_org
):
    entry = make_entry(case_manager_a, org_a)
    share(case_manager_a, entry.participant, [partner_org], [Category.IDENTITY])
    html = client_for(partner_rep).get(reverse("people:detail", args=[entry.participant_id])).content.decode()
    assert "by-name-title" not in html
