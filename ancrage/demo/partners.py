"""The demo consortium's external partners (E1–E3), called by `ancrage.demo.builder.DemoBuilder` after case
management: 30 partners of every kind in Montréal (fictional names), 18 of them services of the directory and two
of them the demo's partner agencies (their organisations), each with a contact person and an agreement (some due
for renewal), six months of monthly contacts (some partners overdue), and police units linked to current risk plans
that ask for police notices. Every write goes through the services at its moment; partners draw from a random
stream of their own, so the rest of the demo does not change. The significant-change notices come from the demo's
own events (housed, incidents, risk plans, exits, lost contact): each is told to the partners involved when the
demo's transaction commits, dated at the event's moment, under the consent of that day.
"""

from __future__ import annotations

import datetime
import random
from typing import TYPE_CHECKING, Any

from ancrage.casework.models import RiskAssessment, ServiceProvider
from ancrage.core import clock
from ancrage.partners import jobs, services
from ancrage.partners.models import Partner, PartnerAgreement, PartnerContactLog, PoliceLink

if TYPE_CHECKING:
    from ancrage.demo.builder import DemoBuilder

# Services of the directory that are also partners of the consortium, with their kind of partner.
FROM_DIRECTORY = {
    "Centre de santé Les Rives — équipe itinérance": "hospital",
    "Tremplin Emploi": "employment",
    "Carrefour Emploi Centre-Sud": "employment",
    "Atelier Boulot Hochelaga": "employment",
    "CLSC des Faubourgs — équipe de proximité": "hospital",
    "Centre de crise Le Phare": "treatment",
    "Clinique de psychiatrie communautaire Rosemont": "treatment",
    "Clinique de traitement par agonistes opioïdes Berri": "treatment",
    "Centre de réadaptation en dépendance Les Érables": "treatment",
    "Accompagnement aide sociale Verdun": "income_support",
    "Fiducie volontaire Budget-Plus": "income_support",
    "Clinique juridique populaire du Plateau": "legal_aid",
    "Bureau d'aide juridique — Centre-Sud": "legal_aid",
    "Banque alimentaire Verdun Partage": "food_bank",
    "Popote roulante Ahuntsic": "food_bank",
    "Cercle autochtone Kanatha": "indigenous",
    "Maison inuit Ilaginniq": "indigenous",
    "Vestiaire communautaire La Bonne Laine": "other",
}
# Partners that are not services one refers people to: (name, kind, language, address).
OTHERS = [
    ("SPVM — poste de quartier 21", "police", "fr-ca", "1669, rue Berri, Montréal"),
    ("SPVM — poste de quartier 22", "police", "fr-ca", "1200, avenue Papineau, Montréal"),
    ("SPVM — poste de quartier 23", "police", "fr-ca", "4555, rue Hochelaga, Montréal"),
    ("SPVM — poste de quartier 38", "police", "fr-ca", "1033, rue Rachel Est, Montréal"),
    (
        "CIUSSS du Centre-Sud — urgence de l'Hôpital du Faubourg",
        "hospital",
        "fr-ca",
        "1560, rue Sherbrooke Est",
    ),
    (
        "CIUSSS de l'Est — équipe de liaison en psychiatrie",
        "hospital",
        "fr-ca",
        "5415, boulevard de l'Assomption",
    ),
    ("Hôpital général Riverside — équipe itinérance", "hospital", "en", "3400, rue Saint-Patrick, Montréal"),
    ("Banque de meubles Le Grenier", "furniture_bank", "fr-ca", "2200, rue Ontario Est, Montréal"),
    ("Meubles Solidarité Est", "furniture_bank", "fr-ca", "8300, rue Sherbrooke Est, Montréal"),
    ("Centre d'amitié autochtone Les Quatre Vents", "indigenous", "en", "2001, boulevard Saint-Laurent"),
    ("Programme IPS Emploi-Santé Montréal", "employment", "fr-ca", "1250, rue Sanguinet, Montréal"),
    ("Bureau Services Québec — Plateau (aide sociale)", "income_support", "fr-ca", "4250, rue Saint-Denis"),
]
CONTACT_PEOPLE = [
    ("Geneviève Tremblay", "Intervenante de liaison"),
    ("Marc-André Gagnon", "Coordonnateur"),
    ("Sophie Lavoie", "Travailleuse sociale"),
    ("Daniel Okafor", "Agent sociocommunautaire"),
    ("Karine Bouchard", "Directrice adjointe"),
    ("Samuel Côté", "Conseiller en emploi"),
]
SUMMARIES = [
    "Suivi mensuel : aucun enjeu, les références se passent bien.",
    "Point sur les personnes suivies en commun et les délais d'accès.",
    "Présentation de l'équipe et rappel du protocole de référence.",
    "Enjeu de communication réglé : une seule personne-ressource de chaque côté.",
    "Préparation du renouvellement de l'entente.",
    "Échange sur une situation de crise de la semaine dernière.",
]
CHANNELS = ["phone", "email", "meeting", "video", "visit"]
PURPOSES = ["routine", "routine", "participant", "agreement", "training", "issue"]
DAY = datetime.timedelta(days=1)


