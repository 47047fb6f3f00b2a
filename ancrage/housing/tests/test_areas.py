"""Areas: Montréal's list loaded by migration, names typed as text matched to it, and its administration."""

from __future__ import annotations

import importlib

import pytest
from django.urls import reverse
from django.utils import translation

from ancrage.housing.areas import choices, covered, match_text, names, normalise
from ancrage.housing.models import Area

pytestmark = pytest.mark.django_db


def test_a_fresh_install_has_montreals_19_boroughs_and_their_neighbourhoods():
    boroughs = Area.objects.filter(kind=Area.Kind.BOROUGH)
    assert boroughs.count() == 19
    hochelaga = Area.objects.get(name_fr="Hochelaga-Maisonneuve")
    assert hochelaga.kind == Area.Kind.NEIGHBOURHOOD
    assert hochelaga.parent.name_fr == "Mercier–Hochelaga-Maisonneuve"
    assert not Area.objects.filter(kind=Area.Kind.NEIGHBOURHOOD, parent__isnull=True).exists()


def test_names_follow_the_language_with_french_as_fallback():
    downtown = Area.objects.get(name_fr="Centre-ville")
    with translation.override("en"):
        assert downtown.name == "Downtown"
        assert Area.objects.get(name_fr="Verdun").name == "Verdun"
    with translation.override("fr"):
        assert downtown.name == "Centre-ville"
        assert names([downtown.pk, 0]) == ["Centre-ville"]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Hochelaga-Maisonneuve", "Hochelaga-Maisonneuve"),
        ("hochelaga", "Hochelaga-Maisonneuve"),  # the words a name begins with, when only one area has them
        ("Plateau-Mont-Royal", "Le Plateau-Mont-Royal"),  # without its article
        ("Cote des neiges", "Côte-des-Neiges"),  # without accents or dashes
        ("Old Montreal", "Vieux-Montréal"),  # the English name
        ("Mercier", None),  # a borough and two neighbourhoods begin so: not guessed
        ("Atlantis", None),
        ("", None),
    ],
)
def test_text_typed_before_areas_matches_one_area_or_none(typed, expected):
    found = match_text(typed, Area.objects.all())
    assert (found.name_fr if found else None) == expected


def test_the_migrations_matcher_is_the_apps():
    """The data migrations keep a copy of the matcher: it must read text as the application does."""
    housing = importlib.import_module("ancrage.housing.migrations.0004_montreal_areas_and_unit_places")
    access = importlib.import_module("ancrage.access.migrations.0007_preferences_to_areas")
    areas = list(Area.objects.all())
    for typed in ["Hochelaga", "plateau", "Verdun", "Downtown", "Mercier", "Mile-End", "rien"]:
        expected = match_text(typed, areas)
        assert housing.match_text(typed, areas) == expected
        assert access.match_text(typed, areas) == expected
        assert housing.normalise(typed) == access.normalise(typed) == normalise(typed)


def test_a_borough_covers_its_neighbourhoods():
    mile_end = Area.objects.get(name_fr="Mile End")
    assert covered(mile_end) == {mile_end.pk, mile_end.parent_id}
    assert covered(None) == set()


def test_choices_group_neighbourhoods_under_their_borough_and_leave_retired_areas_out():
    retired = Area.objects.get(name_fr="Griffintown")
    retired.is_active = False
    retired.save()
    with translation.override("en"):
        groups = dict(choices())
        south_west = dict(groups["The South-West"])
        assert "Saint-Henri" in south_west.values()
        assert "Griffintown" not in south_west.values()
        assert "The South-West (whole borough)" in south_west.values()
        # An area chosen before it was retired stays in the list, so the choice is not lost.
        kept = dict(dict(choices(include=[retired.pk]))["The South-West"])
        assert "Griffintown" in kept.values()


def test_administrators_edit_areas_and_cannot_delete_them(client, administrator):
    client.force_login(administrator)
    borough = Area.objects.get(name_fr="Verdun")
    response = client.post(
        reverse("admin:housing_area_add"),
        {
            "name_fr": "Verdun-Nord",
            "name_en": "",
            "kind": "neighbourhood",
            "parent": borough.pk,
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content[:500]
    assert Area.objects.get(name_fr="Verdun-Nord").parent == borough
    # A neighbourhood needs its borough: said next to the field, nothing saved.
    response = client.post(
        reverse("admin:housing_area_add"), {"name_fr": "Orphelin", "kind": "neighbourhood", "is_active": "on"}
    )
    assert response.status_code == 200
    assert not Area.objects.filter(name_fr="Orphelin").exists()
    assert client.get(reverse("admin:housing_area_delete", args=[borough.pk])).status_code == 403


def test_others_cannot_configure_areas(client, housing_specialist):
    client.force_login(housing_specialist)
    response = client.get(reverse("admin:housing_area_changelist"))
    assert response.status_code in {302, 404}
