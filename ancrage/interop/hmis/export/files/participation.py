"""HMISParticipation.csv and CEParticipation.csv: each exported program's part in the system."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ancrage.interop.hmis.export.files.common import chunked, trailer
from ancrage.organisations.models import Program

# HMIS 2.08.1 HMISParticipationType: 1, "HMIS participating": every program records in the registry.
HMIS_PARTICIPATING = 1
# HMIS 2.09 CEParticipation (NoYes): the coordinated-access program is the community's access point,
# does the housing assessment and receives referrals; the others take no part in coordinated entry.
YES, NO = 1, 0


def _programs(scope):
    return scope.programs().order_by("pk").values_list("pk", "kind", "is_active", "created_at", "updated_at")


def rows(scope) -> Iterator[dict[str, Any]]:
    for pk, _kind, is_active, created, updated in chunked(_programs(scope)):
        yield {
            "HMISParticipationID": f"HP{pk}",
            "ProjectID": str(pk),
            "HMISParticipationType": HMIS_PARTICIPATING,
            "HMISParticipationStatusStartDate": created,
            "HMISParticipationStatusEndDate": None if is_active else updated,
            **trailer(scope, created, updated),
        }


def ce_rows(scope) -> Iterator[dict[str, Any]]:
    """Only the coordinated-access programs: a row says how a project takes part in coordinated entry."""
    for pk, kind, is_active, created, updated in chunked(_programs(scope)):
        if kind != Program.Kind.COORDINATED_ACCESS:
            continue
        yield {
            "CEParticipationID": f"CE{pk}",
            "ProjectID": str(pk),
            "AccessPoint": YES,
            "PreventionAssessment": NO,
            "CrisisAssessment": NO,
            "HousingAssessment": YES,
            "DirectServices": NO,
            "ReceivesReferrals": YES,
            "CEParticipationStatusStartDate": created,
            "CEParticipationStatusEndDate": None if is_active else updated,
            **trailer(scope, created, updated),
        }
