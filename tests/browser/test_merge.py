"""Journey of a team lead: two files of the same person are merged, then the merge is undone; and the
participant's "who saw my file" report, printed in the participant's own language."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from ancrage.core.permissions import Role
from ancrage.people.models import Participant
from ancrage.people.tests.factories import make_participant, member
from tests.browser.helpers import switch_language, text

pytestmark = pytest.mark.browser


def test_team_lead_merges_and_undoes(page, lang, login, assert_accessible, shot, org_a, participant_a):
    lead = member(org_a, Role.TEAM_LEAD, username="chef_a")
    second = make_participant(lead, org_a, legal_first_name="Eloise", legal_last_name="Gagnon")
    login(page, lead)
    if lang == "en":
        switch_language(page, "en")

    page.goto(f"/participants/{participant_a.pk}/")
    page.locator(f"a[href='/participants/{participant_a.pk}/duplicates/']").click()
    card = page.locator("main section.card").filter(has_text=second.community_id)
    expect(card).to_be_visible()
    expect(card.locator(".match-reasons")).to_contain_text(
        text(lang, "Même date de naissance", "Same date of birth")
    )
    assert_accessible(page, "possible duplicates")
    shot(page, "1-duplicates", lang)

    card.locator("input[name=reason]").fill("Même personne, accent oublié à l'accueil")
    with page.expect_navigation():
        card.locator("button[value=merge]").click()
    expect(page).to_have_url(re.compile(rf"/participants/{participant_a.pk}/$"))
    expect(page.get_by_role("status").first).to_contain_text(text(lang, "Dossiers fusionnés", "Files merged"))
    second.refresh_from_db()
    assert second.merged_into_id == participant_a.pk
    merges = page.locator("main section").filter(has_text=second.community_id)
    expect(merges.first).to_be_visible()
    assert_accessible(page, "file with a merge")
    shot(page, "2-merged", lang)

    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        merges.locator("form button[type=submit]").first.click()
    expect(page.get_by_role("status").first).to_contain_text(text(lang, "Fusion annulée", "Merge undone"))
    assert Participant.objects.get(pk=second.pk).merged_into_id is None
    shot(page, "3-undone", lang)


@pytest.mark.both_languages
def test_who_saw_my_file_is_in_the_participants_language(
    page, lang, login, assert_accessible, shot, case_manager_a, org_a
):
    english_speaker = make_participant(
        case_manager_a, org_a, legal_first_name="Mary", legal_last_name="Jones", communication_language="en"
    )
    login(page, case_manager_a)
    if lang == "en":
        switch_language(page, "en")
    page.goto(f"/participants/{english_speaker.pk}/")
    page.locator(f"a[href='/participants/{english_speaker.pk}/who-saw/']").click()
    # Whatever the worker's language, the report speaks the participant's.
    expect(page.locator("main h1")).to_have_text("Who saw my file")
    expect(page.locator("main table tbody tr").first).to_contain_text("viewed the participant's file")
    assert_accessible(page, "who saw my file")
    shot(page, "report", lang)
