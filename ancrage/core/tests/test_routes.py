"""Every route, for every kind of caller: anonymous, outsider, a role without the permission, a role with it.

The table ROUTES must name every URL of the project (the admin excepted, tested on its own below):
`test_every_route_is_in_the_table` fails when a new route has no outsider case here.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

import pytest
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, resolve, reverse

from ancrage.access import services as access_services
from ancrage.accounts import services as account_services
from ancrage.assessments.tests.factories import start_administration
from ancrage.casework.tests import (
    routes_caseload,
    routes_contacts,
    routes_exits,
    routes_meeting,
    routes_plans,
    routes_referrals,
)
from ancrage.conferences.tests import routes_conferences
from ancrage.core import clock
from ancrage.core.permissions import Category, Role
from ancrage.core.tests.languages import leaks
from ancrage.housing.tests import routes_book, routes_rent, routes_support, routes_tenancies
from ancrage.interop.tests import routes_exports, routes_imports
from ancrage.partners.tests import routes_partners
from ancrage.people import services
from ancrage.people.tests.factories import make_participant, member, share
from ancrage.people.tests.helpers import fast_password_hasher, pdf_file, png_file  # noqa: F401
from ancrage.reports.tests import routes_fidelity, routes_funder, routes_reports

pytestmark = pytest.mark.django_db

LOGIN = "login"  # expected: a redirect to the sign-in page


@dataclass(frozen=True)
class Route:
    method: str = "get"
    anonymous: int | str = LOGIN
    outsider: int = 404
    perm: str | None = None
    # The permission is checked in the view's body rather than by @require_permission.
    perm_in_body: bool = False
    api: bool = False
    body: dict = field(default_factory=dict)


def _participant_body(w):
    return {
        "organisation_id": w["org_a"].pk,
        "legal_first_name": "Zoé",
        "legal_last_name": "Nouvelle",
        "confirm_new": True,
    }


def _consent_body(w):
    return {
        "organisations": [w["partner_org"].pk],
        "categories": ["identity"],
        "purpose": "Coordination",
        "starts_on": clock.today().isoformat(),
        "method": "written",
    }


ROUTES: dict[str, Route] = {
    # core
    "home": Route(outsider=200),
    # Someone else's alert is a 404 to anyone but its recipient.
    "alert_dismiss": Route(method="post", outsider=404),
    "audit_log": Route(outsider=403, perm="core.view_audit"),
    "audit_export": Route(outsider=403, perm="core.view_audit"),
    "health": Route(outsider=403, perm="core.view_health"),
    # Monitoring's JSON: 401 without a sign-in or token; its roles are tested in test_health.py (it answers
    # 503 while jobs have not run, as in this world).
    "health_json": Route(anonymous=401, outsider=403, perm_in_body=True),
    # accounts
    "login": Route(anonymous=200, outsider=302),
    "logout": Route(method="post", anonymous=302, outsider=302),
    "set_language": Route(method="post", anonymous=302, outsider=302),
    "two_factor": Route(outsider=200),
    "api_tokens": Route(outsider=403, perm="accounts.use_api"),
    "api_token_revoke": Route(method="post", outsider=404, perm="accounts.use_api", perm_in_body=True),
    # people
    "people:list": Route(outsider=403, perm="people.view_participants"),
    "people:create": Route(outsider=403, perm="people.add_participant"),
    "people:consents_expiring": Route(outsider=403, perm="people.view_participants"),
    "people:duplicate_worklist": Route(outsider=403, perm="people.merge_participants"),
    "people:transfer": Route(outsider=403, perm="people.change_participant"),
    "people:merge_undo": Route(method="post", outsider=403, perm="people.merge_participants"),
    "people:detail": Route(),
    "people:edit": Route(outsider=403, perm="people.change_participant"),
    "people:add_related": Route(outsider=403, perm="people.change_participant", perm_in_body=True),
    "people:consent_create": Route(outsider=403, perm="people.manage_consents"),
    "people:consent_revoke": Route(outsider=403, perm="people.manage_consents"),
    "people:document_upload": Route(outsider=403, perm="people.manage_documents"),
    "people:document_download": Route(),
    "people:photo": Route(),
    "people:history": Route(),
    "people:who_saw": Route(),
    "people:duplicates": Route(outsider=403, perm="people.merge_participants"),
    "people:merge": Route(method="post", outsider=403, perm="people.merge_participants"),
    # coordinated access
    "access:by_name_list": Route(outsider=403, perm="access.view_by_name_list"),
    "access:by_name_export": Route(outsider=403, perm="access.view_by_name_list"),
    "access:status_change": Route(outsider=403, perm="access.manage_by_name_list"),
    "access:contact_record": Route(method="post", outsider=403, perm="access.manage_by_name_list"),
    "access:flow": Route(outsider=403, perm="access.view_flow"),
    "access:flow_people": Route(outsider=403, perm="access.view_flow"),
    "access:referral_list": Route(outsider=403, perm="access.submit_referrals"),
    "access:referral_create": Route(outsider=403, perm="access.submit_referrals"),
    "access:intake_start": Route(outsider=403, perm="access.manage_referrals"),
    "access:intake_detail": Route(outsider=403, perm="access.manage_referrals"),
    "access:policy_list": Route(outsider=403, perm="access.view_by_name_list"),
    "access:policy_create": Route(outsider=403, perm="access.manage_policies"),
    "access:policy_detail": Route(outsider=403, perm="access.view_by_name_list"),
    "access:policy_activate": Route(method="post", outsider=403, perm="access.manage_policies"),
    "access:profile_edit": Route(outsider=403, perm="access.manage_by_name_list"),
    "access:rank_explanation": Route(outsider=403, perm="access.view_by_name_list"),
    "access:homelessness_history": Route(outsider=403, perm="access.view_by_name_list"),
    "access:opening_list": Route(outsider=403, perm="access.manage_matches"),
    "access:opening_create": Route(outsider=403, perm="access.manage_matches"),
    "access:matching_run": Route(method="post", outsider=403, perm="access.manage_matches"),
    "access:opening_detail": Route(outsider=403, perm="access.manage_matches"),
    "access:opening_cancel": Route(method="post", outsider=403, perm="access.manage_matches"),
    "access:referral_withdraw": Route(method="post", outsider=403, perm="access.manage_referrals"),
    "access:match_list": Route(outsider=403, perm="access.manage_matches"),
    "access:match_detail": Route(outsider=403, perm="access.manage_matches"),
    "access:match_step": Route(method="post", outsider=403, perm="access.manage_matches"),
    "access:eligibility": Route(outsider=403, perm="access.view_by_name_list"),
    # housing
    "housing:unit_list": Route(outsider=403, perm="housing.view_units"),
    "housing:unit_create": Route(outsider=403, perm="housing.manage_units"),
    "housing:unit_detail": Route(outsider=403, perm="housing.manage_units"),
    "housing:unit_edit": Route(outsider=403, perm="housing.manage_units"),
    "housing:unit_hold": Route(method="post", outsider=403, perm="housing.manage_units"),
    "housing:unit_release": Route(method="post", outsider=403, perm="housing.manage_units"),
    "housing:unit_offer": Route(method="post", outsider=403, perm="housing.manage_units"),
    # assessments (health information: a participant the user may not see that way is a 404)
    "assessments:list": Route(outsider=403, perm="assessments.view"),
    "assessments:start": Route(outsider=403, perm="assessments.administer"),
    "assessments:administer": Route(outsider=403, perm="assessments.administer"),
    "assessments:close": Route(outsider=403, perm="assessments.administer"),
    "assessments:result": Route(outsider=403, perm="assessments.view"),
    # API (JSON everywhere, 401 for anonymous callers)
    "api:api-root": Route(anonymous=404, outsider=404),
    "api:openapi-json": Route(anonymous=200, outsider=200, api=True),
    "api:openapi-view": Route(anonymous=200, outsider=200, api=True),
    "api:list_participants": Route(anonymous=401, outsider=403, perm="people.view_participants", api=True),
    "api:create_participant": Route(
        method="post", anonymous=401, outsider=403, perm="people.add_participant", api=True
    ),
    "api:get_participant": Route(anonymous=401, api=True),
    "api:list_consents": Route(anonymous=401, api=True),
    "api:create_consent": Route(
        method="post", anonymous=401, outsider=403, perm="people.manage_consents", api=True
    ),
    "api:revoke_consent": Route(
        method="post", anonymous=401, outsider=403, perm="people.manage_consents", api=True
    ),
    # API: coordinated access
    "api:list_referrals": Route(anonymous=401, outsider=403, perm="access.manage_referrals", api=True),
    "api:create_referral": Route(
        method="post", anonymous=401, outsider=403, perm="access.manage_referrals", api=True
    ),
    "api:get_referral": Route(anonymous=401, perm="access.manage_referrals", api=True),
    "api:start_intake": Route(method="post", anonymous=401, perm="access.manage_referrals", api=True),
    "api:complete_intake": Route(method="post", anonymous=401, perm="access.manage_referrals", api=True),
    "api:list_by_name": Route(anonymous=401, outsider=403, perm="access.view_by_name_list", api=True),
    "api:get_by_name_entry": Route(anonymous=401, perm="access.view_by_name_list", api=True),
    "api:get_homelessness_history": Route(anonymous=401, perm="access.view_by_name_list", api=True),
    "api:record_homelessness_history": Route(
        method="post", anonymous=401, perm="access.manage_by_name_list", api=True
    ),
    "api:record_stay": Route(method="post", anonymous=401, perm="access.manage_by_name_list", api=True),
    "api:list_matches": Route(anonymous=401, outsider=403, perm="access.manage_matches", api=True),
    "api:get_match": Route(anonymous=401, perm="access.manage_matches", api=True),
    "api:step_match": Route(method="post", anonymous=401, perm="access.manage_matches", api=True),
    "api:propose_for_opening": Route(method="post", anonymous=401, perm="access.manage_matches", api=True),
    "api:run_matching": Route(
        method="post", anonymous=401, outsider=403, perm="access.manage_matches", api=True
    ),
    # API: assessments
    "api:list_administrations": Route(anonymous=401, perm="assessments.view", api=True),
    "api:start_administration": Route(method="post", anonymous=401, perm="assessments.administer", api=True),
    "api:get_administration": Route(anonymous=401, perm="assessments.view", api=True),
    "api:save_answers": Route(method="post", anonymous=401, perm="assessments.administer", api=True),
    "api:get_score": Route(anonymous=401, perm="assessments.view", api=True),
}

API_BODIES = {
    "api:create_participant": _participant_body,
    "api:create_consent": _consent_body,
    "api:revoke_consent": lambda w: {"reason": "Test"},
    "api:create_referral": lambda w: {"person_name": "Test", "source_kind": "shelter", "reason": "Test"},
    "api:start_intake": lambda w: {"participant_id": w["participant"].pk},
    "api:complete_intake": lambda w: {},
    "api:record_homelessness_history": lambda w: {
        "reported_on": clock.today().isoformat(),
        "source": "self_reported",
        "living_situation": "street",
    },
    "api:record_stay": lambda w: {
        "situation": "shelter",
        "source": "shelter",
        "starts_on": clock.today().isoformat(),
    },
    "api:step_match": lambda w: {"to_status": "contacted", "expected_status": "proposed"},
    "api:propose_for_opening": lambda w: {"participant_id": w["participant"].pk},
    "api:run_matching": lambda w: {},
    "api:start_administration": lambda w: {"instrument": "acuity_screener"},
    "api:save_answers": lambda w: {"answers": {"months_homeless": 3}},
}

# The API path (OpenAPI form) and method of each API route name that is an operation.
API_OPERATIONS = {
    "api:list_participants": ("get", "/api/v1/participants"),
    "api:create_participant": ("post", "/api/v1/participants"),
    "api:get_participant": ("get", "/api/v1/participants/{pk}"),
    "api:list_consents": ("get", "/api/v1/participants/{pk}/consents"),
    "api:create_consent": ("post", "/api/v1/participants/{pk}/consents"),
    "api:revoke_consent": ("post", "/api/v1/participants/{pk}/consents/{consent_pk}/revoke"),
    "api:list_referrals": ("get", "/api/v1/referrals"),
    "api:create_referral": ("post", "/api/v1/referrals"),
    "api:get_referral": ("get", "/api/v1/referrals/{referral_pk}"),
    "api:start_intake": ("post", "/api/v1/referrals/{referral_pk}/intake"),
    "api:complete_intake": ("post", "/api/v1/intakes/{intake_pk}/complete"),
    "api:list_by_name": ("get", "/api/v1/by-name-list"),
    "api:get_by_name_entry": ("get", "/api/v1/by-name-list/{pk}"),
    "api:get_homelessness_history": ("get", "/api/v1/participants/{pk}/homelessness-history"),
    "api:record_homelessness_history": ("post", "/api/v1/participants/{pk}/homelessness-history"),
    "api:record_stay": ("post", "/api/v1/participants/{pk}/homelessness-history/stays"),
    "api:list_matches": ("get", "/api/v1/matches"),
    "api:get_match": ("get", "/api/v1/matches/{match_pk}"),
    "api:step_match": ("post", "/api/v1/matches/{match_pk}/step"),
    "api:propose_for_opening": ("post", "/api/v1/openings/{opening_pk}/propose"),
    "api:run_matching": ("post", "/api/v1/matching/run"),
    "api:list_administrations": ("get", "/api/v1/participants/{pk}/administrations"),
    "api:start_administration": ("post", "/api/v1/participants/{pk}/administrations"),
    "api:get_administration": ("get", "/api/v1/administrations/{administration_pk}"),
    "api:save_answers": ("post", "/api/v1/administrations/{administration_pk}/answers"),
    "api:get_score": ("get", "/api/v1/administrations/{administration_pk}/score"),
}

# Case management keeps one table a part, next to its code.
CASEWORK_PARTS = (
    routes_caseload,
    routes_meeting,
    routes_contacts,
    routes_plans,
    routes_referrals,
    routes_exits,
    # Housing's parts keep their tables the same way.
    routes_book,
    routes_tenancies,
    # Housing's rent payment service keeps its table the same way.
    routes_rent,
    # Housing's move-in support, budgets and outcomes keep their table the same way.
    routes_support,
    routes_conferences,
    # Partners keeps its table next to its code too.
    routes_partners,
    # Reporting and the HMIS CSV exchange too.
    routes_reports,
    routes_fidelity,
    routes_imports,
    routes_exports,
    routes_funder,
)
for _part in CASEWORK_PARTS:
    ROUTES.update({name: Route(**spec) for name, spec in _part.ROUTES.items()})
    API_OPERATIONS.update(_part.API_OPERATIONS)
    API_BODIES.update(_part.API_BODIES)


def _walk(patterns, namespace=None):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = p.namespace
            full = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
            yield from _walk(p.url_patterns, full)
        elif isinstance(p, URLPattern):
            yield f"{namespace}:{p.name}" if namespace else p.name, p


def project_routes() -> dict[str, URLPattern]:
    return {name: p for name, p in _walk(get_resolver().url_patterns) if not name.startswith("admin:")}


@pytest.mark.smoke
def test_every_route_is_in_the_table():
    names = set(project_routes())
    missing = names - set(ROUTES)
    assert not missing, f"Routes without an outsider test case in ROUTES: {sorted(missing)}"
    stale = set(ROUTES) - names
    assert not stale, f"ROUTES names routes that no longer exist: {sorted(stale)}"


def test_every_api_operation_is_in_the_table():
    from ancrage.api import api

    schema = api.get_openapi_schema()
    # Several operations share one URL (GET and POST on /participants): check each method is covered.
    operations = {(method, path) for path, ops in schema["paths"].items() for method in ops}
    assert operations == set(API_OPERATIONS.values())
    operation_routes = {name for name, r in ROUTES.items() if r.api} - {
        "api:openapi-json",
        "api:openapi-view",
    }
    assert set(API_OPERATIONS) == operation_routes
    for name, (method, _path) in API_OPERATIONS.items():
        assert ROUTES[name].method == method, name


@pytest.mark.parametrize("name", [n for n, r in ROUTES.items() if not r.api])
def test_declared_permission_matches_the_view(name, world):
    """The table and the code agree: a page's decorator names the permission the table expects, and a page
    about one record uses the decorator that answers 404 without it."""
    view = resolve(_url(name, world)).func
    declared = getattr(view, "required_permission", None)
    route = ROUTES[name]
    if route.perm_in_body:
        assert declared is None
    else:
        assert declared == route.perm
        if route.perm:
            assert getattr(view, "record_scoped", False) == (name in RECORD_SCOPED), name


# --- the world every route is called in ------------------------------------------------------------------


# The world is built once per module, in a transaction rolled back when the module ends (as test_route_role's):
# each test runs in a savepoint inside it, so what a test writes is gone for the next, and each test gets its
# own copy of the world's objects. The standing fixtures it is made of (org_a, case_manager_a…) are overridden
# here to be the world's; a module that uses `world` imports them with it (WORLD_FIXTURES, test_read_audit.py).
@pytest.fixture(scope="module")
def routes_world_once(django_db_setup, django_db_blocker, tmp_path_factory):
    from django.db import transaction
    from django.test.utils import override_settings

    from ancrage.organisations.models import Organisation
    from ancrage.people.tests.factories import ConsortiumFactory, OrganisationFactory

    media = tmp_path_factory.mktemp("routes_media")
    with (
        django_db_blocker.unblock(),
        override_settings(
            MEDIA_ROOT=media,
            TWO_FACTOR_REQUIRED=False,
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        ),
    ):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            # The standing fixtures of the root conftest.py, made the same way.
            consortium = ConsortiumFactory()
            org_a = OrganisationFactory(consortium=consortium, name="Mission A", short_name="MA")
            org_b = OrganisationFactory(consortium=consortium, name="Mission B", short_name="MB")
            partner_org = OrganisationFactory(
                consortium=consortium,
                name="Partenaire santé",
                short_name="PS",
                kind=Organisation.Kind.PARTNER,
            )
            case_manager_a = member(org_a, Role.CASE_MANAGER, username="gc_a")
            case_manager_b = member(org_b, Role.CASE_MANAGER, username="gc_b")
            program_manager_a = member(org_a, Role.PROGRAM_MANAGER, username="pm_a")
            participant_a = make_participant(
                case_manager_a, org_a, legal_first_name="Éloïse", legal_last_name="Gagnon"
            )
            w = build_world(
                case_manager_a, case_manager_b, program_manager_a, org_a, org_b, partner_org, participant_a
            )
            w["consortium"] = consortium
            w["participant_a"] = participant_a
            yield {"world": w, "media": media}
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def routes_world(routes_world_once, db, settings):
    """This test's copy of the module's world, with the files it uploaded."""
    import copy

    settings.MEDIA_ROOT = routes_world_once["media"]
    return copy.deepcopy(routes_world_once["world"])


@pytest.fixture
def world(routes_world):
    return routes_world


WORLD_FIXTURES = (
    "routes_world_once",
    "routes_world",
    "world",
    "consortium",
    "org_a",
    "org_b",
    "partner_org",
    "case_manager_a",
    "case_manager_b",
    "program_manager_a",
    "participant_a",
)


@pytest.fixture
def consortium(routes_world):
    return routes_world["consortium"]


@pytest.fixture
def org_a(routes_world):
    return routes_world["org_a"]


@pytest.fixture
def org_b(routes_world):
    return routes_world["org_b"]


@pytest.fixture
def partner_org(routes_world):
    return routes_world["partner_org"]


@pytest.fixture
def case_manager_a(routes_world):
    return routes_world["case_manager_a"]


@pytest.fixture
def case_manager_b(routes_world):
    return routes_world["case_manager_b"]


@pytest.fixture
def program_manager_a(routes_world):
    return routes_world["program_manager_a"]


@pytest.fixture
def participant_a(routes_world):
    return routes_world["participant_a"]


def build_world(case_manager_a, case_manager_b, program_manager_a, org_a, org_b, partner_org, participant_a):
    today = clock.today()
    consent = share(case_manager_a, participant_a, [partner_org], [Category.IDENTITY])
    document = services.document_upload(
        actor=case_manager_a, participant=participant_a, kind="release", upload=pdf_file(), signed_on=today
    )
    services.participant_update(actor=case_manager_a, participant=participant_a, photo=png_file())
    other = make_participant(case_manager_a, org_a, legal_first_name="Eloise", legal_last_name="Gagnon")
    consent_other = share(case_manager_a, other, [partner_org], [Category.IDENTITY])
    document_other = services.document_upload(
        actor=case_manager_a, participant=other, kind="release", upload=pdf_file(), signed_on=today
    )
    absorbed = make_participant(case_manager_a, org_a, legal_first_name="Elo", legal_last_name="Gagnon")
    merge = services.participant_merge(actor=program_manager_a, kept=participant_a, merged=absorbed).merge
    access_services.by_name_entry_add(
        actor=case_manager_a, participant=participant_a, reference_worker=case_manager_a
    )
    referral = access_services.referral_create(
        actor=case_manager_a, person_name="Éloïse", source_kind="shelter", reason="Au refuge"
    )
    administration = start_administration(case_manager_a, participant_a)
    # API of coordinated access and assessments: a coordinated-access consent (for the intake), an intake,
    # a match for another person of A (so participant_a stays free to be proposed), an open opening,
    # and a completed administration (for its score).
    from ancrage.access.models import Referral
    from ancrage.assessments import services as assessment_services
    from ancrage.organisations.models import Program
    from ancrage.people.tests.factories import ProgramFactory

    share(case_manager_a, participant_a, [org_a], [Category.IDENTITY, Category.COORDINATED_ACCESS])
    intake_referral = access_services.referral_create(
        actor=case_manager_a, person_name="Éloïse", source_kind="shelter", reason="Au refuge"
    )
    intake = access_services.intake_start(
        actor=case_manager_a, referral=intake_referral, participant=participant_a
    )
    assert Referral.objects.filter(pk=referral.pk, status="received").exists()
    program = ProgramFactory(organisation=org_a, kind=Program.Kind.ICM)
    taken, opening = access_services.openings_create(actor=program_manager_a, program=program, count=2)
    other_entry = access_services.by_name_entry_add(
        actor=case_manager_a, participant=other, reference_worker=case_manager_a
    )
    match = access_services.match_propose(
        actor=program_manager_a, opening=taken, entry=other_entry, reason="Seule personne jointe"
    )
    # Pages: a draft policy, and a match of another organisation's participant (for tampered ids).
    policy = access_services.policy_draft_create(
        actor=program_manager_a,
        text="title: {fr: Priorités, en: Priorities}\nfactors:\n  - factor: chronic\n    weight: 1\n",
    )
    manager_b = member(org_b, Role.PROGRAM_MANAGER)
    program_b = ProgramFactory(organisation=org_b, kind=Program.Kind.ICM)
    (opening_b,) = access_services.openings_create(actor=manager_b, program=program_b)
    administration_done = start_administration(case_manager_a, participant_a)
    administration_done = assessment_services.administration_save_answers(
        actor=case_manager_a,
        administration=administration_done,
        answers={"months_homeless": 3, "slept_last_night": "shelter", "evicted": "no"},
        complete=True,
    )
    token, _key = account_services.api_token_create(actor=case_manager_b, name="Autre personne")
    participant_b = make_participant(
        case_manager_b, org_b, legal_first_name="Bruno", legal_last_name="Bélanger"
    )
    consent_b = share(case_manager_b, participant_b, [partner_org], [Category.IDENTITY])
    document_b = services.document_upload(
        actor=case_manager_b, participant=participant_b, kind="release", upload=pdf_file(), signed_on=today
    )
    absorbed_b = make_participant(case_manager_b, org_b, legal_first_name="Bru", legal_last_name="Bélanger")
    merge_b = services.participant_merge(
        actor=member(org_b, Role.PROGRAM_MANAGER), kept=participant_b, merged=absorbed_b
    ).merge
    entry_b = access_services.by_name_entry_add(
        actor=case_manager_b, participant=participant_b, reference_worker=case_manager_b
    )
    match_b = access_services.match_propose(
        actor=manager_b, opening=opening_b, entry=entry_b, reason="Seule personne jointe"
    )
    from ancrage.core.alerts import raise_alert

    alert = raise_alert(
        recipient_id=case_manager_a.pk, kind="casework.assignment.new", participant=participant_a
    )
    from ancrage.housing import services as housing_services

    unit = housing_services.unit_create(
        actor=member(org_a, Role.HOUSING_SPECIALIST),
        organisation=org_a,
        address="3 rue des Routes",
        neighbourhood="Verdun",
        kind="scattered_site",
        bedrooms=1,
        monthly_rent=800,
        features=[],
        requirements=[],
        available_from=today,
        open_for_matching=False,
    )
    w = {
        "alert": alert,
        "unit": unit,
        "case_manager_a": case_manager_a,
        "case_manager_b": case_manager_b,
        "program_manager_a": program_manager_a,
        "manager_b": manager_b,
        "org_b": org_b,
        "program": program,
        "program_b": program_b,
        "policy": policy,
        "match_b": match_b,
        "referral": referral,
        "org_a": org_a,
        "partner_org": partner_org,
        "participant": participant_a,
        "consent": consent,
        "document": document,
        "other": other,
        "consent_other": consent_other,
        "document_other": document_other,
        "merge": merge,
        "token": token,
        "participant_b": participant_b,
        "consent_b": consent_b,
        "document_b": document_b,
        "merge_b": merge_b,
        "administration": administration,
        "administration_done": administration_done,
        "intake": intake,
        "match": match,
        "opening": opening,
    }
    for part in CASEWORK_PARTS:
        part.extend_world(w)
    return w


def _kwargs(name: str, w: dict, *, tamper: str | None = None) -> dict:
    """URL arguments for `name` in world `w`; `tamper` swaps one of them for another organisation's."""
    for part in CASEWORK_PARTS:
        special = part.kwargs(name, w, tamper)
        if special is not None:
            return special
    p = w["participant_b"] if tamper == "participant" else w["participant"]
    values = {
        "pk": p.pk,
        "consent_pk": {"consent": w["consent_b"], "consent_same_org": w["consent_other"]}.get(
            tamper, w["consent"]
        ).pk,
        "document_pk": {"document": w["document_b"], "document_same_org": w["document_other"]}.get(
            tamper, w["document"]
        ).pk,
        "other_pk": (w["participant_b"] if tamper == "other" else w["other"]).pk,
        "merge_pk": (w["merge_b"] if tamper == "merge" else w["merge"]).pk,
        "kind": "alias",
        "referral_pk": w["referral"].pk,
        "administration_pk": (
            w["administration_done"] if name == "api:get_score" else w["administration"]
        ).pk,
        "intake_pk": w["intake"].pk,
        "match_pk": w["match"].pk,
        "opening_pk": w["opening"].pk,
        "alert_pk": w["alert"].pk,
        "year": clock.today().year,
        "month": clock.today().month,
    }
    if name == "api_token_revoke":
        return {"pk": w["token"].pk}
    # Pages whose pk is not a participant: policies and openings belong to the community, matches to a person.
    if name in {"access:policy_detail", "access:policy_activate"}:
        return {"pk": w["policy"].pk}
    if name in {"access:opening_detail", "access:opening_cancel"}:
        return {"pk": w["opening"].pk}
    if name.startswith("housing:unit_") and name not in {"housing:unit_list", "housing:unit_create"}:
        return {"pk": w["unit"].pk}
    if name in {"access:match_detail", "access:match_step"}:
        return {"pk": (w["match_b"] if tamper == "participant" else w["match"]).pk}
    names = _route_args(project_routes()[name].pattern)
    return {k: v for k, v in values.items() if k in names}


