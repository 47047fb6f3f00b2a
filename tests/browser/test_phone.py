"""A case manager on a phone: the menu, search, a file and its quick actions, and no sideways scrolling."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from ancrage.core.permissions import Category
from ancrage.people.tests.factories import share
from tests.browser.helpers import LOCALES, assert_no_horizontal_scroll, switch_language, text

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def test_phone_journey(
    new_page, lang, login, assert_accessible, shot, case_manager_a, participant_a, partner_org
):
    share(
        case_manager_a, participant_a, [partner_org], [Category.IDENTITY, Category.HOUSING, Category.HEALTH]
    )
    page = new_page(LOCALES["fr"], **PHONE)

    page.goto("/accounts/login/")
    assert_no_horizontal_scroll(page, "login page")
    assert_accessible(page, "login page (phone)")
    login(page, case_manager_a)
    if lang == "en":
        switch_language(page, "en")
    assert_no_horizontal_scroll(page, "home page")
    assert_accessible(page, "home page (phone)")

    # The navigation is folded into the menu button.
    menu = page.locator(".navbar-toggler")
    expect(menu).to_be_visible()
    expect(page.locator("#nav")).to_be_hidden()
    expect(menu).to_have_attribute("aria-expanded", "false")
    menu.tap()
    expect(page.locator("#nav")).to_be_visible()
    expect(menu).to_have_attribute("aria-expanded", "true")
    shot(page, "menu", lang)
    assert_accessible(page, "menu open (phone)")

    page.locator("#top-search").fill("gagnon")
    with page.expect_navigation():
        page.locator("#top-search").press("Enter")
    expect(page).to_have_url(re.compile(r"/participants/\?q=gagnon$"))
    expect(page.locator("main h1")).to_have_text(text(lang, "Participant·es", "Participants"))
    assert_no_horizontal_scroll(page, "participant list")
    assert_accessible(page, "participant list (phone)")
    shot(page, "list", lang)

    page.locator("#results").get_by_role("link", name="Éloïse Gagnon").tap()
    expect(page.locator("main h1")).to_have_text("Éloïse Gagnon")
    actions = page.locator(".quick-actions")
    expect(actions).to_be_visible()
    record_consent = actions.locator(f"a[href='/participants/{participant_a.pk}/consents/new/']")
    expect(record_consent).to_be_in_viewport()
    box = record_consent.bounding_box()
    assert box is not None
    assert box["height"] >= 44, "quick actions must be large enough to tap"
    assert_no_horizontal_scroll(page, "participant file")
    assert_accessible(page, "participant file (phone)")
    shot(page, "file", lang)

    record_consent.tap()
    expect(page.locator("main h1")).to_have_text(text(lang, "Consigner un consentement", "Record a consent"))
    assert_no_horizontal_scroll(page, "consent form")
    assert_accessible(page, "consent form (phone)")
