"""On a 360 px phone, the first screen of each page shows the worker's next action (issue 12, parts 6 and 7),
in French and in English: my caseload's first participant with their address, a call link and "plan a
visit"; the home page's caseload and alerts; the file's "log a contact" and the plan's goals; a team lead's
alert names its participant and can be dismissed."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from ancrage.casework.caseload.services import enrollment_assign
from ancrage.core.models import Alert
from ancrage.core.permissions import Role
from ancrage.people.models import Participant
from ancrage.people.tests.factories import member
from tests.browser.casework_world import build_world, signer
from tests.browser.helpers import assert_no_horizontal_scroll, text

pytestmark = pytest.mark.browser

PHONE_360 = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True}


@pytest.fixture
def world(org_a, case_manager_a, participant_a):
    w = build_world(org_a, case_manager_a, participant_a)
    # How to reach Éloïse (set as her file would have it; the world is built before the page exists).
    Participant.objects.filter(pk=w.eloise.pk).update(
        phone="514 555-0199", current_location="Chambre 12, 300 rue Ontario Est"
    )
    return w


@pytest.fixture
def sign_in(new_page, login, lang):
    return signer(new_page, login, lang)


def test_the_first_screen_shows_the_next_action(sign_in, lang, assert_accessible, shot, world):
    w = world
    page = sign_in(w.worker, **PHONE_360)

    # Home: my caseload (who to see first) and the alerts come before recent files.
    expect(page.locator("#caseload-title")).to_be_in_viewport()
    first = page.locator(".home-first li").first
    expect(first.locator("a.btn-accent")).to_be_in_viewport()
    expect(page.locator("#alerts-title")).to_be_in_viewport()
    assert_no_horizontal_scroll(page, "home page")
    assert_accessible(page, "home page (360 px)")
    shot(page, "home", lang)

    # My caseload: the first participant's card, with where they live, a call link and "plan a visit".
    page.goto("/casework/")
    card = page.locator(".caseload-row").filter(has_text="Éloïse Gagnon")
    expect(card).to_have_count(1)
    call = card.locator("a[href='tel:514 555-0199']")
    expect(call).to_be_in_viewport()
    expect(card).to_contain_text("Chambre 12, 300 rue Ontario Est")
    expect(card.locator(f"a[href='/participants/{w.eloise.pk}/visits/new/']")).to_be_in_viewport()
    expect(card.locator(f"a[href='/participants/{w.eloise.pk}/contacts/new/']")).to_be_in_viewport()
    # The flags are one compact filter, folded until asked for.
    flag_filter = page.locator("details.flag-filter")
    expect(flag_filter.locator("summary")).to_have_text(text(lang, "Filtrer par signal", "Filter by flag"))
    expect(flag_filter.locator("ul a").first).to_be_hidden()
    assert_no_horizontal_scroll(page, "my caseload")
    assert_accessible(page, "my caseload (360 px)")
    shot(page, "caseload", lang)
    flag_filter.locator("summary").tap()
    expect(flag_filter.locator("ul a").first).to_be_visible()
    assert_accessible(page, "my caseload, filter open (360 px)")

    # Marc's file: "log a contact" and his goals, in his words, on the first screen.
    page.goto(f"/participants/{w.marc.pk}/")
    expect(page.locator(f"main a[href='/participants/{w.marc.pk}/contacts/new/']").first).to_be_in_viewport()
    expect(page.locator(".panel-goals")).to_contain_text("Retrouver un travail à temps partiel")
    expect(page.locator(".panel-goals li").first).to_be_in_viewport()
    assert_no_horizontal_scroll(page, "participant file")
    assert_accessible(page, "participant file (360 px)")
    shot(page, "file", lang)


def test_team_lead_alert_names_the_participant_and_is_dismissed(
    sign_in, lang, assert_accessible, shot, world, org_a
):
    w = world
    manager = member(org_a, Role.PROGRAM_MANAGER, username="gestion")
    enrollment_assign(actor=manager, enrollment=w.marc_enrollment, worker=w.lead, reason="Congé de Julie")
    page = sign_in(w.lead, **PHONE_360)
    alerts = page.locator("section[aria-labelledby=alerts-title]")
    item = alerts.locator("li", has_text="Marc Pelletier")
    expect(item).to_have_count(1)
    expect(item).to_contain_text(
        text(lang, "Vous êtes maintenant l'intervenant·e principal·e", "You are now the primary case manager")
    )
    dismiss = item.locator("button[type=submit]")
    expect(dismiss).to_be_in_viewport()
    # The team lead's home links the team meeting.
    expect(page.locator("main a[href='/casework/meeting/']")).to_be_visible()
    assert_no_horizontal_scroll(page, "team lead's home")
    assert_accessible(page, "team lead's home with an alert (360 px)")
    shot(page, "lead-alert", lang)

    with page.expect_navigation():
        dismiss.tap()
    expect(page.locator("[role=alert], .alert").first).to_contain_text(
        text(lang, "Alerte écartée.", "Alert dismissed.")
    )
    expect(alerts.locator("li", has_text="Marc Pelletier")).to_have_count(0)
    alert = Alert.objects.get(recipient=w.lead, kind="casework.assignment.new")
    assert alert.outcome == Alert.Outcome.DISMISSED
    assert_accessible(page, "team lead's home, alert dismissed (360 px)")
