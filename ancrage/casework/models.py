"""Intensive case management: enrollments and caseloads, contacts and field visits, recovery plans, referrals
to other services, risk and safety, incidents and on-call, lost contact, exits, and the team meeting (B1–B12,
F1–F3, G4)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from ancrage.core import clock
from ancrage.core.models import (
    BilingualNameMixin,
    OrganisationRecordedModel,
    RecordedModel,
    StampedOnSaveField,
    TimeStampedModel,
)

# --- enrollment and caseloads (B1) ------------------------------------------------------------------------


class Enrollment(TimeStampedModel):
    """A participant's time in an ICM or ACT program, from enrollment to exit. A participant who comes back
    gets a new enrollment; the earlier ones (and everything recorded under them) stay on their file."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        EXITED = "exited", _("Exited")

    participant = models.ForeignKey(
        "people.Participant",
        verbose_name=_("participant"),
        on_delete=models.PROTECT,
        related_name="enrollments",
    )
    program = models.ForeignKey(
        "organisations.Program",
        verbose_name=_("program"),
        on_delete=models.PROTECT,
        related_name="enrollments",
    )
    team = models.ForeignKey(
        "organisations.Team",
        verbose_name=_("team"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="enrollments",
    )
    primary_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("primary case manager"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="primary_enrollments",
    )
    # The accepted match this enrollment came from, when it came through coordinated access (A6).
    match = models.ForeignKey(
        "access.Match",
        verbose_name=_("match"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="enrollments",
    )
    enrolled_on = models.DateField(_("enrolled on"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE)
    # Visits a week the team aims for (B2): one by default, more after move-in or when the tenancy is at risk.
    visits_per_week = models.PositiveSmallIntegerField(_("visits a week"), default=1)
    tenancy_at_risk_since = models.DateField(_("tenancy at risk since"), null=True, blank=True)
    # Set when no contact for LOST_CONTACT_DAYS (B12): a reason to re-engage, never to discharge.
    lost_contact_since = models.DateField(_("lost contact since"), null=True, blank=True)
    exited_on = models.DateField(_("exited on"), null=True, blank=True)

    class Meta:
        verbose_name = _("enrollment")
        verbose_name_plural = _("enrollments")
        ordering = ["-enrolled_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "program"],
                condition=Q(status="active"),
                name="casework_one_active_enrollment_per_program",
            ),
        ]
        indexes = [
            models.Index(fields=["primary_worker", "status"], name="casework_enrollment_worker"),
            models.Index(fields=["team", "status"], name="casework_enrollment_team"),
        ]

    def __str__(self) -> str:
        return f"{self.participant_id} · {self.program_id} ({self.status})"

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE

    @property
    def tenancy_at_risk(self) -> bool:
        return self.tenancy_at_risk_since is not None


class Assignment(models.Model):
    """Who was the primary case manager, from when to when, and why it changed (B1: reassignments break
    trust, so each is kept and shown with its reason)."""

    enrollment = models.ForeignKey(
        Enrollment, verbose_name=_("enrollment"), on_delete=models.CASCADE, related_name="assignments"
    )
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("case manager"),
        on_delete=models.PROTECT,
        related_name="casework_assignments",
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    # The worker's weighted caseload was already at or over the program's ratio; the reason says why anyway.
    over_ratio = models.BooleanField(_("over the caseload ratio"), default=False)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("assigned by"), on_delete=models.PROTECT, related_name="+"
    )
    assigned_at = models.DateTimeField(_("assigned at"), default=clock.now)

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["-starts_on", "-id"]

    def __str__(self) -> str:
        return f"{self.enrollment_id} → {self.worker_id}"


# --- contacts and field visits (B2, B3, B9) ---------------------------------------------------------------


class ContactKind(models.TextChoices):
    HOME = "home", _("Home visit")
    COMMUNITY = "community", _("In the community")
    OFFICE = "office", _("At the office")
    PHONE = "phone", _("Phone")
    VIDEO = "video", _("Video")
    ACCOMPANIMENT = "accompaniment", _("Accompaniment")


# Kinds that count as a visit for the weekly standard (B2: mostly at home or in the community).
VISIT_KINDS = (ContactKind.HOME, ContactKind.COMMUNITY, ContactKind.OFFICE, ContactKind.ACCOMPANIMENT)


class FieldVisit(models.Model):
    """A visit planned in the field (B9): who, where, from when to when. The worker starts and ends it from the
    phone; one not ended past its planned end (plus a grace period) alerts the team lead and the on-call worker."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        STARTED = "started", _("Under way")
        ENDED = "ended", _("Ended")
        CANCELLED = "cancelled", pgettext_lazy("visit", "Cancelled")

    participant = models.ForeignKey(
        "people.Participant",
        verbose_name=_("participant"),
        on_delete=models.PROTECT,
        related_name="field_visits",
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("worker"),
        on_delete=models.PROTECT,
        related_name="field_visits",
    )
    companions = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("with"), blank=True, related_name="companion_visits"
    )
    location = models.CharField(_("where"), max_length=300)
    planned_start = models.DateTimeField(_("planned start"))
    planned_end = models.DateTimeField(_("planned end"))
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PLANNED)
    overdue_alerted_at = models.DateTimeField(_("overdue alert sent at"), null=True, blank=True)
    # The last time the worker said "I'm safe" while the visit was open: the watch counts from then on.
    safe_at = models.DateTimeField(_("said safe at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("planned by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=clock.now)

    class Meta:
        verbose_name = _("field visit")
        verbose_name_plural = _("field visits")
        ordering = ["-planned_start", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(planned_end__gt=models.F("planned_start")), name="casework_visit_end_after_start"
            ),
        ]
        indexes = [models.Index(fields=["status", "planned_end"], name="casework_visit_open")]

    def __str__(self) -> str:
        return f"{self.participant_id} @ {self.location}"

    @property
    def is_open(self) -> bool:
        return self.status in {self.Status.PLANNED, self.Status.STARTED}

    @property
    def watched_from(self) -> datetime.datetime:
        """When the team starts to worry: the planned end, or the worker's later "I'm safe"."""
        return max(self.planned_end, self.safe_at) if self.safe_at else self.planned_end

    def late_by(self, now: datetime.datetime) -> datetime.timedelta | None:
        """How late the open visit is past its planned end, when it is past its planned end (or last "I'm
        safe") plus the grace period (VISIT_GRACE_MINUTES): it is then overdue, whatever job ran or not."""
        grace = datetime.timedelta(minutes=settings.ANCRAGE["VISIT_GRACE_MINUTES"])
        if not self.is_open or self.watched_from + grace >= now:
            return None
        return now - self.planned_end


class Contact(OrganisationRecordedModel):
    """One contact with or about a participant (B2). The shared note is case-notes information, read within
    consent; the private note is read only in the organisation that wrote it."""

    participant = models.ForeignKey(
        "people.Participant", verbose_name=_("participant"), on_delete=models.PROTECT, related_name="contacts"
    )
    enrollment = models.ForeignKey(
        Enrollment,
        verbose_name=_("enrollment"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contacts",
    )
    occurred_at = models.DateTimeField(_("when"))
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"))
    kind = models.CharField(_("kind of contact"), max_length=20, choices=ContactKind.choices)
    participant_present = models.BooleanField(_("participant present"), default=True)
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("staff present"), blank=True, related_name="contacts"
    )
    goals_discussed = models.ManyToManyField(
        "casework.Goal", verbose_name=_("goals discussed"), blank=True, related_name="contacts"
    )
    shared_note = models.TextField(_("note (shared within consent)"), blank=True)
    private_note = models.TextField(_("note (private to the organisation)"), blank=True)
    visit = models.ForeignKey(
        FieldVisit,
        verbose_name=_("field visit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contacts",
    )

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["participant", "-occurred_at"], name="casework_contact_participant")]
        constraints = [
            # A field visit is one contact: logging it twice would count its minutes twice (B2).
            models.UniqueConstraint(
                fields=["visit"], condition=Q(visit__isnull=False), name="casework_one_contact_per_visit"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant_id} {self.occurred_at:%Y-%m-%d} {self.kind}"


# --- recovery plan (B5, B6, B10, B11) ---------------------------------------------------------------------


class RecoveryPlan(TimeStampedModel):
    """The individual recovery plan, in the participant's own words. `revision` goes up at each save, so a
    second person editing an older revision is told rather than overwriting (no goal or service is ever a
    condition of housing, B11: there is deliberately no field for one)."""

    participant = models.ForeignKey(
        "people.Participant",
        verbose_name=_("participant"),
        on_delete=models.PROTECT,
        related_name="recovery_plans",
    )
    enrollment = models.OneToOneField(
        Enrollment, verbose_name=_("enrollment"), on_delete=models.PROTECT, related_name="recovery_plan"
    )
    strengths = models.TextField(_("strengths and talents"), blank=True)
    interests = models.TextField(_("interests"), blank=True)
    aspirations = models.TextField(_("aspirations"), blank=True)
    crisis_strategies = models.TextField(_("crisis strategies"), blank=True)
    after_hours_protocol = models.TextField(_("after-hours protocol"), blank=True)
    local_resources = models.TextField(_("local resources"), blank=True)
    # Within 10 business days of enrollment (B5), Québec statutory holidays excluded.
    due_on = models.DateField(_("due on"))
    first_completed_on = models.DateField(_("first completed on"), null=True, blank=True)
    revision = models.PositiveIntegerField(_("revision"), default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("updated by"), on_delete=models.PROTECT, related_name="+"
    )
    # The supervisor's yearly review (B5).
    next_review_on = models.DateField(_("supervisor review due on"), null=True, blank=True)

    class Meta:
        verbose_name = _("recovery plan")
        verbose_name_plural = _("recovery plans")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.participant_id} plan r{self.revision}"


