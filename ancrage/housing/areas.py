"""Reading areas: names typed as text matched to the configured list, and areas in the reader's language."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from ancrage.housing.models import Area

_ARTICLES = ("le ", "la ", "les ", "l ")


def normalise(text: str) -> str:
    """A place name as people type it, without case, accents, dashes or a leading article."""
    text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    text = re.sub(r"[^a-z0-9]+", " ", text.casefold()).strip()
    for article in _ARTICLES:
        if text.startswith(article):
            text = text[len(article) :]
            break
    return text


def match_text(text: str, areas: Iterable[Area]) -> Area | None:
    """The one area a typed name means: an exact name (French or English), else the only area whose name
    begins with the words typed ("Hochelaga" → Hochelaga-Maisonneuve); None when nothing or several match."""
    wanted = normalise(text)
    if not wanted:
        return None
    areas = list(areas)
    exact = [a for a in areas if wanted in {normalise(a.name_fr), normalise(a.name_en or a.name_fr)}]
    if len(exact) == 1:
        return exact[0]
    if exact:
        # The same name for a borough and one of its neighbourhoods (Verdun): the borough covers both.
        boroughs = [a for a in exact if a.kind == Area.Kind.BOROUGH]
        return boroughs[0] if len(boroughs) == 1 else None
    starts = [
        a
        for a in areas
        if any(f"{normalise(n)} ".startswith(f"{wanted} ") for n in {a.name_fr, a.name_en or a.name_fr})
    ]
    return starts[0] if len(starts) == 1 else None


def area_for_text(text: str) -> Area | None:
    return match_text(text, Area.objects.filter(is_active=True))


def names(ids: Iterable[int]) -> list[str]:
    """Names of areas in the current language, in the order given (an id no longer known is left out)."""
    ids = [int(i) for i in ids]
    rows = Area.objects.filter(pk__in=ids).in_bulk()
    return [rows[i].name for i in ids if i in rows]


def covered(area: Area | None) -> set[int]:
    """Ids a choice must include for a unit in `area` to be chosen: the area, or the borough around it."""
    if area is None:
        return set()
    return {area.pk} | ({area.parent_id} if area.parent_id else set())


def choices(*, include: Iterable[int] = ()) -> list[tuple[str, list[tuple[int, str]]]]:
    """Active areas grouped by borough, for a select: each borough first, then its neighbourhoods.

    `include` keeps areas already chosen in the list even if retired since, so nothing chosen is lost."""
    from django.db.models import Q

    english = (get_language() or "fr").startswith("en")
    rows = list(Area.objects.filter(Q(is_active=True) | Q(pk__in=list(include))))
    by_parent: dict[int | None, list[Area]] = {}
    for area in rows:
        by_parent.setdefault(area.parent_id if area.kind == Area.Kind.NEIGHBOURHOOD else None, []).append(
            area
        )

    def key(a: Area) -> str:
        return normalise(a.name_en or a.name_fr) if english else normalise(a.name_fr)

    groups = []
    for borough in sorted(by_parent.get(None, []), key=key):
        inside = sorted(by_parent.get(borough.pk, []), key=key)
        groups.append(
            (
                borough.name,
                [
                    (borough.pk, _("%(name)s (whole borough)") % {"name": borough.name}),
                    *[(a.pk, a.name) for a in inside],
                ],
            )
        )
    return groups
