"""The demo's landlords' book (C1, C2): 100+ landlords of Montréal (people, companies, a few non-profits and
the OMHM), their buildings in the demo's areas, the housing service's units attached to them and more units in
every state and condition, two years of contacts by logement1 and logement2 (some landlords now overdue for a
check-in), and complaints (some open, most resolved, one formal notice). Every write is a service run at the
moment it happened, drawn from streams of its own: valid for any seed and any --as-of."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ancrage.demo.areas import demo_areas
from ancrage.demo.names import NEIGHBOURHOODS, UNIT_STREETS
from ancrage.housing import services as unit_services
from ancrage.housing.book import services
from ancrage.housing.models import Building, Complaint, Landlord, LandlordContact, Unit

if TYPE_CHECKING:
    from ancrage.demo.builder import DemoBuilder

COMPANY_PATTERNS = [
    "Gestion immobilière {name}",
    "Immeubles {name} inc.",
    "Les Habitations {name}",
    "{name} et Fils",
    "Société de gestion {name}",
    "Placements {name} ltée",
    "Groupe {name} Immobilier",
]
NON_PROFITS = [
    "Société d'habitation populaire de l'Est",
    "OBNL Habitations Nouvelles Avenues",
    "Coopérative d'habitation Les Cèdres",
    "Habitations Loge-Accès",
    "Coopérative d'habitation du Canal",
]
OMHM = "Office municipal d'habitation de Montréal (OMHM)"
SUMMARIES = {
    "check_in": [
        "Appel amical : tout va bien dans l'immeuble.",
        "Suivi régulier : aucune difficulté signalée, locataires tranquilles.",
        "Visite rapide : le concierge est satisfait.",
    ],
    "thanks": ["Merci pour la rapidité des réparations.", "Carte de remerciements envoyée pour les Fêtes."],
    "negotiation": [
        "Discussion sur la hausse de loyer au renouvellement.",
        "Entente sur la date de libération.",
    ],
    "other": ["Nouveau numéro du gestionnaire.", "Question sur l'assurance locataire."],
}
RESOLUTIONS = [
    "Rencontre avec le locataire et l'intervenante : entente sur les heures de visite.",
    "Réparation payée par le budget de dommages, propriétaire satisfait.",
    "Ménage fait avec l'aide de l'équipe, inspection réussie.",
    "Entente de paiement signée, loyer à jour.",
]
CONDITIONS = [("good", 70), ("minor_repairs", 18), ("major_repairs", 8), ("uninhabitable", 4)]
UTILITIES = [("heating", 0.5), ("hot_water", 0.5), ("electricity", 0.15), ("appliances", 0.6)]


class HousingBookDemo:
    def __init__(self, builder: DemoBuilder):
        self.b = builder
        self.start = builder.today - datetime.timedelta(days=760)
        self.specialists = [builder.users["logement1"], builder.users["logement2"]]
        self.org = builder.orgs["SLC"]
        self.places = demo_areas()

    def day(self, rng, start: datetime.date, end: datetime.date) -> datetime.date:
        if end <= start:
            return start
        return start + datetime.timedelta(days=rng.randint(0, (end - start).days))

    def moment(self, rng, day: datetime.date) -> datetime.datetime:
        minutes = rng.randint(8 * 60 + 30, 17 * 60)
        moment = datetime.datetime.combine(day, datetime.time(minutes // 60, minutes % 60), tzinfo=self.b.tz)
        return min(moment, self.b.now - datetime.timedelta(minutes=rng.randint(5, 60)))

    def build(self) -> dict[str, Any]:
        landlords = [self.landlord(n) for n in range(108)]
        self.attach_demo_units(landlords)
        for n, landlord in enumerate(landlords):
            self.more_units(n, landlord)
        for n, landlord in enumerate(landlords):
            self.contacts(n, landlord)
        for n in range(26):
            self.complaint(n, landlords)
        units = Unit.objects.filter(organisation=self.org)
        return {
            "landlords": Landlord.objects.filter(organisation=self.org).count(),
            "buildings": Building.objects.filter(landlord__organisation=self.org).count(),
            "landlord contacts": LandlordContact.objects.filter(landlord__organisation=self.org).count(),
            "complaints (open)": Complaint.objects.filter(
                landlord__organisation=self.org, resolved_at=None
            ).count(),
            "units by status": {s: units.filter(status=s).count() for s in Unit.Status.values},
        }

    def landlord(self, n: int) -> Landlord:
        with self.b.drawing("landlord", n) as rng:
            fake = self.b.fake["fr"]
            if n == 0:
                name, kind = OMHM, "public"
            elif n <= len(NON_PROFITS):
                name, kind = NON_PROFITS[n - 1], "non_profit"
            elif rng.random() < 0.55:
                name, kind = f"{fake.first_name()} {fake.last_name()}", "person"
            else:
                name, kind = rng.choice(COMPANY_PATTERNS).format(name=fake.last_name()), "company"
            created = self.day(rng, self.start, self.b.today - datetime.timedelta(days=20 if n < 105 else 3))
            contact = self.specialists[n % 2]
            landlord = self.b.run(
                self.moment(rng, created),
                services.landlord_create,
                actor=contact,
                organisation=self.org,
                name=name,
                kind=kind,
                phone=f"514-555-{1000 + n:04d}",
                email=f"contact{n}@exemple.ca" if kind != "person" or rng.random() < 0.4 else "",
                preferred_channel=rng.choice(["phone", "phone", "email", "text"]),
                language="en" if rng.random() < 0.15 else "fr",
                program_contact=contact,
                checkin_every_days=rng.choice([None, None, None, 30, 90]),
            )
            for b in range(1 if kind == "person" else rng.randint(1, 3)):
                area = NEIGHBOURHOODS[(n + b) % len(NEIGHBOURHOODS)]
                self.b.run(
                    self.moment(rng, created) + datetime.timedelta(minutes=5 + b),
                    services.building_create,
                    actor=contact,
                    landlord=landlord,
                    address=f"{rng.randint(1000, 9999)}, {rng.choice(UNIT_STREETS[area])}",
                    area=self.places[area],
                )
            if kind != "person":
                self.b.run(
                    self.moment(rng, created) + datetime.timedelta(minutes=9),
                    services.representative_add,
                    actor=contact,
                    landlord=landlord,
                    name=f"{fake.first_name()} {fake.last_name()}",
                    role=rng.choice(["property_manager", "superintendent"]),
                    phone=f"514-555-{5000 + n:04d}",
                )
            return landlord

    def attach_demo_units(self, landlords: list[Landlord]) -> None:
        """The housing service's units (added for matching) go into a building of a landlord of their area."""
        by_area: dict[int | None, list[Building]] = {}
        for building in (
            Building.objects.filter(landlord__in=landlords).select_related("landlord").order_by("pk")
        ):
            by_area.setdefault(building.area_id, []).append(building)
        for unit in Unit.objects.filter(organisation=self.org, building=None).order_by("pk"):
            with self.b.drawing("unit-building", unit.pk) as rng:
                choices = [
                    b for b in by_area.get(unit.area_id, []) if b.created_at <= unit.created_at
                ] or by_area.get(unit.area_id, [])
                if not choices:
                    continue
                building = rng.choice(choices)
                moment = max(unit.created_at, building.created_at) + datetime.timedelta(minutes=30)
                if moment > self.b.now:
                    continue
                self.b.run(
                    moment,
                    unit_services.unit_update,
                    actor=self.specialists[0],
                    unit=unit,
                    building=building,
                    unit_number=str(rng.randint(1, 12)),
                    utilities=sorted({u for u, share in UTILITIES if rng.random() < share}),
                    condition=self.b.stream("unit-condition", unit.pk).choice(
                        ["good", "good", "minor_repairs"]
                    ),
                )

    def more_units(self, n: int, landlord: Landlord) -> None:
        """One more unit in about half the buildings: available now or soon, some held or off the market."""
        with self.b.drawing("book-unit", n) as rng:
            for building in landlord.buildings.order_by("pk"):
                if rng.random() < 0.5:
                    continue
                added = self.day(rng, building.created_at.date(), self.b.today)
                moment = max(self.moment(rng, added), building.created_at + datetime.timedelta(minutes=20))
                if moment > self.b.now:
                    continue
                soon = rng.random() < 0.25
                condition = self.b.weighted(CONDITIONS)
                unit = self.b.run(
                    moment,
                    unit_services.unit_create,
                    actor=landlord.program_contact,
                    organisation=self.org,
                    address=building.address,
                    area=building.area,
                    kind=rng.choice(["scattered_site"] * 6 + ["congregate", "social_housing"]),
                    bedrooms=rng.choice([1, 1, 1, 2, 3]),
                    monthly_rent=Decimal(650 + 25 * rng.randint(0, 24)),
                    features=sorted(
                        {f for f in ("elevator", "step_free", "ground_floor") if rng.random() < 0.2}
                    ),
                    requirements=[],
                    available_from=clock_date(moment)
                    + datetime.timedelta(days=rng.randint(10, 50) if soon else 0),
                    open_for_matching=False,
                    building=building,
                    unit_number=str(rng.randint(1, 24)),
                    utilities=sorted({u for u, share in UTILITIES if rng.random() < share}),
                    smoking_allowed=rng.random() < 0.3,
                    condition=condition,
                )
                fate = rng.random()
                later = self.b.later(moment, rng.randint(60, 60 * 24 * 20))
                if condition == "uninhabitable" or fate < 0.08:
                    self.b.run(
                        later,
                        services.unit_withdraw,
                        actor=landlord.program_contact,
                        unit=unit,
                        reason="Rénovations majeures : retiré du marché par le propriétaire",
                    )
                elif condition == "major_repairs" or fate < 0.15:
                    self.b.run(
                        later,
                        unit_services.unit_hold,
                        actor=landlord.program_contact,
                        unit=unit,
                        reason="Réparations à faire avant une visite",
                    )

    def contacts(self, n: int, landlord: Landlord) -> None:
        """Contacts from the landlord's first day: about each cadence, by its program contact; some
        landlords were not called lately (overdue now), a few recent ones never."""
        with self.b.drawing("landlord-contacts", n) as rng:
            cadence = landlord.checkin_every_days or 60
            stop = self.b.today
            if n % 7 == 3:
                stop = self.b.today - datetime.timedelta(days=cadence + rng.randint(5, 60))
            if n >= 105:
                return  # new in the book: never called yet
            day = landlord.created_at.date() + datetime.timedelta(days=rng.randint(1, 10))
            contacts = []
            while day <= stop and day <= self.b.today:
                purpose = self.b.weighted(
                    [("check_in", 70), ("thanks", 10), ("negotiation", 10), ("other", 10)]
                )
                moment = self.moment(rng, day)
                contacts.append(
                    services.LandlordContactToLog(
                        contacted_on=clock_date(moment),
                        channel=landlord.preferred_channel,
                        purpose=purpose,
                        summary=rng.choice(SUMMARIES[purpose]),
                        logged_at=moment,
                    )
                )
                day += datetime.timedelta(days=max(7, cadence - rng.randint(0, 20)))
            if contacts:
                # Each logged at its moment (`contacts_log_many`: what `contact_log` writes one by one).
                self.b.run(
                    max(c.logged_at for c in contacts if c.logged_at is not None),
                    services.contacts_log_many,
                    actor=landlord.program_contact,
                    landlord=landlord,
                    contacts=contacts,
                )

    def complaint(self, n: int, landlords: list[Landlord]) -> None:
        with self.b.drawing("complaint", n) as rng:
            landlord = landlords[rng.randrange(len(landlords))]
            earliest = max(
                landlord.created_at.date() + datetime.timedelta(days=5),
                self.b.today - datetime.timedelta(days=360),
            )
            received = self.moment(rng, self.day(rng, earliest, self.b.today))
            if received <= landlord.created_at:
                return
            kind = "notice" if n == 0 else "complaint"
            # About a unit of the landlord that existed then, if any.
            unit = (
                Unit.objects.filter(building__landlord=landlord, created_at__lte=received)
                .order_by("pk")
                .first()
            )
            complaint = self.b.run(
                received,
                services.complaint_record,
                actor=landlord.program_contact,
                landlord=landlord,
                kind=kind,
                subject=rng.choice(["noise", "damage", "hygiene", "guests", "rent", "behaviour"]),
                details="Le propriétaire appelle au sujet d'un logement du programme.",
                received_at=received,
                unit=unit,
                first_response_at=self.b.later(received, rng.randint(20, 300)),
            )
            resolved = self.b.later(received, rng.randint(60 * 24, 60 * 24 * 30))
            if n % 5 == 4 or resolved >= self.b.now:
                return  # still open
            self.b.run(
                resolved,
                services.complaint_resolve,
                actor=landlord.program_contact,
                complaint=complaint,
                resolution=rng.choice(RESOLUTIONS),
                at=resolved,
            )


def clock_date(moment: datetime.datetime) -> datetime.date:
    from ancrage.core import clock

    return clock.localdate(moment)


def build_housing_book(builder: DemoBuilder) -> dict[str, Any]:
    return HousingBookDemo(builder).build()
