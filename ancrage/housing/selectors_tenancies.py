"""Reads of a participant's housing (C3, C4, C8), through role, organisation and consent (G1, G2): a reader
sees a tenancy only if they may read the participant's HOUSING information; never the landlord's other
tenants. A record the reader may not see is a 404, as for one that does not exist."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import BooleanField, Count, ExpressionWrapper, Prefetch, Q, QuerySet
from django.http import Http404

from ancrage.core import clock
from ancrage.core.audit import record_read
from ancrage.core.counting import computed_for_a_while
from ancrage.core.permissions import Category
from ancrage.housing.models import (
    TENANCY_LIST_ORDER,
    Eviction,
    HousingOption,
    HousingSearch,
    InspectionPhoto,
    TemporaryStay,
    Tenancy,
    UnitInspection,
    list_end,
)
from ancrage.people.selectors import (
    ParticipantAccess,
    participant_get_for_user,
    participants_visible_for_category,
    visible_for_category_condition,
    visible_ids_for_category,
)


def participant_for_housing(user, pk: int, *, log_read: bool = True) -> ParticipantAccess:
    """The participant if `user` may read their housing information (role and consent), else 404. The read
    is audited as housing.tenancy.viewed."""
    if not user.has_ancrage_perm("housing.view_tenancies"):
        raise Http404
    access = participant_get_for_user(user, pk, what="housing.tenancy.viewed", log_read=False)
    if not access.can(Category.HOUSING):
        raise Http404
    if log_read:
        record_read(
            actor=user,
            participant=access.participant,
            what="housing.tenancy.viewed",
            data={"categories": sorted(access.categories)},
        )
    return access


def participant_for_housing_write(user, pk: int) -> ParticipantAccess:
    """As above, for the housing team that writes (housing.manage_tenancies)."""
    if not user.has_ancrage_perm("housing.manage_tenancies"):
        raise Http404
    # A form page shows the file: its read is written (a write request writes its own entry instead).
    return participant_for_housing(user, pk)


def tenancies_visible(user, *, walk: bool = False) -> QuerySet[Tenancy]:
    """Every tenancy whose participant's housing the user may read: one query, no per-row work.

    `walk=True` for a page read in the order of an index that stops after its page (the list of tenancies):
    the same rows, the consent lookup probed for each tenancy's participant instead of the visible set
    read whole (see people.selectors `_home_or_consent`)."""
    if not user.is_authenticated or not user.has_ancrage_perm("housing.view_tenancies"):
        return Tenancy.objects.none()
    if walk:
        condition = visible_for_category_condition(user, Category.HOUSING, "participant__", walk=True)
        if condition is None:
            return Tenancy.objects.none()
        return Tenancy.objects.filter(condition, participant__merged_into__isnull=True)
    return Tenancy.objects.filter(participant__in=participants_visible_for_category(user, Category.HOUSING))


def _list_of(qs: QuerySet[Tenancy], show: str) -> QuerySet[Tenancy]:
    qs = qs.alias(list_end=list_end())
    return qs.filter(list_end__gte=clock.today()) if show == "current" else qs


def tenancy_list_for_user(user, *, show: str = "current", walk: bool = False) -> QuerySet[Tenancy]:
    """The list of tenancies as `user` may see it: `show="current"` the tenancies going on or ending from
    today, else every one. Those with an end date first, the soonest first, then those going on; the latest
    lease first; ties on the id. Two forms of the same rows in the same order (see `tenancy_list_page`):

    `walk=True`, for a reader who sees many: ordered on the index `tenancy_list`, which PostgreSQL walks
    and stops after the page ("current" is the index read from today on; no tenancy ends on 31 December
    9999: an end is recorded at most 90 days ahead), the consent lookup probed for each tenancy.

    Otherwise, for a reader who sees few: from the people they may see (`visible_ids_for_category`) to
    their tenancies, in an order no index holds even in part ("ended_on IS NULL" first), so PostgreSQL
    reads those few and sorts them instead of walking every tenancy of the community."""
    if not user.is_authenticated or not user.has_ancrage_perm("housing.view_tenancies"):
        return Tenancy.objects.none()
    if walk:
        return _list_of(tenancies_visible(user, walk=True), show).order_by(*TENANCY_LIST_ORDER)
    ids = visible_ids_for_category(user, Category.HOUSING)
    if ids is None:
        return Tenancy.objects.none()
    qs = Tenancy.objects.filter(participant_id__in=ids, participant__merged_into__isnull=True)
    going_on = ExpressionWrapper(Q(ended_on__isnull=True), output_field=BooleanField())
    return _list_of(qs, show).order_by(going_on.asc(), "ended_on", "-lease_start", "-id")


# How many of the list's first tenancies are looked at to tell whether the reader sees enough of them to walk
# (one in 200: a page is then found within some 5,000 tenancies, a few milliseconds).
WALK_SAMPLE = 200


def tenancy_list_page(user, *, show: str = "current") -> QuerySet[Tenancy]:
    """The list of tenancies for a page of it: the same rows in the same order as `tenancy_list_for_user`,
    in the form that reads least (issue 16).

    A reader who sees a fair share of the tenancies gets the walk: a page reads its rows and a few others.
    Walked by a reader who sees almost none, the index would be read to its end (every tenancy of the
    community: 230 ms at 100,000 people for a team that sees none). So the list's first WALK_SAMPLE
    tenancies are looked at (one EXISTS over at most that many rows: 0.1 to 1.2 ms at 100,000 people; its
    answer kept LIST_COUNT_SECONDS for the reader, the list and the day): when none of them is the reader's,
    their few are read from the people they may see. The answer only chooses the form: the rows are the
    same."""
    walked = tenancy_list_for_user(user, show=show, walk=True)

    def sees_some() -> bool:
        first = _list_of(Tenancy.objects.all(), show).order_by(*TENANCY_LIST_ORDER).values("pk")[:WALK_SAMPLE]
        return walked.filter(pk__in=first).exists()

    key = ("tenancy-list-walks", user.pk, show == "current", clock.today().isoformat())
    if computed_for_a_while(key, sees_some, seconds=settings.ANCRAGE["LIST_COUNT_SECONDS"]):
        return walked
    return tenancy_list_for_user(user, show=show)


def tenancy_get_for_user(user, pk: int) -> Tenancy:
    tenancy = (
        tenancies_visible(user)
        .select_related("participant", "unit", "unit__area", "landlord", "program", "previous", "search")
        .filter(pk=pk)
        .first()
    )
    if tenancy is None:
        raise Http404
    participant_get_for_user(user, tenancy.participant_id, what="housing.tenancy.viewed", obj=tenancy)
    return tenancy


def searches_visible(user) -> QuerySet[HousingSearch]:
    if not user.is_authenticated or not user.has_ancrage_perm("housing.view_tenancies"):
        return HousingSearch.objects.none()
    return HousingSearch.objects.filter(
        participant__in=participants_visible_for_category(user, Category.HOUSING)
    )


def search_get_for_user(user, pk: int) -> HousingSearch:
    search = searches_visible(user).select_related("participant", "specialist").filter(pk=pk).first()
    if search is None:
        raise Http404
    participant_get_for_user(user, search.participant_id, what="housing.tenancy.viewed", obj=search)
    return search


def option_get_for_user(user, pk: int) -> HousingOption:
    option = (
        HousingOption.objects.filter(search__in=searches_visible(user))
        .select_related("search", "search__participant", "unit")
        .filter(pk=pk)
        .first()
    )
    if option is None:
        raise Http404
    return option


def options_of(search: HousingSearch) -> list[HousingOption]:
    return list(
        HousingOption.objects.filter(search=search)
        .select_related("unit", "unit__area", "unit__building", "offered_by")
        .order_by("rank", "offered_on", "id")
    )


def inspections_visible(user) -> QuerySet[UnitInspection]:
    """Inspections of a tenancy the user may see; those of an empty unit, for the housing team."""
    if not user.is_authenticated or not user.has_ancrage_perm("housing.view_tenancies"):
        return UnitInspection.objects.none()
    of_tenancies = Q(tenancy__in=tenancies_visible(user))
    if user.has_ancrage_perm("housing.manage_tenancies"):
        return UnitInspection.objects.filter(of_tenancies | Q(tenancy__isnull=True))
    return UnitInspection.objects.filter(of_tenancies)


def inspection_get_for_user(user, pk: int) -> UnitInspection:
    inspection = (
        inspections_visible(user)
        .select_related("unit", "tenancy", "tenancy__participant", "recorded_by")
        .filter(pk=pk)
        .first()
    )
    if inspection is None:
        raise Http404
    tenancy = inspection.tenancy
    if tenancy is not None:
        participant_get_for_user(user, tenancy.participant_id, what="housing.tenancy.viewed", obj=inspection)
    return inspection


def photo_get_for_user(user, pk: int) -> InspectionPhoto:
    """A photo, through its inspection's check; the read is audited as housing.photo.viewed."""
    photo = (
        InspectionPhoto.objects.filter(inspection__in=inspections_visible(user))
        .select_related("inspection", "inspection__tenancy")
        .filter(pk=pk)
        .first()
    )
    if photo is None:
        raise Http404
    tenancy = photo.inspection.tenancy
    if tenancy is not None:
        participant_get_for_user(user, tenancy.participant_id, what="housing.photo.viewed", obj=photo)
    return photo


