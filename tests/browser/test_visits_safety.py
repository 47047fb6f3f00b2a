"""Issue 12, parts 1–3 in a browser, in French and English: a visit 9 hours late shown in red with how late on
a phone (360 px), "I'm safe" and extend from the phone, a colleague ending it says why; a visit's contact
saved twice opens the first; the save after a conflict on the recovery plan is refused until the editor
chooses, part by part."""

from __future__ import annotations

import datetime
import re

import pytest
from playwright.sync_api import expect

from ancrage.casework.contacts import services as contacts_services
from ancrage.casework.models import Contact, FieldVisit, RecoveryPlan
from ancrage.core import clock
from ancrage.core.models import Alert, AuditEntry
from tests.browser.casework_world import build_world, signer, submit
from tests.browser.helpers import assert_no_horizontal_scroll, text

pytestmark = pytest.mark.browser

PHONE_360 = {"viewport": {"width": 360, "height": 780}, "is_mobile": True, "has_touch": True}


def _visit_late_by_nine_hours(world) -> FieldVisit:
    """Marc's visit at the park, started ten hours ago, planned to end nine hours ago, never ended."""
    start = clock.now() + datetime.timedelta(minutes=5)
    visit = contacts_services.visit_plan(
        actor=world.worker,
        participant=world.marc,
        location="Parc Morgan",
        planned_start=start,
        planned_end=start + datetime.timedelta(hours=1),
    )
    now = clock.now()
    FieldVisit.objects.filter(pk=visit.pk).update(
        planned_start=now - datetime.timedelta(hours=10),
        planned_end=now - datetime.timedelta(hours=9),
        started_at=now - datetime.timedelta(hours=10),
        status=FieldVisit.Status.STARTED,
    )
    visit.refresh_from_db()
    return visit


def test_overdue_visit_on_the_phone_safe_and_extend(
    new_page, login, lang, assert_accessible, shot, org_a, case_manager_a, participant_a
):
    world = build_world(org_a, case_manager_a, participant_a)
    visit = _visit_late_by_nine_hours(world)
    page = signer(new_page, login, lang)(world.worker, **PHONE_360)

    # Home: in red, with how late, though no job ever ran.
    assert not Alert.objects.filter(kind="casework.visit.overdue").exists()
    late = re.compile(text(lang, r"en retard de 9 h", r"late by 9 h"))
    warning = page.locator(".visit-overdue")
    expect(warning).to_contain_text(late)
    expect(warning).to_contain_text("Marc Pelletier")
    assert_no_horizontal_scroll(page, "home with an overdue visit")

    page.goto("/casework/visits/")
    row = page.locator(f"#visit-{visit.pk}")
    expect(row).to_have_class(re.compile(r"list-group-item-danger"))
    expect(row.locator(".visit-late")).to_have_text(late)
    assert_no_horizontal_scroll(page, "visits page (phone)")
    assert_accessible(page, "overdue visit (phone)")
    shot(page, "overdue", lang)

    # "I'm safe": logged, and the visit is no longer red for the grace period.
    with page.expect_navigation():
        row.get_by_role("button", name=re.compile(text(lang, "Je suis en sécurité", "I'm safe"))).tap()
    expect(page.locator(".alert-success, .alert-info").first).to_contain_text(
        text(lang, "l’équipe sait que vous êtes en sécurité", "the team knows you are safe")
    )
    row = page.locator(f"#visit-{visit.pk}")
    expect(row).not_to_have_class(re.compile(r"list-group-item-danger"))
    assert AuditEntry.objects.filter(action="casework.visit.safe", actor=world.worker).exists()

    # Extend by 30 minutes from the phone: logged, the new end shown.
    row.locator("summary").filter(has_text=text(lang, "Prolonger", "Extend")).tap()
    row.locator(f"#extend-{visit.pk}").select_option("30")
    with page.expect_navigation():
        row.get_by_role("button", name=text(lang, "Prolonger la visite", "Extend the visit")).tap()
    expect(page.locator("main")).to_contain_text(
        text(lang, "Visite prolongée jusqu’à", "Visit extended until")
    )
    visit.refresh_from_db()
    assert visit.planned_end > clock.now()
    assert AuditEntry.objects.filter(action="casework.visit.extended", actor=world.worker).exists()
    assert_accessible(page, "visit extended (phone)")
    shot(page, "extended", lang)


