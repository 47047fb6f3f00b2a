"""Route table of housing's landlords' book for ancrage/core/tests/test_routes.py: every URL and API operation
of this part, with the objects its URLs need (see that module for what each field means).

A landlord, a building or a complaint is the housing team's record, not a person's: without the permission the
answer is 403, and a landlord kept by another team is 404 to whoever would change it (test_book_views.py)."""

from __future__ import annotations

from ancrage.core import clock

_VIEW = {"outsider": 403, "perm": "housing.view_landlords"}
_MANAGE = {"outsider": 403, "perm": "housing.manage_landlords"}
_API = {"anonymous": 401, "outsider": 403, "api": True}

ROUTES: dict[str, dict] = {
    # The section's landing page sends each role to its first tab (the permission is read in the body).
    "housing:home": {"outsider": 403, "perm_in_body": True},
    "housing:landlord_list": _VIEW,
    "housing:landlord_create": _MANAGE,
    "housing:landlord_detail": _VIEW,
    "housing:landlord_edit": _MANAGE,
    "housing:landlord_retire": {"method": "post", **_MANAGE},
    "housing:representative_add": _MANAGE,
    "housing:building_create": _MANAGE,
    "housing:building_edit": _MANAGE,
    "housing:contact_create": _MANAGE,
    "housing:complaint_create": _MANAGE,
    "housing:complaint_list": _VIEW,
    "housing:complaint_respond": {"method": "post", **_MANAGE},
    "housing:complaint_resolve": _MANAGE,
    "housing:availability": {"outsider": 403, "perm": "housing.view_units"},
    "api:list_landlords": {**_API, "perm": "housing.view_landlords"},
    "api:create_landlord": {"method": "post", **_API, "perm": "housing.manage_landlords"},
    "api:get_landlord": {**_API, "perm": "housing.view_landlords"},
    "api:log_landlord_contact": {"method": "post", **_API, "perm": "housing.manage_landlords"},
    "api:list_buildings": {**_API, "perm": "housing.view_landlords"},
    "api:create_building": {"method": "post", **_API, "perm": "housing.manage_landlords"},
    "api:list_units": {**_API, "perm": "housing.view_units"},
    "api:get_unit": {**_API, "perm": "housing.view_units"},
    "api:list_complaints": {**_API, "perm": "housing.view_landlords"},
    "api:create_complaint": {"method": "post", **_API, "perm": "housing.manage_landlords"},
    "api:resolve_complaint": {"method": "post", **_API, "perm": "housing.manage_landlords"},
}
API_OPERATIONS: dict[str, tuple[str, str]] = {
    "api:list_landlords": ("get", "/api/v1/landlords"),
    "api:create_landlord": ("post", "/api/v1/landlords"),
    "api:get_landlord": ("get", "/api/v1/landlords/{landlord_pk}"),
    "api:log_landlord_contact": ("post", "/api/v1/landlords/{landlord_pk}/contacts"),
    "api:list_buildings": ("get", "/api/v1/landlords/{landlord_pk}/buildings"),
    "api:create_building": ("post", "/api/v1/landlords/{landlord_pk}/buildings"),
    "api:list_units": ("get", "/api/v1/units"),
    "api:get_unit": ("get", "/api/v1/units/{unit_pk}"),
    "api:list_complaints": ("get", "/api/v1/complaints"),
    "api:create_complaint": ("post", "/api/v1/landlords/{landlord_pk}/complaints"),
    "api:resolve_complaint": ("post", "/api/v1/complaints/{complaint_pk}/resolve"),
}


def _area_id() -> int:
    from ancrage.housing.models import Area

    return Area.objects.get(name_fr="Verdun").pk


API_BODIES: dict = {
    "api:create_landlord": lambda w: {"name": "Gestion Routes", "kind": "company"},
    "api:log_landlord_contact": lambda w: {
        "contacted_on": clock.today().isoformat(),
        "channel": "phone",
        "purpose": "check_in",
        "summary": "Tout va bien",
    },
    "api:create_building": lambda w: {"address": "5 rue des Routes", "area_id": _area_id()},
    "api:create_complaint": lambda w: {"subject": "noise", "received_at": clock.now().isoformat()},
    "api:resolve_complaint": lambda w: {"resolution": "Entente"},
}

# Routes with an id that is no person's record: a landlord, a building, a complaint of the housing team.
NOT_A_PERSONS_RECORD = frozenset(
    {
        "housing:landlord_detail",
        "housing:landlord_edit",
        "housing:landlord_retire",
        "housing:representative_add",
        "housing:building_create",
        "housing:building_edit",
        "housing:contact_create",
        "housing:complaint_create",
        "housing:complaint_respond",
        "housing:complaint_resolve",
        "api:get_landlord",
        "api:log_landlord_contact",
        "api:list_buildings",
        "api:create_building",
        "api:get_unit",
        "api:create_complaint",
        "api:resolve_complaint",
    }
)

# Why each of these shows nothing of a participant's file (ancrage/core/tests/test_read_audit.py).
NO_PARTICIPANT_INFORMATION = {
    "housing:landlord_detail": "a landlord's page: a tenant is named only beside a complaint, read recorded per row",
    "housing:landlord_edit": "a landlord's form: no person",
    "housing:representative_add": "a landlord's representative: no participant",
    "housing:building_create": "a building's form: no person",
    "housing:building_edit": "a building's form: no person",
    "housing:contact_create": "a contact with a landlord: no participant",
    "housing:complaint_create": "the tenancies offered are the reader's own, each listing recorded as a read",
    "housing:complaint_resolve": "a complaint's resolution form: no person",
    "api:get_landlord": "a landlord, with counts only",
    "api:list_buildings": "a landlord's buildings: no person",
    "api:get_unit": "a housing unit: no person",
}


def extend_world(w: dict) -> None:
    """A landlord kept by organisation A (its housing specialist), with a building, a unit and an open
    complaint."""
    from ancrage.core.permissions import Role
    from ancrage.housing.book import services
    from ancrage.housing.models import Area, Unit
    from ancrage.people.tests.factories import member

    specialist = member(w["org_a"], Role.HOUSING_SPECIALIST)
    landlord = services.landlord_create(
        actor=specialist, organisation=w["org_a"], name="Gestion des Routes", kind="company"
    )
    building = services.building_create(
        actor=specialist,
        landlord=landlord,
        address="3 rue des Routes",
        area=Area.objects.get(name_fr="Verdun"),
    )
    Unit.objects.filter(pk=w["unit"].pk).update(building=building)
    w["book_landlord"] = landlord
    w["book_building"] = building
    w["book_complaint"] = services.complaint_record(
        actor=specialist, landlord=landlord, kind="complaint", subject="noise", received_at=clock.now()
    )


def kwargs(name: str, w: dict, tamper: str | None) -> dict | None:
    """URL arguments for one of this part's routes, or None to let the generic rules decide."""
    if name not in ROUTES:
        return None
    values = {
        "landlord_pk": w["book_landlord"].pk,
        "building_pk": w["book_building"].pk,
        "complaint_pk": w["book_complaint"].pk,
        "unit_pk": w["unit"].pk,
    }
    from ancrage.core.tests.test_routes import _route_args, project_routes

    names = _route_args(project_routes()[name].pattern)
    return {k: v for k, v in values.items() if k in names}
