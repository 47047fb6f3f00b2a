"""A partner's view of the participant in a real browser, both languages (D7, E3): what the consent covers
(the worker to call, the risk plan's measures for visitors, recent incidents, open referrals to the
partner), nothing else; the case-management pages stay closed."""

from __future__ import annotations

import datetime

import pytest
from playwright.sync_api import expect

from ancrage.casework.models import Enrollment, RiskAssessment, ServiceKind
from ancrage.casework.referrals import services as services_referrals
from ancrage.casework.risk import services as services_risk
from ancrage.core import clock
from ancrage.core.permissions import Category
from ancrage.organisations.models import Program
from ancrage.people.tests.factories import ProgramFactory, share
from tests.browser.helpers import switch_language, text

pytestmark = pytest.mark.browser


def test_partner_sees_what_the_consent_lets_it_see(
    page,
    lang,
    login,
    assert_accessible,
    shot,
    case_manager_a,
    program_manager_a,
    participant_a,
    org_a,
    partner_rep,
    partner_org,
    consortium,
):
    case_manager_a.first_name, case_manager_a.last_name = "Maude", "Ouellet"
    case_manager_a.email = "maude@example.org"
    case_manager_a.save()
    Enrollment.objects.create(
        participant=participant_a,
        program=ProgramFactory(organisation=org_a, kind=Program.Kind.ACT),
        primary_worker=case_manager_a,
        enrolled_on=clock.today() - datetime.timedelta(days=60),
    )
    services_risk.risk_assess(
        actor=case_manager_a,
        participant=participant_a,
        assessed_on=clock.today() - datetime.timedelta(days=2),
        level=RiskAssessment.Level.DISRUPTIVE,
        rating=RiskAssessment.Rating.HIGH,
        description="Observation confidentielle",
        paired_visits=True,
    )
    services_risk.incident_record(
        actor=case_manager_a,
        participant=participant_a,
        kind="hospital",
        occurred_at=clock.now() - datetime.timedelta(days=4),
        description="Récit confidentiel",
    )
    clinic = services_referrals.provider_create(
        actor=program_manager_a,
        consortium=consortium,
        name="Clinique du partenaire",
        kind=ServiceKind.MENTAL_HEALTH,
        organisation=partner_org,
    )
    services_referrals.referral_create(
        actor=case_manager_a, participant=participant_a, provider=clinic, need="Suivi psychiatrique"
    )
    share(case_manager_a, participant_a, [partner_org], [Category.IDENTITY, Category.HEALTH, Category.RISK])

    login(page, partner_rep)
    if lang == "en":
        switch_language(page, "en")
    page.goto(f"/participants/{participant_a.pk}/")
    view = page.locator("#partner-view")
    expect(view.locator("h2")).to_have_text(
        text(lang, "Pour les partenaires : travailler avec l’équipe", "For partners: working with the team")
    )
    expect(page.locator("#partner-worker")).to_contain_text("Maude Ouellet")
    expect(page.locator("#partner-worker a[href='mailto:maude@example.org']")).to_have_count(1)
    expect(page.locator("#partner-measures")).to_contain_text(
        text(lang, "Visites en duo seulement.", "Visits in pairs only.")
    )
    expect(page.locator("#partner-incidents")).to_contain_text(
        text(lang, "Hôpital", "Hospital or emergency room")
    )
    expect(page.locator("#partner-referrals")).to_contain_text("Suivi psychiatrique")
    expect(page.locator("main")).not_to_contain_text("Observation confidentielle")
    expect(page.locator("main")).not_to_contain_text("Récit confidentiel")
    assert_accessible(page, "participant file (partner view)")
    shot(page, "file", lang)

    # The case-management pages stay closed to a partner.
    for path in ("casework/", "risk/"):
        response = page.goto(f"/participants/{participant_a.pk}/{path}")
        assert response is not None
        assert response.status in (403, 404), path
