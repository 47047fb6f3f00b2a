"""Writes of a participant's housing (C3, C4, C8): the search and the units offered in it, the lease, its
renewals and its end, inspections with photos, evictions, learning plans and temporary stays.

Every write validates (ValidationError by field, in the user's language) and writes its audit entry. Services
never stop: ending a tenancy, by eviction included, never ends the participant's case management; an eviction
opens a new housing search at once (rehousing is an ordinary, counted event, not a failure state)."""

from __future__ import annotations

import contextlib
import datetime
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from ancrage.core import audit, clock
from ancrage.core.signals import ChangeKind, announce
from ancrage.housing.models import (
    Eviction,
    HousingOption,
    HousingSearch,
    InspectionPhoto,
    Landlord,
    LeaseKind,
    TemporaryStay,
    Tenancy,
    TenancyRenewal,
    Unit,
    UnitInspection,
)
from ancrage.housing.signals import unit_offered

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

    from ancrage.accounts.models import User
    from ancrage.organisations.models import Program
    from ancrage.people.models import Participant

# Dates a housing record may carry: nothing before this year, nothing further ahead than this many days.
EARLIEST_YEAR = 1990
DAYS_AHEAD = 3 * 366
PHOTO_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}


def options_min() -> int:
    return int(settings.ANCRAGE.get("HOUSING_OPTIONS_MIN", 3))


def _check_date(errors: dict[str, list[str]], field: str, value: Any, *, required: bool = True) -> None:
    """A date a person typed: present when required, and neither absurdly old nor far ahead."""
    if value is None:
        if required:
            errors.setdefault(field, []).append(_("Give the date."))
        return
    if not isinstance(value, datetime.date):
        errors.setdefault(field, []).append(_("Give a valid date."))
        return
    latest = clock.today() + datetime.timedelta(days=DAYS_AHEAD)
    if value.year < EARLIEST_YEAR or value > latest:
        errors.setdefault(field, []).append(
            _("Give a date between %(min)s and %(max)s.")
            % {"min": datetime.date(EARLIEST_YEAR, 1, 1).isoformat(), "max": latest.isoformat()}
        )


def _money(errors: dict[str, list[str]], field: str, value: Any, *, required: bool = True) -> Decimal | None:
    """An amount of money: a decimal of cents, not negative, within what the column holds."""
    if value is None or value == "":
        if required:
            errors.setdefault(field, []).append(_("Give the amount."))
        return None
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        errors.setdefault(field, []).append(_("Give an amount in dollars and cents."))
        return None
    if amount < 0:
        errors.setdefault(field, []).append(_("An amount cannot be negative."))
        return None
    if amount >= Decimal("1000000"):
        errors.setdefault(field, []).append(_("This amount is too large for a month's rent."))
        return None
    return amount


def _text(errors: dict[str, list[str]], field: str, value: Any, limit: int, *, required: bool = False) -> str:
    text = (value or "").strip()
    if "\x00" in text:
        errors.setdefault(field, []).append(_("Null characters are not allowed."))
        return ""
    if required and not text:
        errors.setdefault(field, []).append(_("This field is required."))
    if len(text) > limit:
        errors.setdefault(field, []).append(_("Keep this under %(limit)s characters.") % {"limit": limit})
    return text


