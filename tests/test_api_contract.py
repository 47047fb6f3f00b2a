"""The API keeps its own contract (issue 10, parts 5 and 6).

Hostile input is a 422 that names the field and says why, in the caller's language, on PostgreSQL and on
SQLite alike (nothing is stored); every component of the OpenAPI has one name; a match answers in its
documented shape; errors are declared; the docs page runs under the CSP; an unauthenticated write is a 401.
"""

from __future__ import annotations

import datetime
import re
import typing

import pytest
from django.contrib.staticfiles import finders
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext
from pydantic import BaseModel

from ancrage.access import services as access_services
from ancrage.access.tests.factories import make_entry
from ancrage.accounts import services as account_services
from ancrage.api import api
from ancrage.core import clock
from ancrage.core.permissions import Role
from ancrage.organisations.models import Program
from ancrage.people.models import Alias, Consent, Participant
from ancrage.people.tests.factories import ProgramFactory, member
from tests.browser.casework_world import build_world

pytestmark = pytest.mark.django_db

HUGE = 99999999999999999999
NUL_FR = "Les caractères nuls ne sont pas autorisés."


def in_language(language: str, message: str) -> str:
    with translation.override(language):
        return gettext(message)


@pytest.fixture
def world(org_a, case_manager_a, participant_a):
    return build_world(org_a, case_manager_a, participant_a)


@pytest.fixture
def token(world):
    _row, key = account_services.api_token_create(actor=world.worker, name="Tests")
    return key


@pytest.fixture
def api_client(token):
    """The case manager, through a personal token, in the default language (French)."""
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}")


def _errors(response) -> dict[str, list[str]]:
    assert response.status_code == 422, (response.status_code, response.content[:400])
    body = response.json()
    assert body["detail"] == in_language("fr-ca", "The data sent is not valid.")
    return body["errors"]


# --- part 5: hostile input --------------------------------------------------------------------------------


def _participant(org_a, **values):
    return {
        "organisation_id": org_a.pk,
        "legal_first_name": "Zoé",
        "legal_last_name": "Tremblay",
        "confirm_new": True,
        **values,
    }


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"legal_first_name": "a\x00b"}, "legal_first_name"),
        ({"preferred_name": "\x00"}, "preferred_name"),
        ({"aliases": ["Ti-Loup\x00"]}, "aliases.0"),
    ],
)
def test_a_nul_byte_in_a_name_is_refused_by_field(api_client, org_a, values, field):
    before = Participant.objects.count()
    errors = _errors(
        api_client.post("/api/v1/participants", _participant(org_a, **values), "application/json")
    )
    assert errors == {field: [in_language("fr-ca", "Null characters are not allowed.")]}
    assert Participant.objects.count() == before


def test_a_name_longer_than_its_column_is_refused_with_the_limit(api_client, org_a):
    longest = Alias._meta.get_field("name").max_length
    response = api_client.post(
        "/api/v1/participants", _participant(org_a, aliases=["x" * 10_000]), "application/json"
    )
    assert _errors(response) == {"aliases.0": [f"Au plus {longest} caractères."]}
    response = api_client.post(
        "/api/v1/participants", _participant(org_a, legal_last_name="x" * 101), "application/json"
    )
    assert _errors(response) == {"legal_last_name": ["Au plus 100 caractères."]}


def test_errors_come_in_the_callers_language(world, token, org_a):
    world.worker.language = "en"
    world.worker.save(update_fields=["language"])
    c = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    response = c.post(
        "/api/v1/participants", _participant(org_a, legal_first_name="a\x00"), "application/json"
    )
    assert response.status_code == 422
    assert response.json()["errors"] == {"legal_first_name": ["Null characters are not allowed."]}


