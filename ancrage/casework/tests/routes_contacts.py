"""Route table of case management (contacts) for ancrage/core/tests/test_routes.py: every URL and API operation
of this part, with the objects its URLs need (see that module for what each field means)."""

from __future__ import annotations

import datetime

from ancrage.core import clock

ROUTES: dict[str, dict] = {
    "casework:contact_list": {"outsider": 403, "perm": "casework.view"},
    "casework:contact_create": {"outsider": 403, "perm": "casework.record"},
    "casework:visit_plan": {"outsider": 403, "perm": "casework.record"},
    "casework:visit_list": {"outsider": 403, "perm": "casework.view"},
    "casework:visit_start": {"method": "post", "outsider": 403, "perm": "casework.record"},
    "casework:visit_end": {"method": "post", "outsider": 403, "perm": "casework.record"},
    "casework:visit_cancel": {"method": "post", "outsider": 403, "perm": "casework.record"},
    "casework:visit_extend": {"method": "post", "outsider": 403, "perm": "casework.record"},
    "casework:visit_safe": {"method": "post", "outsider": 403, "perm": "casework.record"},
    "casework:risk_list": {"outsider": 403, "perm": "casework.view"},
    "casework:risk_create": {"outsider": 403, "perm": "casework.manage_risk"},
    "casework:risk_end": {"method": "post", "outsider": 403, "perm": "casework.manage_risk"},
    "api:list_contacts": {"anonymous": 401, "outsider": 403, "perm": "casework.view", "api": True},
    "api:log_contact": {
        "method": "post",
        "anonymous": 401,
        "outsider": 403,
        "perm": "casework.record",
        "api": True,
    },
    "api:list_visits": {"anonymous": 401, "outsider": 403, "perm": "casework.view", "api": True},
    "api:plan_visit": {
        "method": "post",
        "anonymous": 401,
        "outsider": 403,
        "perm": "casework.record",
        "api": True,
    },
    "api:start_visit": {
        "method": "post",
        "anonymous": 401,
        "outsider": 403,
        "perm": "casework.record",
        "api": True,
    },
    "api:end_visit": {
        "method": "post",
        "anonymous": 401,
        "outsider": 403,
        "perm": "casework.record",
        "api": True,
    },
    "api:extend_visit": {
        "method": "post",
        "anonymous": 401,
        "outsider": 403,
        "perm": "casework.record",
        "api": True,
    },
    "api:visit_safe": {
        "method": "post",
        "anonymous": 401,
        "outsider": 403,
        "perm": "casework.record",
        "api": True,
    },
    "api:list_risk_assessments": {"anonymous": 401, "outsider": 403, "perm": "casework.view", "api": True},
    "api:record_risk_assessment": {
        "method": "post",
        "anonymous": 401,
        "outsider": 403,
        "perm": "casework.manage_risk",
        "api": True,
    },
}
API_OPERATIONS: dict[str, tuple[str, str]] = {
    "api:list_contacts": ("get", "/api/v1/participants/{pk}/contacts"),
    "api:log_contact": ("post", "/api/v1/participants/{pk}/contacts"),
    "api:list_visits": ("get", "/api/v1/participants/{pk}/visits"),
    "api:plan_visit": ("post", "/api/v1/participants/{pk}/visits"),
    "api:start_visit": ("post", "/api/v1/visits/{visit_pk}/start"),
    "api:end_visit": ("post", "/api/v1/visits/{visit_pk}/end"),
    "api:extend_visit": ("post", "/api/v1/visits/{visit_pk}/extend"),
    "api:visit_safe": ("post", "/api/v1/visits/{visit_pk}/safe"),
    "api:list_risk_assessments": ("get", "/api/v1/participants/{pk}/risk-assessments"),
    "api:record_risk_assessment": ("post", "/api/v1/participants/{pk}/risk-assessments"),
}


def _contact_body(w):
    return {
        "occurred_at": (clock.now() - datetime.timedelta(hours=1)).isoformat(),
        "duration_minutes": 30,
        "kind": "home",
    }


def _visit_body(w):
    start = clock.now() + datetime.timedelta(hours=1)
    return {
        "location": "Parc Lafontaine",
        "planned_start": start.isoformat(),
        "planned_end": (start + datetime.timedelta(hours=1)).isoformat(),
    }


def _risk_body(w):
    return {
        "assessed_on": clock.today().isoformat(),
        "level": 1,
        "rating": "low",
        "description": "Agité au téléphone",
    }


API_BODIES: dict = {
    "api:log_contact": _contact_body,
    "api:plan_visit": _visit_body,
    "api:start_visit": lambda w: {},
    "api:end_visit": lambda w: {},
    "api:extend_visit": lambda w: {"minutes": 30},
    "api:visit_safe": lambda w: {},
    "api:record_risk_assessment": _risk_body,
}

# Only the visit's worker (or their companion) extends a visit or says they are safe, and a colleague ends it
# only with a reason: the API's "gets through" check acts as the world's worker of the visit.
ACTING_AS = {
    "api:end_visit": "case_manager_a",
    "api:extend_visit": "case_manager_a",
    "api:visit_safe": "case_manager_a",
}

VISIT_ROUTES = {
    "casework:visit_start",
    "casework:visit_end",
    "casework:visit_cancel",
    "casework:visit_extend",
    "casework:visit_safe",
    "api:start_visit",
    "api:end_visit",
    "api:extend_visit",
    "api:visit_safe",
}


def extend_world(w: dict) -> None:
    """Add to the world the objects this part's URLs point at (a record of participant_b for tampering)."""
    from ancrage.casework.contacts import services
    from ancrage.casework.risk import services as risk_services

    start = clock.now() + datetime.timedelta(minutes=5)
    for key, actor, participant in (
        ("contacts_visit", w["case_manager_a"], w["participant"]),
        ("contacts_visit_b", w["case_manager_b"], w["participant_b"]),
    ):
        w[key] = services.visit_plan(
            actor=actor,
            participant=participant,
            location="12 rue des Érables",
            planned_start=start,
            planned_end=start + datetime.timedelta(hours=1),
        )
    for key, actor, participant in (
        ("contacts_risk", w["case_manager_a"], w["participant"]),
        ("contacts_risk_b", w["case_manager_b"], w["participant_b"]),
    ):
        w[key] = risk_services.risk_assess(
            actor=actor,
            participant=participant,
            assessed_on=clock.today(),
            level=1,
            rating="low",
            description="Agité",
        )


def kwargs(name: str, w: dict, tamper: str | None) -> dict | None:
    """URL arguments for one of this part's routes, or None to let the generic rules decide."""
    if name in VISIT_ROUTES:
        visit = w["contacts_visit_b"] if tamper in {"participant", "visit"} else w["contacts_visit"]
        return {"visit_pk": visit.pk}
    if name == "casework:risk_end":
        if tamper == "participant":
            return {"pk": w["participant_b"].pk, "risk_pk": w["contacts_risk_b"].pk}
        # "risk": the user's own participant, with another organisation's risk assessment.
        risk = w["contacts_risk_b"] if tamper == "risk" else w["contacts_risk"]
        return {"pk": w["participant"].pk, "risk_pk": risk.pk}
    return None
