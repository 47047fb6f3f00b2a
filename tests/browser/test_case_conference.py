"""The community case-conference table (D1–D7), French and English: the facilitator builds the agenda from the
people flagged as stuck, a partner sees "consent needed" for a person whose consent does not cover it, the meeting
screen with its timer goes through the three phases, an action item is written with RACI, and closing the minutes
sends the action list to every member."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from ancrage.conferences import services
from ancrage.conferences.models import ActionItem, Delivery
from ancrage.conferences.tests.conftest import flag, person
from ancrage.core import clock
from ancrage.core.permissions import Role
from ancrage.people.tests.factories import member
from tests.browser.helpers import LOCALES, switch_language, text

pytestmark = pytest.mark.browser


@pytest.mark.both_languages
def test_case_conference_journey(
    new_page, lang, login, assert_accessible, shot, hub, hub_worker, org_a, case_manager_a, partner_org
):
    partner = member(partner_org, Role.PARTNER, username="partenaire_table", first_name="Louise")
    timekeeper = member(hub, Role.COORDINATED_ACCESS, username="temps", first_name="Tim")
    table = services.table_create(
        actor=hub_worker,
        organisation=hub,
        name="Table communautaire",
        start_time=datetime.time(9, 30),
        weekday=clock.today().weekday(),
        place="Salle 2",
    )
    for user, org in ((hub_worker, hub), (timekeeper, hub), (case_manager_a, org_a), (partner, partner_org)):
        services.member_add(actor=hub_worker, table=table, user=user, organisation=org)
    # The meeting began half an hour ago: its minutes can be closed today.
    meeting = services.meeting_create(
        actor=hub_worker,
        table=table,
        starts_at=clock.now().replace(second=0, microsecond=0) - datetime.timedelta(minutes=30),
    )
    shared = person(case_manager_a, org_a, "Alice", "Partagée", share_with=[partner_org, hub])
    private = person(case_manager_a, org_a, "Bruno", "Privé", share_with=[hub])
    flag(shared)
    flag(private)

    page: Page = new_page(LOCALES["fr"])
    login(page, hub_worker)
    if lang == "en":
        switch_language(page, "en")

    # --- 1. The facilitator builds the agenda from the people who are stuck, and sets the three roles. ---
    page.goto(f"/conferences/meetings/{meeting.pk}/")
    for name in ("Alice", "Bruno"):
        with page.expect_navigation():
            page.locator("#candidates-title ~ ul li", has_text=name).get_by_role("button").click()
    expect(page.locator(".agenda-lines li")).to_have_count(2)
    page.select_option("#id_facilitator", str(hub_worker.pk))
    page.select_option("#id_timekeeper", str(timekeeper.pk))
    page.select_option("#id_note_taker", str(case_manager_a.pk))
    with page.expect_navigation():
        page.get_by_role("button", name=text(lang, "Enregistrer les rôles", "Save the roles")).click()
    expect(page.locator("main")).to_contain_text(
        text(lang, "Les rôles sont enregistrés.", "The roles are saved.")
    )
    assert_accessible(page, "the meeting and its agenda")
    shot(page, "01-agenda", lang)

    # --- 2. The partner sees only the person whose consent covers its organisation. ----------------------
    partner_page: Page = new_page(LOCALES[lang])
    login(partner_page, partner)
    partner_page.goto(f"/conferences/meetings/{meeting.pk}/")
    lines = partner_page.locator(".agenda-lines li")
    expect(lines).to_have_count(2)
    expect(partner_page.locator("main")).to_contain_text("Alice")
    expect(partner_page.locator("main")).not_to_contain_text("Bruno")
    expect(partner_page.locator(".consent-needed")).to_have_count(1)
    expect(partner_page.locator("main")).to_contain_text(org_a.name)
    assert_accessible(partner_page, "the agenda a partner sees")
    shot(partner_page, "02-partner", lang)

    # --- 3. The meeting screen: the timer and the three phases. ------------------------------------------
    page.locator(".agenda-lines li", has_text="Alice").get_by_role("link").click()
    timer = page.locator(".timer-person")
    expect(timer).to_have_text("07:00")
    page.locator(".timer-start").click()
    expect(timer).not_to_have_text("07:00")
    page.locator(".timer-pause").click()
    page.locator("#projector-toggle").click()
    expect(page.locator("#conference-screen")).to_have_class("conference-screen projector")
    page.locator("#projector-toggle").click()
    page.fill("#id_confidential", "Santé : reste à l’organisme")
    page.fill(f"#id_strengths_{org_a.pk}", "Lien de confiance")
    page.fill(f"#id_barriers_{partner_org.pk}", "Rendez-vous manqués")
    page.fill("#id_resources", "Banque de logements")
    page.fill("#id_action_plan", "Visiter deux logements")
    with page.expect_navigation():
        page.get_by_role(
            "button", name=text(lang, "Enregistrer la discussion", "Save the discussion")
        ).click()
    expect(page.locator("main")).to_contain_text(
        text(lang, "La discussion est enregistrée.", "The discussion is saved.")
    )
    assert_accessible(page, "the meeting screen")
    shot(page, "03-screen", lang)

    # --- 4. An action item with RACI. ----------------------------------------------------------------------
    page.fill("#id_description", "Visiter le logement de la rue Ontario")
    page.select_option("#id_responsible", str(case_manager_a.pk))
    page.select_option("#id_accountable", str(hub_worker.pk))
    page.fill("#id_due_on", (clock.today() + datetime.timedelta(days=7)).isoformat())
    page.locator("fieldset", has_text=text(lang, "Consulté·es", "Consulted")).get_by_label(
        partner_org.name
    ).check()
    with page.expect_navigation():
        page.get_by_role("button", name=text(lang, "Ajouter l’action", "Add the action item")).click()
    expect(page.locator("main")).to_contain_text("Visiter le logement de la rue Ontario")
    action = ActionItem.objects.get()
    assert action.responsible == case_manager_a
    assert action.accountable == hub_worker
    assert action.parties.get().organisation == partner_org

    # --- 5. The minutes are closed: the action list goes to every member. ---------------------------------
    mail.outbox.clear()
    page.goto(f"/conferences/meetings/{meeting.pk}/")
    with page.expect_navigation():
        page.get_by_role(
            "button",
            name=text(
                lang,
                "Clore le compte rendu et envoyer la liste des actions",
                "Close the minutes and send the action list",
            ),
        ).click()
    expect(page.locator("main")).to_contain_text(
        text(lang, "Le compte rendu est clos", "The minutes are closed")
    )
    assert Delivery.objects.filter(meeting=meeting, kind="actions").count() == 4
    assert_accessible(page, "the minutes closed")
    shot(page, "04-closed", lang)
