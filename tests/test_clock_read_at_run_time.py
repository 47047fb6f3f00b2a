"""Tests read the clock when they run, never when their module is imported or collected.

A date computed at import (a module constant, a default argument, a decorator's argument) is the date the
session started on: under pytest-xdist or a long run it may be yesterday's by the time a test uses it, and
it escapes the moment a test moves the clock to.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CLOCK_READS = {"now", "today", "localtime", "localdate", "utcnow"}


def _test_modules() -> list[Path]:
    found = set((ROOT / "tests").rglob("*.py"))
    for app_tests in (ROOT / "ancrage").glob("*/tests"):
        found |= set(app_tests.rglob("*.py"))
    found.add(ROOT / "conftest.py")
    return sorted(found)


def _reads_the_clock(node: ast.AST) -> bool:
    """A call such as clock.today(), datetime.date.today() or timezone.now() anywhere inside `node`."""
    for inner in ast.walk(node):
        if (
            isinstance(inner, ast.Call)
            and isinstance(inner.func, ast.Attribute)
            and inner.func.attr in CLOCK_READS
        ):
            return True
    return False


def _evaluated_at_import(tree: ast.Module):
    """The expressions Python evaluates when the module is imported: module-level statements outside
    functions and classes' method bodies, default arguments, decorators."""
    for statement in tree.body:
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield from statement.decorator_list
            yield from statement.args.defaults
            yield from (d for d in statement.args.kw_defaults if d is not None)
        elif isinstance(statement, ast.ClassDef):
            yield from statement.decorator_list
            for member in statement.body:
                if isinstance(member, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    yield from member.decorator_list
                    yield from member.args.defaults
                    yield from (d for d in member.args.kw_defaults if d is not None)
                elif not isinstance(member, ast.ClassDef):
                    yield member
        elif not isinstance(statement, (ast.Import, ast.ImportFrom)):
            yield statement


def _without_lambdas(node: ast.AST) -> ast.AST:
    """`node` with every lambda's body dropped: a lambda runs when called, not when defined."""

    class Strip(ast.NodeTransformer):
        def visit_Lambda(self, lam):
            return ast.Constant(value=None)

    return Strip().visit(node)


def test_no_test_module_reads_the_clock_when_imported():
    offenders = []
    for path in _test_modules():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in _evaluated_at_import(tree):
            if _reads_the_clock(_without_lambdas(node)):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not offenders, f"These read the clock at import, not when the test runs: {offenders}"


def test_the_check_finds_a_clock_read_at_import():
    tree = ast.parse(
        "import datetime\n"
        "from ancrage.core import clock\n"
        "TODAY = clock.today\n"  # a function, read later: fine
        "LATER = lambda: clock.now()\n"  # runs when called: fine
        "START = clock.today()\n"  # read at import: caught
        "def f(day=datetime.date.today()):\n"  # default argument: caught
        "    return clock.now()\n"  # inside a function: fine
    )
    caught = [node.lineno for node in _evaluated_at_import(tree) if _reads_the_clock(_without_lambdas(node))]
    assert caught == [5, 6]
