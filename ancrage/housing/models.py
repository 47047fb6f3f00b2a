"""Housing (C1–C9): areas of the city, landlords and their buildings, the units offered to the programs, tenancies,
and the housing budgets. Each part of the housing work (choice, rent payment, furniture bank, evictions and
rehousing) adds its own records on these."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models.functions import Coalesce
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from ancrage.core.models import RecordedModel, TimeStampedModel


class Area(models.Model):
    """A borough or a neighbourhood, from a list administrators keep (configuration, not free text), so that
    units, people's choices and reports name places the same way. A choice of a borough covers its
    neighbourhoods. Areas are retired (inactive), never deleted: units and choices keep naming them."""

    class Kind(models.TextChoices):
        BOROUGH = "borough", _("Borough")
        NEIGHBOURHOOD = "neighbourhood", _("Neighbourhood")

    name_fr = models.CharField(_("name (French)"), max_length=100)
    name_en = models.CharField(
        _("name (English)"),
        max_length=100,
        blank=True,
        help_text=_("Leave empty when it is the French name."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("borough"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="neighbourhoods",
        limit_choices_to={"kind": "borough"},
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        ordering = ["name_fr", "id"]
        constraints = [
            models.UniqueConstraint(fields=["name_fr"], name="area_unique_name_fr"),
            models.CheckConstraint(
                condition=models.Q(kind="borough", parent__isnull=True) | models.Q(kind="neighbourhood"),
                name="area_borough_has_no_parent",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """The name in the current language (English falls back on the French name)."""
        if (get_language() or "fr").startswith("en") and self.name_en:
            return self.name_en
        return self.name_fr

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.kind == self.Kind.BOROUGH and self.parent_id is not None:
            raise ValidationError({"parent": _("A borough is not inside another area.")})
        if self.kind == self.Kind.NEIGHBOURHOOD and self.parent_id is None:
            raise ValidationError({"parent": _("Choose the borough this neighbourhood is in.")})
        if self.parent is not None and self.parent.kind != self.Kind.BOROUGH:
            raise ValidationError({"parent": _("A neighbourhood is inside a borough.")})


class UnitKind(models.TextChoices):
    SCATTERED_SITE = "scattered_site", _("Scattered-site apartment")
    CONGREGATE = "congregate", _("Congregate housing")
    ROOMING_HOUSE = "rooming_house", _("Room in a rooming house")
    SOCIAL_HOUSING = "social_housing", _("Social or community housing")


class AccessibilityFeature(models.TextChoices):
    """What a unit offers and what a person needs (A2: needs are checked against features)."""

    STEP_FREE = "step_free", _("Step-free entrance")
    ELEVATOR = "elevator", _("Elevator")
    GROUND_FLOOR = "ground_floor", _("Ground floor")
    WHEELCHAIR = "wheelchair", _("Wheelchair accessible")
    GRAB_BARS = "grab_bars", _("Grab bars in the bathroom")
    VISUAL_ALARM = "visual_alarm", _("Visual fire alarm")
    PETS_ALLOWED = "pets_allowed", _("Pets allowed")


class Landlord(TimeStampedModel):
    """A landlord or property manager in the housing team's book (C1): a person or a company, with the program's
    named contact who calls them, in good times as in bad. Retired (inactive), never deleted."""

    class Kind(models.TextChoices):
        PERSON = "person", _("Private owner (a person)")
        COMPANY = "company", _("Company or property manager")
        NON_PROFIT = "non_profit", _("Non-profit or housing co-operative")
        PUBLIC = "public", _("Public housing office")

    class Channel(models.TextChoices):
        PHONE = "phone", _("Phone")
        TEXT = "text", _("Text message")
        EMAIL = "email", _("Email")
        IN_PERSON = "in_person", _("In person")
        MAIL = "mail", _("Mail")

    # The housing team that keeps this landlord in its book (the consortium's shared housing service).
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("kept by"),
        on_delete=models.PROTECT,
        related_name="landlords",
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("email"), blank=True)
    address = models.CharField(_("mailing address"), max_length=300, blank=True)
    preferred_channel = models.CharField(
        _("preferred channel"), max_length=20, choices=Channel.choices, default=Channel.PHONE
    )
    language = models.CharField(
        _("language"), max_length=5, choices=[("fr", "Français"), ("en", "English")], default="fr"
    )
    # The program's named contact for this landlord (C1): the one who calls them and whom they call.
    program_contact = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("program contact"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="landlords_in_charge",
    )
    # Days between friendly check-ins for this landlord; empty: the setting LANDLORD_CHECKIN_DAYS.
    checkin_every_days = models.PositiveSmallIntegerField(_("check-in every (days)"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("landlord")
        verbose_name_plural = _("landlords")
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["organisation", "is_active", "name"], name="landlord_book")]

    def __str__(self) -> str:
        return self.name


class Building(TimeStampedModel):
    """A building a landlord owns or manages; its units are in it."""

    landlord = models.ForeignKey(
        Landlord, verbose_name=_("landlord"), on_delete=models.PROTECT, related_name="buildings"
    )
    name = models.CharField(_("name"), max_length=200, blank=True, help_text=_("If the building has one."))
    address = models.CharField(_("address"), max_length=300)
    area = models.ForeignKey(
        Area,
        verbose_name=_("area"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="buildings",
    )
    notes = models.TextField(_("notes"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("building")
        verbose_name_plural = _("buildings")
        ordering = ["address", "id"]

    def __str__(self) -> str:
        return self.name or self.address


class Utility(models.TextChoices):
    """What the rent includes (C2)."""

    HEATING = "heating", _("Heating")
    ELECTRICITY = "electricity", _("Electricity")
    HOT_WATER = "hot_water", _("Hot water")
    APPLIANCES = "appliances", _("Appliances (stove, fridge)")


class Unit(TimeStampedModel):
    """A dwelling the housing team can offer. Its requirements are data (ancrage.organisations.requirements), checked by ancrage.access.eligibility."""

    class Status(models.TextChoices):
        AVAILABLE = "available", _("Available")
        RESERVED = "reserved", _("Reserved for a match")
        OCCUPIED = "occupied", _("Occupied")
        OFF_MARKET = "off_market", _("Off the market")
        # Kept out of matching for a while (repairs, a landlord's delay), with the reason.
        ON_HOLD = "on_hold", _("On hold")

    class Condition(models.TextChoices):
        GOOD = "good", _("Good")
        MINOR_REPAIRS = "minor_repairs", _("Minor repairs needed")
        MAJOR_REPAIRS = "major_repairs", _("Major repairs needed")
        UNINHABITABLE = "uninhabitable", _("Uninhabitable")

    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("held by"),
        on_delete=models.PROTECT,
        related_name="units",
    )
    address = models.CharField(_("address"), max_length=300)
    area = models.ForeignKey(
        Area, verbose_name=_("area"), null=True, blank=True, on_delete=models.PROTECT, related_name="units"
    )
    # The neighbourhood as typed before areas existed, kept when it matched no area (nothing typed is lost).
    neighbourhood = models.CharField(_("neighbourhood as typed before"), max_length=100, blank=True)
    kind = models.CharField(_("type of housing"), max_length=30, choices=UnitKind.choices)
    bedrooms = models.PositiveSmallIntegerField(_("bedrooms"), default=1)
    monthly_rent = models.DecimalField(_("monthly rent"), max_digits=8, decimal_places=2)
    features = models.JSONField(_("accessibility and features"), default=list, blank=True)
    # [{"criterion": ..., "rule": "must" | "must_not", ...}]: see ancrage.access.eligibility.
    requirements = models.JSONField(_("requirements"), default=list, blank=True)
    available_from = models.DateField(_("available from"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.AVAILABLE)
    hold_reason = models.CharField(_("why it is on hold"), max_length=300, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("added by"), on_delete=models.PROTECT, related_name="+"
    )
    # The building the unit is in, and so its landlord; empty only for units recorded before the book.
    building = models.ForeignKey(
        Building,
        verbose_name=_("building"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="units",
    )
    # What the book knows of the unit (C2), kept apart from its status in matching.
    unit_number = models.CharField(_("apartment"), max_length=20, blank=True)
    utilities = models.JSONField(_("utilities included"), default=list, blank=True)
    smoking_allowed = models.BooleanField(_("smoking allowed"), default=False)
    condition = models.CharField(_("condition"), max_length=20, choices=Condition.choices, default="good")
    available_until = models.DateField(_("available until"), null=True, blank=True)

    class Meta:
        verbose_name = _("housing unit")
        verbose_name_plural = _("housing units")
        ordering = ["address", "id"]
        indexes = [
            # The list of units walks its order and stops after its page (issue 16).
            models.Index(fields=["address", "id"], name="unit_address"),
            # The availability list: the available units in its order, read up to the last day it shows.
            models.Index(
                fields=["available_from", "monthly_rent", "id"],
                name="unit_available",
                condition=models.Q(status="available"),
            ),
        ]

    def __str__(self) -> str:
        address = f"{self.address}, app. {self.unit_number}" if self.unit_number else self.address
        return f"{address} ({self.place})"

    @property
    def place(self) -> str:
        """Where the unit is, in words: its area, or the neighbourhood typed before areas."""
        return self.area.name if self.area_id is not None and self.area is not None else self.neighbourhood

    def clean(self) -> None:
        """Requirements and features typed in the administration are checked like any other input."""
        from django.core.exceptions import ValidationError

        from ancrage.organisations.requirements import validate_requirements

        errors = {}
        problems = validate_requirements(self.requirements)
        if problems:
            errors["requirements"] = problems
        if not isinstance(self.features, list) or any(
            f not in AccessibilityFeature.values for f in self.features
        ):
            errors["features"] = [
                _("Features are a list of: %(known)s.") % {"known": ", ".join(AccessibilityFeature.values)}
            ]
        if errors:
            raise ValidationError(errors)


class LeaseKind(models.TextChoices):
    DIRECT = "direct", _("Direct lease (the participant signs with the landlord)")
    HEAD_LEASE = "head_lease", _("Head lease (held by the program's non-profit, sublet to the participant)")


def list_end() -> Coalesce:
    """A tenancy's end as the list of tenancies orders it: its end date, or for one going on the last date
    there is, so it comes after every ending one (PostgreSQL's NULLS LAST of `ended_on`) as one value that
    an index holds and a range reads from today on (the index `tenancy_list`)."""
    return Coalesce("ended_on", models.Value(datetime.date.max), output_field=models.DateField())


# The list of tenancies: those ending first, the soonest first, then those going on; the latest lease first.
TENANCY_LIST_ORDER = ("list_end", "-lease_start", "-id")


class Tenancy(TimeStampedModel):
    """A participant's lease of one unit (C4), from the move-in to its end. A rehousing is a new tenancy whose
    `previous` is the one that ended (C8): an ordinary, counted event. Amounts are exact decimals."""

    class EndReason(models.TextChoices):
        MOVED_BY_CHOICE = "moved_by_choice", _("Moved by choice")
        REHOUSED = "rehoused", _("Rehoused by the program (transfer to another unit)")
        EVICTION = "eviction", _("Eviction")
        LEFT_UNDER_PRESSURE = "left_under_pressure", _("Left after a landlord's notice")
        ABANDONED = "abandoned", _("Unit abandoned")
        INSTITUTION = "institution", _("Hospital, treatment or detention")
        DECEASED = "deceased", _("Deceased")
        LEASE_NOT_RENEWED = "lease_not_renewed", _("Lease not renewed by the landlord")
        OTHER = "other", _("Other")

    class Risk(models.TextChoices):
        NONE = "none", _("No known risk")
        WATCH = "watch", _("To watch")
        HIGH = "high", _("At risk of losing the housing")

    participant = models.ForeignKey(
        "people.Participant",
        verbose_name=_("participant"),
        on_delete=models.PROTECT,
        related_name="tenancies",
    )
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="tenancies")
    # Who is paid the rent (the unit's landlord when the lease started, kept if the building changes hands).
    landlord = models.ForeignKey(
        Landlord, verbose_name=_("landlord"), on_delete=models.PROTECT, related_name="tenancies"
    )
    # The program that follows the participant in this housing (its budgets pay the tenancy's expenses).
    program = models.ForeignKey(
        "organisations.Program",
        verbose_name=_("program"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tenancies",
    )
    lease_kind = models.CharField(_("kind of lease"), max_length=20, choices=LeaseKind.choices)
    head_lease_holder = models.CharField(
        _("head lease held by"),
        max_length=200,
        blank=True,
        help_text=_("The non-profit that signed the lease."),
    )
    lease_start = models.DateField(_("lease starts on"))
    lease_end = models.DateField(_("lease ends on"), null=True, blank=True)
    moved_in_on = models.DateField(_("moved in on"), null=True, blank=True)
    monthly_rent = models.DecimalField(_("monthly rent"), max_digits=8, decimal_places=2)
    participant_share = models.DecimalField(_("participant's share"), max_digits=8, decimal_places=2)
    participant_monthly_income = models.DecimalField(
        _("participant's monthly income"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    rent_supplement = models.DecimalField(
        _("rent supplement"), max_digits=8, decimal_places=2, default=Decimal("0.00")
    )
    supplement_source = models.CharField(_("rent supplement paid by"), max_length=200, blank=True)
    deposit = models.DecimalField(_("deposit"), max_digits=8, decimal_places=2, default=Decimal("0.00"))
    # Fidelity (C3): the participant chose this unit among the options offered.
    chosen_by_participant = models.BooleanField(_("chosen by the participant"), default=True)
    risk = models.CharField(_("risk to the tenancy"), max_length=10, choices=Risk.choices, default=Risk.NONE)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    end_reason = models.CharField(_("why it ended"), max_length=30, choices=EndReason.choices, blank=True)
    end_note = models.TextField(_("about the end"), blank=True)
    previous = models.ForeignKey(
        "self",
        verbose_name=_("previous tenancy"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="next_tenancies",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    # Choice (C3): the search the unit was chosen in, and why fewer units than HOUSING_OPTIONS_MIN were offered.
    search = models.ForeignKey(
        "HousingSearch",
        verbose_name=_("housing search"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tenancies",
    )
    few_options_reason = models.CharField(_("why fewer options were offered"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("tenancy")
        verbose_name_plural = _("tenancies")
        ordering = ["-lease_start", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(lease_end__isnull=True) | models.Q(lease_end__gte=models.F("lease_start")),
                name="tenancy_lease_ends_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True) | models.Q(ended_on__gte=models.F("lease_start")),
                name="tenancy_ends_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(monthly_rent__gte=0)
                & models.Q(participant_share__gte=0)
                & models.Q(rent_supplement__gte=0)
                & models.Q(deposit__gte=0),
                name="tenancy_amounts_not_negative",
            ),
        ]
        indexes = [
            models.Index(fields=["participant", "lease_start"], name="tenancy_participant"),
            models.Index(fields=["ended_on", "lease_start"], name="tenancy_active"),
            # The list of tenancies walks this index and stops after its page (issue 16).
            models.Index(
                list_end(), models.F("lease_start").desc(), models.F("id").desc(), name="tenancy_list"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant} — {self.unit.address}"

    def is_active_on(self, day: datetime.date) -> bool:
        return self.lease_start <= day and (self.ended_on is None or self.ended_on >= day)

    @property
    def share_of_income(self) -> Decimal | None:
        """The participant's share as a fraction of their income (Housing First aims at 30% at most)."""
        if not self.participant_monthly_income:
            return None
        return (self.participant_share / self.participant_monthly_income).quantize(Decimal("0.001"))


class BudgetLine(TimeStampedModel):
    """A program's housing budget for one kind of spending in one year (C7)."""

    class Kind(models.TextChoices):
        FURNITURE = "furniture", _("Furniture")
        STORAGE = "storage", _("Storage")
        INSURANCE = "insurance", _("Tenant insurance")
        MOVING = "moving", _("Moving")
        DAMAGE_REPAIRS = "damage_repairs", _("Damage repairs")
        TEMPORARY_STAYS = "temporary_stays", _("Temporary stays (motel, shelter)")
        OTHER = "other", _("Other")

    program = models.ForeignKey(
        "organisations.Program",
        verbose_name=_("program"),
        on_delete=models.PROTECT,
        related_name="budget_lines",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("kind of spending"), max_length=20, choices=Kind.choices)
    amount = models.DecimalField(_("amount budgeted"), max_digits=10, decimal_places=2)
    # A warning is shown before the line is exceeded, from this share of it spent.
    warn_at_percent = models.PositiveSmallIntegerField(_("warn from (% spent)"), default=85)

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["program", "-year", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["program", "year", "kind"], name="budget_line_unique"),
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="budget_line_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.program} {self.year} — {self.get_kind_display()}"


class Expense(RecordedModel):
    """Money spent from a budget line, for a participant or a tenancy when it is theirs (C7)."""

    line = models.ForeignKey(
        BudgetLine, verbose_name=_("budget line"), on_delete=models.PROTECT, related_name="expenses"
    )
    participant = models.ForeignKey(
        "people.Participant",
        verbose_name=_("participant"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="housing_expenses",
    )
    tenancy = models.ForeignKey(
        Tenancy,
        verbose_name=_("tenancy"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="expenses",
    )
    spent_on = models.DateField(_("spent on"))
    amount = models.DecimalField(_("amount"), max_digits=10, decimal_places=2)
    vendor = models.CharField(_("paid to"), max_length=200, blank=True)
    description = models.CharField(_("what for"), max_length=300)
    # Why the line was exceeded, when this expense took it past its amount (asked, never silent).
    over_budget_reason = models.CharField(_("why the line is exceeded"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("expense")
        verbose_name_plural = _("expenses")
        ordering = ["-spent_on", "-id"]
        constraints = [models.CheckConstraint(condition=models.Q(amount__gt=0), name="expense_positive")]

    def __str__(self) -> str:
        return f"{self.spent_on} {self.amount} — {self.description}"


class LandlordRepresentative(TimeStampedModel):
    """A person at the landlord the team deals with: the property manager, the superintendent (C1)."""

    class Role(models.TextChoices):
        OWNER = "owner", _("Owner")
        PROPERTY_MANAGER = "property_manager", _("Property manager")
        SUPERINTENDENT = "superintendent", _("Superintendent")
        OFFICE = "office", _("Office or accounting")
        OTHER = "other", _("Other")

    landlord = models.ForeignKey(
        Landlord, verbose_name=_("landlord"), on_delete=models.PROTECT, related_name="representatives"
    )
    name = models.CharField(_("name"), max_length=200)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.PROPERTY_MANAGER)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("email"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("landlord's representative")
        verbose_name_plural = _("landlord's representatives")
        ordering = ["landlord", "name", "id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_role_display()})"


class LandlordContact(RecordedModel):
    """One contact with a landlord, whatever its purpose: a friendly check-in, a complaint, a negotiation (C1).
    The last one of any purpose tells whether a check-in is due."""

    class Purpose(models.TextChoices):
        CHECK_IN = "check_in", _("Check-in")
        COMPLAINT = "complaint", _("Complaint")
        NEGOTIATION = "negotiation", _("Negotiation")
        THANKS = "thanks", _("Thanks")
        OTHER = "other", _("Other")

    landlord = models.ForeignKey(
        Landlord, verbose_name=_("landlord"), on_delete=models.PROTECT, related_name="contacts"
    )
    contacted_on = models.DateField(_("date of the contact"))
    channel = models.CharField(_("channel"), max_length=20, choices=Landlord.Channel.choices)
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices)
    summary = models.TextField(_("summary"))

    class Meta:
        verbose_name = _("contact with a landlord")
        verbose_name_plural = _("contacts with landlords")
        ordering = ["-contacted_on", "-id"]
        indexes = [models.Index(fields=["landlord", "contacted_on"], name="landlord_contact_last")]

    def __str__(self) -> str:
        return f"{self.contacted_on} {self.get_purpose_display()}"


class Complaint(RecordedModel):
    """A landlord's complaint, a formal notice or an application to the Tribunal administratif du logement,
    answered at once and followed to its resolution (C1). About a tenancy, it puts the tenancy at risk."""

    class Kind(models.TextChoices):
        COMPLAINT = "complaint", _("Complaint")
        NOTICE = "notice", _("Formal notice")
        TAL = "tal", _("Application to the Tribunal administratif du logement")

    class Subject(models.TextChoices):
        NOISE = "noise", _("Noise")
        DAMAGE = "damage", _("Damage")
        HYGIENE = "hygiene", _("Hygiene")
        GUESTS = "guests", _("Guests")
        RENT = "rent", _("Rent")
        BEHAVIOUR = "behaviour", _("Behaviour")
        OTHER = "other", _("Other")

    landlord = models.ForeignKey(
        Landlord, verbose_name=_("landlord"), on_delete=models.PROTECT, related_name="complaints"
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="complaints",
    )
    tenancy = models.ForeignKey(
        Tenancy,
        verbose_name=_("tenancy"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="complaints",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.COMPLAINT)
    subject = models.CharField(_("subject"), max_length=20, choices=Subject.choices)
    details = models.TextField(_("details"), blank=True)
    received_at = models.DateTimeField(_("received at"))
    first_response_at = models.DateTimeField(_("first response at"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolution = models.TextField(_("resolution"), blank=True)

    class Meta:
        verbose_name = _("complaint or notice")
        verbose_name_plural = _("complaints and notices")
        ordering = ["-received_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(first_response_at__isnull=True)
                | models.Q(first_response_at__gte=models.F("received_at")),
                name="complaint_response_after_received",
            ),
            models.CheckConstraint(
                condition=models.Q(resolved_at__isnull=True)
                | models.Q(resolved_at__gte=models.F("received_at")),
                name="complaint_resolved_after_received",
            ),
        ]
        indexes = [models.Index(fields=["landlord", "resolved_at"], name="complaint_open")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.get_subject_display()}"

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None

    @property
    def time_to_first_response(self) -> datetime.timedelta | None:
        return self.first_response_at - self.received_at if self.first_response_at else None

    @property
    def time_to_resolution(self) -> datetime.timedelta | None:
        return self.resolved_at - self.received_at if self.resolved_at else None


# --- Choice, tenancies' terms, inspections, evictions and rehousing (C3, C4, C8) -----------------------------


class HousingSearch(TimeStampedModel):
    """A participant's search for housing with the housing specialist (C3): the units offered in it, the
    participant's ranking and choice. A rehousing after an eviction opens a new one (C8)."""

    class Outcome(models.TextChoices):
        HOUSED = "housed", _("Housed")
        STOPPED = "stopped", _("Stopped")

    participant = models.ForeignKey(
        "people.Participant",
        verbose_name=_("participant"),
        on_delete=models.PROTECT,
        related_name="housing_searches",
    )
    started_on = models.DateField(_("started on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, blank=True)
    specialist = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("housing specialist"),
        on_delete=models.PROTECT,
        related_name="housing_searches",
    )
    # Rehousing (C8): the tenancy whose end opened this search.
    after_tenancy = models.ForeignKey(
        Tenancy,
        verbose_name=_("after the tenancy"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="rehousing_searches",
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("housing search")
        verbose_name_plural = _("housing searches")
        ordering = ["-started_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True) | models.Q(ended_on__gte=models.F("started_on")),
                name="housing_search_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant} — {self.started_on}"

    @property
    def is_open(self) -> bool:
        return self.ended_on is None


class HousingOption(TimeStampedModel):
    """A unit offered to a participant in a search (C3), and each step: their ranking and reasons in their
    own words, the viewing, the application, the landlord's decision, and their choice."""

    class Decision(models.TextChoices):
        ACCEPTED = "accepted", _("Accepted by the landlord")
        REFUSED = "refused", _("Refused by the landlord")

    search = models.ForeignKey(
        HousingSearch, verbose_name=_("housing search"), on_delete=models.PROTECT, related_name="options"
    )
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="options")
    offered_on = models.DateField(_("offered on"))
    offered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("offered by"), on_delete=models.PROTECT, related_name="+"
    )
    rank = models.PositiveSmallIntegerField(_("participant's rank"), null=True, blank=True)
    reasons = models.TextField(_("the participant's reasons, in their words"), blank=True)
    viewing_at = models.DateTimeField(_("viewing planned at"), null=True, blank=True)
    viewed_on = models.DateField(_("visited on"), null=True, blank=True)
    applied_on = models.DateField(_("applied on"), null=True, blank=True)
    decision = models.CharField(_("landlord's decision"), max_length=10, choices=Decision.choices, blank=True)
    decision_on = models.DateField(_("decided on"), null=True, blank=True)
    decision_reason = models.CharField(_("landlord's reason"), max_length=300, blank=True)
    declined_on = models.DateField(_("declined by the participant on"), null=True, blank=True)
    declined_reason = models.CharField(_("why the participant declined"), max_length=300, blank=True)
    chosen = models.BooleanField(_("chosen by the participant"), default=False)

    class Meta:
        verbose_name = _("housing option")
        verbose_name_plural = _("housing options")
        ordering = ["search", "rank", "offered_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["search", "unit"], name="housing_option_unit_once"),
            models.CheckConstraint(
                condition=models.Q(rank__isnull=True) | models.Q(rank__gte=1),
                name="housing_option_rank_from_1",
            ),
        ]
        indexes = [models.Index(fields=["viewing_at"], name="housing_option_viewing")]

    def __str__(self) -> str:
        return f"{self.unit.address}"

    @property
    def step(self) -> str:
        """Where the option stands, in words."""
        if self.chosen:
            return str(_("Chosen"))
        if self.declined_on:
            return str(_("Declined by the participant"))
        if self.decision:
            return str(self.get_decision_display())
        if self.applied_on:
            return str(_("Applied"))
        if self.viewed_on:
            return str(_("Visited"))
        if self.viewing_at:
            return str(_("Viewing planned"))
        return str(_("Offered"))


class TenancyRenewal(RecordedModel):
    """A lease renewed (C4): the tenancy's current terms take these, the earlier ones stay here."""

    tenancy = models.ForeignKey(
        Tenancy, verbose_name=_("tenancy"), on_delete=models.PROTECT, related_name="renewals"
    )
    renewed_on = models.DateField(_("renewed on"))
    new_end = models.DateField(_("new end of the lease"), null=True, blank=True)
    new_rent = models.DecimalField(_("new monthly rent"), max_digits=8, decimal_places=2)
    new_share = models.DecimalField(_("new participant's share"), max_digits=8, decimal_places=2)
    previous_end = models.DateField(_("previous end of the lease"), null=True, blank=True)
    previous_rent = models.DecimalField(_("previous monthly rent"), max_digits=8, decimal_places=2)
    previous_share = models.DecimalField(_("previous participant's share"), max_digits=8, decimal_places=2)

    class Meta:
        verbose_name = _("lease renewal")
        verbose_name_plural = _("lease renewals")
        ordering = ["tenancy", "renewed_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(new_rent__gte=0) & models.Q(new_share__gte=0),
                name="tenancy_renewal_amounts_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.tenancy_id} — {self.renewed_on}"


class UnitInspection(RecordedModel):
    """A unit's state seen on a day (C2, C4): at the move-in, the move-out, or on a routine visit."""

    class Kind(models.TextChoices):
        MOVE_IN = "move_in", _("Move-in")
        MOVE_OUT = "move_out", _("Move-out")
        ROUTINE = "routine", _("Routine")

    class Condition(models.TextChoices):
        GOOD = "good", _("Good")
        FAIR = "fair", _("Fair: small repairs")
        POOR = "poor", _("Poor: repairs needed")

    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="inspections"
    )
    tenancy = models.ForeignKey(
        Tenancy,
        verbose_name=_("tenancy"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inspections",
    )
    kind = models.CharField(_("kind of inspection"), max_length=10, choices=Kind.choices)
    inspected_on = models.DateField(_("inspected on"))
    condition = models.CharField(_("condition"), max_length=10, choices=Condition.choices)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        ordering = ["-inspected_on", "-id"]

    def __str__(self) -> str:
        return f"{self.unit.address} — {self.inspected_on}"


def inspection_photo_path(instance: InspectionPhoto, filename: str) -> str:
    """A path no one can guess (the photo is served only through a view that checks who asks)."""
    import secrets

    return f"inspections/{secrets.token_hex(16)}"


class InspectionPhoto(RecordedModel):
    """A photo taken at an inspection: kept through Django's storage, never under a public address."""

    inspection = models.ForeignKey(
        UnitInspection, verbose_name=_("inspection"), on_delete=models.PROTECT, related_name="photos"
    )
    image = models.ImageField(
        _("photo"), upload_to=inspection_photo_path, width_field="width", height_field="height"
    )
    content_type = models.CharField(_("content type"), max_length=20)
    width = models.PositiveIntegerField(_("width"), default=0)
    height = models.PositiveIntegerField(_("height"), default=0)
    caption = models.CharField(_("caption"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("inspection photo")
        verbose_name_plural = _("inspection photos")
        ordering = ["inspection", "id"]

    def __str__(self) -> str:
        return self.caption or str(self.pk)


class Eviction(RecordedModel):
    """What led to the end of a tenancy by eviction (C8), and the learning plan written with the participant.
    Services never stop: the participant is rehoused (an ordinary, counted event)."""

    class Cause(models.TextChoices):
        ARREARS = "arrears", _("Rent arrears")
        DAMAGE = "damage", _("Damage to the unit")
        NEIGHBOURS = "neighbours", _("Neighbours or noise")
        GUESTS = "guests", _("Guests")
        ILLEGAL = "illegal", _("Illegal activity")
        HYGIENE = "hygiene", _("Hygiene")
        LANDLORD = "landlord", _("Landlord's decision")
        OTHER = "other", _("Other")

    tenancy = models.OneToOneField(
        Tenancy, verbose_name=_("tenancy"), on_delete=models.PROTECT, related_name="eviction"
    )
    notice_received_on = models.DateField(_("notice received on"), null=True, blank=True)
    left_on = models.DateField(_("left on"))
    causes = models.JSONField(_("causes"), default=list)
    what_led = models.TextField(_("what led to it"), blank=True)
    learning_plan = models.TextField(_("learning plan, in the participant's words"), blank=True)
    plan_agreed_on = models.DateField(_("plan agreed on"), null=True, blank=True)

    class Meta:
        verbose_name = _("eviction")
        verbose_name_plural = _("evictions")
        ordering = ["-left_on", "-id"]

    def __str__(self) -> str:
        return f"{self.tenancy_id} — {self.left_on}"

    @property
    def cause_labels(self) -> list[str]:
        labels = dict(self.Cause.choices)
        return [str(labels.get(c, c)) for c in self.causes or []]


class TemporaryStay(RecordedModel):
    """Where a participant stayed between two homes (C8): a motel, a shelter, family or friends."""

    class Kind(models.TextChoices):
        MOTEL = "motel", _("Motel or hotel")
        SHELTER = "shelter", _("Shelter")
        FAMILY = "family", _("Family or friends")
        OTHER = "other", _("Other")

    participant = models.ForeignKey(
        "people.Participant",
        verbose_name=_("participant"),
        on_delete=models.PROTECT,
        related_name="temporary_stays",
    )
    eviction = models.ForeignKey(
        Eviction,
        verbose_name=_("eviction"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="temporary_stays",
    )
    kind = models.CharField(_("kind of stay"), max_length=10, choices=Kind.choices)
    place = models.CharField(_("place"), max_length=200, blank=True)
    stay_from = models.DateField(_("from"))
    stay_to = models.DateField(_("to"), null=True, blank=True)
    # The budgets part records the expense (C7); the stay shows it when linked.
    expense = models.ForeignKey(
        Expense,
        verbose_name=_("expense"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="temporary_stays",
    )

    class Meta:
        verbose_name = _("temporary stay")
        verbose_name_plural = _("temporary stays")
        ordering = ["-stay_from", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(stay_to__isnull=True) | models.Q(stay_to__gte=models.F("stay_from")),
                name="temporary_stay_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.stay_from}"


# The rent payment service's records (C5), in their own module.
from ancrage.housing.models_rent import (  # noqa: E402, F401
    LandlordPayment,
    PaymentMethod,
    ReceiptMethod,
    RentCharge,
    RentRoll,
    RepaymentPlan,
    ShareReceipt,
)

# Move-in support (C6): the furniture bank, in its own module.
from ancrage.housing.models_support import (  # noqa: E402, F401
    FurnitureDelivery,
    FurnitureItem,
    FurnitureReservation,
    ReservationLine,
    StarterKit,
    StarterKitLine,
    StockMovement,
)
