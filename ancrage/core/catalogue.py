"""The French catalogue compiled from its source: the repository holds django.po only, never the binary .mo.

`make run` and `make test` compile it (through `manage.py compile_catalogue`), and so does the test
session itself, so a plain `pytest` on a fresh clone is in French too. polib writes the same file as
GNU msgfmt (translated entries only, no fuzzy ones), so no system package is needed to run the demo.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import polib

LOCALE_DIR = Path(__file__).resolve().parents[2] / "locale"


def catalogues() -> list[tuple[Path, Path]]:
    """Each (django.po, django.mo) pair of the project."""
    return [(po, po.with_suffix(".mo")) for po in sorted(LOCALE_DIR.glob("*/LC_MESSAGES/django.po"))]


def compile_catalogues(*, force: bool = False) -> list[Path]:
    """Write every .mo that is missing or older than its .po; returns those written. Each is written to
    a temporary file then renamed, so parallel test workers never read half a catalogue."""
    written = []
    for po_path, mo_path in catalogues():
        if not force and mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        handle, temporary = tempfile.mkstemp(dir=mo_path.parent, suffix=".mo.tmp")
        os.close(handle)
        try:
            polib.pofile(str(po_path)).save_as_mofile(temporary)
            os.replace(temporary, mo_path)
        finally:
            if os.path.exists(temporary):
                os.unlink(temporary)
        written.append(mo_path)
    return written
