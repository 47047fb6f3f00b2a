"""Case-conference tables (D1–D7): members, meetings and their roles, agendas, action items (RACI), the parking
lot, evaluations, and the delivery of each email sent to a member."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from ancrage.core import clock
from ancrage.core.models import TimeStampedModel


class Table(TimeStampedModel):
    """A standing case-conference table (D1), run by one organisation (coordinated access for the community)."""

    class Level(models.TextChoices):
        COMMUNITY = "community", _("Community")
        PROGRAM = "program", _("Program")

    class Cadence(models.TextChoices):
        WEEKLY = "weekly", _("Every week")
        BIWEEKLY = "biweekly", _("Every two weeks")

    name = models.CharField(_("name"), max_length=200)
    level = models.CharField(_("level"), max_length=20, choices=Level.choices, default=Level.COMMUNITY)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("run by"),
        on_delete=models.PROTECT,
        related_name="conference_tables",
    )
    program = models.ForeignKey(
        "organisations.Program",
        verbose_name=_("program"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="conference_tables",
    )
    cadence = models.CharField(_("cadence"), max_length=20, choices=Cadence.choices, default=Cadence.WEEKLY)
    # Python's weekday: 0 is Monday.
    weekday = models.PositiveSmallIntegerField(_("weekday"), default=1)
    start_time = models.TimeField(_("starts at"))
    duration_minutes = models.PositiveSmallIntegerField(_("length (minutes)"), default=60)
    place = models.CharField(_("place"), max_length=300, blank=True)
    video_url = models.URLField(_("video link"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("case-conference table")
        verbose_name_plural = _("case-conference tables")
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(weekday__lte=6), name="conf_table_weekday"),
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=15, duration_minutes__lte=240), name="conf_table_length"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Member(models.Model):
    """A representative an organisation names to a table (D1)."""

    table = models.ForeignKey(
        Table, verbose_name=_("table"), on_delete=models.CASCADE, related_name="members"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    can_decide_housing = models.BooleanField(_("can decide on housing options"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    joined_at = models.DateTimeField(_("joined"), default=clock.now, editable=False)

    class Meta:
        verbose_name = _("table member")
        verbose_name_plural = _("table members")
        ordering = ["organisation__name", "user__last_name", "id"]
        constraints = [models.UniqueConstraint(fields=["table", "user"], name="conf_member_unique")]

    def __str__(self) -> str:
        return f"{self.user} · {self.organisation}"


class Meeting(models.Model):
    class Kind(models.TextChoices):
        CASE = "case", _("Case conference")
        ADMINISTRATIVE = "administrative", _("Monthly administrative meeting")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")

    table = models.ForeignKey(
        Table, verbose_name=_("table"), on_delete=models.CASCADE, related_name="meetings"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.CASE)
    starts_at = models.DateTimeField(_("starts at"))
    duration_minutes = models.PositiveSmallIntegerField(_("length (minutes)"), default=60)
    place = models.CharField(_("place"), max_length=300, blank=True)
    video_url = models.URLField(_("video link"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PLANNED)
    # The three roles (D2), never the same person twice at one meeting.
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("facilitator"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    timekeeper = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("timekeeper"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    note_taker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("note-taker"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The organisation whose people go first (D3): rotates from one case meeting to the next.
    first_organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("goes first"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    agenda_sent_at = models.DateTimeField(_("agenda sent at"), null=True, blank=True)
    minutes_closed_at = models.DateTimeField(_("minutes closed at"), null=True, blank=True)
    # Set when the meeting is edited after its action list went out: the list is sent again.
    changed_after_minutes = models.BooleanField(_("changed after the minutes were sent"), default=False)
    minutes_version = models.PositiveIntegerField(_("version of the minutes"), default=0)
    created_at = models.DateTimeField(_("created"), default=clock.now, editable=False)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["starts_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["table", "starts_at"], name="conf_meeting_unique_start"),
            models.CheckConstraint(
                condition=Q(facilitator__isnull=True)
                | Q(timekeeper__isnull=True)
                | ~Q(facilitator=F("timekeeper")),
                name="conf_meeting_facilitator_not_timekeeper",
            ),
            models.CheckConstraint(
                condition=Q(facilitator__isnull=True)
                | Q(note_taker__isnull=True)
                | ~Q(facilitator=F("note_taker")),
                name="conf_meeting_facilitator_not_note_taker",
            ),
            models.CheckConstraint(
                condition=Q(timekeeper__isnull=True)
                | Q(note_taker__isnull=True)
                | ~Q(timekeeper=F("note_taker")),
                name="conf_meeting_timekeeper_not_note_taker",
            ),
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=15, duration_minutes__lte=240), name="conf_meeting_length"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.table} · {self.starts_at:%Y-%m-%d}"

    @property
    def ends_at(self):
        import datetime

        return self.starts_at + datetime.timedelta(minutes=self.duration_minutes)


class Attendance(models.Model):
    class Status(models.TextChoices):
        PRESENT = "present", _("Present")
        EXCUSED = "excused", _("Excused")
        ABSENT = "absent", _("Absent")

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="attendance"
    )
    member = models.ForeignKey(Member, verbose_name=_("member"), on_delete=models.CASCADE, related_name="+")
    status = models.CharField(_("attendance"), max_length=20, choices=Status.choices)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [models.UniqueConstraint(fields=["meeting", "member"], name="conf_attendance_unique")]

    def __str__(self) -> str:
        return f"{self.member} · {self.get_status_display()}"


class Proposal(models.Model):
    """A member's proposal to discuss a person who is stuck, with why (D3)."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        ON_AGENDA = "on_agenda", _("On an agenda")
        DECLINED = "declined", _("Declined")

    table = models.ForeignKey(
        Table, verbose_name=_("table"), on_delete=models.CASCADE, related_name="proposals"
    )
    participant = models.ForeignKey(
        "people.Participant", verbose_name=_("participant"), on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("why the person is stuck"))
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("proposed by"), on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.OPEN)
    proposed_at = models.DateTimeField(_("proposed at"), default=clock.now, editable=False)

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["proposed_at", "id"]

    def __str__(self) -> str:
        return f"{self.participant} · {self.table}"