def test_a_consent_refuses_nul_over_long_witness_and_huge_organisation_ids(api_client, world, org_a):
    url = f"/api/v1/participants/{world.eloise.pk}/consents"
    base = {
        "organisations": [org_a.pk],
        "categories": ["identity"],
        "purpose": "Suivi",
        "starts_on": clock.today().isoformat(),
        "method": "written",
    }
    before = Consent.objects.count()
    assert set(_errors(api_client.post(url, {**base, "purpose": "a\x00"}, "application/json"))) == {"purpose"}
    assert set(_errors(api_client.post(url, {**base, "witness_name": "w" * 10_000}, "application/json"))) == {
        "witness_name"
    }
    errors = _errors(api_client.post(url, {**base, "organisations": [HUGE]}, "application/json"))
    assert list(errors) == ["organisations.0"]
    assert errors["organisations.0"][0].startswith("Doit être au plus 9")
    errors = _errors(api_client.post(url, {**base, "starts_on": "0001-01-01"}, "application/json"))
    assert errors == {"starts_on": ["Choisissez une date entre 1900-01-01 et 2199-12-31."]}
    assert Consent.objects.count() == before


@pytest.mark.parametrize(
    "path", ["/api/v1/participants", "/api/v1/by-name-list", "/api/v1/referrals", "/api/v1/matches"]
)
def test_a_page_number_past_any_offset_is_a_422(client_for, program_manager_a, path):
    response = client_for(program_manager_a).get(path, {"page": HUGE})
    assert set(_errors(response)) == {"page"}


def test_a_nul_byte_in_a_search_is_a_422(api_client):
    assert _errors(api_client.get("/api/v1/participants", {"q": "a\x00b"})) == {"q": [NUL_FR]}
    assert set(_errors(api_client.get("/api/v1/providers", {"q": "a\x00b"}))) == {"q"}


def test_huge_ids_in_lists_and_paths_never_reach_the_database(api_client, world):
    p = world.eloise.pk
    contact = {
        "occurred_at": clock.now().isoformat(),
        "duration_minutes": 30,
        "kind": "home",
    }
    for field in ("staff_ids", "goal_ids"):
        response = api_client.post(
            f"/api/v1/participants/{p}/contacts", {**contact, field: [HUGE]}, "application/json"
        )
        assert set(_errors(response)) == {f"{field}.0"}
    visit = {
        "location": "Parc",
        "planned_start": clock.now().isoformat(),
        "planned_end": (clock.now() + datetime.timedelta(hours=1)).isoformat(),
        "companion_ids": [HUGE],
    }
    assert set(_errors(api_client.post(f"/api/v1/participants/{p}/visits", visit, "application/json"))) == {
        "companion_ids.0"
    }
    assert api_client.get(f"/api/v1/participants/{HUGE}").status_code in {404, 422}
    assert api_client.get("/api/v1/caseload", {"worker": HUGE}).status_code == 422


@pytest.mark.parametrize(
    "moment", ["0001-01-01T00:00:00", "9999-12-31T23:59:59+00:00", "1899-12-31T12:00:00"]
)
def test_contact_and_visit_moments_out_of_range_are_a_422(api_client, world, moment):
    p = world.eloise.pk
    contact = {"occurred_at": moment, "duration_minutes": 30, "kind": "home"}
    errors = _errors(api_client.post(f"/api/v1/participants/{p}/contacts", contact, "application/json"))
    assert errors == {"occurred_at": ["Choisissez une date entre 1900-01-01 et 2199-12-31."]}
    visit = {"location": "Parc", "planned_start": moment, "planned_end": moment}
    assert set(_errors(api_client.post(f"/api/v1/participants/{p}/visits", visit, "application/json"))) == {
        "planned_start",
        "planned_end",
    }


def test_a_birth_date_before_1900_is_a_422(api_client, org_a):
    response = api_client.post(
        "/api/v1/participants", _participant(org_a, date_of_birth="1899-12-31"), "application/json"
    )
    assert set(_errors(response)) == {"date_of_birth"}


