"""One mapping module per HMIS CSV file: each turns the registry's records into that file's rows.

`FILE_ROWS` names, for every FY2026 file of the export, the function that yields its rows (dicts by column
name) for an `ExportScope`. Files Ancrage holds no data for still come with their header (`empty`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from ancrage.interop.hmis.export.files import (
    assessment,
    client,
    empty,
    enrollment,
    exit,
    export,
    organization,
    participation,
    project,
    user,
)

Rows = Callable[[Any], Iterable[dict[str, Any]]]

FILE_ROWS: dict[str, Rows] = {
    "Export": export.rows,
    "Organization": organization.rows,
    "User": user.rows,
    "Project": project.rows,
    "Funder": empty.rows,
    "ProjectCoC": empty.rows,
    "Inventory": empty.rows,
    "Affiliation": empty.rows,
    "HMISParticipation": participation.rows,
    "CEParticipation": participation.ce_rows,
    "Client": client.rows,
    "Enrollment": enrollment.rows,
    "Exit": exit.rows,
    "IncomeBenefits": empty.rows,
    "HealthAndDV": empty.rows,
    "Disabilities": empty.rows,
    "EmploymentEducation": empty.rows,
    "YouthEducationStatus": empty.rows,
    "Services": empty.rows,
    "CurrentLivingSituation": empty.rows,
    "Assessment": assessment.rows,
    "AssessmentQuestions": assessment.question_rows,
    "AssessmentResults": assessment.result_rows,
    "Event": empty.rows,
}
