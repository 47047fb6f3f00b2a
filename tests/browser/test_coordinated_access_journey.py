"""Coordinated access from the first referral to an assisted transfer, in French and in English.

An outreach worker refers a person met at a shelter. A coordinated-access worker does the intake (the
registry finds the person's file), records the coordinated-access consent and gives the triage on a phone;
the score and its band appear at once. On the by-name list the person has a reference worker and a rank
that explains itself. A Housing First program opens two slots and the housing team adds a unit: the
preview says who would be proposed and why a higher-ranked person is not eligible; the run proposes; each
match is moved on to an assisted transfer, within consent. The monthly flow shows the placement against
the community's goal, as a chart and a table.

New strings may not be translated yet: the French run checks names, numbers, addresses and structure, the
English run the wording too.
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.conf import settings
from django.template.defaultfilters import floatformat
from django.utils import translation
from playwright.sync_api import Page, expect

from ancrage.access import selectors, services
from ancrage.access.models import ByNameEntry, ByNameStatus, Intake, Match, MatchStatus, Opening, Referral
from ancrage.access.tests.factories import consent_for_access, make_entry
from ancrage.assessments.models import Administration
from ancrage.assessments.tests.factories import load_shipped_instruments
from ancrage.core import clock
from ancrage.core.permissions import Role
from ancrage.housing.models import Area, Unit
from ancrage.people.models import Consent
from ancrage.people.tests.factories import ProgramFactory, make_participant, member
from tests.browser.helpers import LOCALES, assert_no_horizontal_scroll, switch_language, text

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}

POLICY = """\
title: {fr: Priorités locales, en: Local priorities}
factors:
  - factor: acuity_score
    weight: 40
  - factor: days_homeless_past_three_years
    weight: 25
  - factor: chronic
    weight: 15
  - factor: flag
    flag: medical_vulnerability
    weight: 20
