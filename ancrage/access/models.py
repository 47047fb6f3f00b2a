"""Coordinated access: referrals in, intake, the by-name list and its status history, living situations."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ancrage.core import clock
from ancrage.core.models import RecordedModel, TimeStampedModel


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
    # The Housing First program the referral asks for, if any: the intake says which of its requirements fail.
    program = models.ForeignKey(
        "organisations.Program",
        verbose_name=_("program asked for"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="referrals",
    )
    referred_at = models.DateTimeField(_("referred at"), default=clock.now)
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
    started_at = models.DateTimeField(_("started at"), default=clock.now)
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


class HouseholdType(models.TextChoices):
    SINGLE = "single", _("Single person")
    COUPLE = "couple", _("Couple")
    FAMILY = "family", _("Family with children")


class IncomeSource(models.TextChoices):
    SOCIAL_ASSISTANCE = "social_assistance", _("Social assistance")
    SOCIAL_SOLIDARITY = "social_solidarity", _("Social solidarity (severe constraints)")
    EMPLOYMENT = "employment", _("Employment")
    EMPLOYMENT_INSURANCE = "employment_insurance", _("Employment insurance")
    PENSION = "pension", _("Pension (OAS, QPP)")
    OTHER = "other", _("Other income")
    NONE = "none", _("No income")


class PersonFlag(models.TextChoices):
    """Health and safety flags a community may weigh in its policy or require in a program."""

    MEDICAL_VULNERABILITY = "medical_vulnerability", _("Medical vulnerability")
    MENTAL_HEALTH = "mental_health", _("Serious mental illness")
    SUBSTANCE_USE = "substance_use", _("Substance use")
    FLEEING_VIOLENCE = "fleeing_violence", _("Fleeing violence")
    PREGNANCY = "pregnancy", _("Pregnancy")
    LEAVING_CARE = "leaving_care", _("Leaving youth protection")
    LEAVING_INSTITUTION = "leaving_institution", _("Leaving hospital or detention")
    VETERAN = "veteran", _("Veteran")


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
    # The evidence behind those figures (ancrage.access.chronic.Evidence, as JSON), shown with the verdict.
    chronic_evidence = models.JSONField(_("evidence of the chronic status"), default=list, blank=True)

    # What matching and eligibility read (A2, A6), recorded with the person.
    household_type = models.CharField(
        _("household"), max_length=20, choices=HouseholdType.choices, default=HouseholdType.SINGLE
    )
    income_sources = models.JSONField(_("sources of income"), default=list, blank=True)
    accessibility_needs = models.JSONField(_("accessibility needs"), default=list, blank=True)
    flags = models.JSONField(_("health and safety flags"), default=list, blank=True)
    # Ids of areas (ancrage.housing.models.Area) the person chose; a borough covers its neighbourhoods. A list
    # of ids like the other choices, so matching reads a person in one query and the audit shows the change.
    preferred_areas = models.JSONField(_("preferred areas"), default=list, blank=True)
    # Neighbourhoods as typed before areas existed, kept when they matched no area (nothing typed is lost).
    preferred_neighbourhoods = models.JSONField(
        _("preferred neighbourhoods as typed before"), default=list, blank=True
    )
    preferred_unit_kinds = models.JSONField(_("preferred types of housing"), default=list, blank=True)

    # Latest completed triage (A3), cached from the assessment so ranking reads no answers.
    acuity_score = models.FloatField(_("acuity score"), null=True, blank=True)
    acuity_max = models.FloatField(_("highest possible acuity score"), null=True, blank=True)
    acuity_band = models.CharField(_("acuity band"), max_length=60, blank=True)
    acuity_on = models.DateField(_("triage done on"), null=True, blank=True)
    acuity_administration = models.ForeignKey(
        "assessments.Administration",
        verbose_name=_("triage"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    # Rank under the active policy (A5): written only by ancrage.access.priority.ranks_recompute.
    priority_policy = models.ForeignKey(
        "access.PriorityPolicy",
        verbose_name=_("priority policy"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    priority_score = models.FloatField(_("priority score"), null=True, blank=True)
    priority_rank = models.PositiveIntegerField(_("rank"), null=True, blank=True)
    priority_explanation = models.JSONField(_("why this rank"), default=list, blank=True)
    priority_computed_at = models.DateTimeField(_("rank computed at"), null=True, blank=True)

    # Set when the person has another file linked to this one ("same person: link only") whose entry holds
    # their one line on the list (A4): this entry is then neither listed, counted nor ranked. Written only by
    # ancrage.access.services.by_name.by_name_links_sync.
    listed_via = models.ForeignKey(
        "self",
        verbose_name=_("on the list through the entry"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="linked_entries",
    )

    # Stuck people go to case conferencing (A6): no eligible option, or matches declined repeatedly.
    needs_conference = models.BooleanField(_("to discuss at a case conference"), default=False)
    # A code ("declines:3", "no_eligible_program"), said in the reader's language by the property below.
    needs_conference_reason = models.CharField(_("why at a case conference"), max_length=300, blank=True)
    needs_conference_since = models.DateField(_("flagged for a case conference on"), null=True, blank=True)

    class Meta:
        verbose_name = _("by-name list entry")
        verbose_name_plural = _("by-name list entries")
        ordering = ["entered_on", "id"]
        indexes = [
            models.Index(fields=["status", "last_contact_on"], name="byname_status_contact"),
            models.Index(fields=["status", "priority_rank"], name="byname_status_rank"),
            # The list by rank reads its 25 rows in this order (issue 16).
            models.Index(fields=["priority_rank", "id"], name="byname_rank_id"),
            # The API's list in its default order (the date of entry), read the same way.
            models.Index(fields=["entered_on", "id"], name="byname_entered_id"),
            # The people who are stuck, flagged longest ago first: a meeting page reads its first 50 in this
            # order, not every flagged person of the list (a tenth of it at 100,000: issue 16).
            models.Index(
                fields=["needs_conference_since", "id"],
                name="byname_conference_since",
                condition=models.Q(needs_conference=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant} · {self.get_status_display()}"

    @property
    def is_active(self) -> bool:
        return self.status == ByNameStatus.ACTIVE

    @property
    def conference_reason_display(self) -> str:
        """Why the person goes to a case conference, in the reader's language."""
        from django.utils.translation import gettext, ngettext

        code = self.needs_conference_reason
        if code.startswith("declines:"):
            count = int(code.split(":", 1)[1] or 0)
            return ngettext("%(count)s match declined", "%(count)s matches declined", count) % {
                "count": count
            }
        if code == "no_eligible_program":
            return gettext("Eligible for no Housing First program")
        return code


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
    recorded_at = models.DateTimeField(_("recorded at"), default=clock.now)

    class Meta:
        verbose_name = _("by-name list status change")
        verbose_name_plural = _("by-name list status changes")
        ordering = ["on", "id"]
        indexes = [models.Index(fields=["on"], name="byname_change_on")]

    def __str__(self) -> str:
        return f"{self.on} {self.from_status or '∅'} → {self.to_status}"


