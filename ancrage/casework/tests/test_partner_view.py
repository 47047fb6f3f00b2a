"""A partner's view of a participant (issue 12, part 5; D7, E3): for each kind of information the consent
covers, what a partner needs (primary worker and how to reach the team, the risk plan's measures for
visitors, recent incidents, open referrals to the partner), and nothing else."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from ancrage.casework.models import (
    Enrollment,
    RiskAssessment,
    ServiceKind,
    ServiceReferral,
    ServiceReferralStatus,
)
from ancrage.casework.referrals import services as services_referrals
from ancrage.casework.risk import services as services_risk
from ancrage.core import clock
from ancrage.core.models import AuditEntry
from ancrage.core.permissions import Category
from ancrage.organisations.models import Program
from ancrage.people import services as people_services
from ancrage.people import visibility
from ancrage.people.models import Consent
from ancrage.people.tests.factories import ProgramFactory, share

pytestmark = pytest.mark.django_db

ALL_PARTS = (Category.IDENTITY, Category.HEALTH, Category.RISK)


@pytest.fixture
def file(case_manager_a, program_manager_a, participant_a, org_a, partner_org, consortium):
    """Participant A, enrolled with case manager A, with a risk plan, incidents and referrals."""
    org_a.phone = "514 555-0199"
    org_a.save()
    case_manager_a.first_name, case_manager_a.last_name = "Maude", "Ouellet"
    case_manager_a.email = "maude@example.org"
    case_manager_a.save()
    program = ProgramFactory(organisation=org_a, kind=Program.Kind.ICM)
    Enrollment.objects.create(
        participant=participant_a,
        program=program,
        primary_worker=case_manager_a,
        enrolled_on=clock.today() - datetime.timedelta(days=200),
    )
    services_risk.risk_assess(
        actor=case_manager_a,
        participant=participant_a,
        assessed_on=clock.today() - datetime.timedelta(days=3),
        level=RiskAssessment.Level.DISRUPTIVE,
        rating=RiskAssessment.Rating.HIGH,
        description="Observation confidentielle de l'équipe",
        paired_visits=True,
        other_measures="Ne pas venir seul·e le soir",
    )
    services_risk.incident_record(
        actor=case_manager_a,
        participant=participant_a,
        kind="police_called",
        occurred_at=clock.now() - datetime.timedelta(days=5),
        description="Récit confidentiel de l'incident",
    )
    services_risk.incident_record(
        actor=case_manager_a,
        participant=participant_a,
        kind="overdose",
        occurred_at=clock.now() - datetime.timedelta(days=200),
        description="Ancien",
    )

    def provider(name, kind, organisation):
        return services_referrals.provider_create(
            actor=program_manager_a, consortium=consortium, name=name, kind=kind, organisation=organisation
        )

    clinic = provider("Clinique du partenaire", ServiceKind.HEALTH, partner_org)
    job = provider("Emploi chez le partenaire", ServiceKind.EMPLOYMENT, partner_org)
    elsewhere = provider("Clinique ailleurs", ServiceKind.HEALTH, None)
    for p, need in (
        (clinic, "Suivi médical régulier"),
        (job, "Recherche d'emploi"),
        (elsewhere, "Autre suivi"),
    ):
        services_referrals.referral_create(
            actor=case_manager_a, participant=participant_a, provider=p, need=need
        )
    declined = services_referrals.referral_create(
        actor=case_manager_a, participant=participant_a, provider=clinic, need="Refusée plus tôt"
    )
    ServiceReferral.objects.filter(pk=declined.pk).update(status=ServiceReferralStatus.DECLINED)
    return participant_a


def page(client_for, user, participant, language="en"):
    user.language = language
    user.save()
    return client_for(user).get(reverse("people:detail", args=[participant.pk]))


def test_a_partner_whose_consent_covers_health_and_risk_sees_what_it_needs(
    client_for, case_manager_a, partner_rep, partner_org, file
):
    share(case_manager_a, file, [partner_org], ALL_PARTS)
    response = page(client_for, partner_rep, file)
    assert response.status_code == 200
    html = response.content.decode()
    assert "For partners: working with the team" in html
    # Primary worker and how to reach the team.
    assert "Maude Ouellet" in html
    assert "mailto:maude@example.org" in html
    assert "514 555-0199" in html
    # Risk plan measures for visitors, recent incidents; never what was observed nor what happened.
    assert "Visits in pairs only." in html
    assert "Ne pas venir seul·e le soir" in html
    assert "Police called" in html
    assert "Overdose" not in html  # 200 days ago: not recent
    assert "Observation confidentielle" not in html
    assert "Récit confidentiel" not in html
    # Open referrals to the partner, of the kinds the consent covers.
    assert "Suivi médical régulier" in html
    assert "Refusée plus tôt" not in html
    assert "Autre suivi" not in html
    assert "Recherche d'emploi" not in html  # employment tells of case notes, not covered
    entry = AuditEntry.objects.get(action="casework.partner_view.viewed", actor=partner_rep)
    assert entry.participant_id == file.pk
    assert entry.is_read
    assert entry.data["categories"] == sorted([Category.HEALTH, Category.IDENTITY, Category.RISK])


def test_in_french_too(client_for, case_manager_a, partner_rep, partner_org, file):
    share(case_manager_a, file, [partner_org], ALL_PARTS)
    html = page(client_for, partner_rep, file, language="fr").content.decode()
    assert "Pour les partenaires : travailler avec l’équipe" in html
    assert "Visites en duo seulement." in html
    assert "Police appelée" in html


def test_a_partner_whose_consent_covers_less_sees_less(
    client_for, case_manager_a, partner_rep, partner_org, file
):
    consent = share(case_manager_a, file, [partner_org], [Category.IDENTITY, Category.HEALTH])
    html = page(client_for, partner_rep, file).content.decode()
    assert "Maude Ouellet" in html
    assert "Suivi médical régulier" in html
    assert "Safety measures for visitors" not in html
    assert "Visits in pairs only." not in html
    assert "Police called" not in html
    # Identity only: the worker to call, no referral.
    people_services.consent_revoke(actor=case_manager_a, consent=consent, reason="Trop large")
    share(case_manager_a, file, [partner_org], [Category.IDENTITY])
    html = page(client_for, partner_rep, file).content.decode()
    assert "Maude Ouellet" in html
    assert "Suivi médical régulier" not in html
    assert "Open referrals to your organisation" not in html


def test_a_partner_whose_consent_ended_sees_nothing(
    client_for, case_manager_a, partner_rep, partner_org, file
):
    consent = share(case_manager_a, file, [partner_org], ALL_PARTS)
    Consent.objects.filter(pk=consent.pk).update(
        starts_on=clock.today() - datetime.timedelta(days=30),
        expires_on=clock.today() - datetime.timedelta(days=1),
    )
    # Dates written behind the services' back: the consent lookup is told, as the services tell it.
    visibility.refresh_consents([consent.pk])
    assert page(client_for, partner_rep, file).status_code == 404
    assert not AuditEntry.objects.filter(action="casework.partner_view.viewed").exists()


def test_case_management_pages_stay_closed_to_the_partner(
    client_for, case_manager_a, partner_rep, partner_org, file
):
    share(case_manager_a, file, [partner_org], ALL_PARTS)
    c = client_for(partner_rep)
    for name in (
        "casework:participant",
        "casework:risk_list",
        "casework:referral_list",
        "casework:exit_create",
    ):
        assert c.get(reverse(name, args=[file.pk])).status_code in (403, 404), name


def test_the_home_team_and_an_outsider_do_not_get_the_partner_view(
    client_for, case_manager_a, case_manager_b, file
):
    html = page(client_for, case_manager_a, file).content.decode()
    assert "For partners: working with the team" not in html
    assert page(client_for, case_manager_b, file).status_code == 404
