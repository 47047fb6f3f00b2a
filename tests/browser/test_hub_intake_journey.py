"""The hub worker's intake of a new person, from the referral to the by-name list, in French and in English.

Issue 11's one journey: a partner agency refers Rosalie to the hub; nobody has a file for her. The hub's
worker finds the referral waiting on the home page, opens a new file, records the coordinated-access consent
with her, starts the intake and records her homelessness history there (outside last night, this time since
two months, three times and thirty months homeless in three years). The verdict turns chronic; the intake is
completed; on the by-name list Rosalie is chronic with the evidence and ranks first, before Jean, already
ranked with 100 nights in a shelter; her rank's page explains the days-homeless and chronic factors.
"""

from __future__ import annotations

import datetime
import re

import pytest
from playwright.sync_api import expect

from ancrage.access import services
from ancrage.access.models import ByNameEntry, HomelessnessHistory, Referral
from ancrage.access.tests.factories import DAYS_HOMELESS_POLICY, make_entry
from ancrage.core import clock
from ancrage.core.permissions import Category
from ancrage.people.models import Consent, Participant
from tests.browser.helpers import switch_language, text

pytestmark = pytest.mark.browser


@pytest.fixture
def hub_world(hub, hub_worker, partner_rep, partner_org):
    """A policy in force, Jean already ranked with 100 nights in a shelter, and Rosalie's referral received."""
    today = clock.today()
    policy = services.policy_draft_create(actor=hub_worker, text=DAYS_HOMELESS_POLICY)
    services.policy_activate(actor=hub_worker, policy=policy, reason="Adoptée par le comité")
    jean = make_entry(
        hub_worker,
        hub,
        legal_first_name="Jean",
        legal_last_name="Tremblay",
        entered_on=today - datetime.timedelta(days=10),
    )
    services.living_situation_record(
        actor=hub_worker,
        participant=jean.participant,
        situation="shelter",
        source="shelter",
        starts_on=today - datetime.timedelta(days=99),
    )
    referral = services.referral_create(
        actor=partner_rep,
        organisation=hub,
        person_name="Rosalie Nouveau",
        source_kind=Referral.SourceKind.PARTNER,
        source_name=partner_org.name,
        reason="Dort dehors depuis deux mois",
    )
    return jean, referral