def _route_args(pattern) -> set[str]:
    route = str(pattern)
    args = set()
    for chunk in route.split("<")[1:]:
        args.add(chunk.split(">")[0].split(":")[-1])
    return args


# Routes with an id in their URL that is not a person's record: policies and openings are the community's,
# services of the directory, teams and programs the organisation's, a token the user's own.
NOT_A_PERSONS_RECORD = frozenset(
    {
        "api_token_revoke",
        "access:policy_detail",
        "access:policy_activate",
        "access:opening_detail",
        # A month of the community's flow: the people listed are only those the reader may see.
        "access:flow_people",
        "access:opening_cancel",
        # A unit is the housing team's, not a person's record; another organisation's unit is 404.
        "housing:unit_detail",
        "housing:unit_edit",
        "housing:unit_hold",
        "housing:unit_release",
        "housing:unit_offer",
        "casework:provider_edit",
        "casework:provider_refer",
        "casework:meeting_settings",
        "casework:schedule_edit",
        "api:team_meeting",
        # An opening is a place in a program; the person proposed is in the body, looked up before anything.
        "api:propose_for_opening",
    }
    | routes_book.NOT_A_PERSONS_RECORD
    | routes_conferences.NOT_A_PERSONS_RECORD
    | routes_partners.NOT_PERSON_RECORDS
    | routes_reports.NOT_A_PERSONS_RECORD
    | routes_fidelity.NOT_A_PERSONS_RECORD
    | routes_imports.NOT_A_PERSONS_RECORD
    | routes_exports.NOT_A_PERSONS_RECORD
    | routes_funder.NOT_A_PERSONS_RECORD
)


