"""The layers of architecture.md hold: import-linter's contracts in pyproject.toml pass, and catch a breach."""

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def lint(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--no-logo", *args],
        cwd=cwd,
        env={"PATH": str(LINT_IMPORTS.parent), "PYTHONPATH": str(cwd)},
        capture_output=True,
        text=True,
        check=False,
    )


def test_contracts_of_pyproject_are_kept():
    result = lint()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 kept, 0 broken" in result.stdout


@pytest.fixture
def toy(tmp_path):
    """A small package with a lower layer and a higher one, linted with the project's kinds of contract."""
    package = tmp_path / "toy"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "low.py").write_text("")
    (package / "high.py").write_text("from toy import low\n")
    (tmp_path / "pyproject.toml").write_text(
        textwrap.dedent(
            """
            [tool.importlinter]
            root_package = "toy"

            [[tool.importlinter.contracts]]
            id = "layers"
            name = "layers"
            type = "layers"
            layers = ["toy.high", "toy.low"]

            [[tool.importlinter.contracts]]
            id = "no-cycles"
            name = "no cycles"
            type = "acyclic_siblings"
            ancestors = ["toy"]
            """
        )
    )
    return tmp_path


def test_the_contracts_catch_an_upward_import_and_a_cycle(toy):
    assert lint(cwd=toy).returncode == 0
    # A lazy import inside a function counts as much as one at the top of the module.
    (toy / "toy" / "low.py").write_text("def f():\n    from toy import high\n")
    result = lint(cwd=toy)
    assert result.returncode != 0
    assert "toy.low is not allowed to import toy.high" in result.stdout
    assert "No cycles are allowed in toy" in result.stdout