def stay_get_for_user(user, pk: int) -> TemporaryStay:
    stay = (
        TemporaryStay.objects.filter(
            participant__in=participants_visible_for_category(user, Category.HOUSING)
        )
        .select_related("participant", "eviction", "expense", "expense__line")
        .filter(pk=pk)
        .first()
    )
    if stay is None or not user.has_ancrage_perm("housing.view_tenancies"):
        raise Http404
    participant_get_for_user(user, stay.participant_id, what="housing.tenancy.viewed", obj=stay)
    return stay


def eviction_get_for_user(user, pk: int) -> Eviction:
    eviction = (
        Eviction.objects.filter(tenancy__in=tenancies_visible(user))
        .select_related("tenancy", "tenancy__participant", "tenancy__unit")
        .filter(pk=pk)
        .first()
    )
    if eviction is None:
        raise Http404
    participant_get_for_user(
        user, eviction.tenancy.participant_id, what="housing.tenancy.viewed", obj=eviction
    )
    return eviction


@dataclass(frozen=True)
class ParticipantHousing:
    """What a participant's housing page and section show."""

    current: Tenancy | None
    tenancies: list[Tenancy]
    open_search: HousingSearch | None
    options: list[HousingOption]
    stays: list[TemporaryStay]


def housing_of(participant) -> ParticipantHousing:
    """A participant's tenancies (newest first), their search under way and its options, their stays.
    A constant number of queries."""
    today = clock.today()
    tenancies = list(
        Tenancy.objects.filter(participant=participant)
        .select_related("unit", "unit__area", "landlord")
        .prefetch_related(Prefetch("eviction", queryset=Eviction.objects.all()))
        .order_by("-lease_start", "-id")
    )
    current = next(
        (t for t in tenancies if t.is_active_on(today) or (t.lease_start > today and t.ended_on is None)),
        None,
    )
    open_search = (
        HousingSearch.objects.filter(participant=participant, ended_on__isnull=True)
        .select_related("specialist", "after_tenancy")
        .first()
    )
    options = options_of(open_search) if open_search else []
    stays = list(TemporaryStay.objects.filter(participant=participant).select_related("expense"))
    return ParticipantHousing(current, tenancies, open_search, options, stays)


