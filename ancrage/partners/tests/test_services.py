"""The registry (E1), agreements and their renewal alert, the monthly contact log (E2), police links."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import translation

from ancrage.core import clock
from ancrage.core.models import Alert, AuditEntry
from ancrage.core.permissions import Category, Role
from ancrage.partners import jobs, selectors, services
from ancrage.partners.models import PartnerAgreement
from ancrage.partners.tests.factories import make_partner
from ancrage.people.tests.factories import member, share
from ancrage.people.tests.helpers import exe_renamed_pdf, pdf_file

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def test_partner_create_is_audited_and_validated(program_manager_a):
    partner = make_partner(program_manager_a, address="1 rue X", contact_every_days=14)
    assert partner.cadence_days == 14
    assert AuditEntry.objects.filter(action="partners.partner.created", object_id=str(partner.pk)).exists()
    with pytest.raises(ValidationError) as exc:
        make_partner(program_manager_a, name="spvm — POSTE DE QUARTIER 23")
    assert "already" in exc.value.message_dict["name"][0]
    with pytest.raises(ValidationError) as exc:
        services.partner_create(actor=program_manager_a, name="  ", kind="nope", contact_every_days=0)
    assert set(exc.value.message_dict) == {"name", "kind", "contact_every_days"}


def test_partner_cannot_be_another_consortiums_organisation(program_manager_a):
    from ancrage.people.tests.factories import ConsortiumFactory, OrganisationFactory

    elsewhere = OrganisationFactory(
        consortium=ConsortiumFactory(name="Autre", short_name="AUT"), name="Ailleurs", short_name="AIL"
    )
    with pytest.raises(ValidationError) as exc:
        make_partner(program_manager_a, organisation=elsewhere)
    assert "organisation" in exc.value.message_dict


def test_agreement_checks_its_file_and_dates(program_manager_a):
    partner = make_partner(program_manager_a)
    today = clock.today()
    agreement = services.agreement_add(
        actor=program_manager_a,
        partner=partner,
        title="Entente",
        kind="service",
        signed_on=today,
        renewal_on=today + datetime.timedelta(days=365),
        upload=pdf_file(),
    )
    assert agreement.content_type == "application/pdf"
    assert agreement.file.name.endswith(".pdf")
    assert "entente" not in agreement.file.name
    with pytest.raises(ValidationError) as exc:
        services.agreement_add(
            actor=program_manager_a,
            partner=partner,
            title="Entente",
            kind="service",
            signed_on=datetime.date(1, 1, 1),
            renewal_on=datetime.date(9999, 1, 1),
            upload=exe_renamed_pdf(),
        )
    assert set(exc.value.message_dict) == {"signed_on", "renewal_on", "file"}
    assert PartnerAgreement.objects.count() == 1


def test_renewal_alert_job_alerts_once_within_the_setting(program_manager_a, org_a):
    coordinator = member(org_a, Role.COORDINATED_ACCESS)
    case_manager = member(org_a, Role.CASE_MANAGER)
    partner = make_partner(program_manager_a)
    today = clock.today()
    due = services.agreement_add(
        actor=program_manager_a,
        partner=partner,
        title="Bientôt",
        kind="service",
        signed_on=today - datetime.timedelta(days=300),
        renewal_on=today + datetime.timedelta(days=90),
    )
    services.agreement_add(
        actor=program_manager_a,
        partner=partner,
        title="Loin",
        kind="service",
        signed_on=today,
        renewal_on=today + datetime.timedelta(days=300),
    )
    assert jobs.agreements_alert_renewals() == 0
    with time_machine.travel(clock.start_of_day(today + datetime.timedelta(days=31)), tick=False):
        assert jobs.agreements_alert_renewals() == 2
        assert jobs.agreements_alert_renewals() == 0  # once per agreement and person
        assert list(selectors.agreements_due(program_manager_a)) == [due]
    recipients = set(
        Alert.objects.filter(kind="partners.agreement.renewal_due").values_list("recipient_id", flat=True)
    )
    assert recipients == {program_manager_a.pk, coordinator.pk}
    assert case_manager.pk not in recipients
    services.agreement_end(actor=program_manager_a, agreement=due, on=today)
    assert not Alert.objects.filter(kind="partners.agreement.renewal_due", resolved_at__isnull=True).exists()


def test_contacts_due_lists_partners_not_contacted_this_month(program_manager_a):
    today = datetime.date(2026, 11, 20)
    with time_machine.travel(clock.start_of_day(today), tick=False):
        never = make_partner(program_manager_a, name="Jamais", kind="food_bank")
        last_month = make_partner(program_manager_a, name="Mois passé", kind="legal_aid")
        fresh = make_partner(program_manager_a, name="Ce mois", kind="employment")
        weekly = make_partner(program_manager_a, name="Hebdo", kind="hospital", contact_every_days=7)
        for partner, on in (
            (last_month, datetime.date(2026, 10, 28)),
            (fresh, datetime.date(2026, 11, 3)),
            (weekly, datetime.date(2026, 11, 2)),
        ):
            services.contact_log_record(
                actor=program_manager_a,
                partner=partner,
                on=on,
                channel="phone",
                purpose="routine",
                summary="Suivi",
            )
        rows = {r.partner.name: r for r in selectors.contacts_due(program_manager_a)}
    assert set(rows) == {never.name, last_month.name, weekly.name}
    assert rows["Jamais"].overdue
    assert not rows["Mois passé"].overdue  # not this month yet, but within its 30 days
    assert rows["Hebdo"].overdue  # its own cadence: 7 days


def test_contact_log_refuses_bad_input(program_manager_a):
    partner = make_partner(program_manager_a)
    with pytest.raises(ValidationError) as exc:
        services.contact_log_record(
            actor=program_manager_a,
            partner=partner,
            on=clock.today() + datetime.timedelta(days=1),
            channel="pigeon",
            purpose="",
            summary="   ",
        )
    assert set(exc.value.message_dict) == {"on", "channel", "purpose", "summary"}


def test_police_link_counts_plans_and_names_only_visible_ones(
    program_manager_a, participant_a, case_manager_a, org_b
):
    from ancrage.casework.risk import services as risk_services

    police = make_partner(program_manager_a)
    plan = risk_services.risk_assess(
        actor=case_manager_a,
        participant=participant_a,
        assessed_on=clock.today(),
        level=2,
        rating="moderate",
        description="Agitation",
        notify_team_on_police=True,
    )
    services.police_link_set(actor=program_manager_a, partner=police, risk_plan=plan)
    count, shown = selectors.police_links_for(program_manager_a, police)
    assert count == 1
    assert [link.risk_plan_id for link in shown] == [plan.pk]
    manager_b = member(org_b, Role.PROGRAM_MANAGER)
    count, shown = selectors.police_links_for(manager_b, police)
    assert count == 1
    assert shown == []
    share(case_manager_a, participant_a, [org_b], [Category.IDENTITY, Category.RISK])
    assert len(selectors.police_links_for(manager_b, police)[1]) == 1
    hospital = make_partner(program_manager_a, name="Hôpital", kind="hospital")
    with pytest.raises(ValidationError):
        services.police_link_set(actor=program_manager_a, partner=hospital, risk_plan=plan)
