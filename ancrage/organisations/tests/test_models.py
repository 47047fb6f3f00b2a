"""Consortia, organisations, programs and teams: names, uniqueness, who may hold a file, caseload ratios."""

import pytest
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils import translation

from ancrage.organisations.models import Consortium, Organisation, Program, Team
from ancrage.people.tests.factories import OrganisationFactory, ProgramFactory, TeamFactory

pytestmark = pytest.mark.django_db


def test_short_name_is_unique_within_a_consortium_only(consortium):
    OrganisationFactory(consortium=consortium, short_name="MHS")
    other = Consortium.objects.create(name="Consortium de Québec")
    OrganisationFactory(consortium=other, short_name="MHS")  # another consortium may reuse it
    with pytest.raises(IntegrityError), transaction.atomic():
        OrganisationFactory(consortium=consortium, short_name="MHS")


def test_community_organisations_and_the_hub_hold_participants(consortium):
    """The hub opens the file of a person who has none (A1) and holds it until an organisation takes them on."""
    holds = {
        kind: OrganisationFactory(consortium=consortium, kind=kind).can_hold_participants
        for kind in Organisation.Kind
    }
    assert holds == {
        Organisation.Kind.MISSION: True,
        Organisation.Kind.SHARED_SERVICE: False,
        Organisation.Kind.COORDINATED_ACCESS: True,
        Organisation.Kind.PARTNER: False,
    }


def test_caseload_ratio_defaults_by_kind_and_can_be_set(org_a, settings):
    settings.ANCRAGE = {**settings.ANCRAGE, "CASELOAD_RATIO_ICM": 15, "CASELOAD_RATIO_ACT": 10}
    icm = ProgramFactory(organisation=org_a, kind=Program.Kind.ICM)
    act = ProgramFactory(organisation=org_a, kind=Program.Kind.ACT, name="SIV")
    assert icm.effective_caseload_ratio == 15
    assert act.effective_caseload_ratio == 10
    act.caseload_ratio = 8
    assert act.effective_caseload_ratio == 8


def test_program_and_team_names_follow_the_language(org_a):
    program = ProgramFactory(organisation=org_a, name="Suivi intensif", name_en="Intensive case management")
    team = TeamFactory(organisation=org_a, program=program, name="Équipe 1", name_en="")
    with translation.override("en"):
        assert str(program) == "Intensive case management"
        assert str(team) == "Équipe 1"  # no English form: the French name
    with translation.override("fr"):
        assert str(program) == "Suivi intensif"


def test_lists_are_ordered_by_name(consortium):
    OrganisationFactory(consortium=consortium, name="Refuge du Plateau", short_name="RDP")
    OrganisationFactory(consortium=consortium, name="Maison Verdun", short_name="MVE")
    assert list(Organisation.objects.values_list("name", flat=True)) == ["Maison Verdun", "Refuge du Plateau"]
    assert str(consortium) == consortium.name


def test_valid_eligibility_passes_the_model_check(org_a):
    program = ProgramFactory(
        organisation=org_a, eligibility=[{"criterion": "age", "rule": "must", "min": 18, "max": 64}]
    )
    program.full_clean()  # raises if the requirement were refused


def test_an_organisation_with_programs_cannot_be_deleted(org_a):
    """History hangs on organisations and programs: they are closed (inactive), never deleted."""
    program = ProgramFactory(organisation=org_a)
    TeamFactory(organisation=org_a, program=program)
    with pytest.raises(ProtectedError), transaction.atomic():
        org_a.delete()
    with pytest.raises(ProtectedError), transaction.atomic():
        program.delete()
    assert Team.objects.filter(program=program).exists()
