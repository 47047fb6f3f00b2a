"""Exits as F1–F3 say, in a real browser and both languages: a graduation with a later re-administration
and its readiness indicators; an unplanned exit of a person lost to contact, with the B12 warning."""

from __future__ import annotations

import datetime
import re

import pytest
from playwright.sync_api import expect

from ancrage.assessments.models import Instrument
from ancrage.assessments.tests.factories import load_shipped_instruments
from ancrage.casework.models import AssessmentSchedule, Enrollment, Exit, ReengagementPlan
from ancrage.casework.tests.test_exits_services import completed
from ancrage.core import clock
from ancrage.organisations.models import Program
from ancrage.people.tests.factories import ProgramFactory
from tests.browser.helpers import switch_language, text

pytestmark = pytest.mark.browser


@pytest.fixture
def enrollment(participant_a, org_a, case_manager_a):
    return Enrollment.objects.create(
        participant=participant_a,
        program=ProgramFactory(organisation=org_a, kind=Program.Kind.ICM),
        primary_worker=case_manager_a,
        enrolled_on=clock.today() - datetime.timedelta(days=100),
    )


def test_graduation_with_a_later_re_administration_and_readiness_indicators(
    page, lang, login, assert_accessible, shot, case_manager_a, participant_a, enrollment
):
    load_shipped_instruments()
    AssessmentSchedule.objects.create(
        program=enrollment.program,
        instrument=Instrument.objects.get(key="progress_scale"),
        within_days_of_enrollment=10,
    )
    baseline = completed(case_manager_a, participant_a, days_ago=95)
    again = completed(case_manager_a, participant_a, days_ago=1)

    login(page, case_manager_a)
    if lang == "en":
        switch_language(page, "en")
    page.goto(f"/participants/{participant_a.pk}/exit/")
    page.get_by_role("link", name=re.compile(text(lang, "^Réussite", "^Graduation"))).click()
    expect(page.locator("main h1")).to_have_text(text(lang, "Réussite", "Graduation"))
    # The baseline is not offered as its own re-administration; the later one is.
    expect(page.locator(f"input[name=graduation_assessment][value='{baseline.pk}']")).to_have_count(0)
    page.locator(f"input[name=graduation_assessment][value='{again.pk}']").check()
    # The organisation gave no complaint procedure: the date is not prefilled.
    expect(page.locator("#id_procedure_given_on")).to_have_value("")
    assert_accessible(page, "graduation form")
    shot(page, "form", lang)

    # Two indicators only, no reason: refused in words, nothing lost.
    page.locator("#id_stable_housing").check()
    page.locator("#id_follow_up_care").check()
    page.fill("#id_procedure_given_on", clock.today().isoformat())
    page.get_by_role("button", name=text(lang, "Enregistrer la fin de service", "Record the exit")).click()
    expect(page.locator("#id_readiness_note").locator("xpath=..")).to_contain_text(
        text(lang, "supplément au loyer", "rent supplement")
    )
    expect(page.locator("#id_stable_housing")).to_be_checked()
    assert not Exit.objects.exists()
    assert_accessible(page, "graduation form with its errors")
    page.fill("#id_readiness_note", "Logement social : aucun supplément requis")
    page.get_by_role("button", name=text(lang, "Enregistrer la fin de service", "Record the exit")).click()

    expect(page).to_have_url(re.compile(r"/exits/\d+/$"))
    readiness = page.locator("#readiness")
    expect(readiness).to_contain_text(
        text(lang, "Logement stable et abordable", "Stable, affordable housing")
    )
    expect(readiness).to_contain_text(text(lang, "pas en place", "not in place"))
    expect(page.locator("main")).to_contain_text("Logement social : aucun supplément requis")
    exit_ = Exit.objects.get()
    assert (exit_.stable_housing, exit_.rent_supplement, exit_.follow_up_care) == (True, False, True)
    assert exit_.graduation_assessment == again
    assert_accessible(page, "graduation record")
    shot(page, "record", lang)


def test_unplanned_exit_of_a_person_lost_to_contact_warns_of_b12(
    page, lang, login, assert_accessible, shot, case_manager_a, participant_a, enrollment
):
    ReengagementPlan.objects.create(
        enrollment=enrollment,
        participant=participant_a,
        started_on=clock.today() - datetime.timedelta(days=6),
    )
    login(page, case_manager_a)
    if lang == "en":
        switch_language(page, "en")
    page.goto(f"/participants/{participant_a.pk}/exit/")
    page.get_by_role(
        "link", name=re.compile(text(lang, "^Fin de service non planifiée", "^Unplanned exit"))
    ).click()
    warning = page.locator("#lost-contact-warning")
    expect(warning).to_contain_text(
        text(
            lang,
            "La perte de contact est une raison de reprendre contact, pas de mettre fin au service.",
            "Lost contact is a reason to re-engage, not to discharge.",
        )
    )
    expect(warning.get_by_role("link")).to_have_attribute(
        "href", f"/participants/{participant_a.pk}/reengagement/"
    )
    assert_accessible(page, "unplanned exit form (lost contact)")
    shot(page, "warning", lang)

    page.select_option("#id_reason", "participant_ended")
    page.select_option("#id_destination", "unknown")
    page.fill("#id_no_referrals_reason", "Injoignable depuis six semaines")
    page.fill("#id_procedure_given_on", clock.today().isoformat())
    page.get_by_role("button", name=text(lang, "Enregistrer la fin de service", "Record the exit")).click()
    expect(page.locator("#id_lost_contact_reason").locator("xpath=..")).to_contain_text(
        text(lang, "pas de mettre fin au service", "not to discharge")
    )
    expect(page.locator("#id_no_referrals_reason")).to_have_value("Injoignable depuis six semaines")
    assert not Exit.objects.exists()
    assert_accessible(page, "unplanned exit form with its errors")

    page.fill("#id_lost_contact_reason", "A déménagé en Alberta, confirmé par sa sœur")
    page.get_by_role("button", name=text(lang, "Enregistrer la fin de service", "Record the exit")).click()
    expect(page).to_have_url(re.compile(r"/exits/\d+/$"))
    expect(page.locator("main")).to_contain_text("A déménagé en Alberta, confirmé par sa sœur")
    assert ReengagementPlan.objects.get().status == ReengagementPlan.Status.CLOSED
    assert_accessible(page, "unplanned exit record")
    shot(page, "record", lang)
