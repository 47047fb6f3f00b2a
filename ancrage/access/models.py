"""Coordinated access: referrals in, intake, the by-name list and its status history, living situations."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ancrage.core.models import TimeStampedModel


class Referral(TimeStampedModel):
    class SourceKind(models.TextChoices):
        OUTREACH = "outreach", _("Outreach")
        SHELTER = "shelter", _("Shelter")
        HOSPITAL = "hospital", _("Hospital")
        PRISON = "prison", _("Prison or detention")
        SELF = "self", _("Self-referral")
        PARTNER = "partner", _("Partner organisation")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        RECEIVED = "received", _("Received")
        INTAKE_STARTED = "intake_started", _("Intake started")
        INTAKE_DONE = "intake_done", _("Intake done")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("received by"),
        on_delete=models.PROTECT,
        related_name="referrals",
    )
    # Empty until intake finds the person in the registry or creates their file.
    participant = models.ForeignKey(
        "people.Participant",
        verbose_name=_("participant"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="referrals",
    )
    person_name = models.CharField(_("name of the person, as given"), max_length=200)
    person_description = models.TextField(_("description of the person"), blank=True)
    source_kind = models.CharField(_("access point"), max_length=20, choices=SourceKind.choices)
    source_name = models.CharField(_("referring organisation or person"), max_length=200, blank=True)
    reason = models.TextField(_("reason for the referral"))
    referred_at = models.DateTimeField(_("referred at"), default=timezone.now)
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.RECEIVED)

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-referred_at", "-id"]
        indexes = [models.Index(fields=["organisation", "status"], name="referral_org_status")]

    def __str__(self) -> str:
        return f"{self.person_name} · {self.referred_at:%Y-%m-%d}"


class Intake(models.Model):
    referral = models.OneToOneField(
        Referral, verbose_name=_("referral"), on_delete=models.PROTECT, related_name="intake"
    )
    participant = models.ForeignKey(
        "people.Participant", verbose_name=_("participant"), on_delete=models.PROTECT, related_name="intakes"
    )
    # The coordinated-access consent the intake relied on, kept even if it is later revoked.
    consent = models.ForeignKey(
        "people.Consent",
        verbose_name=_("consent relied on"),
        on_delete=models.PROTECT,
        related_name="intakes",
    )
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("done by"), on_delete=models.PROTECT, related_name="+"
    )
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)

    class Meta:
        verbose_name = _("intake")
        verbose_name_plural = _("intakes")
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"{self.participant} · {self.started_at:%Y-%m-%d}"

    @property
    def is_done(self) -> bool:
        return self.done_at is not None


class ByNameStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    INACTIVE = "inactive", _("Inactive")
    HOUSED = "housed", _("Housed")
    MOVED_AWAY = "moved_away", _("Moved away")
    INSTITUTION = "institution", _("In an institution")
    DECEASED = "deceased", _("Deceased")


class ByNameEntry(TimeStampedModel):
    """A person's one line on the community's by-name list."""

    participant = models.OneToOneField(
        "people.Participant",
        verbose_name=_("participant"),
        on_delete=models.PROTECT,
        related_name="by_name_entry",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ByNameStatus.choices, default=ByNameStatus.ACTIVE
    )
    # Required while the person is active (checked by the services, not the database: history keeps it).
    reference_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reference worker"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="by_name_entries",
    )
    entered_on = models.DateField(_("entered the list on"))
    status_since = models.DateField(_("status since"))
    last_contact_on = models.DateField(_("last contact on"), null=True, blank=True)
    # Cached result of ancrage.access.chronic.is_chronically_homeless, so the list can filter and sort
    # on it in the database; refreshed when a living situation is recorded and by a daily task.
    is_chronic = models.BooleanField(_("chronically homeless"), default=False)
    homeless_days_past_year = models.PositiveIntegerField(_("days homeless in the past year"), default=0)
    homeless_days_past_three_years = models.PositiveIntegerField(
        _("days homeless in the past three years"), default=0
    )
    chronic_computed_on = models.DateField(_("chronic status computed on"), null=True, blank=True)

    class Meta:
        verbose_name = _("by-name list entry")
        verbose_name_plural = _("by-name list entries")
        ordering = ["entered_on", "id"]
        indexes = [models.Index(fields=["status", "last_contact_on"], name="byname_status_contact")]

    def __str__(self) -> str:
        return f"{self.participant} · {self.get_status_display()}"

    @property
    def is_active(self) -> bool:
        return self.status == ByNameStatus.ACTIVE


class ByNameStatusChange(models.Model):
    """One change of status on the by-name list; the monthly flow figures are counted from these rows."""

    entry = models.ForeignKey(
        ByNameEntry, verbose_name=_("by-name list entry"), on_delete=models.CASCADE, related_name="changes"
    )
    # Empty on the row that records the person entering the list.
    from_status = models.CharField(_("from"), max_length=20, choices=ByNameStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=ByNameStatus.choices)
    on = models.DateField(_("on"))
    reason = models.CharField(_("reason"), max_length=300)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("by-name list status change")
        verbose_name_plural = _("by-name list status changes")
        ordering = ["on", "id"]
        indexes = [models.Index(fields=["on"], name="byname_change_on")]

    def __str__(self) -> str:
        return f"{self.on} {self.from_status or '∅'} → {self.to_status}"


class LivingSituationPeriod(models.Model):
    class Kind(models.TextChoices):
        HOMELESS_SHELTERED = "homeless_sheltered", _("Homeless, in a shelter")
        HOMELESS_UNSHELTERED = "homeless_unsheltered", _("Homeless, unsheltered")
        HOUSED = "housed", _("Housed")
        INSTITUTION = "institution", _("In an institution")
        UNKNOWN = "unknown", _("Unknown")

    HOMELESS_KINDS = frozenset({Kind.HOMELESS_SHELTERED, Kind.HOMELESS_UNSHELTERED})

    participant = models.ForeignKey(
        "people.Participant",
        verbose_name=_("participant"),
        on_delete=models.PROTECT,
        related_name="living_situations",
    )
    kind = models.CharField(_("living situation"), max_length=30, choices=Kind.choices)
    # Both dates are nights spent in that situation: the end date is the last one, included.
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until (included)"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("living situation")
        verbose_name_plural = _("living situations")
        ordering = ["starts_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=models.F("starts_on")),
                name="living_situation_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.starts_on} → {self.ends_on or '…'}"

    @property
    def is_homeless(self) -> bool:
        return self.kind in self.HOMELESS_KINDS
