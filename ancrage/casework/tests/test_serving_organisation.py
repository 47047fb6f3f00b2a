"""An organisation serves a participant when it is their home organisation or the organisation of a program in
which they are actively enrolled: coordinated access matches people to other organisations' ICM and ACT
programs, and the receiving organisation records their casework in its own name (under consent for reading)."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from ancrage.casework import selectors
from ancrage.casework.caseload.services import enrollment_create
from ancrage.casework.contacts import services as services_contacts
from ancrage.casework.exits import services as services_exits
from ancrage.casework.models import (
    Contact,
    Enrollment,
    Exit,
    FieldVisit,
    Incident,
    RecoveryPlan,
    RiskAssessment,
    ServiceKind,
    ServiceReferral,
)
from ancrage.casework.plans import services as services_plans
from ancrage.casework.referrals import services as referrals_services
from ancrage.casework.risk import services as risk_services
from ancrage.casework.risk import services as services_referrals
from ancrage.casework.tests.factories_caseload import make_program, make_worker, transferred_match
from ancrage.core import clock
from ancrage.core.models import Alert
from ancrage.core.permissions import Category, Role
from ancrage.people.tests.factories import OrganisationFactory, share

pytestmark = pytest.mark.django_db

WRITE_PAGES = (
    "casework:contact_create",
    "casework:visit_plan",
    "casework:risk_create",
    "casework:incident_create",
    "casework:referral_create",
    "casework:exit_create",
    "casework:enrollment_settings",
    "casework:plan_edit",
)
# For team leads (a case manager lacks their permission: 404 as well, as for a file not seen).
LEAD_PAGES = (*WRITE_PAGES, "casework:assign", "casework:enroll")


@pytest.fixture
def world(org_a, org_b, case_manager_a, case_manager_b, consortium):
    program_b = make_program(org_b, name="SIV Mission B")
    lead_b = make_worker(org_b, role=Role.TEAM_LEAD, username="lead_b")
    match = transferred_match(case_manager_a, org_a, program_b, legal_first_name="Noémie")
    org_c = OrganisationFactory(consortium=consortium, name="Mission C", short_name="MC")
    case_manager_c = make_worker(org_c, username="gc_c")
    # An assisted transfer shares identity (and coordinated access) with the receiving organisation.
    share(case_manager_a, match.participant, [org_b], [Category.IDENTITY, Category.COORDINATED_ACCESS])
    return {
        "program_b": program_b,
        "lead_b": lead_b,
        "match": match,
        "p": match.participant,
        "org_c": org_c,
        "case_manager_c": case_manager_c,
    }


def _enroll_b(w, case_manager_b):
    return enrollment_create(
        actor=w["lead_b"],
        participant=w["p"],
        program=w["program_b"],
        primary_worker=case_manager_b,
        match=w["match"],
    )


def _consent_for_b(case_manager_a, w, org_b, extra=()):
    share(case_manager_a, w["p"], [org_b], [Category.IDENTITY, Category.CASE_NOTES, *extra])


def test_serving_organisations_are_home_and_active_enrollments(
    world, org_a, org_b, case_manager_a, case_manager_b
):
    p = world["p"]
    assert selectors.serving_organisation_ids(p) == frozenset({org_a.pk})
    _consent_for_b(case_manager_a, world, org_b)
    enrollment = _enroll_b(world, case_manager_b)
    assert selectors.serving_organisation_ids(p) == frozenset({org_a.pk, org_b.pk})
    assert selectors.writing_organisation_id(case_manager_b, p) == org_b.pk
    assert selectors.writing_organisation_id(case_manager_a, p) == org_a.pk
    assert selectors.writing_organisation_id(world["case_manager_c"], p) is None
    Enrollment.objects.filter(pk=enrollment.pk).update(status=Enrollment.Status.EXITED)
    assert selectors.serving_organisation_ids(p) == frozenset({org_a.pk})


def test_home_first_when_the_actor_works_in_several_serving_organisations(
    world, org_a, org_b, case_manager_a, case_manager_b
):
    from ancrage.accounts.models import Membership

    _consent_for_b(case_manager_a, world, org_b)
    _enroll_b(world, case_manager_b)
    Membership.objects.create(user=case_manager_b, organisation=org_a, role=Role.CASE_MANAGER)
    case_manager_b.refresh_from_db()
    for attr in ("organisation_ids", "primary_membership"):
        case_manager_b.__dict__.pop(attr, None)
    assert selectors.writing_organisation_id(case_manager_b, world["p"]) == org_a.pk


def test_enrollment_in_another_organisation_needs_consent_for_identity_and_case_notes(
    world, org_b, case_manager_a, case_manager_b
):
    with pytest.raises(ValidationError) as exc:
        _enroll_b(world, case_manager_b)
    message = exc.value.message_dict["program"][0]
    assert "Mission B" in message
    assert str(Category.CASE_NOTES.label) in message
    assert str(Category.IDENTITY.label) not in message  # shared at the transfer
    assert "Consignez d'abord le consentement" in message
    assert not Enrollment.objects.filter(participant=world["p"]).exists()

    _consent_for_b(case_manager_a, world, org_b)
    enrollment = _enroll_b(world, case_manager_b)
    assert enrollment.program == world["program_b"]
    assert enrollment.match == world["match"]


def test_enrollment_names_both_missing_kinds_and_needs_a_visible_participant(world, org_b, case_manager_b):
    from ancrage.people.tests.factories import make_participant

    other = make_participant(case_manager_b, world["org_c"], legal_first_name="Inconnu")
    with pytest.raises(ValidationError) as exc:
        enrollment_create(
            actor=world["lead_b"],
            participant=other,
            program=world["program_b"],
            primary_worker=case_manager_b,
        )
    assert "ne pouvez pas voir le dossier" in exc.value.message_dict["program"][0]


def test_enroll_page_from_the_match_for_the_receiving_team_lead(
    world, org_b, case_manager_a, case_manager_b, client_for
):
    match, p = world["match"], world["p"]
    client = client_for(world["lead_b"])
    page = client.get(reverse("access:match_detail", args=[match.pk]))
    enroll_url = reverse("casework:enroll", args=[p.pk])
    assert page.status_code == 200
    assert f"{enroll_url}?match={match.pk}" in page.content.decode()

    response = client.get(enroll_url, {"match": match.pk})
    assert response.status_code == 200
    data = {
        "program": world["program_b"].pk,
        "primary_worker": case_manager_b.pk,
        "team": "",
        "enrolled_on": clock.today().isoformat(),
        "match": match.pk,
    }
    refused = client.post(enroll_url, data)
    assert refused.status_code == 200
    assert "Mission B" in refused.content.decode()
    assert not Enrollment.objects.filter(participant=p).exists()

    _consent_for_b(case_manager_a, world, org_b)
    done = client.post(enroll_url, data)
    assert done.status_code == 302
    assert Enrollment.objects.get(participant=p).program == world["program_b"]
    # A third organisation's team lead never reaches the page.
    lead_c = make_worker(world["org_c"], role=Role.TEAM_LEAD, username="lead_c")
    assert client_for(lead_c).get(enroll_url).status_code == 404


def test_serving_organisation_records_casework_in_its_own_name(
    world, org_a, org_b, case_manager_a, case_manager_b, client_for
):
    p = world["p"]
    _consent_for_b(case_manager_a, world, org_b, extra=[Category.RISK])
    enrollment = _enroll_b(world, case_manager_b)
    now = clock.now()

    # B's case manager: the write pages open.
    client = client_for(case_manager_b)
    for name in (
        "casework:contact_create",
        "casework:visit_plan",
        "casework:risk_create",
        "casework:incident_create",
    ):
        assert client.get(reverse(name, args=[p.pk])).status_code == 200, name
    overview = client.get(reverse("casework:participant", args=[p.pk])).content.decode()
    assert reverse("casework:contact_create", args=[p.pk]) in overview

    contact = services_contacts.contact_log(
        actor=case_manager_b,
        participant=p,
        occurred_at=now - datetime.timedelta(hours=1),
        duration_minutes=30,
        kind="home",
        shared_note="Rencontre à l'appartement",
        private_note="Note de B",
    )
    assert contact.organisation == org_b
    assert contact.enrollment == enrollment
    with pytest.raises(ValidationError) as exc:
        services_contacts.contact_log(
            actor=case_manager_b,
            participant=p,
            occurred_at=now - datetime.timedelta(hours=1),
            duration_minutes=30,
            kind="home",
            staff=[case_manager_a],
        )
    assert "staff" in exc.value.message_dict

    visit = services_contacts.visit_plan(
        actor=case_manager_b,
        participant=p,
        location="Appartement",
        planned_start=now + datetime.timedelta(hours=1),
        planned_end=now + datetime.timedelta(hours=2),
    )
    assert visit.organisation == org_b
    with pytest.raises(ValidationError):
        services_contacts.visit_plan(
            actor=case_manager_b,
            participant=p,
            location="Appartement",
            planned_start=now + datetime.timedelta(hours=1),
            planned_end=now + datetime.timedelta(hours=2),
            companions=[case_manager_a],
        )
    # Overdue: B's team lead hears of it, not A's.
    lead_a = make_worker(org_a, role=Role.TEAM_LEAD, username="lead_a")
    recipients = services_contacts.overdue_recipients(visit, now + datetime.timedelta(hours=3))
    assert world["lead_b"] in recipients
    assert lead_a not in recipients

    plan = services_plans.plan_create(actor=case_manager_b, enrollment=enrollment)
    assert isinstance(plan, RecoveryPlan)
    assert client.get(reverse("casework:plan_edit", args=[p.pk])).status_code == 200

    risk = risk_services.risk_assess(
        actor=case_manager_b,
        participant=p,
        assessed_on=clock.today(),
        level=RiskAssessment.Level.values[0],
        rating=RiskAssessment.Rating.values[0],
        description="Voisinage tendu",
    )
    assert risk.organisation == org_b

    provider = referrals_services.provider_create(
        actor=world["lead_b"], consortium=org_b.consortium, name="Emploi Québec", kind=ServiceKind.EMPLOYMENT
    )
    referral = referrals_services.referral_create(
        actor=case_manager_b, participant=p, provider=provider, need="Trouver un emploi"
    )
    assert referral.organisation == org_b

    incident = services_referrals.incident_record(
        actor=case_manager_b,
        participant=p,
        kind=Incident.Kind.values[0],
        occurred_at=now - datetime.timedelta(minutes=30),
        description="Dispute avec un voisin",
    )
    assert incident.organisation == org_b
    # The team of the enrollment (its team lead) and the home organisation's team leads are told.
    told = set(Alert.objects.filter(kind="casework.incident.recorded").values_list("recipient_id", flat=True))
    assert {world["lead_b"].pk, lead_a.pk} <= told

    # A's case manager still records, in A's name.
    contact_a = services_contacts.contact_log(
        actor=case_manager_a,
        participant=p,
        occurred_at=now - datetime.timedelta(minutes=20),
        duration_minutes=15,
        kind="phone",
        private_note="Note de A",
    )
    assert contact_a.organisation == org_a
    # Private notes stay with the organisation that wrote them.
    listing = client.get(reverse("casework:contact_list", args=[p.pk])).content.decode()
    assert "Note de B" in listing
    assert "Note de A" not in listing

    # The exit, by B (the program's organisation).
    exit_ = services_exits.exit_record(
        actor=case_manager_b,
        enrollment=enrollment,
        kind=Exit.Kind.PLANNED,
        reason=Exit.Reason.GOALS_REACHED,
        exited_on=clock.today(),
        destination=Exit.Destination.OWN_HOUSING,
        procedure_given_on=clock.today(),
    )
    assert exit_.enrollment.status == Enrollment.Status.EXITED
    assert Contact.objects.filter(organisation=org_b).count() == 1
    assert FieldVisit.objects.get(pk=visit.pk).status == FieldVisit.Status.CANCELLED
    assert ServiceReferral.objects.filter(organisation=org_b).count() == 1

    # After the enrollment ended, B no longer writes...
    for name in WRITE_PAGES:
        assert client.get(reverse(name, args=[p.pk])).status_code == 404, name
    with pytest.raises(ValidationError):
        services_contacts.contact_log(
            actor=case_manager_b,
            participant=p,
            occurred_at=now - datetime.timedelta(minutes=10),
            duration_minutes=15,
            kind="phone",
        )
    # ... but reads the history within consent.
    assert client.get(reverse("casework:contact_list", args=[p.pk])).status_code == 200
    assert client.get(reverse("casework:plan", args=[p.pk])).status_code == 200
    assert client.get(reverse("casework:incident_list", args=[p.pk])).status_code == 200
    for name in LEAD_PAGES:
        assert client_for(world["lead_b"]).get(reverse(name, args=[p.pk])).status_code == 404, name
    # A's case manager still can.
    assert client_for(case_manager_a).get(reverse("casework:contact_create", args=[p.pk])).status_code == 200


def test_a_third_organisation_gets_404_on_every_write(
    world, org_b, case_manager_a, case_manager_b, client_for
):
    p = world["p"]
    _consent_for_b(case_manager_a, world, org_b)
    _enroll_b(world, case_manager_b)
    # Even a consent naming C opens reading only.
    share(case_manager_a, p, [world["org_c"]], [Category.IDENTITY, Category.CASE_NOTES, Category.RISK])
    c = world["case_manager_c"]
    client = client_for(c)
    assert client.get(reverse("casework:contact_list", args=[p.pk])).status_code == 200
    for name in WRITE_PAGES:
        assert client.get(reverse(name, args=[p.pk])).status_code == 404, name
    lead_c = make_worker(world["org_c"], role=Role.TEAM_LEAD, username="lead_c")
    client = client_for(lead_c)
    for name in LEAD_PAGES:
        assert client.get(reverse(name, args=[p.pk])).status_code == 404, name
    with pytest.raises(ValidationError):
        services_contacts.contact_log(
            actor=c,
            participant=p,
            occurred_at=clock.now() - datetime.timedelta(minutes=10),
            duration_minutes=15,
            kind="phone",
        )
    with pytest.raises(ValidationError):
        services_referrals.incident_record(
            actor=c,
            participant=p,
            kind=Incident.Kind.values[0],
            occurred_at=clock.now(),
            description="x",
        )


def test_exit_only_by_the_programs_organisation_or_home(world, org_a, org_b, case_manager_a, case_manager_b):
    p = world["p"]
    _consent_for_b(case_manager_a, world, org_b)
    enrollment = _enroll_b(world, case_manager_b)
    values = {
        "kind": Exit.Kind.PLANNED,
        "reason": Exit.Reason.GOALS_REACHED,
        "exited_on": clock.today(),
        "destination": Exit.Destination.OWN_HOUSING,
        "procedure_given_on": clock.today(),
    }
    with pytest.raises(ValidationError):
        services_exits.exit_record(actor=world["case_manager_c"], enrollment=enrollment, **values)
    # The home organisation may record it too.
    exit_ = services_exits.exit_record(actor=case_manager_a, enrollment=enrollment, **values)
    assert exit_.enrollment.participant == p


def test_on_call_log_about_a_participant_the_organisation_serves(
    world, org_b, case_manager_a, case_manager_b
):
    p = world["p"]
    values = {
        "called_at": clock.now() - datetime.timedelta(minutes=10),
        "caller": "Concierge",
        "summary": "Bruit la nuit",
        "participant": p,
    }
    with pytest.raises(ValidationError) as exc:
        services_referrals.on_call_log(actor=case_manager_b, organisation=org_b, **values)
    assert "participant" in exc.value.message_dict
    _consent_for_b(case_manager_a, world, org_b)
    _enroll_b(world, case_manager_b)
    entry = services_referrals.on_call_log(actor=case_manager_b, organisation=org_b, **values)
    assert entry.organisation == org_b
    with pytest.raises(ValidationError):
        services_referrals.on_call_log(actor=world["case_manager_c"], organisation=world["org_c"], **values)
