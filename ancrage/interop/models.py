"""Imports of another system's HMIS CSV export: the import and its data-quality report, the source projects,
the imported history (enrollments and exits), and the staging tables the files stream into."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ancrage.core import clock


class HmisImport(models.Model):
    """One uploaded zip, from its structure check to its last stage; kept with its report."""

    class Status(models.TextChoices):
        RECEIVED = "received", _("Received")
        REFUSED = "refused", _("Refused")
        QUEUED = "queued", _("Waiting to load")
        RUNNING = "running", _("Loading")
        DONE = "done", _("Completed")
        FAILED = "failed", _("Stopped by an error")

    class Stage(models.TextChoices):
        CHECK = "check", _("Checking the structure")
        STAGE = "stage", _("Reading the rows")
        KEYS = "keys", _("Checking keys and links")
        PROJECTS = "projects", _("Projects")
        CLIENTS = "clients", _("Participants")
        ENROLLMENTS = "enrollments", _("Enrollments and exits")
        DUPLICATES = "duplicates", _("Looking for duplicates")
        DONE = "done", _("Done")

    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="hmis_imports",
    )
    source = models.CharField(_("source system"), max_length=60)
    original_name = models.CharField(_("file name"), max_length=255)
    file = models.FileField(_("file"), upload_to="hmis_imports/%Y/")
    size = models.PositiveBigIntegerField(_("size (bytes)"), default=0)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"), default=clock.now)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.RECEIVED)
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices, default=Stage.CHECK)
    csv_version = models.CharField(_("CSV version"), max_length=40, blank=True)
    # File name -> what the structure check found (encoding, rows, columns found, ignored, missing).
    files = models.JSONField(default=dict)
    rows_total = models.PositiveBigIntegerField(default=0)
    rows_done = models.PositiveBigIntegerField(default=0)
    # What each stage did: participants created, updated, unchanged; enrollments; duplicates proposed.
    counts = models.JSONField(default=dict)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("HMIS import")
        verbose_name_plural = _("HMIS imports")
        ordering = ["-uploaded_at", "-id"]

    def __str__(self) -> str:
        return f"{self.source} {self.original_name}"

    @property
    def is_running(self) -> bool:
        return self.status in {self.Status.QUEUED, self.Status.RUNNING}

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        if not self.rows_total:
            return 0
        return min(99, int(100 * self.rows_done / self.rows_total))


class ImportProblem(models.Model):
    """One row of the data-quality report: a code and its parameters, translated when shown."""

    class Severity(models.TextChoices):
        ERROR = "error", _("Error")
        WARNING = "warning", _("Warning")

    hmis_import = models.ForeignKey(HmisImport, on_delete=models.CASCADE, related_name="problems")
    file = models.CharField(_("file"), max_length=60, blank=True)
    row = models.PositiveBigIntegerField(_("row"), null=True, blank=True)
    column = models.CharField(_("column"), max_length=60, blank=True)
    value = models.CharField(_("value"), max_length=200, blank=True)
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices)
    code = models.CharField(max_length=40)
    params = models.JSONField(default=dict)
    # The stage that found it: a stage run again replaces its own rows.
    stage = models.CharField(max_length=20, default="check")

    class Meta:
        verbose_name = _("data-quality problem")
        verbose_name_plural = _("data-quality problems")
        ordering = ["id"]
        indexes = [models.Index(fields=["hmis_import", "file", "severity"], name="interop_problem_file")]

    def __str__(self) -> str:
        return f"{self.file} {self.row or ''} {self.code}"


class SourceProject(models.Model):
    """A project of the other system (with its organisation), mappable to an Ancrage program."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="hmis_source_projects"
    )
    source = models.CharField(_("source system"), max_length=60)
    project_id = models.CharField(_("ProjectID"), max_length=60)
    name = models.CharField(_("project"), max_length=200)
    organization_id = models.CharField(_("OrganizationID"), max_length=60, blank=True)
    organization_name = models.CharField(_("organization in the source system"), max_length=200, blank=True)
    project_type = models.IntegerField(_("project type"), null=True, blank=True)
    program = models.ForeignKey(
        "organisations.Program",
        verbose_name=_("Ancrage program"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    hmis_import = models.ForeignKey(HmisImport, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        verbose_name = _("source project")
        verbose_name_plural = _("source projects")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "source", "project_id"], name="interop_source_project_key"
            )
        ]

    def __str__(self) -> str:
        return self.name


