"""Areas in matching (a borough covers its neighbourhoods), and what coordinated access can correct: a
match step's date and note, an opening cancelled, a referral withdrawn, each with its reason and audited."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.apps import apps
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from ancrage.access import services
from ancrage.access.eligibility import check_unit, describe_check, facts_for_entry, is_eligible
from ancrage.access.models import ByNameEntry, MatchStatus, MatchStep, Opening, Referral
from ancrage.access.tests.factories import make_entry, make_referral
from ancrage.core import clock
from ancrage.core.models import AuditEntry
from ancrage.core.permissions import Role
from ancrage.housing.models import Area, Unit
from ancrage.organisations.models import Program
from ancrage.people.tests.factories import ProgramFactory, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def lead_a(org_a):
    return member(org_a, Role.TEAM_LEAD, username="lead_a")


def _login(client, user):
    client.force_login(user)
    type(user).objects.filter(pk=user.pk).update(language="en")
    return client


def _area(name):
    return Area.objects.get(name_fr=name)


def _unit(actor, org, area):
    return Unit.objects.create(
        organisation=org,
        address="1 rue Test",
        area=area,
        kind="scattered_site",
        monthly_rent=800,
        available_from=clock.today(),
        added_by=actor,
    )


def _entry(actor, org, **profile):
    entry = make_entry(actor, org, date_of_birth=datetime.date(1970, 1, 1))
    for key, value in profile.items():
        setattr(entry, key, value)
    entry.save()
    return ByNameEntry.objects.select_related("participant").get(pk=entry.pk)


# --- areas in matching --------------------------------------------------------------------------------


def test_a_borough_chosen_covers_its_neighbourhoods_and_not_the_reverse(
    case_manager_a, org_a, housing_specialist, shared_org
):
    mercier = _area("Mercier–Hochelaga-Maisonneuve")
    borough_choice = _entry(case_manager_a, org_a, preferred_areas=[mercier.pk])
    neighbourhood_choice = _entry(case_manager_a, org_a, preferred_areas=[_area("Mercier-Est").pk])
    in_hochelaga = _unit(housing_specialist, shared_org, _area("Hochelaga-Maisonneuve"))
    today = clock.today()
    assert is_eligible(check_unit(in_hochelaga, facts_for_entry(borough_choice, today)))
    checks = check_unit(in_hochelaga, facts_for_entry(neighbourhood_choice, today))
    assert not is_eligible(checks)
    failed = next(c for c in checks if not c.passed)
    with translation.override("fr"):
        assert describe_check(failed.as_data()) == (
            "Hochelaga-Maisonneuve ne fait pas partie des secteurs choisis par la personne (Mercier-Est)."
        )
    # A unit of the whole borough is in the borough a person chose, not in one of its neighbourhoods.
    whole_borough = _unit(housing_specialist, shared_org, mercier)
    assert is_eligible(check_unit(whole_borough, facts_for_entry(borough_choice, today)))
    assert not is_eligible(check_unit(whole_borough, facts_for_entry(neighbourhood_choice, today)))


def test_names_are_said_in_the_readers_language(case_manager_a, org_a, housing_specialist, shared_org):
    person = _entry(case_manager_a, org_a, preferred_areas=[_area("Vieux-Montréal").pk])
    unit = _unit(housing_specialist, shared_org, _area("Centre-ville"))
    (failed,) = [c for c in check_unit(unit, facts_for_entry(person, clock.today())) if not c.passed]
    with translation.override("en"):
        assert describe_check(failed.as_data()) == (
            "Downtown is not among the areas the person chose (Old Montreal)."
        )


def test_text_typed_before_areas_still_matches_the_same_place(
    case_manager_a, org_a, housing_specialist, shared_org
):
    person = _entry(case_manager_a, org_a, preferred_neighbourhoods=["saint-henri"])
    unit = _unit(housing_specialist, shared_org, _area("Saint-Henri"))
    assert is_eligible(check_unit(unit, facts_for_entry(person, clock.today())))


def test_matching_run_uses_areas(case_manager_a, org_a, housing_specialist, shared_org):
    elsewhere = _entry(case_manager_a, org_a, preferred_areas=[_area("Anjou").pk])
    verdun = _entry(case_manager_a, org_a, preferred_areas=[_area("Verdun").pk])
    unit = _unit(housing_specialist, shared_org, _area("L'Île-des-Sœurs"))
    (opening,) = services.openings_create(actor=housing_specialist, unit=unit)
    (match,) = services.matching_run(actor=case_manager_a, openings=[opening])
    assert match.entry_id == verdun.pk != elsewhere.pk


def test_the_data_migrations_map_text_to_areas_and_back(
    housing_specialist, shared_org, case_manager_a, org_a
):
    import importlib

    housing = importlib.import_module("ancrage.housing.migrations.0004_montreal_areas_and_unit_places")
    access = importlib.import_module("ancrage.access.migrations.0007_preferences_to_areas")
    hochelaga = _area("Hochelaga-Maisonneuve")
    unit = Unit.objects.create(
        organisation=shared_org,
        address="2 rue Adam",
        neighbourhood="Hochelaga",
        kind="scattered_site",
        monthly_rent=800,
        available_from=clock.today(),
        added_by=housing_specialist,
    )
    lost = Unit.objects.create(
        organisation=shared_org,
        address="3 rue Perdue",
        neighbourhood="Près du métro",
        kind="scattered_site",
        monthly_rent=800,
        available_from=clock.today(),
        added_by=housing_specialist,
    )
    person = _entry(case_manager_a, org_a, preferred_neighbourhoods=["Hochelaga", "Près du métro"])
    housing.units_to_areas(apps, None)
    access.texts_to_areas(apps, None)
    unit.refresh_from_db()
    lost.refresh_from_db()
    person.refresh_from_db()
    assert (unit.area, unit.neighbourhood) == (hochelaga, "")
    assert (lost.area, lost.neighbourhood) == (None, "Près du métro")  # kept as typed, nothing lost
    assert (person.preferred_areas, person.preferred_neighbourhoods) == ([hochelaga.pk], ["Près du métro"])
    # Backwards, the areas become text again.
    access.areas_to_texts(apps, None)
    housing.areas_to_units(apps, None)
    unit.refresh_from_db()
    person.refresh_from_db()
    assert unit.neighbourhood == "Hochelaga-Maisonneuve"
    assert person.preferred_neighbourhoods == ["Hochelaga-Maisonneuve", "Près du métro"]
    assert person.preferred_areas == []


# --- match steps: a date and a note -------------------------------------------------------------------


def _match(actor, org):
    program = ProgramFactory(organisation=org, kind=Program.Kind.ICM)
    make_entry(actor, org, date_of_birth=datetime.date(1970, 1, 1), legal_first_name="Datée")
    (opening,) = services.openings_create(actor=actor, program=program)
    (match,) = services.matching_run(actor=actor, openings=[opening])
    return match


def test_a_step_takes_a_date_and_a_note(lead_a, org_a):
    with time_machine.travel(datetime.datetime(2026, 3, 2, 15, tzinfo=datetime.UTC), tick=False):
        match = _match(lead_a, org_a)
    with time_machine.travel(datetime.datetime(2026, 3, 6, 15, tzinfo=datetime.UTC), tick=False):
        with translation.override("en"):
            with pytest.raises(ValidationError) as error:
                services.match_step(
                    actor=lead_a,
                    match=match,
                    to_status=MatchStatus.CONTACTED,
                    expected_status=MatchStatus.PROPOSED,
                    on=datetime.date(2026, 3, 7),
                )
            assert error.value.message_dict["on"] == ["This date cannot be in the future."]
            with pytest.raises(ValidationError) as error:
                services.match_step(
                    actor=lead_a,
                    match=match,
                    to_status=MatchStatus.CONTACTED,
                    expected_status=MatchStatus.PROPOSED,
                    on=datetime.date(2026, 3, 1),
                )
            assert error.value.message_dict["on"][0].startswith("The step cannot come before")
        services.match_step(
            actor=lead_a,
            match=match,
            to_status=MatchStatus.CONTACTED,
            expected_status=MatchStatus.PROPOSED,
            on=datetime.date(2026, 3, 4),
            note="Jointe au refuge, rappel jeudi",
        )
    step = MatchStep.objects.get(match=match, to_status=MatchStatus.CONTACTED)
    assert (step.on, step.note) == (datetime.date(2026, 3, 4), "Jointe au refuge, rappel jeudi")
    entry = AuditEntry.objects.filter(action="access.match.step").latest("pk")
    assert (entry.data["on"], entry.data["note"]) == ("2026-03-04", "Jointe au refuge, rappel jeudi")
    # The next step cannot go back before this one.
    with pytest.raises(ValidationError):
        services.match_step(
            actor=lead_a,
            match=match,
            to_status=MatchStatus.PERSON_ACCEPTED,
            expected_status=MatchStatus.CONTACTED,
            on=datetime.date(2026, 3, 3),
        )


def test_step_page_keeps_what_was_typed_when_the_date_is_refused(client, lead_a, org_a):
    match = _match(lead_a, org_a)
    c = _login(client, lead_a)
    tomorrow = clock.today() + datetime.timedelta(days=1)
    response = c.post(
        reverse("access:match_step", args=[match.pk]),
        {
            "to_status": "person_declined",
            "expected_status": "proposed",
            "reason": "Préfère attendre",
            "note": "Appel au refuge",
            "on": tomorrow.isoformat(),
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "This date cannot be in the future." in page
    assert "Préfère attendre" in page
    assert "Appel au refuge" in page
    match.refresh_from_db()
    assert match.status == MatchStatus.PROPOSED
    response = c.post(
        reverse("access:match_step", args=[match.pk]),
        {"to_status": "contacted", "expected_status": "proposed", "note": "Jointe", "on": "pas une date"},
    )
    assert response.status_code == 400
    assert "Enter a valid date." in response.content.decode()
    response = c.post(
        reverse("access:match_step", args=[match.pk]),
        {"to_status": "contacted", "expected_status": "proposed", "note": "Jointe"},
        follow=True,
    )
    assert "Jointe" in response.content.decode()
    assert MatchStep.objects.get(match=match, to_status="contacted").on == clock.today()


# --- openings cancelled, referrals withdrawn ---------------------------------------------------------


def test_opening_cancelled_with_its_reason(client, lead_a, case_manager_a, org_a):
    program = ProgramFactory(organisation=org_a, kind=Program.Kind.ICM)
    (opening,) = services.openings_create(actor=lead_a, program=program)
    url = reverse("access:opening_cancel", args=[opening.pk])
    assert _login(client, case_manager_a).post(url, {"cancel-reason": "Non"}).status_code == 403
    response = _login(client, lead_a).post(url, {"cancel-reason": ""}, follow=True)
    assert "This field is required." in response.content.decode()
    assert _login(client, lead_a).get(reverse("access:opening_detail", args=[opening.pk])).status_code == 200
    response = _login(client, lead_a).post(url, {"cancel-reason": "Place retirée par le programme"})
    assert response.status_code == 302
    opening.refresh_from_db()
    assert opening.status == Opening.Status.CANCELLED
    assert AuditEntry.objects.get(action="access.opening.cancelled").data["reason"] == (
        "Place retirée par le programme"
    )
    response = _login(client, lead_a).post(url, {"cancel-reason": "Encore"}, follow=True)
    assert "Only an open opening" in response.content.decode()


def test_referral_withdrawn_with_its_reason(client, case_manager_a, case_manager_b, org_a):
    referral = make_referral(case_manager_a)
    url = reverse("access:referral_withdraw", args=[referral.pk])
    # Another organisation's referral is not found.
    assert _login(client, case_manager_b).post(url, {"reason": "Non"}).status_code == 404
    response = _login(client, case_manager_a).post(url, {"reason": " "}, follow=True)
    assert "This field is required." in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == Referral.Status.RECEIVED
    response = _login(client, case_manager_a).post(url, {"reason": "Logé ailleurs"}, follow=True)
    assert "The referral of Marc is withdrawn." in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == Referral.Status.WITHDRAWN
    assert AuditEntry.objects.get(action="access.referral.withdrawn").data["reason"] == "Logé ailleurs"
    response = _login(client, case_manager_a).post(url, {"reason": "Encore"}, follow=True)
    assert "This referral is already closed." in response.content.decode()


def test_opening_a_unit_from_the_openings_page_proposes_at_once(
    client, lead_a, org_a, housing_specialist, shared_org
):
    chose = _entry(lead_a, org_a, preferred_areas=[_area("Verdun").pk])
    unit = _unit(housing_specialist, shared_org, _area("Wellington-de-l'Église"))
    response = _login(client, lead_a).post(
        reverse("access:opening_create"), {"unit": unit.pk, "count": 1}, follow=True
    )
    opening = Opening.objects.get(unit=unit)
    assert response.redirect_chain[-1][0] == reverse("access:opening_detail", args=[opening.pk])
    assert "One person was proposed at once." in response.content.decode()
    assert opening.matches.get().entry_id == chose.pk
    # Nobody left: the page says why.
    other = _unit(housing_specialist, shared_org, _area("Anjou"))
    response = _login(client, lead_a).post(
        reverse("access:opening_create"), {"unit": other.pk, "count": 1}, follow=True
    )
    assert "Nobody could be proposed: no one active on the by-name list is free" in response.content.decode()


def test_the_list_export_names_the_areas_chosen(client, case_manager_a, org_a):
    import csv
    import io

    _entry(
        case_manager_a,
        org_a,
        preferred_areas=[_area("Centre-ville").pk],
        preferred_neighbourhoods=["Près du métro"],
    )
    response = _login(client, case_manager_a).get(reverse("access:by_name_export") + "?format=csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][-1] == "Preferred areas"
    (row,) = rows[1:]
    assert row[-1] == "Downtown, Près du métro"