def _is_record_route(name: str) -> bool:
    return bool(_route_args(project_routes()[name].pattern) - {"kind"}) and name not in NOT_A_PERSONS_RECORD


# A record the user may not see is 404 whatever the reason, lacking the route's permission included (G1, G2):
# the status never says whether the record exists. Lists and forms with no record in their URL keep 403.
RECORD_SCOPED = frozenset(n for n in ROUTES if _is_record_route(n))


def _outsider_status(name: str) -> int | str:
    route = ROUTES[name]
    return 404 if name in RECORD_SCOPED and route.outsider == 403 else route.outsider


def _url(name: str, w: dict, *, tamper: str | None = None) -> str:
    return reverse(name, kwargs=_kwargs(name, w, tamper=tamper))


def close_response(response) -> None:
    """Close a response the test client returned (a streamed file holds a handle) without the
    `request_finished` signal closing the database connection: inside a test's transaction that is the
    test's own connection (PostgreSQL really closes it; SQLite's in-memory test database does not)."""
    from django.core.signals import request_finished
    from django.db import close_old_connections

    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)


def call(client, name: str, w: dict, *, tamper: str | None = None):
    route = ROUTES[name]
    url = _url(name, w, tamper=tamper)
    if route.api and route.method == "post":
        body = API_BODIES[name](w)
        return client.post(url, body, content_type="application/json")
    if route.method == "post":
        data = {"reason": "Même personne", "decision": "merge", "language": "en", "next": "/"}
        return client.post(url, data)
    return client.get(url)


