"""A program manager changes the community's priority policy, in French and in English: a draft with a
mistake (the line and field are named, the text is kept), the fix, the preview of who moves up or down and
why, then the activation with its reason; every rank follows.

New strings may not be translated yet: the French run checks names, numbers and structure, the English run
the wording too.
"""

from __future__ import annotations

import datetime
import re

import pytest
from playwright.sync_api import expect

from ancrage.access import services
from ancrage.access.models import ByNameEntry, PriorityPolicy
from ancrage.access.tests.factories import make_entry
from ancrage.core import clock
from tests.browser.helpers import switch_language, text

pytestmark = pytest.mark.browser

IN_FORCE = """\
title: {fr: Priorités 2025, en: 2025 priorities}
factors:
  - factor: days_homeless_past_three_years
    weight: 50
  - factor: flag
    flag: medical_vulnerability
    weight: 10
tie_breakers: [entered_on]
"""
# The committee now weighs medical vulnerability far more; the first try has a word for a weight (line 7).
WITH_A_MISTAKE = """\
title: {fr: Priorités 2026, en: 2026 priorities}
factors:
  - factor: days_homeless_past_three_years
    weight: 50
  - factor: flag
    flag: medical_vulnerability
    weight: soixante
tie_breakers: [entered_on]
"""
FIXED = WITH_A_MISTAKE.replace("weight: soixante", "weight: 60")


