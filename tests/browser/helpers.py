"""Helpers shared by the browser tests: languages, the language switch, page checks."""

from __future__ import annotations

import re

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, expect

PASSWORD = "correct-horse-battery"
# The browser's own language: French (Canada) unless a test asks otherwise.
LOCALES = {"fr": "fr-CA", "en": "en-CA"}
# What <html lang> says once the interface is in that language.
HTML_LANG = {"fr": "fr-CA", "en": "en"}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def expect_lang(page: Page, lang: str) -> None:
    expect(page.locator("html")).to_have_attribute("lang", HTML_LANG[lang])


def open_menu_if_collapsed(page: Page) -> None:
    """On a phone the navigation sits behind the menu button."""
    toggler = page.locator(".navbar-toggler")
    if toggler.is_visible() and toggler.get_attribute("aria-expanded") != "true":
        toggler.click()
        expect(page.locator("#nav")).to_be_visible()


def switch_language(page: Page, lang: str) -> None:
    """Press FR or EN in the top bar, as a person would."""
    code = "en" if lang == "en" else "fr-ca"
    button = page.locator(f".language-switch button[value='{code}']")
    if not button.is_visible():
        open_menu_if_collapsed(page)
    with page.expect_navigation():
        button.click()
    expect_lang(page, lang)
    expect(button).to_have_attribute("aria-pressed", "true")


def sign_out(page: Page) -> None:
    open_menu_if_collapsed(page)
    page.locator("header .dropdown-toggle").click()
    with page.expect_navigation():
        page.locator("header form[action='/accounts/logout/'] button").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))


def assert_no_horizontal_scroll(page: Page, name: str) -> None:
    """The page fits the screen's width: document.documentElement.scrollWidth <= clientWidth.

    Measured once the page in front has loaded: called right after a click that navigates, the old
    document may be gone and the new one not there yet (a race a busy machine loses now and then)."""
    script = """() => {
          const root = document.documentElement, width = root.clientWidth;
          const culprits = [...document.body.querySelectorAll('*')]
            .filter(e => e.getBoundingClientRect().right > width + 0.5)
            .filter(e => ![...e.children].some(c => c.getBoundingClientRect().right > width + 0.5))
            .slice(0, 8)
            .map(e => `${e.tagName.toLowerCase()}${e.id ? '#' + e.id : ''}.${[...e.classList].join('.')}`
                      + ` right=${Math.round(e.getBoundingClientRect().right)}`);
          return [root.scrollWidth, width, culprits];
        }"""
    for attempt in range(3):
        page.wait_for_load_state()
        try:
            scroll_width, client_width, culprits = page.evaluate(script)
            break
        except PlaywrightError:
            # The document was replaced while it was measured: measure the new one.
            if attempt == 2:
                raise
    assert scroll_width <= client_width, (
        f"{name} scrolls sideways: {scroll_width}px wide for {client_width}px; widest: {culprits}"
    )


def text(lang: str, fr: str, en: str) -> str:
    return en if lang == "en" else fr
