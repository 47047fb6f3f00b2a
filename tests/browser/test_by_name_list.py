"""Journey of a coordinated-access worker: the by-name list, its filters and sort, why a person is chronic,
a status change with its reason, and the monthly flow as a table and a chart."""

from __future__ import annotations

import datetime
import re

import pytest
from playwright.sync_api import expect

from ancrage.access import services
from ancrage.access.models import ByNameEntry
from ancrage.access.tests.factories import consent_for_access, make_entry
from ancrage.core import clock
from ancrage.core.permissions import Role
from ancrage.people.tests.factories import member
from tests.browser.helpers import switch_language, text

pytestmark = pytest.mark.browser


def test_coordinated_access_worker_journey(
    page, lang, login, assert_accessible, shot, case_manager_a, case_manager_b, org_a, org_b, settings
):
    # The journey reads its own small figures: no count is small enough to hide here (test_fair_flow hides them).
    settings.ANCRAGE = {**settings.ANCRAGE, "SMALL_COUNT_THRESHOLD": 1}
    today = clock.today()
    worker = member(org_a, Role.COORDINATED_ACCESS, first_name="Camille", last_name="Roy")
    chronic = make_entry(
        case_manager_a,
        org_a,
        worker=worker,
        legal_first_name="Éloïse",
        legal_last_name="Gagnon",
        entered_on=today - datetime.timedelta(days=20),
    )
    services.living_situation_record(
        actor=case_manager_a,
        participant=chronic.participant,
        kind="homeless_unsheltered",
        starts_on=today - datetime.timedelta(days=211),
    )
    make_entry(case_manager_a, org_a, worker=worker, legal_first_name="Jean", legal_last_name="Tremblay")
    shared = make_entry(case_manager_b, org_b, legal_first_name="Bruno", legal_last_name="Bélanger")
    consent_for_access(case_manager_b, shared.participant, [org_a])

    login(page, worker)
    if lang == "en":
        switch_language(page, "en")
    page.locator("nav").get_by_role("link", name=text(lang, "Accès coordonné", "Coordinated access")).click()
    expect(page).to_have_url(re.compile(r"/access/$"))
    expect(page.locator("main h1")).to_have_text(text(lang, "Liste par nom", "By-name list"))
    results = page.locator("#results tbody")
    expect(results.locator("tr")).to_have_count(3)
    expect(results).to_contain_text("Bruno Bélanger")  # another organisation's, shared by consent
    assert_accessible(page, "by-name list")
    shot(page, "1-list", lang)

    # Chronic only: htmx swaps the results and the filter goes into the address.
    page.select_option("#id_chronic", "yes")
    expect(page).to_have_url(re.compile(r"chronic=yes"))
    expect(results.locator("tr")).to_have_count(1)
    expect(results).to_contain_text("Éloïse Gagnon")

    # Back to everybody, sorted by name; the sorted column says so.
    page.select_option("#id_chronic", "")
    expect(results.locator("tr")).to_have_count(3)
    page.locator("thead a.sort-link").first.click()
    expect(page).to_have_url(re.compile(r"sort=name"))
    expect(page.locator("thead th[aria-sort='ascending']")).to_contain_text(text(lang, "Nom", "Name"))
    expect(results.locator("tr").first).to_contain_text("Bruno Bélanger")
    # A filter chosen after sorting keeps the sort (the list opened on active people: every status, then
    # active again).
    page.select_option("#id_status", "")
    expect(page).to_have_url(re.compile(r"status=&.*sort=name|sort=name.*status=(&|$)"))
    page.select_option("#id_status", "active")
    expect(page).to_have_url(re.compile(r"status=active.*sort=name|sort=name.*status=active"))
    expect(results.locator("tr")).to_have_count(3)

    # Why is Éloïse chronic? The figures, against the threshold.
    row = results.locator("tr", has_text="Éloïse Gagnon")
    row.locator("details summary").click()
    expect(row.locator("details p")).to_be_visible()
    expect(row.locator("details p")).to_contain_text(
        text(
            lang,
            "212 jours en itinérance dans la dernière année (seuil : 180)",
            "212 days homeless in the past year (threshold: 180)",
        )
    )
    assert_accessible(page, "by-name list, sorted, explanation open")
    shot(page, "2-sorted-explained", lang)

    # Housed: a status change with its reason; a missing reason is said next to the field.
    row.get_by_role("button", name=re.compile("Actions")).click()
    row.get_by_role("link", name=re.compile(text(lang, "Changer le statut", "Change status"))).click()
    expect(page.locator("main h1")).to_contain_text(text(lang, "statut", "status"))
    page.select_option("#id_status", "housed")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#id_reason")).to_have_attribute("aria-invalid", "true")
    assert_accessible(page, "status change with an error")
    shot(page, "3-status-error", lang)
    page.fill("#id_reason", "Logement trouvé avec le programme")
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/access/$"))
    # The list opens on active people: Éloïse, housed now, is under her new status.
    expect(page.locator("#results tbody tr", has_text="Éloïse Gagnon")).to_have_count(0)
    page.select_option("#id_status", "housed")
    expect(page.locator("#results tbody tr", has_text="Éloïse Gagnon")).to_contain_text(
        text(lang, "Logé·e", "Housed")
    )
    assert ByNameEntry.objects.get(pk=chronic.pk).status == "housed"

    # The monthly flow: a table beside the chart, drawn from the same figures.
    page.get_by_role("link", name=text(lang, "Flux mensuel", "Monthly flow")).click()
    expect(page.locator("main h1")).to_have_text(text(lang, "Flux mensuel", "Monthly flow"))
    # The flow is the community's report: the Reports section is the one highlighted.
    expect(page.locator("header nav a.nav-link.active")).to_have_text(text(lang, "Rapports", "Reports"))
    expect(page.locator("#flow-table tbody tr")).to_have_count(12)
    expect(page.locator("#flow-table tbody tr").last.locator("td").nth(4)).to_have_text("1")  # housed
    page.wait_for_function("() => window.Chart && Chart.getChart(document.getElementById('flow-chart'))")
    assert_accessible(page, "monthly flow")
    shot(page, "4-flow", lang)

    # A referral comes in: record it, then look for the person in the registry before the intake.
    page.get_by_role("link", name=text(lang, "Liste par nom", "By-name list")).click()
    page.locator("main").get_by_role("link", name=text(lang, "Références", "Referrals")).click()
    page.get_by_role("link", name=text(lang, "Nouvelle référence", "New referral")).click()
    page.fill("#id_person_name", "Jean Tremblay")
    page.select_option("#id_source_kind", "shelter")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#id_reason")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_person_name")).to_have_value("Jean Tremblay")
    assert_accessible(page, "new referral with an error")
    shot(page, "5-referral-error", lang)
    page.fill("#id_reason", "Dort au refuge depuis trois mois")
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/access/referrals/\d+/intake/$"))
    expect(page.locator("section[aria-labelledby=matches-title]")).to_contain_text("Jean Tremblay")
    assert_accessible(page, "start the intake")
    shot(page, "6-intake-search", lang)
