"""Intensive case management, the case manager's day on a phone (issue 4), in French and in English.

In the morning Julie opens her caseload on her phone and sees who has not been seen this week, whose plan or
assessment is due, who has a risk plan and what happened overnight. She plans a field visit to Marc, starts it
(her team lead sees it under way), ends it, and logs the contact with the goal discussed in a few taps.

New strings may not be in the French catalogue yet: the French run checks names, numbers, addresses and
structure, the English run the wording too.
"""

from __future__ import annotations

import datetime
import re

import pytest
from playwright.sync_api import Page, expect

from ancrage.casework.models import (
    Contact,
    Exit,
    FieldVisit,
    Goal,
    Incident,
    RecoveryPlan,
    ServiceReferral,
    Step,
)
from ancrage.casework.referrals import services as services_referrals
from ancrage.casework.tests.test_plans_pdf import pdf_text
from ancrage.core import clock
from tests.browser.casework_world import PHONE, Taps, assert_tap_target, build_world, signer, submit
from tests.browser.helpers import LOCALES, assert_no_horizontal_scroll, switch_language, text

pytestmark = pytest.mark.browser


def _open_flags(page) -> None:
    """On a phone the caseload's flags fold into one filter: open it unless it is open."""
    flags = page.locator("details:has(> summary.flag-chip)")
    if flags.get_attribute("open") is None:
        flags.locator("> summary").tap()


