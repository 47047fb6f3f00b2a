"""Coordinated access as a hub, in French and in English (issue 11, parts 2 and 3).

(a) The hub's worker opens the file of a person who has none, records the coordinated-access consent,
completes the intake and sees the person on the by-name list. (b) A partner agency's representative refers
a person to the hub and follows where the referral stands. (c) Two linked files of one person are one line
on the by-name list, and each file says so.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from ancrage.access import services
from ancrage.access.models import ByNameEntry, Referral
from ancrage.access.tests.factories import consent_for_access, make_referral
from ancrage.core import clock
from ancrage.core.permissions import Category
from ancrage.people.models import Consent, Participant
from ancrage.people.tests.factories import make_participant
from tests.browser.helpers import switch_language, text

pytestmark = pytest.mark.browser


def test_the_hub_opens_a_file_and_completes_the_intake(
    page, lang, login, assert_accessible, shot, hub, hub_worker
):
    referral = make_referral(hub_worker, person_name="Rosalie Nouveau")
    login(page, hub_worker)
    if lang == "en":
        switch_language(page, "en")
    page.goto(f"/access/referrals/{referral.pk}/intake/")
    expect(page.locator("section[aria-labelledby=matches-title]")).to_contain_text(
        text(lang, "Aucun dossier", "No file in the registry")
    )
    page.get_by_role(
        "link", name=text(lang, "Aucun de ces dossiers", "None of these: open a new file")
    ).click()
    # The name as referred is typed already; the file belongs to the hub.
    expect(page.locator("#id_legal_last_name")).to_have_value("Nouveau")
    expect(page.locator("#id_organisation")).to_contain_text("Accès coordonné")
    assert_accessible(page, "new file from an intake")
    page.locator("main form button[type=submit]").click()
    person = Participant.objects.get(legal_last_name="Nouveau")
    assert person.organisation == hub
    expect(page).to_have_url(
        re.compile(rf"/access/referrals/{referral.pk}/intake/\?participant={person.pk}$")
    )
    opened = page.locator("section[aria-labelledby=opened-title]")
    expect(opened).to_contain_text("Rosalie Nouveau")
    shot(page, "hub-01-opened", lang)

    # The consent coordinated access needs, asked for from the intake and prefilled.
    opened.locator(f"a[href^='/participants/{person.pk}/consents/new/']").click()
    expect(page.locator(f"input[name=organisations][value='{hub.pk}']")).to_be_checked()
    expect(page.locator("input[name=categories][value=coordinated_access]")).to_be_checked()
    assert_accessible(page, "coordinated-access consent")
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(
        re.compile(rf"/access/referrals/{referral.pk}/intake/\?participant={person.pk}$")
    )
    consent = Consent.objects.get(participant=person)
    assert Category.COORDINATED_ACCESS in consent.category_codes

    # The intake starts with that file and closes onto the list.
    page.locator("section[aria-labelledby=opened-title] form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/access/intakes/\d+/$"))
    assert_accessible(page, "intake under way")
    page.locator("main form button[type=submit]").last.click()
    expect(page.locator("main .alert-success")).to_contain_text("Rosalie Nouveau")
    assert ByNameEntry.objects.filter(participant=person, reference_worker=hub_worker).exists()
    assert Referral.objects.get(pk=referral.pk).status == Referral.Status.INTAKE_DONE
    page.goto("/access/")
    expect(page.locator("main table")).to_contain_text("Rosalie Nouveau")
    assert_accessible(page, "by-name list with the new person")
    shot(page, "hub-02-on-the-list", lang)


def test_a_partner_refers_and_follows_the_referral(
    page, lang, login, assert_accessible, shot, hub, hub_worker, partner_rep, partner_org
):
    login(page, partner_rep)
    if lang == "en":
        switch_language(page, "en")
    page.get_by_role("link", name=text(lang, "Référer une personne", "Refer a person")).click()
    expect(page.locator("#id_organisation")).to_contain_text("Accès coordonné")
    page.fill("#id_person_name", "Gilles Vachon")
    page.fill("#id_reason", "Sort de l'hôpital sans adresse")
    assert_accessible(page, "partner's referral")
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/access/referrals/$"))
    row = page.locator("main tbody tr", has_text="Gilles Vachon")
    expect(row).to_contain_text(text(lang, "Reçue", "Received"))
    referral = Referral.objects.get(person_name="Gilles Vachon")
    assert referral.organisation == hub
    assert referral.source_name == partner_org.name
    assert_accessible(page, "partner's referrals")
    shot(page, "hub-03-partner-referrals", lang)

    # The hub starts the intake: the partner sees the new status, not the file.
    person = make_participant(hub_worker, hub, legal_first_name="Gilles", legal_last_name="Vachon")
    consent_for_access(hub_worker, person, [hub])
    services.intake_start(actor=hub_worker, referral=referral, participant=person)
    page.reload()
    expect(page.locator("main tbody tr", has_text="Gilles Vachon")).to_contain_text(
        text(lang, "Accueil commencé", "Intake started")
    )
    expect(page.locator(f"main a[href='/participants/{person.pk}/']")).to_have_count(0)
    page.goto("/")
    expect(page.locator("section[aria-labelledby=my-referrals-title]")).to_contain_text("Gilles Vachon")
    assert_accessible(page, "partner's home page")


def test_linked_files_are_one_line_on_the_list(
    page, lang, login, assert_accessible, shot, hub, hub_worker, case_manager_a, case_manager_b, org_a, org_b
):
    today = clock.today()
    first = make_participant(case_manager_a, org_a, legal_first_name="Roberto", legal_last_name="Lemieux")
    second = make_participant(case_manager_b, org_b, legal_first_name="Robert", legal_last_name="Lemieux")
    for worker, person, org in ((case_manager_a, first, org_a), (case_manager_b, second, org_b)):
        consent_for_access(worker, person, [hub, org])
        services.by_name_entry_add(
            actor=worker,
            participant=person,
            reference_worker=worker,
            entered_on=today,
        )
    login(page, hub_worker)
    if lang == "en":
        switch_language(page, "en")
    page.goto("/access/")
    expect(page.locator("main tbody tr", has_text="Lemieux")).to_have_count(2)

    # The worklist of duplicates offers the pair; the decision is made once.
    page.goto("/participants/duplicates/")
    pair = page.locator("main .duplicate-pair")
    expect(pair).to_have_count(1)
    assert_accessible(page, "duplicates worklist")
    shot(page, "hub-04-worklist", lang)
    pair.locator("a.btn").click()
    candidate = page.locator(f"main form[action$='/merge/{second.pk}/']")
    candidate.locator("input[name=reason]").fill("Même date de naissance, même refuge")
    candidate.locator("button[value=linked]").click()
    expect(page.locator("main .alert-success")).to_be_visible()

    # One line on the list; the other file says where the line is.
    page.goto("/access/")
    expect(page.locator("main tbody tr", has_text="Lemieux")).to_have_count(1)
    assert_accessible(page, "by-name list with linked files")
    shot(page, "hub-05-one-line", lang)
    page.goto(f"/participants/{second.pk}/")
    expect(page.locator("main .by-name-via")).to_contain_text(first.community_id)
    expect(page.locator("main .duplicate-decision")).to_contain_text(
        text(lang, "Même personne", "Same person, files linked")
    )
    assert_accessible(page, "linked file")
    page.goto(f"/participants/{first.pk}/duplicates/")
    expect(page.locator("main .decision-made")).to_be_visible()
    expect(page.locator("main button[value=linked]")).to_have_count(0)
    page.goto("/participants/duplicates/")
    expect(page.locator("main .duplicate-pair")).to_have_count(0)
