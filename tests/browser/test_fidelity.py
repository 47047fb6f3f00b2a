"""A program manager opens Reports → Fidelity, reads a domain's evidence, fills in the self-assessment, sees the
history chart and downloads the PDF. French and English, with axe on every page."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from ancrage.casework.tests.factories_caseload import enroll, make_program
from ancrage.core import clock
from ancrage.housing.tests.support_factories import make_tenancy
from ancrage.reports.fidelity import periods
from ancrage.reports.fidelity.services import assessment_save
from ancrage.reports.models import FidelityAssessment
from tests.browser.helpers import LOCALES, assert_no_horizontal_scroll, switch_language, text

pytestmark = pytest.mark.browser


def test_fidelity_journey(
    new_page, lang, login, assert_accessible, shot, org_a, case_manager_a, program_manager_a, participant_a
):
    program = make_program(org_a)
    today = clock.today()
    quarter = periods.default(today)
    start, _end = periods.bounds(quarter)
    enroll(case_manager_a, participant_a, program, enrolled_on=start - datetime.timedelta(days=40))
    make_tenancy(
        participant_a,
        case_manager_a,
        organisation=org_a,
        program=program,
        start=start + datetime.timedelta(days=5),
    )
    # The quarter before was assessed: the chart has a first point.
    before = periods.bounds(periods.recent(3, today)[2])
    assessment_save(
        actor=program_manager_a,
        program=program,
        start=before[0],
        end=before[1],
        answers={"team_meetings": {"score": 2, "note": ""}},
    )

    page: Page = new_page(LOCALES["fr"])
    login(page, program_manager_a)
    if lang == "en":
        switch_language(page, "en")
    # --- 1. Reports → Fidelity ------------------------------------------------------------------------------
    page.goto("/reports/")
    with page.expect_navigation():
        page.locator("main .reports-sections a", has_text=text(lang, "Fidélité", "fidelity")).click()
    expect(page.locator("main h1")).to_have_text(
        text(lang, "Fidélité au modèle Logement d'abord", "Housing First fidelity")
    )
    # --- 2. A domain's evidence: the time to housing, its definition, data and thresholds. -------------------
    item = page.locator("#item-time_to_housing")
    item.locator("summary").click()
    expect(item).to_contain_text(text(lang, "Seuils", "Thresholds"))
    expect(item).to_contain_text(text(lang, "1 premiers emménagements", "1 first move-ins"))
    assert_accessible(page, "the fidelity page")
    shot(page, "01-page", lang)
    # On a phone the page fits its width (the history table scrolls in its own region).
    page.set_viewport_size({"width": 390, "height": 844})
    assert_no_horizontal_scroll(page, "the fidelity page on a phone")
    shot(page, "01-page-phone", lang)
    page.set_viewport_size({"width": 1280, "height": 900})
    # --- 3. The self-assessment -----------------------------------------------------------------------------
    with page.expect_navigation():
        page.locator("main a.fidelity-assess").click()
    page.locator("input[name=team_meetings_score][value='4']").check()
    page.locator("input[name=harm_reduction_score][value='3']").check()
    page.fill("textarea[name=team_meetings_note]", "Réunion chaque matin")
    assert_accessible(page, "the self-assessment")
    shot(page, "02-assess", lang)
    with page.expect_navigation():
        page.locator("main form.fidelity-assess-form button[type=submit]").click()
    expect(page.locator(".messages")).to_contain_text(
        text(lang, "L'autoévaluation est enregistrée.", "The self-assessment is saved.")
    )
    assert (
        FidelityAssessment.objects.filter(program=program, period_start=start)
        .get()
        .answers["team_meetings"]["score"]
        == 4
    )
    # --- 4. The history chart, with its table ----------------------------------------------------------------
    expect(page.locator("main svg.fidelity-chart circle")).to_have_count(2)
    expect(page.locator("main table.fidelity-history tbody tr")).to_have_count(2)
    assert_accessible(page, "the fidelity page with its history")
    shot(page, "03-history", lang)
    # --- 5. The PDF -------------------------------------------------------------------------------------------
    with page.expect_download() as download:
        page.locator("main a.fidelity-pdf").click()
    assert Path(download.value.path()).read_bytes()[:4] == b"%PDF"
