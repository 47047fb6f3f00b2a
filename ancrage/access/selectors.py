"""Reads of the by-name list, its matches and its monthly flow, limited to what the asking user may see (G1, G2)."""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from django.http import Http404

from ancrage.access.models import MATCH_IN_PROGRESS, ByNameEntry, ByNameStatus, ByNameStatusChange, Match
from ancrage.core import clock
from ancrage.core.audit import record_read
from ancrage.core.permissions import Category
from ancrage.people.selectors import participants_visible_for_category


def _visible_entries(user) -> QuerySet[ByNameEntry]:
    """Entries of participants whose coordinated-access information the user may read (G1, G2)."""
    if not user.is_authenticated or not user.has_ancrage_perm("access.view_by_name_list"):
        return ByNameEntry.objects.none()
    visible = participants_visible_for_category(user, Category.COORDINATED_ACCESS)
    return ByNameEntry.objects.filter(participant__in=visible.values("pk"))


SORTS: dict[str, list] = {
    # People without a rank (not active, or no policy in force) come after everyone ranked.
    "rank": [F("priority_rank").asc(nulls_last=True)],
    "name": ["participant__legal_last_name", "participant__legal_first_name"],
    "entered_on": ["entered_on"],
    "-entered_on": ["-entered_on"],
    "last_contact_on": ["last_contact_on"],
    "-last_contact_on": ["-last_contact_on"],
    "status": ["status"],
    "reference_worker": ["reference_worker__last_name", "reference_worker__first_name"],
    "days_homeless": ["-homeless_days_past_three_years"],
    "chronic": ["-is_chronic"],
}


def by_name_list_for_user(
    user,
    *,
    status: str | None = None,
    reference_worker_id: int | None = None,
    chronic: bool | None = None,
    organisation_id: int | None = None,
    sort: str = "entered_on",
) -> QuerySet[ByNameEntry]:
    """The by-name list as `user` may see it, filtered and sorted; one query however long the list.

    `organisation_id` filters on the participant's home organisation; an unknown `sort` falls back to
    the date of entry. Ties always break on the entry's id, so pages are stable.
    """
    qs = _visible_entries(user).select_related("participant", "participant__organisation", "reference_worker")
    if status:
        qs = qs.filter(status=status)
    if reference_worker_id:
        qs = qs.filter(reference_worker_id=reference_worker_id)
    if chronic is not None:
        qs = qs.filter(is_chronic=chronic)
    if organisation_id:
        qs = qs.filter(participant__organisation_id=organisation_id)
    return qs.order_by(*SORTS.get(sort, SORTS["entered_on"]), "id")


def matches_for_user(user) -> QuerySet[Match]:
    """Matches of people the user may see on the by-name list; anyone else's match is not there (404)."""
    entries = by_name_list_for_user(user).order_by().values("pk")
    return Match.objects.filter(entry__in=entries).select_related(
        "participant", "policy", "opening", "opening__program", "opening__unit"
    )


def stalled_matches_for_user(user) -> QuerySet[Match]:
    """Matches in progress with no step for MATCH_STALL_DAYS, about people `user` may see (home page)."""
    cutoff = clock.now() - datetime.timedelta(days=settings.ANCRAGE["MATCH_STALL_DAYS"])
    return (
        matches_for_user(user)
        .filter(status__in=MATCH_IN_PROGRESS, last_step_at__lt=cutoff)
        .order_by("last_step_at", "pk")
    )


@dataclass(frozen=True)
class MonthlyFlow:
    first_day: datetime.date
    last_day: datetime.date
    new: int
    returned_from_housing: int
    returned_from_inactive: int
    housed: int
    moved_away: int
    inactive: int
    institution: int
    deceased: int
    actively_homeless: int

    @property
    def inflow(self) -> int:
        return self.new + self.returned_from_housing + self.returned_from_inactive

    @property
    def outflow(self) -> int:
        return self.housed + self.moved_away + self.inactive + self.institution + self.deceased


