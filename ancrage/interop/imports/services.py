"""Writes of HMIS imports: receiving a zip and checking its structure, then the load, stage by stage.

Stages, in order: STAGE (stream each file's sound rows into staging), KEYS (duplicate keys, enrollments without
a client, exits without an enrollment), PROJECTS, CLIENTS (participants created or updated through the
registry's rules, audited), ENROLLMENTS (set-based upsert of the imported history), DUPLICATES (probable
duplicates against the registry, proposed for review), DONE. An import records its stage; running it again
picks up at that stage. Set-based stages run in one transaction; the streaming ones commit per batch and
start over cleanly when run again, so a crash never leaves a stage half-written.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from itertools import islice
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Q, Subquery

from ancrage.core import audit, bulk, clock
from ancrage.interop.hmis import reader
from ancrage.interop.hmis.reader import ERROR, WARNING, Problem, RefusedError
from ancrage.interop.imports import staging
from ancrage.interop.models import (
    HmisImport,
    ImportedEnrollment,
    ImportedPerson,
    ImportProblem,
    ProposedDuplicate,
    SourceProject,
    StagedClient,
    StagedEnrollment,
    StagedExit,
    StagedOrganization,
    StagedProject,
)
from ancrage.organisations.models import Organisation
from ancrage.people import duplicates
from ancrage.people import services as people_services
from ancrage.people.models import Identifier, Participant

if TYPE_CHECKING:
    from ancrage.accounts.models import User

logger = logging.getLogger(__name__)
Stage = HmisImport.Stage
Status = HmisImport.Status
ORDER = [
    Stage.STAGE,
    Stage.KEYS,
    Stage.PROJECTS,
    Stage.CLIENTS,
    Stage.ENROLLMENTS,
    Stage.DUPLICATES,
    Stage.DONE,
]
CLIENT_BATCH = 1000
# Stages that commit batch by batch (their progress shows) and start over cleanly when run again.
_STREAMING = {Stage.STAGE, Stage.CLIENTS}


def _store(hmis_import: HmisImport, problems: Iterable[Problem], stage: str) -> None:
    ImportProblem.objects.bulk_create(
        [
            ImportProblem(
                hmis_import=hmis_import,
                file=p.file[:60],
                row=p.row,
                column=p.column[:60],
                value=p.value[:200].replace("\x00", ""),
                severity=p.severity,
                code=p.code,
                params=p.params,
                stage=stage,
            )
            for p in problems
        ],
        batch_size=1000,
    )


def _reporter(hmis_import: HmisImport, stage: str) -> staging.Reporter:
    return staging.Reporter(lambda problems: _store(hmis_import, problems, stage))


# -- receiving ---------------------------------------------------------------------------------------------


@transaction.atomic
def import_receive(
    *, actor: User, organisation: Organisation, source: str, upload, original_name: str
) -> HmisImport:
    """Save the uploaded zip, check its structure, and say whether it can be loaded. Nothing is refused
    silently: a zip that cannot be read is kept as a refused import with its report."""
    source = source.strip().replace("\x00", "")
    if not source:
        raise ValidationError({"source": ["required"]})
    if organisation.pk not in actor.organisation_ids or not organisation.can_hold_participants:
        raise ValidationError({"organisation": ["not allowed"]})
    size = getattr(upload, "size", 0) or 0
    hmis_import = HmisImport(
        organisation=organisation,
        source=source[:60],
        original_name=(original_name or "export.zip").replace("\x00", "")[:255],
        size=size,
        uploaded_by=actor,
    )
    if size > settings.HMIS_IMPORT_MAX_UPLOAD:
        hmis_import.status = Status.REFUSED
        hmis_import.save()
        _store(
            hmis_import,
            [
                Problem(
                    ERROR,
                    "upload_too_large",
                    params={"limit": settings.HMIS_IMPORT_MAX_UPLOAD // (1024 * 1024)},
                )
            ],
            "check",
        )
    else:
        hmis_import.file.save("export.zip", upload if isinstance(upload, File) else File(upload), save=False)
        hmis_import.save()
    audit.record(
        actor=actor,
        action="interop.import.uploaded",
        obj=hmis_import,
        organisation=organisation,
        data={"source": hmis_import.source, "size": size},
    )
    if hmis_import.status != Status.REFUSED:
        structure_check(hmis_import)
    return hmis_import


def structure_check(hmis_import: HmisImport) -> bool:
    """Check every file of the zip against FY2026; queue the load when nothing stops it."""
    problems: list[Problem] = []
    found: dict[str, reader.FileInfo] = {}
    try:
        with hmis_import.file.open("rb") as handle, reader.open_zip(handle) as archive:
            found, problems = reader.check_structure(archive)
            export = found.get("Export")
            if export is not None and export.readable:
                version = reader.csv_version(archive, export)
                hmis_import.csv_version = version[:40]
                wrong = reader.version_problem(version)
                if wrong:
                    problems.append(wrong)
    except RefusedError as refused:
        problems.append(refused.problem)
    errors = [p for p in problems if p.severity == ERROR]
    hmis_import.files = {
        info.name: {
            "member": info.member[:200],
            "encoding": info.encoding,
            "lines": info.lines,
            "readable": info.readable,
            "columns": sorted(info.positions),
        }
        for info in found.values()
    }
    loaded = [info for info in found.values() if info.name in staging.TARGETS and info.name != "Export"]
    staged_rows = sum(max(info.lines - 1, 0) for info in loaded)
    people = sum(max(info.lines - 1, 0) for info in loaded if info.name == "Client")
    hmis_import.rows_total = staged_rows + people
    hmis_import.status = Status.REFUSED if errors else Status.QUEUED
    hmis_import.stage = Stage.CHECK if errors else Stage.STAGE
    _store(hmis_import, problems, "check")
    hmis_import.save(update_fields=["csv_version", "files", "rows_total", "status", "stage"])
    return not errors


# -- the load ----------------------------------------------------------------------------------------------


def import_run(hmis_import_id: int) -> HmisImport:
    """Run the import from the stage it is at to the end (what a task, the command and a rerun call)."""
    hmis_import = HmisImport.objects.get(pk=hmis_import_id)
    if hmis_import.status in (Status.REFUSED, Status.DONE):
        return hmis_import
    HmisImport.objects.filter(pk=hmis_import.pk).update(status=Status.RUNNING)
    hmis_import.status = Status.RUNNING
    runners: dict[str, Callable[[HmisImport], None]] = {
        Stage.STAGE: _stage_files,
        Stage.KEYS: _check_keys,
        Stage.PROJECTS: _load_projects,
        Stage.CLIENTS: _load_clients,
        Stage.ENROLLMENTS: _load_enrollments,
        Stage.DUPLICATES: _propose_duplicates,
    }
    try:
        while hmis_import.stage != Stage.DONE:
            stage = hmis_import.stage
            if stage == Stage.CHECK:
                stage = Stage.STAGE
            if stage in _STREAMING:
                runners[stage](hmis_import)
                _advance(hmis_import, stage)
            else:
                # A set-based stage and the step to the next one commit together, or not at all.
                with transaction.atomic():
                    runners[stage](hmis_import)
                    _advance(hmis_import, stage)
    except Exception:
        logger.exception("HMIS import %s stopped", hmis_import.pk)
        HmisImport.objects.filter(pk=hmis_import.pk).update(status=Status.FAILED)
        _store(hmis_import, [Problem(ERROR, "import_failed")], "failed")
        hmis_import.refresh_from_db()
        return hmis_import
    return hmis_import


def _advance(hmis_import: HmisImport, stage: str) -> None:
    with transaction.atomic():
        following = ORDER[[str(s) for s in ORDER].index(str(stage)) + 1]
        hmis_import.refresh_from_db(fields=["rows_done", "counts"])
        hmis_import.stage = following
        fields = ["stage"]
        if following == Stage.DONE:
            hmis_import.status = Status.DONE
            hmis_import.finished_at = clock.now()
            hmis_import.rows_done = hmis_import.rows_total
            fields += ["status", "finished_at", "rows_done"]
            _clear_staging(hmis_import)
        hmis_import.save(update_fields=fields)
        audit.record(
            actor=hmis_import.uploaded_by,
            action="interop.import.stage_done",
            obj=hmis_import,
            organisation=hmis_import.organisation,
            data={"stage": str(stage), "counts": hmis_import.counts.get(str(stage), {})},
        )


def _clear_staging(hmis_import: HmisImport) -> None:
    for model in (StagedOrganization, StagedProject, StagedClient, StagedEnrollment, StagedExit):
        model.objects.filter(hmis_import=hmis_import).delete()


def _count(hmis_import: HmisImport, stage: str, **values: int) -> None:
    counts = dict(hmis_import.counts)
    counts[str(stage)] = values
    hmis_import.counts = counts
    HmisImport.objects.filter(pk=hmis_import.pk).update(counts=counts)


def _progress(
    hmis_import: HmisImport, rows: int, stage: str | None = None, counts: dict[str, int] | None = None
) -> None:
    """The rows done so far, and the counts of `stage` so far when given (one UPDATE)."""
    hmis_import.rows_done = rows
    values: dict = {"rows_done": rows}
    if stage is not None:
        hmis_import.counts = {**hmis_import.counts, str(stage): dict(counts or {})}
        values["counts"] = hmis_import.counts
    HmisImport.objects.filter(pk=hmis_import.pk).update(**values)


def _analyze(*models) -> None:
    """PostgreSQL: refresh the planner's statistics of tables a stage has just filled. Without them it
    plans the next stage's joins for the empty tables it last saw (nested loops over tens of thousands of
    rows: 18 s for the key checks and 58 s for the enrollments at 20,000 clients, against 0.5 s each)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def _batched(iterable, size):
    iterator = iter(iterable)
    while batch := list(islice(iterator, size)):
        yield batch


