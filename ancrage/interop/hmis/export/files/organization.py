"""Organization.csv: the organisations running the exported programs."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ancrage.interop.hmis.export.files.common import chunked, trailer
from ancrage.organisations.models import Organisation

# HMIS 2.01 VictimServiceProvider (NoYes): 0. Judgement: no organisation of the registry is a victim
# service provider (those may not enter data in an HMIS at all, so they would not be in it).
NOT_A_VICTIM_SERVICE_PROVIDER = 0


def rows(scope) -> Iterator[dict[str, Any]]:
    organisations = (
        Organisation.objects.filter(pk__in=scope.programs().values("organisation_id"))
        .order_by("pk")
        .values_list("pk", "name", "short_name", "created_at", "updated_at")
    )
    for pk, name, short_name, created, updated in chunked(organisations):
        yield {
            "OrganizationID": str(pk),
            "OrganizationName": name,
            "VictimServiceProvider": NOT_A_VICTIM_SERVICE_PROVIDER,
            "OrganizationCommonName": short_name or None,
            **trailer(scope, created, updated),
        }