@pytest.mark.both_languages
def test_case_manager_morning_and_field_visit_on_a_phone(
    new_page, lang, login, assert_accessible, shot, org_a, case_manager_a, participant_a
):
    w = build_world(org_a, case_manager_a, participant_a)

    def sign_in(user, **options) -> Page:
        page = new_page(LOCALES["fr"], **options)
        login(page, user)
        if lang == "en":
            switch_language(page, "en")
        return page

    def check_page(page: Page, name: str) -> None:
        assert_no_horizontal_scroll(page, name)
        assert_accessible(page, f"{name} (phone)")

    # --- The morning: the home page leads to "my caseload". ------------------------------------------
    page = sign_in(w.worker, **PHONE)
    check_page(page, "home")
    page.locator("main a[href='/casework/']").last.tap()
    expect(page).to_have_url(re.compile(r"/casework/$"))
    if lang == "en":
        expect(page.locator("main h1")).to_have_text("My caseload")
    check_page(page, "my caseload")
    shot(page, "1-caseload", lang)

    rows = page.locator("main li.caseload-row")
    expect(rows).to_have_count(2)
    eloise = rows.filter(has_text="Éloïse Gagnon")
    marc = rows.filter(has_text="Marc Pelletier")
    if lang == "en":
        for label in (
            "New incident",
            "Risk plan",
            "Not seen this week",
            "Plan overdue",
            "Assessment overdue",
        ):
            expect(eloise.locator(".badge", has_text=label)).to_be_visible()
        for label in ("Not seen this week", "Plan review due", "Assessment overdue"):
            expect(marc.locator(".badge", has_text=label)).to_be_visible()
        expect(marc.locator(".badge", has_text="Risk plan")).to_have_count(0)
        expect(marc.locator(".badge", has_text="New incident")).to_have_count(0)
        summary = page.locator("section[aria-labelledby=summary-title]")
        _open_flags(page)
        expect(summary.get_by_role("link", name=re.compile(r"^Not seen this week\s*2$"))).to_be_visible()
        expect(summary.get_by_role("link", name=re.compile(r"^New incident\s*1$"))).to_be_visible()
    else:
        # Whatever the wording, the flags are there: Éloïse has more of them, and the worst ones in red.
        assert eloise.locator(".badge").count() >= 5
        assert marc.locator(".badge").count() >= 3
        assert eloise.locator(".badge.text-bg-danger").count() >= 2
        expect(marc.locator(".badge.text-bg-danger")).to_have_count(0)
    # The incident of the night says what it was.
    if lang == "en":
        expect(eloise).to_contain_text("Hospital or emergency room")

    # Filter on one flag: only Éloïse has a risk plan.
    _open_flags(page)
    page.locator("a.flag-chip[href$='flag=risk_plan']").tap()
    expect(page).to_have_url(re.compile(r"flag=risk_plan"))
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Éloïse Gagnon")
    check_page(page, "my caseload, risk plans only")

    # --- Plan a field visit to Marc, from his file. --------------------------------------------------
    page.goto(f"/participants/{w.marc.pk}/")
    plan_visit = page.locator(f"main a[href='/participants/{w.marc.pk}/visits/new/']").first
    expect(plan_visit).to_be_visible()
    plan_visit.tap()
    expect(page).to_have_url(re.compile(rf"/participants/{w.marc.pk}/visits/new/$"))
    check_page(page, "plan a field visit")
    taps = Taps()
    taps.fill(page.locator("#id_location"), "4125, rue Saint-Denis, app. 3")
    # The start and end are already filled in (in five minutes, for an hour).
    expect(page.locator("#id_planned_start")).not_to_have_value("")
    expect(page.locator("#id_planned_end")).not_to_have_value("")
    shot(page, "2-visit-plan", lang)
    taps.tap(page.locator("main form button[type=submit]"))
    expect(page).to_have_url(re.compile(r"/casework/visits/$"))
    assert taps.count == 2
    visit = FieldVisit.objects.get(participant=w.marc)
    assert visit.worker == w.worker
    assert visit.location == "4125, rue Saint-Denis, app. 3"
    assert visit.status == FieldVisit.Status.PLANNED
    check_page(page, "field visits")

    # --- Start it on arrival. ------------------------------------------------------------------------
    mine = page.locator("section[aria-labelledby=mine-heading] li", has_text="Marc Pelletier")
    start = mine.locator(f"form[action='/casework/visits/{visit.pk}/start/'] button")
    assert_tap_target(start, "the visit's Start button")
    start.tap()
    expect(page.locator("main .alert-success, .alert-success").first).to_be_visible()
    visit.refresh_from_db()
    assert visit.status == FieldVisit.Status.STARTED
    expect(mine.locator(".badge.text-bg-info")).to_be_visible()
    if lang == "en":
        expect(mine.locator(".badge")).to_have_text("Under way")
    shot(page, "3-visit-started", lang)
    check_page(page, "field visits, one under way")
    # The visit has been going on for 45 minutes when Julie leaves Marc's.
    FieldVisit.objects.filter(pk=visit.pk).update(started_at=clock.now() - datetime.timedelta(minutes=45))

    # --- Meanwhile the team lead sees where Julie is and until when. ---------------------------------
    lead = sign_in(w.lead)
    lead.goto("/casework/visits/")
    team_visits = lead.locator("section[aria-labelledby=team-heading]")
    under_way = team_visits.locator("li", has_text="Marc Pelletier")
    expect(under_way).to_be_visible()
    expect(under_way).to_contain_text("4125, rue Saint-Denis, app. 3")
    expect(under_way).to_contain_text("Julie Bouchard")
    expect(under_way.locator(".badge.text-bg-info")).to_be_visible()
    if lang == "en":
        expect(under_way.locator(".badge")).to_have_text("Under way")
    assert_accessible(lead, "field visits of the team lead")
    shot(lead, "4-lead-sees-visit", lang)
    lead.goto("/casework/meeting/")
    marc_row = lead.locator("main table tbody tr", has_text="Marc Pelletier")
    expect(marc_row).to_contain_text("4125, rue Saint-Denis, app. 3")
    if lang == "en":
        expect(marc_row.locator(".badge", has_text="Visit under way")).to_be_visible()
    assert_accessible(lead, "team meeting with a visit under way")

    # --- End the visit, and log the contact in a few taps. -------------------------------------------
    page.reload()
    mine = page.locator("section[aria-labelledby=mine-heading] li", has_text="Marc Pelletier")
    end = mine.locator(f"form[action='/casework/visits/{visit.pk}/end/'] button")
    assert_tap_target(end, "the visit's End button")
    end.tap()
    expect(page).to_have_url(re.compile(rf"/participants/{w.marc.pk}/contacts/new/\?visit={visit.pk}$"))
    visit.refresh_from_db()
    assert visit.status == FieldVisit.Status.ENDED
    check_page(page, "log a contact after the visit")
    shot(page, "5-contact-form", lang)
    # What the visit already says is filled in: a home visit, when it started, 45 minutes, Marc present.
    expect(page.locator("input[name=kind][value=home]")).to_be_checked()
    expect(page.locator("input[name=duration_minutes][value='45']")).to_be_checked()
    expect(page.locator("input[name=participant_present][value=yes]")).to_be_checked()
    expect(page.locator(f"input[name=staff][value='{w.worker.pk}']")).to_be_checked()

    assert_tap_target(page.locator("label[for=id_kind_0]"), "a kind of contact")
    assert_tap_target(page.locator("label[for=id_duration_minutes_0]"), "a duration")
    assert_tap_target(page.locator("label[for=id_participant_present_0]"), "participant present")
    assert_tap_target(page.locator("main form button[type=submit]"), "Save the contact")
    goal_label = page.locator(f"label[for='{page.locator('input[name=goals]').first.get_attribute('id')}']")
    assert_tap_target(goal_label, "a goal discussed")
    staff_label = page.locator(f"label[for='{page.locator('input[name=staff]').first.get_attribute('id')}']")
    assert_tap_target(staff_label, "a staff member present")
    assert_tap_target(page.locator("details.casework-toggle > summary"), "the private note's toggle")
    assert_tap_target(page.locator("label[for=id_duration_minutes_5]"), "another duration")
    taps = Taps()
    goal_box = page.locator(f"input[name=goals][value='{w.marc_goal.pk}']")
    taps.tap(page.locator(f"label[for='{goal_box.get_attribute('id')}']"))
    expect(goal_box).to_be_checked()
    taps.fill(page.locator("#id_shared_note"), "CV commencé ensemble; il veut postuler à l'épicerie.")
    save = page.locator("main form button[type=submit]")
    if lang == "en":
        expect(save).to_have_text("Save the contact")
    taps.tap(save)
    expect(page).to_have_url(re.compile(rf"/participants/{w.marc.pk}/contacts/$"))
    assert taps.count <= 6, f"logging the contact took {taps.count} interactions"
    contact = Contact.objects.get(participant=w.marc)
    assert contact.visit == visit
    assert contact.kind == "home"
    assert contact.duration_minutes == 45
    assert contact.participant_present
    assert list(contact.goals_discussed.all()) == [w.marc_goal]
    assert list(contact.staff.all()) == [w.worker]
    assert contact.shared_note.startswith("CV commencé ensemble")
    expect(page.locator("main")).to_contain_text("CV commencé ensemble")
    check_page(page, "contacts of Marc")
    shot(page, "6-contacts", lang)

    # Back on the caseload, Marc has been seen this week; Éloïse still has not.
    page.goto("/casework/")
    marc = page.locator("main li.caseload-row", has_text="Marc Pelletier")
    eloise = page.locator("main li.caseload-row", has_text="Éloïse Gagnon")
    if lang == "en":
        expect(marc.locator(".badge", has_text="Not seen this week")).to_have_count(0)
        expect(eloise.locator(".badge", has_text="Not seen this week")).to_be_visible()
    expect(marc.locator(".badge.text-bg-warning", has_text=re.compile("seen|vu", re.I))).to_have_count(0)
    # The team lead's meeting screen no longer shows a visit under way.
    lead.reload()
    expect(lead.locator("main table tbody tr", has_text="Marc Pelletier")).not_to_contain_text(
        "4125, rue Saint-Denis"
    )


