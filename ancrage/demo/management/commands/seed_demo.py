"""manage.py seed_demo: the fictional Montréal consortium, its staff and 250 participants, for the demo."""

from __future__ import annotations

import datetime
import time

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from ancrage.core import clock
from ancrage.demo.builder import build_demo
from ancrage.organisations.models import Organisation


def moment(value: str) -> datetime.datetime:
    """An ISO moment (`2026-12-07T00:20`, `2026-12-07 00:20-05:00`, or a date); Montréal time if no offset."""
    try:
        parsed = datetime.datetime.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"--as-of {value!r} is not an ISO moment such as 2026-12-07T00:20.") from exc
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed


class Command(BaseCommand):
    help = "Create the demo consortium (organisations, programs, teams, accounts, participants)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing if any organisation already exists."
        )
        parser.add_argument("--seed", type=int, default=2026, help="Random seed (default 2026).")
        parser.add_argument(
            "--as-of",
            type=moment,
            default=None,
            help="The moment the demo's story ends, ISO (default: now). Montréal time unless an offset is given.",
        )

    def handle(self, *args, **options):
        if options["if_empty"] and Organisation.objects.exists():
            self.stdout.write("Organisations already exist: demo data left as it is.")
            return
        seed = options["seed"]
        as_of = options["as_of"] or clock.now()
        started = time.perf_counter()
        try:
            # One transaction: a build that fails leaves the database as it was.
            summary = build_demo(seed=seed, as_of=as_of)
        except (ValueError, ValidationError) as exc:
            raise CommandError(
                f"The demo was not built (seed {seed}, as of {clock.localtime(as_of):%Y-%m-%d %H:%M %Z}); "
                f"the database is unchanged.\n  Cause: {exc}\n"
                f"  What to do: build it at another moment (manage.py seed_demo --as-of 2026-06-01T10:00) or with "
                f"another --seed, and report the seed and the moment above: a demo that breaks a rule is a bug."
            ) from exc
        elapsed = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo consortium created in {elapsed:.1f} s (seed {seed}, as of "
                f"{clock.localtime(as_of):%Y-%m-%d %H:%M}):"
            )
        )
        for label, value in summary.items():
            if isinstance(value, dict):
                value = ", ".join(f"{k} {v}" for k, v in sorted(value.items()))
            self.stdout.write(f"  {label}: {value}")