class PlanReview(models.Model):
    """A supervisor's review of the plan, and their sign-off."""

    plan = models.ForeignKey(
        RecoveryPlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="reviews"
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reviewed by"), on_delete=models.PROTECT, related_name="+"
    )
    reviewed_on = models.DateField(_("reviewed on"))
    comment = models.TextField(_("comment"), blank=True)
    signed_off = models.BooleanField(_("signed off"), default=True)
    revision = models.PositiveIntegerField(_("plan revision reviewed"))

    class Meta:
        verbose_name = _("plan review")
        verbose_name_plural = _("plan reviews")
        ordering = ["-reviewed_on", "-id"]

    def __str__(self) -> str:
        return f"{self.plan_id} reviewed {self.reviewed_on}"


class StageOfChange(models.TextChoices):
    """B6."""

    PRECONTEMPLATION = "precontemplation", _("Precontemplation")
    CONTEMPLATION = "contemplation", _("Contemplation")
    PREPARATION = "preparation", _("Preparation")
    ACTION = "action", _("Action")
    MAINTENANCE = "maintenance", _("Maintenance")
    RELAPSE_PREVENTION = "relapse_prevention", _("Relapse prevention")


class LifeDomain(models.TextChoices):
    HOUSING = "housing", _("Housing")
    HEALTH = "health", _("Physical health")
    MENTAL_HEALTH = "mental_health", _("Mental health")
    SUBSTANCE_USE = "substance_use", _("Substance use")
    INCOME = "income", _("Income and money")
    WORK = "work", _("Work, studies and volunteering")
    RELATIONSHIPS = "relationships", _("Family, friends and community")
    DAILY_LIFE = "daily_life", _("Daily living")
    LEGAL = "legal", _("Legal matters")
    CULTURE = "culture", _("Culture and spirituality")
    OTHER = "other", _("Other")


