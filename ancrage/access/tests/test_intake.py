"""Closing an intake puts the person on the by-name list with a named reference worker (A1, A4)."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from ancrage.access import services
from ancrage.access.models import ByNameEntry, ByNameStatus, Referral
from ancrage.access.tests.factories import consent_for_access, make_referral
from ancrage.assessments import services as assessment_services
from ancrage.assessments.models import InstrumentVersion
from ancrage.assessments.tests.factories import load_shipped_instruments
from ancrage.core import clock
from ancrage.core.permissions import Role
from ancrage.people.tests.factories import make_participant, member

pytestmark = pytest.mark.django_db

ANSWERS = {"months_homeless": 24, "slept_last_night": "outside", "evicted": "yes"}


@pytest.fixture
def intake(case_manager_a, org_a):
    person = make_participant(case_manager_a, org_a, legal_first_name="Marc", legal_last_name="Leduc")
    consent_for_access(case_manager_a, person, [org_a])
    referral = make_referral(case_manager_a, person_name="Marc Leduc")
    return services.intake_start(actor=case_manager_a, referral=referral, participant=person)


def test_completing_the_intake_puts_the_person_on_the_list(client_for, case_manager_a, intake, org_a):
    worker = member(org_a, Role.CASE_MANAGER, username="worker")
    c = client_for(case_manager_a)
    url = reverse("access:intake_detail", args=[intake.pk])
    assert c.get(url).status_code == 200
    response = c.post(url, {"reference_worker": worker.pk, "entered_on": clock.today().isoformat()})
    assert response.status_code == 302
    entry = ByNameEntry.objects.get(participant=intake.participant)
    assert entry.reference_worker == worker
    assert entry.status == ByNameStatus.ACTIVE
    intake.refresh_from_db()
    assert intake.is_done
    assert intake.referral.status == "intake_done"
    # A second post changes nothing: the intake is closed.
    again = {"reference_worker": case_manager_a.pk, "entered_on": clock.today().isoformat()}
    assert c.post(url, again).status_code == 200
    entry.refresh_from_db()
    assert entry.reference_worker == worker


def test_bad_input_keeps_the_intake_open(client_for, case_manager_a, intake):
    c = client_for(case_manager_a)
    url = reverse("access:intake_detail", args=[intake.pk])
    response = c.post(url, {"reference_worker": "", "entered_on": "2999-01-01"})
    assert response.status_code == 200
    assert response.context["form"].errors
    intake.refresh_from_db()
    assert not intake.is_done
    assert not ByNameEntry.objects.filter(participant=intake.participant).exists()


def test_another_organisation_gets_404(client_for, case_manager_b, intake):
    assert (
        client_for(case_manager_b).get(reverse("access:intake_detail", args=[intake.pk])).status_code == 404
    )


def test_a_triage_given_before_the_list_places_the_person(case_manager_a, intake):
    load_shipped_instruments()
    version = (
        InstrumentVersion.objects.filter(instrument__key="acuity_screener").order_by("-created_at").first()
    )
    administration = assessment_services.administration_start(
        actor=case_manager_a, participant=intake.participant, version=version
    )
    administration = assessment_services.administration_save_answers(
        actor=case_manager_a, administration=administration, answers=ANSWERS, complete=True
    )
    services.intake_complete(actor=case_manager_a, intake=intake, reference_worker=case_manager_a)
    entry = ByNameEntry.objects.get(participant=intake.participant)
    assert entry.acuity_administration == administration
    assert entry.acuity_score == administration.score["total"]


def test_a_new_intake_brings_a_person_back_on_the_list(case_manager_a, intake, org_a):
    services.intake_complete(actor=case_manager_a, intake=intake, reference_worker=case_manager_a)
    entry = ByNameEntry.objects.get(participant=intake.participant)
    services.by_name_status_change(actor=case_manager_a, entry=entry, status="inactive", reason="Parti")
    referral = make_referral(case_manager_a, person_name="Marc Leduc")
    again = services.intake_start(actor=case_manager_a, referral=referral, participant=intake.participant)
    services.intake_complete(actor=case_manager_a, intake=again, reference_worker=case_manager_a)
    entry.refresh_from_db()
    assert entry.status == ByNameStatus.ACTIVE
    assert list(entry.changes.values_list("to_status", flat=True)) == ["active", "inactive", "active"]


def test_the_intake_closes_when_coordinated_access_consent_is_withdrawn(
    client_for, case_manager_a, org_a, org_b
):
    from ancrage.core.permissions import Category
    from ancrage.people import services as people_services
    from ancrage.people.tests.factories import share

    worker = member(org_b, Role.COORDINATED_ACCESS, username="acces_b")
    person = make_participant(case_manager_a, org_a, legal_first_name="Léa", legal_last_name="Roy")
    consent = consent_for_access(case_manager_a, person, [org_b])
    referral = make_referral(worker, person_name="Léa Roy")
    intake = services.intake_start(actor=worker, referral=referral, participant=person)
    url = reverse("access:intake_detail", args=[intake.pk])
    c = client_for(worker)
    assert c.get(url).status_code == 200
    people_services.consent_revoke(actor=case_manager_a, consent=consent, reason="Retire son accord")
    share(case_manager_a, person, [org_b], [Category.IDENTITY])
    assert c.get(url).status_code == 404


def test_a_referral_to_a_program_says_which_requirement_fails(client_for, case_manager_a, org_a):
    from ancrage.organisations.models import Program
    from ancrage.people.tests.factories import ProgramFactory

    program = ProgramFactory(
        organisation=org_a,
        kind=Program.Kind.ICM,
        eligibility=[{"criterion": "age", "min": 18, "max": 24}, {"criterion": "chronic"}],
    )
    person = make_participant(
        case_manager_a,
        org_a,
        legal_first_name="Paul",
        legal_last_name="Roy",
        date_of_birth=datetime.date(1970, 5, 1),
    )
    consent_for_access(case_manager_a, person, [org_a])
    c = client_for(case_manager_a)
    response = c.post(
        reverse("access:referral_create"),
        {
            "organisation": org_a.pk,
            "person_name": "Paul Roy",
            "source_kind": "hospital",
            "reason": "Sortie d'hôpital sans logement",
            "program": program.pk,
        },
    )
    assert response.status_code == 302
    referral = Referral.objects.get(person_name="Paul Roy")
    assert referral.program == program
    intake = services.intake_start(actor=case_manager_a, referral=referral, participant=person)
    type(case_manager_a).objects.filter(pk=case_manager_a.pk).update(language="en")
    html = c.get(reverse("access:intake_detail", args=[intake.pk])).content.decode()
    assert "Does not meet every requirement" in html
    assert "Does not meet “Age from 18 to 24”: age" in html
    assert "Cannot confirm “Chronically homeless”: no living situation recorded." in html


def test_a_referral_to_a_program_that_is_not_housing_first_is_refused(case_manager_a, org_a):
    from django.core.exceptions import ValidationError

    from ancrage.organisations.models import Program
    from ancrage.people.tests.factories import ProgramFactory

    program = ProgramFactory(organisation=org_a, kind=Program.Kind.RENT_PAYMENT)
    with pytest.raises(ValidationError) as error:
        make_referral(case_manager_a, program=program)
    assert "program" in error.value.message_dict
    assert not Referral.objects.exists()
