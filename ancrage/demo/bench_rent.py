"""The rent payment service's part of `make bench` (C5): N active tenancies written set-based (bulk_create), then
the time to generate a month's rent roll from them, over a few fresh months (each roll deleted after, so the
database keeps nothing of the measure). The generation itself is set-based: one query reads the tenancies,
bulk inserts write the charges."""

from __future__ import annotations

import datetime
import statistics
import time
from decimal import Decimal

from django.db import transaction

from ancrage.accounts.models import Membership, User
from ancrage.core import clock
from ancrage.core.permissions import Role
from ancrage.housing.models import Building, Landlord, RentRoll, Tenancy, Unit
from ancrage.housing.rent import services
from ancrage.organisations.models import Consortium, Organisation, Program
from ancrage.people.models import Participant

LANDLORDS = 120


def _service(consortium: Consortium) -> Organisation:
    service, _created = Organisation.objects.get_or_create(
        consortium=consortium,
        short_name="SLCB",
        defaults={"name": "Service de paiement de loyer (essai)", "kind": Organisation.Kind.SHARED_SERVICE},
    )
    Program.objects.get_or_create(
        organisation=service, kind=Program.Kind.RENT_PAYMENT, defaults={"name": "Paiement de loyer (essai)"}
    )
    return service


def seed_tenancies(count: int, consortium: Consortium) -> int:
    """`count` active tenancies of the consortium's participants (reused if fewer), in a few bulk inserts."""
    existing = Tenancy.objects.filter(
        landlord__organisation__consortium=consortium, ended_on__isnull=True
    ).count()
    missing = count - existing
    if missing <= 0:
        return existing
    team = Organisation.objects.filter(consortium=consortium).order_by("pk").first()
    actor = User.objects.order_by("pk").first()
    participants = list(
        Participant.objects.filter(organisation__consortium=consortium)
        .order_by("pk")
        .values_list("pk", flat=True)[:count]
    )
    if team is None or actor is None or not participants:
        return existing
    today = clock.today()
    landlords = Landlord.objects.bulk_create(
        [
            Landlord(organisation=team, name=f"Propriétaire d'essai {n:03d}", kind=Landlord.Kind.COMPANY)
            for n in range(LANDLORDS)
        ]
    )
    buildings = Building.objects.bulk_create(
        [Building(landlord=landlord, address=f"{n} rue de l'Essai") for n, landlord in enumerate(landlords)]
    )
    units = Unit.objects.bulk_create(
        [
            Unit(
                organisation=team,
                building=buildings[n % len(buildings)],
                address=f"{n % len(buildings)} rue de l'Essai, app. {n}",
                kind="scattered_site",
                monthly_rent=Decimal(700 + (n * 37) % 600),
                available_from=today,
                status=Unit.Status.OCCUPIED,
                added_by=actor,
            )
            for n in range(missing)
        ],
        batch_size=2000,
    )
    rows = []
    for n, unit in enumerate(units):
        start = today - datetime.timedelta(days=(n * 7) % 900)
        rows.append(
            Tenancy(
                participant_id=participants[n % len(participants)],
                unit=unit,
                landlord_id=buildings[n % len(buildings)].landlord_id,
                lease_kind="direct",
                lease_start=start,
                monthly_rent=unit.monthly_rent,
                participant_share=(unit.monthly_rent * Decimal("0.3")).quantize(Decimal("0.01")),
                rent_supplement=(unit.monthly_rent * Decimal("0.7")).quantize(Decimal("0.01")),
                recorded_by=actor,
            )
        )
    Tenancy.objects.bulk_create(rows, batch_size=2000)
    return existing + len(rows)


def measure_roll_generation(consortium: Consortium, *, runs: int = 5) -> dict[str, float | int]:
    """Median and p95 of a month's roll generation over `runs` fresh months (each rolled back)."""
    service = _service(consortium)
    clerk = User.objects.filter(memberships__organisation=service, memberships__role=Role.RENT_CLERK).first()
    if clerk is None:
        clerk = User.objects.create(username="scale.loyer")
        Membership.objects.create(user=clerk, organisation=service, role=Role.RENT_CLERK)
    timings, charges = [], 0
    month = clock.today().replace(day=1)
    for _ in range(runs):
        with transaction.atomic():
            started = time.perf_counter()
            roll = services.roll_generate(actor=clerk, service=service, month=month)
            timings.append(time.perf_counter() - started)
            charges = roll.charges.count()
            transaction.set_rollback(True)
    assert not RentRoll.objects.filter(service=service, month=month).exists()
    ordered = sorted(timings)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {"charges": charges, "median_s": statistics.median(timings), "p95_s": p95, "runs": runs}
