"""Each neighbourhood a person typed becomes the area it names; a text that names no area is kept as typed."""

import re
import unicodedata

from django.db import migrations

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


def texts_to_areas(apps, schema_editor):
    Area = apps.get_model("housing", "Area")
    ByNameEntry = apps.get_model("access", "ByNameEntry")
    areas = list(Area.objects.filter(is_active=True))
    for entry in ByNameEntry.objects.exclude(preferred_neighbourhoods=[]).only(
        "pk", "preferred_neighbourhoods", "preferred_areas"
    ):
        ids, kept = set(entry.preferred_areas or []), []
        for text in entry.preferred_neighbourhoods or []:
            area = match_text(text, areas)
            if area is None:
                kept.append(text)
            else:
                ids.add(area.pk)
        ByNameEntry.objects.filter(pk=entry.pk).update(preferred_areas=sorted(ids), preferred_neighbourhoods=kept)


def areas_to_texts(apps, schema_editor):
    Area = apps.get_model("housing", "Area")
    ByNameEntry = apps.get_model("access", "ByNameEntry")
    names = dict(Area.objects.values_list("pk", "name_fr"))
    for entry in ByNameEntry.objects.exclude(preferred_areas=[]).only(
        "pk", "preferred_neighbourhoods", "preferred_areas"
    ):
        texts = list(entry.preferred_neighbourhoods or [])
        texts += [names[i] for i in entry.preferred_areas or [] if i in names and names[i] not in texts]
        ByNameEntry.objects.filter(pk=entry.pk).update(preferred_neighbourhoods=sorted(texts), preferred_areas=[])


class Migration(migrations.Migration):
    dependencies = [
        ("access", "0006_preferred_areas"),
        ("housing", "0004_montreal_areas_and_unit_places"),
    ]

    operations = [
        migrations.RunPython(texts_to_areas, areas_to_texts),
    ]