def test_a_note_longer_than_the_setting_is_a_422(api_client, world, settings):
    limit = settings.ANCRAGE["NOTE_MAX_LENGTH"]
    contact = {
        "occurred_at": clock.now().isoformat(),
        "duration_minutes": 30,
        "kind": "home",
        "shared_note": "n" * (limit + 1),
    }
    response = api_client.post(
        f"/api/v1/participants/{world.eloise.pk}/contacts", contact, "application/json"
    )
    assert set(_errors(response)) == {"shared_note"}


def test_notes_are_bounded_in_the_openapi(client):
    spec = client.get("/api/openapi.json").json()
    contact_in = spec["components"]["schemas"]["ContactIn"]["properties"]
    from django.conf import settings

    assert contact_in["shared_note"]["maxLength"] == settings.ANCRAGE["NOTE_MAX_LENGTH"]
    assert contact_in["private_note"]["maxLength"] == settings.ANCRAGE["NOTE_MAX_LENGTH"]


def test_a_body_that_is_not_json_is_a_422(api_client, world):
    response = api_client.post(
        f"/api/v1/participants/{world.eloise.pk}/contacts", b"\xff\n", content_type="application/json"
    )
    assert _errors(response) == {"__all__": [in_language("fr-ca", "The body is not valid JSON.")]}


# --- part 6: the contract ---------------------------------------------------------------------------------


def _models(annotation, found: dict[str, set[type]]) -> None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if annotation in found.setdefault(annotation.__name__, set()):
            return
        found[annotation.__name__].add(annotation)
        for field in annotation.model_fields.values():
            _models(field.annotation, found)
        return
    for arg in typing.get_args(annotation):
        _models(arg, found)


def test_every_schema_of_the_api_has_its_own_name():
    found: dict[str, set[type]] = {}
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                for model in operation.response_models.values():
                    if isinstance(model, type) and issubclass(model, BaseModel):
                        # ninja wraps each answer in a model with one field, "response".
                        _models(model.model_fields["response"].annotation, found)
                for model in operation.models:
                    _models(model, found)
    shared = {
        name: sorted(c.__module__ for c in classes) for name, classes in found.items() if len(classes) > 1
    }
    # ninja's own parameter models (BodyParams, QueryParams: one per operation, inlined) are not components.
    shared = {k: v for k, v in shared.items() if k not in {"BodyParams", "QueryParams", "PathParams"}}
    assert shared == {}


@pytest.fixture
def match(case_manager_a, program_manager_a, org_a):
    policy = access_services.policy_draft_create(
        actor=case_manager_a,
        text="title: {fr: Test, en: Test}\nfactors:\n  - factor: chronic\n    weight: 20\ntie_breakers: [entered_on]\n",
    )
    access_services.policy_activate(actor=case_manager_a, policy=policy, reason="Adoptée")
    entry = make_entry(
        case_manager_a, org_a, entered_on=clock.today() - datetime.timedelta(days=10), legal_first_name="Haut"
    )
    entry.refresh_from_db()
    program = ProgramFactory(organisation=org_a, kind=Program.Kind.ICM)
    opening = access_services.openings_create(actor=case_manager_a, program=program)[0]
    return access_services.match_propose(actor=program_manager_a, opening=opening, entry=entry)


def test_a_match_answers_in_its_documented_shape(client_for, program_manager_a, match):
    import jsonschema_rs

    c = client_for(program_manager_a)
    spec = c.get("/api/openapi.json").json()
    operation = spec["paths"]["/api/v1/matches/{match_pk}"]["get"]
    documented = operation["responses"]["200"]["content"]["application/json"]["schema"]
    body = c.get(f"/api/v1/matches/{match.pk}").json()
    assert body["steps"]
    validator = jsonschema_rs.validator_for({**documented, "components": spec["components"]})
    assert list(validator.iter_errors(body)) == []
    step = spec["components"]["schemas"]["MatchStepOut"]
    assert set(step["required"]) == {"from_status", "to_status", "at", "by", "reason"}


