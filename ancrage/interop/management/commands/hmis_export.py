"""Write an HMIS CSV FY2026 export to a zip file, as a named user would download it from the export page:
the same programs and people they may see, the same audit entries."""

from __future__ import annotations

import datetime
import os
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from ancrage.interop.hmis.export import selectors, services


def _day(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"Not a date (YYYY-MM-DD): {value!r}") from None


class Command(BaseCommand):
    help = "Export the enrollments active from --start to --end as an HMIS CSV FY2026 zip written to PATH."

    def add_arguments(self, parser):
        parser.add_argument("path", help="The zip file to write (replaced if it exists).")
        parser.add_argument("--start", required=True, help="First day of the period (YYYY-MM-DD).")
        parser.add_argument("--end", required=True, help="Last day of the period (YYYY-MM-DD).")
        parser.add_argument(
            "--user", required=True, help="The username the export is made as (what they may see; audited)."
        )
        parser.add_argument(
            "--program",
            action="append",
            type=int,
            default=[],
            help="A program's id (repeat it); every program the user may export by default.",
        )
        parser.add_argument("--hashed", action="store_true", help="Hash names and dates of birth (SHA-256).")

    def handle(self, *args, path, start, end, user, program, hashed, **options):
        actor = get_user_model().objects.filter(username=user, is_active=True).first()
        if actor is None:
            raise CommandError(f"No active user {user!r}.")
        if not actor.has_ancrage_perm("interop.export_hmis"):
            raise CommandError(f"{user!r} may not export HMIS CSV files.")
        program_ids = program or list(selectors.programs_exportable(actor).values_list("pk", flat=True))
        try:
            stream = services.hmis_export(
                actor=actor, start=_day(start), end=_day(end), program_ids=program_ids, hashed=hashed
            )
        except services.ExportRefusedError as refused:
            raise CommandError(str(refused)) from None
        target = Path(path)
        partial = target.with_name(target.name + ".part")
        # Written beside the target, then put in its place: an interrupted export never leaves half a zip.
        with partial.open("wb") as out:
            for chunk in stream.chunks():
                out.write(chunk)
        os.replace(partial, target)
        self.stdout.write(f"{target}: {stream.people} people, {stream.enrollments} enrollments")