def test_hub_intake_from_referral_to_ranked_on_the_list(
    page, lang, login, assert_accessible, shot, hub, hub_worker, partner_org, hub_world
):
    jean, referral = hub_world
    today = clock.today()
    login(page, hub_worker)
    if lang == "en":
        switch_language(page, "en")

    # --- 1. The referral received waits on the hub worker's home page. -----------------------------------
    page.locator("#nav").get_by_role("link", name=text(lang, "Accueil", "Home")).click()
    waiting = page.locator("section[aria-labelledby=waiting-title]")
    expect(waiting.locator("h2")).to_have_text(
        text(lang, "Références en attente d’accueil", "Referrals waiting for intake")
    )
    expect(waiting).to_contain_text(
        text(
            lang,
            "1 référence reçue dont l’accueil n’a pas commencé",
            "1 referral received, not yet taken to intake",
        )
    )
    expect(waiting).to_contain_text(partner_org.name)
    assert_accessible(page, "home page with the referral waiting")
    shot(page, "01-home", lang)
    waiting.get_by_role("link", name=text(lang, "Commencer l'accueil", "Start intake")).click()
    expect(page).to_have_url(re.compile(rf"/access/referrals/{referral.pk}/intake/$"))

    # --- 2. No file in the registry: the worker opens one, for the hub. -----------------------------------
    expect(page.locator("section[aria-labelledby=matches-title]")).to_contain_text(
        text(lang, "Aucun dossier", "No file in the registry")
    )
    assert_accessible(page, "start of the intake, no file found")
    shot(page, "02-no-file", lang)
    page.get_by_role(
        "link",
        name=text(
            lang, "Aucun de ces dossiers : ouvrir un nouveau dossier", "None of these: open a new file"
        ),
    ).click()
    expect(page.locator("#id_legal_first_name")).to_have_value("Rosalie")
    expect(page.locator("#id_legal_last_name")).to_have_value("Nouveau")
    expect(page.locator("#id_organisation")).to_contain_text("Accès coordonné")
    assert_accessible(page, "new file from the referral")
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/access/referrals/{referral.pk}/intake/\?participant=\d+$"))
    rosalie = Participant.objects.get(legal_last_name="Nouveau")
    assert rosalie.organisation == hub
    opened = page.locator("section[aria-labelledby=opened-title]")
    expect(opened).to_contain_text("Rosalie Nouveau")
    assert_accessible(page, "the file opened, no consent yet")
    shot(page, "03-file-opened", lang)

    # --- 3. The coordinated-access consent, recorded with her and prefilled. ------------------------------
    opened.get_by_role(
        "link",
        name=re.compile(
            text(
                lang, "Consigner le consentement à l'accès coordonné", "Record the coordinated-access consent"
            )
        ),
    ).click()
    expect(page.locator(f"input[name=organisations][value='{hub.pk}']")).to_be_checked()
    expect(page.locator("input[name=categories][value=coordinated_access]")).to_be_checked()
    assert_accessible(page, "coordinated-access consent")
    shot(page, "04-consent", lang)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(
        re.compile(rf"/access/referrals/{referral.pk}/intake/\?participant={rosalie.pk}$")
    )
    assert Category.COORDINATED_ACCESS in Consent.objects.get(participant=rosalie).category_codes

    # --- 4. The intake starts with that file and offers to record the homelessness history. ---------------
    page.locator("section[aria-labelledby=opened-title]").get_by_role(
        "button",
        name=re.compile(text(lang, "Commencer l'accueil avec ce dossier", "Start the intake with this file")),
    ).click()
    expect(page).to_have_url(re.compile(r"/access/intakes/\d+/$"))
    intake = Referral.objects.get(pk=referral.pk).intake
    history_section = page.locator("section[aria-labelledby=history-title]")
    expect(history_section.locator("h2")).to_have_text(
        text(lang, "Historique d’itinérance", "Homelessness history")
    )
    assert_accessible(page, "intake under way, no history yet")
    shot(page, "05-intake", lang)
    history_section.get_by_role(
        "link", name=text(lang, "Consigner l’historique d’itinérance", "Record the homelessness history")
    ).click()
    expect(page).to_have_url(
        re.compile(rf"/access/people/{rosalie.pk}/homelessness-history/\?intake={intake.pk}$")
    )
    expect(page.locator("#chronic-verdict")).to_contain_text(
        text(lang, "Pas en situation d’itinérance chronique", "Not chronically homeless")
    )
    assert_accessible(page, "homelessness history, nothing recorded")

    # --- 5. What she tells: outside last night, since two months, three times, thirty months in all. ------
    form = page.locator("#history-form")
    form.locator("#id_history-source").select_option("self_reported")
    form.locator("#id_history-living_situation").select_option("street")
    form.locator("#id_history-prior_living_situation").select_option("friends")
    form.locator("#id_history-prior_length_of_stay").select_option("one_month")
    form.locator("#id_history-previous_street_or_shelter").select_option("yes")
    form.locator("#id_history-episode_started_on").fill((today - datetime.timedelta(days=60)).isoformat())
    form.locator("#id_history-times_homeless_past_three_years").select_option("three")
    form.locator("#id_history-months_homeless").select_option("30")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    expect(page.locator("main .alert-success")).to_have_text(
        text(lang, "Historique d’itinérance consigné.", "Homelessness history recorded.")
    )
    history = HomelessnessHistory.objects.get(participant=rosalie)
    assert history.intake == intake
    assert history.months_homeless_past_three_years == 30
    verdict = page.locator("#chronic-verdict")
    expect(verdict.locator(".badge")).to_have_text(
        text(lang, "En situation d'itinérance chronique", "Chronically homeless")
    )
    # 30 months = 912 days in three years: the 61 nights of this episode and 851 reported without dates.
    expect(verdict).to_contain_text("912")
    expect(verdict.locator("ul.evidence li")).to_have_count(2)
    assert_accessible(page, "homelessness history, chronic")
    shot(page, "06-history-chronic", lang)

    # --- 6. Back to the intake, completed onto the list with the hub worker as reference worker. ----------
    page.get_by_role("link", name=text(lang, "Retour à l’évaluation d’accueil", "Back to the intake")).click()
    expect(page).to_have_url(re.compile(rf"/access/intakes/{intake.pk}/$"))
    expect(page.locator("section[aria-labelledby=history-title]")).to_contain_text(
        text(lang, "Voir ou mettre à jour l’historique", "See or update the homelessness history")
    )
    # The intake says what the history makes of her before she goes on the list.
    expect(page.locator(".intake-verdict .badge")).to_have_text(
        text(lang, "En situation d'itinérance chronique", "Chronically homeless")
    )
    expect(page.locator(".intake-verdict")).to_contain_text("912")
    expect(page.locator("#id_reference_worker")).to_have_value(str(hub_worker.pk))
    page.locator("section[aria-labelledby=complete-title] form button[type=submit]").click()
    expect(page.locator("main .alert-success")).to_contain_text("Rosalie Nouveau")
    entry = ByNameEntry.objects.get(participant=rosalie)
    assert entry.reference_worker == hub_worker
    assert entry.is_chronic
    assert entry.homeless_days_past_three_years == 912
    assert entry.priority_rank == 1
    assert ByNameEntry.objects.get(pk=jean.pk).priority_rank == 2
    assert Referral.objects.get(pk=referral.pk).status == Referral.Status.INTAKE_DONE
    assert_accessible(page, "intake completed")
    shot(page, "07-intake-done", lang)

    # --- 7. The by-name list: Rosalie chronic, with the evidence, ranked before Jean. ---------------------
    page.locator("main nav").get_by_role("link", name=text(lang, "Liste par nom", "By-name list")).click()
    expect(page).to_have_url(re.compile(r"/access/"))
    rows = page.locator("#results tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("Rosalie Nouveau")
    expect(rows.nth(0).locator("td.rank")).to_contain_text("1")
    expect(rows.nth(1)).to_contain_text("Jean Tremblay")
    expect(rows.nth(1).locator("td.rank")).to_contain_text("2")
    chronic = rows.nth(0).locator("details.chronic")
    expect(chronic.locator("summary")).to_contain_text(text(lang, "Oui", "Yes"))
    expect(rows.nth(1).locator("details.chronic summary")).to_contain_text(text(lang, "Non", "No"))
    chronic.locator("summary").click()
    expect(chronic).to_contain_text("851")
    expect(chronic).to_contain_text(text(lang, "Déclaré par la personne", "Self-reported"))
    assert_accessible(page, "by-name list, Rosalie's chronic evidence open")
    shot(page, "08-list", lang)

    # --- 8. Why this rank: the days-homeless and chronic factors, with what they were counted from. -------
    rows.nth(0).locator(f"td.rank a[href='/access/by-name-list/{rosalie.pk}/rank/']").click()
    explanation = page.locator(f"#rank-{rosalie.pk}")
    expect(explanation).to_contain_text(text(lang, "Rang 1 sur 2", "Rank 1 of 2"))
    factors = explanation.locator("tbody tr")
    expect(factors).to_have_count(2)
    expect(factors.nth(0).locator("th")).to_have_text(
        text(
            lang,
            "Jours en itinérance dans les trois dernières années",
            "Days homeless in the past three years",
        )
    )
    expect(factors.nth(0).locator("td").first).to_have_text("912")
    expect(factors.nth(1).locator("th")).to_have_text(
        text(lang, "En situation d'itinérance chronique", "Chronically homeless")
    )
    expect(factors.nth(1).locator("td").first).to_have_text(text(lang, "oui", "yes"))
    expect(factors.nth(1).locator("td").last).to_have_text("50")
    evidence = explanation.locator(".chronic-evidence li")
    expect(evidence).to_have_count(2)
    expect(evidence.nth(0)).to_contain_text(text(lang, "Épisode actuel depuis le", "Current episode since"))
    expect(evidence.nth(1)).to_contain_text("851")
    assert_accessible(page, "why Rosalie ranks first")
    shot(page, "09-rank", lang)
