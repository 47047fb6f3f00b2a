"""manage.py seed_scale: many participants, written in bulk, to measure the application at scale."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from ancrage.demo.scale import build_scale
from ancrage.demo.scale_casework import CONTACTS_PER_PARTICIPANT, PER_WORKER, build_casework_scale
from ancrage.demo.scale_housing_support import scale_tenancies
from ancrage.people.models import Participant


class Command(BaseCommand):
    help = "Add N generated participants (with aliases, identifiers and consents) to the scale consortium."

    def add_arguments(self, parser):
        parser.add_argument("--participants", type=int, required=True, help="How many participants to add.")
        parser.add_argument("--batch", type=int, default=5000, help="Rows per insert (default 5000).")
        parser.add_argument("--seed", type=int, default=2026, help="Random seed (default 2026).")
        parser.add_argument(
            "--contacts-per-participant",
            type=int,
            default=CONTACTS_PER_PARTICIPANT,
            help=f"Average casework contacts per participant over two years (default {CONTACTS_PER_PARTICIPANT}).",
        )
        parser.add_argument(
            "--caseload",
            type=int,
            default=PER_WORKER,
            help=f"Enrollments per scale case manager (default {PER_WORKER}).",
        )

    def handle(self, *args, **options):
        if options["participants"] < 1 or options["batch"] < 1:
            raise CommandError("--participants and --batch must be positive.")
        started = time.perf_counter()
        last = Participant.objects.order_by("-pk").values_list("pk", flat=True).first() or 0

        def progress(done: int, total: int) -> None:
            if options["verbosity"] > 1 or total >= 20000:
                self.stdout.write(f"  {done}/{total} participants ({time.perf_counter() - started:.1f} s)")

        totals = build_scale(
            options["participants"], batch=options["batch"], seed=options["seed"], progress=progress
        )
        casework_started = time.perf_counter()
        totals |= build_casework_scale(
            after_pk=last,
            per_worker=options["caseload"],
            contacts_per_participant=options["contacts_per_participant"],
            batch=options["batch"],
            seed=options["seed"],
        )
        if options["verbosity"] > 1 or options["participants"] >= 20000:
            self.stdout.write(f"  case management: {time.perf_counter() - casework_started:.1f} s")
        # Tenancies for the housing outcomes, unless another part of the scale data made them already.
        totals["tenancies"] = scale_tenancies(
            options["participants"], seed=options["seed"], batch=options["batch"]
        )
        if connection.vendor == "postgresql":
            # Statistics of everything written, tenancies and units last: a production database has them from
            # autovacuum, and the bench's server may run without it; plans on empty statistics are not real.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        elapsed = time.perf_counter() - started
        details = ", ".join(f"{v} {k}" for k, v in totals.items())
        self.stdout.write(self.style.SUCCESS(f"seed_scale: {details} in {elapsed:.1f} s"))
