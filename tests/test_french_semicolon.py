"""French typography in the catalogue: a semicolon follows a non-breaking space (« seuil : 180 ; 912 jours »).

The rank page and the chronic explanation read « (seuil : 180); 912 jours » before: the space went missing in
sentences translated by hand. HTML entities (&amp;) and the catalogue's header are not prose.
"""

from __future__ import annotations

import re
from pathlib import Path

import polib
from django.utils import translation

from ancrage.access.views_policy import how_scaled

PO_PATH = Path(__file__).resolve().parent.parent / "locale" / "fr" / "LC_MESSAGES" / "django.po"
# A semicolon that ends a clause (followed by a space or the end), not preceded by a space, nor ending an entity.
BARE_SEMICOLON = re.compile(
    r"(?<![\s\u00a0\u202f])(?<!&[a-z]{2})(?<!&[a-z]{3})(?<!&[a-z]{4})(?<!&#\d{2})(?<!&#\d{3});(?=\s|$)"
)


def test_every_french_semicolon_has_its_space():
    bare = []
    for entry in polib.pofile(str(PO_PATH)):
        for text in [entry.msgstr, *entry.msgstr_plural.values()]:
            if BARE_SEMICOLON.search(text):
                bare.append(f"{entry.msgid!r} → {text!r}")
    assert not bare, "French needs a non-breaking space before « ; »:\n" + "\n".join(bare)


def test_the_rank_page_scale_reads_in_french_typography():
    item = {
        "factor": "days_homeless_past_three_years",
        "value": 912,
        "weight": 50,
        "points": 41.64,
        "share": 0.833,
    }
    with translation.override("fr-ca"):
        sentence = str(how_scaled(item))
    assert "(jamais plus de 1)\u00a0;" in sentence, sentence
