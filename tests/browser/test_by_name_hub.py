"""The hub worker's by-name list (issue 11, part 7): it opens on active people by rank, finds a person by a
nickname and by birth date, shows the acuity level, exports a workbook and a CSV French Excel opens, and
on a 360 px phone every row's status, worker and chronic status are there without scrolling sideways."""

from __future__ import annotations

import csv
import datetime
import io
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from ancrage.access import services
from ancrage.access.models import ByNameStatus
from ancrage.access.tests.factories import TEST_POLICY, make_entry
from ancrage.core import clock
from ancrage.core.permissions import Role
from ancrage.people.tests.factories import member
from tests.browser.helpers import LOCALES, assert_no_horizontal_scroll, switch_language, text

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 360, "height": 780}, "is_mobile": True, "has_touch": True}


def _entry(actor, org, worker, first, last, *, born, acuity=None, band="", days_ago=10):
    entry = make_entry(
        actor,
        org,
        worker=worker,
        legal_first_name=first,
        legal_last_name=last,
        date_of_birth=born,
        entered_on=clock.today() - datetime.timedelta(days=days_ago),
    )
    if acuity is not None:
        entry.acuity_score, entry.acuity_max, entry.acuity_band = acuity, 25, band
        entry.save(update_fields=["acuity_score", "acuity_max", "acuity_band"])
    return entry


@pytest.fixture
def hub_list(case_manager_a, org_a):
    worker = member(org_a, Role.COORDINATED_ACCESS, first_name="Camille", last_name="Roy")
    anne = _entry(case_manager_a, org_a, worker, "Anne", "Côté", born=datetime.date(1960, 1, 1), days_ago=400)
    services.by_name_status_change(
        actor=case_manager_a, entry=anne, status=ByNameStatus.HOUSED, reason="Logée"
    )
    _entry(
        case_manager_a, org_a, worker, "Marie", "Robitaille", born=datetime.date(1988, 11, 2), acuity=8,
        band="rapid_rehousing", days_ago=200,
    )  # fmt: skip
    _entry(
        case_manager_a,
        org_a,
        worker,
        "Robert",
        "Tremblay",
        born=datetime.date(1970, 3, 4),
        acuity=20,
        band="act",
    )
    policy = services.policy_draft_create(actor=case_manager_a, text=TEST_POLICY)
    services.policy_activate(actor=case_manager_a, policy=policy, reason="Adoptée par le comité")
    return worker


def _download(page, selector: str):
    with page.expect_download() as info:
        page.locator(selector).click()
    download = info.value
    return download.suggested_filename, Path(download.path()).read_bytes()


def test_hub_worker_finds_people_and_exports_the_list(page, lang, login, assert_accessible, shot, hub_list):
    login(page, hub_list)
    if lang == "en":
        switch_language(page, "en")
    page.goto("/access/")
    rows = page.locator("#results tbody tr")
    # Active people by rank: Anne, housed, is not on the page the list opens on.
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("Robert Tremblay")
    expect(rows.nth(1)).to_contain_text("Marie Robitaille")
    expect(page.locator("#id_status")).to_have_value("active")
    expect(page.locator("thead th[aria-sort='ascending']")).to_contain_text(text(lang, "Rang", "Rank"))
    # The acuity level beside the score, the recommendation below.
    expect(rows.nth(0).locator(".acuity")).to_contain_text(
        text(lang, "Acuité 20 / 25 · Acuité élevée", "Acuity 20 / 25 · High acuity")
    )
    expect(rows.nth(1).locator(".acuity-level")).to_have_text(text(lang, "Acuité faible", "Low acuity"))
    assert_accessible(page, "by-name list, active by rank")
    shot(page, "1-active-by-rank", lang)

    # A nickname finds the name (the registry's rule): Bob is Robert.
    page.fill("#id_search", "Bob")
    page.locator("#id_search").press("Enter")
    expect(page).to_have_url(re.compile(r"search=Bob"))
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Robert Tremblay")

    # The birth date finds Marie.
    page.fill("#id_search", "")
    page.fill("#id_born", "1988-11-02")
    page.locator("#id_born").dispatch_event("change")
    expect(page).to_have_url(re.compile(r"born=1988-11-02"))
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Marie Robitaille")
    assert_accessible(page, "by-name list, found by birth date")
    shot(page, "2-by-birth-date", lang)
    page.fill("#id_born", "")
    page.locator("#id_born").dispatch_event("change")
    expect(rows).to_have_count(2)

    # The workbook is the first export: rank, score, policy version first; its name in the user's language.
    name, content = _download(page, "#export-xlsx")
    assert name.startswith(text(lang, "liste-par-nom-", "by-name-list-"))
    assert name.endswith(".xlsx")
    sheet = list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))
    assert sheet[0][:4] == tuple(
        text(
            lang,
            "Rang|Score de priorité|Version de la politique de priorité|Nom",
            "Rank|Priority score|Priority policy version|Name",
        ).split("|")
    )
    assert sheet[1][0] == 1
    assert sheet[1][3].startswith("Robert")
    assert len(sheet) == 3

    # The CSV: in French, `;` between cells and a byte-order mark, as French Excel reads it.
    name, content = _download(page, "#export-csv")
    assert name.endswith(".csv")
    body = content.decode("utf-8")
    assert body.startswith("\ufeff")
    separator = text(lang, ";", ",")
    lines = list(csv.reader(io.StringIO(body[1:]), delimiter=separator))
    assert lines[0][0] == text(lang, "Rang", "Rank")
    assert lines[1][0] == "1"
    assert lines[1][lines[0].index(text(lang, "Niveau d'acuité", "Acuity level"))] == text(
        lang, "Acuité élevée", "High acuity"
    )


def test_the_list_on_a_phone(new_page, lang, login, assert_accessible, shot, hub_list):
    page = new_page(LOCALES[lang], **PHONE)
    login(page, hub_list)
    if lang == "en":
        switch_language(page, "en")
    page.goto("/access/")
    rows = page.locator("#results tbody tr")
    expect(rows).to_have_count(2)
    assert_no_horizontal_scroll(page, "by-name list (phone)")
    first = rows.first
    # Each row is a card: its status, worker and chronic status are on the screen, named.
    for cell, label in [
        ("td.status", text(lang, "Statut", "Status")),
        ("td.worker", text(lang, "Intervenant·e de référence", "Reference worker")),
        ("td.chronic-cell", text(lang, "Chronique", "Chronic")),
    ]:
        located = first.locator(cell)
        located.scroll_into_view_if_needed()
        expect(located).to_be_visible()
        expect(located).to_have_attribute("data-label", label)
        box = located.bounding_box()
        assert box is not None
        assert box["x"] >= 0
        assert box["x"] + box["width"] <= 360.5
    expect(first.locator("td.status")).to_contain_text(text(lang, "Actif·ve", "Active"))
    expect(first.locator("td.worker")).to_contain_text("Camille Roy")
    first.locator("td.chronic-cell summary").tap()
    expect(first.locator("td.chronic-cell details p")).to_be_visible()
    assert_accessible(page, "by-name list (phone)")
    shot(page, "3-phone", lang)