def _assert_status(response, expected, route: Route):
    if expected == LOGIN:
        assert response.status_code == 302, response.status_code
        assert response["Location"].startswith(reverse("login")), response["Location"]
        return
    assert response.status_code == expected, (response.status_code, response.content[:300])
    if route.api and expected >= 400:
        assert response["Content-Type"].startswith("application/json")
        assert "detail" in response.json()


@pytest.mark.parametrize("name", list(ROUTES))
def test_anonymous(name, world, client):
    route = ROUTES[name]
    _assert_status(call(client, name, world), route.anonymous, route)


@pytest.mark.smoke
@pytest.mark.parametrize("name", list(ROUTES))
def test_outsider(name, world, client_for, outsider):
    route = ROUTES[name]
    _assert_status(call(client_for(outsider), name, world), _outsider_status(name), route)


# Within the participant's own organisation, a role that lacks the permission, and one that has it.
LACKING = {
    "people.view_participants": Role.ADMINISTRATOR,
    "people.add_participant": Role.PEER_SUPPORT,
    "people.change_participant": Role.PEER_SUPPORT,
    "people.manage_consents": Role.PEER_SUPPORT,
    "people.manage_documents": Role.PEER_SUPPORT,
    "people.merge_participants": Role.CASE_MANAGER,
    "core.view_audit": Role.CASE_MANAGER,
    "core.view_health": Role.PROGRAM_MANAGER,
    "accounts.use_api": Role.PROGRAM_ASSISTANT,
    "assessments.view": Role.HOUSING_SPECIALIST,
    "assessments.administer": Role.HOUSING_SPECIALIST,
    "access.view_by_name_list": Role.PEER_SUPPORT,
    "access.view_flow": Role.RENT_CLERK,
    "access.manage_by_name_list": Role.PEER_SUPPORT,
    "access.submit_referrals": Role.HOUSING_SPECIALIST,
    "access.manage_referrals": Role.PEER_SUPPORT,
    "access.manage_matches": Role.CASE_MANAGER,
    "access.manage_policies": Role.CASE_MANAGER,
    "housing.view_units": Role.CASE_MANAGER,
    "housing.manage_units": Role.TEAM_LEAD,
    "housing.view_landlords": Role.PEER_SUPPORT,
    "housing.manage_landlords": Role.CASE_MANAGER,
    "housing.view_tenancies": Role.PEER_SUPPORT,
    "housing.manage_tenancies": Role.CASE_MANAGER,
    "housing.view_rent": Role.CASE_MANAGER,
    "housing.manage_rent": Role.HOUSING_SPECIALIST,
    "casework.view": Role.HOUSING_SPECIALIST,
    "casework.record": Role.HOUSING_SPECIALIST,
    "casework.manage_team": Role.CASE_MANAGER,
    "casework.manage_risk": Role.PEER_SUPPORT,
    "casework.record_incidents": Role.RENT_CLERK,
    "casework.record_exits": Role.PEER_SUPPORT,
    "casework.manage_directory": Role.CASE_MANAGER,
    **routes_support.LACKING,
    "partners.view": Role.PEER_SUPPORT,
    "partners.manage": Role.CASE_MANAGER,
}
HAVING = {
    "people.view_participants": Role.CASE_MANAGER,
    "people.add_participant": Role.CASE_MANAGER,
    "people.change_participant": Role.CASE_MANAGER,
    "people.manage_consents": Role.CASE_MANAGER,
    "people.manage_documents": Role.CASE_MANAGER,
    "people.merge_participants": Role.PROGRAM_MANAGER,
    "core.view_audit": Role.PROGRAM_MANAGER,
    "core.view_health": Role.ADMINISTRATOR,
    "accounts.use_api": Role.CASE_MANAGER,
    "assessments.view": Role.CASE_MANAGER,
    "assessments.administer": Role.CASE_MANAGER,
    "access.view_by_name_list": Role.CASE_MANAGER,
    "access.view_flow": Role.DATA_COORDINATOR,
    "access.manage_by_name_list": Role.CASE_MANAGER,
    "access.submit_referrals": Role.PARTNER,
    "access.manage_referrals": Role.CASE_MANAGER,
    "access.manage_matches": Role.TEAM_LEAD,
    "access.manage_policies": Role.PROGRAM_MANAGER,
    "housing.view_units": Role.PROGRAM_MANAGER,
    "housing.manage_units": Role.HOUSING_SPECIALIST,
    "housing.view_landlords": Role.CASE_MANAGER,
    "housing.manage_landlords": Role.HOUSING_SPECIALIST,
    "housing.view_tenancies": Role.CASE_MANAGER,
    "housing.manage_tenancies": Role.HOUSING_SPECIALIST,
    "housing.view_rent": Role.PROGRAM_MANAGER,
    "housing.manage_rent": Role.RENT_CLERK,
    "casework.view": Role.CASE_MANAGER,
    "casework.record": Role.CASE_MANAGER,
    "casework.manage_team": Role.TEAM_LEAD,
    "casework.manage_risk": Role.CASE_MANAGER,
    "casework.record_incidents": Role.CASE_MANAGER,
    "casework.record_exits": Role.CASE_MANAGER,
    "casework.manage_directory": Role.TEAM_LEAD,
    **routes_support.HAVING,
    "partners.view": Role.CASE_MANAGER,
    "partners.manage": Role.PROGRAM_MANAGER,
}
LACKING.update({perm: Role(role) for perm, role in routes_conferences.LACKING.items()})
HAVING.update({perm: Role(role) for perm, role in routes_conferences.HAVING.items()})
for _part in (routes_reports, routes_fidelity, routes_imports, routes_exports, routes_funder):
    LACKING.update({perm: Role(role) for perm, role in _part.LACKING.items()})
    HAVING.update({perm: Role(role) for perm, role in _part.HAVING.items()})


