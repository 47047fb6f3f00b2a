"""Standing users per role and organisation, shared by every test (architecture.md, Tests)."""

import datetime
import os
import zoneinfo

import pytest

os.environ.setdefault("ANCRAGE_TESTING", "1")

from ancrage.core.permissions import Role

# The slow tests start first on every worker; each run ends with where its time went (tests/suite_timing.py).
pytest_plugins = ["tests.suite_timing"]

# The application's zone: a moment given without an offset in ANCRAGE_TEST_NOW is read as Montréal's time,
# like every date a user types. Named here (not read from settings) because the session moves the clock
# before Django is set up.
_LOCAL_ZONE = zoneinfo.ZoneInfo("America/Montreal")


def _session_moment(value: str) -> datetime.datetime:
    """The moment ANCRAGE_TEST_NOW names (ISO 8601, with or without an offset), aware."""
    try:
        moment = datetime.datetime.fromisoformat(value.strip())
    except ValueError:
        raise pytest.UsageError(
            f"ANCRAGE_TEST_NOW={value!r} is not an ISO moment, e.g. 2026-12-07T00:20:00-05:00"
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=_LOCAL_ZONE)
    return moment


def pytest_configure(config):
    """ANCRAGE_TEST_NOW runs the whole session at a chosen moment (time keeps ticking from there), so a test
    that depends on the hour, the weekday or the machine's zone fails on any machine, not only at night.
    Each pytest-xdist worker is a process that runs this hook too, so every worker travels to the same
    moment; a test may still travel elsewhere with the `time_machine` fixture (travels nest)."""
    # The repository holds the catalogue's source only: compile it before any test reads French.
    from ancrage.core.catalogue import compile_catalogues

    compile_catalogues()
    value = os.environ.get("ANCRAGE_TEST_NOW", "").strip()
    if not value:
        return
    import time_machine

    moment = _session_moment(value)
    traveller = time_machine.travel(moment, tick=True)
    traveller.start()
    config._ancrage_traveller = traveller  # stopped in pytest_unconfigure
    config._ancrage_test_now = moment


def pytest_unconfigure(config):
    traveller = getattr(config, "_ancrage_traveller", None)
    if traveller is not None:
        traveller.stop()


def pytest_report_header(config):
    moment = getattr(config, "_ancrage_test_now", None)
    if moment is not None:
        return f"ANCRAGE_TEST_NOW: the session runs from {moment.isoformat()}"
    return None


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language: a request or a task may leave another one active in the
    thread, and what a service writes in words (a reason, a message) must not depend on the test order."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _montreal_areas(request):
    """The list of areas is configuration a data migration loads (ancrage.housing). A transactional test
    (the browser tests' live server) empties every table when it ends, that list included; under
    pytest-xdist's work stealing a test in a transaction may run on that worker afterwards. So every test
    that uses the database finds the list there, loaded again by the migration's own function if it is not
    (one query when it is)."""
    marker = request.node.get_closest_marker("django_db")
    transactional = "transactional_db" in request.fixturenames or (
        marker is not None and marker.kwargs.get("transaction", False)
    )
    if transactional:
        request.getfixturevalue("transactional_db")
    elif marker is not None or "db" in request.fixturenames:
        request.getfixturevalue("db")
    else:
        return
    import importlib

    from django.apps import apps

    if apps.get_model("housing", "Area").objects.exists():
        return
    migration = importlib.import_module("ancrage.housing.migrations.0004_montreal_areas_and_unit_places")
    migration.load_montreal(apps, None)


# Argon2 (production's hasher) takes about a tenth of a second per password: every user a test makes would pay it.
# Tests hash with MD5; those marked `production_password_hasher` keep the project's own setting.
FAST_PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.MD5PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
]


@pytest.fixture(autouse=True)
def _fast_password_hasher(request, settings):
    if request.node.get_closest_marker("production_password_hasher") is None:
        settings.PASSWORD_HASHERS = FAST_PASSWORD_HASHERS


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TWO_FACTOR_REQUIRED = False


@pytest.fixture
def consortium(db):
    from ancrage.people.tests.factories import ConsortiumFactory

    return ConsortiumFactory()


