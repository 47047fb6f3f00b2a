"""Participants at scale, written in bulk (seed_scale and the bench)."""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from faker import Faker

from ancrage.access import services as access_services
from ancrage.access.models import (
    ByNameEntry,
    ByNameStatus,
    PriorityPolicy,
)
from ancrage.accounts.models import Membership, User
from ancrage.core import clock
from ancrage.core.permissions import Category, Role
from ancrage.demo.areas import demo_areas, preferred_areas
from ancrage.demo.names import (
    ARAB_FEMALE,
    ARAB_LAST,
    ARAB_MALE,
    FIRST_NATIONS_FEMALE,
    FIRST_NATIONS_LAST,
    FIRST_NATIONS_MALE,
    HAITIAN_FEMALE,
    HAITIAN_LAST,
    HAITIAN_MALE,
    INUIT_FEMALE,
    INUIT_LAST,
    INUIT_MALE,
    LOCATIONS,
    NEIGHBOURHOODS,
    NICKNAMES,
    POLICY_V2,
    PROFILE_FLAGS,
    PURPOSE_MAIN,
    QC_COMPOUND_FEMALE,
    QC_COMPOUND_MALE,
    STREET_NAMES,
    UNIT_FEATURES,
)
from ancrage.demo.state import draw_weighted
from ancrage.housing.models import Unit, UnitKind
from ancrage.organisations.models import Consortium, Organisation, Program
from ancrage.people.models import (
    Alias,
    Consent,
    ConsentCategory,
    Identifier,
    Participant,
)

# --- participants at scale -------------------------------------------------------------------------

SCALE_CONSORTIUM = {"name": "Consortium d'essai à grande échelle", "short_name": "SCL"}
SCALE_MISSIONS = [f"M{n:02d}" for n in range(1, 9)]
SCALE_OTHERS = [
    ("SLG", "Service logement (essai)", Organisation.Kind.SHARED_SERVICE),
    ("ACC", "Accès coordonné (essai)", Organisation.Kind.COORDINATED_ACCESS),
    ("PS1", "Partenaire santé (essai)", Organisation.Kind.PARTNER),
    ("PS2", "Partenaire emploi (essai)", Organisation.Kind.PARTNER),
]
SCALE_CASE_MANAGERS = 3


@dataclass
class ScaleStructure:
    consortium: Consortium
    orgs: dict[str, Organisation]
    case_managers: dict[str, list[User]]
    partner_reps: dict[str, User]


