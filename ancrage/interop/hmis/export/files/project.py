"""Project.csv: the programs chosen for the export."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ancrage.interop.hmis.export.files.common import chunked, trailer
from ancrage.organisations.models import Program

# HMIS 2.02.6 ProjectType. Judgements: an ICM or ACT program is Housing First permanent supportive housing
# (3): a lease in the person's name with a rent supplement and support for as long as needed; coordinated
# access is 14; the housing team and the rent payment service serve the ICM and ACT programs' people and
# house no one themselves: services only (6).
PROJECT_TYPE_PSH, PROJECT_TYPE_SERVICES_ONLY, PROJECT_TYPE_COORDINATED_ENTRY = 3, 6, 14
PROJECT_TYPE: dict[str, int] = {
    Program.Kind.ICM: PROJECT_TYPE_PSH,
    Program.Kind.ACT: PROJECT_TYPE_PSH,
    Program.Kind.COORDINATED_ACCESS: PROJECT_TYPE_COORDINATED_ENTRY,
    Program.Kind.HOUSING_TEAM: PROJECT_TYPE_SERVICES_ONLY,
    Program.Kind.RENT_PAYMENT: PROJECT_TYPE_SERVICES_ONLY,
}
# HMIS 2.02.D HousingType, asked of housing projects only: 3, tenant-based scattered sites (units rented
# on the private market in the person's name, rule C1).
HOUSING_TYPE_SCATTERED = 3
# HMIS 2.02.5 ContinuumProject (NoYes): 0, a Canadian program is not part of a HUD Continuum of Care.
NOT_A_CONTINUUM_PROJECT = 0


def rows(scope) -> Iterator[dict[str, Any]]:
    programs = (
        scope.programs()
        .order_by("pk")
        .values_list(
            "pk", "organisation_id", "name", "name_en", "kind", "is_active", "created_at", "updated_at"
        )
    )
    for pk, organisation_id, name, name_en, kind, is_active, created, updated in chunked(programs):
        project_type = PROJECT_TYPE.get(kind, PROJECT_TYPE_SERVICES_ONLY)
        yield {
            "ProjectID": str(pk),
            "OrganizationID": str(organisation_id),
            "ProjectName": name,
            "ProjectCommonName": name_en or None,
            "OperatingStartDate": created,
            # Judgement: a program closed in the registry ended operating the day it was last changed.
            "OperatingEndDate": None if is_active else updated,
            "ContinuumProject": NOT_A_CONTINUUM_PROJECT,
            "ProjectType": project_type,
            "HousingType": HOUSING_TYPE_SCATTERED if project_type == PROJECT_TYPE_PSH else None,
            **trailer(scope, created, updated),
        }
