"""Hashed mode (HMIS 1.5 HashStatus 4, "SHA-256 (RHY)"): names and birth dates leave as digests.

Names: the Soundex code of the name, hashed with SHA-256 and written as 64 lower-case hexadecimal
characters, as the RHY rule for HashStatus 4 says (and as the HMIS warehouses that read it compute it), so
two systems can match a person on spelling variants without either seeing the name. Accents are removed
first (Soundex is defined on the Latin letters A to Z). Birth dates: the SHA-256 of the ISO date
(`YYYY-MM-DD`). Judgement: the specification hashes names and social security numbers; this project
hashes the birth date too, as its issue asks, so a hashed export carries no date of birth in clear (a
receiving system then matches on the digest, not on the date).
"""

from __future__ import annotations

import datetime
import hashlib

import jellyfish

from ancrage.core.text import normalise


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def hashed_name(name: str | None) -> str | None:
    if not name:
        return None
    letters = "".join(c for c in normalise(name) if "a" <= c <= "z")
    if not letters:
        # A name with no Latin letter has no Soundex code: nothing can be matched on, nothing is written.
        return None
    return sha256(jellyfish.soundex(letters).upper())


def hashed_date(day: datetime.date | None) -> str | None:
    if day is None:
        return None
    return sha256(f"{day.year:04d}-{day.month:02d}-{day.day:02d}")
