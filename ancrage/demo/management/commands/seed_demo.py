"""manage.py seed_demo: the fictional Montréal consortium, its staff and 250 participants, for the demo."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError

from ancrage.demo.builder import build_demo
from ancrage.organisations.models import Organisation


class Command(BaseCommand):
    help = "Create the demo consortium (organisations, programs, teams, accounts, participants)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing if any organisation already exists."
        )
        parser.add_argument("--seed", type=int, default=2026, help="Random seed (default 2026).")

    def handle(self, *args, **options):
        if options["if_empty"] and Organisation.objects.exists():
            self.stdout.write("Organisations already exist: demo data left as it is.")
            return
        started = time.perf_counter()
        try:
            summary = build_demo(seed=options["seed"])
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        elapsed = time.perf_counter() - started
        self.stdout.write(self.style.SUCCESS(f"Demo consortium created in {elapsed:.1f} s:"))
        for label, value in summary.items():
            if isinstance(value, dict):
                value = ", ".join(f"{k} {v}" for k, v in sorted(value.items()))
            self.stdout.write(f"  {label}: {value}")
