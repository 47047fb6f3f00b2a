"""Text helpers: the accent- and case-free form used to search and compare names."""

import re
import unicodedata

_SPACES = re.compile(r"[\s\-'’.]+")


def normalise(value: str) -> str:
    """'Éloïse-Marie O'Brien' -> 'eloise marie o brien'."""
    decomposed = unicodedata.normalize("NFKD", value or "")
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _SPACES.sub(" ", stripped.casefold()).strip()
