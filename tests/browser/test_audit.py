"""Journey of a program manager on the audit screen: who read or changed which file."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from ancrage.people.tests.factories import make_participant
from tests.browser.helpers import LOCALES, switch_language, text

pytestmark = pytest.mark.browser


def test_program_manager_audit(
    page,
    new_page,
    lang,
    login,
    assert_accessible,
    shot,
    case_manager_a,
    program_manager_a,
    participant_a,
    org_a,
):
    other = make_participant(program_manager_a, org_a, legal_first_name="Jean", legal_last_name="Tremblay")
    # The case manager opens Éloïse's file in their own browser: that read is what the manager looks for.
    worker = new_page(LOCALES["fr"])
    login(worker, case_manager_a)
    worker.goto(f"/participants/{participant_a.pk}/")
    expect(worker.locator("main h1")).to_have_text("Éloïse Gagnon")
    worker.context.close()

    login(page, program_manager_a)
    if lang == "en":
        switch_language(page, "en")
    page.locator("nav a[href='/audit/']").click()
    expect(page).to_have_url(re.compile(r"/audit/$"))
    expect(page.locator("main h1")).to_have_text(
        text(lang, "Qui a consulté ou modifié quoi", "Who read or changed what")
    )
    rows = page.locator("main table tbody tr")
    expect(rows.filter(has_text=other.community_id).first).to_be_visible()
    assert_accessible(page, "audit screen")

    # By participant (community identifier).
    page.fill("#id_participant", participant_a.community_id)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"participant=" + re.escape(participant_a.community_id)))
    expect(page.locator("#id_participant")).to_have_value(participant_a.community_id)
    count = rows.count()
    assert count >= 2
    for i in range(count):
        expect(rows.nth(i).locator("td").nth(3)).to_have_text(participant_a.community_id)

    # And by user: the case manager's read of the file is there, in words.
    page.fill("#id_user", case_manager_a.username)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    expect(page.locator("#id_user")).to_have_value(case_manager_a.username)
    reads = rows.filter(has=page.locator(".badge"))
    expect(reads.first).to_be_visible()
    expect(reads.first).to_contain_text(text(lang, "a consulté le dossier", "viewed the participant's file"))
    for i in range(rows.count()):
        expect(rows.nth(i).locator("td").nth(1)).to_contain_text(case_manager_a.display_name)
        expect(rows.nth(i).locator("td").nth(3)).to_have_text(participant_a.community_id)
    expect(page.locator("main")).not_to_contain_text(program_manager_a.display_name + " (")
    assert_accessible(page, "audit screen, filtered")
    shot(page, "filtered", lang)
