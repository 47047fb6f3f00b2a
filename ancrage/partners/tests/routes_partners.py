"""Route table of partners for ancrage/core/tests/test_routes.py: every URL and API operation of the app, with
the objects its URLs need (see that module for what each field means). A partner is the consortium's, not a
person's record: another consortium's partner is 404, a missing permission 403."""

from __future__ import annotations

import itertools

ROUTES: dict[str, dict] = {
    "partners:list": {"outsider": 403, "perm": "partners.view"},
    "partners:create": {"outsider": 403, "perm": "partners.manage"},
    "partners:follow_up": {"outsider": 403, "perm": "partners.view"},
    "partners:notices": {"outsider": 403, "perm": "people.view_participants"},
    "partners:detail": {"outsider": 403, "perm": "partners.view"},
    "partners:edit": {"outsider": 403, "perm": "partners.manage"},
    "partners:contact_add": {"outsider": 403, "perm": "partners.manage"},
    "partners:log_add": {"outsider": 403, "perm": "partners.manage"},
    "partners:agreement_add": {"outsider": 403, "perm": "partners.manage"},
    "partners:agreement_end": {"method": "post", "outsider": 403, "perm": "partners.manage"},
    "partners:agreement_document": {"outsider": 403, "perm": "partners.view"},
    "partners:police_link_add": {"outsider": 403, "perm": "partners.manage"},
    "partners:police_link_remove": {"method": "post", "outsider": 403, "perm": "partners.manage"},
    "api:list_partners": {"anonymous": 401, "outsider": 403, "perm": "partners.view", "api": True},
    "api:create_partner": {
        "method": "post",
        "anonymous": 401,
        "outsider": 403,
        "perm": "partners.manage",
        "api": True,
    },
    "api:get_partner": {"anonymous": 401, "outsider": 403, "perm": "partners.view", "api": True},
    "api:create_partner_agreement": {
        "method": "post",
        "anonymous": 401,
        "outsider": 403,
        "perm": "partners.manage",
        "api": True,
    },
    "api:list_partner_contact_log": {"anonymous": 401, "outsider": 403, "perm": "partners.view", "api": True},
    "api:log_partner_contact": {
        "method": "post",
        "anonymous": 401,
        "outsider": 403,
        "perm": "partners.manage",
        "api": True,
    },
    "api:list_partner_notices": {
        "anonymous": 401,
        "outsider": 403,
        "perm": "people.view_participants",
        "api": True,
    },
}
API_OPERATIONS: dict[str, tuple[str, str]] = {
    "api:list_partners": ("get", "/api/v1/partners"),
    "api:create_partner": ("post", "/api/v1/partners"),
    "api:get_partner": ("get", "/api/v1/partners/{partner_pk}"),
    "api:create_partner_agreement": ("post", "/api/v1/partners/{partner_pk}/agreements"),
    "api:list_partner_contact_log": ("get", "/api/v1/partners/{partner_pk}/contact-log"),
    "api:log_partner_contact": ("post", "/api/v1/partners/{partner_pk}/contact-log"),
    "api:list_partner_notices": ("get", "/api/v1/partner-notices"),
}


_names = itertools.count(1)


def _partner_body(w):
    return {"name": f"Partenaire {next(_names)}", "kind": "food_bank"}


def _today() -> str:
    from ancrage.core import clock

    return clock.today().isoformat()


API_BODIES: dict = {
    "api:create_partner": _partner_body,
    "api:create_partner_agreement": lambda w: {
        "title": "Entente",
        "kind": "service",
        "signed_on": _today(),
    },
    "api:log_partner_contact": lambda w: {
        "on": _today(),
        "channel": "phone",
        "purpose": "routine",
        "summary": "Suivi",
    },
}

# Ids in these URLs are a partner's, an agreement's or a link's: the consortium's records, not a person's.
NOT_PERSON_RECORDS = frozenset(
    name
    for name in ROUTES
    if name not in {"partners:list", "partners:create", "partners:follow_up", "partners:notices"}
)
# Routes that show nothing of a participant's file (for test_read_audit.py), and why.
NO_PARTICIPANT_INFORMATION = {
    "partners:edit": "a partner's form: no person",
    "partners:contact_add": "a form for a partner's contact person: no person",
    "partners:log_add": "a form logging a contact with a partner: no person",
    "partners:agreement_add": "a form recording a partner's agreement: no person",
    "partners:agreement_document": "a partner's agreement document: no person",
    "partners:police_link_add": "chooses among risk plans the user may read; shows none of a file",
    "api:get_partner": "a partner, its contacts and agreements; police links are only counted",
    "api:list_partner_contact_log": "contacts with a partner: no person",
}


def extend_world(w: dict) -> None:
    """A police unit of the consortium linked to participant_a's risk plan, with an agreement and its document,
    and a partner of another consortium for tampering."""
    from ancrage.casework.risk import services as risk_services
    from ancrage.core import clock
    from ancrage.core.permissions import Role
    from ancrage.partners import services
    from ancrage.people.tests.factories import ConsortiumFactory, OrganisationFactory, member
    from ancrage.people.tests.helpers import pdf_file

    manager = w["program_manager_a"]
    police = services.partner_create(actor=manager, name="SPVM — poste de quartier 99", kind="police")
    w["partner"] = police
    w["agreement"] = services.agreement_add(
        actor=manager,
        partner=police,
        title="Entente",
        kind="service",
        signed_on=clock.today(),
        upload=pdf_file(),
    )
    plan = risk_services.risk_assess(
        actor=w["case_manager_a"],
        participant=w["participant"],
        assessed_on=clock.today(),
        level=1,
        rating="low",
        description="Calme",
    )
    w["police_link"] = services.police_link_set(actor=manager, partner=police, risk_plan=plan)
    elsewhere = OrganisationFactory(
        consortium=ConsortiumFactory(name="Ailleurs", short_name="AIL"), name="Ailleurs", short_name="AIL"
    )
    other_manager = member(elsewhere, Role.PROGRAM_MANAGER)
    w["partner_elsewhere"] = services.partner_create(
        actor=other_manager, name="Banque ailleurs", kind="food_bank"
    )
    w["agreement_elsewhere"] = services.agreement_add(
        actor=other_manager,
        partner=w["partner_elsewhere"],
        title="Autre",
        kind="service",
        signed_on=clock.today(),
    )


def kwargs(name: str, w: dict, tamper: str | None) -> dict | None:
    if name not in ROUTES:
        return None
    if name in {"partners:list", "partners:create", "partners:follow_up", "partners:notices"}:
        return {}
    if name in {"api:list_partners", "api:create_partner", "api:list_partner_notices"}:
        return {}
    partner = w["partner_elsewhere"] if tamper == "partner" else w["partner"]
    values = {"partner_pk": partner.pk}
    if name in {"partners:agreement_end", "partners:agreement_document"}:
        values["agreement_pk"] = (w["agreement_elsewhere"] if tamper == "partner" else w["agreement"]).pk
    if name == "partners:police_link_remove":
        values["link_pk"] = w["police_link"].pk
    return values
