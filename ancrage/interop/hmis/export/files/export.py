"""Export.csv: one row saying who exported what, for which period, from which software."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ancrage.interop.hmis.columns import CSV_VERSION
from ancrage.organisations.models import Consortium

# HMIS 1.9 SourceType. Judgement: 2, "standalone/agency-specific application": Ancrage is a consortium's
# own registry, not a CoC-operated HMIS (1, which needs a HUD CoC code) nor a warehouse of others' data (3).
SOURCE_TYPE_STANDALONE = 2
# HMIS 1.1 ExportPeriodType: 3, "reporting period" (the enrollments active between the two dates).
EXPORT_PERIOD_REPORTING = 3
# HMIS 1.2 ExportDirective: 2, "full refresh" (every record of the period, not only changes).
EXPORT_DIRECTIVE_FULL = 2
# HMIS 1.5 HashStatus: 1 unhashed; 4 SHA-256 (names as their Soundex code hashed, as the RHY rule says).
HASH_UNHASHED, HASH_SHA256 = 1, 4
SOFTWARE_NAME = "Ancrage"


def rows(scope) -> Iterator[dict[str, Any]]:
    consortia = list(
        Consortium.objects.filter(organisations__pk__in=scope.user.organisation_ids)
        .distinct()
        .order_by("name")
        .values_list("pk", "name")
    )
    user = scope.user
    yield {
        "ExportID": scope.export_id,
        "SourceType": SOURCE_TYPE_STANDALONE,
        "SourceID": None,
        "SourceName": "; ".join(name for _pk, name in consortia) or None,
        "SourceContactFirst": user.first_name or None,
        "SourceContactLast": user.last_name or None,
        "SourceContactEmail": user.email or None,
        "ExportDate": scope.at,
        "ExportStartDate": scope.start,
        "ExportEndDate": scope.end,
        "SoftwareName": SOFTWARE_NAME,
        "SoftwareVersion": None,
        "CSVVersion": CSV_VERSION,
        "ExportPeriodType": EXPORT_PERIOD_REPORTING,
        "ExportDirective": EXPORT_DIRECTIVE_FULL,
        "HashStatus": HASH_SHA256 if scope.hashed else HASH_UNHASHED,
        "ImplementationID": "ancrage-" + "-".join(str(pk) for pk, _name in consortia)
        if consortia
        else "ancrage",
    }
