"""The landlords' book: validation in words, the audit trail, the check-in rule, and a complaint about a
tenancy raising its risk up to case management's visits."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from ancrage.core import clock
from ancrage.core.models import AuditEntry
from ancrage.core.permissions import Role
from ancrage.housing.book import selectors, services
from ancrage.housing.models import Complaint, Landlord, Tenancy
from ancrage.housing.tests.book_factories import make_building, make_landlord, make_tenancy, make_unit
from ancrage.people.tests.factories import member

pytestmark = pytest.mark.django_db


def test_landlord_create_is_audited(housing_specialist, shared_org):
    landlord = make_landlord(housing_specialist, shared_org, program_contact=housing_specialist)
    assert landlord.program_contact == housing_specialist
    assert AuditEntry.objects.filter(action="housing.landlord.created", object_id=str(landlord.pk)).exists()


def test_landlord_bad_values_are_refused_by_field(housing_specialist, shared_org, case_manager_a):
    with translation.override("en"), pytest.raises(ValidationError) as error:
        services.landlord_create(
            actor=housing_specialist,
            organisation=shared_org,
            name="x" * 10_000,
            kind="castle",
            email="not-an-email",
            checkin_every_days=9999,
            program_contact=case_manager_a,
            notes="a\x00b",
        )
    errors = error.value.message_dict
    assert set(errors) >= {"name", "kind", "email", "checkin_every_days", "program_contact", "notes"}
    assert Landlord.objects.count() == 0


def test_another_teams_landlord_cannot_be_changed(housing_specialist, shared_org, org_b):
    landlord = make_landlord(housing_specialist, shared_org)
    stranger = member(org_b, Role.HOUSING_SPECIALIST)
    with pytest.raises(ValidationError):
        services.landlord_update(actor=stranger, landlord=landlord, name="Autre")
    with pytest.raises(ValidationError):
        services.contact_log(
            actor=stranger,
            landlord=landlord,
            contacted_on=clock.today(),
            channel="phone",
            purpose="check_in",
            summary="Bonjour",
        )
    landlord.refresh_from_db()
    assert landlord.name == "Gestion Lafontaine"


def test_update_and_retire(housing_specialist, shared_org):
    landlord = make_landlord(housing_specialist, shared_org)
    services.landlord_update(actor=housing_specialist, landlord=landlord, phone="514-555-0101")
    entry = AuditEntry.objects.get(action="housing.landlord.updated")
    assert entry.data["changes"]["phone"] == ["", "514-555-0101"]
    services.landlord_retire(actor=housing_specialist, landlord=landlord, reason="Vendu")
    landlord.refresh_from_db()
    assert not landlord.is_active
    with pytest.raises(ValidationError):
        services.landlord_retire(actor=housing_specialist, landlord=landlord, reason="Encore")


def test_representative_needs_a_way_to_reach_them(housing_specialist, shared_org):
    landlord = make_landlord(housing_specialist, shared_org)
    with pytest.raises(ValidationError) as error:
        services.representative_add(
            actor=housing_specialist, landlord=landlord, name="Jos", role="superintendent"
        )
    assert "phone" in error.value.message_dict
    rep = services.representative_add(
        actor=housing_specialist, landlord=landlord, name="Jos", role="superintendent", phone="514-555-0199"
    )
    assert AuditEntry.objects.filter(action="housing.representative.added", object_id=str(rep.pk)).exists()


def test_contact_dates_are_bounded(housing_specialist, shared_org):
    landlord = make_landlord(housing_specialist, shared_org)
    for day in (datetime.date(1, 1, 1), datetime.date(9999, 12, 31)):
        with pytest.raises(ValidationError) as error:
            services.contact_log(
                actor=housing_specialist,
                landlord=landlord,
                contacted_on=day,
                channel="phone",
                purpose="check_in",
                summary="Appel",
            )
        assert "contacted_on" in error.value.message_dict


def _due(user) -> set[int]:
    return {landlord.pk for landlord in selectors.checkins_due(selectors.landlords_visible_to(user))}


def test_checkin_due_rule(housing_specialist, shared_org, time_machine, settings):
    settings.ANCRAGE = {**settings.ANCRAGE, "LANDLORD_CHECKIN_DAYS": 60}
    time_machine.move_to(datetime.datetime(2026, 3, 1, 12, tzinfo=datetime.UTC))
    never = make_landlord(housing_specialist, shared_org, name="Jamais appelé")
    called = make_landlord(housing_specialist, shared_org, name="Appelé")
    often = make_landlord(housing_specialist, shared_org, name="Souvent", checkin_every_days=14)
    for landlord in (called, often):
        services.contact_log(
            actor=housing_specialist,
            landlord=landlord,
            contacted_on=clock.today(),
            channel="phone",
            purpose="negotiation",
            summary="Loyer",
        )
    assert _due(housing_specialist) == {never.pk}
    time_machine.move_to(datetime.datetime(2026, 3, 15, 12, tzinfo=datetime.UTC))
    assert _due(housing_specialist) == {never.pk, often.pk}
    time_machine.move_to(datetime.datetime(2026, 4, 29, 12, tzinfo=datetime.UTC))
    assert _due(housing_specialist) == {never.pk, often.pk}  # 59 days: not yet
    time_machine.move_to(datetime.datetime(2026, 4, 30, 12, tzinfo=datetime.UTC))
    assert _due(housing_specialist) == {never.pk, often.pk, called.pk}
    services.landlord_retire(actor=housing_specialist, landlord=never, reason="Vendu")
    assert _due(housing_specialist) == {often.pk, called.pk}


def test_home_card_puts_the_contacts_own_landlords_first(housing_specialist, shared_org):
    colleague = member(shared_org, Role.HOUSING_SPECIALIST)
    make_landlord(housing_specialist, shared_org, name="Aaa d'un collègue", program_contact=colleague)
    mine = make_landlord(housing_specialist, shared_org, name="Zzz à moi", program_contact=housing_specialist)
    rows, total = selectors.checkins_due_for(housing_specialist)
    assert total == 2
    assert rows[0].pk == mine.pk


@pytest.fixture
def tenancy(housing_specialist, shared_org, case_manager_a, participant_a):
    landlord = make_landlord(housing_specialist, shared_org)
    unit = make_unit(make_building(housing_specialist, landlord), housing_specialist)
    return make_tenancy(participant_a, unit, case_manager_a)


def test_a_complaint_about_a_tenancy_raises_its_risk_and_the_visits(
    housing_specialist, tenancy, case_manager_a, org_a, settings
):
    from ancrage.casework.models import Enrollment
    from ancrage.people.tests.factories import ProgramFactory

    program = ProgramFactory(organisation=org_a, kind="icm")
    enrollment = Enrollment.objects.create(
        participant=tenancy.participant,
        program=program,
        primary_worker=case_manager_a,
        enrolled_on=clock.today() - datetime.timedelta(days=30),
    )
    complaint = services.complaint_record(
        actor=housing_specialist,
        landlord=tenancy.landlord,
        tenancy=tenancy,
        kind="complaint",
        subject="noise",
        received_at=clock.now(),
    )
    assert complaint.unit == tenancy.unit
    tenancy.refresh_from_db()
    enrollment.refresh_from_db()
    assert tenancy.risk == Tenancy.Risk.WATCH
    assert enrollment.tenancy_at_risk_since == clock.today()
    assert enrollment.visits_per_week >= settings.ANCRAGE["VISITS_PER_WEEK_TENANCY_AT_RISK"]
    services.complaint_record(
        actor=housing_specialist,
        landlord=tenancy.landlord,
        tenancy=tenancy,
        kind="notice",
        subject="rent",
        received_at=clock.now(),
    )
    tenancy.refresh_from_db()
    assert tenancy.risk == Tenancy.Risk.HIGH
    entry = AuditEntry.objects.filter(action="housing.tenancy.risk_changed").latest("id")
    assert entry.participant_id == tenancy.participant_id
    # Resolving lowers nothing: the team decides, with a reason.
    for open_one in Complaint.objects.filter(resolved_at__isnull=True):
        services.complaint_resolve(actor=housing_specialist, complaint=open_one, resolution="Entente")
    tenancy.refresh_from_db()
    assert tenancy.risk == Tenancy.Risk.HIGH
    with pytest.raises(ValidationError):
        services.tenancy_set_risk(actor=housing_specialist, tenancy=tenancy, risk="none", reason=" ")
    services.tenancy_set_risk(actor=housing_specialist, tenancy=tenancy, risk="none", reason="Stable")
    tenancy.refresh_from_db()
    assert tenancy.risk == Tenancy.Risk.NONE


def test_complaint_times_and_second_resolution(housing_specialist, tenancy):
    received = clock.now() - datetime.timedelta(hours=5)
    complaint = services.complaint_record(
        actor=housing_specialist,
        landlord=tenancy.landlord,
        kind="complaint",
        subject="guests",
        received_at=received,
    )
    assert complaint.tenancy is None
    tenancy.refresh_from_db()
    assert tenancy.risk == Tenancy.Risk.NONE  # about the landlord, not a tenancy
    services.complaint_respond(
        actor=housing_specialist, complaint=complaint, at=received + datetime.timedelta(hours=1)
    )
    complaint.refresh_from_db()
    assert complaint.time_to_first_response == datetime.timedelta(hours=1)
    with pytest.raises(ValidationError):
        services.complaint_respond(actor=housing_specialist, complaint=complaint)
    services.complaint_resolve(actor=housing_specialist, complaint=complaint, resolution="Parlé au locataire")
    with pytest.raises(ValidationError):
        services.complaint_resolve(actor=housing_specialist, complaint=complaint, resolution="Encore")
    complaint.refresh_from_db()
    assert complaint.resolution == "Parlé au locataire"


def test_complaint_refuses_another_landlords_tenancy_and_a_response_before_receipt(
    housing_specialist, shared_org, tenancy
):
    other = make_landlord(housing_specialist, shared_org, name="Autre")
    with translation.override("en"), pytest.raises(ValidationError) as error:
        services.complaint_record(
            actor=housing_specialist,
            landlord=other,
            tenancy=tenancy,
            kind="tal",
            subject="rent",
            received_at=clock.now(),
            first_response_at=clock.now() - datetime.timedelta(days=2),
        )
    assert {"tenancy", "first_response_at"} <= set(error.value.message_dict)
    assert not Complaint.objects.exists()


def test_unit_book_details_are_validated_and_audited(housing_specialist, shared_org, org_b):
    from ancrage.housing import services as unit_services
    from ancrage.housing.tests.book_factories import area

    landlord = make_landlord(housing_specialist, shared_org)
    building = make_building(housing_specialist, landlord)
    stranger = member(org_b, Role.HOUSING_SPECIALIST)
    theirs = make_building(stranger, make_landlord(stranger, org_b, name="Autre équipe"))
    values = {
        "organisation": shared_org,
        "address": "4500 rue Wellington",
        "area": area(),
        "kind": "scattered_site",
        "bedrooms": 1,
        "monthly_rent": 800,
        "features": [],
        "requirements": [],
        "available_from": clock.today(),
        "open_for_matching": False,
    }
    with translation.override("en"), pytest.raises(ValidationError) as error:
        unit_services.unit_create(
            actor=housing_specialist,
            building=theirs,
            utilities=["jacuzzi"],
            condition="ruined",
            available_until=clock.today() - datetime.timedelta(days=1),
            **values,
        )
    assert set(error.value.message_dict) >= {"building", "utilities", "condition", "available_until"}
    unit = unit_services.unit_create(
        actor=housing_specialist, building=building, unit_number="4", utilities=["heating"], **values
    )
    assert unit.building == building
    unit_services.unit_update(actor=housing_specialist, unit=unit, condition="major_repairs")
    entry = AuditEntry.objects.filter(action="housing.unit.updated").latest("id")
    assert entry.data["changes"]["condition"] == ["good", "major_repairs"]
    services.unit_withdraw(actor=housing_specialist, unit=unit, reason="Vendu")
    unit.refresh_from_db()
    assert unit.status == "off_market"
    with pytest.raises(ValidationError):
        services.unit_withdraw(actor=housing_specialist, unit=unit, reason="Encore")
