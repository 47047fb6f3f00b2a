"""The housing specialist reserves a bed, a table and the starter kit for a participant from their file, books
the delivery and marks it delivered; the program manager then sees the budget with its spending and the
retention page. French and English, on a phone-sized screen for the specialist.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from ancrage.core import clock
from ancrage.core.permissions import Category
from ancrage.housing import services_budgets as budgets
from ancrage.housing.models import FurnitureItem
from ancrage.housing.tests.support_factories import budget_line, make_tenancy, stocked_bank
from ancrage.people.tests.factories import ProgramFactory, share
from tests.browser.helpers import LOCALES, assert_no_horizontal_scroll, sign_out, switch_language, text

pytestmark = pytest.mark.browser


@pytest.mark.both_languages
def test_furniture_delivery_then_budget_and_retention(
    new_page,
    lang,
    login,
    assert_accessible,
    shot,
    org_a,
    shared_org,
    case_manager_a,
    program_manager_a,
    housing_specialist,
    participant_a,
):
    share(case_manager_a, participant_a, [shared_org], [Category.IDENTITY, Category.HOUSING])
    program = ProgramFactory(organisation=org_a)
    moved_in = clock.today() - datetime.timedelta(days=400)
    make_tenancy(
        participant_a,
        case_manager_a,
        organisation=org_a,
        program=program,
        start=moved_in,
        address="88 rue Galt",
    )
    bed, table, _pots, _kit = stocked_bank(housing_specialist, shared_org)
    line = budget_line(program, amount="1000.00", warn=80)
    budgets.expense_record(
        actor=housing_specialist,
        line=line,
        spent_on=clock.today(),
        amount=Decimal("850.00"),
        description="Lits",
    )

    page: Page = new_page(LOCALES["fr"])
    page.set_viewport_size({"width": 360, "height": 740})
    login(page, housing_specialist)
    if lang == "en":
        switch_language(page, "en")

    # --- 1. From the participant's file, reserve a bed, a table and the starter kit. ----------------------
    page.goto(f"/participants/{participant_a.pk}/")
    section = page.locator("section[aria-labelledby=furniture-title]")
    expect(section).to_contain_text(
        text(lang, "Rien reçu de la banque de meubles.", "Nothing received from the furniture bank.")
    )
    with page.expect_navigation():
        section.get_by_role("link", name=text(lang, "Réserver des meubles", "Reserve furniture")).click()
    page.get_by_label(text(lang, "Lit simple", "Single bed")).fill("1")
    page.get_by_label("Table").fill("1")
    page.get_by_label(text(lang, "Trousse de départ", "Starter kit")).check()
    assert_accessible(page, "reserve furniture")
    assert_no_horizontal_scroll(page, "reserve furniture")
    shot(page, "01-reserve", lang)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()

    # --- 2. Book the delivery: the tenancy's address by default, a volunteer brings it. ------------------
    expect(page.locator("main")).to_contain_text("88 rue Galt")
    page.fill("input[name=window_start]", "13:00")
    page.fill("input[name=window_end]", "16:00")
    page.select_option("select[name=carrier]", "volunteer")
    page.fill("input[name=carrier_name]", "Gilles")
    assert_accessible(page, "book the delivery")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    expect(page.locator("main .alert-success")).to_have_text(
        text(lang, "La livraison est planifiée.", "The delivery is booked.")
    )
    row = page.locator("main tr.delivery-row", has_text="88 rue Galt")
    expect(row).to_contain_text("Gilles")
    assert_accessible(page, "the furniture bank")
    assert_no_horizontal_scroll(page, "the furniture bank")
    shot(page, "02-bank", lang)

    # --- 3. Delivered: the items leave the stock. ---------------------------------------------------------
    with page.expect_navigation():
        row.get_by_role("button", name=text(lang, "Marquer comme livrée", "Mark delivered")).click()
    expect(page.locator("main .alert-success")).to_contain_text(text(lang, "Livrée", "Delivered"))
    assert FurnitureItem.objects.get(pk=bed.pk).on_hand == 0
    assert FurnitureItem.objects.get(pk=table.pk).on_hand == 1
    sign_out(page)

    # --- 4. The program manager: the budget near its limit, and retention. ---------------------------------
    page.set_viewport_size({"width": 1280, "height": 900})
    login(page, program_manager_a)
    if lang == "en":
        switch_language(page, "en")
    page.goto("/housing/budgets/")
    budget_row = page.locator("main tr.budget-line").first
    expect(budget_row).to_have_class("budget-line budget-warn")
    expect(budget_row).to_contain_text(text(lang, "près de la limite", "near the limit"))
    assert_accessible(page, "the budgets")
    shot(page, "03-budgets", lang)
    with page.expect_navigation():
        page.locator("nav[aria-label] a", has_text=text(lang, "Résultats", "Outcomes")).click()
    expect(page.locator("main h1")).to_have_text(text(lang, "Résultats en logement", "Housing outcomes"))
    expect(page.locator("main details")).to_contain_text(text(lang, "dénominateur", "denominator"))
    assert_accessible(page, "the outcomes")
    shot(page, "04-outcomes", lang)