def test_lacking_and_having_roles_are_right():
    from ancrage.core.permissions import ROLE_PERMISSIONS

    for perm, role in LACKING.items():
        assert perm not in ROLE_PERMISSIONS[role], perm
    for perm, role in HAVING.items():
        assert perm in ROLE_PERMISSIONS[role], perm


PERMISSION_ROUTES = [n for n, r in ROUTES.items() if r.perm and n != "api_token_revoke"]


@pytest.mark.parametrize("name", [n for n in PERMISSION_ROUTES if n not in RECORD_SCOPED])
def test_role_without_the_permission_gets_403(name, world, client_for, org_a):
    route = ROUTES[name]
    user = member(org_a, LACKING[route.perm])
    response = call(client_for(user), name, world)
    assert response.status_code == 403, (response.status_code, response.content[:300])
    if route.api:
        assert response.json()["detail"]


@pytest.mark.parametrize("name", [n for n in PERMISSION_ROUTES if n in RECORD_SCOPED])
def test_role_without_the_permission_on_a_record_gets_404(name, world, client_for, org_a):
    """The same answer as for a record that does not exist: pages and API alike."""
    route = ROUTES[name]
    user = member(org_a, LACKING[route.perm])
    response = call(client_for(user), name, world)
    assert response.status_code == 404, (response.status_code, response.content[:300])
    if route.api:
        assert response.json()["detail"]


