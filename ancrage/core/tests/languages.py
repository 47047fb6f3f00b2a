"""What a page says, and whether it says it in the language it was asked in.

`VisibleText.of(html)` is the text a person sees or hears. `Leaks` holds, for each language, the phrases of the
catalogue that belong only to the other one: on an English page no French phrase of the catalogue may appear, on a
French page no English source phrase that has its own translation. A phrase is a run of at least three words between
placeholders and markup, so that names, codes and one-word labels shared by both languages never count.
"""

from __future__ import annotations

import re
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

import polib

PO_PATH = Path(__file__).resolve().parents[3] / "locale" / "fr" / "LC_MESSAGES" / "django.po"
# Placeholders (%(name)s, %s, {name}) and tags cut a message into the phrases that reach a page whole.
_CUTS = re.compile(r"%\([^)]*\)[-#0 +]*\d*(?:\.\d+)?[sdfr]|%[sdfr]|\{[^}]*\}|<[^>]+>|[\n\r\t]")
MIN_WORDS = 3
MIN_CHARS = 16


class VisibleText(HTMLParser):
    """The text a person sees or hears: content, plus labels carried in attributes."""

    SPOKEN_ATTRIBUTES = {"aria-label", "placeholder", "title", "alt"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in {"script", "style"}:
            self._skip += 1
        self.parts += [value for name, value in attrs if name in self.SPOKEN_ATTRIBUTES and value]

    def handle_endtag(self, tag):
        if tag in {"script", "style"} and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)

    @classmethod
    def of(cls, html: str) -> str:
        parser = cls()
        parser.feed(html)
        return " ".join(" ".join(parser.parts).split())


def phrases(message: str) -> set[str]:
    """The runs of `message` long enough to tell a language by."""
    found = set()
    for piece in _CUTS.split(message):
        piece = " ".join(piece.split()).strip(" .:;,!?()«»\"'")
        if len(piece) >= MIN_CHARS and len(piece.split()) >= MIN_WORDS:
            found.add(piece)
    return found


@cache
def foreign_phrases() -> dict[str, frozenset[str]]:
    """{"en": French phrases, "fr": English phrases}: what must not appear on a page asked in that language."""
    english: set[str] = set()
    french: set[str] = set()
    for entry in polib.pofile(str(PO_PATH)):
        if entry.obsolete or "fuzzy" in entry.flags:
            continue
        sources = [entry.msgid] + ([entry.msgid_plural] if entry.msgid_plural else [])
        translations = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        for text in sources:
            english |= phrases(text)
        for text in translations:
            french |= phrases(text)
    # A phrase both languages use (a proper name, a code) tells neither.
    return {"en": frozenset(french - english), "fr": frozenset(english - french)}


def leaks(html: str, language: str) -> list[str]:
    """The other language's catalogue phrases that `html`, asked in `language` ("fr" or "en"), shows."""
    text = VisibleText.of(html)
    return sorted(phrase for phrase in foreign_phrases()[language] if phrase in text)