@pytest.fixture
def world(org_a, case_manager_a, participant_a):
    return build_world(org_a, case_manager_a, participant_a)


@pytest.fixture
def sign_in(new_page, login, lang):
    return signer(new_page, login, lang)


def test_recovery_plan_in_the_participants_words(sign_in, lang, assert_accessible, shot, world):
    w = world
    today = clock.today()
    # The PDF follows the participant's language, not the screen's: Éloïse reads the other one.
    w.eloise.communication_language = "en" if lang == "fr" else "fr-ca"
    w.eloise.save(update_fields=["communication_language"])
    # Written with the participant, at a visit: on a phone.
    page = sign_in(w.worker, **PHONE)

    page.goto(f"/participants/{w.eloise.pk}/")
    page.locator(f"main a[href='/participants/{w.eloise.pk}/plan/']").first.click()
    expect(page).to_have_url(re.compile(rf"/participants/{w.eloise.pk}/plan/$"))
    assert_no_horizontal_scroll(page, "recovery plan, not started")
    assert_accessible(page, "recovery plan, not started")
    submit(page)
    plan = RecoveryPlan.objects.get(enrollment=w.eloise_enrollment)
    expect(page.locator("main .alert-success, .alert-success").first).to_be_visible()
    assert_no_horizontal_scroll(page, "recovery plan, just started")
    assert_accessible(page, "recovery plan, just started")

    # Strengths and crisis strategies, in her words.
    page.locator(f"main a[href='/participants/{w.eloise.pk}/plan/edit/']").click()
    # Measure the edit page once it has loaded, not the document being replaced (a race on a busy machine).
    page.wait_for_url(f"**/participants/{w.eloise.pk}/plan/edit/")
    page.wait_for_load_state()
    assert_no_horizontal_scroll(page, "edit the recovery plan")
    assert_accessible(page, "edit the recovery plan")
    page.fill("#id_strengths", "Elle cuisine pour tout l'immeuble; elle connaît tout le quartier.")
    page.fill("#id_crisis_strategies", "Appeler Josée, sa cousine; aller au parc Lafontaine.")
    shot(page, "1-plan-edit", lang)
    submit(page)
    expect(page).to_have_url(re.compile(rf"/participants/{w.eloise.pk}/plan/$"))
    expect(page.locator("section[aria-labelledby=about-title]")).to_contain_text("Elle cuisine pour tout")
    expect(page.locator("section[aria-labelledby=crisis-title]")).to_contain_text("Appeler Josée")

    # A goal: a review date before the goal's start is refused, clearly, and nothing typed is lost.
    page.locator(f"main a[href='/participants/{w.eloise.pk}/plan/goals/new/']").first.click()
    assert_no_horizontal_scroll(page, "new goal")
    assert_accessible(page, "new goal")
    words = "Avoir mon chez-moi et y inviter ma fille"
    page.fill("#id_words", words)
    page.select_option("#id_stage", "contemplation")
    page.select_option("#id_domain", "housing")
    starts_on = today - datetime.timedelta(days=2)
    page.fill("#id_starts_on", starts_on.isoformat())
    page.fill("#id_review_on", (starts_on - datetime.timedelta(days=10)).isoformat())
    submit(page)
    error = page.locator("#id_review_on_error")
    expect(error).to_be_visible()
    if lang == "en":
        expect(error).to_contain_text("is before the goal's start")
    expect(error).to_contain_text((starts_on - datetime.timedelta(days=10)).isoformat())
    expect(page.locator("#id_words")).to_have_value(words)
    expect(page.locator("#id_stage")).to_have_value("contemplation")
    expect(page.locator("#id_domain")).to_have_value("housing")
    expect(page.locator("#id_starts_on")).to_have_value(starts_on.isoformat())
    assert not Goal.objects.filter(plan=plan).exists()
    assert_no_horizontal_scroll(page, "new goal with an error")
    assert_accessible(page, "new goal with an error")
    shot(page, "2-goal-error", lang)

    page.fill("#id_review_on", (today + datetime.timedelta(days=90)).isoformat())
    submit(page)
    goal = Goal.objects.get(plan=plan)
    assert (goal.words, goal.stage, goal.domain) == (words, "contemplation", "housing")
    expect(page).to_have_url(re.compile(rf"/participants/{w.eloise.pk}/plan/#goal-{goal.pk}$"))
    card = page.locator(f"#goal-{goal.pk}")
    expect(card.locator("q")).to_have_text(words)
    if lang == "en":
        expect(card).to_contain_text("Stage of change: Contemplation")

    # A step: who does it and by when.
    card.locator(f"a[href='/participants/{w.eloise.pk}/plan/goals/{goal.pk}/steps/new/']").click()
    assert_no_horizontal_scroll(page, "new step")
    assert_accessible(page, "new step")
    page.fill("#id_description", "Visiter deux logements avec Julie")
    page.locator("input[name=who][value=both]").check()
    target = today + datetime.timedelta(days=14)
    page.fill("#id_target_on", target.isoformat())
    submit(page)
    step = Step.objects.get(goal=goal)
    assert (step.who, step.target_on) == ("both", target)
    card = page.locator(f"#goal-{goal.pk}")
    expect(card).to_contain_text("Visiter deux logements avec Julie")
    expect(card).to_contain_text(target.isoformat())
    if lang == "en":
        expect(card).to_contain_text("Both together")
    plan.refresh_from_db()
    assert plan.first_completed_on == today
    assert_no_horizontal_scroll(page, "recovery plan with a goal and a step")
    assert_accessible(page, "recovery plan with a goal and a step")
    shot(page, "3-plan", lang)

    # The PDF, in Éloïse's language.
    link = page.locator(f"main a[href='/participants/{w.eloise.pk}/plan.pdf']")
    response = page.request.get(link.get_attribute("href"))
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    body = response.body()
    assert body.startswith(b"%PDF-")
    pdf_lang = b"en-CA" if lang == "fr" else b"fr-CA"
    assert b"/Lang (" + pdf_lang + b")" in body
    words_in_pdf = pdf_text(body)
    assert words in words_in_pdf
    assert "Visiter deux logements avec Julie" in words_in_pdf
    if lang == "fr":  # Éloïse reads English
        assert "Recovery plan" in words_in_pdf
        assert "Contemplation" in words_in_pdf


