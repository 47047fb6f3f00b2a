"""Intensive case management, the team lead's side (issue 4), in French and in English.

A visit not ended by its planned end alerts the team lead once the overdue check has run. The team lead
balances caseloads against the program's ratio, reassigns a participant with a reason (kept and shown), and
runs the morning meeting from one screen, in the order they set.

New strings may not be in the French catalogue yet: the French run checks names, numbers and structure, the
English run the wording too.
"""

from __future__ import annotations

import datetime
import re

import pytest
from playwright.sync_api import expect

from ancrage.casework.contacts import services as services_contacts
from ancrage.casework.models import Assignment, FieldVisit, TeamMeetingSettings
from ancrage.core import clock
from ancrage.core.models import Alert
from tests.browser.casework_world import build_world, signer, submit
from tests.browser.helpers import text

pytestmark = pytest.mark.browser


@pytest.fixture
def world(org_a, case_manager_a, participant_a):
    return build_world(org_a, case_manager_a, participant_a)


@pytest.fixture
def sign_in(new_page, login, lang):
    return signer(new_page, login, lang)


def test_overdue_visit_alerts_the_team_lead(sign_in, lang, assert_accessible, shot, world):
    w = world
    now = clock.now()
    visit = services_contacts.visit_plan(
        actor=w.worker,
        participant=w.eloise,
        location="Parc Lafontaine, près du chalet",
        planned_start=now + datetime.timedelta(minutes=1),
        planned_end=now + datetime.timedelta(minutes=61),
    )
    services_contacts.visit_start(actor=w.worker, visit=visit)
    # Three hours later, the visit should have ended two hours ago: Julie never ended it.
    FieldVisit.objects.filter(pk=visit.pk).update(
        started_at=now - datetime.timedelta(hours=3),
        planned_start=now - datetime.timedelta(hours=3),
        planned_end=now - datetime.timedelta(hours=2),
    )

    lead = sign_in(w.lead)
    alerts = lead.locator("section[aria-labelledby=alerts-title]")
    expect(alerts.locator("a[href='/casework/visits/']")).to_have_count(0)

    # The background check runs.
    assert services_contacts.visits_alert_overdue() == 1
    assert services_contacts.visits_alert_overdue() == 0  # once per visit
    assert not Alert.objects.filter(recipient=w.worker, kind="casework.visit.overdue").exists()

    lead.reload()
    alert = alerts.locator("a[href='/casework/visits/']")
    expect(alert).to_have_count(1)
    expect(alert).to_contain_text("Julie Bouchard")
    expect(alert).to_contain_text("Parc Lafontaine, près du chalet")
    if lang == "en":
        expect(alert).to_contain_text("Julie Bouchard has not ended a field visit at Parc Lafontaine")
    assert_accessible(lead, "team lead's home with an overdue visit")
    shot(lead, "1-lead-alert", lang)

    alert.click()
    expect(lead).to_have_url(re.compile(r"/casework/visits/$"))
    row = lead.locator("section[aria-labelledby=team-heading] li", has_text="Éloïse Gagnon")
    expect(row).to_have_class(re.compile(r"\blist-group-item-danger\b"))
    expect(row.locator(".badge.text-bg-danger")).to_be_visible()
    if lang == "en":
        expect(row.locator(".badge")).to_have_text("Not ended on time")
    expect(row).to_contain_text("Julie Bouchard")
    assert_accessible(lead, "field visits with an overdue one")
    shot(lead, "2-visits-overdue", lang)


def _worker_row(page, section, name: str):
    return section.locator("table tbody tr").filter(has=page.locator("td:first-child", has_text=name))


