"""Tenancies at scale, for measuring the housing outcomes (C9) on many people: `scale_tenancies(n)` adds them
in bulk to the scale consortium's participants when no other part of the scale data has (the rent part may
add its own: then this adds none), and `time_outcomes()` times the outcomes computation for a reader.

About one person in ten loses a tenancy (an eviction) and is rehoused 5 to 60 days later; a few die."""

from __future__ import annotations

import datetime
import random
import time
from decimal import Decimal

from django.db import transaction

from ancrage.accounts.models import User
from ancrage.core import clock
from ancrage.housing.models import Landlord, Tenancy, Unit
from ancrage.organisations.models import Organisation, Program
from ancrage.people.models import Participant


def scale_tenancies(n: int, *, seed: int = 2026, batch: int = 5000) -> int:
    """Up to `n` first tenancies (and their rehousings) for the scale consortium's participants, in bulk."""
    from ancrage.demo.scale import SCALE_CONSORTIUM

    participants = Participant.objects.filter(organisation__consortium__name=SCALE_CONSORTIUM["name"])
    if Tenancy.objects.filter(participant__in=participants).exists():
        return 0
    rng = random.Random(seed + 13)
    today = clock.today()
    actor = User.objects.filter(memberships__organisation__consortium__name=SCALE_CONSORTIUM["name"]).first()
    keeper = Organisation.objects.filter(consortium__name=SCALE_CONSORTIUM["name"]).order_by("pk").first()
    if actor is None or keeper is None:
        return 0
    programs: dict[int, int | None] = {}
    for org_id, pk in Program.objects.filter(
        organisation__consortium__name=SCALE_CONSORTIUM["name"], kind__in=Program.HOUSING_FIRST_KINDS
    ).values_list("organisation_id", "pk"):
        programs.setdefault(org_id, pk)
    people = list(participants.order_by("pk").values_list("pk", "organisation_id")[:n])
    made = 0
    with transaction.atomic():
        # A landlord of the scale book when there is one (the landlords' book's scale data), else one made here.
        landlord = Landlord.objects.filter(organisation__consortium__name=SCALE_CONSORTIUM["name"]).order_by(
            "pk"
        ).first() or Landlord.objects.create(
            organisation=keeper, name="Gestion à grande échelle", kind="company"
        )
        for start in range(0, len(people), batch):
            chunk = people[start : start + batch]
            stays: list[tuple[int, int, datetime.date, datetime.date | None, str, bool]] = []
            for pk, org_id in chunk:
                moved = today - datetime.timedelta(days=rng.randint(0, 3 * 365))
                if rng.random() < 0.1 and (today - moved).days > 60:
                    ended = moved + datetime.timedelta(
                        days=rng.randint(30, max(31, (today - moved).days - 1))
                    )
                    reason = "deceased" if rng.random() < 0.1 else "eviction"
                    stays.append((pk, org_id, moved, ended, reason, False))
                    again = ended + datetime.timedelta(days=rng.randint(5, 60))
                    if reason == "eviction" and again <= today:
                        stays.append((pk, org_id, again, None, "", True))
                else:
                    stays.append((pk, org_id, moved, None, "", False))
            units = Unit.objects.bulk_create(
                [
                    Unit(
                        organisation=keeper,
                        address=f"{1000 + i} rue de l'Essai",
                        kind="scattered_site",
                        monthly_rent=Decimal("900.00"),
                        available_from=s[2],
                        status=Unit.Status.OCCUPIED,
                        added_by=actor,
                    )
                    for i, s in enumerate(stays)
                ],
                batch_size=batch,
            )
            firsts: dict[int, Tenancy] = {}
            rows = []
            for unit, (pk, org_id, moved_on, ended_on, reason, rehousing) in zip(units, stays, strict=True):
                tenancy = Tenancy(
                    participant_id=pk,
                    unit=unit,
                    landlord=landlord,
                    program_id=programs.get(org_id),
                    lease_kind="direct",
                    lease_start=moved_on,
                    moved_in_on=moved_on,
                    monthly_rent=Decimal("900.00"),
                    participant_share=Decimal("270.00"),
                    ended_on=ended_on,
                    end_reason=reason,
                    recorded_by=actor,
                )
                if rehousing:
                    tenancy.previous = firsts.get(pk)
                else:
                    firsts[pk] = tenancy
                rows.append(tenancy)
            # Rehousings point at the first tenancy: save the first ones first.
            Tenancy.objects.bulk_create([t for t in rows if t.previous is None], batch_size=batch)
            for t in rows:
                if t.previous is not None:
                    t.previous_id = t.previous.pk
            Tenancy.objects.bulk_create([t for t in rows if t.previous is not None], batch_size=batch)
            made += len(rows)
    return made


def time_outcomes(user, *, repeat: int = 3) -> dict[str, float]:
    """Seconds the outcomes report takes for `user` (best and worst of `repeat` runs), and the people counted."""
    from ancrage.housing.selectors_support import outcomes_report

    timings = []
    report = None
    end = clock.today()
    for _ in range(repeat):
        started = time.perf_counter()
        report = outcomes_report(user, start=end - datetime.timedelta(days=365), end=end)
        timings.append(time.perf_counter() - started)
    assert report is not None
    return {
        "best_s": min(timings),
        "worst_s": max(timings),
        "cohort_12": report.total.count("cohort_12"),
        "rate_12": float(report.total.rate_12 or 0),
    }
