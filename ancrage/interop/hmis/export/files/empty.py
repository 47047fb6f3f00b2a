"""The FY2026 files Ancrage holds no data for: each is written with its header and no rows.

Why each is empty (judgements, to revisit when the registry records the data):
- Funder, ProjectCoC: funding streams and HUD Continuum of Care codes are American federal notions that a
  Canadian consortium's programs do not have; inventing a CoC code would make the file invalid elsewhere.
- Inventory: HUD counts beds per project and household type; Ancrage's units belong to organisations and
  are rented on the private market (scattered sites), not a project's bed inventory.
- Affiliation: only residential projects affiliated with a services-only project; none are modelled.
- IncomeBenefits, HealthAndDV, Disabilities, EmploymentEducation, YouthEducationStatus: the registry does
  not collect these HUD data elements (health is recorded as notes under the health consent category,
  never as HUD yes/no answers).
- Services: FY2026 RecordType only lists federal programs' services (PATH, RHY, HOPWA, SSVF, bed
  nights); an ICM or ACT contact is none of them, and writing it as one would be false.
- CurrentLivingSituation, Event: street outreach and coordinated-entry events of HUD's lists are not
  recorded as such (contacts and matches carry no 4.12 or 4.20 code).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any


def rows(scope) -> Iterator[dict[str, Any]]:
    return iter(())