class Goal(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("Working on it")
        ACHIEVED = "achieved", _("Achieved")
        SET_ASIDE = "set_aside", _("Set aside by the participant")

    plan = models.ForeignKey(
        RecoveryPlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="goals"
    )
    words = models.TextField(_("the goal, in the participant's words"))
    domain = models.CharField(
        _("life domain"), max_length=20, choices=LifeDomain.choices, default=LifeDomain.OTHER
    )
    stage = models.CharField(_("stage of change"), max_length=20, choices=StageOfChange.choices)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE)
    starts_on = models.DateField(_("since"))
    review_on = models.DateField(_("review on"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    created_at = models.DateTimeField(_("created"), default=clock.now)

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(review_on__isnull=True) | Q(review_on__gte=models.F("starts_on")),
                name="casework_goal_review_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.words[:60]


class Step(models.Model):
    class Who(models.TextChoices):
        PARTICIPANT = "participant", _("The participant")
        CASE_MANAGER = "case_manager", _("The case manager")
        BOTH = "both", _("Both together")

    goal = models.ForeignKey(Goal, verbose_name=_("goal"), on_delete=models.CASCADE, related_name="steps")
    description = models.TextField(_("step"))
    who = models.CharField(_("who does it"), max_length=20, choices=Who.choices)
    target_on = models.DateField(_("target date"), null=True, blank=True)
    review_on = models.DateField(_("review date"), null=True, blank=True)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("step")
        verbose_name_plural = _("steps")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.description[:60]


# --- assessment schedules (B4) ----------------------------------------------------------------------------


class AssessmentSchedule(models.Model):
    """For one program, when one instrument is due: within N days of enrollment, then every M months, and/or
    at exit. `position` is the fixed order in which they are given (B4)."""

    program = models.ForeignKey(
        "organisations.Program",
        verbose_name=_("program"),
        on_delete=models.CASCADE,
        related_name="assessment_schedules",
    )
    instrument = models.ForeignKey(
        "assessments.Instrument", verbose_name=_("instrument"), on_delete=models.PROTECT, related_name="+"
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    within_days_of_enrollment = models.PositiveSmallIntegerField(
        _("within days of enrollment"), null=True, blank=True
    )
    every_months = models.PositiveSmallIntegerField(_("then every (months)"), null=True, blank=True)
    at_exit = models.BooleanField(_("at exit"), default=False)

    class Meta:
        verbose_name = _("assessment schedule")
        verbose_name_plural = _("assessment schedules")
        ordering = ["program", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["program", "instrument"], name="casework_schedule_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.program_id} · {self.instrument_id}"


# --- referrals to other services (B7) ---------------------------------------------------------------------


class ServiceKind(models.TextChoices):
    EMPLOYMENT = "employment", _("Employment")
    EDUCATION = "education", _("Education and training")
    HEALTH = "health", _("Health care")
    MENTAL_HEALTH = "mental_health", _("Mental health")
    SUBSTANCE_USE = "substance_use", _("Substance use and harm reduction")
    INCOME = "income", _("Income and benefits")
    LEGAL = "legal", _("Legal aid")
    FOOD = "food", _("Food")
    HOUSING_STABILITY = "housing_stability", _("Housing stability program")
    COMMUNITY = "community", _("Community and recreation")
    CULTURE = "culture", _("Indigenous and cultural services")
    OTHER = "other", _("Other")


class ServiceProvider(BilingualNameMixin, TimeStampedModel):
    """An external service in the consortium's directory."""

    consortium = models.ForeignKey(
        "organisations.Consortium", verbose_name=_("consortium"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind of service"), max_length=30, choices=ServiceKind.choices)
    address = models.CharField(_("address"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("email"), blank=True)
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description (French)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    # When the provider is a partner organisation of the consortium, consents can name it.
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("partner organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("service provider")
        verbose_name_plural = _("service providers")
        ordering = ["name"]

    @property
    def display_description(self) -> str:
        """The description in the reader's language (English when given, French otherwise)."""
        if (get_language() or "").startswith("en") and self.description_en:
            return self.description_en
        return self.description


class ServiceReferralStatus(models.TextChoices):
    # A referral is feminine in French (« une référence »): its statuses agree with it.
    PROPOSED = "proposed", pgettext_lazy("referral status", "Proposed")
    APPROVED = "approved", _("Approved by the participant")
    SENT = "sent", _("Sent")
    APPOINTMENT_SET = "appointment_set", _("Appointment set")
    ACCOMPANIED = "accompanied", _("Accompanied to the appointment")
    LINKED = "linked", _("Linked")
    DECLINED = "declined", _("Declined")
    NO_SHOW = "no_show", _("No-show")


class ServiceReferral(TimeStampedModel):
    """A referral to an external service (B7). Declining it never costs the participant anything (B11)."""

    participant = models.ForeignKey(
        "people.Participant",
        verbose_name=_("participant"),
        on_delete=models.PROTECT,
        related_name="service_referrals",
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    enrollment = models.ForeignKey(
        Enrollment,
        verbose_name=_("enrollment"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="service_referrals",
    )
    provider = models.ForeignKey(
        ServiceProvider, verbose_name=_("service"), on_delete=models.PROTECT, related_name="referrals"
    )
    need = models.TextField(_("the need, as identified with the participant"))
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ServiceReferralStatus.choices,
        default=ServiceReferralStatus.PROPOSED,
    )
    approved_on = models.DateField(_("approved by the participant on"), null=True, blank=True)
    appointment_at = models.DateTimeField(_("appointment"), null=True, blank=True)
    # What was sent to the provider, and the consent it was sent under (G1).
    shared_categories = models.JSONField(_("information shared"), default=list, blank=True)
    consent = models.ForeignKey(
        "people.Consent",
        verbose_name=_("consent relied on"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Referrals made as part of an unplanned exit (F3).
    exit = models.ForeignKey(
        "casework.Exit",
        verbose_name=_("exit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="referrals",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("referred by"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("referral to a service")
        verbose_name_plural = _("referrals to services")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.participant_id} → {self.provider_id} ({self.status})"


class ReferralAttempt(models.Model):
    """Every step and linkage attempt of a referral, kept (B7)."""

    referral = models.ForeignKey(
        ServiceReferral, verbose_name=_("referral"), on_delete=models.CASCADE, related_name="attempts"
    )
    status = models.CharField(_("status"), max_length=20, choices=ServiceReferralStatus.choices)
    on = models.DateField(_("on"))
    note = models.TextField(_("note"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=clock.now)

    class Meta:
        verbose_name = _("referral attempt")
        verbose_name_plural = _("referral attempts")
        ordering = ["on", "id"]

    def __str__(self) -> str:
        return f"{self.referral_id} {self.status} {self.on}"


# --- risk and safety (B8, B9) -----------------------------------------------------------------------------


class RiskAssessment(OrganisationRecordedModel):
    """A risk assessment and its plan. The latest not ended is the participant's current one."""

    class Level(models.IntegerChoices):
        AGITATED = 1, _("Level 1: agitated")
        DISRUPTIVE = 2, _("Level 2: disruptive")
        DANGEROUS = 3, _("Level 3: dangerous")

    class Rating(models.TextChoices):
        LOW = "low", _("Low")
        MODERATE = "moderate", _("Moderate")
        HIGH = "high", _("High")

    participant = models.ForeignKey(
        "people.Participant",
        verbose_name=_("participant"),
        on_delete=models.PROTECT,
        related_name="risk_assessments",
    )
    assessed_on = models.DateField(_("assessed on"))
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    rating = models.CharField(_("risk rating"), max_length=10, choices=Rating.choices)
    description = models.TextField(_("what was observed"))
    # The plan (B8).
    paired_visits = models.BooleanField(_("visits in pairs only"), default=False)
    office_only_until = models.DateField(_("meetings at the office only until"), null=True, blank=True)
    psychiatric_assessment_requested = models.BooleanField(
        _("psychiatric assessment requested"), default=False
    )
    notify_team_on_police = models.BooleanField(_("tell the team when police are called"), default=True)
    other_measures = models.TextField(_("other measures"), blank=True)
    participant_told_on = models.DateField(_("participant told of the plan on"), null=True, blank=True)
    review_on = models.DateField(_("review on"), null=True, blank=True)
    ended_on = models.DateField(_("plan ended on"), null=True, blank=True)

    class Meta:
        verbose_name = _("risk assessment")
        verbose_name_plural = _("risk assessments")
        ordering = ["-assessed_on", "-id"]

    def __str__(self) -> str:
        return f"{self.participant_id} L{self.level} {self.rating}"

    @property
    def is_current(self) -> bool:
        return self.ended_on is None


# --- incidents and on-call (B9, B10) ----------------------------------------------------------------------


class Incident(OrganisationRecordedModel):
    class Kind(models.TextChoices):
        POLICE_CALLED = "police_called", _("Police called")
        ARREST = "arrest", _("Arrest or detention")
        HOSPITAL = "hospital", _("Hospital or emergency room")
        OVERDOSE = "overdose", _("Overdose")
        DEATH = "death", _("Death")
        EVICTION_NOTICE = "eviction_notice", _("Eviction notice")
        VICTIMISATION = "victimisation", _("Victimisation")
        MENTAL_HEALTH_CRISIS = "mental_health_crisis", _("Mental health crisis")
        PROPERTY_DAMAGE = "property_damage", _("Damage to the unit")
        OTHER = "other", _("Other")

    class Source(models.TextChoices):
        STAFF = "staff", _("Staff")
        PARTNER_NOTICE = "partner_notice", _("A partner's notice")

    participant = models.ForeignKey(
        "people.Participant",
        verbose_name=_("participant"),
        on_delete=models.PROTECT,
        related_name="incidents",
    )
    kind = models.CharField(_("kind of incident"), max_length=30, choices=Kind.choices)
    occurred_at = models.DateTimeField(_("when"))
    description = models.TextField(_("what happened"))
    source = models.CharField(_("reported by"), max_length=20, choices=Source.choices, default=Source.STAFF)
    source_name = models.CharField(_("partner or person who gave notice"), max_length=200, blank=True)
    team_notified_at = models.DateTimeField(_("team notified at"), null=True, blank=True)

    class Meta:
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["participant", "-occurred_at"], name="casework_incident_participant")]

    def __str__(self) -> str:
        return f"{self.participant_id} {self.kind}"


class OnCallShift(models.Model):
    """Who answers after hours, from when to when (B10)."""

    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("on call"),
        on_delete=models.PROTECT,
        related_name="on_call_shifts",
    )
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"))
    # The on-call phone (often one shared cell passed from hand to hand), shown as a call link.
    phone = models.CharField(_("number to reach them"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("on-call shift")
        verbose_name_plural = _("on-call shifts")
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="casework_shift_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.worker_id} {self.starts_at:%Y-%m-%d %H:%M}"


class OnCallEntry(models.Model):
    """One after-hours call, in the on-call log (B10)."""

    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    participant = models.ForeignKey(
        "people.Participant",
        verbose_name=_("participant"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="on_call_entries",
    )
    called_at = models.DateTimeField(_("call received at"))
    caller = models.CharField(_("who called"), max_length=200)
    summary = models.TextField(_("what it was about"))
    action_taken = models.TextField(_("what was done"), blank=True)
    follow_up = models.BooleanField(_("needs follow-up by the team"), default=False)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("answered by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=clock.now)

    class Meta:
        verbose_name = _("on-call log entry")
        verbose_name_plural = _("on-call log entries")
        ordering = ["-called_at", "-id"]

    def __str__(self) -> str:
        return f"{self.called_at:%Y-%m-%d %H:%M} {self.caller}"


# --- lost contact (B12) -----------------------------------------------------------------------------------


class ReengagementPlan(models.Model):
    """After N days without contact: where to look for the participant. Never a discharge (B12)."""

    class Status(models.TextChoices):
        OPEN = "open", _("Looking for the participant")
        RECONNECTED = "reconnected", _("Back in contact")
        CLOSED = "closed", pgettext_lazy("reengagement", "Closed")

    enrollment = models.ForeignKey(
        Enrollment, verbose_name=_("enrollment"), on_delete=models.CASCADE, related_name="reengagement_plans"
    )
    participant = models.ForeignKey(
        "people.Participant",
        verbose_name=_("participant"),
        on_delete=models.PROTECT,
        related_name="reengagement_plans",
    )
    started_on = models.DateField(_("started on"))
    last_contact_on = models.DateField(_("last contact on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.OPEN)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("re-engagement plan")
        verbose_name_plural = _("re-engagement plans")
        ordering = ["-started_on", "-id"]

    def __str__(self) -> str:
        return f"{self.participant_id} since {self.started_on}"


class OutreachTask(models.Model):
    class Place(models.TextChoices):
        SHELTER = "shelter", _("Shelter")
        HOSPITAL = "hospital", _("Hospital")
        DETENTION = "detention", _("Prison or detention centre")
        USUAL_PLACE = "usual_place", _("Usual places")
        SUPPORT_CONTACT = "support_contact", _("Family, friends or natural supports")
        OTHER = "other", _("Other")

    plan = models.ForeignKey(
        ReengagementPlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="tasks"
    )
    place_kind = models.CharField(_("where to look"), max_length=20, choices=Place.choices)
    place = models.CharField(_("place"), max_length=200, blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    due_on = models.DateField(_("by"), null=True, blank=True)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    outcome = models.TextField(_("what was found"), blank=True)

    class Meta:
        verbose_name = _("outreach task")
        verbose_name_plural = _("outreach tasks")
        ordering = ["done_on", "due_on", "id"]

    def __str__(self) -> str:
        return f"{self.plan_id} {self.place_kind}"


# --- exits (F1–F3) ----------------------------------------------------------------------------------------


class Exit(RecordedModel):
    class Kind(models.TextChoices):
        GRADUATION = "graduation", _("Graduation")
        PLANNED = "planned", _("Planned exit")
        UNPLANNED = "unplanned", _("Unplanned exit")

    class Reason(models.TextChoices):
        GOALS_REACHED = "goals_reached", _("Autonomy reached")
        MORE_SUPPORT = "more_support", _("Moved to a program with more support")
        LESS_SUPPORT = "less_support", _("Moved to a program with less support")
        DETENTION = "detention", _("Long detention")
        MOVED_AWAY = "moved_away", _("Moved away")
        PARTICIPANT_ENDED = "participant_ended", _("The participant ended the service")
        NEEDS_NOT_MET = "needs_not_met", _("Needs not met by the program")
        DECEASED = "deceased", _("Deceased")
        OTHER = "other", _("Other")

    class Destination(models.TextChoices):
        OWN_HOUSING = "own_housing", _("Own housing (rent supplement or market)")
        SUBSIDISED = "subsidised", _("Social or subsidised housing")
        FAMILY = "family", _("With family or friends")
        OTHER_PROGRAM = "other_program", _("Another program's housing")
        INSTITUTION = "institution", _("Hospital or treatment centre")
        DETENTION = "detention", _("Prison or detention centre")
        SHELTER = "shelter", _("Emergency shelter")
        STREET = "street", _("Street or place not meant for habitation")
        DECEASED = "deceased", _("Deceased")
        UNKNOWN = "unknown", _("Unknown")

    enrollment = models.OneToOneField(
        Enrollment, verbose_name=_("enrollment"), on_delete=models.PROTECT, related_name="exit"
    )
    participant = models.ForeignKey(
        "people.Participant", verbose_name=_("participant"), on_delete=models.PROTECT, related_name="exits"
    )
    kind = models.CharField(_("kind of exit"), max_length=20, choices=Kind.choices)
    reason = models.CharField(_("reason"), max_length=30, choices=Reason.choices)
    exited_on = models.DateField(_("exit date"))
    destination = models.CharField(_("destination"), max_length=20, choices=Destination.choices)
    destination_detail = models.CharField(_("destination, in words"), max_length=300, blank=True)
    # F3: a shelter only when no reasonable alternative exists, said here.
    shelter_justification = models.TextField(_("why a shelter: no reasonable alternative"), blank=True)
    # F3: at least three housing-stability referrals, or why not.
    no_referrals_reason = models.TextField(_("why fewer than three referrals"), blank=True)
    next_provider = models.CharField(_("next provider"), max_length=200, blank=True)
    information_sent = models.BooleanField(_("information sent to the next provider"), default=False)
    consent = models.ForeignKey(
        "people.Consent",
        verbose_name=_("consent relied on"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # F3: the program's contact and its complaint and appeal procedure, given to the participant.
    procedure_given_on = models.DateField(
        _("contact and complaint procedure given on"), null=True, blank=True
    )
    # F1: the intake instrument re-administered at graduation.
    graduation_assessment = models.ForeignKey(
        "assessments.Administration",
        verbose_name=_("intake instrument re-administered"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # F1: the objective readiness indicators of a graduation, and why it goes ahead when one is missing.
    stable_housing = models.BooleanField(_("stable, affordable housing"), default=False)
    rent_supplement = models.BooleanField(_("rent supplement in place"), default=False)
    follow_up_care = models.BooleanField(_("follow-up care arranged"), default=False)
    readiness_note = models.TextField(_("why graduate without every indicator"), blank=True)
    # B12: an unplanned exit while a re-engagement plan is open says why, lost contact being no reason.
    lost_contact_reason = models.TextField(_("why exit while re-engagement is under way"), blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("exit")
        verbose_name_plural = _("exits")
        ordering = ["-exited_on", "-id"]

    def __str__(self) -> str:
        return f"{self.participant_id} {self.kind} {self.exited_on}"

    @property
    def is_pending(self) -> bool:
        """A planned exit recorded ahead of its date: the enrollment goes on until then."""
        return self.enrollment.status == Enrollment.Status.ACTIVE


# --- daily team meeting (G4) ------------------------------------------------------------------------------


class MeetingOrder(models.TextChoices):
    FLAGS = "flags", _("Most flags first")
    LAST_CONTACT = "last_contact", _("Longest without contact first")
    WORKER = "worker", _("By case manager")
    NAME = "name", _("By name")


class TeamMeetingSettings(models.Model):
    """How a team's morning meeting screen is ordered, set by the team lead."""

    team = models.OneToOneField(
        "organisations.Team",
        verbose_name=_("team"),
        on_delete=models.CASCADE,
        related_name="meeting_settings",
    )
    order = models.CharField(
        _("order"), max_length=20, choices=MeetingOrder.choices, default=MeetingOrder.FLAGS
    )
    # Flags in the order the team wants them weighed; the first ones count most when sorting by flags.
    flag_order = models.JSONField(_("order of the flags"), default=list, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("set by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    updated_at = StampedOnSaveField(_("updated"))

    class Meta:
        verbose_name = _("team meeting settings")
        verbose_name_plural = _("team meeting settings")

    def __str__(self) -> str:
        return f"{self.team_id} {self.order}"