def test_referral_to_an_employment_service(sign_in, lang, assert_accessible, shot, world, org_a):
    w = world
    provider = services_referrals.provider_create(
        actor=w.lead,
        consortium=org_a.consortium,
        name="Carrefour jeunesse-emploi du Plateau",
        name_en="Plateau Youth Employment Centre",
        kind="employment",
        phone="514-555-0199",
        address="4100, rue Saint-Denis",
    )
    services_referrals.provider_create(
        actor=w.lead, consortium=org_a.consortium, name="Banque alimentaire Mile-End", kind="food"
    )
    provider_name = text(lang, provider.name, provider.name_en)
    page = sign_in(w.worker)

    # The directory, searched for employment services.
    page.goto("/casework/")
    page.locator("main nav a[href='/casework/services/']").click()
    expect(page).to_have_url(re.compile(r"/casework/services/$"))
    assert_accessible(page, "directory of services")
    page.select_option("#id_kind", "employment")
    with page.expect_navigation():
        page.locator("main form[role=search] button[type=submit]").click()
    services_list = page.locator("main ul.list-group")
    expect(services_list).to_contain_text(provider_name)
    expect(services_list).to_contain_text("514-555-0199")
    expect(services_list).not_to_contain_text("Banque alimentaire")
    assert_accessible(page, "directory of services, employment")
    shot(page, "1-directory", lang)

    # Refer Marc to it, from his referrals.
    page.goto(f"/participants/{w.marc.pk}/referrals/")
    assert_accessible(page, "referrals of a participant, none yet")
    page.locator(f"main a[href='/participants/{w.marc.pk}/referrals/new/']").click()
    assert_accessible(page, "refer to a service")
    page.select_option("#id_provider", str(provider.pk))
    page.fill("#id_need", "Marc veut un emploi à temps partiel; il a besoin d'aide pour son CV.")
    submit(page)
    expect(page).to_have_url(re.compile(rf"/participants/{w.marc.pk}/referrals/$"))
    referral = ServiceReferral.objects.get(participant=w.marc)
    assert referral.provider == provider
    assert referral.status == "proposed"

    def step(status: str, note: str = "", appointment: str = "") -> None:
        page.locator(f"main a[href='/participants/{w.marc.pk}/referrals/{referral.pk}/step/']").click()
        page.select_option("#id_status", status)
        if appointment:
            page.fill("#id_appointment_at", appointment)
        if note:
            page.fill("#id_note", note)
        submit(page)
        expect(page).to_have_url(re.compile(rf"/participants/{w.marc.pk}/referrals/$"))
        referral.refresh_from_db()
        assert referral.status == status

    step("approved", note="Marc est d'accord.")
    assert_accessible(page, "referral approved")
    appointment = clock.localtime().replace(hour=10, minute=0, second=0, microsecond=0) + datetime.timedelta(
        days=3
    )
    step("appointment_set", appointment=appointment.strftime("%Y-%m-%dT%H:%M"))
    assert clock.localtime(referral.appointment_at) == appointment
    step("accompanied", note="Julie l'a accompagné au premier rendez-vous.")

    card = page.locator(f"section[aria-labelledby=referral-{referral.pk}]")
    expect(card.locator("h2")).to_contain_text(provider_name)
    when = appointment.strftime("%Y-%m-%d %H:%M" if lang == "en" else "%Y-%m-%d %H\xa0h\xa0%M")
    expect(card).to_contain_text(when)
    attempts = card.locator("ol > li")
    assert attempts.count() >= 3
    expect(card.locator("ol")).to_contain_text("Marc est d'accord.")
    expect(card.locator("ol")).to_contain_text("Julie l'a accompagné au premier rendez-vous.")
    assert list(referral.attempts.values_list("status", flat=True))[-3:] == [
        "approved",
        "appointment_set",
        "accompanied",
    ]
    if lang == "en":
        expect(card.locator("h2 .badge")).to_have_text("Accompanied to the appointment")
        for label in ("Approved by the participant", "Appointment set", "Accompanied to the appointment"):
            expect(card.locator("ol")).to_contain_text(label)
    assert_accessible(page, "referrals with every step")
    shot(page, "2-referral-steps", lang)


