"""Route table of imports for ancrage/core/tests/test_routes.py: every URL and API operation of this part,
with the objects its URLs need (see that module for what each field means). An import is its organisation's,
not a person's record: another organisation's import is 404, a missing permission 403."""

from __future__ import annotations

import base64

_PERM = "interop.import_hmis"
_API = {"anonymous": 401, "outsider": 403, "perm": _PERM, "api": True}

ROUTES: dict[str, dict] = {
    "interop:import_list": {"outsider": 403, "perm": _PERM},
    "interop:import_upload": {"outsider": 403, "perm": _PERM},
    "interop:import_detail": {"outsider": 403, "perm": _PERM},
    "interop:import_progress": {"outsider": 403, "perm": _PERM},
    "interop:import_report": {"outsider": 403, "perm": _PERM},
    "api:create_hmis_import": {"method": "post", **_API},
    "api:get_hmis_import": dict(_API),
    "api:list_hmis_import_problems": dict(_API),
}
API_OPERATIONS: dict[str, tuple[str, str]] = {
    "api:create_hmis_import": ("post", "/api/v1/hmis-imports"),
    "api:get_hmis_import": ("get", "/api/v1/hmis-imports/{import_pk}"),
    "api:list_hmis_import_problems": ("get", "/api/v1/hmis-imports/{import_pk}/problems"),
}


def _import_body(w):
    from ancrage.core import clock
    from ancrage.interop.hmis.sample import generate

    data = generate(1, today=clock.today()).to_bytes()
    return {
        "organisation_id": w["org_a"].pk,
        "source": "Routes",
        "file_name": "export.zip",
        "content_base64": base64.b64encode(data).decode(),
    }


API_BODIES: dict[str, object] = {"api:create_hmis_import": _import_body}
# Routes with an id in their URL that is not a person's record.
NOT_A_PERSONS_RECORD: frozenset[str] = frozenset(
    {
        "interop:import_detail",
        "interop:import_progress",
        "interop:import_report",
        "api:get_hmis_import",
        "api:list_hmis_import_problems",
    }
)
_WHY = "an import of another system's export: its files, stages and data-quality rows, no registry file"
# Routes with an id in their URL that show nothing of a participant's file, and why (test_read_audit.py).
NO_PARTICIPANT_INFORMATION: dict[str, str] = {
    "interop:import_detail": _WHY + " (proposed duplicates, when any, write their own reads)",
    "interop:import_progress": _WHY,
    "interop:import_report": _WHY,
    "api:get_hmis_import": _WHY,
    "api:list_hmis_import_problems": _WHY,
}
# Roles of the participant's organisation without and with each permission of this part.
LACKING: dict[str, str] = {_PERM: "case_manager"}
HAVING: dict[str, str] = {_PERM: "data_coordinator"}


def extend_world(w: dict) -> None:
    """An import of organisation A and one of organisation B (both refused: not zips, so no files are made)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from ancrage.interop.imports import services

    def _refused(actor, organisation):
        return services.import_receive(
            actor=actor,
            organisation=organisation,
            source="Routes",
            upload=SimpleUploadedFile("x.zip", b"not a zip"),
            original_name="x.zip",
        )

    w["hmis_import"] = _refused(w["program_manager_a"], w["org_a"])
    w["hmis_import_b"] = _refused(w["manager_b"], w["org_b"])


def kwargs(name: str, w: dict, tamper: str | None) -> dict | None:
    """URL arguments of this part's routes (None: not this part's); `tamper` swaps one for another's."""
    if name not in ROUTES:
        return None
    imp = w["hmis_import_b"] if tamper else w["hmis_import"]
    if name.startswith("api:"):
        return {} if name == "api:create_hmis_import" else {"import_pk": imp.pk}
    if name in {"interop:import_list", "interop:import_upload"}:
        return {}
    return {"pk": imp.pk}
