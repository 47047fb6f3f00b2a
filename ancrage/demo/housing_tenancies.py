"""The demo's housing choice, tenancies, inspections, evictions and rehousing (C3, C4, C8), built through the
services at the moment each event happened.

Everyone the demo houses (a match transferred to a unit, or the by-name list's status "housed") gets a lease on
the day they moved in: through a search with two or three units offered, ranked, visited and accepted by the
landlord, or directly on the unit coordinated access transferred their match to. Leases a year old are renewed;
a few end in an eviction, with what led to it, a motel stay and a learning plan, and the person is rehoused
(counted as housed still: retention near the real programs' 90 %). A leave from housing on the by-name list
ends the tenancy that day. Today's viewings and this week's move-ins fill the housing specialist's home page.

Landlords and buildings: the landlords' book is another part; `ensure_landlord` makes the few this part needs
(the lead reconciles them with the book)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Q

from ancrage.access.models import Match, MatchStatus
from ancrage.housing import services as unit_services
from ancrage.housing import services_tenancies as ts
from ancrage.housing.models import (
    Area,
    Building,
    Eviction,
    HousingOption,
    InspectionPhoto,
    Landlord,
    TemporaryStay,
    Tenancy,
    TenancyRenewal,
    Unit,
)

if TYPE_CHECKING:
    from ancrage.demo.plan import Journey

LANDLORDS = [
    ("Gestion immobilière Saint-Laurent", Landlord.Kind.COMPANY),
    ("Habitations Papineau", Landlord.Kind.NON_PROFIT),
    ("Coopérative du Plateau", Landlord.Kind.NON_PROFIT),
    ("Lucie Bergeron", Landlord.Kind.PERSON),
    ("Immeubles Verdun-Wellington", Landlord.Kind.COMPANY),
    ("Office municipal d'habitation", Landlord.Kind.PUBLIC),
]
HEAD_LEASE_HOLDER = "Logement d'abord Montréal (OBNL)"
REASONS = [
    "Près de ma sœur et du métro",
    "Calme, loin du centre-ville",
    "Rez-de-chaussée : plus facile pour mes genoux",
    "Proche de la clinique où je suis suivi",
    "Je connais le quartier",
]
DECLINES = ["Trop loin de mon monde", "Le quartier me rappelle de mauvais souvenirs", "Trop petit"]
WHAT_LED = [
    "Des personnes hébergées sans accord, des plaintes du voisinage, puis l'avis du propriétaire.",
    "Deux mois de loyer impayés pendant une hospitalisation, le propriétaire n'a pas voulu d'entente.",
    "Du bruit la nuit et des dommages à la porte; le propriétaire a demandé la résiliation.",
]
PLANS = [
    "Je dis non aux visites après 22 h et j'appelle mon intervenante si quelqu'un insiste.",
    "Mon loyer est payé par fiducie volontaire le premier du mois.",
    "Je garde le contact avec le voisin et je préviens l'équipe si quelque chose brise.",
]


def _photo(n: int):
    """A small PNG of one colour, as a phone's photo of a room would be stored."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (120 + 30 * n, 110, 90)).save(buffer, format="PNG")
    return SimpleUploadedFile(f"piece-{n}.png", buffer.getvalue(), content_type="image/png")


def ensure_landlord(builder, name: str, kind: str) -> Building:
    """The landlord `name` of the housing team's book and one building of theirs (made once)."""
    org = builder.orgs["SLC"]
    landlord = Landlord.objects.filter(organisation=org, name=name).first()
    if landlord is None:
        landlord = Landlord.objects.create(
            organisation=org,
            name=name,
            kind=kind,
            program_contact=builder.users["logement1"],
            phone="514-555-0" + str(100 + len(name)),
        )
    building = landlord.buildings.first()
    if building is None:
        building = Building.objects.create(landlord=landlord, address=f"{name} — immeuble principal")
    return building


