"""Browser tests: Debian's Chromium driven by Playwright against the live server, axe-core on every page."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in the test thread; Django's ORM must still be usable there.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import sync_playwright

from tests.browser.helpers import LOCALES, PASSWORD

# Where Chromium lives: Debian's package, other Linux packages, Homebrew's cask on macOS; ANCRAGE_CHROMIUM first.
CHROMIUM_CANDIDATES = [
    os.environ.get("ANCRAGE_CHROMIUM", ""),
    "/usr/bin/chromium",
    "/usr/bin/chromium-browser",
    "/Applications/Chromium.app/Contents/MacOS/Chromium",
    shutil.which("chromium") or "",
]
CHROMIUM = next((path for path in CHROMIUM_CANDIDATES if path and Path(path).exists()), "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results" / "screenshots"
BLOCKING_IMPACTS = {"serious", "critical"}
TIMEOUT_MS = 15_000


@pytest.fixture(scope="session")
def _playwright():
    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="session")
def browser(_playwright):
    """One browser per test process: under pytest-xdist each worker has its own, against its own live server
    (pytest-django gives each worker its database and the live server a free port)."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `make system-deps` (browser tests never skip).")
    browser = _playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture(scope="session")
def _axe():
    return Axe()


@pytest.fixture
def new_page(browser, live_server):
    """new_page(locale="fr-CA", **context options) -> a page in a fresh browser context.

    Every page fails its test on a script error or a Content Security Policy violation: the policy
    forbids inline script and style, so a template that relies on either is broken for real users.
    """
    contexts = []
    problems: list[str] = []

    def _make(locale: str = "fr-CA", **options):
        # Reduced motion: Bootstrap then skips its colour transitions, so axe never measures a button mid-fade
        # (a loaded machine caught the Actions button half-way to its pressed colour).
        options.setdefault("reduced_motion", "reduce")
        context = browser.new_context(locale=locale, base_url=live_server.url, **options)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda exc: problems.append(f"script error: {exc}"))
        page.on(
            "console",
            lambda msg: (
                problems.append(f"console: {msg.text}")
                if msg.type == "error" and "Content Security Policy" in msg.text
                else None
            ),
        )
        return page

    yield _make
    for context in contexts:
        context.close()
    assert not problems, "\n".join(problems)


def pytest_generate_tests(metafunc):
    """A journey that asks for `lang` runs in French, the default. Those marked `both_languages` run in English
    too: the ones where English differs beyond the catalogue (amounts and dates written the English way,
    documents and emails in a person's own language, the language switch). Every page's text in both languages
    is read by ancrage/core/tests/test_routes.py (`test_every_page_reads_in_the_language_asked`), which finds any
    phrase of the other language; the English runs of every journey cost a third of the suite's time."""
    if "lang" in metafunc.fixturenames:
        both = metafunc.definition.get_closest_marker("both_languages") is not None
        metafunc.parametrize("lang", ["fr", "en"] if both else ["fr"])


@pytest.fixture
def page(new_page):
    """A page in a fresh context whose browser asks for French (Canada), the default language."""
    return new_page(LOCALES["fr"])


@pytest.fixture
def login():
    """login(page, user) -> signs in through the login form and waits to leave it."""

    def _login(page, user, password: str = PASSWORD):
        page.goto("/accounts/login/")
        page.fill("#id_username", user.username)
        page.fill("#id_password", password)
        page.locator("main form button[type=submit]").click()
        page.wait_for_url(lambda url: "/accounts/login/" not in url)
        return page

    return _login


# What Chromium says when the document axe was reading is replaced by the next one (a click that navigates).
_REPLACED = ("documentElement", "Execution context was destroyed", "navigation")


def _run_settled(axe, page, attempts: int = 4):
    """axe on the page once it has loaded; a click just before may still be replacing the document, so a run
    that loses its document waits for the next one to load and runs again."""
    for attempt in range(attempts):
        page.wait_for_load_state("load")
        try:
            return axe.run(page)
        except PlaywrightError as error:
            if attempt == attempts - 1 or not any(sign in str(error) for sign in _REPLACED):
                raise
    raise AssertionError("unreachable")


@pytest.fixture
def assert_accessible(_axe, request):
    """assert_accessible(page, name): axe-core finds no serious or critical violation on the page.

    A journey run in both languages (the `lang` parameter) is checked on every page in French, the default;
    its English run is checked on its first page only: the same templates with the other catalogue, where
    axe's rules could differ only by the document's language, which that first check covers. axe costs
    a fixed half-second or more a page, so this takes a few minutes off the suite (issue 16) and leaves no
    page unchecked."""
    callspec = getattr(request.node, "callspec", None)
    english_twin = callspec is not None and callspec.params.get("lang") == "en"
    checked: list[str] = []

    def _check(page, name: str) -> None:
        if english_twin and checked:
            return
        checked.append(name)
        results = _run_settled(_axe, page)
        violations = results.response.get("violations", [])
        blocking = [v for v in violations if v.get("impact") in BLOCKING_IMPACTS]
        if blocking:
            lines = [f"{len(blocking)} accessibility violation(s) on {name} ({page.url}):"]
            for v in blocking:
                lines.append(f"- [{v['impact']}] {v['id']}: {v['help']} ({v.get('helpUrl', '')})")
                for node in v.get("nodes", [])[:10]:
                    target = " ".join(str(t) for t in node.get("target", []))
                    lines.append(f"    at {target}: {node.get('failureSummary', '').splitlines()[-1:]}")
            pytest.fail("\n".join(lines), pytrace=False)

    return _check


@pytest.fixture
def shot(request):
    """shot(page, step, lang) -> saves test-results/screenshots/<test>-<step>-<lang>.png for people to look at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    test_name = re.sub(r"^test_", "", request.node.originalname)

    def _shot(page, step: str, lang: str) -> None:
        page.screenshot(path=str(SCREENSHOTS / f"{test_name}-{step}-{lang}.png"), full_page=True)

    return _shot


@pytest.fixture
def hub(consortium):
    """The consortium's coordinated-access hub: it receives referrals and may open a file for a person with none."""
    from ancrage.organisations.models import Organisation
    from ancrage.people.tests.factories import OrganisationFactory

    return OrganisationFactory(
        consortium=consortium,
        name="Accès coordonné",
        short_name="ACC",
        kind=Organisation.Kind.COORDINATED_ACCESS,
    )


@pytest.fixture
def hub_worker(hub):
    """The hub's coordinated-access worker (the demo's `acces`)."""
    from ancrage.core.permissions import Role
    from ancrage.people.tests.factories import member

    return member(hub, Role.COORDINATED_ACCESS, username="acces_b", first_name="Fatou", last_name="Diallo")