def _stage_files(hmis_import: HmisImport) -> None:
    # Started again from scratch when rerun: what a crash left half-staged is removed first.
    _clear_staging(hmis_import)
    ImportProblem.objects.filter(hmis_import=hmis_import, stage=Stage.STAGE).delete()
    report = _reporter(hmis_import, Stage.STAGE)
    today = clock.today()
    done = 0
    pk = hmis_import.pk
    staged: dict[str, int] = {}
    copied = 0

    def tally(rows):
        """The staged rows, keyed by the import, counted as they go by."""
        nonlocal copied
        for line, row in rows:
            copied += 1
            yield (pk, line, *row)

    with hmis_import.file.open("rb") as handle, reader.open_zip(handle) as archive:
        found, _problems = reader.check_structure(archive)
        for name in ("Export", "Organization", "Project", "Client", "Enrollment", "Exit"):
            info = found.get(name)
            if info is None or not info.readable:
                continue
            target = staging.TARGETS[name]
            staged[name] = 0
            checked = staging.checked_rows(archive, info, report, today)
            while (first := next(checked, None)) is not None:
                # The rows are checked as they are copied (the database writes a batch's first rows while
                # the next are read); the batch, its problems and its progress commit together.
                copied = 0
                with bulk.cycle_collector_paused(), transaction.atomic():
                    with report.held():
                        staging.insert_rows(
                            target.model, target.fields, tally(staging.batch_of(first, checked, report))
                        )
                    report.flush()
                    staged[name] += copied
                    done += copied
                    _progress(hmis_import, done)
            report.flush()
    report.close()
    _count(hmis_import, Stage.STAGE, **staged)
    _analyze(StagedOrganization, StagedProject, StagedClient, StagedEnrollment, StagedExit)


