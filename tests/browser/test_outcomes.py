"""A program manager opens Reports → Outcomes, filters by program and by Indigenous identity, opens the people
behind a figure, and downloads the XLSX and the PDF. French and English, with the accessibility check."""

from __future__ import annotations

import io
import re
from pathlib import Path

import openpyxl
import pytest
from playwright.sync_api import Page, expect

from ancrage.people.tests.factories import ProgramFactory
from ancrage.reports.tests.outcomes_world import people
from tests.browser.helpers import LOCALES, assert_no_horizontal_scroll, switch_language, text

pytestmark = pytest.mark.browser


def _download(page: Page, selector: str) -> tuple[str, bytes]:
    with page.expect_download() as info:
        page.locator(selector).click()
    download = info.value
    return download.suggested_filename, Path(download.path()).read_bytes()


@pytest.mark.both_languages
def test_program_manager_reads_the_outcomes(
    new_page, lang, login, assert_accessible, shot, org_a, case_manager_a, program_manager_a
):
    program = ProgramFactory(organisation=org_a)
    other = ProgramFactory(organisation=org_a, name="Logement d'abord", name_en="Housing First")
    people(case_manager_a, org_a, program, 12)
    people(case_manager_a, org_a, other, 6, start=50)
    page: Page = new_page(LOCALES["fr"])
    page.set_viewport_size({"width": 1280, "height": 900})
    login(page, program_manager_a)
    if lang == "en":
        switch_language(page, "en")
    # --- 1. Reports → Outcomes. --------------------------------------------------------------------------
    page.goto("/")
    with page.expect_navigation():
        page.locator("header nav a", has_text=text(lang, "Rapports", "Reports")).first.click()
    with page.expect_navigation():
        page.locator("main a", has_text=re.compile(text(lang, "^Résultats$", "^Outcomes$"))).click()
    expect(page.locator("main h1")).to_have_text(text(lang, "Résultats", "Outcomes"))
    retention = page.locator("section#retention")
    expect(retention).to_contain_text(text(lang, "Maintien en logement", "Housing retention"))
    expect(page.locator("section#returns")).to_contain_text(
        text(lang, "redevient active", "becomes active again")
    )
    page.fill("input[name=start]", "2020-01-01")
    # --- 2. Filter by program: 12 people in the 12-month cohort. --------------------------------------------
    page.select_option("select[name=program]", str(program.pk))
    with page.expect_navigation():
        page.locator("main form.outcomes-filters button[type=submit]").click()
    cohort = retention.locator("tbody tr").nth(1).locator("td").nth(1)
    expect(cohort).to_have_text("12")
    assert_accessible(page, "the outcomes")
    shot(page, "01-outcomes", lang)
    # On a phone the tables scroll inside their box; the page itself does not scroll sideways. (At 1280px the
    # program manager's top navigation is wider than the screen on every page: not this page's.)
    page.set_viewport_size({"width": 390, "height": 844})
    assert_no_horizontal_scroll(page, "the outcomes on a phone")
    page.set_viewport_size({"width": 1280, "height": 900})
    # --- 3. The people behind the figure. --------------------------------------------------------------------
    with page.expect_navigation():
        cohort.get_by_role("link").click()
    listed = page.locator("main ul.outcome-people li")
    expect(listed).to_have_count(12)
    expect(listed.first).to_contain_text("Résultat")
    assert_accessible(page, "the people behind a figure")
    shot(page, "02-people", lang)
    page.go_back()
    # --- 4. Filter by Indigenous identity: 3 First Nations people, a small count. ----------------------------
    page.select_option("select[name=indigenous]", "first_nations")
    with page.expect_navigation():
        page.locator("main form.outcomes-filters button[type=submit]").click()
    expect(retention.locator("tbody tr").nth(1).locator("td").nth(1)).to_have_text(
        text(lang, "moins de 5", "fewer than 5")
    )
    assert_accessible(page, "the outcomes of a group")
    shot(page, "03-first-nations", lang)
    # --- 5. Downloads, in the reader's language. --------------------------------------------------------------
    name, content = _download(page, "a.outcomes-xlsx")
    assert name.endswith(".xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    first = next(sheet.iter_rows(values_only=True))
    assert first == (
        text(lang, "Table", "Table"),
        text(lang, "Ligne", "Row"),
        text(lang, "Colonne", "Column"),
        text(lang, "Valeur", "Value"),
    )
    name, content = _download(page, "a.outcomes-pdf")
    assert name.endswith(".pdf")
    assert content.startswith(b"%PDF")
    from ancrage.casework.tests.test_plans_pdf import pdf_text

    assert text(lang, "Maintien en logement", "Housing retention") in pdf_text(content)
    assert text(lang, "Premières Nations", "First Nations") in pdf_text(content)