class LivingSituation(models.TextChoices):
    """Where a person stays, in our words: each maps to one HMIS FY2026 3.917 code (ancrage.access.codes)
    and to one kind of period for the chronic rule (ancrage.access.chronic.SITUATION_KINDS)."""

    STREET = "street", _("Outside, in a vehicle or a place not meant for sleeping")
    SHELTER = "shelter", _("Emergency shelter")
    SAFE_HAVEN = "safe_haven", _("Low-barrier respite (safe haven)")
    HOTEL_SELF_PAID = "hotel_self_paid", _("Hotel or motel paid by the person, without a lease")
    FAMILY = "family", _("Staying temporarily with family")
    FRIENDS = "friends", _("Staying temporarily with friends")
    HOST_HOME = "host_home", _("Host home")
    TRANSITIONAL = "transitional", _("Transitional housing for people experiencing homelessness")
    RESIDENTIAL_PROGRAM = "residential_program", _("Residential program or halfway house")
    PSYCHIATRIC = "psychiatric", _("Psychiatric hospital or unit")
    TREATMENT = "treatment", _("Substance use treatment centre or detox")
    HOSPITAL = "hospital", _("Hospital or other medical facility")
    DETENTION = "detention", _("Prison, jail or youth detention")
    FOSTER_CARE = "foster_care", _("Foster home or group home")
    LONG_TERM_CARE = "long_term_care", _("Long-term care home")
    RENTAL = "rental", _("Own rental, without a housing subsidy")
    RENTAL_SUBSIDISED = "rental_subsidised", _("Own rental, with a housing subsidy")
    OWNED = "owned", _("Own home, without a housing subsidy")
    OWNED_SUBSIDISED = "owned_subsidised", _("Own home, with a housing subsidy")
    DOESNT_KNOW = "doesnt_know", _("The person doesn't know")
    REFUSED = "refused", _("The person prefers not to answer")
    NOT_COLLECTED = "not_collected", _("Not asked")


