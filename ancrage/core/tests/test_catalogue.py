"""The French catalogue is compiled from its source, atomically, only when the source is newer."""

import os
import shutil
from pathlib import Path

import polib
from django.core.management import call_command

from ancrage.core import catalogue

SOURCE = Path(catalogue.__file__).resolve().parents[2] / "locale" / "fr" / "LC_MESSAGES" / "django.po"


def test_compiles_when_missing_or_older_and_skips_otherwise(tmp_path, monkeypatch):
    folder = tmp_path / "fr" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    po = folder / "django.po"
    shutil.copy(SOURCE, po)
    monkeypatch.setattr(catalogue, "LOCALE_DIR", tmp_path)
    assert catalogue.compile_catalogues() == [folder / "django.mo"]
    mo = polib.mofile(str(folder / "django.mo"))
    assert mo.find("Nothing matches these filters.").msgstr
    assert catalogue.compile_catalogues() == []
    os.utime(po, (po.stat().st_mtime + 10, po.stat().st_mtime + 10))
    assert catalogue.compile_catalogues() == [folder / "django.mo"]
    assert not list(folder.glob("*.tmp"))


def test_command_forces_a_compile(tmp_path, monkeypatch, capsys):
    folder = tmp_path / "fr" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    shutil.copy(SOURCE, folder / "django.po")
    monkeypatch.setattr(catalogue, "LOCALE_DIR", tmp_path)
    call_command("compile_catalogue")
    call_command("compile_catalogue", "--force")
    assert capsys.readouterr().out.count("compiled") == 2
