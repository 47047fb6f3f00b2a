"""A homelessness history recorded at intake makes a person chronic and ranks them, in French and in English.

A coordinated-access worker opens an intake under way: nothing says how long Marc has been homeless, so
the page offers to record it. On the history page the verdict is "not chronically homeless", 0 days. The
worker records what Marc tells: he slept outside last night, this time since two months, three times and
thirty months homeless in the past three years; then a night at the shelter the shelter confirms. The
verdict turns chronic with its evidence (the current episode, the months reported without dates). The
intake is completed: on the by-name list Marc ranks first, before a person with 100 days in a shelter,
and his rank's explanation shows the days homeless and what they were counted from.
"""

from __future__ import annotations

import datetime
import re

import pytest
from playwright.sync_api import Page, expect

from ancrage.access import services
from ancrage.access.models import ByNameEntry, HomelessnessHistory, LivingSituationPeriod
from ancrage.access.tests.factories import DAYS_HOMELESS_POLICY, consent_for_access, make_entry, make_referral
from ancrage.core import clock
from ancrage.core.permissions import Role
from ancrage.people.tests.factories import make_participant, member
from tests.browser.helpers import LOCALES, switch_language, text

pytestmark = pytest.mark.browser


def test_homelessness_history_at_intake(
    new_page, lang, login, assert_accessible, shot, org_a, case_manager_a
):
    today = clock.today()
    worker = member(org_a, Role.COORDINATED_ACCESS, first_name="Camille", last_name="Roy")
    jean = make_entry(
        case_manager_a,
        org_a,
        worker=worker,
        legal_first_name="Jean",
        legal_last_name="Tremblay",
        entered_on=today - datetime.timedelta(days=10),
    )
    services.living_situation_record(
        actor=case_manager_a,
        participant=jean.participant,
        situation="shelter",
        source="shelter",
        starts_on=today - datetime.timedelta(days=99),
    )
    policy = services.policy_draft_create(actor=worker, text=DAYS_HOMELESS_POLICY)
    services.policy_activate(actor=worker, policy=policy, reason="Adoptée par le comité")
    marc = make_participant(case_manager_a, org_a, legal_first_name="Marc", legal_last_name="Pelletier")
    consent_for_access(case_manager_a, marc, [org_a])
    referral = make_referral(worker, person_name="Marc Pelletier")
    intake = services.intake_start(actor=worker, referral=referral, participant=marc)

    page: Page = new_page(LOCALES["fr"])
    login(page, worker)
    if lang == "en":
        switch_language(page, "en")

    # --- 1. The intake says no history is recorded and offers to record it. ------------------------------
    page.goto(f"/access/intakes/{intake.pk}/")
    section = page.locator("section[aria-labelledby=history-title]")
    expect(section.locator("h2")).to_have_text(text(lang, "Historique d’itinérance", "Homelessness history"))
    section.get_by_role(
        "link", name=text(lang, "Consigner l’historique d’itinérance", "Record the homelessness history")
    ).click()
    expect(page).to_have_url(
        re.compile(rf"/access/people/{marc.pk}/homelessness-history/\?intake={intake.pk}$")
    )
    verdict = page.locator("#chronic-verdict")
    expect(verdict).to_contain_text(
        text(lang, "Pas en situation d’itinérance chronique", "Not chronically homeless")
    )
    expect(verdict).to_contain_text(
        text(
            lang,
            "0 jours en itinérance dans la dernière année",
            "0 days homeless in the past year (threshold: 180)",
        )
    )
    assert_accessible(page, "homelessness history, empty")
    shot(page, "01-history-empty", lang)

    # --- 2. What Marc tells: outside last night, since two months, three times, thirty months in all. ---
    form = page.locator("#history-form")
    form.locator("#id_history-source").select_option("self_reported")
    form.locator("#id_history-living_situation").select_option("street")
    form.locator("#id_history-prior_living_situation").select_option("friends")
    form.locator("#id_history-prior_length_of_stay").select_option("one_month")
    form.locator("#id_history-previous_street_or_shelter").select_option("yes")
    form.locator("#id_history-episode_started_on").fill((today - datetime.timedelta(days=60)).isoformat())
    form.locator("#id_history-times_homeless_past_three_years").select_option("three")
    form.locator("#id_history-months_homeless").select_option("30")
    shot(page, "02-history-form", lang)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    expect(page.locator("main .alert-success")).to_have_text(
        text(lang, "Historique d’itinérance consigné.", "Homelessness history recorded.")
    )
    history = HomelessnessHistory.objects.get(participant=marc)
    assert history.intake == intake
    assert history.months_homeless_past_three_years == 30
    assert history.recorded_by == worker
    verdict = page.locator("#chronic-verdict")
    expect(verdict.locator(".badge")).to_have_text(
        text(lang, "En situation d'itinérance chronique", "Chronically homeless")
    )
    # 30 months = 912 days in three years: the 61 nights of this episode and 851 reported without dates.
    expect(verdict).to_contain_text("912")
    evidence = verdict.locator("ul.evidence li")
    expect(evidence).to_have_count(2)
    expect(evidence.nth(0)).to_contain_text(text(lang, "Épisode actuel depuis le", "Current episode since"))
    expect(evidence.nth(0)).to_contain_text(text(lang, "Déclaré par la personne", "Self-reported"))
    expect(evidence.nth(1)).to_contain_text("851")
    assert_accessible(page, "homelessness history, chronic")
    shot(page, "03-history-chronic", lang)

    # --- 3. A night at the shelter, confirmed by the shelter, adds to the history. -----------------------
    stay = page.locator("#stay-form")
    stay.locator("#id_stay-situation").select_option("shelter")
    stay.locator("#id_stay-starts_on").fill((today - datetime.timedelta(days=1)).isoformat())
    stay.locator("#id_stay-source").select_option("shelter")
    with page.expect_navigation():
        stay.locator("button[type=submit]").click()
    expect(page.locator("main .alert-success")).to_have_text(
        text(lang, "Séjour ou observation consigné.", "Stay or sighting recorded.")
    )
    stays = page.locator("section[aria-labelledby=stays-title] tbody tr")
    expect(stays).to_have_count(1)
    expect(stays.first).to_contain_text(text(lang, "Vérifié par un refuge", "Verified by a shelter"))
    assert LivingSituationPeriod.objects.get(participant=marc).source == "shelter"
    assert_accessible(page, "homelessness history with a stay")

    # --- 4. The intake is completed: Marc ranks first, and his rank shows the evidence. ------------------
    page.get_by_role("link", name=text(lang, "Retour à l’évaluation d’accueil", "Back to the intake")).click()
    expect(page).to_have_url(re.compile(rf"/access/intakes/{intake.pk}/$"))
    page.select_option("#id_reference_worker", str(worker.pk))
    page.locator("section[aria-labelledby=complete-title] form button[type=submit]").click()
    expect(page.locator("main .alert-success")).to_contain_text("Marc Pelletier")
    entry = ByNameEntry.objects.get(participant=marc)
    assert entry.is_chronic
    assert entry.homeless_days_past_three_years == 912
    assert entry.priority_rank == 1
    assert ByNameEntry.objects.get(pk=jean.pk).priority_rank == 2
    page.goto("/access/?sort=rank")
    rows = page.locator("#results tbody tr")
    expect(rows.nth(0)).to_contain_text("Marc Pelletier")
    rows.nth(0).locator("details.chronic summary").click()
    expect(rows.nth(0).locator("details.chronic")).to_contain_text("851")
    assert_accessible(page, "by-name list, chronic evidence open")
    shot(page, "04-list", lang)
    rows.nth(0).locator(f"td.rank a[href='/access/by-name-list/{marc.pk}/rank/']").click()
    explanation = page.locator(f"#rank-{marc.pk}")
    factors = explanation.locator("tbody tr")
    expect(factors.nth(0).locator("td").first).to_have_text("912")
    # The current episode, the shelter night within it, and the months reported without dates.
    evidence = explanation.locator(".chronic-evidence li")
    expect(evidence).to_have_count(3)
    expect(evidence.nth(1)).to_contain_text(text(lang, "Refuge d'urgence", "Emergency shelter"))
    expect(evidence.nth(2)).to_contain_text("851")
    assert_accessible(page, "why this rank, with the evidence")
    shot(page, "05-rank", lang)