# --- the housing team's day (home page) ----------------------------------------------------------------------


def viewings_between(user, start: datetime.datetime, end: datetime.datetime) -> list[HousingOption]:
    """Viewings planned in [start, end) for searches the user leads (or any they may see, for the team)."""
    return list(
        HousingOption.objects.filter(
            search__in=searches_visible(user), viewing_at__gte=start, viewing_at__lt=end
        )
        .filter(viewed_on__isnull=True, declined_on__isnull=True, search__ended_on__isnull=True)
        .select_related("unit", "search__participant")
        .order_by("viewing_at", "id")[:20]
    )


def move_ins_between(user, start: datetime.date, end: datetime.date) -> list[Tenancy]:
    """Tenancies whose move-in (or lease start, without one) falls in [start, end]."""
    return list(
        tenancies_visible(user)
        .filter(
            Q(moved_in_on__gte=start, moved_in_on__lte=end)
            | Q(moved_in_on__isnull=True, lease_start__gte=start, lease_start__lte=end)
        )
        .select_related("participant", "unit")
        .order_by("lease_start", "id")[:20]
    )


# --- fidelity (C3, read by the outcomes of issue 15) ----------------------------------------------------------


@dataclass(frozen=True)
class ChoiceFigure:
    participant_id: int
    options_offered: int
    chosen: bool


def choice_figures(program=None, *, start: datetime.date, end: datetime.date) -> list[ChoiceFigure]:
    """For each participant whose lease started in [start, end] (in `program`, if given): how many units they
    were offered in the search that led to it, and whether they chose their unit. Their first lease of the
    period counts. Names nobody: ids only, for figures."""
    qs = Tenancy.objects.filter(lease_start__gte=start, lease_start__lte=end)
    if program is not None:
        qs = qs.filter(program=program)
    rows = (
        qs.annotate(offered=Count("search__options", distinct=True))
        .values_list("participant_id", "offered", "chosen_by_participant", "lease_start", "id")
        .order_by("participant_id", "lease_start", "id")
    )
    figures: dict[int, ChoiceFigure] = {}
    for participant_id, offered, chosen, _start, _pk in rows:
        if participant_id not in figures:
            figures[participant_id] = ChoiceFigure(participant_id, int(offered or 0), bool(chosen))
    return list(figures.values())