class AgendaItem(models.Model):
    """A person on a meeting's agenda, and what the table said about them in the three phases (D4)."""

    class Source(models.TextChoices):
        FLAGGED = "flagged", _("Flagged by coordinated access")
        PROPOSED = "proposed", _("Proposed by a member")

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="items"
    )
    participant = models.ForeignKey(
        "people.Participant", verbose_name=_("participant"), on_delete=models.PROTECT, related_name="+"
    )
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    # Whose person this is for the rotation (D3): the proposing organisation, else the home organisation.
    organisation = models.ForeignKey(
        "organisations.Organisation", verbose_name=_("brought by"), on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("why the person is stuck"))
    proposal = models.ForeignKey(
        Proposal,
        verbose_name=_("proposal"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("added by"), on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(_("added at"), default=clock.now, editable=False)
    # Added after the agenda went out (D3).
    is_late = models.BooleanField(_("added late"), default=False)
    # Phase 1: set-up.
    confidential = models.TextField(_("what stays confidential"), blank=True)
    # Phase 3: problem solving.
    resources = models.TextField(_("resources"), blank=True)
    action_plan = models.TextField(_("action plan"), blank=True)
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("lead"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    notes = models.TextField(_("notes"), blank=True)
    seconds_spent = models.PositiveIntegerField(_("time spent (seconds)"), default=0)
    discussed = models.BooleanField(_("discussed"), default=False)
    escalated = models.BooleanField(_("escalated to the program managers"), default=False)

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["meeting", "added_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "participant"], name="conf_item_unique_person")
        ]

    def __str__(self) -> str:
        return f"{self.meeting} · {self.participant}"


class Contribution(models.Model):
    """Phase 2: what one partner organisation brings about the person, summarised (D4, D7)."""

    item = models.ForeignKey(
        AgendaItem, verbose_name=_("agenda item"), on_delete=models.CASCADE, related_name="contributions"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    strengths = models.TextField(_("strengths"), blank=True)
    barriers = models.TextField(_("barriers"), blank=True)

    class Meta:
        verbose_name = _("contribution")
        verbose_name_plural = _("contributions")
        constraints = [
            models.UniqueConstraint(fields=["item", "organisation"], name="conf_contribution_unique")
        ]

    def __str__(self) -> str:
        return f"{self.item} · {self.organisation}"


class ActionItem(models.Model):
    """An action decided at a meeting, with RACI (D5)."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        DROPPED = "dropped", _("Dropped")

    OPEN_STATUSES = (Status.OPEN, Status.IN_PROGRESS)

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="actions"
    )
    item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("agenda item"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="actions",
    )
    participant = models.ForeignKey(
        "people.Participant",
        verbose_name=_("participant"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    description = models.TextField(_("action"))
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("responsible"), on_delete=models.PROTECT, related_name="+"
    )
    accountable = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("accountable"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    due_on = models.DateField(_("due on"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.OPEN)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=clock.now, editable=False)

    class Meta:
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["responsible", "status", "due_on"], name="conf_action_responsible")]

    def __str__(self) -> str:
        return self.description[:80]


class ActionParty(models.Model):
    """Who is consulted or informed on an action: a user or a member organisation."""

    class Role(models.TextChoices):
        CONSULTED = "consulted", _("Consulted")
        INFORMED = "informed", _("Informed")

    action = models.ForeignKey(
        ActionItem, verbose_name=_("action item"), on_delete=models.CASCADE, related_name="parties"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("consulted or informed")
        verbose_name_plural = _("consulted or informed")
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False, organisation__isnull=True)
                | Q(user__isnull=True, organisation__isnull=False),
                name="conf_party_user_or_org",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} · {self.user or self.organisation}"


class FollowUp(models.Model):
    action = models.ForeignKey(
        ActionItem, verbose_name=_("action item"), on_delete=models.CASCADE, related_name="follow_ups"
    )
    note = models.TextField(_("follow-up"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("at"), default=clock.now, editable=False)

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return self.note[:80]


class ParkingLotIssue(models.Model):
    """A system issue set aside for the monthly administrative meeting (D6)."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_PROGRESS = "in_progress", _("In progress")
        RESOLVED = "resolved", _("Resolved")

    table = models.ForeignKey(
        Table, verbose_name=_("table"), on_delete=models.CASCADE, related_name="parking_lot"
    )
    raised_at = models.ForeignKey(
        Meeting,
        verbose_name=_("raised at"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    title = models.CharField(_("issue"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.OPEN)
    resolution = models.TextField(_("resolution"), blank=True)
    created_at = models.DateTimeField(_("created"), default=clock.now, editable=False)

    class Meta:
        verbose_name = _("parking-lot issue")
        verbose_name_plural = _("parking lot")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.title


class Evaluation(models.Model):
    """A member's short evaluation of a meeting (D6): once per member per meeting."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="evaluations"
    )
    member = models.ForeignKey(Member, verbose_name=_("member"), on_delete=models.CASCADE, related_name="+")
    usefulness = models.PositiveSmallIntegerField(_("usefulness"))
    time_use = models.PositiveSmallIntegerField(_("use of time"))
    preparation = models.PositiveSmallIntegerField(_("preparation"))
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(_("created"), default=clock.now, editable=False)

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="conf_evaluation_once"),
            models.CheckConstraint(
                condition=Q(usefulness__gte=1, usefulness__lte=5)
                & Q(time_use__gte=1, time_use__lte=5)
                & Q(preparation__gte=1, preparation__lte=5),
                name="conf_evaluation_scale",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.meeting} · {self.member}"


class Delivery(models.Model):
    """One email to one member (the agenda, or the action list): kept until sent, retried when it fails."""

    class Kind(models.TextChoices):
        AGENDA = "agenda", _("Agenda")
        ACTIONS = "actions", _("Action list")

    class Status(models.TextChoices):
        PENDING = "pending", _("To send")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed, will be retried")

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="deliveries"
    )
    member = models.ForeignKey(Member, verbose_name=_("member"), on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("email delivery")
        verbose_name_plural = _("email deliveries")
        ordering = ["kind", "member__organisation__name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member", "kind"], name="conf_delivery_unique")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.member} · {self.get_status_display()}"