def test_police_called_tells_the_team_lead(sign_in, lang, assert_accessible, shot, world, mailoutbox):
    w = world
    w.lead.email = "chloe.chef@example.org"
    w.lead.save(update_fields=["email"])
    page = sign_in(w.worker)
    page.goto(f"/participants/{w.eloise.pk}/incidents/")
    assert_accessible(page, "incidents")
    page.locator(f"main a[href='/participants/{w.eloise.pk}/incidents/new/']").click()
    assert_accessible(page, "record an incident")
    page.select_option("#id_kind", "police_called")
    page.fill("#id_description", "Dispute avec un voisin; la police est venue, personne n'a été arrêté.")
    shot(page, "1-incident-form", lang)
    submit(page)
    expect(page).to_have_url(re.compile(rf"/participants/{w.eloise.pk}/incidents/$"))
    incident = Incident.objects.get(participant=w.eloise, kind="police_called")
    assert incident.team_notified_at is not None
    expect(page.locator("main")).to_contain_text("Dispute avec un voisin")
    if lang == "en":
        expect(page.locator("main ul.list-group li").first).to_contain_text("Police called")

    # The team lead, in their own browser, sees the alert on their home page.
    lead = sign_in(w.lead)
    alerts = lead.locator("section[aria-labelledby=alerts-title]")
    links = alerts.locator(f"a[href='/participants/{w.eloise.pk}/incidents/']")
    expect(links).to_have_count(2)  # the hospital overnight, and the police now
    if lang == "en":
        expect(alerts.get_by_role("link", name="Incident recorded: Police called.")).to_be_visible()
    assert_accessible(lead, "team lead's home with the alert")
    shot(lead, "2-lead-alert", lang)
    links.first.click()
    expect(lead.locator("main")).to_contain_text("Dispute avec un voisin")
    # Éloïse's risk plan asks that the team be told by email too when the police are called.
    assert [m.to for m in mailoutbox] == [["chloe.chef@example.org"]]
    assert "Éloïse Gagnon" in mailoutbox[0].body