@pytest.mark.parametrize("name", PERMISSION_ROUTES)
def test_role_with_the_permission_gets_through(name, world, client_for, org_a):
    route = ROUTES[name]
    # A few actions are the record's own worker's (a visit's): the check acts as them, who hold the permission.
    acting = routes_contacts.ACTING_AS.get(name)
    user = world[acting] if acting else member(org_a, HAVING[route.perm])
    assert user.has_ancrage_perm(route.perm)
    response = call(client_for(user), name, world)
    assert response.status_code in {200, 201, 302}, (response.status_code, response.content[:300])


# Every page in both languages (rule: both languages complete in every screen). The browser journeys run in French,
# the default, and a few in English too; this reads every page a role may open in each language and finds no phrase
# of the other one (see languages.py). Pages a tampered or outside caller sees are error pages, read elsewhere.
PAGES = [n for n in PERMISSION_ROUTES if ROUTES[n].method == "get" and not ROUTES[n].api]
# Printed for someone else, in that person's language: a landlord's statement.
IN_THEIR_OWN_LANGUAGE = {"housing:rent_statement"}


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("name", PAGES)
def test_every_page_reads_in_the_language_asked(name, language, world, client_for, org_a):
    route = ROUTES[name]
    acting = routes_contacts.ACTING_AS.get(name)
    user = world[acting] if acting else member(org_a, HAVING[route.perm])
    # A signed-in person's own language wins over the browser's (accounts.middleware).
    type(user).objects.filter(pk=user.pk).update(language=language)
    response = call(client_for(user), name, world)
    assert response.status_code in {200, 302}, (response.status_code, response.content[:300])
    if response.status_code == 302 or not response["Content-Type"].startswith("text/html"):
        return
    html = response.content.decode()
    head = html[:500]
    if name in IN_THEIR_OWN_LANGUAGE:  # the page speaks its addressee's language, whatever the reader's
        language = "en" if 'lang="en"' in head else "fr"
    if "<html" in head:  # a whole document, not a fragment htmx swaps into one
        declared = {"fr": 'lang="fr-CA"', "en": 'lang="en"'}[language]
        assert declared in head, f"{name}: the page does not declare {declared}"
    found = leaks(html, language)
    assert not found, f"{name} asked in {language} shows the other language's phrases: {found}"


