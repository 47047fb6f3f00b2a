"""A data coordinator opens Reports → Funder reports, opens last month's report, downloads its PDF and workbook,
and opens the cost per participant. French and English, with the accessibility check."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from ancrage.core import clock
from ancrage.core.permissions import Role
from ancrage.people.tests.factories import member
from ancrage.reports.funder.presentation import month_label
from ancrage.reports.funder.services import funder_report_generate, last_ended_month
from ancrage.reports.tests import funder_world
from tests.browser.helpers import assert_no_horizontal_scroll, switch_language, text

pytestmark = pytest.mark.browser


def _download(page: Page, selector: str) -> tuple[str, bytes]:
    with page.expect_download() as info:
        page.locator(selector).click()
    download = info.value
    return download.suggested_filename, Path(download.path()).read_bytes()


@pytest.mark.both_languages
def test_data_coordinator_reads_and_downloads_the_funder_report(
    page, lang, login, assert_accessible, shot, consortium, org_a, shared_org, case_manager_a
):
    funder_world.build(org_a, case_manager_a, shared_org=shared_org, people=6, act_people=5)
    month = last_ended_month(clock.today())
    funder_report_generate(consortium=consortium, month=funder_world.FEB)
    report, _created = funder_report_generate(consortium=consortium, month=month)
    coordinator = member(org_a, Role.DATA_COORDINATOR, first_name="Diane", last_name="Côté")
    login(page, coordinator)
    if lang == "en":
        switch_language(page, "en")

    # Reports → Funder reports: last month first.
    page.goto("/reports/")
    with page.expect_navigation():
        page.get_by_role("link", name=text(lang, "Rapports aux bailleurs de fonds", "Funder reports")).click()
    rows = page.locator("main table.funder-reports tbody tr")
    expect(rows).to_have_count(2)
    assert_accessible(page, "funder reports")
    assert_no_horizontal_scroll(page, "funder reports")
    shot(page, "01-list", lang)

    with page.expect_navigation():
        rows.first.locator("th a").click()
    expect(page).to_have_url(re.compile(rf"/reports/funder/{report.pk}/$"))
    from django.utils import translation

    with translation.override("en" if lang == "en" else "fr-ca"):
        label = month_label(month)
    expect(page.locator("main h1")).to_contain_text(label)
    expect(page.locator("main table.funder-costs")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text("Personne0")
    assert_accessible(page, "a funder report")
    shot(page, "02-report", lang)

    name, pdf = _download(page, "main a.funder-pdf")
    assert pdf.startswith(b"%PDF")
    assert name.endswith(".pdf")
    name, xlsx = _download(page, "main a.funder-xlsx")
    assert name.endswith(".xlsx")
    header = next(load_workbook(io.BytesIO(xlsx)).active.iter_rows(values_only=True))
    assert header == (
        ("Section", "Group", "Figure", "Value")
        if lang == "en"
        else ("Section", "Groupe", "Indicateur", "Valeur")
    )

    # The cost per participant, from the list.
    page.goto("/reports/funder/")
    with page.expect_navigation():
        page.locator("main a.funder-costs-link").click()
    table = page.locator("main table.funder-cost-table")
    expect(table).to_contain_text(text(lang, "Aucune donnée budgétaire", "No budget data"))
    expect(page.locator("main")).to_contain_text(text(lang, "22\u00a0000,00\u00a0$", "$22,000.00"))
    assert_accessible(page, "cost per participant")
    assert_no_horizontal_scroll(page, "cost per participant")
    shot(page, "03-costs", lang)
