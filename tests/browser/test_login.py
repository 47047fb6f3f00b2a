"""The login page: the shared demo password shows in demo mode only."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from ancrage.accounts.views import DEMO_PASSWORD
from tests.browser.helpers import expect_lang, switch_language, text

pytestmark = pytest.mark.browser


@pytest.mark.both_languages
def test_login_page_demo_password(page, lang, settings, assert_accessible, shot):
    settings.DEMO = True
    page.goto("/accounts/login/")
    expect_lang(page, "fr")
    if lang == "en":
        switch_language(page, "en")
    main = page.locator("main")
    expect(main.locator("h1")).to_have_text(text(lang, "Connexion à Ancrage", "Sign in to Ancrage"))
    expect(main.locator("form button[type=submit]")).to_have_text(text(lang, "Se connecter", "Sign in"))
    demo = main.locator("section[aria-labelledby=demo-title]")
    expect(demo.locator("h2")).to_have_text(text(lang, "Comptes de démonstration", "Demonstration accounts"))
    expect(demo.locator("code").first).to_have_text(DEMO_PASSWORD)
    demo.locator("summary").click()
    expect(demo.locator("details li").first).to_be_visible()
    expect(page.locator("footer")).to_contain_text(
        text(lang, "Démonstration", "Demonstration: fictional data")
    )
    assert_accessible(page, "login page in demo mode")
    shot(page, "demo", lang)

    settings.DEMO = False
    page.reload()
    expect(main.locator("h1")).to_have_text(text(lang, "Connexion à Ancrage", "Sign in to Ancrage"))
    expect(main.locator("section[aria-labelledby=demo-title]")).to_have_count(0)
    expect(page.locator("body")).not_to_contain_text(DEMO_PASSWORD)
    assert_accessible(page, "login page")
    shot(page, "plain", lang)
