"""Exit.csv: the exits of the exported enrollments, on or before the end of the period."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import Exists, OuterRef

from ancrage.casework.models import Exit
from ancrage.core.permissions import Category
from ancrage.interop.hmis.export.files.common import chunked, trailer
from ancrage.people import codes
from ancrage.people.selectors import participants_visible_for_category

D = Exit.Destination
# HMIS 3.12 Destination, and 3.12.A RentalSubsidyType where the destination is a subsidised rental (435).
# Judgements: "own housing (rent supplement or market)" cannot say whether a supplement goes on, so it is
# claimed for none (410); social housing is a public housing unit (435 with 434); another program's
# housing is permanent housing for formerly homeless people (435 with 440); "with family or friends" is
# taken as temporary (312), the cautious reading; an unknown destination is "no exit interview
# completed" (30), HUD's answer when the person could not be asked.
RENTAL_NO_SUBSIDY, RENTAL_WITH_SUBSIDY = 410, 435
PUBLIC_HOUSING_UNIT, DEDICATED_PERMANENT_HOUSING = 434, 440
DESTINATION: dict[str, tuple[int, int | None]] = {
    D.OWN_HOUSING: (RENTAL_NO_SUBSIDY, None),
    D.SUBSIDISED: (RENTAL_WITH_SUBSIDY, PUBLIC_HOUSING_UNIT),
    D.FAMILY: (312, None),
    D.OTHER_PROGRAM: (RENTAL_WITH_SUBSIDY, DEDICATED_PERMANENT_HOUSING),
    D.INSTITUTION: (206, None),
    D.DETENTION: (207, None),
    D.SHELTER: (101, None),
    D.STREET: (116, None),
    D.DECEASED: (24, None),
    D.UNKNOWN: (30, None),
}


def destination(value: str) -> tuple[int, int | None]:
    return DESTINATION.get(value, (codes.NOT_COLLECTED, None))


def rows(scope) -> Iterator[dict[str, Any]]:
    # Where the person went is housing information: without it, the destination is written as not collected.
    housing_visible = participants_visible_for_category(scope.user, Category.HOUSING).filter(
        pk=OuterRef("participant_id")
    )
    exits = (
        Exit.objects.filter(enrollment__in=scope.enrollments().values("pk"), exited_on__lte=scope.end)
        .annotate(can_read=Exists(housing_visible))
        .order_by("pk")
        .values_list(
            "pk", "enrollment_id", "participant_id", "exited_on", "destination", "recorded_at", "can_read"
        )
    )
    for pk, enrollment_id, participant_id, exited_on, where, recorded_at, can_read in chunked(exits):
        code, subsidy = destination(where) if can_read else (codes.NOT_COLLECTED, None)
        yield {
            "ExitID": str(pk),
            "EnrollmentID": str(enrollment_id),
            "PersonalID": str(participant_id),
            "ExitDate": exited_on,
            "Destination": code,
            "DestinationSubsidyType": subsidy,
            **trailer(scope, recorded_at, recorded_at),
        }