def test_priority_policy_journey(
    page, lang, login, assert_accessible, shot, case_manager_a, org_a, program_manager_a
):
    today = clock.today()
    eloise = make_entry(
        case_manager_a,
        org_a,
        legal_first_name="Éloïse",
        legal_last_name="Gagnon",
        entered_on=today - datetime.timedelta(days=30),
    )
    services.living_situation_record(
        actor=case_manager_a,
        participant=eloise.participant,
        kind="homeless_unsheltered",
        starts_on=today - datetime.timedelta(days=1000),
    )
    jean = make_entry(
        case_manager_a,
        org_a,
        legal_first_name="Jean",
        legal_last_name="Tremblay",
        entered_on=today - datetime.timedelta(days=20),
    )
    services.by_name_profile_update(actor=case_manager_a, entry=jean, flags=["medical_vulnerability"])
    make_entry(case_manager_a, org_a, legal_first_name="Bruno", legal_last_name="Bélanger")
    v1 = services.policy_draft_create(actor=program_manager_a, text=IN_FORCE)
    services.policy_activate(actor=program_manager_a, policy=v1, reason="Adoptée par le comité en 2025")
    assert ByNameEntry.objects.get(pk=eloise.pk).priority_rank == 1
    assert ByNameEntry.objects.get(pk=jean.pk).priority_rank == 2

    login(page, program_manager_a)
    if lang == "en":
        switch_language(page, "en")
    page.locator("nav").get_by_role("link", name=text(lang, "Accès coordonné", "Coordinated access")).click()
    page.locator("main nav a[href='/access/policies/']").click()
    expect(page.locator("#active-factors tbody tr")).to_have_count(2)
    expect(page.locator("#policy-versions tbody tr")).to_have_count(1)
    assert_accessible(page, "priority policies")
    shot(page, "1-list", lang)

    # A new draft starts from the policy in force.
    page.locator("main a[href='/access/policies/new/']").click()
    editor = page.locator("#id_definition_text")
    expect(editor).to_have_value(IN_FORCE)
    assert_accessible(page, "new draft")
    editor.fill(WITH_A_MISTAKE)
    page.locator("main form button[type=submit]").click()

    # The mistake: its line and field next to the box, and the text as it was typed.
    expect(page).to_have_url(re.compile(r"/access/policies/new/$"))
    expect(editor).to_have_attribute("aria-invalid", "true")
    error = page.locator("main form").get_by_text(re.compile(r"(Ligne|Line) 7, factors\[1\]\.weight"))
    expect(error).to_be_visible()
    if lang == "en":
        expect(error).to_contain_text("Line 7, factors[1].weight: give a weight, a number of 0 or more.")
    expect(editor).to_have_value(WITH_A_MISTAKE)
    assert PriorityPolicy.objects.count() == 1
    assert_accessible(page, "draft with a mistake")
    shot(page, "2-draft-error", lang)

    editor.fill(FIXED)
    page.locator("main form button[type=submit]").click()
    draft = PriorityPolicy.objects.get(version=2)
    expect(page).to_have_url(re.compile(rf"/access/policies/{draft.pk}/$"))
    assert draft.status == PriorityPolicy.Status.DRAFT
    expect(page.locator("main h1")).to_contain_text(text(lang, "Priorités 2026", "2026 priorities"))
    expect(page.locator("#policy-factors tbody td.text-end")).to_have_text(["50", "60"])

    # The preview: who moves up or down, and why; nothing changes yet.
    counts = page.locator("#preview-counts li .fw-semibold")
    expect(counts).to_have_text(["1", "1", "1"])  # up, down, same
    movers = page.locator("#preview-movers tbody tr")
    expect(movers).to_have_count(2)
    up = movers.filter(has_text="Jean Tremblay")
    down = movers.filter(has_text="Éloïse Gagnon")
    expect(up.locator("td").first).to_contain_text("2 → 1")
    expect(down.locator("td").first).to_contain_text("1 → 2")
    expect(up.locator("td").last).to_contain_text("10 → 60")
    if lang == "en":
        expect(up.locator("td").first).to_contain_text("up 1 place")
        expect(down.locator("td").first).to_contain_text("down 1 place")
        expect(up.locator("td").last).to_have_text(
            "Health or safety flag: Medical vulnerability: 10 → 60 points"
        )
    assert ByNameEntry.objects.get(pk=jean.pk).priority_rank == 2
    assert_accessible(page, "draft with its preview")
    shot(page, "3-preview", lang)

    # Activation needs a reason.
    activate = page.locator(f"main form[action='/access/policies/{draft.pk}/activate/']")
    with page.expect_navigation():
        activate.locator("button[type=submit]").click()
    expect(page.locator("main .alert-danger")).to_be_visible()
    if lang == "en":
        expect(page.locator("main .alert-danger")).to_have_text(
            "Say why this policy replaces the one in force."
        )
    assert PriorityPolicy.objects.get(pk=draft.pk).status == PriorityPolicy.Status.DRAFT
    activate.locator("#id_reason").fill("Décision du comité d'accès coordonné du 12 mars")
    with page.expect_navigation():
        activate.locator("button[type=submit]").click()
    expect(page.locator("main .alert-success")).to_contain_text("2")
    expect(page.locator("main .badge").first).to_have_class(re.compile(r"text-bg-success"))
    expect(page.locator("main")).to_contain_text("Décision du comité d'accès coordonné du 12 mars")
    expect(page.locator("#id_definition_text")).to_have_count(0)  # an active policy no longer changes
    assert_accessible(page, "policy in force")
    shot(page, "4-activated", lang)
    draft.refresh_from_db()
    assert draft.status == PriorityPolicy.Status.ACTIVE
    assert PriorityPolicy.objects.get(pk=v1.pk).status == PriorityPolicy.Status.RETIRED
    assert ByNameEntry.objects.get(pk=jean.pk).priority_rank == 1
    assert ByNameEntry.objects.get(pk=eloise.pk).priority_rank == 2

    # Every version, with why each was activated; the list now ranks by the new policy.
    page.locator("main a[href='/access/policies/']").last.click()
    versions = page.locator("#policy-versions tbody tr")
    expect(versions).to_have_count(2)
    expect(versions.nth(0)).to_contain_text("v2")
    expect(versions.nth(0)).to_contain_text("Décision du comité d'accès coordonné du 12 mars")
    expect(versions.nth(1)).to_contain_text("v1")
    expect(versions.nth(1)).to_contain_text("Adoptée par le comité en 2025")
    expect(page.locator("#active-factors tbody td.text-end")).to_have_text(["50", "60"])
    page.locator("main nav a[href='/access/']").click()
    page.locator("thead a.sort-link[href*='sort=rank']").click()
    rows = page.locator("#results tbody tr")
    expect(rows.nth(0)).to_contain_text("Jean Tremblay")
    expect(rows.nth(1)).to_contain_text("Éloïse Gagnon")
    assert_accessible(page, "by-name list under the new policy")
    shot(page, "5-list-new-ranks", lang)