tie_breakers: [entered_on]
"""


def _age(born: datetime.date, on: datetime.date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _step(page: Page, to_status: str) -> None:
    """Press the button that moves the match to `to_status`, and wait for the page that says so."""
    with page.expect_navigation():
        page.locator(f"main form:has(input[name=to_status][value={to_status}]) button[type=submit]").click()
    expect(page.locator("main .alert-success")).to_be_visible()


@pytest.mark.both_languages
def test_coordinated_access_journey(
    new_page,
    lang,
    login,
    assert_accessible,
    shot,
    org_a,
    org_b,
    shared_org,
    case_manager_a,
    case_manager_b,
    housing_specialist,
    monkeypatch,
):
    # The journey reads its own small figures: no count is small enough to hide here (test_fair_flow hides them).
    monkeypatch.setitem(settings.ANCRAGE, "SMALL_COUNT_THRESHOLD", 1)
    load_shipped_instruments()
    today = clock.today()
    worker = member(org_a, Role.COORDINATED_ACCESS, first_name="Camille", last_name="Roy")
    outreach = member(org_a, Role.CASE_MANAGER, first_name="Olivier", last_name="Côté")
    team_lead = member(org_b, Role.TEAM_LEAD, first_name="Sophie", last_name="Lavoie")
    program = ProgramFactory(
        organisation=org_b,
        eligibility=[
            {"criterion": "age", "rule": "must", "min": 18, "max": 64},
            {"criterion": "flag", "rule": "must_not", "values": ["fleeing_violence"]},
        ],
    )

    # The list before the journey: a chronic, medically vulnerable elder ranked first (too old for the
    # program and the unit), and two people with no triage yet.
    eloise_born = datetime.date(1948, 3, 1)
    eloise = make_entry(
        case_manager_a,
        org_a,
        worker=worker,
        legal_first_name="Éloïse",
        legal_last_name="Gagnon",
        date_of_birth=eloise_born,
        entered_on=today - datetime.timedelta(days=20),
    )
    services.living_situation_record(
        actor=case_manager_a,
        participant=eloise.participant,
        kind="homeless_unsheltered",
        starts_on=today - datetime.timedelta(days=1000),
    )
    services.by_name_profile_update(actor=worker, entry=eloise, flags=["medical_vulnerability"])
    make_entry(
        case_manager_a,
        org_a,
        worker=worker,
        legal_first_name="Jean",
        legal_last_name="Tremblay",
        entered_on=today - datetime.timedelta(days=10),
    )
    bruno = make_entry(case_manager_b, org_b, legal_first_name="Bruno", legal_last_name="Bélanger")
    consent_for_access(case_manager_b, bruno.participant, [org_a, shared_org])
    # Fleeing violence: the program (a mixed congregate site) does not take him; a unit of his own may.
    services.by_name_profile_update(actor=case_manager_b, entry=bruno, flags=["fleeing_violence"])
    # The person the outreach worker meets is already known to the registry.
    marc = make_participant(
        case_manager_a,
        org_a,
        legal_first_name="Marc",
        legal_last_name="Pelletier",
        date_of_birth=datetime.date(1978, 9, 14),
    )
    policy = services.policy_draft_create(actor=worker, text=POLICY)
    services.policy_activate(actor=worker, policy=policy, reason="Adoptée par le comité")

    def sign_in(user, **options) -> Page:
        page = new_page(LOCALES["fr"], **options)
        login(page, user)
        if lang == "en":
            switch_language(page, "en")
        return page

    # --- 1. The outreach worker refers the person met at the shelter. ---------------------------------
    page = sign_in(outreach)
    page.locator("nav").get_by_role("link", name=text(lang, "Accès coordonné", "Coordinated access")).click()
    page.locator("main nav").get_by_role("link", name=text(lang, "Références", "Referrals")).click()
    expect(page).to_have_url(re.compile(r"/access/referrals/$"))
    page.get_by_role("link", name=text(lang, "Nouvelle référence", "New referral")).click()
    page.fill("#id_person_name", "Marc Pelletier")
    page.select_option("#id_source_kind", "shelter")
    page.fill("#id_source_name", "Refuge du Vieux-Port")
    page.fill("#id_reason", "Dort au refuge depuis six mois, veut un logement")
    assert_accessible(page, "new referral")
    shot(page, "01-referral", lang)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/access/referrals/\d+/intake/$"))
    referral = Referral.objects.get(person_name="Marc Pelletier")
    assert referral.source_kind == "shelter"
    assert referral.referred_by == outreach

    # --- 2. The coordinated-access worker starts the intake: the registry finds the file. -------------
    page = sign_in(worker)
    page.goto("/access/referrals/")
    row = page.locator("main tbody tr", has_text="Marc Pelletier")
    row.locator(f"a[href='/access/referrals/{referral.pk}/intake/']").click()
    found = page.locator("section[aria-labelledby=matches-title]")
    expect(found.locator(f"a[href='/participants/{marc.pk}/']")).to_have_text("Marc Pelletier")
    assert_accessible(page, "intake: the registry's search")
    shot(page, "02-intake-found", lang)
    # Without a coordinated-access consent the intake cannot start; the page says so.
    found.locator("form button[type=submit]").click()
    expect(page.locator("main .alert-danger")).to_be_visible()
    if lang == "en":
        expect(page.locator("main .alert-danger")).to_contain_text("consent for coordinated access")
    assert Referral.objects.get(pk=referral.pk).status == Referral.Status.RECEIVED
    assert_accessible(page, "intake refused without consent")

    # The consent, from the person's file: identity and coordinated access, shared with the program's
    # organisation (it will receive the triage data with the transfer).
    page.locator(f"main a[href='/participants/{marc.pk}/']").first.click()
    expect(page.locator("main h1")).to_have_text("Marc Pelletier")
    page.locator(f".quick-actions a[href='/participants/{marc.pk}/consents/new/']").click()
    expect(page.locator("main h1")).to_have_text(text(lang, "Consigner un consentement", "Record a consent"))
    page.locator(f"input[name=organisations][value='{org_b.pk}']").check()
    page.locator("input[name=categories][value=identity]").check()
    page.locator("input[name=categories][value=coordinated_access]").check()
    page.fill("#id_purpose", "Accès coordonné et transfert vers un programme Logement d'abord")
    page.select_option("#id_method", "written")
    assert_accessible(page, "coordinated-access consent")
    shot(page, "03-consent", lang)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/participants/{marc.pk}/$"))
    expect(page.locator("main .alert-success")).to_be_visible()
    consent = Consent.objects.get(participant=marc)
    assert set(consent.category_rows.values_list("category", flat=True)) == {"identity", "coordinated_access"}

    # Now the intake starts with that file.
    page.goto(f"/access/referrals/{referral.pk}/intake/")
    page.locator("section[aria-labelledby=matches-title] form button[type=submit]").click()
    intake = Intake.objects.get(referral=referral)
    expect(page).to_have_url(re.compile(rf"/access/intakes/{intake.pk}/$"))
    expect(page.locator("main .alert-success")).to_contain_text("Marc Pelletier")
    assert intake.participant == marc
    assert intake.consent == consent
    assert_accessible(page, "intake page")

    # --- 3. The triage, on a phone: the score and its band at once. ------------------------------------
    phone = sign_in(worker, **PHONE)

    def check_phone(name: str, step: str) -> None:
        assert_no_horizontal_scroll(phone, name)
        assert_accessible(phone, f"{name} (phone)")
        shot(phone, step, lang)

    phone.goto(f"/participants/{marc.pk}/")
    check_phone("participant file", "04-phone-file")
    phone.locator(f".quick-actions a[href='/participants/{marc.pk}/assessments/']").tap()
    phone.locator(f"main a[href='/participants/{marc.pk}/assessments/new/']").tap()
    phone.get_by_text(text(lang, "Outil de tri de l'acuité", "Acuity screener"), exact=False).tap()
    phone.locator("main form button[type=submit]").tap()
    expect(phone.locator("#progress-label")).to_have_text(text(lang, "Section 1 de 6", "Section 1 of 6"))
    phone.fill("#id_months_homeless", "6")
    phone.get_by_text(text(lang, "Dans un refuge", "In a shelter"), exact=False).tap()
    phone.locator("input[name=evicted][value=yes] + label").tap()
    check_phone("triage, first section", "05-phone-triage")
    phone.locator("button[value=next]").tap()
    expect(phone.locator("#progress-label")).to_have_text(text(lang, "Section 2 de 6", "Section 2 of 6"))
    phone.locator("input[name=chronic_condition][value=yes] + label").tap()
    phone.locator("input[name=mental_health][value=yes] + label").tap()
    phone.locator("button[value=next]").tap()
    phone.locator("input[name=medication_trouble][value=yes] + label").tap()
    phone.locator("button[value=next]").tap()
    expect(phone.locator("#progress-label")).to_have_text(text(lang, "Section 3 de 6", "Section 3 of 6"))
    phone.locator("input[name=use_frequency][value=daily] + label").tap()
    phone.locator("button[value=next]").tap()
    phone.locator("input[name=use_consequences][value=yes] + label").tap()
    phone.locator("button[value=next]").tap()
    for number in (4, 5):
        expect(phone.locator("#progress-label")).to_have_text(
            text(lang, f"Section {number} de 6", f"Section {number} of 6")
        )
        phone.locator("button[value=next]").tap()
    expect(phone.locator("#progress-label")).to_have_text(text(lang, "Section 6 de 6", "Section 6 of 6"))
    phone.locator("button[value=complete]").tap()
    expect(phone).to_have_url(re.compile(r"/assessments/\d+/result/$"))
    administration = Administration.objects.get(participant=marc)
    score = administration.score
    expect(phone.locator("#result-total")).to_contain_text(
        text(lang, f"{score['total']} sur {score['max_total']}", f"{score['total']} of {score['max_total']}")
    )
    band = next(b for b in administration.version.definition["bands"] if b["key"] == score["band"])
    expect(phone.locator("#result-band")).to_have_text(band["label"][lang])
    check_phone("triage result", "06-phone-result")

    # --- 4. The intake is completed: the person is on the by-name list with a named reference worker, and
    # the triage given before places them. ---------------------------------------------------------------
    page.goto(f"/access/intakes/{intake.pk}/")
    triage = page.locator("section[aria-labelledby=triage-title]")
    expect(
        triage.locator(f"a[href='/participants/{marc.pk}/assessments/{administration.pk}/result/']")
    ).to_be_visible()
    page.select_option("#id_reference_worker", str(worker.pk))
    shot(page, "06b-intake-complete", lang)
    page.locator("section[aria-labelledby=complete-title] form button[type=submit]").click()
    expect(page.locator("main .alert-success")).to_contain_text("Marc Pelletier")
    expect(page.locator("section[aria-labelledby=complete-title]")).to_contain_text("Camille Roy")
    assert_accessible(page, "intake completed")
    entry = ByNameEntry.objects.get(participant=marc)
    assert entry.reference_worker == worker
    assert entry.acuity_score == score["total"]
    assert entry.acuity_band == score["band"]
    assert entry.priority_policy == policy
    assert entry.priority_rank == 2  # after Éloïse: her days homeless, chronicity and flag outweigh
    page.locator("nav").get_by_role("link", name=text(lang, "Accès coordonné", "Coordinated access")).click()
    page.locator("thead a.sort-link[href*='sort=rank']").click()
    expect(page).to_have_url(re.compile(r"sort=rank"))
    rows = page.locator("#results tbody tr")
    expect(rows).to_have_count(4)
    expect(rows.nth(0)).to_contain_text("Éloïse Gagnon")
    marc_row = rows.nth(1)
    expect(marc_row).to_contain_text("Marc Pelletier")
    expect(marc_row).to_contain_text("Camille Roy")
    expect(marc_row.locator("td.rank a")).to_contain_text("2")
    expect(marc_row.locator("td.rank .band")).to_be_visible()
    assert_accessible(page, "by-name list by rank")
    shot(page, "07-list-by-rank", lang)

    marc_row.locator(f"td.rank a[href='/access/by-name-list/{marc.pk}/rank/']").click()
    explanation = page.locator(f"#rank-{marc.pk}")
    expect(explanation).to_contain_text(text(lang, "Priorités locales", "Local priorities"))
    expect(explanation).to_contain_text("v1")
    if lang == "en":
        expect(explanation).to_contain_text("Rank 2 of 4 under policy v1 (Local priorities)")
    factors = explanation.locator("tbody tr")
    expect(factors).to_have_count(4)
    expect(factors.locator("td:nth-child(3)")).to_have_text(["40", "25", "15", "20"])
    expect(factors.nth(0).locator("td").first).to_have_text(str(score["total"]))
    if lang == "en":
        expect(factors.locator("th")).to_have_text(
            [
                "Acuity score (latest triage)",
                "Days homeless in the past three years",
                "Chronically homeless",
                "Health or safety flag: Medical vulnerability",
            ]
        )
    with translation.override(text(lang, "fr-ca", "en")):
        total = floatformat(entry.priority_score, "-2")
    expect(explanation.locator("tfoot td")).to_have_text(total)
    assert_accessible(page, "why this rank")
    shot(page, "08-rank", lang)

    # --- 5. The program opens two slots; the housing team adds a unit. ---------------------------------
    lead = sign_in(team_lead)
    lead.goto("/access/openings/")
    lead.locator("main a[href='/access/openings/new/']").click()
    lead.select_option("#id_program", str(program.pk))
    lead.fill("#id_count", "2")
    lead.fill("#id_note", "Deux places au programme SIV")
    assert_accessible(lead, "open slots")
    shot(lead, "09-open-slots", lang)
    lead.locator("main form button[type=submit]").click()
    expect(lead).to_have_url(re.compile(r"/access/openings/$"))
    slot_1, slot_2 = Opening.objects.filter(program=program).order_by("pk")

    housing = sign_in(housing_specialist)
    housing.locator("nav").get_by_role("link", name=text(lang, "Logement", "Housing")).click()
    # Housing opens on the landlords' book; the units are a tab of the section.
    expect(housing).to_have_url(re.compile(r"/housing/landlords/$"))
    housing.locator("main nav a[href='/housing/units/']").click()
    expect(housing).to_have_url(re.compile(r"/housing/units/$"))
    housing.locator("main a[href='/housing/units/new/']").click()
    housing.fill("#id_address", "2150, rue Ontario Est, app. 3")
    housing.select_option("#id_area", str(Area.objects.get(name_fr="Hochelaga-Maisonneuve").pk))
    housing.select_option("#id_kind", "scattered_site")
    housing.fill("#id_bedrooms", "1")
    housing.fill("#id_monthly_rent", "850")
    housing.fill("#id_min_age", "18")
    housing.fill("#id_max_age", "64")
    expect(housing.locator("#id_open_for_matching")).to_be_checked()
    assert_accessible(housing, "add a unit")
    shot(housing, "10-unit", lang)
    housing.locator("main form button[type=submit]").click()
    expect(housing).to_have_url(re.compile(r"/housing/units/$"))
    expect(housing.locator("main tbody")).to_contain_text("2150, rue Ontario Est, app. 3")
    assert_accessible(housing, "housing units")
    unit = Unit.objects.get(address="2150, rue Ontario Est, app. 3")
    unit_opening = Opening.objects.get(unit=unit)

    # --- 6. The preview says who would be proposed, and why the person ranked above is not. ------------
    page.locator("main nav a[href='/access/openings/']").click()
    openings = page.locator("section[aria-labelledby=openings-title] tbody tr")
    expect(openings).to_have_count(3)
    assert_accessible(page, "openings and matches")
    shot(page, "11-openings", lang)
    # Marc (rank 2) and Jean (rank 3) both fit the program: the engine gives the first slot to Marc and
    # the second to Jean, and says why the people ranked above Jean are not proposed for it.
    page.locator(f"main a[href='/access/openings/{slot_2.pk}/']").click()
    preview = page.locator("section[aria-labelledby=preview-title]")
    expect(preview.locator("p a").first).to_have_text("Jean Tremblay")
    passed = preview.locator("h3 + ul > li")
    expect(passed).to_have_count(2)
    eloise_age = _age(eloise_born, today)
    expect(passed.nth(0)).to_contain_text("Éloïse Gagnon")
    expect(passed.nth(0)).to_contain_text(str(eloise_age))
    expect(passed.nth(1)).to_contain_text("Marc Pelletier")
    expect(passed.nth(1)).to_contain_text(str(slot_1.pk))
    if lang == "en":
        expect(passed.nth(0)).to_have_text(
            f"Éloïse Gagnon (rank 1): Not eligible. Does not meet “Age from 18 to 64”: age {eloise_age}."
        )
        expect(passed.nth(1)).to_have_text(
            f"Marc Pelletier (rank 2): Proposed for another opening (no. {slot_1.pk}) in the same run."
        )
    assert_accessible(page, "opening, before the run")
    shot(page, "12-opening-preview", lang)
    # The unit: Bruno, whom the program would not take, is eligible for it.
    page.goto(f"/access/openings/{unit_opening.pk}/")
    preview = page.locator("section[aria-labelledby=preview-title]")
    expect(preview.locator("p a").first).to_have_text("Bruno Bélanger")
    expect(page.locator("main dl")).to_contain_text("2150, rue Ontario Est, app. 3")

    # --- 7. The run proposes the highest-priority eligible people. -------------------------------------
    page.locator("main nav a[href='/access/openings/']").click()
    with page.expect_navigation():
        page.locator("main form[action='/access/openings/run/'] button").click()
    expect(page.locator("main .alert-success")).to_contain_text("3")
    proposals = {m.opening_id: m for m in Match.objects.select_related("participant")}
    assert {o: m.participant.display_name for o, m in proposals.items()} == {
        slot_1.pk: "Marc Pelletier",
        slot_2.pk: "Jean Tremblay",
        unit_opening.pk: "Bruno Bélanger",
    }
    expect(page.locator("section[aria-labelledby=matches-title] .list-group-item")).to_have_count(3)
    marc_match = proposals[slot_1.pk]
    page.locator(f"main a[href='/access/matches/{marc_match.pk}/']").click()
    expect(page.locator("main h1")).to_contain_text("Marc Pelletier")
    why = page.locator("section[aria-labelledby=why-title]")
    expect(why.locator("li", has_text="Éloïse Gagnon")).to_contain_text(str(eloise_age))
    if lang == "en":
        expect(page.locator("main .badge").first).to_have_text("Proposed")
        expect(why).to_contain_text("Rank 2 on the by-name list when proposed")
        expect(why).to_contain_text("Meets “Age from 18 to 64”.")
    assert_accessible(page, "a proposed match")
    shot(page, "13-match-proposed", lang)

    # The coordinated-access worker reaches the person, who accepts.
    _step(page, MatchStatus.CONTACTED)
    _step(page, MatchStatus.PERSON_ACCEPTED)
    # The receiving program accepts and does the assisted transfer; it gets the triage data, within consent.
    lead.goto(f"/access/matches/{marc_match.pk}/")
    _step(lead, MatchStatus.PROVIDER_ACCEPTED)
    transfer = lead.locator(f"main form:has(input[name=to_status][value={MatchStatus.TRANSFERRED}]) button")
    expect(transfer).to_be_enabled()
    if lang == "en":
        expect(lead.locator("section[aria-labelledby=next-title]")).to_contain_text(
            "The assisted transfer shares with the receiving organisation: Identity and contact, "
            "Coordinated access."
        )
    assert_accessible(lead, "match accepted by the program")
    shot(lead, "14-match-before-transfer", lang)
    _step(lead, MatchStatus.TRANSFERRED)
    expect(lead.locator("main form:has(input[name=to_status])")).to_have_count(0)
    badge = lead.locator("main p .badge").first
    expect(badge).to_have_class(re.compile(r"text-bg-success"))
    if lang == "en":
        expect(badge).to_have_text("Assisted transfer done")
        expect(lead.locator("main dl")).to_contain_text("Identity and contact, Coordinated access")
    steps = lead.locator("section[aria-labelledby=steps-title] tbody tr")
    expect(steps).to_have_count(5)
    assert_accessible(lead, "match after the assisted transfer")
    shot(lead, "15-match-transferred", lang)
    marc_match.refresh_from_db()
    assert marc_match.status == MatchStatus.TRANSFERRED
    assert set(marc_match.shared_categories) == {"identity", "coordinated_access"}

    # The unit's match goes the same way: Bruno is housed, a placement this month.
    bruno_match = proposals[unit_opening.pk]
    page.goto(f"/access/matches/{bruno_match.pk}/")
    for status in (
        MatchStatus.CONTACTED,
        MatchStatus.PERSON_ACCEPTED,
        MatchStatus.PROVIDER_ACCEPTED,
        MatchStatus.TRANSFERRED,
    ):
        _step(page, status)
    assert ByNameEntry.objects.get(pk=bruno.pk).status == ByNameStatus.HOUSED
    assert Unit.objects.get(pk=unit.pk).status == Unit.Status.OCCUPIED

    # --- 8. The month: inflow, outflow, people actively homeless, placements against the goal. ---------
    page.goto("/access/")
    page.locator("main nav a[href='/access/flow/']").click()
    expect(page.locator("main h1")).to_have_text(text(lang, "Flux mensuel", "Monthly flow"))
    goal = settings.ANCRAGE["MONTHLY_PLACEMENT_GOAL"]
    figures = selectors.monthly_flow(worker, today.year, today.month)
    this_month = page.locator("#flow-table tbody tr").last.locator("td")
    expect(this_month.nth(3)).to_have_text(str(figures.inflow))
    expect(this_month.nth(4)).to_have_text("1")  # housed
    expect(this_month.nth(9)).to_have_text(str(figures.outflow))
    expect(this_month.nth(10)).to_have_text(str(figures.actively_homeless))
    expect(this_month.nth(11)).to_contain_text(f"1 / {goal}")  # placements / goal
    expect(page.locator("#placement-goal")).to_contain_text(str(goal))
    if lang == "en":
        expect(page.locator("#flow-table thead")).to_contain_text("Placements")
        expect(page.locator("#placement-goal")).to_contain_text("This month: 1 housed, goal not met yet.")
    page.wait_for_function(
        "() => window.Chart && Chart.getChart(document.getElementById('placements-chart'))"
    )
    series = page.evaluate(
        "() => ['flow-chart', 'placements-chart'].map(id => "
        "Chart.getChart(document.getElementById(id)).data.datasets.map(d => d.data.at(-1)))"
    )
    assert series == [[figures.inflow, figures.outflow, figures.actively_homeless], [1, goal]]
    assert_accessible(page, "monthly flow with placements")
    shot(page, "16-flow", lang)
