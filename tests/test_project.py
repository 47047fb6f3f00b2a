"""Project-level promises: the README lists every demo account and the two commands (migrations: test_migrations)."""

from pathlib import Path

from ancrage.demo.accounts import ACCOUNTS

ROOT = Path(__file__).resolve().parent.parent


def test_readme_lists_every_demo_account_and_the_two_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make run" in readme
    assert "make test" in readme
    missing = [username for username, *_ in ACCOUNTS if f"`{username}`" not in readme]
    assert not missing, f"README.md does not list these demo accounts: {missing}"


def test_ci_calls_make_test():
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
