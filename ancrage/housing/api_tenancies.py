"""API (v1) of a participant's housing (C3, C4): searches and options, tenancies, inspections (without the
photos' bytes). The same permissions and selectors as the pages: a record the caller may not see is a 404."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from ancrage.core import audit
from ancrage.core.api_types import Date, DateTime, Id, Pagination, Text, errors, text_field
from ancrage.core.permissions import check_permission, check_record_permission
from ancrage.housing import selectors_tenancies as sel
from ancrage.housing import services_tenancies as ts
from ancrage.housing.models import HousingOption, HousingSearch, Tenancy, Unit, UnitInspection

router = Router(tags=["housing"])


class OptionOut(Schema):
    id: int
    unit_id: int
    unit_address: str
    offered_on: datetime.date
    rank: int | None
    reasons: str
    viewing_at: datetime.datetime | None
    viewed_on: datetime.date | None
    applied_on: datetime.date | None
    decision: str
    decision_on: datetime.date | None
    decision_reason: str
    declined_on: datetime.date | None
    declined_reason: str
    chosen: bool

    @staticmethod
    def of(o: HousingOption) -> OptionOut:
        return OptionOut(
            id=o.pk,
            unit_id=o.unit_id,
            unit_address=o.unit.address,
            offered_on=o.offered_on,
            rank=o.rank,
            reasons=o.reasons,
            viewing_at=o.viewing_at,
            viewed_on=o.viewed_on,
            applied_on=o.applied_on,
            decision=o.decision,
            decision_on=o.decision_on,
            decision_reason=o.decision_reason,
            declined_on=o.declined_on,
            declined_reason=o.declined_reason,
            chosen=o.chosen,
        )


class SearchOut(Schema):
    id: int
    participant_id: int
    started_on: datetime.date
    ended_on: datetime.date | None
    outcome: str
    specialist_id: int
    after_tenancy_id: int | None
    options: list[OptionOut]


def _search_out(search: HousingSearch, options: list[HousingOption]) -> SearchOut:
    return SearchOut(
        id=search.pk,
        participant_id=search.participant_id,
        started_on=search.started_on,
        ended_on=search.ended_on,
        outcome=search.outcome,
        specialist_id=search.specialist_id,
        after_tenancy_id=search.after_tenancy_id,
        options=[OptionOut.of(o) for o in options],
    )


class TenancyOut(Schema):
    id: int
    participant_id: int
    unit_id: int
    unit_address: str
    landlord_id: int
    landlord_name: str
    program_id: int | None
    lease_kind: str
    head_lease_holder: str
    lease_start: datetime.date
    lease_end: datetime.date | None
    moved_in_on: datetime.date | None
    monthly_rent: Decimal
    participant_share: Decimal
    participant_monthly_income: Decimal | None
    share_of_income: Decimal | None = Field(None, description="The share over the income (0.30 is 30 %).")
    rent_supplement: Decimal
    supplement_source: str
    deposit: Decimal
    chosen_by_participant: bool
    few_options_reason: str
    risk: str
    ended_on: datetime.date | None
    end_reason: str
    previous_id: int | None
    search_id: int | None

    @staticmethod
    def of(t: Tenancy) -> TenancyOut:
        return TenancyOut(
            id=t.pk,
            participant_id=t.participant_id,
            unit_id=t.unit_id,
            unit_address=t.unit.address,
            landlord_id=t.landlord_id,
            landlord_name=t.landlord.name,
            program_id=t.program_id,
            lease_kind=t.lease_kind,
            head_lease_holder=t.head_lease_holder,
            lease_start=t.lease_start,
            lease_end=t.lease_end,
            moved_in_on=t.moved_in_on,
            monthly_rent=t.monthly_rent,
            participant_share=t.participant_share,
            participant_monthly_income=t.participant_monthly_income,
            share_of_income=t.share_of_income,
            rent_supplement=t.rent_supplement,
            supplement_source=t.supplement_source,
            deposit=t.deposit,
            chosen_by_participant=t.chosen_by_participant,
            few_options_reason=t.few_options_reason,
            risk=t.risk,
            ended_on=t.ended_on,
            end_reason=t.end_reason,
            previous_id=t.previous_id,
            search_id=t.search_id,
        )


class InspectionOut(Schema):
    id: int
    unit_id: int
    tenancy_id: int | None
    kind: str
    inspected_on: datetime.date
    condition: str
    notes: str
    photo_ids: list[int] = Field(..., description="Each photo is served by the page /housing/photos/{id}/.")


class SearchIn(Schema):
    started_on: Date
    note: Text = text_field(HousingSearch, "note", "")


class OfferIn(Schema):
    unit_id: Id
    offered_on: Date | None = None


class RankIn(Schema):
    rank: int | None = Field(None, ge=1, le=1000)
    reasons: Text = text_field(HousingOption, "reasons", "")


class OptionStepIn(Schema):
    step: Text = Field(..., max_length=20, description=", ".join(ts.Step.ALL))
    on: Date | None = None
    at: DateTime | None = None
    reason: Text = Field("", max_length=300)


class TenancyIn(Schema):
    unit_id: Id
    option_id: Id | None = None
    lease_kind: Text = text_field(Tenancy, "lease_kind")
    head_lease_holder: Text = text_field(Tenancy, "head_lease_holder", "")
    lease_start: Date
    lease_end: Date | None = None
    moved_in_on: Date | None = None
    monthly_rent: Decimal = Field(..., max_digits=8, decimal_places=2)
    participant_share: Decimal = Field(..., max_digits=8, decimal_places=2)
    participant_monthly_income: Decimal | None = Field(None, max_digits=8, decimal_places=2)
    rent_supplement: Decimal = Field(Decimal("0"), max_digits=8, decimal_places=2)
    supplement_source: Text = text_field(Tenancy, "supplement_source", "")
    deposit: Decimal = Field(Decimal("0"), max_digits=8, decimal_places=2)
    few_options_reason: Text = text_field(Tenancy, "few_options_reason", "")


class EndIn(Schema):
    ended_on: Date
    reason: Text = text_field(Tenancy, "end_reason")
    note: Text = Field("", max_length=10000)


@router.get(
    "participants/{pk}/housing-searches",
    response={200: list[SearchOut], **errors()},
    summary="A participant's housing searches and the units offered in them",
)
def list_housing_searches(request, pk: int):
    access = sel.participant_for_housing(request.user, pk)
    searches = list(
        HousingSearch.objects.filter(participant=access.participant).order_by("-started_on", "-id")
    )
    options: dict[int, list[HousingOption]] = {}
    for o in HousingOption.objects.filter(search__in=searches).select_related("unit").order_by("rank", "id"):
        options.setdefault(o.search_id, []).append(o)
    return [_search_out(s, options.get(s.pk, [])) for s in searches]


@router.post(
    "participants/{pk}/housing-searches",
    response={201: SearchOut, **errors()},
    summary="Start a housing search",
)
def start_housing_search(request, pk: int, payload: SearchIn):
    access = sel.participant_for_housing_write(request.user, pk)
    search = ts.search_start(
        actor=request.user, participant=access.participant, started_on=payload.started_on, note=payload.note
    )
    return Status(201, _search_out(search, []))


def _option_for_write(request, option_pk: int) -> HousingOption:
    check_record_permission(request.user, "housing.manage_tenancies")
    return sel.option_get_for_user(request.user, option_pk)


@router.post(
    "housing-searches/{search_pk}/options",
    response={201: OptionOut, **errors()},
    summary="Offer an available unit in a search (C3)",
)
def offer_housing_option(request, search_pk: int, payload: OfferIn):
    check_record_permission(request.user, "housing.manage_tenancies")
    search = sel.search_get_for_user(request.user, search_pk)
    unit = Unit.objects.filter(pk=payload.unit_id).first()
    if unit is None:
        raise ValidationError({"unit_id": [_("Choose an available unit.")]})
    option = ts.option_offer(actor=request.user, search=search, unit=unit, offered_on=payload.offered_on)
    return Status(201, OptionOut.of(option))


@router.post(
    "housing-options/{option_pk}/rank",
    response={200: OptionOut, **errors()},
    summary="The participant's rank and reasons for an option",
)
def rank_housing_option(request, option_pk: int, payload: RankIn):
    option = _option_for_write(request, option_pk)
    return OptionOut.of(
        ts.option_rank(actor=request.user, option=option, rank=payload.rank, reasons=payload.reasons)
    )


@router.post(
    "housing-options/{option_pk}/step",
    response={200: OptionOut, **errors()},
    summary="Record a step of an option: viewing, application, landlord's decision, decline, choice",
)
def step_housing_option(request, option_pk: int, payload: OptionStepIn):
    option = _option_for_write(request, option_pk)
    return OptionOut.of(
        ts.option_step(
            actor=request.user,
            option=option,
            step=payload.step,
            on=payload.on,
            at=payload.at,
            reason=payload.reason,
        )
    )


@router.get(
    "tenancies",
    response={200: list[TenancyOut], **errors(401, 403, 422)},
    summary="Tenancies of the participants whose housing the caller may see",
)
@paginate(Pagination, page_size=25)
def list_tenancies(request, current: bool = False):
    check_permission(request.user, "housing.view_tenancies")
    qs = (
        sel.tenancies_visible(request.user).select_related("unit", "landlord").order_by("-lease_start", "-id")
    )
    if current:
        qs = qs.filter(ended_on__isnull=True)
    return audit.PageReads(qs, actor=request.user, action="housing.tenancy.viewed", fn=TenancyOut.of)


@router.get("tenancies/{tenancy_pk}", response={200: TenancyOut, **errors()}, summary="A tenancy")
def get_tenancy(request, tenancy_pk: int):
    check_record_permission(request.user, "housing.view_tenancies")
    return TenancyOut.of(sel.tenancy_get_for_user(request.user, tenancy_pk))


@router.post(
    "participants/{pk}/tenancies",
    response={201: TenancyOut, **errors()},
    summary="Record a lease (from the chosen option, or directly for a unit)",
)
def create_tenancy(request, pk: int, payload: TenancyIn):
    access = sel.participant_for_housing_write(request.user, pk)
    option = None
    if payload.option_id is not None:
        option = (
            HousingOption.objects.filter(
                pk=payload.option_id, search__participant=access.participant, unit_id=payload.unit_id
            )
            .select_related("search")
            .first()
        )
        if option is None:
            raise ValidationError({"option_id": [_("This option is not this participant's for this unit.")]})
    unit = Unit.objects.filter(pk=payload.unit_id).first()
    if unit is None:
        raise ValidationError({"unit_id": [_("Choose an available unit.")]})
    tenancy = ts.tenancy_create(
        actor=request.user,
        participant=access.participant,
        unit=unit,
        option=option,
        lease_kind=payload.lease_kind,
        head_lease_holder=payload.head_lease_holder,
        lease_start=payload.lease_start,
        lease_end=payload.lease_end,
        moved_in_on=payload.moved_in_on,
        monthly_rent=payload.monthly_rent,
        participant_share=payload.participant_share,
        participant_monthly_income=payload.participant_monthly_income,
        rent_supplement=payload.rent_supplement,
        supplement_source=payload.supplement_source,
        deposit=payload.deposit,
        few_options_reason=payload.few_options_reason,
    )
    tenancy = Tenancy.objects.select_related("unit", "landlord").get(pk=tenancy.pk)
    return Status(201, TenancyOut.of(tenancy))


@router.post("tenancies/{tenancy_pk}/end", response={200: TenancyOut, **errors()}, summary="End a tenancy")
def end_tenancy(request, tenancy_pk: int, payload: EndIn):
    check_record_permission(request.user, "housing.manage_tenancies")
    tenancy = sel.tenancy_get_for_user(request.user, tenancy_pk)
    tenancy = ts.tenancy_end(
        actor=request.user,
        tenancy=tenancy,
        ended_on=payload.ended_on,
        reason=payload.reason,
        note=payload.note,
    )
    return TenancyOut.of(Tenancy.objects.select_related("unit", "landlord").get(pk=tenancy.pk))


@router.get(
    "tenancies/{tenancy_pk}/inspections",
    response={200: list[InspectionOut], **errors()},
    summary="A tenancy's inspections (photos by id, their bytes served by their page)",
)
def list_tenancy_inspections(request, tenancy_pk: int):
    check_record_permission(request.user, "housing.view_tenancies")
    tenancy = sel.tenancy_get_for_user(request.user, tenancy_pk)
    inspections = (
        UnitInspection.objects.filter(tenancy=tenancy).prefetch_related("photos").order_by("-inspected_on")
    )
    return [
        InspectionOut(
            id=i.pk,
            unit_id=i.unit_id,
            tenancy_id=i.tenancy_id,
            kind=i.kind,
            inspected_on=i.inspected_on,
            condition=i.condition,
            notes=i.notes,
            photo_ids=[p.pk for p in i.photos.all()],
        )
        for i in inspections
    ]
