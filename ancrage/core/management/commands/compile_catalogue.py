"""Compile the French catalogue (locale/*/LC_MESSAGES/django.po) into the .mo Django reads."""

from django.core.management.base import BaseCommand

from ancrage.core.catalogue import compile_catalogues


class Command(BaseCommand):
    help = "Compile locale/*/LC_MESSAGES/django.po into django.mo (no GNU gettext needed)."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Compile even when the .mo is newer.")

    def handle(self, *args, force=False, **options):
        for path in compile_catalogues(force=force):
            self.stdout.write(f"compiled {path}")
