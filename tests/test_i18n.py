"""The French catalogue is complete, current, compiled, and used.

French (Canada) is the default language; every string in code and templates is English wrapped for
translation, and locale/fr/LC_MESSAGES/django.po holds the French. When a check here fails after you
changed strings: run `make messages`, translate the new entries (no fuzzy, no empty msgstr), and
commit django.po (django.mo is compiled from it, never committed).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import polib
import pytest
from django.urls import reverse
from django.utils import translation

from ancrage.core.tests.languages import VisibleText

ROOT = Path(__file__).resolve().parent.parent
LC_MESSAGES = ROOT / "locale" / "fr" / "LC_MESSAGES"
PO_PATH = LC_MESSAGES / "django.po"
MO_PATH = LC_MESSAGES / "django.mo"

# The same ignores as `make messages`.
MAKEMESSAGES_IGNORES = [".venv", ".tools", "static/vendor", "node_modules"]
# Left out of the scratch copy the catalogue is regenerated in: not source, or ignored anyway.
COPY_SKIPS = {
    ".git",
    ".venv",
    ".tools",
    "node_modules",
    "vendor",
    "__pycache__",
    ".mypy_cache",
    ".ruff_cache",
    ".pytest_cache",
    "test-results",
    "media",
    "var",
    "staticfiles",
    "db.sqlite3",
}
GETTEXT_TOOLS = ["xgettext", "msgmerge", "msguniq", "msgattrib"]
FIX_HINT = "run `make messages` and translate the new entries in locale/fr/LC_MESSAGES/django.po"

# %(name)s, %s, %d, %i, %f (with flags, width and precision); %% is a literal percent sign.
PLACEHOLDER = re.compile(r"%(?:\([^)]+\))?[-#0 +]*(?:\d+|\*)?(?:\.\d+)?[sdifeEgGxXorc%]")
# Markup inside a message (not words in angle brackets such as "Bearer <token>", which may be translated).
HTML_TAG = re.compile(
    r"</?(?:a|abbr|b|br|code|em|i|kbd|mark|p|q|s|samp|small|span|strong|sub|sup|time|u|var)\b[^>]*>", re.I
)


def _catalogue() -> polib.POFile:
    assert PO_PATH.exists(), f"{PO_PATH.relative_to(ROOT)} is missing: {FIX_HINT}"
    return polib.pofile(str(PO_PATH))


def _key(entry: polib._BaseEntry) -> tuple[str | None, str, str | None]:
    return (entry.msgctxt, entry.msgid, entry.msgid_plural or None)


def _describe(key: tuple[str | None, str, str | None]) -> str:
    ctxt, msgid, plural = key
    text = repr(msgid)
    if plural:
        text += f" / plural {plural!r}"
    if ctxt:
        text += f" (context {ctxt!r})"
    return text


def _placeholders(text: str) -> Counter:
    return Counter(p for p in PLACEHOLDER.findall(text) if p != "%%")


def _tags(text: str) -> Counter:
    return Counter(m.group(0).lower() for m in HTML_TAG.finditer(text))


# (a) Complete ----------------------------------------------------------------------------------------


def test_catalogue_is_complete():
    po = _catalogue()
    assert not po.metadata_is_fuzzy, "The catalogue header is marked fuzzy: remove the flag."
    assert po.metadata.get("Plural-Forms", "").replace(" ", "") == "nplurals=2;plural=(n>1);", (
        "French plural forms must be 'nplurals=2; plural=(n > 1);'"
    )
    untranslated = [e for e in po if not e.obsolete and not e.translated() and "fuzzy" not in e.flags]
    fuzzy = [e for e in po if not e.obsolete and "fuzzy" in e.flags]
    problems = [f"untranslated: {_describe(_key(e))}" for e in untranslated]
    problems += [f"fuzzy: {_describe(_key(e))}" for e in fuzzy]
    assert not problems, (
        f"{len(problems)} catalogue entries need a French translation ({FIX_HINT}; remove "
        "'#, fuzzy' once checked):\n  " + "\n  ".join(problems)
    )


# (b) Not stale ---------------------------------------------------------------------------------------


def _regenerate_catalogue(tmp_path: Path) -> polib.POFile:
    """Run makemessages in a scratch copy of the project, so the committed files are never touched."""
    missing = [tool for tool in GETTEXT_TOOLS if shutil.which(tool) is None]
    if missing:
        pytest.fail(
            f"GNU gettext is not installed ({', '.join(missing)} not found): the catalogue check needs it. "
            "Install it with `make system-deps` (or `sudo apt-get install gettext`).",
            pytrace=False,
        )
    copy = tmp_path / "project"
    shutil.copytree(
        ROOT,
        copy,
        symlinks=True,
        ignore=lambda _dir, names: [n for n in names if n in COPY_SKIPS or n.endswith(".pyc")],
    )
    env = {**os.environ, "ANCRAGE_TESTING": "1", "PYTHONDONTWRITEBYTECODE": "1"}
    command = [sys.executable, "manage.py", "makemessages", "-l", "fr", "--no-obsolete", "--no-location"]
    command += [f"--ignore={pattern}" for pattern in MAKEMESSAGES_IGNORES]
    result = subprocess.run(command, cwd=copy, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, f"makemessages failed:\n{result.stdout}\n{result.stderr}"
    regenerated = copy / "locale" / "fr" / "LC_MESSAGES" / "django.po"
    assert regenerated.exists(), f"makemessages wrote no catalogue:\n{result.stdout}\n{result.stderr}"
    return polib.pofile(str(regenerated))


def test_catalogue_is_not_stale(tmp_path):
    committed = {_key(e) for e in _catalogue() if not e.obsolete}
    current = {_key(e) for e in _regenerate_catalogue(tmp_path) if not e.obsolete}
    new = sorted(current - committed, key=lambda k: (k[1], k[0] or "", k[2] or ""))
    removed = sorted(committed - current, key=lambda k: (k[1], k[0] or "", k[2] or ""))
    message = []
    if new:
        message.append(f"{len(new)} string(s) in the code are not in the catalogue:")
        message += [f"  + {_describe(k)}" for k in new]
    if removed:
        message.append(f"{len(removed)} catalogue entr(y/ies) no longer used by the code:")
        message += [f"  - {_describe(k)}" for k in removed]
    assert not message, "The French catalogue is out of date; " + FIX_HINT + ".\n" + "\n".join(message)


# (c) Compiled ----------------------------------------------------------------------------------------


def test_compiled_catalogue_matches_source():
    assert MO_PATH.exists(), (
        f"{MO_PATH.relative_to(ROOT)} is missing: the test session compiles it (conftest.py); "
        "run `manage.py compile_catalogue`."
    )
    po = _catalogue()
    mo = polib.mofile(str(MO_PATH))

    def translations(catalogue, *, from_po: bool) -> dict:
        found = {}
        for e in catalogue:
            if not e.msgid or getattr(e, "obsolete", False):
                continue
            if from_po and ("fuzzy" in e.flags or not e.translated()):
                continue  # msgfmt leaves these out of the .mo
            plural = tuple(e.msgstr_plural[i] for i in sorted(e.msgstr_plural))
            found[_key(e)] = plural if e.msgid_plural else e.msgstr
        return found

    expected = translations(po, from_po=True)
    compiled = translations(mo, from_po=False)
    differences = [
        _describe(k)
        for k in sorted(set(expected) | set(compiled), key=lambda k: (k[1], k[0] or "", k[2] or ""))
        if expected.get(k) != compiled.get(k)
    ]
    assert not differences, (
        "django.mo does not match django.po: run `ANCRAGE_TESTING=1 .venv/bin/python manage.py "
        "compile_catalogue --force`.\n  " + "\n  ".join(differences)
    )
    assert mo.metadata.get("Plural-Forms", "").replace(" ", "") == "nplurals=2;plural=(n>1);"


# (d) Placeholders ------------------------------------------------------------------------------------


def test_translations_keep_placeholders_and_markup():
    problems = []
    for e in _catalogue():
        if e.obsolete or not e.translated():
            continue
        if e.msgid_plural:
            pairs = [(e.msgid_plural, text) for text in e.msgstr_plural.values()]
        else:
            pairs = [(e.msgid, e.msgstr)]
        for index, (source, text) in enumerate(pairs):
            want, got = _placeholders(source), _placeholders(text)
            # French's singular (n = 0 or 1) may leave the number out, as the English singular does.
            singular_like_english = bool(e.msgid_plural) and index == 0 and got == _placeholders(e.msgid)
            if want != got and not singular_like_english:
                problems.append(
                    f"{_describe(_key(e))}: placeholders {sorted(want.elements())} became "
                    f"{sorted(got.elements())} in {text!r}"
                )
            if _tags(source) != _tags(text):
                problems.append(f"{_describe(_key(e))}: HTML tags differ in {text!r}")
    assert not problems, "Translations must keep every placeholder and tag exactly:\n  " + "\n  ".join(
        problems
    )


# (e) Used at run time --------------------------------------------------------------------------------


def test_gettext_uses_the_french_catalogue_for_fr_ca():
    with translation.override("fr-ca"):
        assert translation.gettext("Sign in") == "Se connecter"
        assert (
            translation.ngettext("%(counter)s participant", "%(counter)s participants", 2) % {"counter": 2}
            == "2 participant·es"
        )


@pytest.mark.django_db
def test_login_page_is_in_french_by_default(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(r'<html[^>]*\blang="fr-CA"', html), 'The page must declare lang="fr-CA"'
    text = VisibleText.of(html)
    assert "Se connecter" in text
    assert "Connexion à Ancrage" in text
    assert "Mot de passe" in text
    english = ["Sign in", "Sign out", "Password", "Username", "Skip to content", "Language", "Housing First"]
    leftovers = [word for word in english if re.search(rf"\b{re.escape(word)}\b", text)]
    assert not leftovers, f"English left on the French login page: {leftovers}\n{text}"


def test_the_compiled_catalogue_is_not_committed():
    """The repository holds source only: the .mo is built from the .po (make, the test session)."""
    tracked = subprocess.run(
        ["git", "ls-files", "--", "*.mo"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    assert tracked == []


# (e) Translated when read, not when imported -----------------------------------------------------------

_EAGER = {"gettext", "ngettext", "pgettext", "npgettext"}


def _eager_calls_outside_functions(path: Path) -> list[int]:
    """Lines where a module or class body calls gettext itself: it translates once, at import, into whatever
    language was active then, and every later reader gets that one (a French label on an English page)."""
    import ast

    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = {
        alias.asname or alias.name
        for node in tree.body
        if isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation"
        for alias in node.names
        if alias.name in _EAGER
    }
    lines: list[int] = []

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
                continue
            if isinstance(child, ast.Call) and isinstance(child.func, ast.Name) and child.func.id in names:
                lines.append(child.lineno)
            visit(child)

    if names:
        visit(tree)
    return lines


def test_no_text_is_translated_at_import():
    found = [
        f"{path.relative_to(ROOT)}:{line}"
        for path in sorted((ROOT / "ancrage").rglob("*.py"))
        if "migrations" not in path.parts
        for line in _eager_calls_outside_functions(path)
    ]
    assert not found, (
        "gettext called outside a function translates at import time; use gettext_lazy there:\n  "
        + "\n  ".join(found)
    )


def test_the_import_time_check_sees_a_module_constant(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text(
        "from django.utils.translation import gettext as _\n"
        "LABELS = {'a': _('Eager')}\n"
        "def view():\n    return _('Fine')\n",
        encoding="utf-8",
    )
    assert _eager_calls_outside_functions(sample) == [2]