def test_token_revoke_own_token_without_permission_is_403(client_for, org_a):
    user = member(org_a, Role.CASE_MANAGER)
    token, _key = account_services.api_token_create(actor=user, name="x")
    user.memberships.update(role=Role.PROGRAM_ASSISTANT)
    response = client_for(user).post(reverse("api_token_revoke", args=[token.pk]))
    assert response.status_code == 403


def test_token_revoke_own_token(client_for, case_manager_a):
    token, _key = account_services.api_token_create(actor=case_manager_a, name="x")
    response = client_for(case_manager_a).post(reverse("api_token_revoke", args=[token.pk]))
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None


# --- record routes: a file from another organisation, and ids that do not belong together -------------

RECORD_ROUTES = [
    n
    for n in ROUTES
    if "pk" in _route_args(project_routes()[n].pattern)
    and n
    not in {"api_token_revoke", "access:policy_detail", "access:policy_activate", "access:opening_detail"}
    # Openings and units are no person's record (another organisation's unit is 404: housing's tests).
    and n != "access:opening_cancel"
    and not n.startswith("housing:unit_")
]


@pytest.mark.parametrize("name", RECORD_ROUTES)
def test_another_organisations_participant_is_404(name, world, client_for, program_manager_a):
    """A program manager holds every permission here, so only the record can refuse: 404."""
    response = call(client_for(program_manager_a), name, world, tamper="participant")
    assert response.status_code == 404, (response.status_code, response.content[:300])