class ImportedEnrollment(models.Model):
    """A stay in a project of the other system, with its exit when there was one: history, read-only."""

    participant = models.ForeignKey(
        "people.Participant", on_delete=models.CASCADE, related_name="hmis_enrollments"
    )
    source = models.CharField(_("source system"), max_length=60)
    enrollment_id = models.CharField(_("EnrollmentID"), max_length=60)
    project = models.ForeignKey(SourceProject, null=True, on_delete=models.SET_NULL, related_name="+")
    entry_date = models.DateField(_("entry date"))
    move_in_date = models.DateField(_("move-in date"), null=True, blank=True)
    relationship_to_hoh = models.IntegerField(null=True, blank=True)
    living_situation = models.IntegerField(_("prior living situation"), null=True, blank=True)
    exit_id = models.CharField(_("ExitID"), max_length=60, blank=True)
    exit_date = models.DateField(_("exit date"), null=True, blank=True)
    destination = models.IntegerField(_("destination"), null=True, blank=True)
    hmis_import = models.ForeignKey(HmisImport, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        verbose_name = _("imported enrollment")
        verbose_name_plural = _("imported enrollments")
        ordering = ["-entry_date", "id"]
        constraints = [
            models.UniqueConstraint(fields=["source", "enrollment_id"], name="interop_enrollment_key")
        ]

    def __str__(self) -> str:
        return self.enrollment_id


class ImportedPerson(models.Model):
    """Which participant each client of an import became (created by it, or already there)."""

    hmis_import = models.ForeignKey(HmisImport, on_delete=models.CASCADE, related_name="people")
    participant = models.ForeignKey("people.Participant", on_delete=models.CASCADE, related_name="+")
    personal_id = models.CharField(max_length=60)
    created = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["hmis_import", "participant"], name="interop_imported_person")
        ]

    def __str__(self) -> str:
        return self.personal_id


class ProposedDuplicate(models.Model):
    """A participant created by an import that probably is someone already in the registry: for review."""

    hmis_import = models.ForeignKey(HmisImport, on_delete=models.CASCADE, related_name="duplicates")
    participant = models.ForeignKey("people.Participant", on_delete=models.CASCADE, related_name="+")
    candidate = models.ForeignKey("people.Participant", on_delete=models.CASCADE, related_name="+")
    score = models.PositiveIntegerField()

    class Meta:
        ordering = ["-score", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["hmis_import", "participant", "candidate"], name="interop_proposed_duplicate"
            )
        ]

    # Staging: each file's sound rows, streamed in (COPY on PostgreSQL), read by the set-based upserts, then
    # deleted when the import is done. `line` is the row's line in its file, for the report.

    def __str__(self) -> str:
        return f"{self.participant_id} ~ {self.candidate_id}"


class StagedProject(models.Model):
    hmis_import = models.ForeignKey(HmisImport, on_delete=models.CASCADE, related_name="+")
    line = models.PositiveBigIntegerField()
    project_id = models.CharField(max_length=60)
    organization_id = models.CharField(max_length=60)
    name = models.CharField(max_length=200)
    project_type = models.IntegerField(null=True)

    class Meta:
        indexes = [models.Index(fields=["hmis_import", "project_id"], name="interop_stproj")]

    def __str__(self) -> str:
        return self.project_id


class StagedOrganization(models.Model):
    hmis_import = models.ForeignKey(HmisImport, on_delete=models.CASCADE, related_name="+")
    line = models.PositiveBigIntegerField()
    organization_id = models.CharField(max_length=60)
    name = models.CharField(max_length=200)

    class Meta:
        indexes = [models.Index(fields=["hmis_import", "organization_id"], name="interop_storg")]

    def __str__(self) -> str:
        return self.organization_id


class StagedClient(models.Model):
    hmis_import = models.ForeignKey(HmisImport, on_delete=models.CASCADE, related_name="+")
    line = models.PositiveBigIntegerField()
    personal_id = models.CharField(max_length=60)
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    date_of_birth = models.DateField(null=True)
    dob_quality = models.CharField(max_length=20)
    gender = models.CharField(max_length=20)
    indigenous_identity = models.CharField(max_length=20)

    class Meta:
        indexes = [models.Index(fields=["hmis_import", "personal_id"], name="interop_stclient")]

    def __str__(self) -> str:
        return self.personal_id


class StagedEnrollment(models.Model):
    hmis_import = models.ForeignKey(HmisImport, on_delete=models.CASCADE, related_name="+")
    line = models.PositiveBigIntegerField()
    enrollment_id = models.CharField(max_length=60)
    personal_id = models.CharField(max_length=60)
    project_id = models.CharField(max_length=60)
    entry_date = models.DateField()
    move_in_date = models.DateField(null=True)
    relationship_to_hoh = models.IntegerField(null=True)
    living_situation = models.IntegerField(null=True)

    class Meta:
        indexes = [models.Index(fields=["hmis_import", "enrollment_id"], name="interop_stenr")]

    def __str__(self) -> str:
        return self.enrollment_id


class StagedExit(models.Model):
    hmis_import = models.ForeignKey(HmisImport, on_delete=models.CASCADE, related_name="+")
    line = models.PositiveBigIntegerField()
    exit_id = models.CharField(max_length=60)
    enrollment_id = models.CharField(max_length=60)
    personal_id = models.CharField(max_length=60)
    exit_date = models.DateField()
    destination = models.IntegerField(null=True)

    class Meta:
        indexes = [models.Index(fields=["hmis_import", "enrollment_id"], name="interop_stexit")]

    def __str__(self) -> str:
        return self.exit_id
