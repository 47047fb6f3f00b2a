"""A unit a housing specialist corrects, holds out of matching, releases and offers: each audited, each page
closed to other organisations, and offering proposes people at once or says why nobody."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from ancrage.access import services as access_services
from ancrage.access.models import Match, Opening
from ancrage.access.tests.factories import TEST_POLICY, make_entry
from ancrage.core import clock
from ancrage.core.models import AuditEntry
from ancrage.core.permissions import Role
from ancrage.housing import services
from ancrage.housing.models import Area, Unit
from ancrage.people.tests.factories import OrganisationFactory, member

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _unit(actor, org, area_name="Verdun", **values):
    defaults = {
        "address": "12 rue Wellington",
        "kind": "scattered_site",
        "bedrooms": 1,
        "monthly_rent": Decimal("850.00"),
        "features": [],
        "requirements": [],
        "available_from": clock.today(),
        "open_for_matching": False,
    }
    defaults.update(values)
    return services.unit_create(
        actor=actor, organisation=org, area=Area.objects.get(name_fr=area_name), **defaults
    )


def _person(actor, org, **profile):
    entry = make_entry(actor, org, date_of_birth=datetime.date(1975, 5, 5))
    for key, value in profile.items():
        setattr(entry, key, value)
    entry.acuity_score, entry.acuity_max, entry.acuity_band = 20, 25, "housing_first_icm"
    entry.save()
    return entry


def _policy(actor):
    policy = access_services.policy_draft_create(actor=actor, text=TEST_POLICY)
    access_services.policy_activate(actor=actor, policy=policy, reason="Adoptée")


def test_text_neighbourhood_is_read_as_an_area_or_refused(housing_specialist, shared_org):
    unit = services.unit_create(
        actor=housing_specialist,
        organisation=shared_org,
        address="1 rue Ontario Est",
        neighbourhood="Hochelaga",
        kind="scattered_site",
        bedrooms=1,
        monthly_rent=Decimal("800"),
        features=[],
        requirements=[],
        available_from=clock.today(),
        open_for_matching=False,
    )
    assert unit.area.name_fr == "Hochelaga-Maisonneuve"
    assert unit.neighbourhood == ""
    with pytest.raises(ValidationError) as error:
        services.unit_create(
            actor=housing_specialist,
            organisation=shared_org,
            address="2 rue Nulle",
            neighbourhood="Atlantide",
            kind="scattered_site",
            bedrooms=1,
            monthly_rent=Decimal("800"),
            features=[],
            requirements=[],
            available_from=clock.today(),
        )
    assert error.value.message_dict["area"] == ["“Atlantide” names no area of the list: choose the area."]
    assert not Unit.objects.filter(address="2 rue Nulle").exists()


def test_unit_update_is_audited_and_clears_the_old_text(housing_specialist, shared_org):
    unit = _unit(housing_specialist, shared_org)
    Unit.objects.filter(pk=unit.pk).update(area=None, neighbourhood="Quelque part")
    unit.refresh_from_db()
    mile_end = Area.objects.get(name_fr="Mile End")
    services.unit_update(actor=housing_specialist, unit=unit, area=mile_end, monthly_rent=Decimal("900"))
    unit.refresh_from_db()
    assert (unit.area, unit.neighbourhood, unit.monthly_rent) == (mile_end, "", Decimal("900.00"))
    entry = AuditEntry.objects.get(action="housing.unit.updated")
    assert entry.data["changes"]["area"] == [None, mile_end.pk]
    assert entry.data["changes"]["neighbourhood"] == ["Quelque part", ""]
    # Nothing changed, nothing written.
    services.unit_update(actor=housing_specialist, unit=unit, monthly_rent=Decimal("900"))
    assert AuditEntry.objects.filter(action="housing.unit.updated").count() == 1
    with pytest.raises(ValidationError) as error:
        services.unit_update(actor=housing_specialist, unit=unit, bedrooms=40)
    assert "bedrooms" in error.value.message_dict


def test_another_organisation_cannot_change_a_unit(housing_specialist, shared_org, consortium):
    unit = _unit(housing_specialist, shared_org)
    other = member(OrganisationFactory(consortium=consortium), Role.HOUSING_SPECIALIST)
    for call in (
        lambda: services.unit_update(actor=other, unit=unit, bedrooms=2),
        lambda: services.unit_hold(actor=other, unit=unit, reason="Non"),
        lambda: services.unit_offer(actor=other, unit=unit),
    ):
        with pytest.raises(ValidationError):
            call()
    unit.refresh_from_db()
    assert (unit.bedrooms, unit.status) == (1, Unit.Status.AVAILABLE)


def test_hold_cancels_the_opening_and_keeps_the_unit_out_of_matching(
    housing_specialist, shared_org, case_manager_a, org_a
):
    _person(case_manager_a, org_a)
    _policy(case_manager_a)
    unit = _unit(housing_specialist, shared_org, open_for_matching=True)
    opening = Opening.objects.get(unit=unit)
    with pytest.raises(ValidationError) as error:
        services.unit_hold(actor=housing_specialist, unit=unit, reason="  ")
    assert error.value.message_dict["reason"] == ["Say why the unit is on hold."]
    services.unit_hold(actor=housing_specialist, unit=unit, reason="Travaux jusqu'au 15")
    unit.refresh_from_db()
    opening.refresh_from_db()
    assert (unit.status, unit.hold_reason) == (Unit.Status.ON_HOLD, "Travaux jusqu'au 15")
    assert opening.status == Opening.Status.CANCELLED
    held = AuditEntry.objects.get(action="housing.unit.held")
    assert held.data["reason"] == "Travaux jusqu'au 15"
    assert AuditEntry.objects.get(action="access.opening.cancelled").data["reason"] == "Travaux jusqu'au 15"
    # Out of matching: no run proposes anyone for it, no opening can be made for it.
    assert access_services.matching_run(actor=case_manager_a) == []
    with pytest.raises(ValidationError):
        access_services.openings_create(actor=housing_specialist, unit=unit)
    with pytest.raises(ValidationError):
        services.unit_offer(actor=housing_specialist, unit=unit)
    with pytest.raises(ValidationError) as error:
        services.unit_hold(actor=housing_specialist, unit=unit, reason="Encore")
    assert error.value.message_dict["status"] == ["This unit is already on hold."]
    services.unit_release(actor=housing_specialist, unit=unit)
    unit.refresh_from_db()
    assert (unit.status, unit.hold_reason) == (Unit.Status.AVAILABLE, "")
    released = AuditEntry.objects.get(action="housing.unit.released")
    assert released.data["hold_reason"] == "Travaux jusqu'au 15"
    with pytest.raises(ValidationError):
        services.unit_release(actor=housing_specialist, unit=unit)


def test_a_reserved_unit_is_not_held(housing_specialist, shared_org, case_manager_a, org_a):
    _person(case_manager_a, org_a)
    _policy(case_manager_a)
    unit = _unit(housing_specialist, shared_org)
    (outcome,) = services.unit_offer(actor=housing_specialist, unit=unit)
    assert outcome.proposed == 1
    unit.refresh_from_db()
    assert unit.status == Unit.Status.RESERVED
    with pytest.raises(ValidationError) as error:
        services.unit_hold(actor=housing_specialist, unit=unit, reason="Travaux")
    assert "Reserved for a match" in error.value.message_dict["status"][0]


def test_offering_proposes_at_once(housing_specialist, shared_org, case_manager_a, org_a):
    verdun = Area.objects.get(name_fr="Verdun")
    wants_verdun = _person(case_manager_a, org_a, preferred_areas=[verdun.pk])
    _policy(case_manager_a)
    unit = _unit(housing_specialist, shared_org, area_name="L'Île-des-Sœurs")
    (outcome,) = services.unit_offer(actor=housing_specialist, unit=unit)
    match = Match.objects.get()
    # A choice of the borough covers a unit in one of its neighbourhoods.
    assert match.entry == wants_verdun
    assert outcome.proposed == 1
    assert outcome.message == "The unit is open for matching. One person was proposed at once (rank 1)."
    assert outcome.url == reverse("access:opening_detail", args=[match.opening_id])


def test_offering_says_why_nobody(housing_specialist, shared_org, case_manager_a, org_a):
    (outcome,) = services.unit_offer(actor=housing_specialist, unit=_unit(housing_specialist, shared_org))
    assert outcome.proposed == 0
    assert "no one active on the by-name list is free" in outcome.message
    elsewhere = Area.objects.get(name_fr="Saint-Henri")
    _person(case_manager_a, org_a, preferred_areas=[elsewhere.pk])
    _person(case_manager_a, org_a, preferred_areas=[elsewhere.pk], accessibility_needs=["elevator"])
    unit = _unit(housing_specialist, shared_org, address="3 rue de Verdun")
    (outcome,) = services.unit_offer(actor=housing_specialist, unit=unit)
    assert outcome.proposed == 0
    assert outcome.message == (
        "The unit is open for matching. Nobody could be proposed: 2 people free on the by-name list were "
        "checked: 1 needs a feature it lacks; 2 chose other areas."
    )
    assert Opening.objects.get(unit=unit).status == Opening.Status.OPEN


# --- pages ------------------------------------------------------------------------------------------


def _login(client, user):
    client.force_login(user)
    type(user).objects.filter(pk=user.pk).update(language="en")
    return client


# A requirement set in the administration (the page shows age, households and genders only).
FLAG = {"criterion": "flag", "rule": "must_not", "values": ["fleeing_violence"]}


def test_pages_edit_hold_release_and_offer(client, housing_specialist, shared_org, case_manager_a, org_a):
    _person(case_manager_a, org_a)
    _policy(case_manager_a)
    unit = _unit(housing_specialist, shared_org, requirements=[FLAG])
    c = _login(client, housing_specialist)
    page = c.get(reverse("housing:unit_detail", args=[unit.pk])).content.decode()
    assert "Open for matching now" in page
    edit = c.get(reverse("housing:unit_edit", args=[unit.pk]))
    assert edit.context["form"].initial["area"] == unit.area_id
    mile_end = Area.objects.get(name_fr="Mile End")
    data = {
        "address": "12 rue Wellington",
        "area": mile_end.pk,
        "kind": "scattered_site",
        "bedrooms": 2,
        "monthly_rent": "875.00",
        "available_from": clock.today().isoformat(),
        "min_age": 25,
    }
    assert c.post(reverse("housing:unit_edit", args=[unit.pk]), data).status_code == 302
    unit.refresh_from_db()
    assert (unit.area, unit.bedrooms) == (mile_end, 2)
    # The requirement set in the administration, not shown on the page, is kept.
    assert unit.requirements == [
        FLAG,
        {"criterion": "age", "rule": "must", "min": 25},
    ]
    # A bad value is said next to its field; what was typed stays.
    response = c.post(reverse("housing:unit_edit", args=[unit.pk]), {**data, "area": "", "address": "Gardée"})
    assert response.status_code == 200
    assert "area" in response.context["form"].errors
    assert "Gardée" in response.content.decode()
    response = c.post(reverse("housing:unit_hold", args=[unit.pk]), {"reason": ""})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    response = c.post(reverse("housing:unit_hold", args=[unit.pk]), {"reason": "Peinture"}, follow=True)
    assert "The unit is on hold" in response.content.decode()
    assert "Peinture" in response.content.decode()
    response = c.post(reverse("housing:unit_release", args=[unit.pk]), follow=True)
    assert "The unit is released" in response.content.decode()
    response = c.post(reverse("housing:unit_offer", args=[unit.pk]))
    opening = Opening.objects.get(unit=unit)
    assert response.status_code == 302
    assert response["Location"] == reverse("access:opening_detail", args=[opening.pk])
    assert Match.objects.filter(opening=opening).exists()


def test_another_organisations_unit_is_not_found(client, housing_specialist, shared_org, consortium):
    unit = _unit(housing_specialist, shared_org)
    other = member(OrganisationFactory(consortium=consortium), Role.HOUSING_SPECIALIST, username="autre")
    c = _login(client, other)
    for name in ("unit_detail", "unit_edit"):
        assert c.get(reverse(f"housing:{name}", args=[unit.pk])).status_code == 404
    for name in ("unit_hold", "unit_release", "unit_offer"):
        assert c.post(reverse(f"housing:{name}", args=[unit.pk]), {"reason": "x"}).status_code == 404
    unit.refresh_from_db()
    assert unit.status == Unit.Status.AVAILABLE
    # Listed to every housing reader, but the address links only for the organisation holding it.
    page = c.get(reverse("housing:unit_list")).content.decode()
    assert "12 rue Wellington" in page
    assert reverse("housing:unit_detail", args=[unit.pk]) not in page


def test_unit_list_keeps_a_constant_number_of_queries(
    client, housing_specialist, shared_org, django_assert_max_num_queries
):
    c = _login(client, housing_specialist)
    for n in range(3):
        _unit(housing_specialist, shared_org, address=f"{n} rue A", area_name="Mile End")
    borough = Area.objects.get(name_fr="Le Sud-Ouest").pk
    urls = [reverse("housing:unit_list") + q for q in ("", "?status=available", f"?area={borough}&page=2")]
    counts = {}
    for url in urls:
        with django_assert_max_num_queries(12) as few:
            c.get(url)
        counts[url] = len(few.captured_queries)
    for n in range(30):
        _unit(housing_specialist, shared_org, address=f"{n} rue B", area_name="Saint-Henri")
    for url in urls:
        with django_assert_max_num_queries(counts[url]):
            assert c.get(url).status_code == 200