def _raise(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError(errors)


def _note_limit() -> int:
    return int(settings.ANCRAGE["NOTE_MAX_LENGTH"])


# --- the search and the options offered in it (C3) ----------------------------------------------------------


@transaction.atomic
def search_start(
    *,
    actor: User,
    participant: Participant,
    started_on: datetime.date,
    note: str = "",
    after_tenancy: Tenancy | None = None,
) -> HousingSearch:
    """Open a housing search for a participant; one at a time."""
    errors: dict[str, list[str]] = {}
    _check_date(errors, "started_on", started_on)
    note = _text(errors, "note", note, _note_limit())
    if (
        HousingSearch.objects.select_for_update()
        .filter(participant=participant, ended_on__isnull=True)
        .exists()
    ):
        errors.setdefault("__all__", []).append(_("This participant already has a housing search under way."))
    _raise(errors)
    search = HousingSearch.objects.create(
        participant=participant,
        started_on=started_on,
        specialist=actor,
        note=note,
        after_tenancy=after_tenancy,
    )
    audit.record(
        actor=actor,
        action="housing.search.started",
        obj=search,
        participant=participant,
        data={
            "started_on": started_on.isoformat(),
            "after_tenancy": after_tenancy.pk if after_tenancy else None,
        },
    )
    return search


@transaction.atomic
def search_stop(
    *, actor: User, search: HousingSearch, ended_on: datetime.date, note: str = ""
) -> HousingSearch:
    """Stop a search without a lease (the participant found housing on their own, moved away…)."""
    search = HousingSearch.objects.select_for_update().get(pk=search.pk)
    errors: dict[str, list[str]] = {}
    _check_date(errors, "ended_on", ended_on)
    note = _text(errors, "note", note, _note_limit())
    if search.ended_on is not None:
        errors.setdefault("__all__", []).append(_("This search has already ended."))
    elif not errors and ended_on < search.started_on:
        errors.setdefault("ended_on", []).append(_("A search cannot end before it started."))
    _raise(errors)
    search.ended_on = ended_on
    search.outcome = HousingSearch.Outcome.STOPPED
    if note:
        search.note = f"{search.note}\n{note}".strip()
    search.save(update_fields=["ended_on", "outcome", "note", "updated_at"])
    audit.record(
        actor=actor,
        action="housing.search.stopped",
        obj=search,
        participant=search.participant,
        data={"ended_on": ended_on.isoformat()},
    )
    return search


def _unit_taken(unit: Unit, *, but: HousingOption | None = None) -> bool:
    """The landlord accepted someone else for this unit and it is still theirs to take (C3)."""
    taken = HousingOption.objects.filter(
        unit=unit,
        decision=HousingOption.Decision.ACCEPTED,
        declined_on__isnull=True,
        search__ended_on__isnull=True,
    )
    if but is not None:
        taken = taken.exclude(pk=but.pk).exclude(search__participant_id=but.search.participant_id)
    return taken.exists()


@transaction.atomic
def option_offer(
    *, actor: User, search: HousingSearch, unit: Unit, offered_on: datetime.date | None = None
) -> HousingOption:
    """Offer an available unit in a search (C3)."""
    offered_on = offered_on or clock.today()
    search = HousingSearch.objects.select_for_update().get(pk=search.pk)
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    errors: dict[str, list[str]] = {}
    _check_date(errors, "offered_on", offered_on)
    if search.ended_on is not None:
        errors.setdefault("__all__", []).append(_("This search has ended: start a new one to offer units."))
    if unit.status != Unit.Status.AVAILABLE:
        errors.setdefault("unit", []).append(
            _("Only an available unit can be offered; this one is “%(status)s”.")
            % {"status": unit.get_status_display()}
        )
    elif _unit_taken(unit):
        errors.setdefault("unit", []).append(_("The landlord already accepted someone else for this unit."))
    if HousingOption.objects.filter(search=search, unit=unit).exists():
        errors.setdefault("unit", []).append(_("This unit was already offered in this search."))
    _raise(errors)
    option = HousingOption.objects.create(search=search, unit=unit, offered_on=offered_on, offered_by=actor)
    audit.record(
        actor=actor,
        action="housing.option.offered",
        obj=option,
        participant=search.participant,
        data={"unit": unit.pk, "offered_on": offered_on.isoformat()},
    )
    return option


@transaction.atomic
def option_rank(*, actor: User, option: HousingOption, rank: int | None, reasons: str = "") -> HousingOption:
    """The participant's rank for a unit (1 is their first choice) and their reasons, in their words."""
    option = HousingOption.objects.select_for_update(of=("self",)).select_related("search").get(pk=option.pk)
    errors: dict[str, list[str]] = {}
    reasons = _text(errors, "reasons", reasons, _note_limit())
    count = HousingOption.objects.filter(search_id=option.search_id).count()
    if rank is not None and not 1 <= rank <= count:
        errors.setdefault("rank", []).append(
            _("The rank goes from 1 (first choice) to %(count)s.") % {"count": count}
        )
    _raise(errors)
    before = audit.snapshot(option, ["rank", "reasons"])
    option.rank, option.reasons = rank, reasons
    changes = audit.changes(before, audit.snapshot(option, ["rank", "reasons"]))
    if changes:
        option.save(update_fields=["rank", "reasons", "updated_at"])
        audit.record(
            actor=actor,
            action="housing.option.ranked",
            obj=option,
            participant=option.search.participant,
            data={"changes": changes},
        )
    return option


class Step:
    VIEWING_PLANNED = "viewing_planned"
    VIEWED = "viewed"
    APPLIED = "applied"
    ACCEPTED = "accepted"
    REFUSED = "refused"
    DECLINED = "declined"
    CHOSEN = "chosen"
    ALL = (VIEWING_PLANNED, VIEWED, APPLIED, ACCEPTED, REFUSED, DECLINED, CHOSEN)


def step_choices() -> list[tuple[str, str]]:
    return [
        (Step.VIEWING_PLANNED, _("Viewing planned")),
        (Step.VIEWED, _("Visited")),
        (Step.APPLIED, _("Applied")),
        (Step.ACCEPTED, _("Landlord said yes")),
        (Step.REFUSED, _("Landlord said no")),
        (Step.DECLINED, _("The participant declined")),
        (Step.CHOSEN, _("The participant chose this unit")),
    ]


@transaction.atomic
def option_step(
    *,
    actor: User,
    option: HousingOption,
    step: str,
    on: datetime.date | None = None,
    at: datetime.datetime | None = None,
    reason: str = "",
) -> HousingOption:
    """Record one step of an option: a viewing planned (at) or done, an application, the landlord's yes or no,
    the participant declining (with their reason) or choosing it."""
    option = (
        HousingOption.objects.select_for_update(of=("self",))
        .select_related("search", "unit")
        .get(pk=option.pk)
    )
    errors: dict[str, list[str]] = {}
    if step not in Step.ALL:
        raise ValidationError({"step": [_("Choose a step.")]})
    if option.search.ended_on is not None:
        raise ValidationError(_("This search has ended: its options are kept as they were."))
    if option.declined_on is not None or option.chosen:
        raise ValidationError(_("This option is settled: the participant declined or chose it."))
    reason = _text(errors, "reason", reason, 300)
    fields: list[str] = []
    if step == Step.VIEWING_PLANNED:
        if at is None:
            errors.setdefault("at", []).append(_("Give the day and time of the viewing."))
        else:
            _check_date(errors, "at", at.date())
        option.viewing_at = at
        fields = ["viewing_at"]
    else:
        on = on or clock.today()
        _check_date(errors, "on", on)
        if not errors and on < option.offered_on:
            errors.setdefault("on", []).append(_("This step cannot come before the unit was offered."))
        if step == Step.VIEWED:
            option.viewed_on, fields = on, ["viewed_on"]
        elif step == Step.APPLIED:
            option.applied_on, fields = on, ["applied_on"]
        elif step in (Step.ACCEPTED, Step.REFUSED):
            if option.decision:
                errors.setdefault("step", []).append(_("The landlord's decision is already recorded."))
            if step == Step.ACCEPTED and _unit_taken(option.unit, but=option):
                errors.setdefault("step", []).append(
                    _("The landlord already accepted someone else for this unit.")
                )
            if step == Step.ACCEPTED and option.unit.status not in (
                Unit.Status.AVAILABLE,
                Unit.Status.RESERVED,
            ):
                errors.setdefault("step", []).append(
                    _("This unit is no longer available (“%(status)s”).")
                    % {"status": option.unit.get_status_display()}
                )
            option.decision = step
            option.decision_on = on
            option.decision_reason = reason
            fields = ["decision", "decision_on", "decision_reason"]
        elif step == Step.DECLINED:
            if not reason:
                errors.setdefault("reason", []).append(_("Say why the participant declined, in their words."))
            option.declined_on, option.declined_reason = on, reason
            fields = ["declined_on", "declined_reason"]
        elif step == Step.CHOSEN:
            if option.decision != HousingOption.Decision.ACCEPTED:
                errors.setdefault("step", []).append(
                    _("The participant chooses a unit the landlord accepted them for.")
                )
            if HousingOption.objects.filter(search_id=option.search_id, chosen=True).exists():
                errors.setdefault("step", []).append(_("Another unit is already chosen in this search."))
            option.chosen, fields = True, ["chosen"]
    _raise(errors)
    option.save(update_fields=[*fields, "updated_at"])
    audit.record(
        actor=actor,
        action="housing.option.stepped",
        obj=option,
        participant=option.search.participant,
        data={"step": step, "on": on.isoformat() if on else None, "at": at.isoformat() if at else None},
    )
    return option


# --- tenancies (C4) -------------------------------------------------------------------------------------------


def _active_on(qs, day: datetime.date):
    """Tenancies still running on `day`, the one that ends that very day excluded (a move the same day)."""
    return qs.filter(lease_start__lte=day).filter(Q(ended_on__isnull=True) | Q(ended_on__gt=day))


def _overlapping(qs, start: datetime.date, end: datetime.date | None):
    """Tenancies that overlap [start, end]: one ending the day the next starts does not."""
    qs = qs.filter(Q(ended_on__isnull=True) | Q(ended_on__gt=start))
    if end is not None:
        qs = qs.filter(lease_start__lte=end)
    return qs


# Who says which program follows a participant on a day (case management registers its enrollments at
# start-up: housing does not import it). A lease recorded without a program belongs to that one.
_PROGRAM_FOLLOWING: list = []


def register_program_following(source) -> None:
    """Add `source(participant_id, on) -> program id or None`; registering the same function again is a no-op."""
    if source not in _PROGRAM_FOLLOWING:
        _PROGRAM_FOLLOWING.append(source)


def _program_following(participant: Participant, on: datetime.date) -> Program | None:
    from ancrage.organisations.models import Program

    for source in _PROGRAM_FOLLOWING:
        program_id = source(participant.pk, on)
        if program_id is not None:
            return Program.objects.filter(pk=program_id).first()
    return None


@transaction.atomic
def tenancy_create(
    *,
    actor: User,
    participant: Participant,
    unit: Unit,
    lease_kind: str,
    lease_start: datetime.date,
    monthly_rent: Any,
    participant_share: Any,
    option: HousingOption | None = None,
    head_lease_holder: str = "",
    lease_end: datetime.date | None = None,
    moved_in_on: datetime.date | None = None,
    participant_monthly_income: Any = None,
    rent_supplement: Any = Decimal("0"),
    supplement_source: str = "",
    deposit: Any = Decimal("0"),
    program: Program | None = None,
    few_options_reason: str = "",
    chosen_by_participant: bool | None = None,
) -> Tenancy:
    """Record a lease: from the option the participant chose, or directly for a unit (a match transferred).

    The unit becomes occupied. A participant has one tenancy at a time (the one ending the day the next
    starts excepted), and a unit one tenant. A lease from a search where fewer than HOUSING_OPTIONS_MIN units
    were offered needs a reason, which is kept (fidelity, C3)."""
    unit = Unit.objects.select_for_update(of=("self",)).select_related("building__landlord").get(pk=unit.pk)
    errors: dict[str, list[str]] = {}
    search: HousingSearch | None = None
    if option is not None:
        option = (
            HousingOption.objects.select_for_update(of=("self",)).select_related("search").get(pk=option.pk)
        )
        search = option.search
        if search.participant_id != participant.pk or option.unit_id != unit.pk:
            errors.setdefault("option", []).append(_("This option is not this participant's for this unit."))
        elif option.declined_on is not None or option.decision == HousingOption.Decision.REFUSED:
            errors.setdefault("option", []).append(_("This option was declined or refused."))
        elif option.decision != HousingOption.Decision.ACCEPTED:
            errors.setdefault("option", []).append(_("Record the landlord's yes before the lease."))
    else:
        search = (
            HousingSearch.objects.select_for_update()
            .filter(participant=participant, ended_on__isnull=True)
            .first()
        )
    if lease_kind not in LeaseKind.values:
        errors.setdefault("lease_kind", []).append(_("Choose the kind of lease."))
    head_lease_holder = _text(errors, "head_lease_holder", head_lease_holder, 200)
    if lease_kind == LeaseKind.HEAD_LEASE and not head_lease_holder:
        errors.setdefault("head_lease_holder", []).append(_("Name the non-profit that holds the head lease."))
    supplement_source = _text(errors, "supplement_source", supplement_source, 200)
    few_options_reason = _text(errors, "few_options_reason", few_options_reason, 300)
    _check_date(errors, "lease_start", lease_start)
    _check_date(errors, "lease_end", lease_end, required=False)
    _check_date(errors, "moved_in_on", moved_in_on, required=False)
    rent = _money(errors, "monthly_rent", monthly_rent)
    share = _money(errors, "participant_share", participant_share)
    income = _money(errors, "participant_monthly_income", participant_monthly_income, required=False)
    supplement = _money(errors, "rent_supplement", rent_supplement) or Decimal("0.00")
    deposit_amount = _money(errors, "deposit", deposit) or Decimal("0.00")
    if rent is not None and share is not None and share > rent:
        errors.setdefault("participant_share", []).append(
            _("The participant's share cannot be more than the rent.")
        )
    if supplement and not supplement_source:
        errors.setdefault("supplement_source", []).append(_("Say who pays the rent supplement."))
    if (
        "lease_start" not in errors
        and "lease_end" not in errors
        and lease_end is not None
        and lease_end < lease_start
    ):
        errors.setdefault("lease_end", []).append(_("The lease cannot end before it starts."))
    if (
        "lease_start" not in errors
        and moved_in_on is not None
        and "moved_in_on" not in errors
        and moved_in_on < lease_start - datetime.timedelta(days=31)
    ):
        errors.setdefault("moved_in_on", []).append(_("The move-in is long before the lease starts."))
    landlord: Landlord | None = unit.building.landlord if unit.building_id else None  # type: ignore[union-attr]
    if landlord is None:
        errors.setdefault("unit", []).append(
            _("This unit is in no landlord's building: add it to the landlords' book first.")
        )
    # An occupied unit with no tenancy at that time is one coordinated access transferred a match to (A6): its
    # lease is recorded here. The overlap check below refuses one that already has its tenant.
    if unit.status in (Unit.Status.OFF_MARKET, Unit.Status.ON_HOLD):
        errors.setdefault("unit", []).append(
            _("This unit is “%(status)s”: it cannot be leased.") % {"status": unit.get_status_display()}
        )
    if "lease_start" not in errors:
        if _overlapping(Tenancy.objects.filter(participant=participant), lease_start, lease_end).exists():
            errors.setdefault("lease_start", []).append(
                _(
                    "This participant already has a tenancy at that time: end it first (it may end the day "
                    "the new lease starts)."
                )
            )
        if _overlapping(Tenancy.objects.filter(unit=unit), lease_start, lease_end).exists():
            errors.setdefault("unit", []).append(_("This unit already has a tenant at that time."))
        if (
            option is None
            and _unit_taken(unit)
            and not HousingOption.objects.filter(
                unit=unit, search__participant=participant, decision=HousingOption.Decision.ACCEPTED
            ).exists()
        ):
            errors.setdefault("unit", []).append(
                _("The landlord already accepted someone else for this unit.")
            )
    offered = HousingOption.objects.filter(search=search).count() if search is not None else None
    if search is not None and offered is not None and offered < options_min() and not few_options_reason:
        errors.setdefault("few_options_reason", []).append(
            _("Only %(count)s unit(s) were offered (at least %(min)s are expected): say why.")
            % {"count": offered, "min": options_min()}
        )
    _raise(errors)
    assert rent is not None
    assert share is not None
    assert landlord is not None
    previous = (
        Tenancy.objects.filter(participant=participant, ended_on__isnull=False, ended_on__lte=lease_start)
        .exclude(next_tenancies__isnull=False)
        .order_by("-ended_on", "-id")
        .first()
    )
    if program is None:
        program = _program_following(participant, lease_start)
    if chosen_by_participant is None:
        # A lease from an option is the participant's choice; a direct lease (a match transferred) is taken
        # as chosen unless the caller says otherwise.
        chosen_by_participant = True
    tenancy = Tenancy.objects.create(
        participant=participant,
        unit=unit,
        landlord=landlord,
        program=program,
        lease_kind=lease_kind,
        head_lease_holder=head_lease_holder if lease_kind == LeaseKind.HEAD_LEASE else "",
        lease_start=lease_start,
        lease_end=lease_end,
        moved_in_on=moved_in_on,
        monthly_rent=rent,
        participant_share=share,
        participant_monthly_income=income,
        rent_supplement=supplement,
        supplement_source=supplement_source,
        deposit=deposit_amount,
        chosen_by_participant=chosen_by_participant,
        previous=previous,
        recorded_by=actor,
        search=search,
        few_options_reason=few_options_reason,
    )
    if option is not None and not option.chosen:
        option.chosen = True
        option.save(update_fields=["chosen", "updated_at"])
    if search is not None and search.ended_on is None:
        search.ended_on = max(lease_start, search.started_on)
        search.outcome = HousingSearch.Outcome.HOUSED
        search.save(update_fields=["ended_on", "outcome", "updated_at"])
    old_status = unit.status
    unit.status = Unit.Status.OCCUPIED
    unit.hold_reason = ""
    unit.save(update_fields=["status", "hold_reason", "updated_at"])
    audit.record(
        actor=actor,
        action="housing.tenancy.created",
        obj=tenancy,
        participant=participant,
        data={
            "unit": unit.pk,
            "lease_kind": lease_kind,
            "lease_start": lease_start.isoformat(),
            "monthly_rent": str(rent),
            "participant_share": str(share),
            "options_offered": offered,
            "few_options_reason": few_options_reason,
            "previous": previous.pk if previous else None,
        },
    )
    audit.record(
        actor=actor,
        action="housing.unit.occupied",
        obj=unit,
        organisation=unit.organisation,
        data={"changes": {"status": [old_status, Unit.Status.OCCUPIED]}},
    )
    # Partners involved with the person are told, under consent (E3): housed the first time, moved after.
    first = not Tenancy.objects.filter(participant=participant).exclude(pk=tenancy.pk).exists()
    announce(
        sender="housing",
        participant_id=participant.pk,
        kind=ChangeKind.HOUSED if first else ChangeKind.MOVED,
        happened_on=tenancy.moved_in_on or tenancy.lease_start,
        actor_id=actor.pk,
    )
    return tenancy


@transaction.atomic
def tenancy_renew(
    *,
    actor: User,
    tenancy: Tenancy,
    renewed_on: datetime.date,
    new_end: datetime.date | None,
    new_rent: Any,
    new_share: Any,
) -> TenancyRenewal:
    """A lease renewed: the tenancy takes the new terms, the earlier ones stay in the renewal."""
    tenancy = Tenancy.objects.select_for_update().get(pk=tenancy.pk)
    errors: dict[str, list[str]] = {}
    _check_date(errors, "renewed_on", renewed_on)
    _check_date(errors, "new_end", new_end, required=False)
    rent = _money(errors, "new_rent", new_rent)
    share = _money(errors, "new_share", new_share)
    if tenancy.ended_on is not None:
        errors.setdefault("__all__", []).append(_("This tenancy has ended: it cannot be renewed."))
    if rent is not None and share is not None and share > rent:
        errors.setdefault("new_share", []).append(_("The participant's share cannot be more than the rent."))
    if "renewed_on" not in errors and renewed_on < tenancy.lease_start:
        errors.setdefault("renewed_on", []).append(_("A lease is renewed after it starts."))
    if (
        "new_end" not in errors
        and new_end is not None
        and "renewed_on" not in errors
        and new_end < renewed_on
    ):
        errors.setdefault("new_end", []).append(_("The lease cannot end before it is renewed."))
    _raise(errors)
    assert rent is not None
    assert share is not None
    renewal = TenancyRenewal.objects.create(
        tenancy=tenancy,
        renewed_on=renewed_on,
        new_end=new_end,
        new_rent=rent,
        new_share=share,
        previous_end=tenancy.lease_end,
        previous_rent=tenancy.monthly_rent,
        previous_share=tenancy.participant_share,
        recorded_by=actor,
    )
    before = audit.snapshot(tenancy, ["lease_end", "monthly_rent", "participant_share"])
    tenancy.lease_end, tenancy.monthly_rent, tenancy.participant_share = new_end, rent, share
    tenancy.save(update_fields=["lease_end", "monthly_rent", "participant_share", "updated_at"])
    audit.record(
        actor=actor,
        action="housing.tenancy.renewed",
        obj=tenancy,
        participant=tenancy.participant,
        data={
            "renewal": renewal.pk,
            "changes": audit.changes(
                before, audit.snapshot(tenancy, ["lease_end", "monthly_rent", "participant_share"])
            ),
        },
    )
    return renewal


@transaction.atomic
def tenancy_end(
    *,
    actor: User,
    tenancy: Tenancy,
    ended_on: datetime.date,
    reason: str,
    note: str = "",
    offer_for_matching: bool = False,
) -> Tenancy:
    """End a tenancy: the unit is available again (in the availability list; offered for matching when
    asked). An eviction opens a new housing search at once (rehousing, C8). Case management goes on: nothing
    here ends the participant's enrollment."""
    tenancy = (
        Tenancy.objects.select_for_update(of=("self",))
        .select_related("unit", "participant")
        .get(pk=tenancy.pk)
    )
    errors: dict[str, list[str]] = {}
    _check_date(errors, "ended_on", ended_on)
    note = _text(errors, "note", note, _note_limit())
    if reason not in Tenancy.EndReason.values:
        errors.setdefault("reason", []).append(_("Say why the tenancy ended."))
    if tenancy.ended_on is not None:
        errors.setdefault("__all__", []).append(_("This tenancy has already ended."))
    elif "ended_on" not in errors and ended_on < tenancy.lease_start:
        errors.setdefault("ended_on", []).append(_("A tenancy cannot end before its lease starts."))
    elif "ended_on" not in errors and ended_on > clock.today() + datetime.timedelta(days=90):
        errors.setdefault("ended_on", []).append(_("Record the end when it is less than 90 days away."))
    _raise(errors)
    tenancy.ended_on, tenancy.end_reason, tenancy.end_note = ended_on, reason, note
    tenancy.save(update_fields=["ended_on", "end_reason", "end_note", "updated_at"])
    audit.record(
        actor=actor,
        action="housing.tenancy.ended",
        obj=tenancy,
        participant=tenancy.participant,
        data={"ended_on": ended_on.isoformat(), "reason": reason},
    )
    announce(
        sender="housing",
        participant_id=tenancy.participant_id,
        kind=ChangeKind.MOVED,
        happened_on=ended_on,
        actor_id=actor.pk,
    )
    unit = Unit.objects.select_for_update().get(pk=tenancy.unit_id)
    still_let = _active_on(Tenancy.objects.filter(unit=unit).exclude(pk=tenancy.pk), ended_on).exists()
    if unit.status == Unit.Status.OCCUPIED and not still_let:
        unit.status = Unit.Status.AVAILABLE
        unit.available_from = ended_on + datetime.timedelta(days=1)
        unit.save(update_fields=["status", "available_from", "updated_at"])
        audit.record(
            actor=actor,
            action="housing.unit.freed",
            obj=unit,
            organisation=unit.organisation,
            data={
                "changes": {"status": [Unit.Status.OCCUPIED, Unit.Status.AVAILABLE]},
                "tenancy": tenancy.pk,
            },
        )
        if offer_for_matching:
            # Coordinated access listens and opens a place to fill for the unit (A6), as for a new unit.
            unit_offered.send(sender=Unit, actor=actor, unit=unit)
    if (
        reason == Tenancy.EndReason.EVICTION
        and not HousingSearch.objects.filter(participant=tenancy.participant, ended_on__isnull=True).exists()
    ):
        search_start(
            actor=actor,
            participant=tenancy.participant,
            started_on=ended_on,
            after_tenancy=tenancy,
            note=_("Rehousing after the eviction."),
        )
    return tenancy


# --- inspections and photos (C2, C4) ---------------------------------------------------------------------------


@transaction.atomic
def inspection_record(
    *,
    actor: User,
    unit: Unit,
    kind: str,
    inspected_on: datetime.date,
    condition: str,
    notes: str = "",
    tenancy: Tenancy | None = None,
) -> UnitInspection:
    errors: dict[str, list[str]] = {}
    if kind not in UnitInspection.Kind.values:
        errors.setdefault("kind", []).append(_("Choose the kind of inspection."))
    if condition not in UnitInspection.Condition.values:
        errors.setdefault("condition", []).append(_("Choose the unit's condition."))
    _check_date(errors, "inspected_on", inspected_on)
    if "inspected_on" not in errors and inspected_on > clock.today():
        errors.setdefault("inspected_on", []).append(_("An inspection is recorded once it is done."))
    notes = _text(errors, "notes", notes, _note_limit())
    if tenancy is not None and tenancy.unit_id != unit.pk:
        errors.setdefault("tenancy", []).append(_("This tenancy is in another unit."))
    _raise(errors)
    inspection = UnitInspection.objects.create(
        unit=unit,
        tenancy=tenancy,
        kind=kind,
        inspected_on=inspected_on,
        condition=condition,
        notes=notes,
        recorded_by=actor,
    )
    audit.record(
        actor=actor,
        action="housing.inspection.recorded",
        obj=inspection,
        participant=tenancy.participant if tenancy else None,
        organisation=None if tenancy else unit.organisation,
        data={"kind": kind, "condition": condition, "unit": unit.pk},
    )
    return inspection


def check_photo(upload: UploadedFile) -> str:
    """The upload is really a JPEG, PNG or WebP image, whole, of a sensible size: its content type, or a
    ValidationError in words (a text file renamed .jpg, a truncated image, a decompression bomb)."""
    import warnings

    from PIL import Image

    max_bytes = int(settings.ANCRAGE.get("INSPECTION_PHOTO_MAX_BYTES", 10 * 1024 * 1024))
    max_pixels = int(settings.ANCRAGE.get("INSPECTION_PHOTO_MAX_PIXELS", 40_000_000))
    not_image = ValidationError({"image": [_("This file is not a photo: send a JPEG, PNG or WebP image.")]})
    if upload is None:
        raise ValidationError({"image": [_("Choose a photo.")]})
    if upload.size is not None and upload.size > max_bytes:
        raise ValidationError(
            {
                "image": [
                    _("This photo is too large (at most %(mb)s MB).") % {"mb": max_bytes // (1024 * 1024)}
                ]
            }
        )
    try:
        upload.seek(0)
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as probe:
                fmt = probe.format or ""
                width, height = probe.size
                if width * height > max_pixels:
                    raise ValidationError({"image": [_("This photo has too many pixels.")]})
                probe.verify()
            upload.seek(0)
            # verify() does not decode the pixels: load them once to refuse a truncated image.
            with Image.open(upload) as full:
                full.load()
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError({"image": [_("This photo has too many pixels.")]}) from None
    except Exception:
        raise not_image from None
    finally:
        with contextlib.suppress(Exception):
            upload.seek(0)
    if fmt not in PHOTO_FORMATS:
        raise not_image
    return PHOTO_FORMATS[fmt]


@transaction.atomic
def photo_add(
    *, actor: User, inspection: UnitInspection, upload: UploadedFile, caption: str = ""
) -> InspectionPhoto:
    errors: dict[str, list[str]] = {}
    caption = _text(errors, "caption", caption, 200)
    _raise(errors)
    content_type = check_photo(upload)
    photo = InspectionPhoto(
        inspection=inspection, content_type=content_type, caption=caption, recorded_by=actor
    )
    photo.image.save("photo", upload, save=False)
    photo.save()
    participant = inspection.tenancy.participant if inspection.tenancy_id else None  # type: ignore[union-attr]
    audit.record(
        actor=actor,
        action="housing.photo.added",
        obj=photo,
        participant=participant,
        data={"inspection": inspection.pk, "content_type": content_type},
    )
    return photo


# --- eviction, learning plan and temporary stays (C8) -----------------------------------------------------------


@transaction.atomic
def eviction_record(
    *,
    actor: User,
    tenancy: Tenancy,
    left_on: datetime.date,
    causes: list[str],
    what_led: str = "",
    notice_received_on: datetime.date | None = None,
    learning_plan: str = "",
    plan_agreed_on: datetime.date | None = None,
    note: str = "",
) -> Eviction:
    """An eviction: what led to it, and the end of the tenancy on the day the participant left (which opens
    a new housing search: rehousing). The participant's services go on."""
    errors: dict[str, list[str]] = {}
    _check_date(errors, "left_on", left_on)
    _check_date(errors, "notice_received_on", notice_received_on, required=False)
    _check_date(errors, "plan_agreed_on", plan_agreed_on, required=False)
    causes = list(dict.fromkeys(causes or []))
    if not causes:
        errors.setdefault("causes", []).append(_("Choose at least one cause."))
    elif any(c not in Eviction.Cause.values for c in causes):
        errors.setdefault("causes", []).append(_("Choose causes from the list."))
    what_led = _text(errors, "what_led", what_led, _note_limit())
    learning_plan = _text(errors, "learning_plan", learning_plan, _note_limit())
    if learning_plan and plan_agreed_on is None and "plan_agreed_on" not in errors:
        errors.setdefault("plan_agreed_on", []).append(
            _("Give the day the plan was agreed with the participant.")
        )
    if (
        notice_received_on is not None
        and "notice_received_on" not in errors
        and "left_on" not in errors
        and notice_received_on > left_on
    ):
        errors.setdefault("notice_received_on", []).append(_("The notice comes before the participant left."))
    if Eviction.objects.filter(tenancy=tenancy).exists():
        errors.setdefault("__all__", []).append(_("An eviction is already recorded for this tenancy."))
    if tenancy.ended_on is not None and tenancy.end_reason != Tenancy.EndReason.EVICTION:
        errors.setdefault("__all__", []).append(_("This tenancy ended for another reason."))
    _raise(errors)
    if tenancy.ended_on is None:
        tenancy_end(
            actor=actor, tenancy=tenancy, ended_on=left_on, reason=Tenancy.EndReason.EVICTION, note=note
        )
    eviction = Eviction.objects.create(
        tenancy=tenancy,
        notice_received_on=notice_received_on,
        left_on=left_on,
        causes=causes,
        what_led=what_led,
        learning_plan=learning_plan,
        plan_agreed_on=plan_agreed_on if learning_plan else None,
        recorded_by=actor,
    )
    audit.record(
        actor=actor,
        action="housing.eviction.recorded",
        obj=eviction,
        participant=tenancy.participant,
        data={"causes": causes, "left_on": left_on.isoformat()},
    )
    return eviction


@transaction.atomic
def eviction_plan(
    *, actor: User, eviction: Eviction, learning_plan: str, plan_agreed_on: datetime.date
) -> Eviction:
    """The learning plan written with the participant, in their words, and the day they agreed to it."""
    eviction = (
        Eviction.objects.select_for_update(of=("self",))
        .select_related("tenancy__participant")
        .get(pk=eviction.pk)
    )
    errors: dict[str, list[str]] = {}
    learning_plan = _text(errors, "learning_plan", learning_plan, _note_limit(), required=True)
    _check_date(errors, "plan_agreed_on", plan_agreed_on)
    _raise(errors)
    eviction.learning_plan, eviction.plan_agreed_on = learning_plan, plan_agreed_on
    eviction.save(update_fields=["learning_plan", "plan_agreed_on"])
    audit.record(
        actor=actor,
        action="housing.eviction.plan_written",
        obj=eviction,
        participant=eviction.tenancy.participant,
        data={"plan_agreed_on": plan_agreed_on.isoformat()},
    )
    return eviction


@transaction.atomic
def temporary_stay_record(
    *,
    actor: User,
    participant: Participant,
    kind: str,
    stay_from: datetime.date,
    stay_to: datetime.date | None = None,
    place: str = "",
    eviction: Eviction | None = None,
) -> TemporaryStay:
    errors: dict[str, list[str]] = {}
    if kind not in TemporaryStay.Kind.values:
        errors.setdefault("kind", []).append(_("Choose the kind of stay."))
    _check_date(errors, "stay_from", stay_from)
    _check_date(errors, "stay_to", stay_to, required=False)
    place = _text(errors, "place", place, 200)
    if stay_to is not None and "stay_to" not in errors and "stay_from" not in errors and stay_to < stay_from:
        errors.setdefault("stay_to", []).append(_("A stay cannot end before it starts."))
    if eviction is not None and eviction.tenancy.participant_id != participant.pk:
        errors.setdefault("eviction", []).append(_("This eviction is another participant's."))
    _raise(errors)
    stay = TemporaryStay.objects.create(
        participant=participant,
        eviction=eviction,
        kind=kind,
        place=place,
        stay_from=stay_from,
        stay_to=stay_to,
        recorded_by=actor,
    )
    audit.record(
        actor=actor,
        action="housing.stay.recorded",
        obj=stay,
        participant=participant,
        data={"kind": kind, "from": stay_from.isoformat(), "to": stay_to.isoformat() if stay_to else None},
    )
    return stay


@transaction.atomic
def stay_link_expense(*, actor: User, stay: TemporaryStay, expense) -> TemporaryStay:
    """The budget's expense that paid a temporary stay (C7, C8): one expense per stay, for the same person."""
    stay = TemporaryStay.objects.select_for_update().get(pk=stay.pk)
    if stay.expense_id is not None:
        raise ValidationError({"__all__": [_("This stay's expense is already recorded.")]})
    if expense.participant_id != stay.participant_id:
        raise ValidationError({"__all__": [_("The expense is not for the person of this stay.")]})
    stay.expense = expense
    stay.save(update_fields=["expense"])
    audit.record(
        actor=actor,
        action="housing.stay.expense_linked",
        obj=stay,
        participant=stay.participant,
        data={"expense": expense.pk, "amount": str(expense.amount)},
    )
    return stay
