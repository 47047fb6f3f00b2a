"""manage.py hmis_import PATH --organisation ID --user USERNAME [--source NAME] [--enqueue] [--resume ID]:
the upload page's work from the command line (structure check, then the load, here or queued)."""

from __future__ import annotations

from pathlib import Path

from django.core.files import File
from django.core.management.base import BaseCommand, CommandError

from ancrage.interop.hmis.problems import message
from ancrage.interop.imports import services, tasks
from ancrage.interop.models import HmisImport


class Command(BaseCommand):
    help = "Import another system's HMIS CSV (FY2026) export, a zip of CSV files."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", help="The zip exported by the other system.")
        parser.add_argument(
            "--organisation", type=int, help="Id of the organisation that will hold the files."
        )
        parser.add_argument("--user", help="Username of the person the import is recorded as (audit).")
        parser.add_argument("--source", default="HMIS", help="The other system's name (default: HMIS).")
        parser.add_argument("--enqueue", action="store_true", help="Queue the load for a db_worker instead.")
        parser.add_argument("--resume", type=int, help="Run an interrupted import again from its stage.")

    def handle(
        self,
        *args,
        path=None,
        organisation=None,
        user=None,
        source="HMIS",
        enqueue=False,
        resume=None,
        **options,
    ):
        from ancrage.accounts.models import User
        from ancrage.organisations.models import Organisation

        if resume:
            hmis_import = services.import_run(resume)
            self._report(hmis_import)
            return
        if not path or not organisation or not user:
            raise CommandError("PATH, --organisation and --user are required (or --resume ID).")
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"No such file: {path}")
        actor = User.objects.filter(username=user, is_active=True).first()
        if actor is None or not actor.has_ancrage_perm("interop.import_hmis"):
            raise CommandError(f"{user} may not import HMIS exports.")
        org = Organisation.objects.filter(pk=organisation).first()
        if org is None:
            raise CommandError(f"No organisation {organisation}.")
        with file.open("rb") as handle:
            hmis_import = services.import_receive(
                actor=actor,
                organisation=org,
                source=source,
                upload=File(handle, name=file.name),
                original_name=file.name,
            )
        if hmis_import.status == HmisImport.Status.QUEUED:
            if enqueue:
                tasks.queue(hmis_import)
            else:
                hmis_import = services.import_run(hmis_import.pk)
        self._report(hmis_import)

    def _report(self, hmis_import: HmisImport) -> None:
        self.stdout.write(f"Import {hmis_import.pk}: {hmis_import.status} ({hmis_import.stage})")
        for key, values in hmis_import.counts.items():
            self.stdout.write(f"  {key}: {values}")
        errors = hmis_import.problems.filter(severity="error")
        self.stdout.write(
            f"  {errors.count()} errors, {hmis_import.problems.filter(severity='warning').count()} warnings"
        )
        for p in errors[:20]:
            self.stdout.write(f"  {p.file} {p.row or ''} {p.column}: {message(p.code, p.params)}")
