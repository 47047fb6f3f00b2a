"""A housing specialist keeps the landlords' book: finds a landlord overdue for a check-in, logs the call,
records the landlord's complaint about a participant's tenancy (the tenancy goes on watch) and resolves it,
then browses the availability list by borough. French and English, every page checked with axe."""

from __future__ import annotations

from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from ancrage.core.permissions import Category
from ancrage.housing.book import services
from ancrage.housing.models import Area, Tenancy
from ancrage.housing.tests.book_factories import make_building, make_tenancy, make_unit
from ancrage.people.tests.factories import share
from tests.browser.helpers import LOCALES, switch_language, text

pytestmark = pytest.mark.browser

LANDLORD = "Gestion Beaubien"


def test_check_in_complaint_and_availability(
    new_page,
    lang,
    login,
    assert_accessible,
    shot,
    shared_org,
    case_manager_a,
    participant_a,
    housing_specialist,
):
    landlord = services.landlord_create(
        actor=housing_specialist,
        organisation=shared_org,
        name=LANDLORD,
        kind="company",
        program_contact=housing_specialist,
    )
    building = make_building(housing_specialist, landlord, address="6100, rue de Verdun", where="Verdun")
    occupied = make_unit(building, housing_specialist, unit_number="2", status="occupied")
    make_unit(building, housing_specialist, unit_number="5", monthly_rent=Decimal("875.00"))
    tenancy = make_tenancy(participant_a, occupied, case_manager_a)
    # The participant shares their housing information with the housing team.
    share(case_manager_a, participant_a, [shared_org], [Category.IDENTITY, Category.HOUSING])

    page: Page = new_page(LOCALES["fr"])
    login(page, housing_specialist)
    if lang == "en":
        switch_language(page, "en")

    # --- 1. The home page says who is due for a check-in; the book filters them. ---------------------------
    expect(page.locator(".home-checkins")).to_contain_text(LANDLORD)
    page.goto("/housing/")
    page.check("#id_overdue")
    with page.expect_navigation():
        page.locator("#book-filters button[type=submit]").click()
    row = page.locator("main tbody tr", has_text=LANDLORD)
    expect(row.locator(".checkin-due")).to_be_visible()
    assert_accessible(page, "landlords due for a check-in")
    shot(page, "01-book", lang)
    with page.expect_navigation():
        row.get_by_role("link", name=LANDLORD).click()
    assert_accessible(page, "a landlord")

    # --- 2. Log the check-in. ------------------------------------------------------------------------------
    with page.expect_navigation():
        page.get_by_role("link", name=text(lang, "Noter un contact", "Log a contact")).first.click()
    page.fill("textarea[name=summary]", "Appel amical : tout va bien.")
    assert_accessible(page, "log a contact")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    expect(page.locator("main .alert-success")).to_have_text(
        text(lang, "Le contact est consigné.", "The contact is logged.")
    )
    expect(page.locator("main .contact-log")).to_contain_text("Appel amical")

    # --- 3. Record the landlord's complaint about the tenancy: it goes on watch. ------------------------
    with page.expect_navigation():
        page.get_by_role("link", name=text(lang, "Consigner une plainte", "Record a complaint")).click()
    page.select_option("select[name=subject]", "noise")
    page.select_option("select[name=tenancy]", str(tenancy.pk))
    assert_accessible(page, "record a complaint")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    complaint = page.locator("main .complaint", has_text=participant_a.display_name)
    expect(complaint).to_contain_text(text(lang, "pas encore de réponse", "not answered yet"))
    tenancy.refresh_from_db()
    assert tenancy.risk == Tenancy.Risk.WATCH

    # --- 4. Resolve it. -----------------------------------------------------------------------------------
    with page.expect_navigation():
        complaint.get_by_role("link", name=text(lang, "Régler", "Resolve")).click()
    page.fill("textarea[name=resolution]", "Rencontre avec le locataire : entente.")
    assert_accessible(page, "resolve a complaint")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    expect(page.locator("main .complaint").first).to_contain_text("entente")
    shot(page, "02-landlord", lang)

    # --- 5. The availability list, by borough. ---------------------------------------------------------------
    with page.expect_navigation():
        page.get_by_role("link", name=text(lang, "Disponibilités", "Availability")).click()
    verdun = Area.objects.get(name_fr="Verdun")
    page.select_option("select[name=area]", str(verdun.parent_id or verdun.pk))
    with page.expect_navigation():
        page.locator("#availability-filters button[type=submit]").click()
    rows = page.locator("main tbody tr.available-unit")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("875")
    assert_accessible(page, "availability list")
    shot(page, "03-availability", lang)
