"""Issue 11, parts 4 and 5, in French and in English: the community's monthly flow is the same for the hub, a
program manager and a data coordinator, small counts hidden in words; a proposal by hand that passes over a
higher-ranked person needs a reason, and the match shows who was passed over."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from ancrage.access import services
from ancrage.access.models import ByNameEntry, ByNameStatus, Match
from ancrage.access.tests.factories import TEST_POLICY, make_entry
from ancrage.core.permissions import Role
from ancrage.organisations.models import Program
from ancrage.people.tests.factories import ProgramFactory, member
from tests.browser.helpers import LOCALES, open_menu_if_collapsed, switch_language, text

pytestmark = pytest.mark.browser


def test_the_flow_is_the_same_for_every_role_that_reports(
    new_page, lang, login, assert_accessible, shot, case_manager_a, case_manager_b, org_a, org_b, shared_org
):
    # This month: 7 people of A and 2 of B enter the list, 6 of A are housed; 3 stay: too few to show.
    people = [make_entry(case_manager_a, org_a, legal_last_name=f"Abel{n}") for n in range(7)]
    people += [make_entry(case_manager_b, org_b, legal_last_name=f"Bélair{n}") for n in range(2)]
    for entry in people[:6]:
        services.by_name_status_change(
            actor=case_manager_a, entry=entry, status=ByNameStatus.HOUSED, reason="Logé"
        )
    readers = [
        member(shared_org, Role.COORDINATED_ACCESS, username="acces"),
        member(org_b, Role.PROGRAM_MANAGER, username="coordination"),
        member(shared_org, Role.DATA_COORDINATOR, username="donnees"),
    ]
    tables = []
    for reader in readers:
        page = new_page(LOCALES[lang])
        login(page, reader)
        if lang == "en":
            switch_language(page, "en")
        open_menu_if_collapsed(page)
        page.locator("#nav").get_by_role("link", name=text(lang, "Rapports", "Reports")).click()
        expect(page.locator("main h1")).to_have_text(text(lang, "Rapports", "Reports"))
        # The Reports page lists what the reader may open; the monthly flow is one of them.
        page.locator("main").get_by_role("link", name=text(lang, "Flux mensuel", "Monthly flow")).click()
        expect(page.locator("main h1")).to_have_text(text(lang, "Flux mensuel", "Monthly flow"))
        expect(
            page.locator("#nav").get_by_role("link", name=text(lang, "Rapports", "Reports"))
        ).to_have_attribute("aria-current", "page")
        this_month = page.locator("#flow-table tbody tr").last.locator("td")
        expect(this_month.nth(0)).to_have_text("9")  # new: the whole community's, not the reader's
        expect(this_month.nth(4)).to_have_text("6")  # housed
        expect(this_month.nth(10)).to_contain_text("< 5")  # actively homeless at month end
        expect(this_month.nth(10)).to_contain_text(text(lang, "moins de 5", "fewer than 5"))
        expect(page.locator("#flow-legend")).to_contain_text(
            text(lang, "moins de 5 personnes", "fewer than 5 people")
        )
        expect(page.locator("main")).not_to_contain_text("Abel0")
        tables.append(page.locator("#flow-table tbody").inner_text())
        assert_accessible(page, f"monthly flow for {reader.username}")
        shot(page, f"flow-{reader.username}", lang)
    assert tables[0] == tables[1] == tables[2]

    # The people behind a figure: the manager of B sees B's two newcomers, and nobody of A.
    page = new_page(LOCALES[lang])
    login(page, readers[1])
    if lang == "en":
        switch_language(page, "en")
    page.goto("/access/flow/")
    page.locator("#flow-table tbody tr").last.locator("th a").click()
    expect(page.locator("#flow-people tbody tr")).to_have_count(2)
    expect(page.locator("#flow-people")).to_contain_text("Bélair0")
    expect(page.locator("main")).not_to_contain_text("Abel")
    assert_accessible(page, "people behind the flow")


def test_passing_over_a_higher_ranked_person_needs_a_reason(
    page, lang, login, assert_accessible, shot, org_a
):
    lead = member(org_a, Role.TEAM_LEAD, username="chef")
    first = make_entry(lead, org_a, legal_first_name="Éloïse", legal_last_name="Gagnon")
    second = make_entry(lead, org_a, legal_first_name="Bruno", legal_last_name="Tremblay")
    ByNameEntry.objects.filter(pk=first.pk).update(acuity_score=22, acuity_max=25)
    ByNameEntry.objects.filter(pk=second.pk).update(acuity_score=10, acuity_max=25)
    policy = services.policy_draft_create(actor=lead, text=TEST_POLICY)
    services.policy_activate(actor=lead, policy=policy, reason="Adoptée par le comité")
    program = ProgramFactory(organisation=org_a, kind=Program.Kind.ICM)
    opening = services.openings_create(actor=lead, program=program, count=1)[0]

    login(page, lead)
    if lang == "en":
        switch_language(page, "en")
    page.goto(f"/access/openings/{opening.pk}/")
    page.locator("#id_entry").select_option(str(second.pk))
    page.get_by_role("button", name=text(lang, "Proposer", "Propose"), exact=True).click()
    reason = page.locator("#id_reason")
    expect(reason).to_have_attribute("aria-invalid", "true")
    expect(page.locator("main form", has=page.locator("#id_entry"))).to_contain_text(
        text(
            lang,
            "1 personne admissible mieux classée est écartée",
            "1 eligible person ranked higher is passed over: say why.",
        )
    )
    expect(page.locator("#id_entry")).to_have_value(str(second.pk))
    assert not Match.objects.exists()
    assert_accessible(page, "proposal by hand without a reason")
    shot(page, "1-reason-needed", lang)

    reason.fill("Seule personne jointe cette semaine")
    page.get_by_role("button", name=text(lang, "Proposer", "Propose"), exact=True).click()
    match = Match.objects.get()
    expect(page).to_have_url(re.compile(rf"/access/matches/{match.pk}/$"))
    main = page.locator("main")
    expect(main).to_contain_text(
        text(lang, "Personnes mieux classées écartées", "Higher-ranked people passed over")
    )
    expect(main).to_contain_text("Éloïse Gagnon")
    expect(main).to_contain_text("Seule personne jointe cette semaine")
    assert_accessible(page, "match proposed by hand")
    shot(page, "2-passed-over", lang)
