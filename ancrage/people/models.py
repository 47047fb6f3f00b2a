"""Participants, how to reach and recognise them, their consents and signed documents."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ancrage.core import clock
from ancrage.core.models import RecordedModel, TimeStampedModel
from ancrage.core.permissions import Category
from ancrage.core.text import normalise


class DobQuality(models.TextChoices):
    EXACT = "exact", _("Exact")
    APPROXIMATE = "approximate", _("Approximate")
    DOESNT_KNOW = "doesnt_know", _("Doesn't know")
    REFUSED = "refused", _("Refused")
    NOT_COLLECTED = "not_collected", _("Not collected")


class Gender(models.TextChoices):
    WOMAN = "woman", _("Woman")
    MAN = "man", _("Man")
    NON_BINARY = "non_binary", _("Non-binary")
    TWO_SPIRIT = "two_spirit", _("Two-Spirit")
    TRANSGENDER = "transgender", _("Transgender")
    QUESTIONING = "questioning", _("Questioning")
    DIFFERENT = "different", _("Another identity")
    DOESNT_KNOW = "doesnt_know", _("Doesn't know")
    REFUSED = "refused", _("Refused")
    NOT_COLLECTED = "not_collected", _("Not collected")


class IndigenousIdentity(models.TextChoices):
    FIRST_NATIONS = "first_nations", _("First Nations")
    METIS = "metis", _("Métis")
    INUIT = "inuit", _("Inuit")
    NOT_INDIGENOUS = "not_indigenous", _("Not Indigenous")
    DOESNT_KNOW = "doesnt_know", _("Doesn't know")
    REFUSED = "refused", _("Refused")
    NOT_COLLECTED = "not_collected", _("Not collected")


class ParticipantQuerySet(models.QuerySet):
    def current(self):
        """Files that have not been merged into another."""
        return self.filter(merged_into__isnull=True)


class Participant(TimeStampedModel):
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("home organisation"),
        on_delete=models.PROTECT,
        related_name="participants",
    )
    community_id = models.CharField(_("community identifier"), max_length=30, unique=True)
    legal_first_name = models.CharField(_("legal first name"), max_length=100)
    legal_last_name = models.CharField(_("legal last name"), max_length=100)
    preferred_name = models.CharField(_("preferred name"), max_length=100, blank=True)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    dob_quality = models.CharField(
        _("date of birth is"), max_length=20, choices=DobQuality.choices, default=DobQuality.NOT_COLLECTED
    )
    gender = models.CharField(
        _("gender"), max_length=20, choices=Gender.choices, default=Gender.NOT_COLLECTED
    )
    indigenous_identity = models.CharField(
        _("Indigenous identity (self-identified, optional)"),
        max_length=20,
        choices=IndigenousIdentity.choices,
        default=IndigenousIdentity.NOT_COLLECTED,
    )
    communication_language = models.CharField(
        _("language for documents and letters"),
        max_length=10,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
    )
    languages_spoken = models.CharField(_("languages spoken"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("email"), blank=True)
    current_location = models.CharField(_("where they live or sleep now"), max_length=300, blank=True)
    photo = models.ImageField(_("photo"), upload_to="photos/%Y/", blank=True)
    # Lower-case, accent-free names, aliases and identifiers: one indexed column answers every search.
    search_text = models.TextField(editable=False, default="")
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_records",
    )
    # Reserved for participants' own read access to their record (G2).
    portal_user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="own_participant_record",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = ParticipantQuerySet.as_manager()

    # Values never written in clear into the audit trail.
    SENSITIVE_FIELDS = frozenset(
        {"date_of_birth", "phone", "email", "current_location", "indigenous_identity"}
    )

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["legal_last_name", "legal_first_name", "id"]
        indexes = [
            models.Index(fields=["organisation", "legal_last_name"], name="participant_org_name"),
            # The participant list reads its 25 rows in this order (issue 16).
            models.Index(fields=["legal_last_name", "legal_first_name", "id"], name="participant_name_sort"),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.preferred_name:
            return f"{self.preferred_name} {self.legal_last_name}"
        return f"{self.legal_first_name} {self.legal_last_name}"

    @property
    def legal_name(self) -> str:
        return f"{self.legal_first_name} {self.legal_last_name}"

    @property
    def is_merged(self) -> bool:
        return self.merged_into_id is not None

    def age(self, on: datetime.date | None = None) -> int | None:
        if not self.date_of_birth:
            return None
        on = on or clock.today()
        dob = self.date_of_birth
        return on.year - dob.year - ((on.month, on.day) < (dob.month, dob.day))

    def build_search_text(self, aliases: list[str], identifiers: list[str]) -> str:
        parts = [self.legal_first_name, self.legal_last_name, self.preferred_name, self.community_id]
        parts += aliases + identifiers
        return " | ".join(normalise(p) for p in parts if p)


class Alias(models.Model):
    participant = models.ForeignKey(
        Participant, verbose_name=_("participant"), on_delete=models.CASCADE, related_name="aliases"
    )
    name = models.CharField(_("alias or street name"), max_length=150)

    class Meta:
        verbose_name = _("alias")
        verbose_name_plural = _("aliases")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Identifier(models.Model):
    class Kind(models.TextChoices):
        HIFIS = "hifis", _("HIFIS client number")
        HMIS = "hmis", _("HMIS personal ID")
        SHELTER = "shelter", _("Shelter file number")
        HOSPITAL = "hospital", _("Hospital file number")
        OTHER = "other", _("Other")

    participant = models.ForeignKey(
        Participant, verbose_name=_("participant"), on_delete=models.CASCADE, related_name="identifiers"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    value = models.CharField(_("number"), max_length=60)
    issuer = models.CharField(_("issued by"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("identifier")
        verbose_name_plural = _("identifiers")
        constraints = [
            models.UniqueConstraint(fields=["kind", "issuer", "value"], name="identifier_unique_value"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.value}"


class SupportContact(models.Model):
    """Natural supports and emergency contacts."""

    participant = models.ForeignKey(
        Participant, verbose_name=_("participant"), on_delete=models.CASCADE, related_name="support_contacts"
    )
    name = models.CharField(_("name"), max_length=150)
    relationship = models.CharField(_("relationship"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("email"), blank=True)
    is_emergency_contact = models.BooleanField(_("emergency contact"), default=False)
    is_natural_support = models.BooleanField(_("natural support"), default=True)
    notes = models.CharField(_("notes"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("support or emergency contact")
        verbose_name_plural = _("support and emergency contacts")
        ordering = ["-is_emergency_contact", "name"]

    def __str__(self) -> str:
        return self.name


class HouseholdMember(models.Model):
    class Relationship(models.TextChoices):
        PARTNER = "partner", _("Spouse or partner")
        CHILD = "child", _("Child")
        PARENT = "parent", _("Parent")
        OTHER_FAMILY = "other_family", _("Other family member")
        OTHER = "other", _("Other, not family")

    participant = models.ForeignKey(
        Participant, verbose_name=_("participant"), on_delete=models.CASCADE, related_name="household_members"
    )
    first_name = models.CharField(_("first name"), max_length=100)
    relationship = models.CharField(_("relationship"), max_length=20, choices=Relationship.choices)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)

    class Meta:
        verbose_name = _("household member")
        verbose_name_plural = _("household members")
        ordering = ["first_name"]

    def __str__(self) -> str:
        return self.first_name


class ConsentQuerySet(models.QuerySet):
    def in_force(self, on: datetime.date | None = None):
        """Consents in force on a day (today by default): started, not expired, and not revoked by then. A
        consent revoked on a day no longer counts that day (revocation takes effect at once), but it did on
        the days before, so an act dated before the revocation is judged by the consent it had."""
        on = on or clock.today()
        revoked_after = clock.start_of_day(on + datetime.timedelta(days=1))
        return self.filter(starts_on__lte=on, expires_on__gte=on).filter(
            models.Q(revoked_at__isnull=True) | models.Q(revoked_at__gte=revoked_after)
        )


class Consent(RecordedModel):
    class Method(models.TextChoices):
        WRITTEN = "written", _("Written, signed")
        VERBAL = "verbal", _("Verbal, with a witness")

    class Status(models.TextChoices):
        CURRENT = "current", _("Current")
        EXPIRING = "expiring", _("Expiring soon")
        NOT_STARTED = "not_started", _("Not yet in force")
        EXPIRED = "expired", _("Expired")
        REVOKED = "revoked", _("Revoked")

    participant = models.ForeignKey(
        Participant, verbose_name=_("participant"), on_delete=models.PROTECT, related_name="consents"
    )
    organisations = models.ManyToManyField(
        "organisations.Organisation", verbose_name=_("shared with"), related_name="consents_received"
    )
    purpose = models.TextField(_("purpose"))
    starts_on = models.DateField(_("starts on"))
    expires_on = models.DateField(_("expires on"))
    method = models.CharField(_("how consent was given"), max_length=20, choices=Method.choices)
    witness_name = models.CharField(_("witness"), max_length=150, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    revocation_reason = models.CharField(_("reason for revocation"), max_length=300, blank=True)

    objects = ConsentQuerySet.as_manager()

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_on__gt=models.F("starts_on")), name="consent_expires_after_start"
            ),
        ]
        # The consents ending soon (the home page's and their list): the days ahead read on this index, not
        # every consent of the community (issue 16: 8 ms to 0.05 ms at 100,000 participants).
        indexes = [models.Index(fields=["expires_on", "id"], name="consent_expires_id")]

    def __str__(self) -> str:
        return f"{self.participant} · {self.starts_on} → {self.expires_on}"

    def status(self, on: datetime.date | None = None) -> str:
        on = on or clock.today()
        if self.revoked_at:
            return self.Status.REVOKED
        if self.starts_on > on:
            return self.Status.NOT_STARTED
        if self.expires_on < on:
            return self.Status.EXPIRED
        warning = settings.ANCRAGE["CONSENT_EXPIRY_WARNING_DAYS"]
        if (self.expires_on - on).days <= warning:
            return self.Status.EXPIRING
        return self.Status.CURRENT

    def get_status_display(self) -> str:
        return str(self.Status(self.status()).label)

    @property
    def category_codes(self) -> list[str]:
        return [row.category for row in self.category_rows.all()]

    def get_categories_display(self) -> list[str]:
        return [str(Category(c).label) for c in Category.values if c in set(self.category_codes)]


class ConsentCategory(models.Model):
    consent = models.ForeignKey(Consent, on_delete=models.CASCADE, related_name="category_rows")
    category = models.CharField(_("category"), max_length=30, choices=Category.choices)

    class Meta:
        verbose_name = _("consented category")
        verbose_name_plural = _("consented categories")
        constraints = [
            models.UniqueConstraint(fields=["consent", "category"], name="consent_category_unique"),
        ]

    def __str__(self) -> str:
        return self.get_category_display()


def document_path(instance: Document, filename: str) -> str:
    # The stored name never carries the participant's name or the uploaded file name.
    import uuid

    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"documents/{clock.now():%Y/%m}/{uuid.uuid4().hex}.{ext}"


class Document(models.Model):
    class Kind(models.TextChoices):
        RELEASE = "release", _("Release of information")
        SERVICE_AGREEMENT = "service_agreement", _("Service agreement")
        NATURAL_SUPPORTS = "natural_supports", _("Consent for natural supports")
        OCCUPANCY = "occupancy", _("Occupancy agreement")
        TRANSPORT_WAIVER = "transport_waiver", _("Transport waiver")
        SATISFACTION = "satisfaction", _("Satisfaction survey")
        COMPLAINT_PROCEDURE = "complaint_procedure", _("Complaint and appeal procedure")
        OTHER = "other", _("Other")

    participant = models.ForeignKey(
        Participant, verbose_name=_("participant"), on_delete=models.PROTECT, related_name="documents"
    )
    kind = models.CharField(_("type of document"), max_length=30, choices=Kind.choices)
    file = models.FileField(_("file"), upload_to=document_path)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("file type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    signed_on = models.DateField(_("signed on"))
    resign_on = models.DateField(_("to be signed again on"), null=True, blank=True)
    consent = models.ForeignKey(
        Consent,
        verbose_name=_("consent it records"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="documents",
    )
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"), default=clock.now)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-signed_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.signed_on}"

    @property
    def needs_resigning(self) -> bool:
        return bool(self.resign_on and self.resign_on <= clock.today())


class DuplicateDecision(models.Model):
    """What staff decided about two files that looked like the same person."""

    class Decision(models.TextChoices):
        NOT_SAME = "not_same", _("Not the same person")
        LINKED = "linked", _("Same person, files linked")
        MERGED = "merged", _("Same person, files merged")

    first = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="+")
    second = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="+")
    decision = models.CharField(_("decision"), max_length=20, choices=Decision.choices)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(default=clock.now)

    class Meta:
        verbose_name = _("duplicate decision")
        verbose_name_plural = _("duplicate decisions")
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="duplicate_decision_pair"),
        ]

    def __str__(self) -> str:
        return f"{self.first_id} ~ {self.second_id}: {self.decision}"


class Merge(models.Model):
    """One merge of a file into another, with what was moved so it can be undone."""

    kept = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="merges_kept")
    merged = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="merges_absorbed")
    moved = models.JSONField(default=dict)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    merged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    merged_at = models.DateTimeField(default=clock.now)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    undone_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("merge")
        verbose_name_plural = _("merges")
        ordering = ["-merged_at"]

    def __str__(self) -> str:
        return f"{self.merged_id} → {self.kept_id}"


class ConsentVisibility(models.Model):
    """Who may see whom outside the home organisation, derived from consents: one row per organisation a
    consent names and kind of information it shares, for the consents that share identity and are not
    revoked (a consent that does not share identity opens nothing). The home organisation needs no row.

    Written only by `ancrage.people.visibility` (the consent and merge services call it); the rows carry
    the consent's dates so a consent that starts or expires needs no nightly write: the selectors filter
    by today's date. `people.visibility_check` rebuilds it every night and reports any drift."""

    consent = models.ForeignKey(Consent, on_delete=models.CASCADE, related_name="+")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+")
    category = models.CharField(max_length=30, choices=Category.choices)
    starts_on = models.DateField()
    expires_on = models.DateField()

    class Meta:
        verbose_name = _("consent visibility")
        verbose_name_plural = _("consent visibility")
        constraints = [
            models.UniqueConstraint(
                fields=["consent", "organisation", "category"], name="consent_visibility_unique"
            ),
        ]
        indexes = [
            # The lists: every participant an organisation may see for a kind of information, read from
            # the index alone (the dates are in it).
            models.Index(
                fields=["organisation", "category", "participant", "starts_on", "expires_on"],
                name="consent_vis_org_cat",
            ),
            # One file: what the viewer's organisations may see of this participant.
            models.Index(fields=["participant", "organisation"], name="consent_vis_participant"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} → {self.participant_id}: {self.category}"