def _report_rows(
    hmis_import: HmisImport,
    report: staging.Reporter,
    queryset,
    file: str,
    column: str,
    code: str,
    params=None,
) -> int:
    """Report each staged row of `queryset` as an error, then drop it from staging; how many."""
    count = 0
    for line, value in queryset.values_list("line", column).iterator():
        report.add(
            Problem(
                ERROR,
                code,
                file=file,
                row=line,
                column=_HMIS_COLUMN[column],
                value=value,
                params=params(line, value) if params else {},
            )
        )
        count += 1
    if count:
        queryset.model.objects.filter(pk__in=queryset.values("pk")).delete()
    return count


_HMIS_COLUMN = {
    "personal_id": "PersonalID",
    "enrollment_id": "EnrollmentID",
    "exit_id": "ExitID",
    "project_id": "ProjectID",
    "organization_id": "OrganizationID",
}


@transaction.atomic
def _check_keys(hmis_import: HmisImport) -> None:
    ImportProblem.objects.filter(hmis_import=hmis_import, stage=Stage.KEYS).delete()
    report = _reporter(hmis_import, Stage.KEYS)
    found: dict[str, int] = {}
    # Each key once in its file; and an enrollment exits once (HMIS: one Exit row per enrollment): a second
    # exit of the same enrollment, under another ExitID, would be written twice over the same imported stay.
    for model, key, file, code in (
        (StagedOrganization, "organization_id", "Organization.csv", "duplicate_key"),
        (StagedProject, "project_id", "Project.csv", "duplicate_key"),
        (StagedClient, "personal_id", "Client.csv", "duplicate_key"),
        (StagedEnrollment, "enrollment_id", "Enrollment.csv", "duplicate_key"),
        (StagedExit, "exit_id", "Exit.csv", "duplicate_key"),
        (StagedExit, "enrollment_id", "Exit.csv", "second_exit"),
    ):
        rows = model.objects.filter(hmis_import=hmis_import)
        earlier = model.objects.filter(
            hmis_import=hmis_import, **{key: OuterRef(key)}, line__lt=OuterRef("line")
        )
        firsts = rows.filter(**{key: OuterRef(key)}).order_by("line").values("line")[:1]
        later = rows.filter(Exists(earlier)).annotate(first=Subquery(firsts))
        count = 0
        for line, value, first in later.values_list("line", key, "first").iterator():
            report.add(
                Problem(
                    ERROR,
                    code,
                    file=file,
                    row=line,
                    column=_HMIS_COLUMN[key],
                    value=value,
                    params={"column": _HMIS_COLUMN[key], "first": first},
                )
            )
            count += 1
        if count:
            model.objects.filter(pk__in=rows.filter(Exists(earlier)).values("pk")).delete()  # type: ignore[misc]
        found[f"duplicate_{file}" if code == "duplicate_key" else code] = count
    org = hmis_import.organisation_id
    known_people = Identifier.objects.filter(
        kind=Identifier.Kind.HMIS,
        issuer=hmis_import.source,
        value=OuterRef("personal_id"),
        participant__organisation_id=org,
    )
    staged_people = StagedClient.objects.filter(hmis_import=hmis_import, personal_id=OuterRef("personal_id"))
    orphans = (
        StagedEnrollment.objects.filter(hmis_import=hmis_import)
        .exclude(Exists(staged_people))
        .exclude(Exists(known_people))
    )
    found["enrollments_without_client"] = _report_rows(
        hmis_import, report, orphans, "Enrollment.csv", "personal_id", "enrollment_without_client"
    )
    staged_enrollments = StagedEnrollment.objects.filter(
        hmis_import=hmis_import, enrollment_id=OuterRef("enrollment_id")
    )
    known_enrollments = ImportedEnrollment.objects.filter(
        source=hmis_import.source, enrollment_id=OuterRef("enrollment_id"), participant__organisation_id=org
    )
    orphan_exits = (
        StagedExit.objects.filter(hmis_import=hmis_import)
        .exclude(Exists(staged_enrollments))
        .exclude(Exists(known_enrollments))
    )
    found["exits_without_enrollment"] = _report_rows(
        hmis_import, report, orphan_exits, "Exit.csv", "enrollment_id", "exit_without_enrollment"
    )
    staged_projects = StagedProject.objects.filter(hmis_import=hmis_import, project_id=OuterRef("project_id"))
    known_projects = SourceProject.objects.filter(
        organisation_id=org, source=hmis_import.source, project_id=OuterRef("project_id")
    )
    for line, value in (
        StagedEnrollment.objects.filter(hmis_import=hmis_import)
        .exclude(Exists(staged_projects))
        .exclude(Exists(known_projects))
        .values_list("line", "project_id")
        .iterator()
    ):
        report.add(
            Problem(
                WARNING, "project_unknown", file="Enrollment.csv", row=line, column="ProjectID", value=value
            )
        )
    report.close()
    _count(hmis_import, Stage.KEYS, **found)