@pytest.mark.parametrize(
    ("name", "tamper"),
    [
        ("people:consent_revoke", "consent"),
        ("api:revoke_consent", "consent"),
        ("people:document_download", "document"),
        # Both files are the user's, but the record belongs to the other one.
        ("people:consent_revoke", "consent_same_org"),
        ("api:revoke_consent", "consent_same_org"),
        ("people:document_download", "document_same_org"),
        ("people:merge", "other"),
        ("people:merge_undo", "merge"),
    ],
)
def test_tampered_ids_are_404(name, tamper, world, client_for, program_manager_a):
    response = call(client_for(program_manager_a), name, world, tamper=tamper)
    assert response.status_code == 404, (response.status_code, response.content[:300])
    if name.endswith(("revoke_consent", "consent_revoke")):
        for key in ("consent_b", "consent_other"):
            world[key].refresh_from_db()
            assert world[key].revoked_at is None


def test_tampered_ids_change_nothing(world, client_for, program_manager_a):
    c = client_for(program_manager_a)
    call(c, "people:consent_revoke", world, tamper="consent")
    world["consent_b"].refresh_from_db()
    assert world["consent_b"].revoked_at is None
    call(c, "people:merge", world, tamper="other")
    world["participant_b"].refresh_from_db()
    assert world["participant_b"].merged_into_id is None
    call(c, "people:merge_undo", world, tamper="merge")
    world["merge_b"].refresh_from_db()
    assert world["merge_b"].undone_at is None


def test_unknown_small_form_kind_is_404(world, client_for, case_manager_a):
    url = reverse("people:add_related", args=[world["participant"].pk, "nope"])
    assert client_for(case_manager_a).get(url).status_code == 404


def test_api_create_in_another_organisation_is_404(world, client_for, case_manager_a, org_b):
    body = _participant_body(world) | {"organisation_id": org_b.pk}
    response = client_for(case_manager_a).post("/api/v1/participants", body, content_type="application/json")
    assert response.status_code == 404
    assert response.json()["detail"]


# --- consent opens reading, never writing, in another organisation ------------------------------------


@pytest.fixture
def shared_with_b(world, case_manager_a, org_b):
    share(case_manager_a, world["participant"], [org_b], list(Category.values))
    return world


@pytest.mark.parametrize(
    "name",
    [
        "people:edit",
        "people:add_related",
        "people:consent_create",
        "people:consent_revoke",
        "people:document_upload",
        "people:document_download",
        "people:merge",
        "people:history",
        "people:who_saw",
        "api:create_consent",
        "api:revoke_consent",
    ],
)
def test_consent_does_not_let_another_organisation_change_the_file(name, shared_with_b, client_for, org_b):
    """Program manager of B sees A's participant through consent, but records nothing on the file."""
    user = member(org_b, Role.PROGRAM_MANAGER)
    c = client_for(user)
    assert c.get(reverse("people:detail", args=[shared_with_b["participant"].pk])).status_code == 200
    response = call(c, name, shared_with_b)
    assert response.status_code == 404, (response.status_code, response.content[:300])


def test_another_organisation_cannot_widen_its_own_consent(shared_with_b, client_for, org_b):
    from ancrage.people.models import Consent

    user = member(org_b, Role.CASE_MANAGER)
    before = Consent.objects.count()
    response = client_for(user).post(
        reverse("people:consent_create", args=[shared_with_b["participant"].pk]),
        {
            "organisations": [org_b.pk],
            "categories": list(Category.values),
            "purpose": "Tout voir",
            "starts_on": clock.today().isoformat(),
            "expires_on": (clock.today() + datetime.timedelta(days=3650)).isoformat(),
            "method": "written",
        },
    )
    assert response.status_code == 404
    assert Consent.objects.count() == before


def test_merge_other_organisations_file_into_own_is_404(shared_with_b, client_for, org_b, case_manager_b):
    """Merging would move A's signed documents onto a file of B: refused."""
    user = member(org_b, Role.PROGRAM_MANAGER)
    mine = make_participant(case_manager_b, org_b, legal_first_name="Éloïse", legal_last_name="Gagnon")
    p = shared_with_b["participant"]
    response = client_for(user).post(
        reverse("people:merge", args=[mine.pk, p.pk]), {"reason": "Même personne", "decision": "merge"}
    )
    assert response.status_code == 404
    p.refresh_from_db()
    assert p.merged_into_id is None
    assert p.documents.count() == 1


def test_another_organisation_may_record_that_two_files_differ(
    shared_with_b, client_for, org_b, case_manager_b
):
    """A decision moves nothing, so files seen through consent may be compared."""
    from ancrage.people.models import DuplicateDecision

    user = member(org_b, Role.PROGRAM_MANAGER)
    mine = make_participant(case_manager_b, org_b, legal_first_name="Éloïse", legal_last_name="Gagnon")
    p = shared_with_b["participant"]
    response = client_for(user).post(
        reverse("people:merge", args=[mine.pk, p.pk]), {"reason": "Autre date", "decision": "not_same"}
    )
    assert response.status_code == 302
    assert DuplicateDecision.objects.filter(decision="not_same").count() == 1


# --- the admin ---------------------------------------------------------------------------------------


def _admin_urls():
    names = [n for n, _p in _walk(get_resolver().url_patterns) if n.startswith("admin:")]
    urls = []
    for n in names:
        try:
            urls.append(reverse(n))
        except NoReverseMatch:  # routes that need arguments: the index stands for them
            continue
    return urls


@pytest.mark.parametrize("role", [None, Role.CASE_MANAGER, Role.PROGRAM_MANAGER])
def test_admin_is_closed_without_configure_permission(role, client_for, outsider, org_a):
    user = outsider if role is None else member(org_a, role)
    c = client_for(user)
    urls = _admin_urls()
    assert reverse("admin:index") in urls
    for url in urls:
        if url.endswith(("/logout/", "/login/")):
            continue
        response = c.get(url)
        assert response.status_code in {302, 404}, (url, response.status_code)
        if response.status_code == 302:
            assert "/admin/login/" in response["Location"], url


def test_admin_opens_with_configure_permission(client_for, administrator):
    assert client_for(administrator).get(reverse("admin:index")).status_code == 200
