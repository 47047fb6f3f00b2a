"""Reads of the landlords' book: who sees which landlords, the book with its figures, who is due for a
check-in, open complaints, and the units available or soon available. Every list is a constant number of
queries whatever its length."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Count, Exists, IntegerField, Max, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404

from ancrage.core import clock
from ancrage.core.permissions import Category
from ancrage.housing.models import Building, Complaint, Landlord, LandlordContact, Tenancy, Unit


def _consortium_orgs(user) -> QuerySet:
    from ancrage.organisations.models import Organisation

    consortia = Organisation.objects.filter(pk__in=list(user.organisation_ids)).values("consortium_id")
    return Organisation.objects.filter(consortium_id__in=consortia).values("pk")


def landlords_visible_to(user) -> QuerySet[Landlord]:
    """The landlords of the housing teams of the user's consortium (a landlord is not a participant's record:
    every role that reads the book sees the shared book); none without housing.view_landlords."""
    if not user.is_authenticated or not user.has_ancrage_perm("housing.view_landlords"):
        return Landlord.objects.none()
    return Landlord.objects.filter(organisation_id__in=_consortium_orgs(user))


def landlord_get(user, pk: Any, *, manage: bool = False) -> Landlord:
    """One landlord the user sees (404 otherwise); `manage`: one kept by one of the user's teams."""
    qs = landlords_visible_to(user).select_related("organisation", "program_contact")
    if manage:
        qs = qs.filter(organisation_id__in=list(user.organisation_ids))
    try:
        return qs.get(pk=int(pk))
    except (Landlord.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def _last_contact() -> Subquery:
    return Subquery(
        LandlordContact.objects.filter(landlord=OuterRef("pk"))
        .values("landlord")
        .annotate(last=Max("contacted_on"))
        .values("last")[:1]
    )


def _count(model, **filters) -> Coalesce:
    rows = model.objects.filter(**filters).values("landlord")
    return Coalesce(
        Subquery(rows.annotate(n=Count("pk")).values("n")[:1], output_field=IntegerField()), Value(0)
    )


def with_figures(qs: QuerySet[Landlord], *, tenancies: bool = True) -> QuerySet[Landlord]:
    """Each landlord with its last contact, open complaints, buildings, units and (unless `tenancies` is
    False) tenancies going on. The pages that do not show the tenancies leave them out: counted for each
    landlord of a page, they read every tenancy of a large landlord (98,000 of them at 100,000 people)."""
    figures = (
        {"tenancy_count": _count(Tenancy, landlord=OuterRef("pk"), ended_on__isnull=True)}
        if tenancies
        else {}
    )
    return qs.annotate(
        last_contact=_last_contact(),
        open_complaints=_count(Complaint, landlord=OuterRef("pk"), resolved_at__isnull=True),
        building_count=_count(Building, landlord=OuterRef("pk")),
        unit_count=Coalesce(
            Subquery(
                Unit.objects.filter(building__landlord=OuterRef("pk"))
                .values("building__landlord")
                .annotate(n=Count("pk"))
                .values("n")[:1],
                output_field=IntegerField(),
            ),
            Value(0),
        ),
        **figures,
    )


def checkin_due_q(on: datetime.date, cadences: list[int]) -> Q:
    """Landlords due for a friendly check-in on `on`: no contact ever, or the last contact (of any purpose)
    at least the cadence ago (the landlord's own, else LANDLORD_CHECKIN_DAYS). Needs `last_contact`."""
    default = settings.ANCRAGE["LANDLORD_CHECKIN_DAYS"]
    q = Q(last_contact__isnull=True) | Q(
        checkin_every_days__isnull=True, last_contact__lte=on - datetime.timedelta(days=default)
    )
    for days in cadences:
        q |= Q(checkin_every_days=days, last_contact__lte=on - datetime.timedelta(days=days))
    return q


def checkins_due(
    qs: QuerySet[Landlord], on: datetime.date | None = None, *, tenancies: bool = True
) -> QuerySet[Landlord]:
    """The active landlords of `qs` due for a check-in on `on` (today), with their figures (`with_figures`)."""
    on = on or clock.today()
    qs = with_figures(qs.filter(is_active=True), tenancies=tenancies)
    cadences = sorted(
        {
            d
            for d in qs.exclude(checkin_every_days__isnull=True).values_list("checkin_every_days", flat=True)
            if d
        }
    )
    return qs.filter(checkin_due_q(on, cadences))


def due_on(landlord: Landlord) -> datetime.date | None:
    """When the next check-in is due (None: never contacted, due now). Needs `last_contact`."""
    from ancrage.housing.book.services import checkin_days

    last = getattr(landlord, "last_contact", None)
    return last + datetime.timedelta(days=checkin_days(landlord)) if last else None


def landlord_book(
    user,
    *,
    query: str = "",
    kind: str = "",
    contact_id: int | None = None,
    overdue: bool = False,
    open_complaints: bool = False,
    include_retired: bool = False,
    tenancies: bool = True,
) -> QuerySet[Landlord]:
    """The book as the user sees it, searched by name, address or area, and filtered; `tenancies=False`
    leaves out the count of tenancies going on (see `with_figures`)."""
    qs = landlords_visible_to(user)
    if not include_retired:
        qs = qs.filter(is_active=True)
    for term in query.split():
        buildings = Building.objects.filter(landlord=OuterRef("pk")).filter(
            Q(address__icontains=term)
            | Q(name__icontains=term)
            | Q(area__name_fr__icontains=term)
            | Q(area__name_en__icontains=term)
            | Q(area__parent__name_fr__icontains=term)
        )
        qs = qs.filter(Q(name__icontains=term) | Q(address__icontains=term) | Exists(buildings))
    if kind:
        qs = qs.filter(kind=kind)
    if contact_id:
        qs = qs.filter(program_contact_id=contact_id)
    qs = checkins_due(qs, tenancies=tenancies) if overdue else with_figures(qs, tenancies=tenancies)
    if open_complaints:
        qs = qs.filter(open_complaints__gt=0)  # type: ignore[misc]
    return qs.select_related("program_contact").order_by("name", "pk")


def checkins_due_for(user, limit: int = 8) -> tuple[list[Any], int]:
    """The home card of the housing team: landlords due for a check-in, the user's own first."""
    mine = list(user.organisation_ids)
    qs = checkins_due(landlords_visible_to(user).filter(organisation_id__in=mine), tenancies=False)
    total = qs.count()
    rows = list(
        qs.select_related("program_contact")
        .annotate(is_mine=Count("pk", filter=Q(program_contact_id=user.pk)))
        .order_by("-is_mine", Coalesce("last_contact", Value(datetime.date(1900, 1, 1))), "name", "pk")[
            :limit
        ]
    )
    for row in rows:
        row.due_on = due_on(row)  # type: ignore[attr-defined]
    return rows, total


def tenancies_readable(user) -> QuerySet[Tenancy]:
    """Tenancies of the participants whose housing information the user may read today."""
    from ancrage.people.selectors import participants_visible_for_category

    if not user.has_ancrage_perm("housing.view_tenancies"):
        return Tenancy.objects.none()
    return Tenancy.objects.filter(participant__in=participants_visible_for_category(user, Category.HOUSING))


def duration_words(delay: datetime.timedelta | None) -> str:
    """A delay in words: minutes under an hour, hours under two days, else days."""
    from django.utils.translation import ngettext

    if delay is None:
        return ""
    minutes = max(int(delay.total_seconds() // 60), 0)
    if minutes < 60:
        return ngettext("%(n)s minute", "%(n)s minutes", minutes) % {"n": minutes}
    if minutes < 48 * 60:
        hours = minutes // 60
        return ngettext("%(n)s hour", "%(n)s hours", hours) % {"n": hours}
    days = minutes // (24 * 60)
    return ngettext("%(n)s day", "%(n)s days", days) % {"n": days}


def complaints_for(user, qs: Any) -> list[Complaint]:
    """Complaints with, for each, the tenant's name when the user may read the tenancy (recorded as a read),
    else none: a landlord's other tenants are never named to a reader without housing consent."""
    from ancrage.core.audit import record_reads

    rows = list(qs.select_related("landlord", "unit", "tenancy__participant", "recorded_by"))
    ids = {c.tenancy.participant_id for c in rows if c.tenancy is not None}
    readable = (
        set(tenancies_readable(user).filter(participant_id__in=ids).values_list("participant_id", flat=True))
        if ids
        else set()
    )
    for c in rows:
        c.response_words = duration_words(c.time_to_first_response)  # type: ignore[attr-defined]
        c.resolution_words = duration_words(c.time_to_resolution)  # type: ignore[attr-defined]
        c.tenant = (  # type: ignore[attr-defined]
            c.tenancy.participant if c.tenancy is not None and c.tenancy.participant_id in readable else None
        )
    shown = [c.tenancy.participant_id for c in rows if c.tenancy is not None and c.tenant is not None]  # type: ignore[attr-defined]
    record_reads(actor=user, reads=[(pk, "housing.complaint.viewed") for pk in shown])
    return rows


def complaints_visible_to(user) -> QuerySet[Complaint]:
    return Complaint.objects.filter(landlord__in=landlords_visible_to(user))


def complaint_get(user, pk: Any, *, manage: bool = False) -> Complaint:
    qs = complaints_visible_to(user)
    if manage:
        qs = qs.filter(landlord__organisation_id__in=list(user.organisation_ids))
    try:
        return qs.select_related("landlord", "tenancy", "unit").get(pk=int(pk))
    except (Complaint.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


@dataclass(frozen=True)
class AvailabilityFilters:
    area_id: int | None = None
    bedrooms: int | None = None
    max_rent: Any = None
    feature: str = ""
    kind: str = ""
    soon_days: int = 60


def units_filtered(filters: AvailabilityFilters) -> QuerySet[Unit]:
    """Every unit, whatever its status, filtered as the availability list is."""
    qs = Unit.objects.all()
    if filters.area_id:
        qs = qs.filter(Q(area_id=filters.area_id) | Q(area__parent_id=filters.area_id))
    if filters.bedrooms is not None:
        qs = qs.filter(bedrooms__gte=filters.bedrooms)
    if filters.max_rent is not None:
        qs = qs.filter(monthly_rent__lte=filters.max_rent)
    if filters.feature:
        # Features are a JSON list of codes: matched as the quoted code in its text (SQLite and PostgreSQL).
        qs = qs.filter(features__icontains=f'"{filters.feature}"')
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    return qs.select_related(
        "area", "area__parent", "building", "building__landlord", "organisation"
    ).order_by("address", "pk")


def availability(filters: AvailabilityFilters, on: datetime.date | None = None) -> QuerySet[Unit]:
    """Units available now or soon (available from within `soon_days`), not past their last day, soonest
    first; a borough covers its neighbourhoods."""
    on = on or clock.today()
    return (
        units_filtered(filters)
        .filter(status=Unit.Status.AVAILABLE)
        .filter(available_from__lte=on + datetime.timedelta(days=filters.soon_days))
        .filter(Q(available_until__isnull=True) | Q(available_until__gte=on))
        .exclude(condition=Unit.Condition.UNINHABITABLE)
        .order_by("available_from", "monthly_rent", "pk")
    )