def test_caseloads_reassignment_and_team_meeting(sign_in, lang, assert_accessible, shot, world):
    w = world
    lead = sign_in(w.lead)

    # --- Caseloads against the program's ratio (15 for ICM). -----------------------------------------
    lead.goto("/casework/meeting/")
    lead.locator("main nav a[href='/casework/caseloads/']").click()
    expect(lead).to_have_url(re.compile(r"/casework/caseloads/$"))
    team = lead.locator(
        "main section", has=lead.locator("h2", has_text=text(lang, "Équipe Nord", "North team"))
    )
    julie = _worker_row(lead, team, "Julie Bouchard")
    samuel = _worker_row(lead, team, "Samuel Garde")
    expect(julie.locator("td").nth(1)).to_have_text("2")
    expect(julie.locator("td").nth(3)).to_have_text("15")
    expect(samuel.locator("td").nth(1)).to_have_text("0")
    expect(julie.locator("meter")).to_have_attribute("value", "13")
    assert_accessible(lead, "caseloads")
    shot(lead, "1-caseloads", lang)

    # --- Reassign Éloïse to Samuel: the reason is required, kept and shown. --------------------------
    lead.goto(f"/participants/{w.eloise.pk}/casework/")
    assert_accessible(lead, "case management of a participant")
    lead.locator(f"main a[href='/participants/{w.eloise.pk}/casework/assign/']").click()
    assert_accessible(lead, "change the primary case manager")
    lead.select_option("#id_worker", str(w.colleague.pk))
    submit(lead)
    expect(lead.locator("#id_reason_error")).to_be_visible()
    expect(lead.locator("#id_worker")).to_have_value(str(w.colleague.pk))
    assert Assignment.objects.filter(enrollment=w.eloise_enrollment).count() == 1
    assert_accessible(lead, "change the primary case manager, with an error")
    shot(lead, "2-reassign-error", lang)
    reason = "Julie part en congé; Samuel connaît déjà Éloïse par le groupe du mardi."
    lead.fill("#id_reason", reason)
    submit(lead)
    expect(lead).to_have_url(re.compile(rf"/participants/{w.eloise.pk}/casework/$"))
    w.eloise_enrollment.refresh_from_db()
    assert w.eloise_enrollment.primary_worker == w.colleague
    current = lead.locator("section[aria-labelledby=current-title]")
    expect(current.locator("dd").nth(2)).to_have_text("Samuel Garde")
    history = current.locator("table tbody tr")
    expect(history).to_have_count(2)
    expect(history.first).to_contain_text("Samuel Garde")
    expect(history.first).to_contain_text(reason)
    expect(history.nth(1)).to_contain_text("Julie Bouchard")
    assert_accessible(lead, "case management after the reassignment")
    shot(lead, "3-reassigned", lang)

    lead.goto("/casework/caseloads/")
    expect(julie.locator("td").nth(1)).to_have_text("1")
    expect(samuel.locator("td").nth(1)).to_have_text("1")

    # --- The team meeting: every participant of the team with their flags. ---------------------------
    lead.goto("/casework/meeting/")
    assert_accessible(lead, "team meeting")
    rows = lead.locator("main table.meeting-table tbody tr")
    expect(rows).to_have_count(2)
    # Most flags first (the default): Éloïse, with an incident overnight and a risk plan.
    expect(rows.nth(0).locator("th")).to_have_text("Éloïse Gagnon")
    expect(rows.nth(1).locator("th")).to_have_text("Marc Pelletier")
    expect(rows.nth(0)).to_contain_text("Samuel Garde")
    expect(rows.nth(1)).to_contain_text("Julie Bouchard")
    assert rows.nth(0).locator(".badge").count() >= 5
    if lang == "en":
        for label in ("New incident", "Risk plan", "Not seen this week", "Plan overdue"):
            expect(rows.nth(0).locator(".badge", has_text=label)).to_be_visible()
        expect(rows.nth(1).locator(".badge", has_text="Plan review due")).to_be_visible()
    shot(lead, "4-meeting", lang)

    # Filtered on one flag.
    lead.select_option("#flag", "risk_plan")
    with lead.expect_navigation():
        lead.locator("main form[method=get] button[type=submit]").click()
    expect(rows).to_have_count(1)
    expect(rows.first.locator("th")).to_have_text("Éloïse Gagnon")
    assert_accessible(lead, "team meeting, one flag")

    # The team lead orders the meeting by case manager: Julie's participants come first.
    lead.goto("/casework/meeting/")
    lead.select_option("#id_order", "worker")
    with lead.expect_navigation():
        lead.locator("section[aria-labelledby=order-title] button[type=submit]").click()
    expect(lead.locator(".alert-success").first).to_be_visible()
    expect(rows.nth(0).locator("th")).to_have_text("Marc Pelletier")
    expect(rows.nth(1).locator("th")).to_have_text("Éloïse Gagnon")
    expect(lead.locator("#id_order")).to_have_value("worker")
    assert TeamMeetingSettings.objects.get(team=w.team).order == "worker"
    if lang == "en":
        expect(lead.locator("main")).to_contain_text("By case manager")
    assert_accessible(lead, "team meeting in the team lead's order")
    shot(lead, "5-meeting-ordered", lang)

    # The order is the team's: the case manager sees the same screen in the same order.
    page = sign_in(w.worker)
    page.goto("/casework/meeting/")
    rows = page.locator("main table.meeting-table tbody tr")
    expect(rows.nth(0).locator("th")).to_have_text("Marc Pelletier")
    expect(page.locator("section[aria-labelledby=order-title]")).to_have_count(0)
