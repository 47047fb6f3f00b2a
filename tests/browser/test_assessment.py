"""A case manager on a phone administers the acuity screener: start, a section, save for later, resume,
a follow-up question that appears, completion, and the band in words."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from ancrage.assessments.models import Administration
from ancrage.assessments.tests.factories import load_shipped_instruments
from tests.browser.helpers import LOCALES, assert_no_horizontal_scroll, switch_language, text

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def test_assessment_journey(new_page, lang, login, assert_accessible, shot, case_manager_a, participant_a):
    load_shipped_instruments()
    page = new_page(LOCALES["fr"], **PHONE)
    login(page, case_manager_a)
    if lang == "en":
        switch_language(page, "en")

    def check(name: str, step: str) -> None:
        assert_no_horizontal_scroll(page, name)
        assert_accessible(page, f"{name} (phone, {lang})")
        shot(page, step, lang)

    # From the participant's file to their assessments.
    page.goto(f"/participants/{participant_a.pk}/")
    page.locator(".quick-actions").get_by_role("link", name=text(lang, "Évaluations", "Assessments")).tap()
    expect(page.locator("main h1")).to_have_text(text(lang, "Évaluations", "Assessments"))
    check("assessment list", "1-list")

    page.get_by_role("link", name=text(lang, "Commencer une évaluation", "Start an assessment")).tap()
    expect(page.locator("main h1")).to_have_text(
        text(lang, "Commencer une évaluation", "Start an assessment")
    )
    check("start page", "2-start")
    page.get_by_text(text(lang, "Outil de tri de l'acuité", "Acuity screener"), exact=False).tap()
    page.locator("main form button[type=submit]").tap()
    expect(page.locator("main h2")).to_have_text(text(lang, "Parcours résidentiel", "Housing history"))
    expect(page.locator("#progress-label")).to_have_text(text(lang, "Section 1 de 6", "Section 1 of 6"))

    # A number out of range: the message sits next to the question, in the user's language; nothing is lost.
    page.fill("#id_months_homeless", "99")
    page.get_by_text(text(lang, "Dans un refuge", "In a shelter"), exact=False).tap()
    page.locator("button[value=next]").tap()
    expect(page.locator("#id_months_homeless_error")).to_have_text(
        text(lang, "Entrez un nombre de 0 à 36.", "Enter a number from 0 to 36.")
    )
    expect(page.locator("#id_months_homeless")).to_have_value("99")
    expect(page.locator("input[name=slept_last_night][value=shelter]")).to_be_checked()
    check("a question out of range", "3-error")

    # The first section, then "save and continue later".
    page.fill("#id_months_homeless", "14")
    page.locator("input[name=episodes__special][value=doesnt_know] + label").tap()
    page.locator("input[name=evicted][value=yes] + label").tap()
    check("first section", "4-section")
    page.locator("button[value=later]").tap()
    expect(page.locator(".alert-success")).to_be_visible()
    expect(page.locator(".assessment-list")).to_contain_text(text(lang, "En cours", "In progress"))
    check("list with an assessment in progress", "5-saved")

    # Resumed: the answers are there.
    page.get_by_role("link", name=text(lang, "Reprendre", "Continue")).tap()
    expect(page.locator("#id_months_homeless")).to_have_value("14")
    # "Participant declines or postpone" keeps the page's answers and asks for a reason; cancel goes back.
    page.locator("button[value=close]").tap()
    expect(page.locator("main h1")).to_have_text(text(lang, "Refuser ou reporter", "Decline or postpone"))
    check("decline or postpone", "5b-close")
    page.get_by_role("link", name=text(lang, "Annuler", "Cancel")).tap()
    expect(page.locator("#id_months_homeless")).to_have_value("14")
    expect(page.locator("input[name=episodes__special][value=doesnt_know]")).to_be_checked()
    page.locator("button[value=next]").tap()

    # Health: "yes" to mental health opens a follow-up question on the same page.
    expect(page.locator("#progress-label")).to_have_text(text(lang, "Section 2 de 6", "Section 2 of 6"))
    expect(page.locator("input[name=medication_trouble]")).to_have_count(0)
    page.locator("input[name=chronic_condition][value=yes] + label").tap()
    page.locator("input[name=mental_health][value=yes] + label").tap()
    page.locator("button[value=next]").tap()
    expect(page.locator("input[name=medication_trouble]")).to_have_count(2 + 1)  # yes, no, refused
    check("a follow-up question", "6-follow-up")
    page.locator("input[name=medication_trouble][value=yes] + label").tap()
    page.locator("button[value=next]").tap()

    # Substance use: daily use opens its follow-up too.
    expect(page.locator("#progress-label")).to_have_text(text(lang, "Section 3 de 6", "Section 3 of 6"))
    page.locator("input[name=use_frequency][value=daily] + label").tap()
    page.locator("button[value=next]").tap()
    page.locator("input[name=use_consequences][value=yes] + label").tap()
    page.locator("button[value=next]").tap()
    for number in (4, 5):
        expect(page.locator("#progress-label")).to_have_text(
            text(lang, f"Section {number} de 6", f"Section {number} of 6")
        )
        page.locator("button[value=next]").tap()

    # The last section: a 1-10 scale, then "complete".
    expect(page.locator("#progress-label")).to_have_text(text(lang, "Section 6 de 6", "Section 6 of 6"))
    page.locator("input[name=loneliness][value='7'] + label").tap()
    check("last section", "7-last")
    page.locator("button[value=complete]").tap()

    expect(page).to_have_url(re.compile(r"/assessments/\d+/result/$"))
    administration = Administration.objects.get(participant=participant_a)
    assert administration.status == Administration.Status.COMPLETED
    total = administration.score["total"]
    expect(page.locator("#result-total")).to_contain_text(
        text(
            lang,
            f"{total} sur {administration.score['max_total']}",
            f"{total} of {administration.score['max_total']}",
        )
    )
    band = next(
        b for b in administration.version.definition["bands"] if b["key"] == administration.score["band"]
    )
    expect(page.locator("#result-band")).to_have_text(band["label"][lang])
    check("result", "8-result")