def test_unplanned_exit_needs_referrals_or_a_reason(sign_in, lang, assert_accessible, shot, world):
    w = world
    today = clock.today()
    page = sign_in(w.worker)
    page.goto(f"/participants/{w.marc.pk}/")
    # From the file's case management panel to all of the case management, where the exit is.
    page.locator(f"main a[href='/participants/{w.marc.pk}/casework/']").first.click()
    assert_accessible(page, "case management of a participant")
    page.locator(f"main a[href='/participants/{w.marc.pk}/exit/']").first.click()
    assert_accessible(page, "record an exit: its kind")
    page.locator("main a[href*='kind=unplanned']").click()
    assert_accessible(page, "unplanned exit form")
    page.select_option("#id_reason", "participant_ended")
    expect(page.locator("#id_exited_on")).to_have_value(today.isoformat())
    # The shelter's justification is asked only for a shelter.
    justification = page.locator("#id_shelter_justification")
    expect(justification).to_be_hidden()
    page.select_option("#id_destination", "shelter")
    expect(justification).to_be_visible()
    page.select_option("#id_destination", "family")
    expect(justification).to_be_hidden()
    if lang == "en":
        expect(page.locator("label[for=id_no_referrals_reason]")).to_have_text("Why fewer than 3 referrals")
    page.fill("#id_destination_detail", "Chez sa sœur, à Laval")
    # The organisation gave no complaint procedure: its date is typed, never assumed to be today.
    expect(page.locator("#id_procedure_given_on")).to_have_value("")
    page.fill("#id_procedure_given_on", today.isoformat())
    submit(page)

    error = page.locator("#id_no_referrals_reason_error")
    expect(error).to_be_visible()
    if lang == "en":
        expect(error).to_contain_text(
            "An unplanned exit needs referrals to at least 3 housing-stability programs"
        )
    expect(page.locator("main .alert-danger").first).to_be_visible()
    expect(page.locator("#id_reason")).to_have_value("participant_ended")
    expect(page.locator("#id_destination")).to_have_value("family")
    expect(page.locator("#id_destination_detail")).to_have_value("Chez sa sœur, à Laval")
    assert not Exit.objects.exists()
    w.marc_enrollment.refresh_from_db()
    assert w.marc_enrollment.is_active
    assert_accessible(page, "unplanned exit with an error")
    shot(page, "1-exit-error", lang)

    page.fill("#id_no_referrals_reason", "Marc part vivre chez sa sœur et refuse toute autre référence.")
    submit(page)
    exit_ = Exit.objects.get(participant=w.marc)
    assert (exit_.kind, exit_.reason, exit_.destination) == ("unplanned", "participant_ended", "family")
    assert exit_.no_referrals_reason.startswith("Marc part vivre")
    expect(page).to_have_url(re.compile(rf"/participants/{w.marc.pk}/exits/{exit_.pk}/$"))
    expect(page.locator("main")).to_contain_text("Marc part vivre chez sa sœur")
    if lang == "en":
        expect(page.locator("main")).to_contain_text("Unplanned exit")
    assert_accessible(page, "the exit")
    shot(page, "2-exit", lang)

    # His case management page shows the enrollment ended that day.
    page.goto(f"/participants/{w.marc.pk}/casework/")
    past = page.locator("section[aria-labelledby=past-title]")
    expect(past).to_contain_text(text(lang, w.program.name, w.program.name_en))
    expect(past).to_contain_text(today.isoformat())
    expect(page.locator("section[aria-labelledby=current-title] .card")).to_have_count(0)
    # The exit's kind, reason and destination, its page, and nothing to record on an ended enrollment.
    if lang == "en":
        expect(past).to_contain_text("Unplanned exit")
        expect(past).to_contain_text("With family or friends")
    expect(past).to_contain_text("Chez sa sœur, à Laval")
    expect(past.locator(f"a[href='/participants/{w.marc.pk}/exits/{exit_.pk}/']")).to_be_visible()
    expect(page.locator(f"main a[href='/participants/{w.marc.pk}/contacts/new/']")).to_have_count(0)
    expect(page.locator(f"main a[href='/participants/{w.marc.pk}/exit/']")).to_have_count(0)
    assert_accessible(page, "case management after the exit")
    shot(page, "3-casework-after-exit", lang)