def test_every_operation_declares_the_errors_it_answers(client):
    spec = client.get("/api/openapi.json").json()
    missing = []
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            declared = set(operation["responses"])
            expected = {"401"}
            if "{" in path:
                expected |= {"404", "422"}
            if operation.get("parameters") or operation.get("requestBody"):
                expected |= {"422"}
            if not expected <= declared:
                missing.append(f"{method.upper()} {path}: {sorted(expected - declared)}")
            for code in expected & declared:
                ref = operation["responses"][code]["content"]["application/json"]["schema"]["$ref"]
                assert ref == "#/components/schemas/ErrorOut"
    assert missing == []


def test_the_docs_page_runs_its_own_scripts_under_the_csp(client_for, case_manager_a):
    response = client_for(case_manager_a).get("/api/docs")
    assert response.status_code == 200
    html = response.content.decode()
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S)
    assert scripts
    for attributes, body in scripts:
        assert body.strip() == "", "no inline script"
        src = re.search(r'src="([^"]+)"', attributes).group(1)
        assert src.startswith("/static/")
        assert finders.find(src.removeprefix("/static/"))
    styles = re.findall(r'<link[^>]+rel="stylesheet"[^>]+href="([^"]+)"', html)
    assert styles
    assert all(s.startswith("/static/") and finders.find(s.removeprefix("/static/")) for s in styles)
    assert "<style" not in html
    assert "cdn" not in html.lower()
    policy = response.headers["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";") if d.strip())
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"


def test_an_unauthenticated_write_is_a_401_not_a_csrf_403(participant_a):
    c = Client(enforce_csrf_checks=True)
    response = c.post(f"/api/v1/participants/{participant_a.pk}/consents", {}, "application/json")
    assert response.status_code == 401
    assert response.json()["detail"] == in_language("fr-ca", "Sign in or send a valid personal token.")


def test_a_signed_in_session_still_needs_its_csrf_token_to_write(participant_a, case_manager_a):
    c = Client(enforce_csrf_checks=True)
    c.force_login(case_manager_a)
    response = c.post(f"/api/v1/participants/{participant_a.pk}/consents", {}, "application/json")
    assert response.status_code == 403


def test_a_bearer_token_needs_no_csrf_token(participant_a, case_manager_a):
    _row, key = account_services.api_token_create(actor=case_manager_a, name="Script")
    c = Client(enforce_csrf_checks=True, HTTP_AUTHORIZATION=f"Bearer {key}")
    response = c.post(f"/api/v1/participants/{participant_a.pk}/consents", {}, "application/json")
    assert response.status_code == 422


def test_other_roles_see_the_same_refusals(client_for, org_a):
    c = client_for(member(org_a, Role.PROGRAM_MANAGER))
    assert set(_errors(c.get("/api/v1/participants", {"q": "\x00"}))) == {"q"}


def test_answers_hold_no_nul_and_no_number_past_any_total(api_client, world):
    started = api_client.post(
        f"/api/v1/participants/{world.eloise.pk}/administrations",
        {"instrument": "acuity_screener"},
        "application/json",
    )
    assert started.status_code == 201, started.content[:300]
    url = f"/api/v1/administrations/{started.json()['id']}/answers"
    for answers in (
        {"note": "a\x00"},
        {"count": 10**30},
        {"count": 1e300},
        {"nested": [[[[[[[[[[[["x"]]]]]]]]]]]]},
    ):
        assert set(_errors(api_client.post(url, {"answers": answers}, "application/json"))) == {"answers"}


@pytest.mark.parametrize("cookie", ["abcdefgh\x00ij", "x" * 5000, "ABCDEFGHIJKLMNOP'--"])
def test_a_hostile_session_cookie_is_no_session(token, cookie):
    c = Client(HTTP_AUTHORIZATION=f"Bearer {token}", HTTP_COOKIE=f"sessionid={cookie}")
    assert c.get("/api/v1/participants").status_code == 200
    assert Client(HTTP_COOKIE=f"sessionid={cookie}").get("/api/v1/participants").status_code == 401
    assert Client(HTTP_COOKIE=f"sessionid={cookie}").get("/participants/").status_code == 302
