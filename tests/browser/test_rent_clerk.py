"""The rent clerk's month (C5), in French and in English: from the home page's "rent payment today", the clerk
generates the month's roll and approves it, records a cheque for a landlord and reconciles it against the bank
statement, then finds a participant in arrears (last month's share not received) and sets a repayment plan."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from ancrage.core import clock
from ancrage.housing.rent import services
from ancrage.housing.rent.arithmetic import first_of_month, previous_month
from ancrage.housing.tests.rent_helpers import build_rent_world, make_participant_shared, make_tenancy
from tests.browser.helpers import LOCALES, switch_language, text

pytestmark = pytest.mark.browser


@pytest.mark.both_languages
def test_clerk_rolls_pays_reconciles_and_sets_a_plan(
    new_page, lang, login, assert_accessible, shot, consortium, org_a, shared_org, case_manager_a
):
    w = build_rent_world(consortium, org_a, shared_org, case_manager_a)
    this_month = first_of_month(clock.today())
    last_month = previous_month(this_month)
    participant = make_participant_shared(case_manager_a, org_a, w.service, legal_first_name="Odette")
    tenancy = make_tenancy(
        participant=participant,
        landlord=w.landlord,
        actor=case_manager_a,
        lease_start=previous_month(last_month),
        rent=Decimal("900.00"),
        share=Decimal("270.00"),
    )
    # Last month was paid to the landlord, but the participant's share did not come in.
    roll = services.roll_approve(
        actor=w.clerk, roll=services.roll_generate(actor=w.clerk, service=w.service, month=last_month)
    )
    services.payment_record(
        actor=w.clerk,
        roll=roll,
        landlord=w.landlord,
        amount=Decimal("900.00"),
        method="bank_transfer",
        paid_on=last_month,
    )

    page: Page = new_page(LOCALES["fr"])
    login(page, w.clerk)
    if lang == "en":
        switch_language(page, "en")

    # --- 1. The home page says what is due today; the clerk generates this month's roll. -------------------
    page.goto("/")
    panel = page.locator("section[aria-labelledby=rent-title]")
    expect(panel).to_contain_text(text(lang, "Générer le rôle de", "Generate the roll of"))
    assert_accessible(page, "the clerk's home page")
    panel.get_by_role("link", name=text(lang, "Ouvrir le paiement de loyer", "Open rent payment")).click()
    page.wait_for_url("**/housing/rent/")
    assert_accessible(page, "rent payment")
    with page.expect_navigation():
        page.get_by_role("button", name=text(lang, "Générer", "Generate"), exact=True).click()
    expect(page.locator("h1 .roll-status")).to_have_text(text(lang, "Brouillon", "Draft"))
    expect(page.locator(".roll-total")).to_contain_text(text(lang, "900,00", "900.00"))
    with page.expect_navigation():
        page.get_by_role("button", name=text(lang, "Approuver le rôle", "Approve the roll")).click()
    expect(page.locator("h1 .roll-status")).to_have_text(text(lang, "Approuvé", "Approved"))
    assert_accessible(page, "the approved roll")
    shot(page, "01-approved", lang)

    # --- 2. A cheque for the landlord, then reconciled against the bank statement. --------------------------
    row = page.locator(f"#landlord-{w.landlord.pk}")
    row.locator("summary", has_text=text(lang, "Payer", "Pay")).click()
    row.locator("select[name=method]").select_option("cheque")
    row.locator("input[name=reference]").fill("10042")
    with page.expect_navigation():
        row.get_by_role("button", name=text(lang, "Inscrire le paiement", "Record the payment")).click()
    row = page.locator(f"#landlord-{w.landlord.pk}")
    expect(row).to_contain_text("10042")
    with page.expect_navigation():
        row.get_by_role("button", name=text(lang, "Rapprocher", "Reconcile")).click()
    expect(page.locator(f"#landlord-{w.landlord.pk}")).to_contain_text(
        text(lang, "Rapproché le", "Reconciled on")
    )
    assert_accessible(page, "a reconciled payment")
    shot(page, "02-reconciled", lang)

    # --- 3. The participant's arrears, and a repayment plan. -------------------------------------------------
    page.goto("/housing/rent/")
    arrears = page.locator("section[aria-labelledby=arrears-title] tbody tr", has_text="Odette")
    # Last month's share and this month's, now that its roll is approved.
    expect(arrears).to_contain_text(text(lang, "540,00", "540.00"))
    arrears.get_by_role("link").click()
    page.wait_for_url(f"**/housing/rent/tenancies/{tenancy.pk}/")
    expect(page.locator(".rent-arrears")).to_contain_text(text(lang, "540,00", "540.00"))
    page.fill("#id_monthly_amount", "90")
    with page.expect_navigation():
        page.get_by_role("button", name=text(lang, "Établir l'entente", "Set the plan")).click()
    expect(page.locator(".rent-plans")).to_contain_text(text(lang, "Active", "Active"))
    expect(page.locator(".rent-plans")).to_contain_text(re.compile(r"540[,.]00"))
    assert_accessible(page, "a tenancy's rent account with its plan")
    shot(page, "03-plan", lang)
