"""Enrollment.csv: each enrollment of the chosen programs active in the period, with the move-in date of
its housing and the prior living situation (3.917) from the person's homelessness history."""

from __future__ import annotations

from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

from django.db.models import BooleanField, Case, F, OuterRef, Subquery, Value, When
from django.db.models.functions import Coalesce

from ancrage.access.codes import hmis_enrollment_3917
from ancrage.access.models import HomelessnessHistory
from ancrage.core.permissions import Category
from ancrage.housing.models import Tenancy
from ancrage.interop.hmis.export.files.common import chunked, trailer
from ancrage.people import codes
from ancrage.people.selectors import participants_visible_for_category

# HMIS 3.15.1 RelationshipToHoH: 1, self. Judgement: Ancrage enrolls the participant alone (household
# members are recorded on the file, not enrolled), so each enrollment is its own household.
SELF_HEAD_OF_HOUSEHOLD = 1
# HMIS 3.08 DisablingCondition (NoYesReasonsForMissingData): 99, the registry does not ask it as HUD does.
DISABLING_CONDITION_NOT_COLLECTED = codes.NOT_COLLECTED

_HISTORY_FIELDS = (
    "prior_living_situation",
    "prior_length_of_stay",
    "previous_street_or_shelter",
    "episode_started_on",
    "times_homeless_past_three_years",
    "months_homeless_past_three_years",
    "months_homeless_missing",
)


def _may_read(visible) -> Case:
    return Case(
        When(participant__in=visible, then=Value(True)), default=Value(False), output_field=BooleanField()
    )


def household_id(enrollment_pk: int) -> str:
    return f"H{enrollment_pk}"


def enrollments(scope):
    """The export's enrollments with their move-in date and prior living situation, in one query: each is a
    correlated subquery, so the cost does not grow with a query per row."""
    housing_visible = participants_visible_for_category(scope.user, Category.HOUSING).values("pk")
    access_visible = participants_visible_for_category(scope.user, Category.COORDINATED_ACCESS).values("pk")
    # MoveInDate (3.20.2): the first move-in into housing followed by this program, from the entry date to
    # the exit (or the end of the period); the lease start when the day of the move is not recorded. Only
    # where the requester may read the person's housing.
    moved_in = Coalesce(F("moved_in_on"), F("lease_start"))
    tenancies = Tenancy.objects.annotate(moved=moved_in).filter(
        participant_id=OuterRef("participant_id"),
        program_id=OuterRef("program_id"),
        moved__gte=OuterRef("enrolled_on"),
        moved__lte=scope.end,
    )
    first_move_in = tenancies.order_by("moved", "pk").values("moved")[:1]
    # 3.917: the person's latest homelessness history reported on or before the entry date, where the
    # requester may read coordinated-access information.
    history = HomelessnessHistory.objects.filter(
        participant_id=OuterRef("participant_id"),
        reported_on__lte=OuterRef("enrolled_on"),
    ).order_by("-reported_on", "-pk")
    annotations = {f"h_{name}": Subquery(history.values(name)[:1]) for name in _HISTORY_FIELDS}
    # Whether the requester may read each kind is decided in the outer query, where PostgreSQL hashes each
    # visible set once (inside the correlated subqueries it rebuilt them for every row: 16 s for 15,000
    # enrollments). What they may not read is fetched, then dropped by `rows`, never written.
    return (
        scope.enrollments()
        .annotate(
            move_in=Subquery(first_move_in),
            may_read_housing=_may_read(housing_visible),
            may_read_access=_may_read(access_visible),
            **annotations,
        )
        .order_by("pk")
    )


def history_columns(values: dict[str, Any]) -> dict[str, Any]:
    if not values["may_read_access"] or values["h_prior_living_situation"] is None:
        return {"LivingSituation": codes.NOT_COLLECTED}
    return hmis_enrollment_3917(SimpleNamespace(**{name: values[f"h_{name}"] for name in _HISTORY_FIELDS}))


def rows(scope) -> Iterator[dict[str, Any]]:
    fields = [
        "may_read_housing",
        "may_read_access",
        "pk",
        "participant_id",
        "program_id",
        "enrolled_on",
        "exited_on",
        "move_in",
        "created_at",
        "updated_at",
    ]
    fields += [f"h_{name}" for name in _HISTORY_FIELDS]
    for values in chunked(enrollments(scope).values(*fields)):
        move_in = values["move_in"] if values["may_read_housing"] else None
        exited = values["exited_on"]
        if move_in is not None and exited is not None and move_in > exited:
            move_in = None
        yield {
            "EnrollmentID": str(values["pk"]),
            "PersonalID": str(values["participant_id"]),
            "ProjectID": str(values["program_id"]),
            "EntryDate": values["enrolled_on"],
            "HouseholdID": household_id(values["pk"]),
            "RelationshipToHoH": SELF_HEAD_OF_HOUSEHOLD,
            **history_columns(values),
            "DisablingCondition": DISABLING_CONDITION_NOT_COLLECTED,
            "MoveInDate": move_in,
            **trailer(scope, values["created_at"], values["updated_at"]),
        }
