"""Route table of housing's choice, tenancies, inspections and evictions for ancrage/core/tests/test_routes.py:
every URL and API operation of this part, with the objects its URLs need (see that module for the fields)."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile

from ancrage.core import clock

_VIEW = {"outsider": 403, "perm": "housing.view_tenancies"}
_MANAGE = {"outsider": 403, "perm": "housing.manage_tenancies"}

ROUTES: dict[str, dict] = {
    "housing:tenancy_list": _VIEW,
    "housing:tenancy_detail": _VIEW,
    "housing:tenancy_renew": _MANAGE,
    "housing:tenancy_end": _MANAGE,
    "housing:eviction_create": _MANAGE,
    "housing:inspection_create": _MANAGE,
    "housing:photo_add": _MANAGE,
    "housing:photo_view": _VIEW,
    "housing:participant_housing": _VIEW,
    "housing:search_start": {**_MANAGE, "method": "post"},
    "housing:lease_create": _MANAGE,
    "housing:stay_create": _MANAGE,
    "housing:option_offer": {**_MANAGE, "method": "post"},
    "housing:option_rank": {**_MANAGE, "method": "post"},
    "housing:option_step": {**_MANAGE, "method": "post"},
    "housing:stay_detail": _VIEW,
    # API
    "api:list_housing_searches": {"anonymous": 401, "perm": "housing.view_tenancies", "api": True},
    "api:start_housing_search": {
        "method": "post",
        "anonymous": 401,
        "perm": "housing.manage_tenancies",
        "api": True,
    },
    "api:offer_housing_option": {
        "method": "post",
        "anonymous": 401,
        "perm": "housing.manage_tenancies",
        "api": True,
    },
    "api:rank_housing_option": {
        "method": "post",
        "anonymous": 401,
        "perm": "housing.manage_tenancies",
        "api": True,
    },
    "api:step_housing_option": {
        "method": "post",
        "anonymous": 401,
        "perm": "housing.manage_tenancies",
        "api": True,
    },
    "api:list_tenancies": {"anonymous": 401, "outsider": 403, "perm": "housing.view_tenancies", "api": True},
    "api:get_tenancy": {"anonymous": 401, "perm": "housing.view_tenancies", "api": True},
    "api:create_tenancy": {
        "method": "post",
        "anonymous": 401,
        "perm": "housing.manage_tenancies",
        "api": True,
    },
    "api:end_tenancy": {"method": "post", "anonymous": 401, "perm": "housing.manage_tenancies", "api": True},
    "api:list_tenancy_inspections": {"anonymous": 401, "perm": "housing.view_tenancies", "api": True},
}
API_OPERATIONS: dict[str, tuple[str, str]] = {
    "api:list_housing_searches": ("get", "/api/v1/participants/{pk}/housing-searches"),
    "api:start_housing_search": ("post", "/api/v1/participants/{pk}/housing-searches"),
    "api:offer_housing_option": ("post", "/api/v1/housing-searches/{search_pk}/options"),
    "api:rank_housing_option": ("post", "/api/v1/housing-options/{option_pk}/rank"),
    "api:step_housing_option": ("post", "/api/v1/housing-options/{option_pk}/step"),
    "api:list_tenancies": ("get", "/api/v1/tenancies"),
    "api:get_tenancy": ("get", "/api/v1/tenancies/{tenancy_pk}"),
    "api:create_tenancy": ("post", "/api/v1/participants/{pk}/tenancies"),
    "api:end_tenancy": ("post", "/api/v1/tenancies/{tenancy_pk}/end"),
    "api:list_tenancy_inspections": ("get", "/api/v1/tenancies/{tenancy_pk}/inspections"),
}


def _lease_body(w: dict) -> dict:
    return {
        "unit_id": w["ht_free_unit"].pk,
        "lease_kind": "direct",
        "lease_start": clock.today().isoformat(),
        "monthly_rent": "800.00",
        "participant_share": "250.00",
        "few_options_reason": "Essai",
    }


# Pages of the housing team's forms: the read-audit check opens them as the housing specialist of (A), who
# holds housing.manage_tenancies (a program manager reads tenancies but does not record them).
ACTING_AS: dict[str, str] = {
    name: "ht_specialist"
    for name, spec in ROUTES.items()
    if spec.get("perm") == "housing.manage_tenancies" and spec.get("method", "get") == "get"
}

API_BODIES: dict = {
    "api:start_housing_search": lambda w: {"started_on": clock.today().isoformat()},
    "api:offer_housing_option": lambda w: {"unit_id": w["ht_free_unit"].pk},
    "api:rank_housing_option": lambda w: {"rank": 1, "reasons": "Près du parc"},
    "api:step_housing_option": lambda w: {"step": "viewed"},
    "api:create_tenancy": _lease_body,
    "api:end_tenancy": lambda w: {"ended_on": clock.today().isoformat(), "reason": "moved_by_choice"},
}


def _png() -> SimpleUploadedFile:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), (1, 2, 3)).save(buffer, format="PNG")
    return SimpleUploadedFile("p.png", buffer.getvalue(), content_type="image/png")


def extend_world(w: dict) -> None:
    """For each organisation's participant: a tenancy in a landlord's building with an inspection and a photo,
    a search under way with an option, a temporary stay; and a free unit to offer or lease."""
    import datetime

    from ancrage.core.permissions import Role
    from ancrage.housing import services_tenancies as ts
    from ancrage.housing.tests.tenancy_helpers import landlord_building, lease_values, make_unit
    from ancrage.people.tests.factories import member

    for suffix, org, participant in (
        ("", w["org_a"], w["participant"]),
        ("_b", w["org_b"], w["participant_b"]),
    ):
        specialist = member(org, Role.HOUSING_SPECIALIST)
        building = landlord_building(org, name=f"Immeubles {org.short_name}")
        unit = make_unit(specialist, org, building, address=f"10 rue du Bail {suffix}")
        optioned = make_unit(specialist, org, building, address=f"12 rue du Bail {suffix}")
        tenancy = ts.tenancy_create(
            actor=specialist,
            participant=participant,
            unit=unit,
            **lease_values(lease_start=clock.today() - datetime.timedelta(days=30)),
        )
        inspection = ts.inspection_record(
            actor=specialist,
            unit=unit,
            tenancy=tenancy,
            kind="move_in",
            inspected_on=clock.today() - datetime.timedelta(days=30),
            condition="good",
        )
        photo = ts.photo_add(actor=specialist, inspection=inspection, upload=_png())
        search = ts.search_start(actor=specialist, participant=participant, started_on=clock.today())
        option = ts.option_offer(actor=specialist, search=search, unit=optioned)
        stay = ts.temporary_stay_record(
            actor=specialist, participant=participant, kind="shelter", stay_from=clock.today()
        )
        w.update(
            {
                "ht_tenancy" + suffix: tenancy,
                "ht_inspection" + suffix: inspection,
                "ht_photo" + suffix: photo,
                "ht_search" + suffix: search,
                "ht_option" + suffix: option,
                "ht_stay" + suffix: stay,
            }
        )
        if not suffix:
            w["ht_specialist"] = specialist
            w["ht_free_unit"] = make_unit(specialist, org, building, address="14 rue du Bail")


_OBJECT_ROUTES = {
    "housing:tenancy_detail": ("pk", "ht_tenancy"),
    "housing:tenancy_renew": ("pk", "ht_tenancy"),
    "housing:tenancy_end": ("pk", "ht_tenancy"),
    "housing:eviction_create": ("pk", "ht_tenancy"),
    "housing:inspection_create": ("pk", "ht_tenancy"),
    "housing:photo_add": ("pk", "ht_inspection"),
    "housing:photo_view": ("pk", "ht_photo"),
    "housing:option_offer": ("pk", "ht_search"),
    "housing:option_rank": ("pk", "ht_option"),
    "housing:option_step": ("pk", "ht_option"),
    "housing:stay_detail": ("pk", "ht_stay"),
    "api:offer_housing_option": ("search_pk", "ht_search"),
    "api:rank_housing_option": ("option_pk", "ht_option"),
    "api:step_housing_option": ("option_pk", "ht_option"),
    "api:get_tenancy": ("tenancy_pk", "ht_tenancy"),
    "api:end_tenancy": ("tenancy_pk", "ht_tenancy"),
    "api:list_tenancy_inspections": ("tenancy_pk", "ht_tenancy"),
}


def kwargs(name: str, w: dict, tamper: str | None) -> dict | None:
    """URL arguments for one of this part's routes, or None to let the generic rules decide."""
    if name in {"api:start_housing_search", "api:create_tenancy"}:
        # Another person of A: participant (A) already has a search under way and a tenancy.
        return {"pk": (w["participant_b"] if tamper == "participant" else w["other"]).pk}
    if name not in _OBJECT_ROUTES:
        return None
    arg, key = _OBJECT_ROUTES[name]
    return {arg: w[key + ("_b" if tamper == "participant" else "")].pk}
