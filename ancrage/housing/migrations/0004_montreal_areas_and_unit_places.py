"""Load Montréal's 19 boroughs and main neighbourhoods (a fresh install has a usable list; administrators
edit it), then give each unit the area its typed neighbourhood names. Text that names no area is kept."""

import re
import unicodedata

from django.db import migrations

# (borough French, borough English or "", [(neighbourhood French, English or "")]).
MONTREAL = [
    (
        "Ahuntsic-Cartierville",
        "",
        [("Ahuntsic", ""), ("Cartierville", ""), ("Bordeaux", ""), ("Sault-au-Récollet", "")],
    ),
    ("Anjou", "", []),
    (
        "Côte-des-Neiges–Notre-Dame-de-Grâce",
        "",
        [("Côte-des-Neiges", ""), ("Notre-Dame-de-Grâce", ""), ("Snowdon", "")],
    ),
    ("Lachine", "", []),
    ("LaSalle", "", []),
    ("L'Île-Bizard–Sainte-Geneviève", "", []),
    (
        "Mercier–Hochelaga-Maisonneuve",
        "",
        [("Hochelaga-Maisonneuve", ""), ("Mercier-Est", ""), ("Mercier-Ouest", ""), ("Longue-Pointe", "")],
    ),
    ("Montréal-Nord", "", []),
    ("Outremont", "", []),
    ("Pierrefonds-Roxboro", "", []),
    ("Le Plateau-Mont-Royal", "", [("Mile End", ""), ("Milton-Parc", ""), ("Saint-Louis", "")]),
    (
        "Rivière-des-Prairies–Pointe-aux-Trembles",
        "",
        [("Rivière-des-Prairies", ""), ("Pointe-aux-Trembles", "")],
    ),
    (
        "Rosemont–La Petite-Patrie",
        "",
        [("Rosemont", ""), ("La Petite-Patrie", ""), ("Petite-Italie", "Little Italy")],
    ),
    ("Saint-Laurent", "", []),
    ("Saint-Léonard", "", []),
    (
        "Le Sud-Ouest",
        "The South-West",
        [
            ("Saint-Henri", ""),
            ("Pointe-Saint-Charles", ""),
            ("Petite-Bourgogne", "Little Burgundy"),
            ("Griffintown", ""),
            ("Côte-Saint-Paul", ""),
            ("Ville-Émard", ""),
        ],
    ),
    (
        "Verdun",
        "",
        [("Wellington-de-l'Église", ""), ("Desmarchais-Crawford", ""), ("L'Île-des-Sœurs", "Nuns' Island")],
    ),
    (
        "Ville-Marie",
        "",
        [
            ("Centre-ville", "Downtown"),
            ("Vieux-Montréal", "Old Montreal"),
            ("Quartier chinois", "Chinatown"),
            ("Centre-Sud", ""),
            ("Le Village", "The Village"),
        ],
    ),
    (
        "Villeray–Saint-Michel–Parc-Extension",
        "",
        [("Villeray", ""), ("Saint-Michel", ""), ("Parc-Extension", "")],
    ),
]

_ARTICLES = ("le ", "la ", "les ", "l ")


def normalise(text):
    # A copy of ancrage.housing.areas.normalise as it was when this migration was written.
    text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    text = re.sub(r"[^a-z0-9]+", " ", text.casefold()).strip()
    for article in _ARTICLES:
        if text.startswith(article):
            text = text[len(article) :]
            break
    return text


def match_text(text, areas):
    # A copy of ancrage.housing.areas.match_text as it was when this migration was written.
    wanted = normalise(text)
    if not wanted:
        return None
    exact = [a for a in areas if wanted in {normalise(a.name_fr), normalise(a.name_en or a.name_fr)}]
    if len(exact) == 1:
        return exact[0]
    if exact:
        boroughs = [a for a in exact if a.kind == "borough"]
        return boroughs[0] if len(boroughs) == 1 else None
    starts = [
        a
        for a in areas
        if any(f"{normalise(n)} ".startswith(f"{wanted} ") for n in {a.name_fr, a.name_en or a.name_fr})
    ]
    return starts[0] if len(starts) == 1 else None


def load_montreal(apps, schema_editor):
    """Each borough and neighbourhood not already there (by French name), a borough then its neighbourhoods
    in one INSERT, in the list's order (the areas' ids, and so their order where ids break ties, are as
    they always were). The tests load them again after every test that empties the tables, so it is worth
    a few lines over get_or_create."""
    Area = apps.get_model("housing", "Area")
    known = {area.name_fr: area for area in Area.objects.all()}
    for borough_fr, borough_en, names in MONTREAL:
        if borough_fr not in known:
            known[borough_fr] = Area.objects.create(name_fr=borough_fr, name_en=borough_en, kind="borough")
        neighbourhoods = []
        for name_fr, name_en in names:
            if name_fr not in known:
                known[name_fr] = Area(
                    name_fr=name_fr, name_en=name_en, kind="neighbourhood", parent=known[borough_fr]
                )
                neighbourhoods.append(known[name_fr])
        Area.objects.bulk_create(neighbourhoods)


def units_to_areas(apps, schema_editor):
    Area = apps.get_model("housing", "Area")
    Unit = apps.get_model("housing", "Unit")
    areas = list(Area.objects.filter(is_active=True))
    for unit in Unit.objects.exclude(neighbourhood=""):
        area = match_text(unit.neighbourhood, areas)
        if area is not None and unit.area_id in (None, area.pk):
            # The text now lives in the area's name; a text that names no area stays as typed.
            Unit.objects.filter(pk=unit.pk).update(area=area, neighbourhood="")


def areas_to_units(apps, schema_editor):
    Unit = apps.get_model("housing", "Unit")
    for unit in Unit.objects.filter(area__isnull=False, neighbourhood="").select_related("area"):
        Unit.objects.filter(pk=unit.pk).update(neighbourhood=unit.area.name_fr[:100])


class Migration(migrations.Migration):
    dependencies = [
        ("housing", "0003_areas_and_unit_hold"),
    ]

    operations = [
        # Backwards the list stays (units and people's choices still name its areas); loading it again
        # finds every area already there, so a step back and forth keeps the same rows.
        migrations.RunPython(load_montreal, migrations.RunPython.noop),
        migrations.RunPython(units_to_areas, areas_to_units),
    ]
