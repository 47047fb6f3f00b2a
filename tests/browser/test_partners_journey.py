"""A program manager keeps the registry of partners (E1, E2) and sees the significant-change notices (E3); a
partner's representative sees a notice only for the participant whose consent covers their organisation. French
and English.

The program manager adds a hospital team that also uses Ancrage (the partner agency's organisation), records its
agreement (due for renewal within the warning), logs this month's contact (the partner leaves the list of those
to contact), then two people with an open referral to that team are housed: one consented to share housing with
the partner, the other did not. The notices page says which was told and why the other was not; the partner's
representative sees the first person's notice at home and on the notices page, never the second.
"""

from __future__ import annotations

import datetime

import pytest
from playwright.sync_api import Page, expect

from ancrage.access import services as access_services
from ancrage.access.models import ByNameStatus
from ancrage.access.tests.factories import make_entry
from ancrage.casework.models import ServiceKind
from ancrage.casework.referrals import services as referral_services
from ancrage.core import clock
from ancrage.core.permissions import Category
from ancrage.people.tests.factories import share
from tests.browser.helpers import LOCALES, sign_out, switch_language, text

pytestmark = pytest.mark.browser

TEAM = "Équipe itinérance Les Rives"


def _people(case_manager, org, partner_org):
    provider = referral_services.provider_create(
        actor=case_manager,
        consortium=org.consortium,
        name="Clinique Les Rives",
        kind=ServiceKind.HEALTH,
        organisation=partner_org,
    )
    people = []
    for first, last in (("Rosalie", "Martin"), ("Jean", "Tremblay")):
        entry = make_entry(case_manager, org, legal_first_name=first, legal_last_name=last)
        referral_services.referral_create(
            actor=case_manager,
            participant=entry.participant,
            provider=provider,
            need="Suivi",
            approved_on=clock.today(),
        )
        people.append(entry)
    share(case_manager, people[0].participant, [partner_org], [Category.IDENTITY, Category.HOUSING])
    return people


def test_registry_contact_and_notices(
    new_page,
    lang,
    login,
    assert_accessible,
    shot,
    org_a,
    partner_org,
    case_manager_a,
    program_manager_a,
    partner_rep,
):
    consenting, refusing = _people(case_manager_a, org_a, partner_org)
    page: Page = new_page(LOCALES["fr"])
    login(page, program_manager_a)
    if lang == "en":
        switch_language(page, "en")

    # --- 1. Add the partner: a hospital team that also uses Ancrage. ------------------------------------
    page.locator("nav").get_by_role("link", name=text(lang, "Partenaires", "Partners")).click()
    expect(page.locator("main h1")).to_have_text(text(lang, "Partenaires", "Partners"))
    with page.expect_navigation():
        page.get_by_role("link", name=text(lang, "Ajouter un partenaire", "Add a partner")).click()
    page.fill("input[name=name]", TEAM)
    page.select_option("select[name=kind]", "hospital")
    page.select_option("select[name=organisation]", str(partner_org.pk))
    assert_accessible(page, "add a partner")
    shot(page, "01-add", lang)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    expect(page.locator("main h1")).to_have_text(TEAM)
    expect(page.locator("main .alert-success")).to_have_text(
        text(lang, "Partenaire ajouté.", "Partner added.")
    )

    # --- 2. Its agreement, to renew within the warning. --------------------------------------------------
    with page.expect_navigation():
        page.locator("main a[href$='/agreements/new/']").click()
    page.fill("input[name=title]", "Entente d'échange de renseignements")
    page.select_option("select[name=kind]", "information_sharing")
    page.fill("input[name=renewal_on]", (clock.today() + datetime.timedelta(days=30)).isoformat())
    assert_accessible(page, "record an agreement")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    agreements = page.locator("section[aria-labelledby=agreements-title]")
    expect(agreements).to_contain_text(text(lang, "À renouveler", "Renewal due"))

    # --- 3. This month's contact: the partner leaves the list of those to contact. ------------------------
    page.goto("/partners/follow-up/")
    expect(page.locator("main tr.contact-due", has_text=TEAM)).to_have_count(1)
    page.goto("/partners/")
    with page.expect_navigation():
        page.get_by_role("link", name=TEAM).click()
    with page.expect_navigation():
        page.locator("main a[href$='/log/new/']").click()
    page.select_option("select[name=channel]", "meeting")
    page.fill("textarea[name=summary]", "Rencontre mensuelle : protocole de référence revu.")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    expect(page.locator("main .partner-log")).to_contain_text("protocole de référence revu")
    assert_accessible(page, "partner page")
    shot(page, "02-partner", lang)
    page.goto("/partners/follow-up/")
    expect(page.locator("main tr.contact-due", has_text=TEAM)).to_have_count(0)

    # --- 4. Both people are housed: the notices page says who was told, and why the other was not. -------
    for entry in (consenting, refusing):
        access_services.by_name_status_change(
            actor=case_manager_a, entry=entry, status=ByNameStatus.HOUSED, reason="Bail signé"
        )
    page.goto("/partners/notices/")
    sent = page.locator("main tr.notice", has_text="Rosalie Martin")
    expect(sent).to_contain_text(text(lang, "Envoyé", "Sent"))
    expect(page.locator("main tr.notice", has_text="Jean Tremblay")).to_contain_text(
        text(lang, "Non envoyé\u00a0: aucun consentement", "Not sent: no consent")
    )
    assert_accessible(page, "notices (sender)")
    shot(page, "03-notices", lang)

    # --- 5. The partner's representative sees the consented person's notice only. -------------------------
    sign_out(page)
    login(page, partner_rep)
    if lang == "en":
        switch_language(page, "en")
    home = page.locator("main .home-notices")
    expect(home).to_contain_text("Rosalie Martin")
    expect(page.locator("main")).not_to_contain_text("Jean Tremblay")
    assert_accessible(page, "home (partner)")
    page.goto("/partners/notices/")
    expect(page.locator("main tr.notice")).to_have_count(1)
    expect(page.locator("main tr.notice")).to_contain_text(text(lang, "Logé·e", "Housed"))
    expect(page.locator("main")).not_to_contain_text("Tremblay")
    assert_accessible(page, "notices (partner)")
    shot(page, "04-partner-notices", lang)
