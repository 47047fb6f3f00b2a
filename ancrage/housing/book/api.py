"""API (v1) of the landlords' book (C1, C2): landlords, their contacts and buildings, units with the
availability filters, complaints. The same permissions and selectors as the pages; a tenant is never named."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from ancrage.core.api_types import (
    Date,
    DateTime,
    Id,
    MappedPage,
    Pagination,
    Text,
    errors,
    search_query,
    text_field,
)
from ancrage.core.permissions import check_permission
from ancrage.housing.book import selectors, services
from ancrage.housing.models import (
    Area,
    Building,
    Complaint,
    Landlord,
    LandlordContact,
    Unit,
)

router = Router(tags=["housing"])


class LandlordOut(Schema):
    id: int
    name: str
    kind: str
    kind_label: str
    phone: str
    email: str
    preferred_channel: str
    language: str
    program_contact_id: int | None
    checkin_every_days: int | None
    is_active: bool
    last_contact: datetime.date | None = None
    checkin_due: bool = False
    open_complaints: int = 0
    building_count: int = 0
    unit_count: int = 0
    tenancy_count: int = 0

    @staticmethod
    def of(landlord: Landlord) -> LandlordOut:
        due = selectors.due_on(landlord)
        from ancrage.core import clock

        return LandlordOut(
            id=landlord.pk,
            name=landlord.name,
            kind=landlord.kind,
            kind_label=str(landlord.get_kind_display()),
            phone=landlord.phone,
            email=landlord.email,
            preferred_channel=landlord.preferred_channel,
            language=landlord.language,
            program_contact_id=landlord.program_contact_id,
            checkin_every_days=landlord.checkin_every_days,
            is_active=landlord.is_active,
            last_contact=getattr(landlord, "last_contact", None),
            checkin_due=landlord.is_active and (due is None or due <= clock.today()),
            open_complaints=getattr(landlord, "open_complaints", 0),
            building_count=getattr(landlord, "building_count", 0),
            unit_count=getattr(landlord, "unit_count", 0),
            tenancy_count=getattr(landlord, "tenancy_count", 0),
        )


class LandlordIn(Schema):
    name: Text = text_field(Landlord, "name")
    kind: Text = text_field(Landlord, "kind", description="person, company, non_profit or public")
    phone: Text = text_field(Landlord, "phone", "")
    email: Text = text_field(Landlord, "email", "")
    address: Text = text_field(Landlord, "address", "")
    preferred_channel: Text = text_field(Landlord, "preferred_channel", "phone")
    language: Text = text_field(Landlord, "language", "fr")
    program_contact_id: Id | None = None
    checkin_every_days: int | None = Field(None, ge=0, le=32767)
    notes: Text = text_field(Landlord, "notes", "")


class LandlordContactOut(Schema):
    id: int
    landlord_id: int
    contacted_on: datetime.date
    channel: str
    purpose: str
    summary: str
    recorded_by_id: int


class LandlordContactIn(Schema):
    contacted_on: Date
    channel: Text = text_field(LandlordContact, "channel")
    purpose: Text = text_field(
        LandlordContact, "purpose", description="check_in, complaint, negotiation, thanks or other"
    )
    summary: Text = text_field(LandlordContact, "summary")


class BuildingOut(Schema):
    id: int
    landlord_id: int
    name: str
    address: str
    area_id: int | None
    is_active: bool


class BuildingIn(Schema):
    name: Text = text_field(Building, "name", "")
    address: Text = text_field(Building, "address")
    area_id: Id
    notes: Text = text_field(Building, "notes", "")


class UnitOut(Schema):
    id: int
    address: str
    unit_number: str
    area_id: int | None
    area: str
    building_id: int | None
    landlord_id: int | None
    kind: str
    bedrooms: int
    monthly_rent: Decimal
    features: list[str]
    utilities: list[str]
    smoking_allowed: bool
    condition: str
    status: str
    available_from: datetime.date
    available_until: datetime.date | None

    @staticmethod
    def of(u: Unit) -> UnitOut:
        return UnitOut(
            id=u.pk,
            address=u.address,
            unit_number=u.unit_number,
            area_id=u.area_id,
            area=u.place,
            building_id=u.building_id,
            landlord_id=u.building.landlord_id if u.building is not None else None,
            kind=u.kind,
            bedrooms=u.bedrooms,
            monthly_rent=u.monthly_rent,
            features=list(u.features or []),
            utilities=list(u.utilities or []),
            smoking_allowed=u.smoking_allowed,
            condition=u.condition,
            status=u.status,
            available_from=u.available_from,
            available_until=u.available_until,
        )


class ComplaintOut(Schema):
    id: int
    landlord_id: int
    unit_id: int | None
    tenancy_id: int | None = Field(None, description="Only when the caller may read the tenancy.")
    about_a_tenancy: bool
    kind: str
    subject: str
    details: str
    received_at: datetime.datetime
    first_response_at: datetime.datetime | None
    resolved_at: datetime.datetime | None
    resolution: str
    hours_to_first_response: float | None
    hours_to_resolution: float | None

    @staticmethod
    def of(c: Complaint) -> ComplaintOut:
        def hours(delay):
            return round(delay.total_seconds() / 3600, 1) if delay is not None else None

        return ComplaintOut(
            id=c.pk,
            landlord_id=c.landlord_id,
            unit_id=c.unit_id,
            tenancy_id=c.tenancy_id if getattr(c, "tenant", None) is not None else None,
            about_a_tenancy=c.tenancy_id is not None,
            kind=c.kind,
            subject=c.subject,
            details=c.details,
            received_at=c.received_at,
            first_response_at=c.first_response_at,
            resolved_at=c.resolved_at,
            resolution=c.resolution,
            hours_to_first_response=hours(c.time_to_first_response),
            hours_to_resolution=hours(c.time_to_resolution),
        )


class ComplaintIn(Schema):
    kind: Text = text_field(Complaint, "kind", "complaint", description="complaint, notice or tal")
    subject: Text = text_field(Complaint, "subject")
    received_at: DateTime
    details: Text = text_field(Complaint, "details", "")
    tenancy_id: Id | None = None
    unit_id: Id | None = None
    first_response_at: DateTime | None = None


class ResolveIn(Schema):
    resolution: Text = text_field(Complaint, "resolution")
    resolved_at: DateTime | None = None


@router.get(
    "landlords", response={200: list[LandlordOut], **errors(401, 403, 422)}, summary="The landlords' book"
)
@paginate(Pagination, page_size=25)
def list_landlords(
    request, q: str = search_query(), kind: str = "", overdue: bool = False, open_complaints: bool = False
):
    check_permission(request.user, "housing.view_landlords")
    qs = selectors.landlord_book(
        request.user, query=q, kind=kind[:20], overdue=overdue, open_complaints=open_complaints
    )
    return MappedPage(qs, LandlordOut.of)


def _landlord(request, pk: int, *, manage: bool = False) -> Landlord:
    check_permission(request.user, "housing.manage_landlords" if manage else "housing.view_landlords")
    return selectors.landlord_get(request.user, pk, manage=manage)


@router.get("landlords/{landlord_pk}", response={200: LandlordOut, **errors()}, summary="A landlord")
def get_landlord(request, landlord_pk: int):
    landlord = _landlord(request, landlord_pk)
    return LandlordOut.of(selectors.with_figures(Landlord.objects.filter(pk=landlord.pk)).get())


def _program_contact(request, pk: int | None):
    if pk is None:
        return None
    from ancrage.accounts.models import User

    user = User.objects.filter(pk=pk, is_active=True).first()
    if user is None:
        raise ValidationError(
            {
                "program_contact_id": [
                    _("The program contact is a member of the housing team that keeps the book.")
                ]
            }
        )
    return user


@router.post("landlords", response={201: LandlordOut, **errors()}, summary="Add a landlord to the book")
def create_landlord(request, payload: LandlordIn):
    from ancrage.organisations.models import Organisation

    check_permission(request.user, "housing.manage_landlords")
    organisation = (
        Organisation.objects.filter(pk__in=list(request.user.organisation_ids)).order_by("name").first()
    )
    values = payload.dict()
    values["program_contact"] = _program_contact(request, values.pop("program_contact_id"))
    landlord = services.landlord_create(actor=request.user, organisation=organisation, **values)  # type: ignore[arg-type]
    return Status(201, LandlordOut.of(landlord))


@router.post(
    "landlords/{landlord_pk}/contacts",
    response={201: LandlordContactOut, **errors()},
    summary="Log a contact with a landlord",
)
def log_landlord_contact(request, landlord_pk: int, payload: LandlordContactIn):
    landlord = _landlord(request, landlord_pk, manage=True)
    contact = services.contact_log(actor=request.user, landlord=landlord, **payload.dict())
    return Status(201, LandlordContactOut.from_orm(contact))


@router.get(
    "landlords/{landlord_pk}/buildings",
    response={200: list[BuildingOut], **errors()},
    summary="A landlord's buildings",
)
def list_buildings(request, landlord_pk: int):
    landlord = _landlord(request, landlord_pk)
    return [BuildingOut.from_orm(b) for b in landlord.buildings.order_by("address", "pk")]


@router.post(
    "landlords/{landlord_pk}/buildings", response={201: BuildingOut, **errors()}, summary="Add a building"
)
def create_building(request, landlord_pk: int, payload: BuildingIn):
    landlord = _landlord(request, landlord_pk, manage=True)
    area = Area.objects.filter(pk=payload.area_id).first()
    if area is None:
        raise ValidationError({"area_id": [_("Choose the area.")]})
    building = services.building_create(
        actor=request.user,
        landlord=landlord,
        address=payload.address,
        area=area,
        name=payload.name,
        notes=payload.notes,
    )
    return Status(201, BuildingOut.from_orm(building))


@router.get("units", response={200: list[UnitOut], **errors(401, 403, 422)}, summary="Housing units")
@paginate(Pagination, page_size=25)
def list_units(
    request,
    available: bool = False,
    status: str = Query("", max_length=20),
    area_id: int | None = Query(None, ge=1, le=2**31 - 1, description="A borough covers its neighbourhoods."),
    bedrooms: int | None = Query(None, ge=0, le=10, description="At least this many bedrooms."),
    max_rent: str = Query("", max_length=12, pattern=r"^(\d{1,6}(\.\d{1,2})?)?$", description="Rent up to."),
    feature: str = Query("", max_length=30),
    kind: str = Query("", max_length=30),
):
    """`available`: only the units available now or soon (the availability list)."""
    check_permission(request.user, "housing.view_units")
    wanted = selectors.AvailabilityFilters(
        area_id=area_id,
        bedrooms=bedrooms,
        max_rent=Decimal(max_rent) if max_rent else None,
        feature=feature,
        kind=kind,
    )
    if available:
        qs = selectors.availability(wanted)
    else:
        qs = selectors.units_filtered(wanted)
        if status:
            qs = qs.filter(status=status)
    # The page is read on an index (unit_address, unit_available); the count, over every unit of the
    # community, is kept a minute for the same caller and filters.
    return MappedPage(qs, UnitOut.of, count_for=request.user)


@router.get("units/{unit_pk}", response={200: UnitOut, **errors()}, summary="A housing unit")
def get_unit(request, unit_pk: int):
    check_permission(request.user, "housing.view_units")
    unit = Unit.objects.select_related("area", "building").filter(pk=unit_pk).first()
    if unit is None:
        raise Http404
    return UnitOut.of(unit)


@router.get("complaints", response={200: list[ComplaintOut], **errors(401, 403, 422)}, summary="Complaints")
@paginate(Pagination, page_size=25)
def list_complaints(
    request, open_only: bool = True, landlord_id: int | None = Query(None, ge=1, le=2**31 - 1)
):
    check_permission(request.user, "housing.view_landlords")
    qs = selectors.complaints_visible_to(request.user).order_by("-received_at", "-pk")
    if open_only:
        qs = qs.filter(resolved_at__isnull=True)
    if landlord_id:
        qs = qs.filter(landlord_id=landlord_id)

    class Rows(MappedPage):
        def __getitem__(self, key: slice):
            return [ComplaintOut.of(c) for c in selectors.complaints_for(request.user, self.queryset[key])]

    return Rows(qs, ComplaintOut.of)


@router.post(
    "landlords/{landlord_pk}/complaints",
    response={201: ComplaintOut, **errors()},
    summary="Record a complaint, a notice or a TAL application",
)
def create_complaint(request, landlord_pk: int, payload: ComplaintIn):
    landlord = _landlord(request, landlord_pk, manage=True)
    tenancy = unit = None
    if payload.tenancy_id is not None:
        tenancy = (
            selectors.tenancies_readable(request.user)
            .filter(pk=payload.tenancy_id, landlord=landlord, ended_on__isnull=True)
            .select_related("unit", "unit__building", "participant")
            .first()
        )
        if tenancy is None:
            raise ValidationError({"tenancy_id": [_("Choose a tenancy of the list.")]})
    if payload.unit_id is not None:
        unit = Unit.objects.select_related("building").filter(pk=payload.unit_id).first()
        if unit is None:
            raise ValidationError({"unit_id": [_("This unit is not in one of this landlord's buildings.")]})
    complaint = services.complaint_record(
        actor=request.user,
        landlord=landlord,
        kind=payload.kind,
        subject=payload.subject,
        received_at=payload.received_at,
        details=payload.details,
        tenancy=tenancy,
        unit=unit,
        first_response_at=payload.first_response_at,
    )
    (row,) = selectors.complaints_for(request.user, Complaint.objects.filter(pk=complaint.pk))
    return Status(201, ComplaintOut.of(row))


@router.post(
    "complaints/{complaint_pk}/resolve",
    response={200: ComplaintOut, **errors()},
    summary="Resolve a complaint",
)
def resolve_complaint(request, complaint_pk: int, payload: ResolveIn):
    check_permission(request.user, "housing.manage_landlords")
    complaint = selectors.complaint_get(request.user, complaint_pk, manage=True)
    services.complaint_resolve(
        actor=request.user, complaint=complaint, resolution=payload.resolution, at=payload.resolved_at
    )
    (row,) = selectors.complaints_for(request.user, Complaint.objects.filter(pk=complaint.pk))
    return ComplaintOut.of(row)