class TenanciesDemo:
    def __init__(self, builder, journeys: list[Journey]):
        self.b = builder
        self.journeys = journeys
        self.rng = builder.stream("housing-tenancies", 0)
        self.specialists = [builder.users["logement1"], builder.users["logement2"]]
        # The units leased are in the buildings of the landlords' book (C1) when it was built first.
        self.buildings = list(
            Building.objects.filter(
                landlord__organisation=builder.orgs["SLC"], landlord__is_active=True, area__isnull=False
            ).order_by("pk")
        ) or [ensure_landlord(builder, name, kind) for name, kind in LANDLORDS]
        self.counter = 0
        self.photos = 0
        # The areas the demo's neighbourhood names mean (Montréal's list, which the build does not change).
        self.places: dict[str, Area] | None = None

    # -- helpers

    def _specialist(self):
        return self.rng.choice(self.specialists)

    def _building(self) -> Building:
        return self.rng.choice(self.buildings)

    def _new_unit(self, day: datetime.date, actor) -> Unit:
        """A unit of the book, added the day it is needed (not offered for matching)."""
        self.counter += 1
        from ancrage.demo.matching import NEIGHBOURHOODS, UNIT_STREETS, demo_areas

        if self.places is None:
            self.places = demo_areas()
        places = self.places
        area = NEIGHBOURHOODS[self.counter % len(NEIGHBOURHOODS)]
        building = self._building()
        address = f"{self.rng.randint(100, 9999)}, {self.rng.choice(UNIT_STREETS[area])}, app. {self.counter}"
        place = places[area]
        if building.area is not None:
            address, place = f"{building.address}, app. {self.counter}", building.area
        unit = self.b.run(
            self.b.at(day),
            unit_services.unit_create,
            actor=actor,
            organisation=self.b.orgs["SLC"],
            address=address,
            area=place,
            kind="scattered_site",
            bedrooms=1,
            monthly_rent=Decimal(700 + 25 * self.rng.randint(0, 14)),
            features=[],
            requirements=[],
            available_from=day,
            open_for_matching=False,
        )
        Unit.objects.filter(pk=unit.pk).update(building=building)
        unit.refresh_from_db()
        return unit

    def _lease(self, day: datetime.date, unit: Unit) -> dict[str, Any]:
        rent = unit.monthly_rent
        income = Decimal(self.rng.choice([1050, 1138, 1200, 1350, 950]))
        # Most shares are near 30 % of income; a few are above (shown on the tenancy).
        share = min(
            rent, (income * Decimal(self.rng.choice(["0.28", "0.30", "0.30", "0.33"]))).quantize(Decimal("1"))
        )
        head = self.rng.random() < 0.3
        return {
            "lease_kind": "head_lease" if head else "direct",
            "head_lease_holder": HEAD_LEASE_HOLDER if head else "",
            "lease_start": day,
            "lease_end": day + datetime.timedelta(days=365),
            "moved_in_on": day,
            "monthly_rent": rent,
            "participant_share": share,
            "participant_monthly_income": income,
            "rent_supplement": rent - share,
            "supplement_source": "Programme de supplément au loyer (PSL)",
            "deposit": Decimal("0"),
        }

    def _search_and_lease(self, participant, day: datetime.date, *, after: Tenancy | None = None) -> Tenancy:
        """A search started some weeks before `day`, 2–3 units offered, ranked, visited, one accepted and chosen,
        the lease from it on `day`."""
        from ancrage.housing.models import HousingSearch

        actor = self._specialist()
        start = max(
            day - datetime.timedelta(days=self.rng.randint(14, 40)),
            self.b.today - datetime.timedelta(days=800),
        )
        existing = HousingSearch.objects.filter(participant=participant, ended_on__isnull=True).first()
        if existing is not None:
            # The rehousing search the eviction opened: the units are offered from its first day.
            start = min(max(start, existing.started_on), day)
        search = HousingSearchFor.open(self, participant, start, actor, after)
        count = 3 if self.rng.random() < 0.7 else 2
        units = [self._new_unit(start, actor) for _ in range(count)]
        options = []
        for n, unit in enumerate(units):
            offered = start + datetime.timedelta(days=n)
            options.append(
                self.b.run(
                    self.b.at(offered),
                    ts.option_offer,
                    actor=actor,
                    search=search,
                    unit=unit,
                    offered_on=offered,
                )
            )
        order = list(range(count))
        self.rng.shuffle(order)
        for rank, index in enumerate(order, start=1):
            self.b.run(
                self.b.at(start + datetime.timedelta(days=3)),
                ts.option_rank,
                actor=actor,
                option=options[index],
                rank=rank,
                reasons=self.rng.choice(REASONS) if rank == 1 else "",
            )
        first = options[order[0]]
        visit = min(start + datetime.timedelta(days=6), day)
        self.b.run(
            self.b.at(start + datetime.timedelta(days=3)),
            ts.option_step,
            actor=actor,
            option=first,
            step="viewing_planned",
            at=self.b.at(visit),
        )
        self.b.run(self.b.at(visit), ts.option_step, actor=actor, option=first, step="viewed", on=visit)
        self.b.run(self.b.at(visit), ts.option_step, actor=actor, option=first, step="applied", on=visit)
        if count == 3:
            last = options[order[-1]]
            self.b.run(
                self.b.at(visit),
                ts.option_step,
                actor=actor,
                option=last,
                step="declined",
                on=visit,
                reason=self.rng.choice(DECLINES),
            )
        decided = min(visit + datetime.timedelta(days=3), day)
        self.b.run(self.b.at(decided), ts.option_step, actor=actor, option=first, step="accepted", on=decided)
        self.b.run(self.b.at(decided), ts.option_step, actor=actor, option=first, step="chosen", on=decided)
        tenancy = self.b.run(
            self.b.at(day),
            ts.tenancy_create,
            actor=actor,
            participant=participant,
            unit=first.unit,
            option=first,
            few_options_reason=""
            if count >= ts.options_min()
            else "Peu de logements libres ce mois-là dans le secteur choisi",
            **self._lease(day, first.unit),
        )
        self._move_in_inspection(tenancy, day, actor)
        return tenancy

    def _move_in_inspection(self, tenancy: Tenancy, day: datetime.date, actor) -> None:
        inspection = self.b.run(
            self.b.at(day),
            ts.inspection_record,
            actor=actor,
            unit=tenancy.unit,
            tenancy=tenancy,
            kind="move_in",
            inspected_on=day,
            condition=self.rng.choice(["good", "good", "fair"]),
            notes="État des lieux fait avec la personne et le propriétaire.",
        )
        if self.photos < 3:
            # A few move-in photos (a small image made here: the demo downloads nothing).
            self.photos += 1
            self.b.run(
                self.b.at(day), ts.photo_add, actor=actor, inspection=inspection, upload=_photo(self.photos)
            )

    # -- the story

    def build(self) -> dict[str, Any]:
        matched_units = self._matched_units()
        events: list[tuple[datetime.date, int, str, Journey]] = []
        for j in self.journeys:
            for state, day in j.events:
                events.append((day, j.participant.pk, state, j))
        events.sort(key=lambda e: (e[0], e[1]))
        current: dict[int, Tenancy] = {}
        for day, pk, state, journey in events:
            if day > self.b.today:
                continue
            participant = journey.participant
            if state == "housed" and pk not in current:
                unit = matched_units.get((pk, day))
                if (
                    unit is not None
                    and not Tenancy.objects.filter(unit=unit)
                    .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=day))
                    .exists()
                ):
                    actor = self._specialist()
                    if unit.building_id is None:
                        Unit.objects.filter(pk=unit.pk).update(building=self._building())
                        unit.refresh_from_db()
                    current[pk] = self.b.run(
                        self.b.at(day),
                        ts.tenancy_create,
                        actor=actor,
                        participant=participant,
                        unit=unit,
                        **self._lease(day, unit),
                    )
                    self._move_in_inspection(current[pk], day, actor)
                else:
                    current[pk] = self._search_and_lease(participant, day)
            elif state != "housed" and pk in current:
                tenancy = current.pop(pk)
                reason = {"institution": "institution", "deceased": "deceased"}.get(state, "abandoned")
                if tenancy.ended_on is None and day >= tenancy.lease_start:
                    self.b.run(
                        self.b.at(day),
                        ts.tenancy_end,
                        actor=self._specialist(),
                        tenancy=tenancy,
                        ended_on=day,
                        reason=reason,
                    )
        for pk, tenancy in list(current.items()):
            current[pk] = self._renew_or_evict(tenancy)
        self._today_viewings()
        return {
            "tenancies": Tenancy.objects.count(),
            "tenancies current": Tenancy.objects.filter(ended_on__isnull=True).count(),
            "housing options": HousingOption.objects.count(),
            "lease renewals": TenancyRenewal.objects.count(),
            "evictions": Eviction.objects.count(),
            "temporary stays": TemporaryStay.objects.count(),
            "inspection photos": InspectionPhoto.objects.count(),
        }

    def _matched_units(self) -> dict[tuple[int, datetime.date], Unit]:
        """The unit each transferred match moved its person into, by (participant, day of the move)."""
        units: dict[int, list[Unit]] = {}
        for match in (
            Match.objects.filter(status=MatchStatus.TRANSFERRED, opening__unit__isnull=False)
            .select_related("opening__unit")
            .order_by("pk")
        ):
            unit = match.opening.unit
            if unit is not None:
                units.setdefault(match.participant_id, []).append(unit)
        result: dict[tuple[int, datetime.date], Unit] = {}
        for pk, moved in sorted(self.b.housed_by_match):
            if units.get(pk):
                result[(pk, moved)] = units[pk].pop(0)
        return result

    def _renew_or_evict(self, tenancy: Tenancy) -> Tenancy:
        """A lease a year old is renewed; a few tenancies end in an eviction and the person is rehoused."""
        today = self.b.today
        tenancy.refresh_from_db()
        rng = self.b.stream("tenancy", tenancy.pk)
        age = (today - tenancy.lease_start).days
        if age > 150 and rng.random() < 0.12:
            left = tenancy.lease_start + datetime.timedelta(days=rng.randint(90, min(age - 45, 500)))
            actor = self._specialist()
            eviction = self.b.run(
                self.b.at(left),
                ts.eviction_record,
                actor=actor,
                tenancy=tenancy,
                left_on=left,
                notice_received_on=left - datetime.timedelta(days=rng.randint(20, 60)),
                causes=rng.sample(
                    ["arrears", "guests", "neighbours", "damage", "hygiene"], k=rng.randint(1, 2)
                ),
                what_led=rng.choice(WHAT_LED),
            )
            stay_days = rng.randint(7, 30)
            self.b.run(
                self.b.at(left),
                ts.temporary_stay_record,
                actor=actor,
                participant=tenancy.participant,
                kind="motel",
                place="Motel Le Voyageur, boul. Saint-Laurent",
                stay_from=left,
                stay_to=left + datetime.timedelta(days=stay_days),
                eviction=eviction,
            )
            plan_day = left + datetime.timedelta(days=rng.randint(3, 10))
            self.b.run(
                self.b.at(plan_day),
                ts.eviction_plan,
                actor=actor,
                eviction=eviction,
                learning_plan=rng.choice(PLANS),
                plan_agreed_on=plan_day,
            )
            # The rehousing search opened at the eviction leads to the next lease.
            rehoused = left + datetime.timedelta(days=stay_days)
            return self._search_and_lease(tenancy.participant, rehoused, after=tenancy)
        renew_on = tenancy.lease_start + datetime.timedelta(days=365)
        if renew_on <= today:
            self.b.run(
                self.b.at(renew_on - datetime.timedelta(days=60)),
                ts.tenancy_renew,
                actor=self._specialist(),
                tenancy=tenancy,
                renewed_on=renew_on - datetime.timedelta(days=60),
                new_end=renew_on + datetime.timedelta(days=365),
                new_rent=(tenancy.monthly_rent * Decimal("1.025")).quantize(Decimal("1")),
                new_share=tenancy.participant_share,
            )
        return tenancy

    def _today_viewings(self) -> None:
        """Three people still looking: a search under way, units offered, viewings today and this week."""
        today = self.b.today
        housed = set(Tenancy.objects.values_list("participant_id", flat=True))
        waiting = [
            j.participant
            for j in self.journeys
            if j.participant.pk not in housed and j.events and j.events[-1][0] == "active"
        ][:3]
        actor = self.b.users["logement1"]
        for n, participant in enumerate(waiting):
            start = today - datetime.timedelta(days=5 + n)
            search = HousingSearchFor.open(self, participant, start, actor, None)
            for k in range(2 + (n % 2)):
                unit = self._new_unit(start, actor)
                option = self.b.run(
                    self.b.at(start), ts.option_offer, actor=actor, search=search, unit=unit, offered_on=start
                )
                when = self.b.now.replace(
                    hour=10 + 2 * k, minute=0, second=0, microsecond=0
                ) + datetime.timedelta(days=n * 2)
                self.b.run(
                    self.b.at(start),
                    ts.option_step,
                    actor=actor,
                    option=option,
                    step="viewing_planned",
                    at=when,
                )


class HousingSearchFor:
    @staticmethod
    def open(demo: TenanciesDemo, participant, start: datetime.date, actor, after: Tenancy | None):
        """The search under way for the person (a rehousing one opened by the eviction), or a new one."""
        from ancrage.housing.models import HousingSearch

        existing = HousingSearch.objects.filter(participant=participant, ended_on__isnull=True).first()
        if existing is not None:
            return existing
        return demo.b.run(
            demo.b.at(start),
            ts.search_start,
            actor=actor,
            participant=participant,
            started_on=start,
            after_tenancy=after,
        )


def build_housing_tenancies(builder, journeys: list[Journey]) -> dict[str, Any]:
    return TenanciesDemo(builder, journeys).build()
