"""Coordinated access as a hub (A1): the hub opens files and does intakes, hands files over with consent, and
partner agencies refer people and follow their referrals."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from ancrage.access import services
from ancrage.access.models import ByNameEntry, Referral
from ancrage.access.tests.factories import consent_for_access, make_referral
from ancrage.core import clock
from ancrage.core.models import AuditEntry
from ancrage.core.permissions import Category, Role
from ancrage.organisations.models import Organisation
from ancrage.people import services as people_services
from ancrage.people.models import Participant
from ancrage.people.tests.factories import OrganisationFactory, make_participant, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def hub(consortium):
    return OrganisationFactory(
        consortium=consortium,
        name="Accès coordonné",
        short_name="ACC",
        kind=Organisation.Kind.COORDINATED_ACCESS,
    )


@pytest.fixture
def hub_worker(hub):
    return member(hub, Role.COORDINATED_ACCESS, username="acces_test")


@pytest.fixture
def other_partner(consortium):
    org = OrganisationFactory(
        consortium=consortium, name="Tremplin", short_name="TR", kind=Organisation.Kind.PARTNER
    )
    return member(org, Role.PARTNER, username="partenaire_2")


def test_the_hub_opens_a_file_from_an_intake_and_comes_back_to_it(client_for, hub, hub_worker):
    referral = make_referral(hub_worker, person_name="Rosalie Nouveau")
    c = client_for(hub_worker)
    intake_url = reverse("access:intake_start", args=[referral.pk])
    page = c.get(intake_url)
    assert page.status_code == 200
    # The new-file button carries the way back and the name as referred.
    assert "next=" in page.content.decode()
    assert "legal_last_name=Nouveau" in page.content.decode()
    create = reverse("people:create") + "?next=" + intake_url
    assert c.get(create + "&legal_last_name=Nouveau").context["form"].initial["legal_last_name"] == "Nouveau"
    response = c.post(
        create,
        {
            "organisation": hub.pk,
            "legal_first_name": "Rosalie",
            "legal_last_name": "Nouveau",
            "dob_quality": "not_collected",
            "gender": "not_collected",
            "communication_language": "fr-ca",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    person = Participant.objects.get(legal_last_name="Nouveau")
    assert person.organisation == hub
    assert response["Location"] == f"{intake_url}?participant={person.pk}"
    # Back on the intake, the file opened comes first and asks for the consent.
    page = c.get(response["Location"])
    assert page.context["opened"] == person
    assert "for=coordinated_access" in page.content.decode()


def test_the_hub_records_the_consent_then_does_the_intake(client_for, hub, hub_worker):
    person = make_participant(hub_worker, hub, legal_first_name="Rosalie", legal_last_name="Nouveau")
    referral = make_referral(hub_worker, person_name="Rosalie Nouveau")
    c = client_for(hub_worker)
    intake_url = reverse("access:intake_start", args=[referral.pk])
    consent_url = reverse("people:consent_create", args=[person.pk])
    form = c.get(consent_url + "?for=coordinated_access").context["form"]
    assert Category.COORDINATED_ACCESS in form.initial["categories"]
    assert form.initial["organisations"] == [hub.pk]
    response = c.post(
        consent_url + f"?next={intake_url}%3Fparticipant%3D{person.pk}",
        {
            "organisations": [hub.pk],
            "categories": [Category.IDENTITY, Category.COORDINATED_ACCESS],
            "purpose": "Accès coordonné",
            "starts_on": "2026-01-05",
            "method": "written",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == f"{intake_url}?participant={person.pk}"
    response = c.post(intake_url, {"participant": person.pk})
    assert response.status_code == 302
    intake = Referral.objects.get(pk=referral.pk).intake
    response = c.post(
        reverse("access:intake_detail", args=[intake.pk]),
        {"reference_worker": hub_worker.pk, "entered_on": clock.today().isoformat()},
    )
    assert response.status_code == 302
    assert ByNameEntry.objects.filter(participant=person, reference_worker=hub_worker).exists()
    listed = c.get(reverse("access:by_name_list")).context["page"].object_list
    assert [e.participant for e in listed] == [person]


def test_the_home_page_button_opens_a_file_for_the_hub(client_for, hub, hub_worker):
    response = client_for(hub_worker).get(reverse("people:create"))
    assert response.status_code == 200
    assert list(response.context["org_form"].fields["organisation"].queryset) == [hub]


def test_a_partner_agency_still_cannot_hold_a_file(partner_org, partner_rep):
    with pytest.raises(ValidationError):
        people_services.participant_create(
            actor=partner_rep, organisation=partner_org, legal_first_name="A", legal_last_name="B"
        )


# --- the file changes home organisation ---------------------------------------------------------------


def test_the_transfer_needs_the_consent_of_the_person(hub, hub_worker, org_a):
    person = make_participant(hub_worker, hub)
    with pytest.raises(ValidationError) as refused:
        people_services.participant_transfer(
            actor=hub_worker, participant=person, organisation=org_a, reason="Suivi intensif"
        )
    assert "consent" in str(refused.value)
    person.refresh_from_db()
    assert person.organisation == hub
    # Consent for coordinated access only does not share the file with the organisation either.
    consent_for_access(hub_worker, person, [hub])
    with pytest.raises(ValidationError):
        people_services.participant_transfer(
            actor=hub_worker, participant=person, organisation=org_a, reason="Suivi intensif"
        )


def test_the_transfer_is_audited(client_for, hub, hub_worker, org_a):
    person = make_participant(hub_worker, hub)
    consent_for_access(hub_worker, person, [hub, org_a])
    c = client_for(hub_worker)
    url = reverse("people:transfer", args=[person.pk])
    page = c.get(url)
    assert page.status_code == 200
    assert org_a in page.context["form"].fields["organisation"].queryset
    # A reason is required, said in words; nothing changes.
    response = c.post(url, {"organisation": org_a.pk, "reason": ""})
    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    response = c.post(url, {"organisation": org_a.pk, "reason": "Pris en charge par l'équipe SI"})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.organisation == org_a
    entry = AuditEntry.objects.get(action="people.participant.transferred", participant=person)
    assert entry.data["from"] == hub.pk
    assert entry.data["to"] == org_a.pk


def test_the_receiving_organisation_takes_the_person_on(client_for, hub, hub_worker, org_a, case_manager_a):
    person = make_participant(hub_worker, hub)
    consent_for_access(hub_worker, person, [hub, org_a])
    c = client_for(case_manager_a)
    page = c.get(reverse("people:transfer", args=[person.pk]))
    # From outside, only its own organisation is offered.
    assert list(page.context["form"].fields["organisation"].queryset) == [org_a]
    response = c.post(
        reverse("people:transfer", args=[person.pk]), {"organisation": org_a.pk, "reason": "Admis"}
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.organisation == org_a


def test_an_outsider_gets_404_on_the_transfer(client_for, hub, hub_worker, case_manager_b, org_b):
    person = make_participant(hub_worker, hub)
    consent_for_access(hub_worker, person, [hub])
    url = reverse("people:transfer", args=[person.pk])
    assert client_for(case_manager_b).get(url).status_code == 404
    assert client_for(case_manager_b).post(url, {"organisation": org_b.pk, "reason": "x"}).status_code == 404
    person.refresh_from_db()
    assert person.organisation == hub


# --- a partner agency refers people and follows its referrals -----------------------------------------


def test_a_partner_refers_a_person_to_the_hub(client_for, hub, hub_worker, partner_rep, partner_org):
    c = client_for(partner_rep)
    page = c.get(reverse("access:referral_create"))
    assert page.status_code == 200
    assert list(page.context["form"].fields["organisation"].queryset) == [hub]
    response = c.post(
        reverse("access:referral_create"),
        {
            "organisation": hub.pk,
            "person_name": "Gilles Vachon",
            "source_kind": "shelter",  # ignored: the access point is the partner itself
            "reason": "Sort de l'hôpital sans adresse",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("access:referral_list")
    referral = Referral.objects.get(person_name="Gilles Vachon")
    assert referral.organisation == hub
    assert referral.source_kind == Referral.SourceKind.PARTNER
    assert referral.source_name == partner_org.name
    assert referral.referred_by == partner_rep
    # The hub receives it.
    received = client_for(hub_worker).get(reverse("access:referral_list")).context["page"].object_list
    assert referral in received


def test_a_partner_cannot_refer_to_another_organisation(client_for, hub, partner_rep, org_a):
    response = client_for(partner_rep).post(
        reverse("access:referral_create"),
        {"organisation": org_a.pk, "person_name": "Gilles", "source_kind": "partner", "reason": "Test"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["organisation"]
    assert not Referral.objects.exists()


def test_a_partner_sees_the_status_of_its_own_referrals_only(
    client_for, hub, hub_worker, partner_rep, other_partner
):
    mine = make_referral(partner_rep, person_name="Gilles Vachon", organisation=hub)
    theirs = make_referral(other_partner, person_name="Autre Personne", organisation=hub)
    hubs_own = make_referral(hub_worker, person_name="Troisième")
    person = make_participant(hub_worker, hub, legal_first_name="Gilles", legal_last_name="Vachon")
    consent_for_access(hub_worker, person, [hub])
    services.intake_start(actor=hub_worker, referral=mine, participant=person)
    type(partner_rep).objects.filter(pk=partner_rep.pk).update(language="en")
    c = client_for(partner_rep)
    page = c.get(reverse("access:referral_list"))
    assert page.status_code == 200
    assert list(page.context["page"].object_list) == [mine]
    text = page.content.decode()
    assert "Gilles Vachon" in text
    assert "Intake started" in text
    assert "Autre Personne" not in text
    assert "Troisième" not in text
    # The file itself stays out of reach: no link to it, and the intake pages are 404.
    assert reverse("people:detail", args=[person.pk]) not in text
    assert c.get(reverse("access:intake_start", args=[mine.pk])).status_code == 404
    assert c.get(reverse("access:intake_start", args=[theirs.pk])).status_code == 404
    assert c.get(reverse("access:intake_detail", args=[mine.intake.pk])).status_code == 404
    assert hubs_own.pk
    # The home page says where each referral stands.
    home = c.get(reverse("home"))
    assert [r.pk for r in home.context["my_referrals"]] == [mine.pk]


def test_an_outsider_may_not_refer(client_for, outsider):
    c = client_for(outsider)
    assert c.get(reverse("access:referral_list")).status_code == 403
    assert c.get(reverse("access:referral_create")).status_code == 403