class HistorySource(models.TextChoices):
    """Where a fact of the homelessness history comes from."""

    SELF_REPORTED = "self_reported", _("Self-reported")
    SHELTER = "shelter", _("Verified by a shelter")
    WORKER = "worker", _("Observed by a worker")


class LengthOfStay(models.TextChoices):
    """How long the person stayed in their prior living situation (HMIS 3.917.2)."""

    ONE_NIGHT = "one_night", _("One night or less")
    TWO_TO_SIX_NIGHTS = "two_to_six_nights", _("Two to six nights")
    ONE_WEEK = "one_week", _("One week or more, but less than a month")
    ONE_MONTH = "one_month", _("One month or more, but less than 90 days")
    NINETY_DAYS = "ninety_days", _("90 days or more, but less than a year")
    ONE_YEAR = "one_year", _("One year or longer")
    DOESNT_KNOW = "doesnt_know", _("The person doesn't know")
    REFUSED = "refused", _("The person prefers not to answer")
    NOT_COLLECTED = "not_collected", _("Not asked")


class YesNoAnswer(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    DOESNT_KNOW = "doesnt_know", _("The person doesn't know")
    REFUSED = "refused", _("The person prefers not to answer")
    NOT_COLLECTED = "not_collected", _("Not asked")


class TimesHomeless(models.TextChoices):
    """Times homeless in the past three years, this time included (HMIS 3.917.4)."""

    ONE = "one", _("Once")
    TWO = "two", _("Twice")
    THREE = "three", _("Three times")
    FOUR_OR_MORE = "four_or_more", _("Four times or more")
    DOESNT_KNOW = "doesnt_know", _("The person doesn't know")
    REFUSED = "refused", _("The person prefers not to answer")
    NOT_COLLECTED = "not_collected", _("Not asked")


class MissingAnswer(models.TextChoices):
    DOESNT_KNOW = "doesnt_know", _("The person doesn't know")
    REFUSED = "refused", _("The person prefers not to answer")
    NOT_COLLECTED = "not_collected", _("Not asked")


class HomelessnessHistory(RecordedModel):
    """What is known of a person's homelessness at one date (at intake, or later on their profile): the
    fields of HMIS 3.917, with their source. The latest one as of a date counts for the chronic rule; the
    stays and sightings recorded later (LivingSituationPeriod) add to it."""

    participant = models.ForeignKey(
        "people.Participant",
        verbose_name=_("participant"),
        on_delete=models.PROTECT,
        related_name="homelessness_histories",
    )
    intake = models.ForeignKey(
        Intake,
        verbose_name=_("intake"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="homelessness_histories",
    )
    reported_on = models.DateField(_("as of"))
    source = models.CharField(_("source"), max_length=20, choices=HistorySource.choices)
    living_situation = models.CharField(
        _("living situation at entry"), max_length=30, choices=LivingSituation.choices
    )
    prior_living_situation = models.CharField(
        _("prior living situation"),
        max_length=30,
        choices=LivingSituation.choices,
        default=LivingSituation.NOT_COLLECTED,
    )
    prior_length_of_stay = models.CharField(
        _("length of stay in the prior living situation"),
        max_length=20,
        choices=LengthOfStay.choices,
        default=LengthOfStay.NOT_COLLECTED,
    )
    # HMIS PreviousStreetESSH: on the night before, was the person on the street, in a shelter or a safe haven?
    previous_street_or_shelter = models.CharField(
        _("on the street or in a shelter the night before"),
        max_length=20,
        choices=YesNoAnswer.choices,
        default=YesNoAnswer.NOT_COLLECTED,
    )
    # HMIS DateToStreetESSH: the approximate first night of the current episode.
    episode_started_on = models.DateField(
        _("current episode started on (approximately)"), null=True, blank=True
    )
    times_homeless_past_three_years = models.CharField(
        _("times homeless in the past three years"),
        max_length=20,
        choices=TimesHomeless.choices,
        default=TimesHomeless.NOT_COLLECTED,
    )
    months_homeless_past_three_years = models.PositiveSmallIntegerField(
        _("months homeless in the past three years"), null=True, blank=True
    )
    # Why the months are empty, when they are.
    months_homeless_missing = models.CharField(
        _("months homeless: why not given"), max_length=20, choices=MissingAnswer.choices, blank=True
    )

    class Meta:
        verbose_name = _("homelessness history")
        verbose_name_plural = _("homelessness histories")
        ordering = ["-reported_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(months_homeless_past_three_years__isnull=True)
                | models.Q(months_homeless_past_three_years__lte=36),
                name="history_months_at_most_36",
            ),
            models.CheckConstraint(
                condition=models.Q(episode_started_on__isnull=True)
                | models.Q(episode_started_on__lte=models.F("reported_on")),
                name="history_episode_starts_before_report",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant} · {self.reported_on}"


class LivingSituationPeriod(RecordedModel):
    """A stay or a sighting (a shelter night, a street outreach contact, a stay in hospital…) with its dates."""

    class Kind(models.TextChoices):
        HOMELESS_SHELTERED = "homeless_sheltered", _("Homeless, in a shelter")
        HOMELESS_UNSHELTERED = "homeless_unsheltered", _("Homeless, unsheltered")
        # Reaching Home counts staying temporarily with others or in a motel without a lease as homelessness.
        HOMELESS_TEMPORARY = (
            "homeless_temporary",
            _("Homeless, staying temporarily with others or in a motel"),
        )
        TRANSITIONAL = "transitional", _("Transitional housing")
        HOUSED = "housed", _("Housed")
        INSTITUTION = "institution", _("In an institution")
        UNKNOWN = "unknown", _("Unknown")

    HOMELESS_KINDS = frozenset({Kind.HOMELESS_SHELTERED, Kind.HOMELESS_UNSHELTERED, Kind.HOMELESS_TEMPORARY})

    participant = models.ForeignKey(
        "people.Participant",
        verbose_name=_("participant"),
        on_delete=models.PROTECT,
        related_name="living_situations",
    )
    kind = models.CharField(_("living situation"), max_length=30, choices=Kind.choices)
    # The precise situation, when known (a shelter, a friend's place…): the kind follows from it.
    situation = models.CharField(
        _("where exactly"), max_length=30, choices=LivingSituation.choices, blank=True
    )
    source = models.CharField(_("source"), max_length=20, choices=HistorySource.choices, blank=True)
    # Both dates are nights spent in that situation: the end date is the last one, included.
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until (included)"), null=True, blank=True)

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


class PriorityPolicy(models.Model):
    """A written, versioned set of local priorities (A5): weighted factors and tie-breakers, as a YAML file.

    A draft can be previewed and edited; once activated it never changes, and the one it replaces retires.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ACTIVE = "active", pgettext_lazy("priority policy", "Active")
        RETIRED = "retired", pgettext_lazy("priority policy", "Retired")

    version = models.PositiveIntegerField(_("version"), unique=True)
    title = models.JSONField(_("title"), default=dict)
    definition_text = models.TextField(_("policy file"))
    definition = models.JSONField(_("parsed policy"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("written by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("written at"), default=clock.now)
    activated_at = models.DateTimeField(_("activated at"), null=True, blank=True)
    activated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("activated by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    activation_reason = models.TextField(_("why it was activated"), blank=True)
    retired_at = models.DateTimeField(_("retired at"), null=True, blank=True)

    class Meta:
        verbose_name = _("priority policy")
        verbose_name_plural = _("priority policies")
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["status"], condition=models.Q(status="active"), name="one_active_priority_policy"
            ),
        ]

    def __str__(self) -> str:
        return f"v{self.version} · {self.display_title}"

    @property
    def display_title(self) -> str:
        from django.utils.translation import get_language

        language = "en" if (get_language() or "").startswith("en") else "fr"
        return self.title.get(language) or self.title.get("fr") or ""


class Opening(TimeStampedModel):
    """One place to fill now: a slot in a Housing First program, a housing unit, or both (A6)."""

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("opening", "Open")
        MATCHING = "matching", _("Match in progress")
        FILLED = "filled", _("Filled")
        CANCELLED = "cancelled", _("Cancelled")

    program = models.ForeignKey(
        "organisations.Program",
        verbose_name=_("program"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="openings",
    )
    unit = models.ForeignKey(
        "housing.Unit",
        verbose_name=_("housing unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="openings",
    )
    opened_on = models.DateField(_("opened on"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("opened by"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.OPEN)
    note = models.CharField(_("note"), max_length=300, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("opening")
        verbose_name_plural = _("openings")
        ordering = ["opened_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(program__isnull=False) | models.Q(unit__isnull=False),
                name="opening_program_or_unit",
            ),
        ]
        indexes = [models.Index(fields=["status"], name="opening_status")]

    def __str__(self) -> str:
        parts = [str(p) for p in (self.program, self.unit) if p is not None]
        return " · ".join(parts)

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class MatchStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    CONTACTED = "contacted", _("Person contacted")
    PERSON_ACCEPTED = "person_accepted", _("Person accepted")
    PERSON_DECLINED = "person_declined", _("Person declined")
    PROVIDER_ACCEPTED = "provider_accepted", _("Program or landlord accepted")
    PROVIDER_DECLINED = "provider_declined", _("Program or landlord declined")
    TRANSFERRED = "transferred", _("Assisted transfer done")
    WITHDRAWN = "withdrawn", pgettext_lazy("match", "Withdrawn")


# Statuses in which a match still holds its opening and its person.
MATCH_IN_PROGRESS = (
    MatchStatus.PROPOSED,
    MatchStatus.CONTACTED,
    MatchStatus.PERSON_ACCEPTED,
    MatchStatus.PROVIDER_ACCEPTED,
)


class Match(TimeStampedModel):
    """A proposal of one person for one opening, followed step by step to the assisted transfer (A1, A6)."""

    opening = models.ForeignKey(
        Opening, verbose_name=_("opening"), on_delete=models.PROTECT, related_name="matches"
    )
    entry = models.ForeignKey(
        ByNameEntry, verbose_name=_("by-name list entry"), on_delete=models.PROTECT, related_name="matches"
    )
    participant = models.ForeignKey(
        "people.Participant", verbose_name=_("participant"), on_delete=models.PROTECT, related_name="matches"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=MatchStatus.choices, default=MatchStatus.PROPOSED
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("proposed by"), on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(_("proposed at"), default=clock.now)
    # The ranking and the reasons at the time of the proposal, kept as they were.
    policy = models.ForeignKey(
        PriorityPolicy,
        verbose_name=_("priority policy"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    rank_at_proposal = models.PositiveIntegerField(_("rank when proposed"), null=True, blank=True)
    score_at_proposal = models.FloatField(_("priority score when proposed"), null=True, blank=True)
    reasons = models.JSONField(_("why this proposal"), default=list, blank=True)
    last_step_at = models.DateTimeField(_("last step at"), default=clock.now)
    decline_reason = models.TextField(_("reason given"), blank=True)
    transferred_at = models.DateTimeField(_("transferred at"), null=True, blank=True)
    # Kinds of information the receiving program got with the transfer, within consent.
    shared_categories = models.JSONField(_("information shared"), default=list, blank=True)
    stalled_alert_at = models.DateTimeField(_("stall alert sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("match")
        verbose_name_plural = _("matches")
        ordering = ["-proposed_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["opening"],
                condition=models.Q(
                    status__in=["proposed", "contacted", "person_accepted", "provider_accepted"]
                ),
                name="one_match_in_progress_per_opening",
            ),
            models.UniqueConstraint(
                fields=["entry"],
                condition=models.Q(
                    status__in=["proposed", "contacted", "person_accepted", "provider_accepted"]
                ),
                name="one_match_in_progress_per_person",
            ),
        ]
        indexes = [models.Index(fields=["status", "last_step_at"], name="match_status_step")]

    def __str__(self) -> str:
        return f"{self.participant} → {self.opening}"

    @property
    def in_progress(self) -> bool:
        return self.status in MATCH_IN_PROGRESS


class MatchStep(models.Model):
    """One step of a match, with who took it and why; the match's history."""

    match = models.ForeignKey(Match, verbose_name=_("match"), on_delete=models.CASCADE, related_name="steps")
    from_status = models.CharField(_("from"), max_length=20, choices=MatchStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=MatchStatus.choices)
    at = models.DateTimeField(_("at"), default=clock.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason = models.TextField(_("reason"), blank=True)
    # The day the step happened, as the worker says (a call made yesterday is recorded today); `at` is when
    # it was recorded. Empty only on steps recorded before the date was asked.
    on = models.DateField(_("date"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("match step")
        verbose_name_plural = _("match steps")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.from_status or '∅'} → {self.to_status}"