@transaction.atomic
def _load_projects(hmis_import: HmisImport) -> None:
    names = dict(
        StagedOrganization.objects.filter(hmis_import=hmis_import).values_list("organization_id", "name")
    )
    created = updated = 0
    for row in StagedProject.objects.filter(hmis_import=hmis_import).order_by("line").iterator():
        values = {
            "name": row.name,
            "organization_id": row.organization_id,
            "organization_name": names.get(row.organization_id, ""),
            "project_type": row.project_type,
        }
        project, was_created = SourceProject.objects.get_or_create(
            organisation_id=hmis_import.organisation_id,
            source=hmis_import.source,
            project_id=row.project_id,
            defaults={**values, "hmis_import": hmis_import},
        )
        if was_created:
            created += 1
        elif any(getattr(project, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(project, k, v)
            project.hmis_import = hmis_import
            project.save(update_fields=[*values, "hmis_import"])
            updated += 1
    _count(hmis_import, Stage.PROJECTS, created=created, updated=updated)


_CLIENT_FIELDS = (
    "legal_first_name",
    "legal_last_name",
    "date_of_birth",
    "dob_quality",
    "gender",
    "indigenous_identity",
)


def _client_values(row) -> dict:
    return {
        "legal_first_name": row.first_name,
        "legal_last_name": row.last_name,
        "date_of_birth": row.date_of_birth,
        "dob_quality": row.dob_quality,
        "gender": row.gender,
        "indigenous_identity": row.indigenous_identity,
    }


# A staged client as the stage reads it: a named row of these (no model instance per client).
_STAGED_CLIENT = (
    "pk",
    "line",
    "personal_id",
    "first_name",
    "last_name",
    "date_of_birth",
    "dob_quality",
    "gender",
    "indigenous_identity",
)


def _load_clients(hmis_import: HmisImport) -> None:
    """Participants for the import's clients, a batch at a time: new ones created in bulk with their HMIS
    identifier (naming the source) and audited (`people.services.participants_create_many`); known ones
    that the source changed updated in bulk (`participants_update_many`). Each batch commits whole; run
    again, a batch already written finds its people known and unchanged. The source's identifiers held
    (in folded letter case, for the refusal of a case variant) are read once for the stage, and each batch
    adds the ones it writes."""
    ImportProblem.objects.filter(hmis_import=hmis_import, stage=Stage.CLIENTS).delete()
    report = _reporter(hmis_import, Stage.CLIENTS)
    counts = {"created": 0, "updated": 0, "unchanged": 0, "refused": 0}
    done = hmis_import.counts.get(str(Stage.STAGE), {})
    rows_done = sum(done.values()) if done else 0
    taken = people_services.held_identifiers(Identifier.Kind.HMIS, hmis_import.source)
    staged = StagedClient.objects.filter(hmis_import=hmis_import).order_by("pk")
    last = 0
    while True:
        batch = list(staged.filter(pk__gt=last).values_list(*_STAGED_CLIENT, named=True)[:CLIENT_BATCH])
        if not batch:
            break
        last = batch[-1].pk
        # The batch, its problems, the progress and the counts it makes commit together.
        with bulk.cycle_collector_paused(), transaction.atomic():
            _load_client_batch(hmis_import, batch, report, counts, taken)
            report.flush()
            rows_done += len(batch)
            _progress(hmis_import, rows_done, Stage.CLIENTS, counts)
    report.close()
    # Rerun after a crash: the people of batches already written count as unchanged, as they are.
    _count(hmis_import, Stage.CLIENTS, **counts)
    _analyze(Participant, Identifier, ImportedPerson)


def _refused(report: staging.Reporter, row, code: str, reason: str | None = None) -> None:
    report.add(
        Problem(
            ERROR,
            code,
            file="Client.csv",
            row=row.line,
            column="PersonalID",
            value=row.personal_id,
            params={"reason": reason[:300]} if reason is not None else {},
        )
    )


def _load_client_batch(
    hmis_import: HmisImport, batch: list, report: staging.Reporter, counts: dict[str, int], taken: set[str]
) -> None:
    actor = hmis_import.uploaded_by
    organisation = hmis_import.organisation
    # The people the source's identifiers already name: their organisation and the fields the import sets.
    known = {
        value: (participant_id, organisation_id, dict(zip(_CLIENT_FIELDS, current, strict=True)))
        for value, participant_id, organisation_id, *current in Identifier.objects.filter(
            kind=Identifier.Kind.HMIS,
            issuer=hmis_import.source,
            value__in=[r.personal_id for r in batch],
        ).values_list(
            "value",
            "participant_id",
            "participant__organisation_id",
            *(f"participant__{name}" for name in _CLIENT_FIELDS),
        )
    }
    linked: list[ImportedPerson] = []
    changes: list[tuple[Any, int, dict]] = []
    new: list = []
    for row in batch:
        found = known.get(row.personal_id)
        if found is None:
            new.append(row)
            continue
        participant_id, organisation_id, current = found
        if organisation_id != organisation.pk:
            _refused(report, row, "other_organisation")
            counts["refused"] += 1
            continue
        changed = {k: v for k, v in _client_values(row).items() if current[k] != v}
        if changed:
            changes.append((row, participant_id, changed))
        else:
            counts["unchanged"] += 1
        linked.append(
            ImportedPerson(
                hmis_import=hmis_import, participant_id=participant_id, personal_id=row.personal_id
            )
        )
    if changes:
        people = Participant.objects.in_bulk([participant_id for _row, participant_id, _changed in changes])
        updated = people_services.participants_update_many(
            actor=actor,
            changes=[(people[participant_id], changed) for _row, participant_id, changed in changes],
        )
        for (row, _participant_id, _changed), result in zip(changes, updated, strict=True):
            if isinstance(result, ValidationError):
                _refused(report, row, "participant_refused", "; ".join(result.messages))
                counts["refused"] += 1
            else:
                counts["updated"] += 1
    if linked:
        ImportedPerson.objects.bulk_create(linked, ignore_conflicts=True)
    if new:
        try:
            made: list[Participant | ValidationError] = people_services.participants_create_many(
                actor=actor,
                organisation=organisation,
                rows=[people_services.NewParticipant(_client_values(row), row.personal_id) for row in new],
                kind=Identifier.Kind.HMIS,
                issuer=hmis_import.source,
                taken=taken,
            )
        except ValidationError as exc:
            made = [exc] * len(new)
        created: list[ImportedPerson] = []
        for row, result in zip(new, made, strict=True):
            if isinstance(result, ValidationError):
                _refused(report, row, "participant_refused", "; ".join(result.messages))
                counts["refused"] += 1
                continue
            counts["created"] += 1
            created.append(
                ImportedPerson(
                    hmis_import=hmis_import, participant=result, personal_id=row.personal_id, created=True
                )
            )
        # The people just created: no link of this import can be there already.
        bulk.insert(ImportedPerson, created)


_ENROLLMENT_UPSERT = """
INSERT INTO interop_importedenrollment (participant_id, source, enrollment_id, project_id, entry_date, move_in_date,
    relationship_to_hoh, living_situation, exit_id, exit_date, destination, hmis_import_id)
SELECT i.participant_id, %(source)s, se.enrollment_id, sp.id, se.entry_date, se.move_in_date,
    se.relationship_to_hoh, se.living_situation, COALESCE(sx.exit_id, ''), sx.exit_date, sx.destination, %(import)s
FROM interop_stagedenrollment se
JOIN people_identifier i ON i.kind = 'hmis' AND i.issuer = %(source)s AND i.value = se.personal_id
JOIN people_participant p ON p.id = i.participant_id AND p.organisation_id = %(org)s
LEFT JOIN interop_sourceproject sp ON sp.organisation_id = %(org)s AND sp.source = %(source)s
    AND sp.project_id = se.project_id
LEFT JOIN interop_stagedexit sx ON sx.hmis_import_id = se.hmis_import_id AND sx.enrollment_id = se.enrollment_id
WHERE se.hmis_import_id = %(import)s
ON CONFLICT (source, enrollment_id) DO UPDATE SET
    participant_id = excluded.participant_id, project_id = excluded.project_id, entry_date = excluded.entry_date,
    move_in_date = excluded.move_in_date, relationship_to_hoh = excluded.relationship_to_hoh,
    living_situation = excluded.living_situation, exit_id = excluded.exit_id, exit_date = excluded.exit_date,
    destination = excluded.destination, hmis_import_id = excluded.hmis_import_id
WHERE (interop_importedenrollment.participant_id, interop_importedenrollment.project_id,
    interop_importedenrollment.entry_date, interop_importedenrollment.move_in_date,
    interop_importedenrollment.relationship_to_hoh, interop_importedenrollment.living_situation,
    interop_importedenrollment.exit_id, interop_importedenrollment.exit_date, interop_importedenrollment.destination)
    IS DISTINCT FROM (excluded.participant_id, excluded.project_id, excluded.entry_date, excluded.move_in_date,
    excluded.relationship_to_hoh, excluded.living_situation, excluded.exit_id, excluded.exit_date,
    excluded.destination)
"""

# Exits of enrollments imported earlier (an export limited to a period carries the exit without its entry).
_EXIT_UPDATE = """
UPDATE interop_importedenrollment SET exit_id = sx.exit_id, exit_date = sx.exit_date,
    destination = sx.destination, hmis_import_id = %(import)s
FROM interop_stagedexit sx
WHERE sx.hmis_import_id = %(import)s AND interop_importedenrollment.source = %(source)s
    AND interop_importedenrollment.enrollment_id = sx.enrollment_id
    AND (interop_importedenrollment.exit_id, interop_importedenrollment.exit_date,
        interop_importedenrollment.destination) IS DISTINCT FROM (sx.exit_id, sx.exit_date, sx.destination)
"""


@transaction.atomic
def _load_enrollments(hmis_import: HmisImport) -> None:
    params: dict[str, str | int] = {
        "source": hmis_import.source,
        "import": hmis_import.pk,
        "org": hmis_import.organisation_id,
    }
    with connection.cursor() as cursor:
        cursor.execute(_ENROLLMENT_UPSERT, params)
        written = max(cursor.rowcount, 0)
        cursor.execute(_EXIT_UPDATE, params)
        exits = max(cursor.rowcount, 0)
    _count(hmis_import, Stage.ENROLLMENTS, written=written, exits_updated=exits)


def _propose_duplicates(hmis_import: HmisImport) -> None:
    """For each participant this import created, the registry's probable duplicates among the files the
    uploader may see (not created by this import): proposed for review, never merged."""
    from ancrage.people.selectors import participants_visible_to

    ProposedDuplicate.objects.filter(hmis_import=hmis_import).delete()
    created = ImportedPerson.objects.filter(hmis_import=hmis_import, created=True)
    pool = participants_visible_to(hmis_import.uploaded_by).exclude(pk__in=created.values("participant_id"))
    proposed = 0
    with transaction.atomic():
        rows: list[ProposedDuplicate] = []
        # A registry with no one else the uploader may see has no duplicates to propose.
        ids = list(created.values_list("participant_id", flat=True)) if pool.exists() else []
        for chunk in _batched(ids, 500):
            chunk_people = Participant.objects.filter(pk__in=chunk)
            # The names and births first: the people themselves (with their aliases and identifiers) are
            # read only when the registry holds someone to compare them with.
            keys = list(chunk_people.values_list("legal_last_name", "date_of_birth"))
            last_names = {last for last, _born in keys if last != "?"}
            births = {born for _last, born in keys if born}
            candidates = list(
                pool.filter(Q(legal_last_name__in=last_names) | Q(date_of_birth__in=births)).prefetch_related(
                    "aliases", "identifiers"
                )[: duplicates.MAX_CANDIDATES * 10]
            )
            if not candidates:
                continue
            people = list(chunk_people.prefetch_related("aliases", "identifiers"))
            for person in people:
                probe = duplicates.Probe.from_participant(person)
                for candidate in candidates:
                    scored = duplicates._score(probe, candidate)
                    if scored.score >= duplicates.THRESHOLD:
                        rows.append(
                            ProposedDuplicate(
                                hmis_import=hmis_import,
                                participant=person,
                                candidate=candidate,
                                score=scored.score,
                            )
                        )
        ProposedDuplicate.objects.bulk_create(rows, ignore_conflicts=True)
        proposed = len(rows)
    _count(hmis_import, Stage.DUPLICATES, proposed=proposed)
