"""Journeys of a case manager: language, search, a participant's file, consent, documents, history,
and a new file that may be a duplicate."""

from __future__ import annotations

import datetime
import re

import pytest
from playwright.sync_api import expect

from ancrage.people import services
from ancrage.people.models import Consent, Document, Participant
from ancrage.people.tests.factories import make_participant
from tests.browser.helpers import PDF, expect_lang, sign_out, switch_language, text

pytestmark = pytest.mark.browser


def _search_on_list(page, term: str, expected: str, absent: str) -> None:
    """Type in the list's search box: htmx swaps the results and records the search in the URL."""
    box = page.locator("#q")
    box.fill("")
    expect(page.locator("#results")).to_contain_text(absent)
    box.fill(term)
    expect(page).to_have_url(re.compile(r"[?&]q=" + re.escape(term.replace(" ", "+"))))
    results = page.locator("#results tbody")
    expect(results).to_contain_text(expected)
    expect(results).not_to_contain_text(absent)


def test_case_manager_journey(
    page, lang, live_server, login, assert_accessible, shot, case_manager_a, participant_a, partner_org, org_a
):
    services.alias_add(actor=case_manager_a, participant=participant_a, name="Lili la Rouge")
    services.identifier_add(actor=case_manager_a, participant=participant_a, kind="hifis", value="H-48213")
    make_participant(case_manager_a, org_a, legal_first_name="Jean", legal_last_name="Tremblay")

    # Sign in: the login page and the home page are in French, the default.
    page.goto("/accounts/login/")
    expect_lang(page, "fr")
    assert_accessible(page, "login")
    login(page, case_manager_a)
    assert page.url == live_server.url + "/"
    expect_lang(page, "fr")
    expect(page.locator("nav a.nav-link.active")).to_have_attribute("aria-current", "page")

    # The language switch; the choice is remembered on the account, across a reload and a new sign-in.
    switch_language(page, "en")
    if lang == "fr":
        switch_language(page, "fr")
    page.reload()
    expect_lang(page, lang)
    case_manager_a.refresh_from_db()
    assert case_manager_a.language == ("en" if lang == "en" else "fr-ca")
    sign_out(page)
    expect_lang(page, lang)
    login(page, case_manager_a)
    assert page.url == live_server.url + "/"
    expect_lang(page, lang)
    expect(page.locator("main h1")).to_contain_text(text(lang, "Bonjour", "Hello"))
    assert_accessible(page, "home")
    shot(page, "1-home", lang)

    # Search from the top bar, without the accents: "eloise" finds Éloïse.
    page.fill("#top-search", "eloise")
    with page.expect_navigation():
        page.press("#top-search", "Enter")
    expect(page).to_have_url(re.compile(r"/participants/\?q=eloise$"))
    expect(page.locator("main h1")).to_have_text(text(lang, "Participant·es", "Participants"))
    expect(page.locator("#results tbody")).to_contain_text("Éloïse Gagnon")
    expect(page.locator("#results tbody")).not_to_contain_text("Tremblay")
    assert_accessible(page, "participant list")
    shot(page, "2-search", lang)

    # In place, on the list: by alias, by community identifier, by another identifier.
    _search_on_list(page, "lili", "Éloïse Gagnon", "Tremblay")
    _search_on_list(page, participant_a.community_id, "Éloïse Gagnon", "Tremblay")
    _search_on_list(page, "H-48213", "Éloïse Gagnon", "Tremblay")
    assert_accessible(page, "participant list after an htmx search")

    # Open the file.
    page.locator("#results").get_by_role("link", name="Éloïse Gagnon").click()
    expect(page).to_have_url(re.compile(rf"/participants/{participant_a.pk}/$"))
    expect(page.locator("main h1")).to_have_text("Éloïse Gagnon")
    expect(page.locator("main")).to_contain_text(participant_a.community_id)
    expect(page.locator("main")).to_contain_text("Lili la Rouge")
    assert_accessible(page, "participant file")
    shot(page, "3-file", lang)

    # Record a consent: a verbal consent without its witness is refused, next to the witness field,
    # and what was typed stays.
    page.locator(f"a[href='/participants/{participant_a.pk}/consents/new/']").click()
    expect(page.locator("main h1")).to_have_text(text(lang, "Consigner un consentement", "Record a consent"))
    assert_accessible(page, "consent form")
    page.check(f"input[name=organisations][value='{partner_org.pk}']")
    identity = page.locator("input[name=categories][value=identity]")
    expect(identity).to_be_checked()
    page.check("input[name=categories][value=housing]")
    purpose = "Coordonner la recherche de logement avec l'équipe de santé"
    page.fill("#id_purpose", purpose)
    page.select_option("#id_method", "verbal")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    error = page.locator("#id_witness_name_error")
    expect(error).to_be_visible()
    expect(error).to_have_text(
        text(
            lang,
            "Un consentement verbal exige le nom de son témoin.",
            "A verbal consent needs the name of its witness.",
        )
    )
    witness = page.locator("#id_witness_name")
    expect(witness).to_have_attribute("aria-invalid", "true")
    assert "id_witness_name_error" in (witness.get_attribute("aria-describedby") or "")
    expect(page.locator("#id_purpose")).to_have_value(purpose)
    expect(page.locator(f"input[name=organisations][value='{partner_org.pk}']")).to_be_checked()
    expect(page.locator("input[name=categories][value=housing]")).to_be_checked()
    expect(page.locator("#id_method")).to_have_value("verbal")
    assert not Consent.objects.exists()
    assert_accessible(page, "consent form with an error")
    shot(page, "4-consent-error", lang)

    witness.fill("Marie Roy")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/participants/{participant_a.pk}/$"))
    consent = Consent.objects.get()
    assert consent.purpose == purpose
    assert consent.witness_name == "Marie Roy"
    assert set(consent.category_codes) == {"identity", "housing"}
    assert list(consent.organisations.all()) == [partner_org]
    row = page.locator("#consents-title + .table-responsive tbody tr").first
    badge = row.locator(".badge-status")
    expect(badge).to_have_class(re.compile(r"\bbadge-current\b"))
    expect(badge).to_have_text(text(lang, "En vigueur", "Current"))
    expect(row).to_contain_text(partner_org.short_name)
    expect(row).to_contain_text("Marie Roy")
    expect(page.get_by_role("status").first).to_be_visible()

    # Upload the signed release: a text file is refused and nothing is saved; a PDF is kept.
    with page.expect_navigation():
        page.locator(f"a[href='/participants/{participant_a.pk}/documents/new/']").click()
    assert_accessible(page, "document form")
    page.select_option("#id_kind", "release")
    page.set_input_files(
        "#id_file", files=[{"name": "notes.txt", "mimeType": "text/plain", "buffer": b"Signed, really.\n"}]
    )
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    # The message stands next to the file field, not only at the top of the form.
    alert = page.locator("main form #id_file_error")
    expect(alert).to_be_visible()
    expect(alert).to_contain_text(
        text(
            lang,
            "Seuls les fichiers PDF, JPEG et PNG peuvent être téléversés.",
            "Only PDF, JPEG and PNG files can be uploaded.",
        )
    )
    assert not Document.objects.exists()
    assert_accessible(page, "document form with an error")
    shot(page, "5-document-error", lang)

    page.set_input_files(
        "#id_file", files=[{"name": "autorisation.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.select_option("#id_consent", str(consent.pk))
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/participants/{participant_a.pk}/$"))
    document = Document.objects.get()
    assert document.content_type == "application/pdf"
    assert document.kind == "release"
    assert document.consent == consent
    documents = page.locator("section[aria-labelledby=documents-title]")
    expect(
        documents.locator(f"a[href='/participants/{participant_a.pk}/documents/{document.pk}/']")
    ).to_be_visible()
    expect(documents).to_contain_text(
        text(lang, "Autorisation de communication de renseignements", "Release of information")
    )
    shot(page, "6-file-after", lang)

    # The file's history shows what was done, newest first.
    page.locator(f"a[href='/participants/{participant_a.pk}/history/']").click()
    expect(page).to_have_url(re.compile(rf"/participants/{participant_a.pk}/history/$"))
    entries = page.locator("main ol > li")
    assert entries.count() >= 6
    expect(entries.first).to_contain_text(case_manager_a.display_name)
    history = page.locator("main ol")
    for fr, en in (
        ("a téléversé un document signé", "uploaded a signed document"),
        ("a consigné un consentement", "recorded a consent"),
        ("a consulté le dossier", "viewed the participant's file"),
        ("a ajouté un identifiant", "added an identifier"),
        ("a créé le dossier", "created the participant's file"),
    ):
        expect(history).to_contain_text(text(lang, fr, en))
    assert_accessible(page, "file history")
    shot(page, "7-history", lang)


def test_new_participant_duplicate_warning(
    page, lang, login, assert_accessible, shot, case_manager_a, participant_a
):
    login(page, case_manager_a)
    if lang == "en":
        switch_language(page, "en")
    page.locator("nav").get_by_role("link", name=text(lang, "Participant·es", "Participants")).click()
    page.locator("a[href='/participants/new/']").first.click()
    expect(page).to_have_url(re.compile(r"/participants/new/$"))
    assert_accessible(page, "new participant form")

    page.fill("#id_legal_first_name", "Eloise")
    page.fill("#id_legal_last_name", "Gagnon")
    page.fill("#id_date_of_birth", participant_a.date_of_birth.isoformat())
    page.select_option("#id_dob_quality", "exact")
    page.fill("#id_phone", "514-555-0101")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()

    warning = page.locator("section[aria-labelledby=matches-title]")
    expect(warning).to_be_visible()
    expect(warning.locator("h2")).to_have_text(
        text(lang, "Cette personne a peut-être déjà un dossier", "This person may already have a file")
    )
    expect(warning.get_by_role("link", name="Éloïse Gagnon")).to_have_attribute(
        "href", f"/participants/{participant_a.pk}/"
    )
    expect(warning).to_contain_text(participant_a.community_id)
    assert warning.locator(".match-reasons li").count() >= 1
    # Nothing typed is lost while the person checks the matches.
    expect(page.locator("#id_legal_first_name")).to_have_value("Eloise")
    expect(page.locator("#id_date_of_birth")).to_have_value(participant_a.date_of_birth.isoformat())
    expect(page.locator("#id_phone")).to_have_value("514-555-0101")
    assert Participant.objects.count() == 1
    assert_accessible(page, "new participant form with possible duplicates")
    shot(page, "matches", lang)

    page.check("#confirm_new")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert Participant.objects.count() == 2
    created = Participant.objects.exclude(pk=participant_a.pk).get()
    assert (created.legal_first_name, created.legal_last_name) == ("Eloise", "Gagnon")
    assert created.date_of_birth == datetime.date(1975, 4, 12)
    expect(page).to_have_url(re.compile(rf"/participants/{created.pk}/$"))
    expect(page.locator("main h1")).to_have_text("Eloise Gagnon")
    expect(page.get_by_role("status").first).to_contain_text("Eloise Gagnon")
    shot(page, "created", lang)
