"""Journey of a partner agency representative: only what the participant consented to, and a revoked
consent closes the file at once."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from ancrage.core.permissions import Category
from ancrage.people import services
from ancrage.people.tests.factories import make_participant, share
from tests.browser.helpers import switch_language, text

pytestmark = pytest.mark.browser


def test_partner_sees_only_consented_participants(
    page, lang, login, assert_accessible, shot, case_manager_a, org_a, participant_a, partner_rep, partner_org
):
    consent = share(case_manager_a, participant_a, [partner_org], [Category.IDENTITY, Category.HOUSING])
    other = make_participant(case_manager_a, org_a, legal_first_name="Jean", legal_last_name="Tremblay")

    login(page, partner_rep)
    if lang == "en":
        switch_language(page, "en")
    assert_accessible(page, "home (partner)")
    page.locator("nav").get_by_role("link", name=text(lang, "Participant·es", "Participants")).click()
    expect(page).to_have_url(re.compile(r"/participants/$"))
    results = page.locator("#results tbody")
    expect(results.get_by_role("link")).to_have_count(1)
    expect(results).to_contain_text("Éloïse Gagnon")
    expect(results).not_to_contain_text("Tremblay")
    # A partner opens no files: no "new participant" button.
    expect(page.locator("a[href='/participants/new/']")).to_have_count(0)
    assert_accessible(page, "participant list (partner)")
    shot(page, "list", lang)

    # The consented file opens, marked as shared, without what only the home organisation may do.
    results.get_by_role("link", name="Éloïse Gagnon").click()
    expect(page.locator("main h1")).to_have_text("Éloïse Gagnon")
    expect(page.locator("main .badge").first).to_contain_text(
        text(lang, "consentement", "Shared with you through the participant's consent")
    )
    expect(page.locator(f"a[href='/participants/{participant_a.pk}/edit/']")).to_have_count(0)
    expect(page.locator(f"a[href='/participants/{participant_a.pk}/history/']")).to_have_count(0)
    expect(page.locator("#documents-title")).to_have_count(0)
    assert_accessible(page, "participant file (partner)")
    shot(page, "file", lang)

    # A file without consent answers exactly like a file that does not exist.
    response = page.goto(f"/participants/{other.pk}/")
    assert response is not None
    assert response.status == 404
    expect(page.locator("main h1")).to_have_text(text(lang, "Page introuvable", "Not found"))
    expect(page.locator("main")).not_to_contain_text("Tremblay")
    assert_accessible(page, "404 page")
    shot(page, "404", lang)

    # The home organisation revokes the consent: the partner's next page load is a 404.
    page.goto(f"/participants/{participant_a.pk}/")
    expect(page.locator("main h1")).to_have_text("Éloïse Gagnon")
    services.consent_revoke(actor=case_manager_a, consent=consent, reason="Demande de la personne")
    response = page.reload()
    assert response is not None
    assert response.status == 404
    expect(page.locator("main")).not_to_contain_text("Gagnon")
    page.goto("/participants/")
    expect(page.locator("#results tbody").get_by_role("link")).to_have_count(0)