@pytest.fixture
def org_a(consortium):
    from ancrage.people.tests.factories import OrganisationFactory

    return OrganisationFactory(consortium=consortium, name="Mission A", short_name="MA")


@pytest.fixture
def org_b(consortium):
    from ancrage.people.tests.factories import OrganisationFactory

    return OrganisationFactory(consortium=consortium, name="Mission B", short_name="MB")


@pytest.fixture
def shared_org(consortium):
    from ancrage.organisations.models import Organisation
    from ancrage.people.tests.factories import OrganisationFactory

    return OrganisationFactory(
        consortium=consortium, name="Service logement", short_name="SL", kind=Organisation.Kind.SHARED_SERVICE
    )


@pytest.fixture
def partner_org(consortium):
    from ancrage.organisations.models import Organisation
    from ancrage.people.tests.factories import OrganisationFactory

    return OrganisationFactory(
        consortium=consortium, name="Partenaire santé", short_name="PS", kind=Organisation.Kind.PARTNER
    )


@pytest.fixture
def case_manager_a(org_a):
    from ancrage.people.tests.factories import member

    return member(org_a, Role.CASE_MANAGER, username="gc_a")


@pytest.fixture
def case_manager_b(org_b):
    from ancrage.people.tests.factories import member

    return member(org_b, Role.CASE_MANAGER, username="gc_b")


@pytest.fixture
def program_manager_a(org_a):
    from ancrage.people.tests.factories import member

    return member(org_a, Role.PROGRAM_MANAGER, username="pm_a")


@pytest.fixture
def housing_specialist(shared_org):
    from ancrage.people.tests.factories import member

    return member(shared_org, Role.HOUSING_SPECIALIST, username="logement")


@pytest.fixture
def partner_rep(partner_org):
    from ancrage.people.tests.factories import member

    return member(partner_org, Role.PARTNER, username="partenaire")


@pytest.fixture
def administrator(shared_org):
    from ancrage.people.tests.factories import member

    return member(shared_org, Role.ADMINISTRATOR, username="admin_test")


@pytest.fixture
def outsider(db):
    """Signed in, but a member of no organisation."""
    from ancrage.people.tests.factories import UserFactory

    return UserFactory(username="dehors")


@pytest.fixture
def participant_a(case_manager_a, org_a):
    from ancrage.people.tests.factories import make_participant

    return make_participant(case_manager_a, org_a, legal_first_name="Éloïse", legal_last_name="Gagnon")


@pytest.fixture
def client_for(client):
    """client_for(user) -> a test client signed in as user."""

    def _make(user):
        client.force_login(user)
        return client

    return _make


def pytest_sessionfinish(session, exitstatus):
    """A skipped test is a failed promise here: nothing in this suite may be skipped for lack of a tool."""
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter is not None else []
    if skipped and exitstatus == 0:
        names = ", ".join(getattr(r, "nodeid", "?") for r in skipped[:10])
        print(f"\n{len(skipped)} test(s) were skipped; this suite allows none: {names}")
        session.exitstatus = 1


@pytest.fixture(scope="session", autouse=True)
def _flush_by_delete():
    """After each transactional test (the browser tests' live server), Django empties every table with one
    TRUNCATE of all of them: on PostgreSQL that costs about a second whatever they hold, since each table
    gets new files. The tests leave a few hundred rows at most, so a DELETE of each table, in one
    transaction (the foreign keys are deferred to its end), empties them in a fraction of that: the same
    empty tables, a minute or two off the suite. Sequences are left as they are, as with TRUNCATE without
    reset_sequences."""
    from django.db.backends.postgresql.operations import DatabaseOperations

    original = DatabaseOperations.sql_flush

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if reset_sequences or allow_cascade or not tables:
            return original(self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
        return ["SET CONSTRAINTS ALL DEFERRED"] + [
            f"{style.SQL_KEYWORD('DELETE FROM')} {style.SQL_FIELD(self.quote_name(table))};"
            for table in tables
        ]

    DatabaseOperations.sql_flush = sql_flush
    yield
    DatabaseOperations.sql_flush = original
