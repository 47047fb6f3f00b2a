"""A data coordinator imports another system's HMIS CSV export: uploads the zip, reads the structure problems
file by file and row by row, sees the load finish, downloads the data-quality report, and finds the probable
duplicates proposed for review (nothing merged). French and English, with the axe check."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from ancrage.core import clock
from ancrage.core.permissions import Role
from ancrage.interop.hmis.sample import generate
from ancrage.people.tests.factories import make_participant, member
from tests.browser.helpers import LOCALES, switch_language, text

pytestmark = pytest.mark.browser


def test_coordinator_imports_an_hmis_export(
    new_page, lang, login, assert_accessible, shot, org_a, case_manager_a
):
    coordinator = member(org_a, Role.DATA_COORDINATOR, username="donnees_a")
    export = generate(6, 8, today=clock.today())
    first = export.rows["Client"][0]
    existing = make_participant(
        case_manager_a,
        org_a,
        legal_first_name=first["FirstName"],
        legal_last_name=first["LastName"],
        date_of_birth=datetime.date.fromisoformat(first["DOB"]),
        dob_quality="exact",
    )
    export.set("Enrollment", 2, "EntryDate", "31-31-2020")
    export.set("Exit", 0, "Destination", "77")
    export.orphan_enrollment("C404")
    export.add_column("Client", "Couleur")

    page: Page = new_page(LOCALES["fr"])
    login(page, coordinator)
    if lang == "en":
        switch_language(page, "en")

    # --- 1. From the Reports page to the upload form. ---------------------------------------------------
    page.goto("/reports/")
    page.get_by_role("link", name=text(lang, "Importations HMIS", "HMIS imports")).first.click()
    expect(page.locator("main h1")).to_have_text(text(lang, "Importations HMIS", "HMIS imports"))
    page.get_by_role(
        "link", name=text(lang, "Importer une exportation HMIS CSV", "Import an HMIS CSV export")
    ).click()
    assert_accessible(page, "hmis import upload")
    page.get_by_label(text(lang, "Nom de l’autre système", "Name of the other system")).fill("SGI Laval")
    page.get_by_label(text(lang, "Exportation HMIS CSV (zip)", "HMIS CSV export (zip)")).set_input_files(
        {"name": "sgi-laval.zip", "mimeType": "application/zip", "buffer": export.to_bytes()}
    )
    shot(page, "upload", lang)
    with page.expect_navigation():
        page.get_by_role("button", name=text(lang, "Vérifier et importer", "Check and import")).click()

    # --- 2. The import page: progress to the end, what was imported, the structure problems. -----------
    expect(page.get_by_role("progressbar")).to_have_attribute("value", "100", timeout=20_000)
    expect(page.locator("main")).to_contain_text(text(lang, "Terminée", "Completed"))
    problems = page.locator("#problems")
    expect(problems).to_contain_text("Enrollment.csv")
    expect(problems).to_contain_text(
        text(
            lang,
            "Cette date est illisible ; écrivez-la AAAA-MM-JJ.",
            "This date cannot be read; write it as YYYY-MM-DD.",
        )
    )
    expect(problems).to_contain_text(
        text(lang, "Aucune personne n’a ce PersonalID", "No client has this PersonalID")
    )
    expect(problems).to_contain_text(text(lang, "La colonne Couleur", "The column Couleur"))
    assert_accessible(page, "hmis import report")
    shot(page, "report", lang)

    # --- 3. The report downloads, in the reader's language. --------------------------------------------
    with page.expect_download() as info:
        page.get_by_role("link", name=text(lang, "Télécharger (CSV)", "Download (CSV)")).click()
    content = Path(info.value.path()).read_text(encoding="utf-8-sig")
    assert text(lang, "Gravité", "Severity") in content.splitlines()[0]
    assert "C404" in content

    # --- 4. The duplicate proposed: reviewed on the registry's page, nothing merged. -------------------
    duplicates = page.get_by_role(
        "region", name=text(lang, "Doublons probables à examiner", "Probable duplicates to review")
    )
    expect(duplicates).to_contain_text(existing.legal_last_name)
    with page.expect_navigation():
        duplicates.get_by_role("link", name=text(lang, "Examiner", "Review")).click()
    expect(page.locator("main")).to_contain_text(existing.legal_last_name)
    shot(page, "duplicates", lang)
    existing.refresh_from_db()
    assert existing.merged_into_id is None
