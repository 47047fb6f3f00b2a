"""A data coordinator goes from the Reports page to the HMIS CSV export, chooses a period and a program,
downloads the zip and finds every FY2026 file in it, with only the people they may see. French and English.
"""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from ancrage.interop.hmis.columns import FILES
from ancrage.interop.tests.export_helpers import build, read_zip
from tests.browser.helpers import assert_no_horizontal_scroll, switch_language, text

pytestmark = pytest.mark.browser


def test_data_coordinator_downloads_the_hmis_csv_zip(
    page: Page, lang, login, assert_accessible, shot, org_a, org_b, case_manager_a, case_manager_b
):
    w = build(org_a, org_b, case_manager_a, case_manager_b)
    login(page, w["coordinator"])
    if lang == "en":
        switch_language(page, "en")

    # --- 1. From the Reports page to the export's form. ---------------------------------------------------
    page.goto("/reports/")
    with page.expect_navigation():
        page.get_by_role("link", name=text(lang, "Exportation HMIS CSV", "HMIS CSV export")).click()
    expect(page.locator("h1")).to_have_text(text(lang, "Exportation HMIS CSV", "HMIS CSV export"))
    assert_accessible(page, "HMIS CSV export form")
    assert_no_horizontal_scroll(page, "HMIS CSV export form")
    shot(page, "01-form", lang)

    # --- 2. A period that ends before it starts is said in words; nothing is downloaded. -----------------
    page.fill("input[name=start]", "2026-06-01")
    page.fill("input[name=end]", "2026-01-01")
    with page.expect_navigation():
        page.get_by_role("button", name=text(lang, "Télécharger le zip", "Download the zip")).click()
    expect(page.locator("main .alert-danger")).to_contain_text(
        text(lang, "La date de fin précède la date de début.", "The end date comes before the start date.")
    )
    assert_accessible(page, "HMIS CSV export form with an error")
    shot(page, "02-error", lang)

    # --- 3. The period of the last two years, program A only: the zip. ------------------------------------
    page.fill("input[name=start]", (w["end"] - datetime.timedelta(days=730)).isoformat())
    page.fill("input[name=end]", w["end"].isoformat())
    page.get_by_label(f"MB — {w['program_b'].display_name}").uncheck()
    with page.expect_download() as info:
        page.get_by_role("button", name=text(lang, "Télécharger le zip", "Download the zip")).click()
    download = info.value
    assert download.suggested_filename.endswith(".zip")
    files = read_zip(Path(download.path()).read_bytes())
    assert {name for name in files if not name.startswith("header:")} == set(FILES)
    for name, columns in FILES.items():
        assert files["header:" + name] == [c.name for c in columns]
    assert {row["ProjectID"] for row in files["Project"]} == {str(w["program_a"].pk)}
    # Two years back: the person who left a year ago comes too; program B's people do not.
    assert {row["PersonalID"] for row in files["Client"]} == {
        str(w[key].pk) for key in ("housed", "left", "before")
    }