_OFF_LIST_NOT_HOUSED = [
    ByNameStatus.INACTIVE,
    ByNameStatus.MOVED_AWAY,
    ByNameStatus.INSTITUTION,
    ByNameStatus.DECEASED,
]


def monthly_flow(user, year: int, month: int) -> MonthlyFlow:
    """Inflow, outflow and people actively homeless for one month, over the entries `user` may see.

    Every figure is counted from ByNameStatusChange rows dated (`on`) within the month, one per change,
    so a person who leaves and comes back in the same month counts once in each direction:

    - new: a person entering the list (the row with no previous status);
    - returned from housing: a change from housed back to active;
    - returned from inactive: a change back to active from inactive, moved away or in an institution
      (anyone who had left the list for another reason than housing);
    - outflow: a change from active to housed, moved away, inactive, in an institution (its own figure,
      so the sum is complete) or deceased. A change between two statuses off the list (say inactive to
      housed) moves nobody in or out, since the person had already left the active count;
    - actively homeless: people whose latest change on or before the month's last day is to active.
    """
    first = datetime.date(year, month, 1)
    last = datetime.date(year, month, calendar.monthrange(year, month)[1])
    entries = _visible_entries(user)
    active = ByNameStatus.ACTIVE
    figures = ByNameStatusChange.objects.filter(
        entry__in=entries.values("pk"), on__range=(first, last)
    ).aggregate(
        new=Count("pk", filter=Q(from_status="", to_status=active)),
        returned_from_housing=Count("pk", filter=Q(from_status=ByNameStatus.HOUSED, to_status=active)),
        returned_from_inactive=Count("pk", filter=Q(from_status__in=_OFF_LIST_NOT_HOUSED, to_status=active)),
        housed=Count("pk", filter=Q(from_status=active, to_status=ByNameStatus.HOUSED)),
        moved_away=Count("pk", filter=Q(from_status=active, to_status=ByNameStatus.MOVED_AWAY)),
        inactive=Count("pk", filter=Q(from_status=active, to_status=ByNameStatus.INACTIVE)),
        institution=Count("pk", filter=Q(from_status=active, to_status=ByNameStatus.INSTITUTION)),
        deceased=Count("pk", filter=Q(from_status=active, to_status=ByNameStatus.DECEASED)),
    )
    status_at_end = Subquery(
        ByNameStatusChange.objects.filter(entry=OuterRef("pk"), on__lte=last)
        .order_by("-on", "-id")
        .values("to_status")[:1]
    )
    actively_homeless = entries.annotate(status_at_end=status_at_end).filter(status_at_end=active).count()
    return MonthlyFlow(first_day=first, last_day=last, actively_homeless=actively_homeless, **figures)


def by_name_entry_get_for_user(
    user, participant_pk: int, *, what: str = "access.by_name_entry.viewed"
) -> ByNameEntry:
    """The by-name entry of participant `participant_pk` if `user` may see it on the list, else 404; the read
    is written to the audit trail as `what` (G2), once per request and only if the answer shows it."""
    try:
        entry = by_name_list_for_user(user).filter(participant_id=participant_pk).first()
    except (ValueError, TypeError):
        entry = None
    if entry is None:
        raise Http404
    record_read(actor=user, participant=entry.participant, what=what, obj=entry)
    return entry


def record_intake_read(user, intake) -> None:
    """An intake shows the person's coordinated-access information: its read is written (G2)."""
    record_read(actor=user, participant=intake.participant, what="access.intake.viewed", obj=intake)


def record_referral_read(user, referral) -> None:
    """A referral tied to a file shows that person's coordinated-access information: its read is written
    (G2). One with no file yet names someone the registry does not hold: there is no file to account to."""
    if referral.participant_id is not None:
        record_read(actor=user, participant=referral.participant, what="access.referral.viewed", obj=referral)