def scale_structure() -> ScaleStructure:
    """The scale consortium, its organisations and accounts; created once, found afterwards."""
    consortium, _created = Consortium.objects.get_or_create(
        name=SCALE_CONSORTIUM["name"], defaults={"short_name": SCALE_CONSORTIUM["short_name"]}
    )
    orgs: dict[str, Organisation] = {}
    specs = [
        (m, f"Mission d'essai {m[1:]}", Organisation.Kind.MISSION) for m in SCALE_MISSIONS
    ] + SCALE_OTHERS
    for short, name, kind in specs:
        orgs[short], _created = Organisation.objects.get_or_create(
            consortium=consortium, short_name=short, defaults={"name": name, "kind": kind}
        )

    def account(username: str, org: str, role: str) -> User:
        user, created = User.objects.get_or_create(
            username=username, defaults={"first_name": "Essai", "last_name": username}
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        Membership.objects.get_or_create(user=user, organisation=orgs[org], role=role)
        return user

    case_managers = {
        m: [
            account(f"scale.gc.{m.lower()}.{k}", m, Role.CASE_MANAGER)
            for k in range(1, SCALE_CASE_MANAGERS + 1)
        ]
        for m in SCALE_MISSIONS
    }
    partner_reps = {p: account(f"scale.partenaire.{p.lower()}", p, Role.PARTNER) for p in ("PS1", "PS2")}
    account("scale.acces", "ACC", Role.COORDINATED_ACCESS)
    account("scale.logement", "SLG", Role.HOUSING_SPECIALIST)
    # The reports' reader: the bench's outcomes and HMIS export parts run as them.
    account("scale.coordination", SCALE_MISSIONS[0], Role.PROGRAM_MANAGER)
    return ScaleStructure(consortium, orgs, case_managers, partner_reps)


def _name_pools(seed: int) -> dict[str, list[str]]:
    fr, en = Faker("fr_CA"), Faker("en_CA")
    fr.seed_instance(seed)
    en.seed_instance(seed + 1)
    return {
        "male": [fr.first_name_male() for _ in range(300)]
        + [en.first_name_male() for _ in range(60)]
        + QC_COMPOUND_MALE * 5
        + HAITIAN_MALE
        + ARAB_MALE
        + FIRST_NATIONS_MALE
        + INUIT_MALE,
        "female": [fr.first_name_female() for _ in range(300)]
        + [en.first_name_female() for _ in range(60)]
        + QC_COMPOUND_FEMALE * 5
        + HAITIAN_FEMALE
        + ARAB_FEMALE
        + FIRST_NATIONS_FEMALE
        + INUIT_FEMALE,
        "last": [fr.last_name() for _ in range(800)]
        + [en.last_name() for _ in range(150)]
        + HAITIAN_LAST * 2
        + ARAB_LAST
        + FIRST_NATIONS_LAST
        + INUIT_LAST,
    }


def build_scale(participants: int, *, batch: int = 5000, seed: int = 2026, progress=None) -> dict[str, int]:
    """`participants` more participant files in the scale consortium, written with bulk inserts."""
    rng = random.Random(seed + Participant.objects.count())
    structure = scale_structure()
    pools = _name_pools(seed)
    orgs = structure.orgs
    shared, access_org = orgs["SLG"], orgs["ACC"]
    through = Consent.organisations.through
    now = clock.now()
    today = clock.today()
    two_years = 2 * 365 * 24 * 3600
    year = datetime.timedelta(days=365)
    start = Participant.objects.filter(community_id__startswith="SCL-").count()
    totals = {"participants": 0, "aliases": 0, "identifiers": 0, "consents": 0, "by-name entries": 0}
    scale_access_structure(structure)
    # 20,000 units for the bench's 100,000 files (one unit for five files, at least 1,000), made once.
    scale_housing_book(structure, units=min(20_000, max(1_000, participants // 5)))

    for batch_start in range(start, start + participants, batch):
        batch_end = min(batch_start + batch, start + participants)
        rows: list[Participant] = []
        aliases: list[list[str]] = []
        identifiers: list[list[str]] = []
        for i in range(batch_start, batch_end):
            org_short = SCALE_MISSIONS[i % len(SCALE_MISSIONS)]
            female = rng.random() < 0.32
            first = rng.choice(pools["female" if female else "male"])
            last = rng.choice(pools["last"])
            created_at = now - datetime.timedelta(seconds=rng.randint(0, two_years))
            has_dob = rng.random() < 0.85
            p = Participant(
                organisation=orgs[org_short],
                community_id=f"SCL-{i:07d}",
                legal_first_name=first,
                legal_last_name=last,
                preferred_name=NICKNAMES.get(first, "") if rng.random() < 0.3 else "",
                date_of_birth=today - datetime.timedelta(days=rng.randint(18 * 365, 75 * 365))
                if has_dob
                else None,
                dob_quality=("exact" if rng.random() < 0.85 else "approximate")
                if has_dob
                else "not_collected",
                gender="woman" if female else "man",
                current_location=rng.choice(LOCATIONS["common"]),
                created_by=structure.case_managers[org_short][i % SCALE_CASE_MANAGERS],
                created_at=created_at,
            )
            names = []
            if rng.random() < 0.15:
                names.append(rng.choice(STREET_NAMES) if rng.random() < 0.7 else f"Ti-{first}")
            ids = [f"H{i:07d}"] if rng.random() < 0.2 else []
            p.search_text = p.build_search_text(names, ids)
            rows.append(p)
            aliases.append(names)
            identifiers.append(ids)

        with transaction.atomic():
            Participant.objects.bulk_create(rows, batch_size=batch)
            Alias.objects.bulk_create(
                [Alias(participant=p, name=n) for p, names in zip(rows, aliases, strict=True) for n in names],
                batch_size=batch,
            )
            Identifier.objects.bulk_create(
                [
                    Identifier(participant=p, kind=Identifier.Kind.HIFIS, value=v)
                    for p, ids in zip(rows, identifiers, strict=True)
                    for v in ids
                ],
                batch_size=batch,
            )
            consents, shared_with, categories = [], [], []
            for p in rows:
                if rng.random() >= 0.30:
                    continue
                starts = clock.localdate(p.created_at) + datetime.timedelta(days=rng.randint(0, 20))
                starts = min(starts, today)
                roll = rng.random()
                if roll < 0.08:
                    # Expired, never renewed.
                    starts = today - datetime.timedelta(days=rng.randint(400, 700))
                elif starts < today - datetime.timedelta(days=330):
                    starts = today - datetime.timedelta(days=rng.randint(0, 330))
                consent = Consent(
                    participant=p,
                    purpose=PURPOSE_MAIN,
                    starts_on=starts,
                    expires_on=starts + year,
                    method=Consent.Method.WRITTEN,
                    recorded_by=p.created_by,
                    recorded_at=p.created_at,
                    revoked_at=now if roll > 0.96 else None,
                    revoked_by=p.created_by if roll > 0.96 else None,
                    revocation_reason="Demande de la personne" if roll > 0.96 else "",
                )
                with_orgs = [shared, access_org]
                if rng.random() < 0.35:
                    with_orgs.append(orgs["PS1"])
                if rng.random() < 0.20:
                    with_orgs.append(orgs["PS2"])
                if rng.random() < 0.10:
                    with_orgs.append(orgs[rng.choice(SCALE_MISSIONS)])
                cats = [Category.IDENTITY, Category.HOUSING]
                if rng.random() < 0.5:
                    cats.append(Category.COORDINATED_ACCESS)
                if rng.random() < 0.3:
                    cats.append(Category.HEALTH)
                consents.append(consent)
                shared_with.append({o.pk for o in with_orgs if o.pk != p.organisation_id})
                categories.append(cats)
            Consent.objects.bulk_create(consents, batch_size=batch)
            through.objects.bulk_create(
                [
                    through(consent_id=c.pk, organisation_id=org_id)
                    for c, org_ids in zip(consents, shared_with, strict=True)
                    for org_id in sorted(org_ids)
                ],
                batch_size=batch,
            )
            ConsentCategory.objects.bulk_create(
                [
                    ConsentCategory(consent=c, category=cat)
                    for c, cats in zip(consents, categories, strict=True)
                    for cat in cats
                ],
                batch_size=batch,
            )
            entries = scale_by_name_entries(rows, rng, structure)
            ByNameEntry.objects.bulk_create(entries, batch_size=batch)
        totals["by-name entries"] += len(entries)
        totals["participants"] += len(rows)
        totals["aliases"] += sum(len(a) for a in aliases)
        totals["identifiers"] += sum(len(i) for i in identifiers)
        totals["consents"] += len(consents)
        if progress:
            progress(batch_end - start, participants)

    # The consents were written in bulk, past the services that keep the visibility lookup exact.
    from ancrage.people.visibility import rebuild

    rebuild()
    if connection.vendor == "postgresql":
        # Fresh statistics, as a production database would have after autovacuum, so plans are real.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return totals


# --- coordinated access at scale: by-name entries, programs with eligibility, units, a policy ----------

# The demo's policy in force, under a title of its own.
SCALE_POLICY = POLICY_V2.replace(
    "{fr: Priorités 2026 (chronicité et santé), en: 2026 priorities (chronicity and health)}",
    "{fr: Priorités (essai à grande échelle), en: Priorities (scale test)}",
)
SCALE_BANDS = [("rapid_rehousing", 30), ("housing_first_icm", 45), ("act", 15), ("none", 10)]


def scale_access_structure(structure: ScaleStructure) -> None:
    """Housing First programs with eligibility, housing units and an active policy; created once."""
    adults = {"criterion": "age", "rule": "must", "min": 18}
    for n, short in enumerate(SCALE_MISSIONS):
        requirements: list[dict[str, Any]] = [adults]
        if n == 1:
            requirements.append({"criterion": "gender", "rule": "must", "values": ["woman"]})
        if n == 2:
            requirements.append(
                {"criterion": "household_type", "rule": "must", "values": ["single", "couple"]}
            )
        Program.objects.get_or_create(
            organisation=structure.orgs[short],
            kind=Program.Kind.ICM,
            defaults={"name": f"SIV {short}", "name_en": f"ICM {short}", "eligibility": requirements},
        )
    Program.objects.get_or_create(
        organisation=structure.orgs[SCALE_MISSIONS[0]],
        kind=Program.Kind.ACT,
        defaults={
            "name": f"SIM {SCALE_MISSIONS[0]}",
            "name_en": f"ACT {SCALE_MISSIONS[0]}",
            "eligibility": [
                adults,
                {"criterion": "acuity_band", "rule": "must", "values": ["act", "housing_first_icm"]},
            ],
        },
    )
    shared = structure.orgs["SLG"]
    specialist = User.objects.get(username="scale.logement")
    if not Unit.objects.filter(organisation=shared).exists():
        rng = random.Random(7)
        places = demo_areas()
        today = clock.today()
        Unit.objects.bulk_create(
            [
                Unit(
                    organisation=shared,
                    address=f"{rng.randint(100, 9999)}, rue d'essai {n}",
                    area=places[NEIGHBOURHOODS[n % len(NEIGHBOURHOODS)]],
                    kind=rng.choice(UnitKind.values),
                    bedrooms=1,
                    monthly_rent=650 + 25 * rng.randint(0, 18),
                    features=sorted({f for f, share in UNIT_FEATURES if rng.random() < share}),
                    available_from=today,
                    added_by=specialist,
                )
                for n in range(400)
            ]
        )
    if not PriorityPolicy.objects.filter(status=PriorityPolicy.Status.ACTIVE).exists():
        policy = access_services.policy_draft_create(actor=specialist, text=SCALE_POLICY)
        # Activated without computing ranks: computing them is what the bench measures.
        PriorityPolicy.objects.filter(pk=policy.pk).update(
            status=PriorityPolicy.Status.ACTIVE,
            activated_at=clock.now(),
            activated_by=specialist,
            activation_reason="Essai à grande échelle",
        )


def scale_housing_book(structure: ScaleStructure, *, units: int = 20_000, landlords: int = 500) -> None:
    """The housing service's landlords' book at scale (C1, C2): landlords, three buildings each, and units in
    them up to `units` in all, in every status and condition, with a year of check-ins; created once, in bulk."""
    from ancrage.housing.models import Building, Landlord, LandlordContact

    shared = structure.orgs["SLG"]
    if Landlord.objects.filter(organisation=shared).exists():
        return
    specialist = User.objects.get(username="scale.logement")
    rng = random.Random(13)
    places = demo_areas()
    today = clock.today()
    Landlord.objects.bulk_create(
        [
            Landlord(
                organisation=shared,
                name=f"Gestion d'essai {n:04d}",
                kind=rng.choice(["person", "company", "company", "non_profit"]),
                phone=f"514-555-{n:04d}",
                program_contact=specialist,
                checkin_every_days=rng.choice([None, None, 30, 90]),
            )
            for n in range(landlords)
        ],
        batch_size=1000,
    )
    book = list(Landlord.objects.filter(organisation=shared).order_by("pk"))
    Building.objects.bulk_create(
        [
            Building(
                landlord=landlord,
                address=f"{rng.randint(100, 9999)}, rue du Carnet {n}",
                area=places[NEIGHBOURHOODS[(n + b) % len(NEIGHBOURHOODS)]],
            )
            for n, landlord in enumerate(book)
            for b in range(3)
        ],
        batch_size=2000,
    )
    buildings = list(Building.objects.filter(landlord__organisation=shared).order_by("pk"))
    statuses = [("available", 35), ("reserved", 10), ("occupied", 45), ("off_market", 5), ("on_hold", 5)]
    conditions = [("good", 75), ("minor_repairs", 15), ("major_repairs", 7), ("uninhabitable", 3)]
    missing = units - Unit.objects.filter(organisation=shared).count()
    rows = []
    for n in range(max(missing, 0)):
        building = buildings[n % len(buildings)]
        rows.append(
            Unit(
                organisation=shared,
                building=building,
                address=building.address,
                unit_number=str(1 + n // len(buildings)),
                area_id=building.area_id,
                kind=rng.choice(UnitKind.values),
                bedrooms=rng.choice([0, 1, 1, 1, 2, 2, 3]),
                monthly_rent=650 + 25 * rng.randint(0, 30),
                features=sorted({f for f, share in UNIT_FEATURES if rng.random() < share}),
                utilities=sorted({u for u in ("heating", "hot_water", "appliances") if rng.random() < 0.5}),
                condition=draw_weighted(rng, conditions),
                status=draw_weighted(rng, statuses),
                available_from=today + datetime.timedelta(days=rng.randint(-400, 60)),
                added_by=specialist,
            )
        )
    Unit.objects.bulk_create(rows, batch_size=5000)
    LandlordContact.objects.bulk_create(
        [
            LandlordContact(
                landlord=landlord,
                contacted_on=today - datetime.timedelta(days=days),
                channel="phone",
                purpose="check_in",
                summary="Appel de suivi",
                recorded_by=specialist,
            )
            for landlord in book
            for days in range(rng.randint(0, 40), 365, 60)
        ],
        batch_size=5000,
    )


def scale_by_name_entries(
    rows: list[Participant], rng: random.Random, structure: ScaleStructure
) -> list[ByNameEntry]:
    """One active by-name entry per participant, with a varied triage, homelessness, flags and profile."""
    today = clock.today()
    places = demo_areas()
    entries = []
    for p in rows:
        band = rng.choices([b for b, _w in SCALE_BANDS], weights=[w for _b, w in SCALE_BANDS])[0]
        acuity = None if rng.random() < 0.15 else round(rng.betavariate(2.2, 2.0) * 25, 1)
        days_3y = int(rng.triangular(0, 1095, 250))
        entered = clock.localdate(p.created_at)
        entries.append(
            ByNameEntry(
                participant=p,
                status=ByNameStatus.ACTIVE,
                reference_worker=p.created_by,
                entered_on=entered,
                status_since=entered,
                last_contact_on=today - datetime.timedelta(days=rng.randint(0, 80)),
                is_chronic=days_3y >= 548 or rng.random() < 0.2,
                homeless_days_past_year=min(365, days_3y),
                homeless_days_past_three_years=days_3y,
                chronic_computed_on=today,
                household_type=rng.choices(["single", "couple", "family"], weights=[84, 10, 6])[0],
                income_sources=[
                    rng.choices(
                        ["social_assistance", "social_solidarity", "pension", "employment", "none"],
                        weights=[55, 25, 6, 6, 8],
                    )[0]
                ],
                accessibility_needs=["elevator"] if rng.random() < 0.08 else [],
                flags=[flag for flag, share in PROFILE_FLAGS if rng.random() < share and flag != "pregnancy"],
                preferred_areas=preferred_areas(
                    rng.sample(NEIGHBOURHOODS, k=2) if rng.random() < 0.5 else [], places
                ),
                acuity_score=acuity,
                acuity_max=25 if acuity is not None else None,
                acuity_band=band if acuity is not None else "",
                acuity_on=entered if acuity is not None else None,
            )
        )
    return entries
