"""What a requester may export: the programs they may see, and in them the enrollments active in the period
of the participants they may see (role, organisation and consent: `people.selectors`).

Every query here is a queryset built once and read in chunks (`.iterator()`), never a list: an export of
100,000 people costs the same few queries as one of ten, and memory does not grow with it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from ancrage.casework.models import Enrollment
from ancrage.organisations.models import Organisation, Program
from ancrage.people.models import Participant
from ancrage.people.selectors import participants_visible_to


def programs_exportable(user) -> QuerySet[Program]:
    """The programs of the consortia the user works in (the choice offered on the form)."""
    if not user.is_authenticated or not user.has_ancrage_perm("interop.export_hmis"):
        return Program.objects.none()
    consortia = Organisation.objects.filter(pk__in=user.organisation_ids).values("consortium_id")
    return (
        Program.objects.filter(organisation__consortium_id__in=consortia)
        .select_related("organisation")
        .order_by("organisation__short_name", "name", "id")
    )


@dataclass(frozen=True)
class ExportScope:
    """One export's question: who asks, for which period and programs, hashed or not, and when."""

    user: Any
    start: datetime.date
    end: datetime.date
    program_ids: tuple[int, ...]
    hashed: bool
    at: datetime.datetime
    export_id: str
    extra: dict = field(default_factory=dict)

    def programs(self) -> QuerySet[Program]:
        return programs_exportable(self.user).filter(pk__in=self.program_ids)

    def enrollments(self) -> QuerySet[Enrollment]:
        """Enrollments of the chosen programs active at some point of the period (entered by its end, not
        exited before its start), of participants the user may see."""
        return Enrollment.objects.filter(
            program__in=self.programs().values("pk"),
            participant__in=participants_visible_to(self.user).values("pk"),
            enrolled_on__lte=self.end,
        ).filter(Q(exited_on__isnull=True) | Q(exited_on__gte=self.start))

    def participants(self) -> QuerySet[Participant]:
        """The people exported: visible, with at least one exported enrollment."""
        exported = self.enrollments().filter(participant_id=OuterRef("pk"))
        return participants_visible_to(self.user).filter(Exists(exported))
