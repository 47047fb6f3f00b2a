"""From the directory of services: "Refer a participant" picks one of the user's caseload (or a search), then
opens the referral form with the service chosen."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from ancrage.casework.models import Enrollment, ServiceKind, ServiceProvider
from ancrage.casework.referrals import services
from ancrage.core import clock
from ancrage.core.permissions import Role
from ancrage.organisations.models import Program
from ancrage.people.tests.factories import ConsortiumFactory, ProgramFactory, make_participant, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def provider(case_manager_a, org_a):
    return services.provider_create(
        actor=case_manager_a, consortium=org_a.consortium, name="Emploi Québec", kind=ServiceKind.EMPLOYMENT
    )


@pytest.fixture
def program(org_a):
    return ProgramFactory(organisation=org_a, kind=Program.Kind.ICM)


def _enrolled(participant, program, worker, status=Enrollment.Status.ACTIVE):
    return Enrollment.objects.create(
        participant=participant,
        program=program,
        primary_worker=worker,
        status=status,
        enrolled_on=clock.today() - datetime.timedelta(days=30),
    )


def test_directory_offers_refer_a_participant(client_for, case_manager_a, provider):
    html = client_for(case_manager_a).get(reverse("casework:provider_list")).content.decode()
    assert reverse("casework:provider_refer", args=[provider.pk]) in html


def test_directory_offers_no_refer_for_an_inactive_service(client_for, case_manager_a, provider):
    ServiceProvider.objects.filter(pk=provider.pk).update(is_active=False)
    html = client_for(case_manager_a).get(reverse("casework:provider_list")).content.decode()
    assert reverse("casework:provider_refer", args=[provider.pk]) not in html


def test_picker_lists_my_caseload_and_links_to_the_referral_form(
    client_for, case_manager_a, participant_a, org_a, program, provider
):
    _enrolled(participant_a, program, case_manager_a)
    colleague = member(org_a, Role.CASE_MANAGER)
    theirs = make_participant(colleague, org_a, legal_first_name="Nadia", legal_last_name="Roy")
    _enrolled(theirs, program, colleague)
    gone = make_participant(case_manager_a, org_a, legal_first_name="Paul", legal_last_name="Exité")
    _enrolled(gone, program, case_manager_a, status=Enrollment.Status.EXITED)
    response = client_for(case_manager_a).get(reverse("casework:provider_refer", args=[provider.pk]))
    assert response.status_code == 200
    assert response.context["participants"] == [participant_a]
    html = response.content.decode()
    link = reverse("casework:referral_create", args=[participant_a.pk]) + f"?provider={provider.pk}"
    assert link in html
    # The link opens the referral form with the service chosen.
    form = client_for(case_manager_a).get(link).context["form"]
    assert str(form["provider"].value()) == str(provider.pk)


def test_picker_search_finds_an_enrolled_participant_of_the_organisation(
    client_for, case_manager_a, participant_a, org_a, program, provider
):
    colleague = member(org_a, Role.CASE_MANAGER)
    theirs = make_participant(colleague, org_a, legal_first_name="Nadia", legal_last_name="Roy")
    _enrolled(theirs, program, colleague)
    make_participant(colleague, org_a, legal_first_name="Nadine", legal_last_name="Rioux")  # not enrolled
    url = reverse("casework:provider_refer", args=[provider.pk])
    response = client_for(case_manager_a).get(url, {"q": "nadia"})
    assert response.context["participants"] == [theirs]
    response = client_for(case_manager_a).get(url, {"q": "nadine"})
    assert response.context["participants"] == []


def test_picker_never_lists_another_organisations_participants(
    client_for, case_manager_a, case_manager_b, org_b, provider
):
    participant_b = make_participant(case_manager_b, org_b, legal_first_name="Bérénice")
    _enrolled(participant_b, ProgramFactory(organisation=org_b, kind=Program.Kind.ICM), case_manager_b)
    url = reverse("casework:provider_refer", args=[provider.pk])
    response = client_for(case_manager_a).get(url, {"q": participant_b.legal_first_name})
    assert response.context["participants"] == []


def test_picker_english(client_for, case_manager_a, provider):
    case_manager_a.language = "en"
    case_manager_a.save()
    html = (
        client_for(case_manager_a)
        .get(reverse("casework:provider_refer", args=[provider.pk]))
        .content.decode()
    )
    assert "Refer a participant to Emploi Québec" in html
    assert "No participant in your caseload: search by name." in html


def test_picker_of_another_consortium_or_inactive_service_is_404(client_for, case_manager_a, org_a, provider):
    other = ServiceProvider.objects.create(consortium=ConsortiumFactory(name="Autre"), name="X", kind="food")
    c = client_for(case_manager_a)
    assert c.get(reverse("casework:provider_refer", args=[other.pk])).status_code == 404
    ServiceProvider.objects.filter(pk=provider.pk).update(is_active=False)
    assert c.get(reverse("casework:provider_refer", args=[provider.pk])).status_code == 404


def test_picker_queries_are_constant(
    client_for, case_manager_a, org_a, program, provider, django_assert_max_num_queries
):
    c = client_for(case_manager_a)
    url = reverse("casework:provider_refer", args=[provider.pk])

    def grow(n):
        for i in range(n):
            _enrolled(
                make_participant(case_manager_a, org_a, legal_first_name=f"P{i}"), program, case_manager_a
            )

    grow(1)
    c.get(url)
    with django_assert_max_num_queries(30) as small:
        assert len(c.get(url).context["participants"]) == 1
    grow(5)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert len(c.get(url).context["participants"]) == 6
