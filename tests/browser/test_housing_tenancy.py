"""A housing specialist offers three units to a participant, records their ranking and a viewing, the landlord's
yes, the lease (the share against 30 % of income) and a move-in inspection with a photo; then the case manager
sees the tenancy on the participant's file. French and English."""

from __future__ import annotations

import io
import re

import pytest
from playwright.sync_api import Page, expect

from ancrage.core import clock
from ancrage.core.permissions import Category
from ancrage.housing.models import InspectionPhoto, Tenancy
from ancrage.housing.tests.tenancy_helpers import landlord_building, make_unit
from ancrage.people.tests.factories import share
from tests.browser.helpers import LOCALES, sign_out, switch_language, text

pytestmark = pytest.mark.browser

NBSP = "\u00a0"


def _png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (16, 12), (30, 140, 60)).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.mark.both_languages
def test_offer_rank_view_lease_inspect_then_case_manager_sees_it(
    new_page,
    lang,
    login,
    assert_accessible,
    shot,
    org_a,
    shared_org,
    case_manager_a,
    housing_specialist,
    participant_a,
):
    share(case_manager_a, participant_a, [shared_org], [Category.IDENTITY, Category.HOUSING])
    building = landlord_building(shared_org, name="Habitations Papineau")
    units = [
        make_unit(housing_specialist, shared_org, building, address=f"{n}, rue Fullum", rent=900)
        for n in (2100, 2200, 2300)
    ]
    page: Page = new_page(LOCALES["fr"])
    login(page, housing_specialist)
    if lang == "en":
        switch_language(page, "en")

    # --- 1. Start the search and offer three units. ------------------------------------------------------
    page.goto(f"/housing/participants/{participant_a.pk}/")
    with page.expect_navigation():
        page.locator(f"form[action$='/participants/{participant_a.pk}/search/'] button[type=submit]").click()
    for unit in units:
        page.select_option("#offer-unit", str(unit.pk))
        with page.expect_navigation():
            page.locator("form[action$='/offer/'] button[type=submit]").click()
    expect(page.locator("li.option")).to_have_count(3)
    expect(page.locator("main .alert-warning")).to_have_count(0)
    assert_accessible(page, "three units offered")

    # --- 2. The participant's ranking and a viewing of their first choice; the landlord says yes. --------
    first = page.locator("li.option", has_text="2200, rue Fullum")
    first.locator("summary").first.click()
    first.locator("input[name=rank]").fill("1")
    first.locator("input[name=reasons]").fill("Près de ma sœur")
    with page.expect_navigation():
        first.locator("form[action$='/rank/'] button[type=submit]").click()
    first = page.locator("li.option", has_text="2200, rue Fullum")
    expect(first).to_contain_text("« Près de ma sœur »")
    first.locator("summary").nth(1).click()
    first.locator("select[name=step]").select_option("viewing_planned")
    first.locator("input[name=at]").fill(clock.now().strftime("%Y-%m-%dT") + "23:30")
    with page.expect_navigation():
        first.locator("form[action$='/step/'] button[type=submit]").click()
    first = page.locator("li.option", has_text="2200, rue Fullum")
    expect(first.locator(".badge")).to_have_text(text(lang, "Visite prévue", "Viewing planned"))
    first.locator("summary").nth(1).click()
    first.locator("select[name=step]").select_option("accepted")
    with page.expect_navigation():
        first.locator("form[action$='/step/'] button[type=submit]").click()
    first = page.locator("li.option", has_text="2200, rue Fullum")
    expect(first.locator(".badge")).to_have_text(
        text(lang, "Accepté par le propriétaire", "Accepted by the landlord")
    )
    shot(page, "01-options", lang)

    # --- 3. The lease: 320 $ of 1 000 $ of income is above 30 %. ------------------------------------------
    with page.expect_navigation():
        first.locator("a[href*='/lease/']").click()
    page.check("input[name=lease_kind][value=direct]")
    page.fill("input[name=lease_start]", clock.today().isoformat())
    page.fill("input[name=monthly_rent]", "900")
    page.fill("input[name=participant_share]", "320")
    page.fill("input[name=participant_monthly_income]", "1000")
    page.fill("input[name=rent_supplement]", "580")
    page.fill("input[name=supplement_source]", "PSL")
    assert_accessible(page, "the lease form")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    tenancy = Tenancy.objects.get(participant=participant_a)
    expect(page).to_have_url(re.compile(rf"/housing/tenancies/{tenancy.pk}/$"))
    expect(page.locator(".share-of-income")).to_have_text(
        text(lang, f"32{NBSP}% du revenu — au-dessus de 30{NBSP}%", "32 % of income — above 30 %")
    )
    assert_accessible(page, "the tenancy")

    # --- 4. The move-in inspection with a photo. -----------------------------------------------------------
    with page.expect_navigation():
        page.locator(f"a[href$='/tenancies/{tenancy.pk}/inspections/new/']").click()
    page.select_option("select[name=kind]", "move_in")
    page.select_option("select[name=condition]", "good")
    page.set_input_files(
        "input[name=photo]", files=[{"name": "salon.png", "mimeType": "image/png", "buffer": _png()}]
    )
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    photo = InspectionPhoto.objects.get()
    image = page.locator(f"img[src$='/housing/photos/{photo.pk}/']")
    expect(image).to_be_visible()
    assert page.evaluate("(img) => img.naturalWidth", image.element_handle()) == 16
    shot(page, "02-tenancy", lang)

    # --- 5. The case manager sees the tenancy on the participant's file. ----------------------------------
    sign_out(page)
    login(page, case_manager_a)
    if lang == "en":
        switch_language(page, "en")
    page.goto(f"/participants/{participant_a.pk}/")
    panel = page.locator("section.housing-panel")
    expect(panel).to_contain_text("2200, rue Fullum")
    assert_accessible(page, "the participant's file with the housing section")
    shot(page, "03-file", lang)
