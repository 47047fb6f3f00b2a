"""The demo's places as areas of Montréal's list (loaded by migration): units' areas and people's choices."""

from __future__ import annotations

from ancrage.demo.names import NEIGHBOURHOODS
from ancrage.housing.areas import match_text
from ancrage.housing.models import Area


def demo_areas() -> dict[str, Area]:
    """The area of Montréal's list (loaded by migration) each of the demo's neighbourhood names means."""
    areas = list(Area.objects.all())
    found = {name: match_text(name, areas) for name in NEIGHBOURHOODS}
    missing = sorted(name for name, area in found.items() if area is None)
    if missing:
        raise ValueError(f"The demo names neighbourhoods that are in no area: {missing}")
    return {name: area for name, area in found.items() if area is not None}


def preferred_areas(names: list[str], places: dict[str, Area]) -> list[int]:
    """The areas a person chose: the neighbourhoods named, or for some people (every other name of the demo's
    list, a rule rather than a draw) the whole borough around the first one: a borough covers its
    neighbourhoods."""
    ids = [places[name].pk for name in names]
    borough = places[names[0]].parent_id if names else None
    if borough is not None and NEIGHBOURHOODS.index(names[0]) % 2 == 0:
        ids[0] = borough
    return sorted(set(ids))
