"""Move-in support (C6): the furniture bank's items and their stock, starter kits, reservations for a participant
and the deliveries that bring them home. Imported by `ancrage.housing.models`; it names the other housing
models by their label, so it imports none of them.

The stock of an item is two counters, changed only by `ancrage.housing.services_furniture` under
`select_for_update`: what is on hand (received minus given, plus adjustments), and how much of it is reserved
for someone and not yet delivered. The database refuses a negative count and more reserved than on hand, so
no race can make the stock negative; every change of `on_hand` is also a row of `StockMovement`."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from ancrage.core.models import TimeStampedModel


class _Named(models.Model):
    name_fr = models.CharField(_("name (French)"), max_length=100)
    name_en = models.CharField(
        _("name (English)"),
        max_length=100,
        blank=True,
        help_text=_("Leave empty when it is the French name."),
    )

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        if (get_language() or "fr").startswith("en") and self.name_en:
            return self.name_en
        return self.name_fr


class FurnitureItem(_Named, TimeStampedModel):
    """A kind of thing the furniture bank gives (a bed, a table, a set of pots), with its stock."""

    class Category(models.TextChoices):
        BED = "bed", _("Bed")
        TABLE = "table", _("Table")
        CHAIRS = "chairs", _("Chairs")
        KITCHEN = "kitchen", _("Kitchen")
        LINEN = "linen", _("Linen")
        OTHER = "other", _("Other")

    # The housing team that keeps the furniture bank.
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("kept by"),
        on_delete=models.PROTECT,
        related_name="furniture_items",
    )
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    on_hand = models.PositiveIntegerField(_("on hand"), default=0)
    reserved = models.PositiveIntegerField(_("reserved"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("furniture item")
        verbose_name_plural = _("furniture items")
        ordering = ["category", "name_fr", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(reserved__lte=models.F("on_hand")), name="furniture_reserved_within_stock"
            ),
            models.UniqueConstraint(fields=["organisation", "name_fr"], name="furniture_item_unique_name"),
        ]

    @property
    def available(self) -> int:
        """What can still be reserved: on hand and not promised to anyone."""
        return self.on_hand - self.reserved


class StockMovement(models.Model):
    """One change of an item's stock on hand: received (a donation, a purchase), given (a delivery), or
    adjusted (a count, a broken piece). `quantity` is signed: what it added to the stock on hand."""

    class Kind(models.TextChoices):
        RECEIVED = "received", _("Received")
        GIVEN = "given", _("Given")
        ADJUSTED = "adjusted", _("Adjusted")

    item = models.ForeignKey(
        FurnitureItem, verbose_name=_("item"), on_delete=models.PROTECT, related_name="movements"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    quantity = models.IntegerField(_("quantity"))
    at = models.DateTimeField(_("when"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    delivery = models.ForeignKey(
        "housing.FurnitureDelivery",
        verbose_name=_("delivery"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="movements",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("stock movement")
        verbose_name_plural = _("stock movements")
        ordering = ["-at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(quantity=0), name="stock_movement_not_zero")
        ]

    def __str__(self) -> str:
        return f"{self.item} {self.quantity:+d}"


class StarterKit(_Named, TimeStampedModel):
    """A set of items given together (the « Trousse de départ » kitchen set): reserving it reserves its lines."""

    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("kept by"),
        on_delete=models.PROTECT,
        related_name="starter_kits",
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("starter kit")
        verbose_name_plural = _("starter kits")
        ordering = ["name_fr", "id"]


class StarterKitLine(models.Model):
    kit = models.ForeignKey(StarterKit, verbose_name=_("kit"), on_delete=models.CASCADE, related_name="lines")
    item = models.ForeignKey(
        FurnitureItem, verbose_name=_("item"), on_delete=models.PROTECT, related_name="+"
    )
    quantity = models.PositiveSmallIntegerField(_("quantity"), default=1)

    class Meta:
        verbose_name = _("starter kit line")
        verbose_name_plural = _("starter kit lines")
        constraints = [
            models.UniqueConstraint(fields=["kit", "item"], name="starter_kit_line_unique"),
            models.CheckConstraint(condition=models.Q(quantity__gte=1), name="starter_kit_line_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.item}"


class FurnitureReservation(TimeStampedModel):
    """Items set aside for a participant (and their tenancy, if they have one) until they are delivered."""

    class Status(models.TextChoices):
        RESERVED = "reserved", _("Reserved")
        DELIVERED = "delivered", _("Delivered")
        CANCELLED = "cancelled", _("Cancelled")

    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("furniture bank"),
        on_delete=models.PROTECT,
        related_name="furniture_reservations",
    )
    participant = models.ForeignKey(
        "people.Participant",
        verbose_name=_("participant"),
        on_delete=models.PROTECT,
        related_name="furniture_reservations",
    )
    tenancy = models.ForeignKey(
        "housing.Tenancy",
        verbose_name=_("tenancy"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="furniture_reservations",
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.RESERVED)
    note = models.CharField(_("note"), max_length=300, blank=True)
    reserved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reserved by"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("furniture reservation")
        verbose_name_plural = _("furniture reservations")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["participant", "status"], name="furniture_resa_participant")]

    def __str__(self) -> str:
        return f"{self.participant} — {self.get_status_display()}"


class ReservationLine(models.Model):
    reservation = models.ForeignKey(
        FurnitureReservation, verbose_name=_("reservation"), on_delete=models.CASCADE, related_name="lines"
    )
    item = models.ForeignKey(
        FurnitureItem, verbose_name=_("item"), on_delete=models.PROTECT, related_name="+"
    )
    quantity = models.PositiveSmallIntegerField(_("quantity"))
    # The kit the line comes from, if any (what the participant received reads "Trousse de départ").
    kit = models.ForeignKey(
        StarterKit, verbose_name=_("kit"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("reservation line")
        verbose_name_plural = _("reservation lines")
        constraints = [
            models.CheckConstraint(condition=models.Q(quantity__gte=1), name="reservation_line_positive")
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.item}"


class FurnitureDelivery(TimeStampedModel):
    """Bringing a reservation home: where, when (a day and a time window), who carries it, and how it went."""

    class Carrier(models.TextChoices):
        VAN = "van", _("The program's van")
        MOVER = "mover", _("A mover")
        PARTICIPANT = "participant", _("The participant picks it up")
        VOLUNTEER = "volunteer", _("A volunteer")

    class Status(models.TextChoices):
        BOOKED = "booked", _("Booked")
        DELIVERED = "delivered", _("Delivered")
        CANCELLED = "cancelled", _("Cancelled")

    reservation = models.ForeignKey(
        FurnitureReservation,
        verbose_name=_("reservation"),
        on_delete=models.PROTECT,
        related_name="deliveries",
    )
    participant = models.ForeignKey(
        "people.Participant",
        verbose_name=_("participant"),
        on_delete=models.PROTECT,
        related_name="furniture_deliveries",
    )
    address = models.CharField(_("address"), max_length=300)
    scheduled_for = models.DateField(_("day"))
    window_start = models.TimeField(_("from"))
    window_end = models.TimeField(_("to"))
    carrier = models.CharField(_("who carries it"), max_length=20, choices=Carrier.choices)
    carrier_name = models.CharField(_("name of the mover or volunteer"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.BOOKED)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("booked by"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("furniture delivery")
        verbose_name_plural = _("furniture deliveries")
        ordering = ["scheduled_for", "window_start", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(window_end__gt=models.F("window_start")), name="delivery_window_ordered"
            ),
        ]
        indexes = [models.Index(fields=["scheduled_for", "status"], name="furniture_delivery_day")]

    def __str__(self) -> str:
        return f"{self.participant} — {self.scheduled_for}"
