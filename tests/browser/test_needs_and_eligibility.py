"""A person's needs and preferences, and what eligibility reads of them, in French and in English.

A coordinated-access worker opens the by-name list, follows "Needs and preferences" from the row's Actions
menu, records a couple household, an elevator and two preferred areas (a neighbourhood, a whole borough). The
person's eligibility page then says why a youth Housing First program does not take them (age) and why an
open unit does not fit (no elevator, another area). The housing specialist sees the unit in the unit list.

The French run checks the catalogue's wording (locale/fr/LC_MESSAGES/django.po), the English run the
source strings.
"""

from __future__ import annotations

import datetime
import re

import pytest
from playwright.sync_api import Page, expect

from ancrage.access import services
from ancrage.access.models import ByNameEntry
from ancrage.access.tests.factories import make_entry
from ancrage.core import clock
from ancrage.core.permissions import Role
from ancrage.housing.models import Area, Unit
from ancrage.organisations.models import Program
from ancrage.people.tests.factories import ProgramFactory, member
from tests.browser.helpers import LOCALES, switch_language, text

pytestmark = pytest.mark.browser

NBSP = "\u00a0"
ADDRESS = "4820, rue Sherbrooke Est, app. 12"
NEIGHBOURHOOD = "Mercier-Est"


def _age(born: datetime.date, on: datetime.date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def test_needs_and_eligibility(
    new_page,
    lang,
    login,
    assert_accessible,
    shot,
    org_a,
    shared_org,
    case_manager_a,
    housing_specialist,
):
    today = clock.today()
    worker = member(org_a, Role.COORDINATED_ACCESS, first_name="Camille", last_name="Roy")
    born = datetime.date(1970, 5, 17)
    age = _age(born, today)
    entry = make_entry(
        case_manager_a,
        org_a,
        worker=worker,
        legal_first_name="Nadia",
        legal_last_name="Bouchard",
        date_of_birth=born,
    )
    person = entry.participant
    program = ProgramFactory(
        organisation=org_a,
        kind=Program.Kind.ICM,
        name="Suivi intensif jeunesse",
        name_en="Youth intensive case management",
        eligibility=[{"criterion": "age", "rule": "must", "min": 18, "max": 24}],
    )
    unit = Unit.objects.create(
        organisation=shared_org,
        address=ADDRESS,
        area=Area.objects.get(name_fr=NEIGHBOURHOOD),
        kind="scattered_site",
        bedrooms=1,
        monthly_rent=900,
        features=[],
        available_from=today,
        added_by=housing_specialist,
    )
    services.openings_create(actor=housing_specialist, unit=unit)

    def sign_in(user) -> Page:
        page = new_page(LOCALES["fr"])
        login(page, user)
        if lang == "en":
            switch_language(page, "en")
        return page

    # --- 1. The by-name list: the row's Actions menu leads to the person's needs and preferences. -------
    page = sign_in(worker)
    page.goto("/access/")
    row = page.locator("#results tbody tr", has_text="Nadia Bouchard")
    expect(row).to_have_count(1)
    row.locator(".row-actions button.dropdown-toggle").click()
    link = row.locator(f".dropdown-menu a[href='/access/by-name-list/{person.pk}/profile/']")
    expect(link).to_be_visible()
    expect(link).to_contain_text(text(lang, "Besoins et préférences", "Needs and preferences"))
    assert_accessible(page, "by-name list, Actions menu open")
    shot(page, "01-list-actions", lang)
    link.click()
    expect(page).to_have_url(re.compile(rf"/access/by-name-list/{person.pk}/profile/$"))

    # --- 2. The form: household, an accessibility need, preferred neighbourhoods. ------------------------
    expect(page.locator("main h1")).to_have_text(
        text(lang, "Ménage, besoins et préférences", "Household, needs and preferences")
    )
    expect(page.locator("main")).to_contain_text("Nadia Bouchard")
    page.locator("input[name=household_type][value=couple]").check()
    page.locator("input[name=accessibility_needs][value=elevator]").check()
    rosemont, verdun = Area.objects.get(name_fr="Rosemont"), Area.objects.get(name_fr="Verdun")
    page.select_option("select[name=preferred_areas]", [str(rosemont.pk), str(verdun.pk)])
    assert_accessible(page, "needs and preferences")
    shot(page, "02-profile", lang)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/access/(by-name-list/)?(\?.*)?$"))
    expect(page.locator("main .alert-success")).to_have_text(
        text(
            lang,
            "Profil enregistré. Les rangs seront recalculés dans un instant.",
            "Profile saved. Ranks are recomputed in a moment.",
        )
    )
    assert_accessible(page, "by-name list after saving the profile")
    shot(page, "03-profile-saved", lang)
    entry = ByNameEntry.objects.get(pk=entry.pk)
    assert entry.household_type == "couple"
    assert entry.accessibility_needs == ["elevator"]
    assert entry.preferred_areas == sorted([rosemont.pk, verdun.pk])

    # --- 3. Eligibility: the program's age requirement, the unit's elevator and neighbourhood. ----------
    page.goto(f"/access/eligibility/{person.pk}/")
    expect(page.locator("main h1")).to_contain_text("Nadia Bouchard")
    programs = page.locator("section[aria-labelledby=programs-title]")
    card = programs.locator(".card", has_text=text(lang, program.name, program.name_en))
    expect(card).to_have_count(1)
    expect(card.locator(".badge")).to_have_text(text(lang, "Non admissible", "Not eligible"))
    expect(card.locator("li")).to_have_count(1)
    expect(card.locator("li")).to_contain_text("18")
    expect(card.locator("li")).to_contain_text("24")
    expect(card.locator("li")).to_contain_text(str(age))
    expect(card.locator("li")).to_have_text(
        text(
            lang,
            f"Non{NBSP}: Ne remplit pas le critère «{NBSP}Âge de 18 à 24 ans{NBSP}» : {age} ans.",
            f"No: Does not meet “Age from 18 to 24”: age {age}.",
        )
    )

    units = page.locator("section[aria-labelledby=units-title]")
    unit_card = units.locator(".card", has_text=ADDRESS)
    expect(unit_card).to_have_count(1)
    expect(unit_card.locator(".badge")).to_have_text(text(lang, "Non admissible", "Not eligible"))
    checks = unit_card.locator("li")
    expect(checks).to_have_count(2)
    expect(checks.nth(0)).to_contain_text(text(lang, "Ascenseur", "Elevator"))
    expect(checks.nth(0)).to_contain_text(
        text(
            lang,
            f"Il manque au logement ce dont la personne a besoin{NBSP}: Ascenseur.",
            "The unit lacks what the person needs: Elevator.",
        )
    )
    expect(checks.nth(1)).to_contain_text(
        text(
            lang,
            f"{NEIGHBOURHOOD} ne fait pas partie des secteurs choisis par la personne (Rosemont, Verdun).",
            f"{NEIGHBOURHOOD} is not among the areas the person chose (Rosemont, Verdun).",
        )
    )
    assert_accessible(page, "eligibility for one person")
    shot(page, "04-eligibility", lang)

    # --- 4. The housing specialist's unit list shows the unit. -----------------------------------------
    housing = sign_in(housing_specialist)
    housing.goto("/housing/units/")
    unit_row = housing.locator("main tbody tr", has_text=ADDRESS)
    expect(unit_row).to_have_count(1)
    expect(unit_row).to_contain_text(NEIGHBOURHOOD)
    expect(unit_row.locator(".badge")).to_have_text(text(lang, "Disponible", "Available"))
    assert_accessible(housing, "housing units")
    shot(housing, "05-units", lang)
