"""Property-based tests of the JSON API from its own OpenAPI: no server error, no answer that breaks the schema.

Schemathesis reads /api/openapi.json from the Django application itself (WSGI, on the test database: SQLite
locally, PostgreSQL when DATABASE_URL names one) and runs every phase (the schema's examples, coverage of
its boundaries, random and invalid values, then stateful sequences) as a case manager whose organisation
follows two participants. Examples are few so the suite stays fast; what it finds is fixed in the product.
"""

from __future__ import annotations

import traceback

import pytest
import schemathesis
from django.core.signals import got_request_exception, request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.generation.meta import CoverageScenario
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from ancrage.accounts import services as account_services
from tests.browser.casework_world import build_world

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
MAX_EXAMPLES = 4
SETTINGS = hypothesis_settings(
    max_examples=MAX_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None
)


def _describe(exc: BaseException) -> str:
    parts = [str(exc)]
    for inner in getattr(exc, "exceptions", ()):
        parts.append(_describe(inner))
    return "\n".join(parts)


def _config(token: str) -> schemathesis.Config:
    return schemathesis.Config.from_dict(
        {
            "headers": {"Authorization": f"Bearer {token}"},
            "generation": {
                "mode": "all",
                "max-examples": MAX_EXAMPLES,
                "deterministic": True,
                "database": "none",
            },
            "phases": {
                "examples": {"enabled": True},
                "coverage": {"enabled": True},
                "fuzzing": {"enabled": True},
                "stateful": {"enabled": True, "max-steps": 20},
            },
            "suppress-health-check": ["all"],
        }
    )


@pytest.fixture
def case_manager_token(db, org_a, case_manager_a, participant_a):
    build_world(org_a, case_manager_a, participant_a)
    _token, key = account_services.api_token_create(actor=case_manager_a, name="Schemathesis")
    return key


@pytest.fixture
def server_errors():
    """The tracebacks of the requests that failed on the server, to show with schemathesis's report."""
    seen: list[str] = []

    def record(sender, request=None, **kwargs):
        seen.append(f"{request.method} {request.get_full_path()[:200]}\n{traceback.format_exc()}")

    got_request_exception.connect(record, weak=False)
    yield seen
    got_request_exception.disconnect(record)


@pytest.fixture
def wsgi_app():
    """Django's WSGI application, keeping the test's database connection open between requests (as Django's
    test client does): the test's transaction holds the data, and PostgreSQL would lose it on a close."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield get_wsgi_application()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def api_schema(case_manager_token, wsgi_app):
    return schemathesis.openapi.from_wsgi("/api/openapi.json", wsgi_app, config=_config(case_manager_token))


class CoverageSelection:
    """Which of the coverage phase's cases are sent, where schemathesis repeats itself (the rest: all of them).

    - Wrong types: schemathesis sends every other JSON type in turn for each parameter and body property (five
      cases each, 43 % of all requests). The operation's first parameter is sent all of them, each other
      parameter its first: every parameter is given a wrong type, every wrong type reaches every operation.
    - Methods the path does not declare: the same requests for every operation of one path (GET and POST
      /participants/{pk}/exits both send PUT, DELETE, …), sent once, by the path's first operation."""

    def __init__(self, operations) -> None:
        self.first_of_path: dict[str, str] = {}
        for operation in operations:
            self.first_of_path.setdefault(operation.path, operation.label)
        self.groups: dict[tuple, int] = {}
        self.seen: dict[tuple, int] = {}
        self.groups_sent: set[tuple] = set()

    def sends(self, case) -> bool:
        data = case.meta.phase.data if case.meta is not None else None
        scenario = getattr(data, "scenario", None)
        if scenario == CoverageScenario.UNSPECIFIED_HTTP_METHOD:
            return self.first_of_path[case.operation.path] == case.operation.label
        if scenario != CoverageScenario.INCORRECT_TYPE:
            return True
        key = (case.operation.label, data.location, data.parameter, data.parameter_location)
        group = self.groups.setdefault(key, sum(1 for k in self.groups if k[0] == key[0]))
        index = self.seen[key] = self.seen.get(key, -1) + 1
        if index == 0 or group == 0:
            self.groups_sent.add(key)
            return True
        return False


# The operations are shared among a few tests, so pytest-xdist runs them on several workers at once (each part
# builds its own world: the world is a second, the operations a minute).
PARTS = 4


@pytest.mark.parametrize("part", range(PARTS))
def test_every_operation_answers_within_its_schema(part, api_schema, case_manager_token, server_errors):
    # Schemathesis's own pytest wrappers (from_fixture, parametrize) rename pytest's nodes in a way pytest 9.2
    # no longer allows; its builder of one Hypothesis test per operation (examples, coverage and fuzzing
    # phases, as configured) is driven here instead, and every operation's failures are reported together.
    # This part runs every PARTS-th operation of the schema, from the part-th.
    from schemathesis.pytest.lazy import get_all_tests

    headers = {"Authorization": f"Bearer {case_manager_token}"}

    all_operations = [result.ok() for result in api_schema.get_all_operations()]
    selection = CoverageSelection(all_operations)
    sent: list[str] = []

    def call(case):
        if not selection.sends(case):
            return
        sent.append(case.operation.label)
        # Each request in its own savepoint, as each has its own transaction on a server: a database error
        # shows on the request that caused it rather than on every later one (PostgreSQL aborts the rest).
        with transaction.atomic():
            case.call_and_validate(headers=headers, checks=CHECKS)

    labels = [operation.label for operation in all_operations]
    assert len(labels) > 40
    mine = labels[part::PARTS]
    failures = []
    tests = get_all_tests(
        schema=api_schema.include(name=mine), test_func=call, settings=SETTINGS, given_kwargs={}
    )
    operations = []
    for result in tests:
        operation, test = result.ok()
        operations.append(operation.label)
        try:
            test()
        except (Exception, BaseExceptionGroup) as exc:  # each operation's failures, then all shown at once
            failures.append(f"{operation.label}: {_describe(exc)}")
    assert sorted(operations) == sorted(mine)
    assert set(sent) == set(mine)  # every operation was called
    assert selection.groups_sent == set(selection.groups)  # every parameter was given a wrong type
    assert not failures, "\n\n".join(failures + server_errors[:3])


def test_stateful_sequences_answer_within_the_schema(api_schema, case_manager_token, server_errors):
    machine = api_schema.as_state_machine()

    class Machine(machine):  # type: ignore[misc, valid-type]
        def call(self, case, **kwargs):
            with transaction.atomic():
                return super().call(case, **kwargs)

        def get_call_kwargs(self, case):
            return {"headers": {"Authorization": f"Bearer {case_manager_token}"}}

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            case.validate_response(response, checks=CHECKS, transport_kwargs=kwargs or None)

    try:
        Machine.run(settings=hypothesis_settings(SETTINGS, stateful_step_count=10))
    finally:
        assert server_errors == []
