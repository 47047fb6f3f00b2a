"""An administrator checks that the scheduled jobs run: late before the scheduler's first run, on time after."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from ancrage.core import scheduling
from tests.browser.helpers import switch_language, text

pytestmark = pytest.mark.browser


def test_administrator_sees_late_jobs_then_jobs_on_time(
    page, lang, login, assert_accessible, shot, administrator
):
    login(page, administrator)
    if lang == "en":
        switch_language(page, "en")
    page.locator("nav a[href='/health/']").click()
    expect(page).to_have_url(re.compile(r"/health/$"))
    expect(page.locator("main h1")).to_have_text(
        text(lang, "Tâches planifiées et travail en arrière-plan", "Scheduled jobs and background work")
    )
    rows = page.locator("main table tbody tr")
    expect(rows).to_have_count(len(scheduling.jobs()))
    late = text(lang, "en retard", "late")
    for i in range(rows.count()):
        expect(rows.nth(i).locator(".badge")).to_have_text(late)
    expect(page.locator("main [role=alert]")).to_be_visible()
    assert_accessible(page, "health, jobs late")

    scheduling.enqueue_all_due()  # the scheduler starts: every job's latest due time runs
    page.reload()
    on_time = text(lang, "à l’heure", "on time")
    for i in range(rows.count()):
        expect(rows.nth(i).locator(".badge")).to_have_text(on_time)
    expect(page.locator("main [role=status]")).to_contain_text(
        text(lang, "Tout s’exécute à temps.", "Everything runs on time.")
    )
    assert_accessible(page, "health, jobs on time")
    shot(page, "on-time", lang)
