"""Partners (E1–E3): the registry of external partners, their contacts and agreements, the monthly contact
log, police units linked to risk plans, and the significant-change notices sent to partners."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ancrage.core import clock
from ancrage.core.models import TimeStampedModel
from ancrage.core.signals import ChangeKind


class PartnerKind(models.TextChoices):
    POLICE = "police", pgettext_lazy("partners", "Police unit")
    HOSPITAL = "hospital", _("Hospital")
    TREATMENT = "treatment", _("Mental-health or addiction treatment")
    EMPLOYMENT = "employment", _("Employment (IPS)")
    INDIGENOUS = "indigenous", _("Indigenous services")
    FURNITURE_BANK = "furniture_bank", _("Furniture bank")
    FOOD_BANK = "food_bank", _("Food bank")
    LEGAL_AID = "legal_aid", _("Legal aid")
    INCOME_SUPPORT = "income_support", _("Income support")
    OTHER = "other", _("Other")


class Partner(TimeStampedModel):
    """An external partner of the consortium (E1), possibly an organisation that also uses Ancrage."""

    consortium = models.ForeignKey(
        "organisations.Consortium", verbose_name=_("consortium"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind of partner"), max_length=30, choices=PartnerKind.choices)
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    website = models.URLField(_("website"), blank=True)
    # When the partner also uses Ancrage: consents name it, and its people read the notices in the app.
    organisation = models.OneToOneField(
        "organisations.Organisation",
        verbose_name=_("organisation in Ancrage"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="partner",
    )
    # The directory service (casework) this partner is: its open referrals make it involved (E3).
    service_provider = models.OneToOneField(
        "casework.ServiceProvider",
        verbose_name=_("service of the directory"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="partner",
    )
    contact_every_days = models.PositiveSmallIntegerField(
        _("contact every (days)"),
        null=True,
        blank=True,
        help_text=_("Leave empty for the program's cadence."),
    )
    notes = models.TextField(_("notes"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = pgettext_lazy("partners", "partner")
        verbose_name_plural = pgettext_lazy("partners", "partners")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["consortium", "name"], name="partner_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def cadence_days(self) -> int:
        return self.contact_every_days or settings.ANCRAGE["PARTNER_CONTACT_DAYS"]


class PartnerContact(models.Model):
    """A person to reach at a partner."""

    partner = models.ForeignKey(
        Partner,
        verbose_name=pgettext_lazy("partners", "partner"),
        on_delete=models.CASCADE,
        related_name="contacts",
    )
    name = models.CharField(_("name"), max_length=150)
    role = models.CharField(_("role"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("email"), blank=True)
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    receives_notices = models.BooleanField(_("receives significant-change notices by email"), default=False)

    class Meta:
        verbose_name = _("partner contact")
        verbose_name_plural = _("partner contacts")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


def agreement_path(instance: PartnerAgreement, filename: str) -> str:
    # The stored name never carries the uploaded file name.
    import uuid

    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"agreements/{clock.now():%Y/%m}/{uuid.uuid4().hex}.{ext}"


class PartnerAgreement(TimeStampedModel):
    class Kind(models.TextChoices):
        SERVICE = "service", _("Service agreement")
        INFORMATION_SHARING = "information_sharing", _("Information-sharing agreement")
        REFERRAL = "referral", _("Referral protocol")
        MEMORANDUM = "memorandum", _("Memorandum of understanding")
        OTHER = "other", _("Other")

    partner = models.ForeignKey(
        Partner,
        verbose_name=pgettext_lazy("partners", "partner"),
        on_delete=models.PROTECT,
        related_name="agreements",
    )
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind of agreement"), max_length=30, choices=Kind.choices)
    signed_on = models.DateField(_("signed on"))
    renewal_on = models.DateField(_("renewal date"), null=True, blank=True)
    ended_on = models.DateField(pgettext_lazy("partners", "ended on"), null=True, blank=True)
    file = models.FileField(_("file"), upload_to=agreement_path, blank=True)
    original_name = models.CharField(_("file name"), max_length=255, blank=True)
    content_type = models.CharField(_("file type"), max_length=100, blank=True)
    size = models.PositiveIntegerField(_("size (bytes)"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = pgettext_lazy("partners", "agreement")
        verbose_name_plural = pgettext_lazy("partners", "agreements")
        ordering = ["renewal_on", "id"]

    def __str__(self) -> str:
        return self.title

    def is_due(self, on: datetime.date) -> bool:
        days = settings.ANCRAGE["PARTNER_AGREEMENT_RENEWAL_WARNING_DAYS"]
        return (
            self.ended_on is None
            and self.renewal_on is not None
            and self.renewal_on <= on + datetime.timedelta(days=days)
        )


class PartnerContactLog(models.Model):
    """A contact with a partner (E2: at least monthly, needed or not)."""

    class Channel(models.TextChoices):
        MEETING = "meeting", pgettext_lazy("partners", "Meeting")
        PHONE = "phone", _("Phone")
        EMAIL = "email", _("Email")
        VIDEO = "video", pgettext_lazy("partners", "Video call")
        VISIT = "visit", pgettext_lazy("partners", "Visit")

    class Purpose(models.TextChoices):
        ROUTINE = "routine", _("Routine follow-up")
        PARTICIPANT = "participant", _("About a participant")
        AGREEMENT = "agreement", pgettext_lazy("partners", "Agreement")
        TRAINING = "training", _("Training or information")
        ISSUE = "issue", _("A problem to solve")

    partner = models.ForeignKey(
        Partner,
        verbose_name=pgettext_lazy("partners", "partner"),
        on_delete=models.PROTECT,
        related_name="contact_logs",
    )
    on = models.DateField(_("date"))
    channel = models.CharField(pgettext_lazy("partners", "channel"), max_length=20, choices=Channel.choices)
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices)
    summary = models.TextField(pgettext_lazy("partners", "summary"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=clock.now)

    class Meta:
        verbose_name = _("contact with a partner")
        verbose_name_plural = _("contacts with partners")
        ordering = ["-on", "-id"]
        indexes = [models.Index(fields=["partner", "-on"], name="partners_log_partner_on")]

    def __str__(self) -> str:
        return f"{self.partner_id} {self.on}"


class PoliceLink(models.Model):
    """A police unit linked to a risk plan that asks for police notices (E1, B8). Kept on the partners side
    with a model reference to casework (no import: the two apps are independent layers)."""

    partner = models.ForeignKey(
        Partner,
        verbose_name=pgettext_lazy("partners", "police unit"),
        on_delete=models.PROTECT,
        related_name="police_links",
    )
    risk_plan = models.ForeignKey(
        "casework.RiskAssessment",
        verbose_name=pgettext_lazy("partners", "risk plan"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    linked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    linked_at = models.DateTimeField(pgettext_lazy("partners", "linked at"), default=clock.now)

    class Meta:
        verbose_name = _("police link")
        verbose_name_plural = _("police links")
        constraints = [
            models.UniqueConstraint(fields=["risk_plan"], name="police_link_one_per_plan"),
        ]

    def __str__(self) -> str:
        return f"{self.partner_id} → {self.risk_plan_id}"


class SignificantChangeNotice(models.Model):
    """A significant change told to a partner, or why it was not (E3): every notice is kept."""

    class Channel(models.TextChoices):
        IN_APP = "in_app", pgettext_lazy("partners", "In the application")
        EMAIL = "email", _("Email")
        NONE = "none", pgettext_lazy("partners", "Not sent")

    class Status(models.TextChoices):
        SENT = "sent", _("Sent")
        PENDING = "pending", _("Waiting to be sent")
        RETRYING = "retrying", _("Failed, will be retried")
        FAILED = "failed", _("Failed")
        NO_CONSENT = "no_consent", _("Not sent: no consent")
        NO_ORGANISATION = "no_organisation", _("Not sent: the partner does not use Ancrage")

    participant = models.ForeignKey(
        "people.Participant", verbose_name=_("participant"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(pgettext_lazy("partners", "change"), max_length=20, choices=ChangeKind.choices)
    happened_on = models.DateField(pgettext_lazy("partners", "happened on"))
    partner = models.ForeignKey(
        Partner,
        verbose_name=pgettext_lazy("partners", "partner"),
        on_delete=models.PROTECT,
        related_name="notices",
    )
    why = models.CharField(_("why this partner"), max_length=300, blank=True)
    consent = models.ForeignKey(
        "people.Consent",
        verbose_name=_("consent relied on"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    channel = models.CharField(pgettext_lazy("partners", "channel"), max_length=10, choices=Channel.choices)
    recipient = models.ForeignKey(
        PartnerContact,
        verbose_name=pgettext_lazy("partners", "recipient"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    attempts = models.PositiveSmallIntegerField(pgettext_lazy("partners", "attempts"), default=0)
    failure_reason = models.CharField(pgettext_lazy("partners", "failure reason"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), default=clock.now)
    sent_at = models.DateTimeField(pgettext_lazy("partners", "sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("significant-change notice")
        verbose_name_plural = _("significant-change notices")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["participant", "-created_at"], name="partners_notice_participant"),
            models.Index(fields=["status"], name="partners_notice_status"),
        ]

    def __str__(self) -> str:
        return f"{self.participant_id} {self.kind} → {self.partner_id}"
