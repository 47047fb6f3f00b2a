"""Load the instruments shipped with Ancrage (and any other definition files given); loading twice changes nothing."""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from ancrage.assessments.services import instrument_version_load

SHIPPED = Path(__file__).resolve().parent.parent.parent / "instruments"


class Command(BaseCommand):
    help = "Load assessment instrument definition files (the shipped ones by default)."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="*", help="Definition files; by default the shipped instruments.")

    def handle(self, *args, **options):
        paths = [Path(p) for p in options["files"]] or sorted(SHIPPED.glob("*.yaml"))
        for path in paths:
            try:
                version = instrument_version_load(actor=None, text=path.read_text(encoding="utf-8"))
            except ValidationError as error:
                raise CommandError(f"{path}:\n" + "\n".join(error.messages)) from None
            self.stdout.write(f"{path.name}: {version.instrument.key} {version.version}")