def test_a_colleague_ends_the_overdue_visit_with_a_reason(
    new_page, login, lang, assert_accessible, org_a, case_manager_a, participant_a
):
    world = build_world(org_a, case_manager_a, participant_a)
    visit = _visit_late_by_nine_hours(world)
    page = signer(new_page, login, lang)(world.colleague, **PHONE_360)
    page.goto("/casework/visits/")
    row = page.locator(f"#visit-{visit.pk}")
    expect(row.locator(".visit-late")).to_have_text(re.compile(text(lang, "en retard de 9 h", "late by 9 h")))
    # No plain "End" for someone else's visit: "End for them", with a reason.
    expect(row.get_by_role("button", name=re.compile(r"^(Terminer|End) —"))).to_have_count(0)
    row.locator("summary").filter(has_text=text(lang, "Terminer à sa place", "End for them")).tap()
    row.locator(f"#end-reason-{visit.pk}").fill("Joint·e au téléphone, en sécurité")
    assert_accessible(page, "end for a colleague (phone)")
    with page.expect_navigation():
        row.get_by_role("button", name=text(lang, "Terminer la visite", "End the visit")).tap()
    expect(page.locator("main")).to_contain_text(text(lang, "la personne en est avisée", "they are told"))
    visit.refresh_from_db()
    assert visit.status == FieldVisit.Status.ENDED
    assert Alert.objects.filter(recipient=world.worker, kind="casework.visit.ended_by_colleague").exists()


def test_second_save_of_a_visit_contact_opens_the_first(
    new_page, login, lang, assert_accessible, org_a, case_manager_a, participant_a
):
    world = build_world(org_a, case_manager_a, participant_a)
    start = clock.now() + datetime.timedelta(minutes=5)
    visit = contacts_services.visit_plan(
        actor=world.worker,
        participant=world.marc,
        location="Domicile",
        planned_start=start,
        planned_end=start + datetime.timedelta(hours=1),
    )
    FieldVisit.objects.filter(pk=visit.pk).update(planned_start=clock.now() - datetime.timedelta(minutes=70))
    contacts_services.visit_start(
        actor=world.worker, visit=visit, at=clock.now() - datetime.timedelta(minutes=60)
    )
    contacts_services.visit_end(actor=world.worker, visit=visit)
    sign_in = signer(new_page, login, lang)
    first = sign_in(world.worker)
    url = f"/participants/{world.marc.pk}/contacts/new/?visit={visit.pk}"
    first.goto(url)
    # The same form open in a second tab (or reloaded after the first save).
    second = first.context.new_page()
    second.goto(url)
    submit(first)
    expect(first.locator("main")).to_contain_text(text(lang, "Contact consigné", "Contact logged"))
    submit(second)
    expect(second).to_have_url(re.compile(r"/contacts/#contact-\d+$"))
    expect(second.locator("main")).to_contain_text(
        text(lang, "a déjà été consigné : le voici", "was already logged: here it is")
    )
    assert_accessible(second, "contact already logged")
    assert Contact.objects.filter(visit=visit).count() == 1


def test_second_save_after_a_plan_conflict(
    new_page, login, lang, assert_accessible, shot, org_a, case_manager_a, participant_a
):
    world = build_world(org_a, case_manager_a, participant_a)
    sign_in = signer(new_page, login, lang)
    mine = sign_in(world.worker)
    theirs = sign_in(world.colleague)
    edit = f"/participants/{world.marc.pk}/plan/edit/"
    mine.goto(edit)
    theirs.goto(edit)
    # The colleague saves first.
    theirs.locator("#id_strengths").fill("Cuisine pour ses voisins")
    submit(theirs)
    # The editor, who changed another part, saves: told, their text kept beside the colleague's.
    mine.locator("#id_interests").fill("Le hockey")
    submit(mine)
    expect(mine.locator("#plan-conflict")).to_be_visible()
    expect(mine.locator("#theirs-strengths")).to_contain_text("Cuisine pour ses voisins")
    expect(mine.locator("#id_interests")).to_have_value("Le hockey")
    # Save again as is: refused the same way; nothing of the colleague's lost.
    submit(mine)
    expect(mine.locator("#plan-conflict")).to_be_visible()
    expect(mine.locator("main")).to_contain_text(
        text(lang, "Choisissez le texte à garder", "Choose which text to keep")
    )
    plan = RecoveryPlan.objects.get(participant=world.marc)
    assert plan.strengths == "Cuisine pour ses voisins"
    assert plan.interests == ""
    assert_accessible(mine, "plan merge")
    shot(mine, "merge", lang)
    # Keep theirs for the strengths, mine for the interests: both saved.
    mine.locator("#merge-strengths").get_by_label(
        text(
            lang, "Garder le texte enregistré par l’autre personne", "Keep the text saved by the other person"
        )
    ).check()
    mine.locator("#merge-interests").get_by_label(text(lang, "Garder mon texte", "Keep my text")).check()
    submit(mine)
    expect(mine.locator("main")).to_contain_text(text(lang, "Le plan est enregistré", "The plan is saved"))
    plan.refresh_from_db()
    assert plan.strengths == "Cuisine pour ses voisins"
    assert plan.interests == "Le hockey"
