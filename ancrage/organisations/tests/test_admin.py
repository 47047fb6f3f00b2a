"""The administration of the consortium: open to administrators only, and what it accepts is checked."""

import pytest
from django.urls import reverse

from ancrage.organisations.models import Organisation, Program
from ancrage.people.tests.factories import ProgramFactory, TeamFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", ["consortium", "organisation", "program", "team"])
def test_administrator_opens_every_list_and_form(client_for, administrator, org_a, model):
    program = ProgramFactory(organisation=org_a)
    team = TeamFactory(organisation=org_a, program=program)
    objects = {"consortium": org_a.consortium, "organisation": org_a, "program": program, "team": team}
    client = client_for(administrator)
    assert client.get(reverse(f"admin:organisations_{model}_changelist")).status_code == 200
    assert client.get(reverse(f"admin:organisations_{model}_add")).status_code == 200
    change = client.get(reverse(f"admin:organisations_{model}_change", args=[objects[model].pk]))
    assert change.status_code == 200
    assert str(objects[model].name) in change.content.decode()


def test_organisation_list_searches_and_filters(client_for, administrator, org_a, org_b, partner_org):
    client = client_for(administrator)
    url = reverse("admin:organisations_organisation_changelist")
    found = client.get(url, {"q": "Mission A"}).content.decode()
    assert "Mission A" in found
    assert "Mission B" not in found
    partners = client.get(url, {"kind__exact": Organisation.Kind.PARTNER}).content.decode()
    assert partner_org.name in partners
    assert "Mission A" not in partners


@pytest.mark.parametrize("who", ["case_manager_a", "program_manager_a", "outsider"])
def test_others_are_refused(client_for, request, who):
    client = client_for(request.getfixturevalue(who))
    response = client.get(reverse("admin:organisations_organisation_changelist"))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_program_with_unreadable_eligibility_is_refused(client_for, administrator, org_a):
    client = client_for(administrator)
    response = client.post(
        reverse("admin:organisations_program_add"),
        {
            "name": "Suivi intensif",
            "name_en": "",
            "organisation": org_a.pk,
            "kind": Program.Kind.ICM,
            "is_active": "on",
            "eligibility": '[{"criterion": "shoe_size", "rule": "must"}]',
            "teams-TOTAL_FORMS": "0",
            "teams-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200  # the form again, with the problem
    assert "shoe_size" in response.content.decode()
    assert not Program.objects.exists()


def test_program_with_valid_eligibility_is_saved(client_for, administrator, org_a):
    client = client_for(administrator)
    response = client.post(
        reverse("admin:organisations_program_add"),
        {
            "name": "Suivi intensif",
            "name_en": "Intensive case management",
            "organisation": org_a.pk,
            "kind": Program.Kind.ICM,
            "is_active": "on",
            "eligibility": '[{"criterion": "age", "rule": "must", "min": 18}]',
            "caseload_ratio": "12",
            "teams-TOTAL_FORMS": "0",
            "teams-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    program = Program.objects.get()
    assert program.eligibility == [{"criterion": "age", "rule": "must", "min": 18}]
    assert program.effective_caseload_ratio == 12


def test_organisation_link_without_a_scheme_is_a_web_page(client_for, administrator, consortium):
    response = client_for(administrator).post(
        reverse("admin:organisations_organisation_add"),
        {
            "consortium": consortium.pk,
            "name": "Maison Verdun Entraide",
            "short_name": "MVE",
            "kind": Organisation.Kind.MISSION,
            "complaint_procedure_url": "mve.example/plaintes",
            "is_active": "on",
            "programs-TOTAL_FORMS": "0",
            "programs-INITIAL_FORMS": "0",
            "teams-TOTAL_FORMS": "0",
            "teams-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert (
        Organisation.objects.get(short_name="MVE").complaint_procedure_url == "https://mve.example/plaintes"
    )