class PartnersDemo:
    def __init__(self, builder: DemoBuilder):
        self.b = builder
        self.rng = random.Random(builder.seed * 31 + 14)
        self.now = builder.now
        self.today = builder.today
        self.manager = builder.users["coordination"]
        self.hub = builder.users["acces"]

    def moment(self, day: datetime.date) -> datetime.datetime:
        minutes = self.rng.randint(9 * 60, 16 * 60)
        moment = datetime.datetime.combine(day, datetime.time(minutes // 60, minutes % 60), tzinfo=self.b.tz)
        moment = min(moment, self.now - datetime.timedelta(minutes=self.rng.randint(5, 90)))
        # Just after midnight, "earlier today" may fall yesterday: the story's last moment is still today.
        return self.now if clock.localdate(moment) < day <= self.today else moment

    def build(self) -> dict[str, Any]:
        partners = self.registry()
        for n, partner in enumerate(partners):
            self.agreement(partner, n)
            self.contacts(partner, n)
        self.police_links([p for p in partners if p.kind == "police"])
        with clock.at(self.now):
            renewals = jobs.agreements_alert_renewals()
        return {
            "partners": len(partners),
            "partner agreements due for renewal": sum(
                a.is_due(self.today) for a in PartnerAgreement.objects.filter(partner__in=partners)
            ),
            "partner contacts logged": PartnerContactLog.objects.filter(partner__in=partners).count(),
            "partner renewal alerts": renewals,
            "police units linked to risk plans": PoliceLink.objects.filter(partner__in=partners).count(),
        }

    def registry(self) -> list[Partner]:
        consortium = self.b.orgs["MHS"].consortium
        providers = {
            p.name: p for p in ServiceProvider.objects.filter(consortium=consortium, name__in=FROM_DIRECTORY)
        }
        start = self.today - datetime.timedelta(days=700)
        partners = []
        rows = [
            (name, kind, "fr-ca", "") for name, kind in FROM_DIRECTORY.items() if name in providers
        ] + OTHERS
        for n, (name, kind, language, address) in enumerate(rows):
            provider = providers.get(name)
            partner = self.b.run(
                self.moment(start + DAY * n),
                services.partner_create,
                actor=self.manager,
                name=name,
                kind=kind,
                language=language,
                address=address or (provider.address if provider else ""),
                organisation=provider.organisation if provider else None,
                service_provider=provider,
                # Police units and hospitals are seen every two weeks; the others follow the program's month.
                contact_every_days=14 if kind in {"police"} else None,
            )
            partners.append(partner)
        return partners

    def agreement(self, partner: Partner, n: int) -> None:
        signed = self.today - datetime.timedelta(days=self.rng.randint(120, 650))
        # Some due within the warning (60 days), two past their date, the others later on.
        if n % 6 == 1:
            renewal = self.today + datetime.timedelta(days=self.rng.randint(5, 55))
        elif n in {4, 17}:
            renewal = self.today - datetime.timedelta(days=self.rng.randint(3, 20))
        else:
            renewal = self.today + datetime.timedelta(days=self.rng.randint(90, 600))
        kind = (
            "information_sharing"
            if partner.organisation_id
            else self.rng.choice(["service", "referral", "memorandum"])
        )
        self.b.run(
            self.moment(max(signed, partner.created_at.date())),
            services.agreement_add,
            actor=self.manager,
            partner=partner,
            title=f"Entente {partner.get_kind_display().lower()} — {partner.name}"[:200],
            kind=kind,
            signed_on=signed,
            renewal_on=max(renewal, signed + DAY),
        )

    def contacts(self, partner: Partner, n: int) -> None:
        name, role = CONTACT_PEOPLE[n % len(CONTACT_PEOPLE)]
        slug = "".join(c for c in partner.name.lower() if c.isalnum())[:20]
        self.b.run(
            self.moment(partner.created_at.date()),
            services.partner_contact_add,
            actor=self.manager,
            partner=partner,
            name=name,
            role=role,
            phone=f"514 555-{400 + n:04d}",
            email=f"{slug}@partenaires.demo.ancrage.example",
            language=partner.language,
            receives_notices=partner.organisation_id is not None,
        )
        # Six months of monthly contacts; every fifth partner has not been reached for a while (overdue), and
        # a few not yet this month.
        silent_months = 2 if n % 5 == 3 else (1 if n % 7 == 2 else 0)
        for months_back in range(6, silent_months - 1, -1):
            day = self.today - datetime.timedelta(days=30 * months_back + self.rng.randint(0, 20))
            if day > self.today or day < partner.created_at.date():
                continue
            if months_back == 0 and day.month != self.today.month:
                continue
            self.b.run(
                self.moment(day),
                services.contact_log_record,
                actor=self.rng.choice([self.manager, self.hub]),
                partner=partner,
                on=day,
                channel=self.rng.choice(CHANNELS),
                purpose=self.rng.choice(PURPOSES),
                summary=self.rng.choice(SUMMARIES),
            )

    def police_links(self, units: list[Partner]) -> None:
        if not units:
            return
        plans = list(
            RiskAssessment.objects.filter(
                ended_on__isnull=True,
                notify_team_on_police=True,
                participant__organisation__consortium=self.b.orgs["MHS"].consortium,
            ).order_by("assessed_on", "pk")[:8]
        )
        for n, plan in enumerate(plans):
            self.b.run(
                self.moment(min(plan.assessed_on + DAY * 2, self.today)),
                services.police_link_set,
                actor=self.manager,
                partner=units[n % len(units)],
                risk_plan=plan,
            )


def build_partners(builder: DemoBuilder) -> dict[str, Any]:
    return PartnersDemo(builder).build()
