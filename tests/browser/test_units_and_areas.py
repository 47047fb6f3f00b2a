"""A housing specialist corrects a unit's area, holds it out of matching, releases it and opens it: a person
who chose the whole borough is proposed at once for a unit in one of its neighbourhoods. French and English.

Two people are on the list: the higher-ranked one chose Anjou, the other the borough of Verdun. The unit is
first in Verdun's borough as a whole, corrected to L'Île-des-Sœurs (a neighbourhood of Verdun), held for
repairs (its opening is cancelled: it leaves matching), released, then opened for matching: the person who
chose Verdun is proposed at once, and the higher-ranked person is passed over because of the area they chose.
"""

from __future__ import annotations

import datetime
import re

import pytest
from playwright.sync_api import Page, expect

from ancrage.access import services
from ancrage.access.models import Match, Opening
from ancrage.access.tests.factories import TEST_POLICY, consent_for_access, make_entry
from ancrage.core import clock
from ancrage.housing.models import Area, Unit
from tests.browser.helpers import LOCALES, switch_language, text

pytestmark = pytest.mark.browser

NBSP = "\u00a0"
ADDRESS = "455, rue Elgar, app. 3"


def _person(actor, org, first, acuity, area, shared_org):
    entry = make_entry(
        actor,
        org,
        legal_first_name=first,
        legal_last_name="Tremblay",
        date_of_birth=datetime.date(1972, 3, 3),
        entered_on=clock.today() - datetime.timedelta(days=60),
    )
    entry.acuity_score, entry.acuity_max, entry.acuity_band = acuity, 25, "housing_first_icm"
    entry.preferred_areas = [area.pk]
    entry.save()
    # The housing team sees the people proposed for its units within what consent allows.
    consent_for_access(actor, entry.participant, [shared_org])
    return entry


def test_unit_area_hold_release_and_open(
    new_page, lang, login, assert_accessible, shot, org_a, shared_org, case_manager_a, housing_specialist
):
    verdun = Area.objects.get(name_fr="Verdun")
    island = Area.objects.get(name_fr="L'Île-des-Sœurs")
    anjou = _person(case_manager_a, org_a, "Aline", 22, Area.objects.get(name_fr="Anjou"), shared_org)
    chose_verdun = _person(case_manager_a, org_a, "Benoît", 15, verdun, shared_org)
    policy = services.policy_draft_create(actor=case_manager_a, text=TEST_POLICY)
    services.policy_activate(actor=case_manager_a, policy=policy, reason="Adoptée")
    unit = Unit.objects.create(
        organisation=shared_org,
        address=ADDRESS,
        area=verdun,
        kind="scattered_site",
        bedrooms=1,
        monthly_rent=850,
        available_from=clock.today(),
        added_by=housing_specialist,
    )
    (first_opening,) = services.openings_create(actor=housing_specialist, unit=unit)

    page: Page = new_page(LOCALES["fr"])
    login(page, housing_specialist)
    if lang == "en":
        switch_language(page, "en")

    # --- 1. The unit list, filtered by the borough, leads to the unit. ---------------------------------
    page.goto("/housing/units/")
    page.select_option("select[name=area]", str(verdun.pk))
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    row = page.locator("main tbody tr", has_text=ADDRESS)
    expect(row).to_contain_text("Verdun")
    assert_accessible(page, "units filtered by area")
    with page.expect_navigation():
        row.locator("a").click()
    expect(page.locator("main h1")).to_contain_text(ADDRESS)

    # --- 2. Correct its area: a neighbourhood of the borough. -------------------------------------------
    with page.expect_navigation():
        page.get_by_role("link", name=text(lang, "Corriger le logement", "Correct the unit")).click()
    area = page.locator("select[name=area]")
    expect(area).to_have_value(str(verdun.pk))
    area.select_option(str(island.pk))
    assert_accessible(page, "correct the unit")
    shot(page, "01-edit", lang)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    expect(page.locator("main .alert-success")).to_have_text(
        text(lang, "Le logement est enregistré.", "The unit is saved.")
    )
    expect(page.locator("main dl")).to_contain_text(
        text(lang, "L'Île-des-Sœurs · Verdun", "Nuns' Island · Verdun")
    )

    # --- 3. Hold it: a reason is required; held, its opening is cancelled (out of matching). -------------
    hold = page.locator("form[action$='/hold/']")
    with page.expect_navigation():
        hold.locator("button[type=submit]").click()
    expect(page.locator("main .invalid-feedback, main .errorlist").first).to_be_visible()
    page.fill("textarea[name=reason], input[name=reason]", "Peinture jusqu'au 15")
    with page.expect_navigation():
        page.locator("form[action$='/hold/'] button[type=submit]").click()
    expect(page.locator("main .alert-success")).to_contain_text(text(lang, "en suspens", "on hold"))
    expect(page.locator("main h1 .badge")).to_have_text(text(lang, "En suspens", "On hold"))
    expect(page.locator("main dl")).to_contain_text("Peinture jusqu'au 15")
    assert_accessible(page, "a unit on hold")
    shot(page, "02-on-hold", lang)
    first_opening.refresh_from_db()
    assert first_opening.status == Opening.Status.CANCELLED
    page.goto("/access/openings/")
    expect(page.locator("main")).not_to_contain_text(ADDRESS)

    # --- 4. Release it, then open it for matching: a proposal at once. -----------------------------------
    page.goto(f"/housing/units/{unit.pk}/")
    with page.expect_navigation():
        page.locator("form[action$='/release/'] button[type=submit]").click()
    expect(page.locator("main h1 .badge")).to_have_text(text(lang, "Disponible", "Available"))
    with page.expect_navigation():
        page.locator("form[action$='/offer/'] button[type=submit]").click()
    opening = Opening.objects.get(unit=unit, status=Opening.Status.MATCHING)
    expect(page).to_have_url(re.compile(rf"/access/openings/{opening.pk}/$"))
    expect(page.locator("main .alert-success")).to_have_text(
        text(
            lang,
            "Le logement est ouvert au jumelage. Une personne a été proposée aussitôt (rang 2).",
            "The unit is open for matching. One person was proposed at once (rank 2).",
        )
    )
    matches = page.locator("section[aria-labelledby=matches-title]")
    expect(matches).to_contain_text("Benoît Tremblay")
    expect(matches).not_to_contain_text("Aline Tremblay")
    assert_accessible(page, "the opening with its proposal")
    shot(page, "03-proposed", lang)
    match = Match.objects.get(opening=opening)
    assert match.entry_id == chose_verdun.pk

    # --- 5. The match says why: the borough chosen covers the unit's neighbourhood; Aline passed over. ---
    with page.expect_navigation():
        matches.locator("a", has_text="Benoît Tremblay").click()
    why = page.locator("section[aria-labelledby=why-title]")
    expect(why).to_contain_text(
        text(
            lang,
            "Dans un secteur choisi par la personne (L'Île-des-Sœurs).",
            "In an area the person chose (Nuns' Island).",
        )
    )
    expect(why).to_contain_text(
        text(
            lang,
            "L'Île-des-Sœurs ne fait pas partie des secteurs choisis par la personne (Anjou).",
            "Nuns' Island is not among the areas the person chose (Anjou).",
        )
    )
    assert_accessible(page, "the match and its reasons")
    shot(page, "04-match", lang)
    assert anjou.pk != chose_verdun.pk
