"""Generated data: the fictional Montréal demo consortium (seed_demo) and participants at scale (seed_scale)."""

from __future__ import annotations

import datetime
import random
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.db.models import Count, Max
from django.test.utils import override_settings
from django.utils import timezone
from faker import Faker

from ancrage.access import services as access_services
from ancrage.access.models import (
    MATCH_IN_PROGRESS,
    ByNameEntry,
    ByNameStatus,
    ByNameStatusChange,
    Intake,
    LivingSituationPeriod,
    Match,
    MatchStatus,
    MatchStep,
    Opening,
    PriorityPolicy,
    Referral,
)
from ancrage.accounts.models import Membership, User
from ancrage.accounts.views import DEMO_PASSWORD
from ancrage.assessments import services as assessment_services
from ancrage.assessments.management.commands.load_instruments import SHIPPED as SHIPPED_INSTRUMENTS
from ancrage.assessments.models import Administration, InstrumentVersion
from ancrage.assessments.services import instrument_version_load
from ancrage.casework.demo import build_casework
from ancrage.core import audit, clock
from ancrage.core.demo_accounts import ACCOUNTS, CONSORTIUM, MISSIONS, ORGANISATIONS
from ancrage.core.models import AuditEntry
from ancrage.core.permissions import Category, Role
from ancrage.housing import services as housing_services
from ancrage.housing.models import Unit, UnitKind
from ancrage.organisations.models import Consortium, Organisation, Program, Team
from ancrage.people import services
from ancrage.people.models import (
    Alias,
    Consent,
    ConsentCategory,
    Document,
    Identifier,
    Participant,
)

# --- names and places ------------------------------------------------------------------------------

# Given names Faker's fr_CA list lacks: compound names are everywhere in Québec.
QC_COMPOUND_MALE = ["Jean-Guy", "Jean-Marc", "Jean-François", "Marc-André", "Jean-Philippe", "Pierre-Luc"]
QC_COMPOUND_FEMALE = ["Marie-Ève", "Marie-Josée", "Marie-Claude", "Anne-Marie", "Marie-Pier", "Marie-Hélène"]

HAITIAN_MALE = [
    "Jean-Robert", "Wilner", "Frantz", "Jean-Baptiste", "Fritznel", "Stevenson", "Ricardo",
    "Jean-Claude", "Yves", "Kervens", "Wesner", "Jocelyn", "Ronald", "Evens",
]  # fmt: skip
HAITIAN_FEMALE = [
    "Jocelyne", "Marie-Carmel", "Guerline", "Wisline", "Rose-Marie", "Marjorie", "Widlyne",
    "Nadège", "Fabiola", "Daphnée", "Mirlande", "Rosemène",
]  # fmt: skip
HAITIAN_LAST = [
    "Joseph", "Jean-Baptiste", "Pierre", "Louis", "Charles", "Désir", "Dorvil", "Augustin",
    "Célestin", "Exantus", "Jean-Louis", "Lafortune", "Mésidor", "Noël", "Saintil", "Toussaint",
    "Valcourt", "Vilmé", "Dorélien", "Fils-Aimé", "Bien-Aimé", "Étienne",
]  # fmt: skip
ARAB_MALE = [
    "Mohamed", "Ahmed", "Youssef", "Karim", "Samir", "Rachid", "Omar", "Hassan", "Mehdi",
    "Sofiane", "Walid", "Nabil", "Khaled", "Bilal",
]  # fmt: skip
ARAB_FEMALE = ["Nadia", "Amina", "Fatima", "Leila", "Yasmine", "Salma", "Rania", "Samira", "Houda"]
ARAB_LAST = [
    "Belkacem", "Bouzid", "Cherif", "El Amrani", "Hamdi", "Khoury", "Mansour", "Nasser", "Saadi",
    "Tahiri", "Zerrouki", "Boudiaf", "Chami", "Aziz", "Benyahia", "Lahlou", "Mokrani", "Rahal",
]  # fmt: skip
FIRST_NATIONS_MALE = ["Jimmy", "Kevin", "Tommy", "Raymond", "Noé", "Jonathan", "Gilbert", "Lucien", "Dany"]
FIRST_NATIONS_FEMALE = ["Sandy", "Priscilla", "Marlène", "Rita", "Mélissa", "Cindy", "Évelyne", "Shirley"]
FIRST_NATIONS_LAST = [
    "Awashish", "Petiquay", "Ottawa", "Niquay", "Flamand", "Vollant", "Mollen", "Bellefleur", "Pien",
    "Kistabish", "Papatie", "Wapachee", "Coonishish", "Jacobs", "Diabo", "Deer", "Montour",
    "McComber", "Mapachee", "Polson", "Odjick", "Commanda", "Mianscum", "Bosum", "Blacksmith",
]  # fmt: skip
INUIT_MALE = ["Lucassie", "Jaaji", "Putulik", "Qalingo", "Jusipi", "Willie", "Tommy", "Adamie"]
INUIT_FEMALE = ["Maggie", "Elisapi", "Eva", "Annie", "Lizzie", "Mary", "Sarah", "Qumaq"]
INUIT_LAST = [
    "Nappaaluk", "Kanayuk", "Tukalak", "Qumaluk", "Alaku", "Inukpuk", "Kasudluak", "Okpik",
    "Sivuarapik", "Angutiguluk", "Tulugak", "Uqaituk", "Mina",
]  # fmt: skip

# Roughly the people met on Montréal's streets: mostly French-Canadian, then English-speaking,
# Haitian, Arab (Maghreb and Lebanon), First Nations and Inuit, who are over-represented.
ORIGINS = [("fr", 59), ("en", 13), ("haitian", 11), ("arab", 8), ("first_nations", 6), ("inuit", 3)]

NICKNAMES = {
    "Robert": "Bob", "Joseph": "Jos", "Daniel": "Dany", "Richard": "Ricky", "Nathalie": "Nat",
    "Catherine": "Cathy", "Jean-François": "JF", "Jean-Philippe": "JP", "Frédéric": "Fred",
    "Alexandre": "Alex", "Nicolas": "Nico", "Isabelle": "Isa", "Michel": "Mike", "Patrick": "Pat",
    "Gabriel": "Gab", "Maxime": "Max", "Jacques": "Jack", "Mohamed": "Momo", "Marie-Josée": "MJ",
}  # fmt: skip

STREET_NAMES = [
    "Ti-Gus", "Coyote", "La Grande", "Frenchie", "Doc", "Moustache", "Le Kid", "Ti-Loup", "Sunshine",
    "Lucky", "Smiley", "Ti-Mousse", "Grizzly", "La Puce", "Shorty", "Cowboy", "Rasta", "Poker",
    "Maestro", "Papi", "Capitaine", "Boss", "Bijou", "Ti-Rouge", "Pirate", "Chef", "Prof", "Jojo",
    "Kiki", "Ti-Blond", "Mamie", "Zorro", "Gitan", "Bambi", "Tarzan", "Ti-Pit", "Caribou",
]  # fmt: skip

LOCATIONS = {
    "MHS": [
        "Chambre à Hochelaga, rue Ontario Est",
        "Maison de chambres près de la rue Sainte-Catherine Est",
        "Campement sous le viaduc Notre-Dame",
        "Campement près de la rue Notre-Dame Est",
        "Parc Morgan, la nuit",
        "Refuge pour hommes dans Hochelaga-Maisonneuve",
        "Chez un ami dans Mercier-Est (sur le divan)",
    ],
    "RDP": [
        "Refuge près du métro Berri-UQAM",
        "Parc Émilie-Gamelin",
        "Halte-chaleur du Plateau",
        "Refuge pour femmes dans Ville-Marie",
        "Entrée du métro Mont-Royal",
        "Square Cabot",
        "Chez sa sœur sur le Plateau, pour quelques semaines",
        "Ruelle derrière la rue Saint-Denis",
    ],
    "MVE": [
        "Chambre à Verdun, rue Wellington",
        "Sous le pont Champlain, côté Verdun",
        "Refuge de Pointe-Saint-Charles",
        "Chez des amis à LaSalle",
        "Maison de chambres dans Saint-Henri",
        "Berges du canal de Lachine",
    ],
    "CAA": [
        "Dans sa voiture, stationnement à Ahuntsic",
        "Chez sa mère à Montréal-Nord, temporairement",
        "Refuge d'urgence dans Ahuntsic-Cartierville",
        "Chambre au-dessus d'un dépanneur à Saint-Michel",
        "Campement près de la rivière des Prairies",
        "Motel sur le boulevard Henri-Bourassa",
    ],
    "common": [
        "Refuge près du métro Berri-UQAM",
        "Hospitalisé en psychiatrie, congé à planifier",
        "Centre de détention de Bordeaux, sortie prévue",
        "Centre de thérapie dans les Laurentides",
        "Chez des amis, d'un divan à l'autre",
        "Sans lieu fixe, centre-ville",
        "Motel sur la rue Saint-Jacques Ouest",
        "Logé depuis peu, appartement dans le quartier",
    ],
}

RELATIONSHIPS = [
    "Sœur", "Frère", "Mère", "Père", "Ami", "Amie", "Tante", "Cousin", "Fille", "Fils",
    "Ex-conjointe", "Ancienne intervenante du CLSC", "Parrain AA",
]  # fmt: skip
CONTACT_NOTES = [
    "",
    "",
    "",
    "Ne pas appeler avant 10 h",
    "Joindre seulement en cas d'urgence",
    "Parle anglais seulement",
    "La personne accepte qu'on lui parle du logement",
    "Ne pas lui donner l'adresse",
]

REVOCATION_REASONS = [
    "La personne ne veut plus que le service logement reçoive ses informations.",
    "Demande de la personne après un conflit avec un propriétaire.",
    "La personne a quitté le programme d'employabilité et retire son accord.",
    "La personne préfère ne plus partager ses informations de santé.",
    "Retrait demandé par la personne lors de la révision de son plan.",
    "La personne veut recommencer la démarche avec un nouveau formulaire.",
    "Selon la personne, l'accord a été donné sous pression ; retiré à sa demande.",
    "La personne a déménagé hors de Montréal.",
]

PURPOSE_MAIN = "Recherche de logement, accès coordonné et paiement du loyer (Logement d'abord)"
PURPOSE_ACM = "Inscription à la liste par nom et jumelage par l'accès coordonné"
PURPOSE_SLC = "Recherche de logement et paiement du loyer par le service logement du consortium"
PURPOSE_CSR = (
    "Suivi conjoint avec l'équipe itinérance du Centre de santé Les Rives (santé physique et mentale)"
)
PURPOSE_TRE = "Accompagnement vers l'emploi avec Tremplin Emploi"
PURPOSE_REDO = "Accès coordonné seulement, à la demande de la personne"

# Six people with a second file in another mission: a nickname, a lost accent or a spelling slip.
# (first file, second file): first name, last name, preferred name; then date of birth, gender, origin.
DUPLICATE_PAIRS: list[tuple[tuple[str, str, str], tuple[str, str, str], datetime.date, str, str]] = [
    (("Robert", "Tremblay", ""), ("Bob", "Tremblé", ""), datetime.date(1971, 3, 2), "man", "fr"),
    (("Marie-Ève", "Côté", ""), ("Marie-Eve", "Cote", ""), datetime.date(1983, 11, 17), "woman", "fr"),
    (("Joseph", "Bouchard", "Ti-Jos"), ("Jos", "Bouchard", ""), datetime.date(1966, 8, 9), "man", "fr"),
    (("Nathalie", "Gagné", ""), ("Nat", "Gagne", ""), datetime.date(1979, 5, 23), "woman", "fr"),
    (
        ("Jean-Robert", "Saint-Fleur", ""),
        ("Jean Robert", "Saintfleur", ""),
        datetime.date(1988, 1, 30),
        "man",
        "haitian",
    ),
    (("Mohamed", "Haddad", ""), ("Mohammed", "Hadad", ""), datetime.date(1990, 6, 14), "man", "arab"),
]

# Programs and teams: (org, program name fr, en, kind, team name fr, en)
PROGRAMS = [
    *[
        (org, "Suivi d'intensité variable", "Intensive case management", Program.Kind.ICM,
         f"Équipe SIV {area}", f"ICM team {area}")
        for org, area in [("MHS", "Hochelaga"), ("RDP", "Plateau"), ("MVE", "Verdun"), ("CAA", "Ahuntsic")]
    ],
    ("RDP", "Suivi intensif dans le milieu", "Assertive community treatment", Program.Kind.ACT,
     "Équipe SIM Plateau", "ACT team Plateau"),
    ("SLC", "Équipe logement du consortium", "Consortium housing team", Program.Kind.HOUSING_TEAM,
     "Équipe logement", "Housing team"),
    ("SLC", "Service de paiement de loyer", "Rent payment service", Program.Kind.RENT_PAYMENT,
     "Paiement des loyers", "Rent payments"),
    ("ACM", "Accès coordonné Montréal", "Montréal coordinated access", Program.Kind.COORDINATED_ACCESS,
     "Équipe d'accès coordonné", "Coordinated access team"),
]  # fmt: skip

ADDRESSES = {
    "MHS": "2500, rue Ontario Est, Montréal (Québec)",
    "RDP": "4100, rue Saint-Denis, Montréal (Québec)",
    "MVE": "3900, rue Wellington, Verdun (Québec)",
    "CAA": "10 200, boulevard Saint-Laurent, Montréal (Québec)",
    "SLC": "1800, rue Sainte-Catherine Est, Montréal (Québec)",
    "ACM": "1500, boulevard De Maisonneuve Est, Montréal (Québec)",
    "CSR": "3000, rue Notre-Dame Est, Montréal (Québec)",
    "TRE": "600, rue Jean-Talon Est, Montréal (Québec)",
}

ENGLISH_SPEAKING_STAFF = {"gc.verdun4", "logement2", "partenaire.emploi"}
ACT_TEAM = {"gc.plateau3", "gc.plateau4"}


def ascii_text(value: str) -> str:
    decomposed = unicodedata.normalize("NFKD", value)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).encode("ascii", "ignore").decode()


def tiny_pdf(title: str) -> bytes:
    """A one-page PDF with one line of text, built by hand: a real header, objects, xref and trailer."""
    text = ascii_text(title).replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    content = f"BT /F1 14 Tf 72 720 Td ({text}) Tj ET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


# --- the demo consortium ---------------------------------------------------------------------------


@dataclass
class ConsentPlan:
    """One consent to record: who it shares with, what, from when to when; and its revocation if any."""

    orgs: list[str]
    categories: list[str]
    purpose: str
    starts_on: datetime.date
    expires_on: datetime.date | None = None
    revoke_on: datetime.date | None = None
    reason: str = ""
    with_document: bool = False


@dataclass
class PersonPlan:
    org: str
    origin: str
    first: str
    last: str
    preferred: str
    gender: str
    dob: datetime.date | None
    dob_quality: str
    created_ago: int
    indigenous: str = "not_collected"
    language: str = "fr-ca"
    languages_spoken: str = ""
    phone: str = ""
    email: str = ""
    location: str = ""
    aliases: list[str] = field(default_factory=list)
    identifiers: list[tuple[str, str, str]] = field(default_factory=list)
    contacts: int = 0
    household: int = 0
    service_agreement: bool = False
    scenario: str = "current"
    consents: list[ConsentPlan] = field(default_factory=list)
    is_duplicate_second: bool = False
    partners: list[str] = field(default_factory=list)


@dataclass
class Window:
    """When an organisation could read a file through a consent (for believable read entries)."""

    orgs: frozenset[str]
    categories: frozenset[str]
    start: datetime.date
    end: datetime.date


# Prioritisation, housing and matching.
NEIGHBOURHOODS = [
    "Hochelaga-Maisonneuve", "Plateau-Mont-Royal", "Verdun", "Ahuntsic", "Rosemont", "Villeray",
    "Centre-Sud", "Pointe-Saint-Charles", "Côte-des-Neiges", "Mercier",
]  # fmt: skip
UNIT_STREETS = {
    "Hochelaga-Maisonneuve": ["rue Ontario Est", "rue Adam", "rue Sainte-Catherine Est"],
    "Plateau-Mont-Royal": ["rue Saint-Denis", "avenue du Mont-Royal Est", "rue Rachel Est"],
    "Verdun": ["rue Wellington", "rue de Verdun", "boulevard LaSalle"],
    "Ahuntsic": ["rue Fleury Ouest", "boulevard Henri-Bourassa Est", "rue Lajeunesse"],
    "Rosemont": ["rue Masson", "boulevard Rosemont", "rue Beaubien Est"],
    "Villeray": ["rue Jarry Est", "rue De Castelnau Est", "rue Villeray"],
    "Centre-Sud": ["rue Ontario Est", "rue Parthenais", "rue Fullum"],
    "Pointe-Saint-Charles": ["rue du Centre", "rue Charlevoix", "rue Wellington"],
    "Côte-des-Neiges": ["chemin de la Côte-des-Neiges", "avenue Van Horne", "rue Jean-Brillant"],
    "Mercier": ["rue Hochelaga", "rue Sherbrooke Est", "avenue Souligny"],
}
PROFILE_FLAGS = [
    ("medical_vulnerability", 0.22),
    ("mental_health", 0.35),
    ("substance_use", 0.4),
    ("fleeing_violence", 0.07),
    ("pregnancy", 0.02),
    ("leaving_care", 0.04),
    ("leaving_institution", 0.08),
    ("veteran", 0.02),
]
UNIT_FEATURES = [
    ("ground_floor", 0.2),
    ("elevator", 0.2),
    ("step_free", 0.2),
    ("grab_bars", 0.1),
    ("wheelchair", 0.05),
    ("visual_alarm", 0.1),
    ("pets_allowed", 0.3),
]
POLICY_V1 = """title: {fr: Priorités 2025, en: 2025 priorities}
factors:
  - factor: acuity_score
    weight: 60
  - factor: days_homeless_past_three_years
    weight: 40
tie_breakers: [entered_on]
"""
POLICY_V2 = """title: {fr: Priorités 2026 (chronicité et santé), en: 2026 priorities (chronicity and health)}
factors:
  - factor: acuity_score
    weight: 40
  - factor: days_homeless_past_three_years
    weight: 20
  - factor: chronic
    weight: 15
  - factor: flag
    flag: medical_vulnerability
    weight: 10
  - factor: age_at_least
    years: 50
    weight: 5
  - factor: indigenous
    weight: 10
tie_breakers: [entered_on, days_homeless]
"""
POLICY_V3 = """title: {fr: Priorités 2027 (projet), en: 2027 priorities (draft)}
factors:
  - factor: acuity_score
    weight: 35
  - factor: days_homeless_past_three_years
    weight: 20
  - factor: chronic
    weight: 15
  - factor: flag
    flag: medical_vulnerability
    weight: 10
  - factor: flag
    flag: fleeing_violence
    weight: 10
  - factor: age_at_least
    years: 50
    weight: 5
  - factor: indigenous
    weight: 10
tie_breakers: [entered_on, days_homeless]
"""
# text, written (days ago), activated (days ago, or None for a draft), reason
POLICIES: list[tuple[str, int, int | None, str]] = [
    (POLICY_V1, 640, 610, "Première politique adoptée par le comité de l'accès coordonné (acuité et durée sans logement)."),
    (
        POLICY_V2, 215, 182,
        "Révision annuelle du comité : la chronicité, la vulnérabilité médicale, l'âge (50 ans et plus) et "
        "l'identité autochtone comptent désormais, à la demande des partenaires et du comité autochtone.",
    ),
    (POLICY_V3, 12, None, ""),
]  # fmt: skip
MATCH_REASONS = {
    "person_declined": [
        "La personne préfère rester près de son réseau dans son quartier",
        "Le logement est trop loin de son emploi et de ses rendez-vous",
        "La personne ne se sent pas prête à signer un bail maintenant",
        "Logement au troisième étage sans ascenseur : la personne refuse",
    ],
    "provider_declined": [
        "Le propriétaire a refusé après la visite",
        "L'équipe est complète pour le type de suivi demandé",
        "Animaux non acceptés par le propriétaire",
    ],
    "withdrawn": [
        "La personne a été hospitalisée pour plusieurs semaines",
        "Personne injoignable depuis deux semaines",
        "Le logement a été retiré par le propriétaire (travaux)",
    ],
}
IN_PROGRESS_TARGETS = ["proposed", "contacted", "person_accepted", "provider_accepted"]
PURPOSE_TRANSFER = "Transfert accompagné vers l'équipe qui offre le logement ou le suivi (accès coordonné)"

# Coordinated access: why people come and go on the by-name list, and where referrals come from.
HOUSED_REASONS = [
    "Emménagement dans un appartement avec supplément au loyer",
    "Logé par l'équipe logement du consortium",
    "Bail signé, logement subventionné (HLM)",
    "Emménagement en logement social avec soutien communautaire",
    "Logé dans le parc privé avec l'aide du service de paiement de loyer",
]
INACTIVE_REASONS = [
    "Aucun contact depuis plus de 90 jours",
    "Introuvable malgré les tournées de rue",
    "N'est plus vu au refuge ni dans les haltes",
]
INSTITUTION_REASONS = [
    "Hospitalisation prolongée en psychiatrie",
    "Incarcération à Bordeaux",
    "Admission en centre de thérapie",
    "Séjour en centre de réadaptation",
]
MOVED_REASONS = [
    "Retour dans sa communauté d'origine",
    "Parti vivre chez de la famille à Québec",
    "Déménagé en Ontario",
    "Parti vers Gatineau",
]
RETURN_REASONS = [
    "Revue au refuge, de nouveau sans logement",
    "Perte du logement après un conflit avec le propriétaire",
    "Reprise de contact lors d'une tournée de rue",
    "Sortie de l'hôpital sans logement",
    "Sortie de détention sans adresse",
]
SOURCE_NAMES = {
    "outreach": ["Tournée de rue du centre-ville", "Équipe de proximité Hochelaga", "Travail de rue Verdun"],
    "shelter": ["Refuge près du métro Berri-UQAM", "Refuge pour femmes dans Ville-Marie", "Halte-chaleur du Plateau"],
    "hospital": ["Urgence de l'hôpital Notre-Dame", "Psychiatrie, Centre de santé Les Rives", "CHUM, travailleuse sociale"],
    "prison": ["Établissement de détention de Montréal (Bordeaux)", "Maison Tanguay, agente de libération"],
    "self": ["La personne elle-même", "Se présente à l'accueil"],
    "partner": ["Tremplin Emploi", "CLSC Hochelaga-Maisonneuve", "Centre de santé Les Rives"],
}  # fmt: skip
REFERRAL_REASONS = [
    "Sans logement depuis plusieurs mois, dort au refuge",
    "Dort dehors depuis la fin de son bail, demande de l'aide pour se loger",
    "Congé d'hôpital prévu sans adresse de sortie",
    "Sortie de détention dans trois semaines, aucun logement",
    "Expulsée de son logement, hébergée temporairement chez une amie",
    "Campement démantelé, souhaite être inscrit à la liste",
    "Personne âgée vivant dans sa voiture depuis l'été",
]
DESCRIPTIONS = [
    "Homme dans la cinquantaine, souvent au parc Émilie-Gamelin",
    "Jeune femme, vient au refuge les soirs de semaine",
    "Homme avec un chien, campement près du canal",
    "Parle surtout anglais, rencontré au métro Atwater",
    "Dame âgée, dort dans sa voiture à Ahuntsic",
    "",
]
WITHDRAW_REASONS = [
    "La personne a trouvé un logement par elle-même",
    "La personne ne souhaite pas poursuivre",
    "Doublon d'une référence déjà reçue",
    "Impossible de joindre la personne après plusieurs essais",
]


@dataclass
class Journey:
    """One person's passage through the by-name list: the statuses and the days they began."""

    participant: Participant
    plan: PersonPlan
    actor: User
    worker: User
    entry: ByNameEntry
    events: list[tuple[str, datetime.date]]


class DemoBuilder:
    def __init__(self, seed: int = 2026):
        self.seed = seed
        self.rng = random.Random(seed)
        self.fake = {"fr": Faker("fr_CA"), "en": Faker("en_CA")}
        self.fake["fr"].seed_instance(seed)
        self.fake["en"].seed_instance(seed + 1)
        self.now = clock.now()
        self.today = clock.today()
        self.tz = timezone.get_current_timezone()
        self.orgs: dict[str, Organisation] = {}
        self.users: dict[str, User] = {}
        self.case_managers: dict[str, list[User]] = {}
        self.staff_by_org: dict[str, list[User]] = {}
        self._audit_mark = 0
        self._used_identifiers: set[tuple[str, str]] = set()
        self.pdf_cache: dict[str, bytes] = {}
        self.versions: dict[str, InstrumentVersion] = {}
        self._period_recorded: dict[int, datetime.date] = {}
        self.casework: dict[str, Any] = {}

    # -- time helpers

    def at(self, day: datetime.date) -> datetime.datetime:
        """A moment on `day` during working hours, never in the future."""
        minutes = self.rng.randint(8 * 60 + 30, 18 * 60)
        # Drawn every time, so the random sequence does not depend on the hour the demo is built.
        earlier = self.rng.randint(2, 120)
        moment = datetime.datetime.combine(day, datetime.time(minutes // 60, minutes % 60), tzinfo=self.tz)
        if moment > self.now:
            moment = self.now - datetime.timedelta(minutes=earlier)
        return moment

    def day_between(self, start: datetime.date, end: datetime.date) -> datetime.date:
        if end <= start:
            return start
        return start + datetime.timedelta(days=self.rng.randint(0, (end - start).days))

    def stamp(self, moment: datetime.datetime) -> None:
        """Date the audit entries written since the last stamp, as if the service ran at `moment`."""
        AuditEntry.objects.filter(pk__gt=self._audit_mark).update(at=moment)
        self._audit_mark = AuditEntry.objects.aggregate(m=Max("pk"))["m"] or self._audit_mark

    # -- organisations, programs, teams, accounts

    def build_structure(self) -> None:
        long_ago = self.now - datetime.timedelta(days=800)
        consortium = Consortium.objects.create(created_at=long_ago, **CONSORTIUM)
        for short, name, kind in ORGANISATIONS:
            self.orgs[short] = Organisation.objects.create(
                consortium=consortium,
                short_name=short,
                name=name,
                kind=kind,
                phone=f"514 555-01{len(self.orgs) + 10:02d}",
                address=ADDRESSES.get(short, ""),
                created_at=long_ago,
            )
        teams: dict[tuple[str, str], Team] = {}
        for org, name, name_en, kind, team_name, team_en in PROGRAMS:
            program = Program.objects.create(
                organisation=self.orgs[org], name=name, name_en=name_en, kind=kind, created_at=long_ago
            )
            teams[(org, kind)] = Team.objects.create(
                organisation=self.orgs[org],
                program=program,
                name=team_name,
                name_en=team_en,
                created_at=long_ago,
            )
        # One slow hash for everyone: the demo password is the same for every account.
        password = make_password(DEMO_PASSWORD)
        for username, first, last, role, org in ACCOUNTS:
            user = User.objects.create(
                username=username,
                first_name=first,
                last_name=last,
                email=f"{username}@demo.ancrage.example",
                password=password,
                language="en" if username in ENGLISH_SPEAKING_STAFF else "fr-ca",
                is_staff=role == Role.ADMINISTRATOR,
                date_joined=long_ago,
            )
            Membership.objects.create(
                user=user,
                organisation=self.orgs[org],
                role=role,
                team=self._team_for(username, role, org, teams),
                created_at=long_ago,
            )
            self.users[username] = user
            self.staff_by_org.setdefault(org, []).append(user)
            if role == Role.CASE_MANAGER:
                self.case_managers.setdefault(org, []).append(user)

    @staticmethod
    def _team_for(username: str, role: str, org: str, teams: dict) -> Team | None:
        if org in MISSIONS and role in {
            Role.CASE_MANAGER,
            Role.TEAM_LEAD,
            Role.PEER_SUPPORT,
            Role.PROGRAM_ASSISTANT,
        }:
            kind = Program.Kind.ACT if username in ACT_TEAM else Program.Kind.ICM
            return teams[(org, kind)]
        if role == Role.HOUSING_SPECIALIST:
            return teams[("SLC", Program.Kind.HOUSING_TEAM)]
        if role == Role.RENT_CLERK:
            return teams[("SLC", Program.Kind.RENT_PAYMENT)]
        if role == Role.COORDINATED_ACCESS:
            return teams[("ACM", Program.Kind.COORDINATED_ACCESS)]
        return None

    # -- people

    def _weighted(self, pairs):
        values, weights = zip(*pairs, strict=True)
        return self.rng.choices(values, weights=weights)[0]

    def _given_name(self, origin: str, female: bool) -> str:
        rng = self.rng
        if origin == "fr":
            if rng.random() < 0.12:
                return rng.choice(QC_COMPOUND_FEMALE if female else QC_COMPOUND_MALE)
            return self.fake["fr"].first_name_female() if female else self.fake["fr"].first_name_male()
        if origin == "en":
            return self.fake["en"].first_name_female() if female else self.fake["en"].first_name_male()
        lists = {
            "haitian": (HAITIAN_FEMALE, HAITIAN_MALE),
            "arab": (ARAB_FEMALE, ARAB_MALE),
            "first_nations": (FIRST_NATIONS_FEMALE, FIRST_NATIONS_MALE),
            "inuit": (INUIT_FEMALE, INUIT_MALE),
        }[origin]
        return rng.choice(lists[0] if female else lists[1])

    def _family_name(self, origin: str) -> str:
        if origin in {"fr", "en"}:
            return self.fake[origin].last_name()
        return self.rng.choice(
            {
                "haitian": HAITIAN_LAST,
                "arab": ARAB_LAST,
                "first_nations": FIRST_NATIONS_LAST,
                "inuit": INUIT_LAST,
            }[origin]
        )

    def _dob(self) -> tuple[datetime.date | None, str]:
        quality = self._weighted(
            [("exact", 70), ("approximate", 13), ("doesnt_know", 5), ("refused", 4), ("not_collected", 8)]
        )
        if quality not in {"exact", "approximate"}:
            return None, quality
        age = int(min(76, max(18, self.rng.gauss(45, 12))))
        dob = self.today - relativedelta(years=age) - datetime.timedelta(days=self.rng.randint(1, 364))
        if quality == "approximate":
            # Workers write 1 January or 1 July when only the year (or the season) is known.
            dob = datetime.date(dob.year, self.rng.choice([1, 7]), 1)
        return dob, quality

    def person(self, org: str, created_ago: int) -> PersonPlan:
        rng = self.rng
        origin = self._weighted(ORIGINS)
        gender = self._weighted(
            [
                ("man", 64),
                ("woman", 30),
                ("non_binary", 2),
                ("two_spirit", 1),
                ("not_collected", 2),
                ("refused", 1),
            ]
        )
        if origin == "first_nations" and rng.random() < 0.1:
            gender = "two_spirit"
        elif gender == "two_spirit" and origin != "first_nations":
            gender = "non_binary"
        female = gender == "woman" or (gender not in {"man", "woman"} and rng.random() < 0.5)
        first = self._given_name(origin, female)
        last = self._family_name(origin)
        dob, dob_quality = self._dob()
        plan = PersonPlan(
            org=org,
            origin=origin,
            first=first,
            last=last,
            preferred=NICKNAMES[first] if first in NICKNAMES and rng.random() < 0.4 else "",
            gender=gender,
            dob=dob,
            dob_quality=dob_quality,
            created_ago=created_ago,
        )
        plan.indigenous = self._indigenous(origin)
        plan.language, plan.languages_spoken = self._languages(origin)
        if rng.random() < 0.45:
            plan.phone = f"{rng.choice(['514', '438'])} 555-01{rng.randint(0, 99):02d}"
        if rng.random() < 0.08:
            plan.email = f"{ascii_text(first).lower().replace(' ', '')}{rng.randint(10, 99)}@example.com"
        if rng.random() < 0.95:
            pool = LOCATIONS[org] if rng.random() < 0.75 else LOCATIONS["common"]
            plan.location = rng.choice(pool)
        if rng.random() < 0.20:
            plan.aliases.append(rng.choice(STREET_NAMES))
            if rng.random() < 0.25:
                # A former or other legal name, e.g. a maiden name.
                plan.aliases.append(f"{first} {self._family_name(origin)}")
        if rng.random() < 0.35:
            plan.identifiers.append(
                ("hifis", self._unique_identifier("hifis", str(rng.randint(100000, 999999))), "")
            )
        if rng.random() < 0.10:
            value = self._unique_identifier(
                "shelter", f"R-{rng.randint(2019, 2026)}-{rng.randint(1, 9999):04d}"
            )
            plan.identifiers.append(("shelter", value, "Refuge du Plateau"))
        if rng.random() < 0.5:
            plan.contacts = rng.choice([1, 1, 1, 2])
        if rng.random() < 0.04:
            plan.household = rng.choice([1, 1, 2])
        plan.service_agreement = rng.random() < 0.35
        return plan

    def _unique_identifier(self, kind: str, value: str) -> str:
        while (kind, value) in self._used_identifiers:
            value = value + str(self.rng.randint(0, 9))
        self._used_identifiers.add((kind, value))
        return value

    def _indigenous(self, origin: str) -> str:
        if origin == "first_nations":
            return self._weighted([("first_nations", 90), ("doesnt_know", 4), ("refused", 6)])
        if origin == "inuit":
            return self._weighted([("inuit", 95), ("refused", 5)])
        return self._weighted(
            [
                ("first_nations", 2),
                ("metis", 2),
                ("not_indigenous", 50),
                ("not_collected", 38),
                ("doesnt_know", 4),
                ("refused", 4),
            ]
        )

    def _languages(self, origin: str) -> tuple[str, str]:
        rng = self.rng
        if origin == "fr":
            return "fr-ca", rng.choice(["français", "français", "français, anglais"])
        if origin == "en":
            return "en", rng.choice(["anglais", "anglais", "anglais, français"])
        if origin == "haitian":
            return "fr-ca", rng.choice(["créole haïtien, français", "français, créole haïtien, anglais"])
        if origin == "arab":
            return "fr-ca", rng.choice(["arabe, français", "arabe, français, anglais"])
        if origin == "first_nations":
            spoken = rng.choice(
                ["français", "innu-aimun, français", "atikamekw, français", "cri, anglais", "anglais"]
            )
            return ("en" if spoken.endswith("anglais") else "fr-ca"), spoken
        return "en", "inuktitut, anglais"

    # -- consent plans

    def _main_share(self, start: datetime.date, **kwargs) -> ConsentPlan:
        roll = self.rng.random()
        categories: list[str]
        if roll < 0.85:
            orgs, purpose = ["SLC", "ACM"], PURPOSE_MAIN
            categories = [Category.IDENTITY, Category.HOUSING, Category.COORDINATED_ACCESS]
            if self.rng.random() < 0.4:
                categories.append(Category.RISK)
        elif roll < 0.95:
            orgs, purpose = ["ACM"], PURPOSE_ACM
            categories = [Category.IDENTITY, Category.COORDINATED_ACCESS]
            if self.rng.random() < 0.5:
                categories.append(Category.HOUSING)
        else:
            orgs, purpose = ["SLC"], PURPOSE_SLC
            categories = [Category.IDENTITY, Category.HOUSING]
        return ConsentPlan(
            orgs=orgs,
            categories=categories,
            purpose=purpose,
            starts_on=start,
            with_document=self.rng.random() < 0.45,
            **kwargs,
        )

    def _partner_share(self, partner: str, start: datetime.date, **kwargs) -> ConsentPlan:
        rng = self.rng
        categories: list[str]
        if partner == "CSR":
            categories = [Category.IDENTITY, Category.HEALTH]
            if rng.random() < 0.5:
                categories.append(Category.RISK)
            if rng.random() < 0.2:
                categories.append(Category.CASE_NOTES)
            purpose = PURPOSE_CSR
        else:
            categories = [Category.IDENTITY]
            if rng.random() < 0.5:
                categories.append(Category.CASE_NOTES)
            if rng.random() < 0.3:
                categories.append(Category.HOUSING)
            purpose = PURPOSE_TRE
        return ConsentPlan(orgs=[partner], categories=categories, purpose=purpose, starts_on=start, **kwargs)

    def plan_consents(self, people: list[PersonPlan]) -> None:
        rng = self.rng
        today = self.today
        year = relativedelta(months=12)
        pool = [p for p in people if not p.is_duplicate_second and p.scenario == "current"]
        rng.shuffle(pool)

        def take(count: int, condition) -> list[PersonPlan]:
            chosen = [p for p in pool if condition(p)][:count]
            for p in chosen:
                pool.remove(p)
            return chosen

        # Every organisation's home page has consents to renew this month.
        for org in sorted({p.org for p in pool}):
            for p in take(4, lambda p, org=org: p.org == org and p.created_ago >= 370):
                p.scenario = "expiring"
        for p in take(12, lambda p: 380 <= p.created_ago <= 530):
            p.scenario = "expired"
        for p in take(8, lambda p: 400 <= p.created_ago <= 680):
            p.scenario = "renewed"
        for p in take(4, lambda p: p.created_ago >= 30):
            p.scenario = "revoked"

        reasons = iter(REVOCATION_REASONS)
        for p in people:
            created = today - datetime.timedelta(days=p.created_ago)
            if p.scenario == "expiring":
                expires = today + datetime.timedelta(days=rng.randint(3, 29))
                p.consents.append(self._main_share(expires - year, expires_on=expires))
            elif p.scenario == "expired":
                p.consents.append(self._main_share(created, expires_on=created + year))
            elif p.scenario == "renewed":
                old = self._main_share(created, expires_on=created + year)
                renewal = created + year - datetime.timedelta(days=rng.randint(0, 14))
                p.consents += [old, self._main_share(renewal)]
            else:
                start = (
                    created if p.created_ago <= 330 else today - datetime.timedelta(days=rng.randint(20, 330))
                )
                p.consents.append(self._main_share(start))
            if p.scenario == "revoked":
                main = p.consents[-1]
                main.revoke_on = self.day_between(main.starts_on + datetime.timedelta(days=5), today)
                main.reason = next(reasons)
                if rng.random() < 0.5:
                    p.consents.append(
                        ConsentPlan(
                            orgs=["ACM"],
                            categories=[Category.IDENTITY, Category.COORDINATED_ACCESS],
                            purpose=PURPOSE_REDO,
                            starts_on=main.revoke_on,
                        )
                    )

        # Partner agencies: the health centre's team and the employment service see some files, not all.
        current = [p for p in people if p.scenario in {"current", "renewed", "expiring"}]
        for p in current:
            main = p.consents[-1]
            for partner, share in (("CSR", 0.22), ("TRE", 0.12)):
                if rng.random() < share:
                    start = self.day_between(main.starts_on, today - datetime.timedelta(days=1))
                    p.consents.append(self._partner_share(partner, start))
                    p.partners.append(partner)
        # A few partner consents were revoked; a few are signed ahead of a transfer and not yet in force.
        partnered = [p for p in current if p.partners]
        rng.shuffle(partnered)
        for p in partnered[:4]:
            consent = p.consents[-1]
            consent.revoke_on = self.day_between(consent.starts_on + datetime.timedelta(days=1), today)
            consent.reason = next(reasons)
        for p in [q for q in current if not q.partners][:3]:
            start = today + datetime.timedelta(days=rng.randint(3, 21))
            p.consents.append(self._partner_share(rng.choice(["CSR", "TRE"]), start))

    # -- writing through the services

    def create_file(self, plan: PersonPlan, actor: User) -> tuple[Participant, list[Window]]:
        rng = self.rng
        created_day = self.today - datetime.timedelta(days=plan.created_ago)
        created_at = self.at(created_day)
        org = self.orgs[plan.org]
        colleagues = [u for u in self.case_managers[plan.org] if u != actor]
        participant = services.participant_create(
            actor=actor,
            organisation=org,
            legal_first_name=plan.first,
            legal_last_name=plan.last,
            preferred_name=plan.preferred,
            date_of_birth=plan.dob,
            dob_quality=plan.dob_quality,
            gender=plan.gender,
            indigenous_identity=plan.indigenous,
            communication_language=plan.language,
            languages_spoken=plan.languages_spoken,
            phone=plan.phone,
            email=plan.email,
            current_location=plan.location,
        )
        self.stamp(created_at)
        last = created_at
        for name in plan.aliases:
            services.alias_add(actor=actor, participant=participant, name=name)
            last = self.at(self.day_between(created_day, self.today))
            self.stamp(last)
        for kind, value, issuer in plan.identifiers:
            services.identifier_add(
                actor=actor, participant=participant, kind=kind, value=value, issuer=issuer
            )
            self.stamp(created_at + datetime.timedelta(minutes=rng.randint(5, 40)))
        for index in range(plan.contacts):
            origin = plan.origin if plan.origin in {"fr", "en"} else "fr"
            services.support_contact_add(
                actor=actor,
                participant=participant,
                name=self.fake[origin].name(),
                relationship=rng.choice(RELATIONSHIPS),
                phone=f"{rng.choice(['514', '450', '438'])} 555-01{rng.randint(0, 99):02d}",
                is_emergency_contact=index == 0 and rng.random() < 0.7,
                is_natural_support=rng.random() < 0.85,
                notes=rng.choice(CONTACT_NOTES),
            )
            self.stamp(self.at(self.day_between(created_day, created_day + datetime.timedelta(days=60))))
        for _index in range(plan.household):
            relationship = rng.choice(["partner", "child", "child", "other_family"])
            years = rng.randint(2, 17) if relationship == "child" else rng.randint(20, 60)
            services.household_member_add(
                actor=actor,
                participant=participant,
                first_name=self._given_name(plan.origin, rng.random() < 0.5),
                relationship=relationship,
                date_of_birth=self.today - relativedelta(years=years, days=rng.randint(0, 360)),
            )
            self.stamp(created_at + datetime.timedelta(minutes=rng.randint(10, 50)))
        if plan.service_agreement:
            self.upload(
                participant,
                actor,
                "service_agreement",
                created_day,
                created_day + relativedelta(months=12),
            )
        windows = []
        for cp in plan.consents:
            windows.append(self.record_consent(participant, actor, colleagues, cp))
        Participant.objects.filter(pk=participant.pk).update(
            created_at=created_at, updated_at=max(last, created_at)
        )
        participant.created_at = created_at
        return participant, [w for w in windows if w is not None]

    def record_consent(self, participant, actor, colleagues, cp: ConsentPlan) -> Window | None:
        rng = self.rng
        verbal = rng.random() < 0.35
        witness = rng.choice(colleagues) if verbal else None
        consent = services.consent_record(
            actor=actor,
            participant=participant,
            organisations=[self.orgs[o] for o in cp.orgs],
            categories=list(cp.categories),
            purpose=cp.purpose,
            starts_on=cp.starts_on,
            expires_on=cp.expires_on,
            method=Consent.Method.VERBAL if verbal else Consent.Method.WRITTEN,
            witness_name=f"{witness.first_name} {witness.last_name}" if witness else "",
        )
        recorded_day = min(cp.starts_on, self.today)
        if cp.starts_on > self.today:
            recorded_day = self.today - datetime.timedelta(days=rng.randint(0, 2))
        recorded_at = self.at(recorded_day)
        self.stamp(recorded_at)
        Consent.objects.filter(pk=consent.pk).update(recorded_at=recorded_at)
        if cp.with_document and not verbal and cp.starts_on <= self.today:
            self.upload(participant, actor, "release", cp.starts_on, consent.expires_on, consent=consent)
        end = min(consent.expires_on, self.today)
        if cp.revoke_on:
            consent = services.consent_revoke(actor=actor, consent=consent, reason=cp.reason)
            revoked_at = self.at(cp.revoke_on)
            self.stamp(revoked_at)
            Consent.objects.filter(pk=consent.pk).update(revoked_at=revoked_at)
            end = min(end, cp.revoke_on)
        if cp.starts_on > self.today or end < cp.starts_on:
            return None
        return Window(
            orgs=frozenset(cp.orgs), categories=frozenset(cp.categories), start=cp.starts_on, end=end
        )

    def upload(self, participant, actor, kind: str, signed_on, resign_on, consent=None) -> Document:
        titles = {
            "release": ("Autorisation de communiquer des renseignements", "autorisation-communication.pdf"),
            "service_agreement": ("Entente de service Logement d'abord", "entente-de-service.pdf"),
        }
        title, filename = titles[kind]
        if kind not in self.pdf_cache:
            self.pdf_cache[kind] = tiny_pdf(f"{title} - document signe (demo Ancrage)")
        upload = SimpleUploadedFile(filename, self.pdf_cache[kind], content_type="application/pdf")
        document = services.document_upload(
            actor=actor,
            participant=participant,
            kind=kind,
            upload=upload,
            signed_on=signed_on,
            resign_on=resign_on,
            consent=consent,
        )
        uploaded_at = self.at(signed_on)
        self.stamp(uploaded_at)
        Document.objects.filter(pk=document.pk).update(uploaded_at=uploaded_at)
        return document

    # -- reads, for "who saw my file"

    def record_reads(self, participant: Participant, plan: PersonPlan, actor: User, windows: list[Window]):
        rng = self.rng
        created_day = self.today - datetime.timedelta(days=plan.created_ago)
        everything = frozenset(Category.values)
        readers: list[tuple[User, datetime.date, datetime.date, frozenset[str]]] = []
        visits = 2 + min(10, plan.created_ago // 45) + rng.randint(0, 3)
        readers += [(actor, created_day, self.today, everything)] * visits
        home_staff = [u for u in self.staff_by_org[plan.org] if u != actor and u.username != "coordination"]
        for user in rng.sample(home_staff, k=min(len(home_staff), rng.randint(0, 3))):
            readers.append((user, created_day, self.today, everything))
        if plan.org == "MHS" and rng.random() < 0.3:
            readers.append((self.users["coordination"], created_day, self.today, everything))
        by_org = {
            "SLC": ["logement1", "logement2", "loyer", "donnees"],
            "ACM": ["acces"],
            "CSR": ["partenaire.sante"],
            "TRE": ["partenaire.emploi"],
        }
        for window in windows:
            for org in sorted(window.orgs):
                for username in by_org.get(org, []):
                    if username in {"loyer", "donnees"} and rng.random() < 0.6:
                        continue
                    for _ in range(rng.randint(1, 3)):
                        readers.append((self.users[username], window.start, window.end, window.categories))
        entries = []
        for user, start, end, consented in readers:
            # What the reader's roles allow, narrowed by the consent they read through.
            allowed = set().union(*user.categories_by_organisation().values())
            categories = sorted(allowed & consented)
            entry = audit.record_read(actor=user, participant=participant, data={"categories": categories})
            entry.at = self.at(self.day_between(start, end))
            entries.append(entry)
        documents = list(participant.documents.all())
        if documents and rng.random() < 0.5:
            document = rng.choice(documents)
            entry = audit.record_read(
                actor=actor, participant=participant, what="people.document.viewed", obj=document
            )
            entry.at = self.at(self.day_between(document.signed_on, self.today))
            entries.append(entry)
        if rng.random() < 0.05:
            entry = audit.record_read(actor=actor, participant=participant, what="people.audit.viewed")
            entry.at = self.at(self.day_between(created_day, self.today))
            entries.append(entry)
        return entries

    # -- the whole

    def build(self) -> dict[str, Any]:
        if Consortium.objects.filter(name=CONSORTIUM["name"]).exists():
            raise ValueError("The demo consortium already exists in this database.")
        self._audit_mark = AuditEntry.objects.aggregate(m=Max("pk"))["m"] or 0
        self.build_structure()
        rng = self.rng

        people: list[PersonPlan] = []
        for index in range(250 - len(DUPLICATE_PAIRS)):
            org = MISSIONS[index % len(MISSIONS)] if index < 240 else rng.choice(MISSIONS)
            people.append(self.person(org, rng.randint(1, 730)))
        for index, (first, second, dob, gender, origin) in enumerate(DUPLICATE_PAIRS):
            for which, (given, family, preferred) in enumerate((first, second)):
                plan = self.person(MISSIONS[(index + which) % len(MISSIONS)], 0)
                plan.first, plan.last, plan.preferred = given, family, preferred
                plan.dob, plan.dob_quality, plan.gender = dob, "exact", gender
                plan.origin, plan.indigenous = origin, self._indigenous(origin)
                plan.language, plan.languages_spoken = self._languages(origin)
                if which:
                    plan.identifiers, plan.aliases = [], []
                # The second file was opened recently, elsewhere, by someone who did not find the first.
                plan.created_ago = rng.randint(200, 600) if which == 0 else rng.randint(15, 120)
                plan.is_duplicate_second = bool(which)
                plan.scenario = "duplicate"
                people.append(plan)
        self.plan_consents(people)
        for plan in people:
            if plan.scenario == "duplicate" and "ACM" not in plan.consents[-1].orgs:
                plan.consents[-1].orgs.append("ACM")

        # Files are opened in the order they were in real life, so ids follow time.
        people.sort(key=lambda p: -p.created_ago)
        caseload: dict[str, int] = {}
        created: list[tuple[Participant, PersonPlan, User, list[Window]]] = []
        for plan in people:
            managers = self.case_managers[plan.org]
            actor = managers[caseload.get(plan.org, 0) % len(managers)]
            caseload[plan.org] = caseload.get(plan.org, 0) + 1
            participant, windows = self.create_file(plan, actor)
            created.append((participant, plan, actor, windows))

        reads = []
        for participant, plan, actor, windows in created:
            reads += self.record_reads(participant, plan, actor, windows)
        AuditEntry.objects.bulk_update(reads, ["at"], batch_size=500)
        self.build_access(created)
        return self.summary()

    # -- coordinated access: living situations, the by-name list, referrals, assessments

    def build_access(self, created: list[tuple[Participant, PersonPlan, User, list[Window]]]) -> None:
        # The reads are already dated: the next stamp must not touch them.
        self._audit_mark = AuditEntry.objects.aggregate(m=Max("pk"))["m"] or self._audit_mark
        self.load_instruments()
        journeys, unlisted = [], []
        for participant, plan, actor, _windows in created:
            if plan.is_duplicate_second or self.rng.random() < 0.12:
                unlisted.append(participant)
                continue
            journeys.append(self.journey(participant, plan, actor))
        self.redate_access()
        self.record_referrals(journeys, unlisted)
        self.record_administrations(journeys)
        self.build_matching(journeys)
        # Intensive case management follows the matches and transfers: enrollments, contacts, plans, exits…
        self.casework = build_casework(self, journeys)

    def load_instruments(self) -> None:
        for path in sorted(SHIPPED_INSTRUMENTS.glob("*.yaml")):
            instrument_version_load(actor=None, text=path.read_text(encoding="utf-8"))
        self.versions = {
            v.instrument.key: v for v in InstrumentVersion.objects.select_related("instrument").order_by("pk")
        }
        self.stamp(self.now - datetime.timedelta(days=790))

    def _homeless_spell(
        self, participant, actor, start: datetime.date, end: datetime.date | None, recorded: datetime.date
    ) -> None:
        """Shelter and street nights from `start` to `end` (open when None), in stretches of a few months."""
        rng = self.rng
        unsheltered = rng.random() < 0.4
        limit = end if end is not None else self.today
        day = start
        while True:
            stop = day + datetime.timedelta(days=rng.randint(25, 200))
            final = stop >= limit
            kind = (
                LivingSituationPeriod.Kind.HOMELESS_UNSHELTERED
                if unsheltered
                else LivingSituationPeriod.Kind.HOMELESS_SHELTERED
            )
            period = access_services.living_situation_record(
                actor=actor, participant=participant, kind=kind, starts_on=day, ends_on=end if final else stop
            )
            self._period_recorded[period.pk] = max(recorded, day)
            self.stamp(self.at(max(recorded, day)))
            if final:
                return
            day = stop + datetime.timedelta(days=1)
            if rng.random() < 0.6:
                unsheltered = not unsheltered

    def _period(self, participant, actor, kind: str, start: datetime.date, end: datetime.date | None) -> None:
        period = access_services.living_situation_record(
            actor=actor, participant=participant, kind=kind, starts_on=start, ends_on=end
        )
        self._period_recorded[period.pk] = start
        self.stamp(self.at(start))

    def journey(self, participant: Participant, plan: PersonPlan, actor: User) -> Journey:
        """Homeless before the file was opened, then on the list: housed, lost touch, came back, and so on."""
        rng = self.rng
        today = self.today
        day = datetime.timedelta(days=1)
        entered = today - datetime.timedelta(days=plan.created_ago)
        # How long the person had been homeless before the file: many for years (chronic), some for weeks.
        before = int(
            self._weighted([(40, 15), (120, 20), (300, 25), (700, 25), (1400, 15)]) * rng.uniform(0.6, 1.3)
        )
        first_night = entered - datetime.timedelta(days=before)
        if rng.random() < 0.3 and before > 200:
            # An earlier stay in an institution (hospital, detention) broke the homeless years.
            cut = first_night + datetime.timedelta(days=rng.randint(30, before - 120))
            stay = rng.randint(20, 90)
            self._homeless_spell(participant, actor, first_night, cut - day, entered)
            self._period(
                participant,
                actor,
                LivingSituationPeriod.Kind.INSTITUTION,
                cut,
                cut + datetime.timedelta(days=stay),
            )
            first_night = cut + datetime.timedelta(days=stay + 1)
        # The timeline on the list, planned first; periods follow it.
        worker = self.users["acces"] if rng.random() < 0.3 else rng.choice(self.case_managers[plan.org])
        events: list[tuple[str, datetime.date]] = [("active", entered)]
        status, since = "active", entered
        while True:
            if status == "active":
                wait = int(rng.expovariate(1 / 210)) + 20
                outcome = self._weighted(
                    [
                        ("housed", 52),
                        ("inactive", 24),
                        ("institution", 10),
                        ("moved_away", 9),
                        ("deceased", 2),
                    ]
                )
            elif status == "housed":
                wait, outcome = rng.randint(90, 500), "active" if rng.random() < 0.14 else ""
            elif status in {"inactive", "institution"}:
                wait = rng.randint(30, 240)
                outcome = "active" if rng.random() < (0.45 if status == "inactive" else 0.6) else ""
            else:
                outcome = ""
            if not outcome:
                break
            when = since + datetime.timedelta(days=wait)
            if when >= today:
                break
            events.append((outcome, when))
            status, since = outcome, when
        # Living situations, one stretch per status.
        for index, (state, start) in enumerate(events):
            end = events[index + 1][1] - day if index + 1 < len(events) else None
            if state == "active":
                spell_start = first_night if index == 0 else start
                self._homeless_spell(participant, actor, spell_start, end, start)
            elif state == "housed":
                self._period(participant, actor, LivingSituationPeriod.Kind.HOUSED, start, end)
            elif state == "institution":
                self._period(participant, actor, LivingSituationPeriod.Kind.INSTITUTION, start, end)
        entry = access_services.by_name_entry_add(
            actor=worker if worker.username == "acces" else actor,
            participant=participant,
            reference_worker=worker,
            entered_on=entered,
        )
        self.stamp(self.at(entered))
        reasons = {
            "housed": HOUSED_REASONS,
            "inactive": INACTIVE_REASONS,
            "institution": INSTITUTION_REASONS,
            "moved_away": MOVED_REASONS,
            "deceased": ["Décès confirmé par la famille"],
            "active": RETURN_REASONS,
        }
        for state, start in events[1:]:
            by = worker if rng.random() < 0.7 else actor
            access_services.by_name_status_change(
                actor=by, entry=entry, status=state, reason=rng.choice(reasons[state]), on=start
            )
            self.stamp(self.at(start))
        return Journey(participant, plan, actor, worker, entry, events)

    def redate_access(self) -> None:
        """Rows the services stamped with the moment of seeding, dated when they happened instead."""
        changes = list(ByNameStatusChange.objects.order_by("pk"))
        for change in changes:
            change.recorded_at = self.at(change.on)
        ByNameStatusChange.objects.bulk_update(changes, ["recorded_at"], batch_size=500)
        periods = list(LivingSituationPeriod.objects.order_by("pk"))
        for period in periods:
            period.recorded_at = self.at(self._period_recorded.get(period.pk, period.starts_on))
        LivingSituationPeriod.objects.bulk_update(periods, ["recorded_at"], batch_size=500)
        entries = list(ByNameEntry.objects.order_by("pk"))
        limit = settings.ANCRAGE["INACTIVE_AFTER_DAYS"]
        for entry in entries:
            entry.created_at = self.at(entry.entered_on)
            entry.updated_at = self.at(entry.status_since)
            if entry.status == ByNameStatus.ACTIVE:
                # Most active people were seen lately; a few are slipping out of touch.
                gap = (
                    self.rng.randint(0, 40) if self.rng.random() < 0.88 else self.rng.randint(60, limit + 40)
                )
                entry.last_contact_on = max(entry.status_since, self.today - datetime.timedelta(days=gap))
            else:
                entry.last_contact_on = entry.status_since
        ByNameEntry.objects.bulk_update(
            entries, ["created_at", "updated_at", "last_contact_on"], batch_size=500
        )

    def record_referrals(self, journeys: list[Journey], unlisted: list[Participant]) -> None:
        rng = self.rng
        today = self.today
        acces = self.users["acces"]
        acm = self.orgs["ACM"]

        def consent_of(participant: Participant) -> Consent | None:
            return access_services.coordinated_access_consent(acces, participant)

        recent = [j for j in journeys if (today - j.entry.entered_on).days <= 400]
        recent.sort(key=lambda j: j.entry.entered_on)
        done = [j for j in recent if consent_of(j.participant) is not None][-20:]
        plans: list[tuple[str, Participant | None, Journey | None, datetime.datetime]] = []
        for journey in done:
            referred = journey.entry.entered_on - datetime.timedelta(days=rng.randint(1, 12))
            plans.append(("intake_done", journey.participant, journey, self.at(referred)))
        # Intakes under way: people with a file and a consent, not on the list yet.
        waiting = [p for p in unlisted if consent_of(p) is not None]
        rng.shuffle(waiting)
        for participant in waiting[:6]:
            referred = self.at(today - datetime.timedelta(days=rng.randint(1, 20)))
            plans.append(("intake_started", participant, None, referred))
        for _index in range(9):
            referred = self.at(today - datetime.timedelta(days=rng.randint(0, 25)))
            plans.append(("received", None, None, referred))
        for _index in range(6):
            referred = self.at(today - datetime.timedelta(days=rng.randint(10, 300)))
            plans.append(("withdrawn", None, None, referred))
        plans.sort(key=lambda p: p[3])
        for state, person, listed, referred_at in plans:
            source = self._weighted(
                [
                    ("outreach", 25),
                    ("shelter", 25),
                    ("hospital", 15),
                    ("prison", 8),
                    ("self", 12),
                    ("partner", 15),
                ]
            )
            if person is not None:
                name = person.display_name
            else:
                origin = self._weighted(ORIGINS)
                female = rng.random() < 0.35
                name = f"{self._given_name(origin, female)} {self._family_name(origin)}"
                if rng.random() < 0.2:
                    name = f"« {rng.choice(STREET_NAMES)} »"
            by = acces if rng.random() < 0.7 or listed is None else listed.actor
            referral = access_services.referral_create(
                actor=by,
                organisation=acm,
                person_name=name,
                person_description=rng.choice(DESCRIPTIONS) if person is None else "",
                source_kind=source,
                source_name=rng.choice(SOURCE_NAMES[source]),
                reason=rng.choice(REFERRAL_REASONS),
                referred_at=referred_at,
            )
            self.stamp(referred_at)
            updated = referred_at
            if state in {"intake_started", "intake_done"} and person is not None:
                intake = access_services.intake_start(actor=acces, referral=referral, participant=person)
                started = min(self.now, referred_at + datetime.timedelta(days=rng.randint(0, 3), hours=1))
                self.stamp(started)
                Intake.objects.filter(pk=intake.pk).update(started_at=started)
                updated = started
                if state == "intake_done" and listed is not None:
                    access_services.intake_complete(actor=acces, intake=intake)
                    finished = self.at(max(listed.entry.entered_on, started.date()))
                    finished = max(finished, started + datetime.timedelta(minutes=45))
                    finished = min(finished, self.now)
                    self.stamp(finished)
                    Intake.objects.filter(pk=intake.pk).update(done_at=finished)
                    updated = finished
            elif state == "withdrawn":
                access_services.referral_withdraw(
                    actor=acces, referral=referral, reason=rng.choice(WITHDRAW_REASONS)
                )
                updated = min(self.now, referred_at + datetime.timedelta(days=rng.randint(3, 30)))
                self.stamp(updated)
            Referral.objects.filter(pk=referral.pk).update(created_at=referred_at, updated_at=updated)

    def _acuity_answers(self, level: float) -> dict[str, Any]:
        rng = self.rng

        def yes(p: float) -> str:
            if rng.random() < 0.04:
                return "refused"
            return "yes" if rng.random() < p else "no"

        answers: dict[str, Any] = {
            "months_homeless": min(36, max(0, int(rng.gauss(4 + level * 26, 5)))),
            "episodes": rng.randint(0, 1 + int(level * 5)),
            "slept_last_night": self._weighted(
                [("outside", 1 + 6 * level), ("shelter", 5), ("couch", 3 - 2 * level), ("institution", 1)]
            ),
            "evicted": yes(0.3 + 0.5 * level),
            "chronic_condition": yes(0.2 + 0.6 * level),
            "mental_health": yes(0.25 + 0.65 * level),
            "medication_trouble": yes(0.2 + 0.6 * level),
            "emergency_visits": max(0, int(rng.gauss(level * 4, 1.5))),
            "use_frequency": self._weighted(
                [
                    ("never", 3 - 2.5 * level),
                    ("sometimes", 3),
                    ("weekly", 1 + 2 * level),
                    ("daily", 4 * level),
                ]
            ),
            "use_consequences": yes(0.2 + 0.6 * level),
            "overdose": yes(0.05 + 0.5 * level),
            "harm": yes(0.05 + 0.4 * level),
            "exploitation": yes(0.1 + 0.5 * level),
            "help_needed": [
                k for k in ("hygiene", "meals", "money", "appointments") if rng.random() < level * 0.7
            ]
            or ["none"],
            "regular_income": yes(0.9 - 0.6 * level),
            "someone_to_count_on": yes(0.8 - 0.6 * level),
            "loneliness": min(10, max(1, int(rng.gauss(3 + level * 6, 2)))),
        }
        justice = [k for k in ("police", "arrest", "detention") if rng.random() < 0.15 + 0.5 * level]
        answers["justice_contact"] = justice or ["none"]
        if rng.random() < 0.05:
            answers["months_homeless"] = "doesnt_know"
        return answers

    def _administer(
        self,
        key: str,
        journey: Journey,
        by: User,
        day: datetime.date,
        answers: dict[str, Any] | None,
        *,
        complete: bool = True,
        close: str = "",
    ) -> None:
        started = self.at(day)
        administration = assessment_services.administration_start(
            actor=by, participant=journey.participant, version=self.versions[key]
        )
        self.stamp(started)
        if answers:
            assessment_services.administration_save_answers(
                actor=by, administration=administration, answers=answers, complete=complete
            )
        finished = min(self.now, started + datetime.timedelta(minutes=self.rng.randint(15, 50)))
        self.stamp(finished)
        if close == "declined":
            assessment_services.administration_decline(
                actor=by,
                administration=administration,
                reason="La personne ne souhaite pas répondre aujourd'hui.",
            )
        elif close == "postponed":
            assessment_services.administration_postpone(
                actor=by,
                administration=administration,
                reason="Rencontre écourtée ; on reprendra la semaine prochaine.",
            )
        self.stamp(finished)
        Administration.objects.filter(pk=administration.pk).update(
            started_at=started,
            created_at=started,
            updated_at=finished,
            completed_at=finished if complete and answers else None,
        )

    def record_administrations(self, journeys: list[Journey]) -> None:
        rng = self.rng
        today = self.today
        acces = self.users["acces"]
        screened = sorted(rng.sample(journeys, k=min(120, len(journeys))), key=lambda j: j.entry.entered_on)
        # The latest screenings: a few under way, one declined, one set aside for later.
        latest = screened[-7:]
        in_progress = {id(j) for j in latest[2:]}
        declined = latest[0] if len(latest) == 7 else None
        postponed = latest[1] if len(latest) == 7 else None
        for journey in screened:
            day = min(today, journey.entry.entered_on + datetime.timedelta(days=rng.randint(0, 21)))
            by = acces if rng.random() < 0.55 else rng.choice(self.case_managers[journey.plan.org])
            level = min(1.0, max(0.0, rng.betavariate(2.2, 2.0)))
            answers = self._acuity_answers(level)
            if id(journey) in in_progress:
                partial = dict(list(answers.items())[: rng.randint(3, 9)])
                self._administer("acuity_screener", journey, by, day, partial, complete=False)
            elif journey is declined:
                self._administer("acuity_screener", journey, by, day, None, complete=False, close="declined")
            elif journey is postponed:
                partial = dict(list(answers.items())[:4])
                self._administer(
                    "acuity_screener", journey, by, day, partial, complete=False, close="postponed"
                )
            else:
                self._administer("acuity_screener", journey, by, day, answers)
        levels = ["none", "some", "serious"]
        housed = [j for j in journeys if any(state == "housed" for state, _day in j.events)]
        for journey in housed[: max(1, len(housed) * 2 // 3)]:
            moved_in = next(day for state, day in journey.events if state == "housed")
            manager = journey.actor
            first_visit = moved_in + datetime.timedelta(days=rng.randint(10, 40))
            if first_visit <= today and rng.random() < 0.6:
                concern = rng.uniform(0.1, 0.9)
                baseline: dict[str, Any] = {
                    key: self._weighted([(lvl, w) for lvl, w in zip(levels, (2 - concern, 1, concern), strict=True)])
                    for key in (
                        "mood_low", "mood_anxiety", "mood_sleep", "behaviour_agitation", "behaviour_withdrawal",
                        "behaviour_neighbours", "mh_perception", "su_impact", "df_hygiene", "df_meals",
                        "df_home_upkeep", "df_money",
                    )
                }  # fmt: skip
                baseline["mh_self_harm"] = "yes" if rng.random() < concern * 0.25 else "no"
                baseline["mh_follow_up"] = "yes" if rng.random() < 0.6 else "no"
                self._administer("baseline_functioning", journey, manager, first_visit, baseline)
            visit = moved_in + datetime.timedelta(days=rng.randint(20, 60))
            base = rng.uniform(2.5, 6)
            while visit <= today and rng.random() < 0.8:
                scale: dict[str, Any] = {
                    key: min(10, max(1, round(rng.gauss(base, 1.5))))
                    for key in (
                        "home", "money", "self_care", "physical_health", "wellbeing", "substance_use",
                        "relationships", "activities", "safety_rights", "hope",
                    )
                }  # fmt: skip
                scale["priority_domain"] = min(scale, key=lambda k: scale[k])
                self._administer("progress_scale", journey, manager, visit, scale)
                base = min(9, base + rng.uniform(-0.5, 1.5))
                visit += datetime.timedelta(days=rng.randint(80, 200))

    # -- coordinated access: eligibility, profiles, priority policies, housing units, openings and matches

    def build_matching(self, journeys: list[Journey]) -> None:
        # Ranks are recomputed once per step below rather than after each profile or triage saved.
        scheduled = access_services.schedule_ranks_recompute
        access_services.schedule_ranks_recompute = lambda: None  # type: ignore[assignment]
        try:
            self.set_eligibility()
            self.record_acuity(journeys)
            self.record_profiles(journeys)
            self.record_policies()
            units = self.record_units()
            self.record_matches(units)
            access_services.ranks_recompute()
            access_services.by_name_flag_stuck()
        finally:
            access_services.schedule_ranks_recompute = scheduled  # type: ignore[assignment]

    def set_eligibility(self) -> None:
        adults = {"criterion": "age", "rule": "must", "min": 18}
        rules = {
            ("MHS", Program.Kind.ICM): [adults],
            ("RDP", Program.Kind.ICM): [adults, {"criterion": "flag", "rule": "must_not", "values": ["pregnancy"]}],
            ("MVE", Program.Kind.ICM): [
                adults,
                {"criterion": "household_type", "rule": "must", "values": ["single", "couple"]},
            ],
            # The Ahuntsic team follows women only (a program for women leaving violence and the street).
            ("CAA", Program.Kind.ICM): [adults, {"criterion": "gender", "rule": "must", "values": ["woman"]}],
            ("RDP", Program.Kind.ACT): [
                adults,
                {"criterion": "acuity_band", "rule": "must", "values": ["act", "housing_first_icm"]},
            ],
        }  # fmt: skip
        for (org, kind), requirements in rules.items():
            Program.objects.filter(organisation=self.orgs[org], kind=kind).update(eligibility=requirements)

    def record_acuity(self, journeys: list[Journey]) -> None:
        people = [j.participant.pk for j in journeys]
        latest: dict[int, Administration] = {}
        for administration in Administration.objects.filter(
            participant_id__in=people,
            version__instrument__key="acuity_screener",
            completed_at__isnull=False,
        ).order_by("completed_at", "pk"):
            latest[administration.participant_id] = administration
        for participant_id in sorted(latest):
            access_services.by_name_acuity_record(administration=latest[participant_id])

    def record_profiles(self, journeys: list[Journey]) -> None:
        rng = self.rng
        for journey in journeys:
            entry = journey.entry
            household = self._weighted([("single", 84), ("couple", 10), ("family", 6)])
            income = [
                self._weighted(
                    [
                        ("social_assistance", 55),
                        ("social_solidarity", 25),
                        ("pension", 6),
                        ("employment", 5),
                        ("employment_insurance", 3),
                        ("none", 6),
                    ]
                )
            ]
            if income[0] == "employment" and rng.random() < 0.5:
                income.append("social_assistance")
            needs: list[str] = []
            if rng.random() < 0.12:
                needs = rng.sample(
                    ["step_free", "elevator", "ground_floor", "wheelchair", "grab_bars"], k=rng.randint(1, 2)
                )
            if rng.random() < 0.08:
                needs.append("pets_allowed")
            flags = [flag for flag, share in PROFILE_FLAGS if rng.random() < share]
            if journey.participant.gender != "woman":
                flags = [f for f in flags if f != "pregnancy"]
            areas = rng.sample(NEIGHBOURHOODS, k=rng.randint(1, 3)) if rng.random() < 0.7 else []
            kinds = ["scattered_site"] if rng.random() < 0.45 else []
            if kinds and rng.random() < 0.4:
                kinds.append("social_housing")
            access_services.by_name_profile_update(
                actor=journey.worker,
                entry=entry,
                household_type=household,
                income_sources=income,
                accessibility_needs=needs,
                flags=flags,
                preferred_neighbourhoods=areas,
                preferred_unit_kinds=kinds,
            )
            self.stamp(
                self.at(
                    self.day_between(
                        entry.entered_on, min(self.today, entry.entered_on + datetime.timedelta(days=30))
                    )
                )
            )

    def record_policies(self) -> None:
        acces, coordination = self.users["acces"], self.users["coordination"]
        written: list[tuple[PriorityPolicy, datetime.date]] = []
        for version, (text, written_ago, activated_ago, reason) in enumerate(POLICIES, start=1):
            written_on = self.today - datetime.timedelta(days=written_ago)
            policy = access_services.policy_draft_create(actor=acces, text=text)
            self.stamp(self.at(written_on))
            PriorityPolicy.objects.filter(pk=policy.pk).update(created_at=self.at(written_on))
            if activated_ago is not None:
                activated_on = self.today - datetime.timedelta(days=activated_ago)
                access_services.policy_activate(actor=coordination, policy=policy, reason=reason)
                moment = self.at(activated_on)
                self.stamp(moment)
                PriorityPolicy.objects.filter(pk=policy.pk).update(activated_at=moment)
                PriorityPolicy.objects.filter(version=version - 1).update(retired_at=moment)
            written.append((policy, written_on))

    def record_units(self) -> list[Unit]:
        """The housing units the consortium's housing service holds; each is opened for matching later."""
        rng = self.rng
        specialists = [self.users["logement1"], self.users["logement2"]]
        units = []
        for n in range(40):
            area = NEIGHBOURHOODS[n % len(NEIGHBOURHOODS)]
            kind = self._weighted(
                [("scattered_site", 60), ("social_housing", 20), ("rooming_house", 12), ("congregate", 8)]
            )
            bedrooms = 0 if kind == "rooming_house" else (2 if rng.random() < 0.12 else 1)
            features = sorted(
                {f for f, share in UNIT_FEATURES if rng.random() < share}
                | ({"elevator", "step_free"} if kind == "social_housing" and rng.random() < 0.6 else set())
            )
            requirements: list[dict[str, Any]] = []
            if kind == "rooming_house":
                requirements.append({"criterion": "household_type", "rule": "must", "values": ["single"]})
            if bedrooms == 0 and rng.random() < 0.3:
                requirements.append({"criterion": "age", "rule": "must", "min": 25})
            added_on = self.today - datetime.timedelta(days=rng.randint(60, 740))
            moment = self.at(added_on)
            number = rng.randint(1000, 9999)
            street = rng.choice(UNIT_STREETS[area])
            unit = housing_services.unit_create(
                actor=rng.choice(specialists),
                organisation=self.orgs["SLC"],
                address=f"{number}, {street}, app. {rng.randint(1, 12)}",
                neighbourhood=area,
                kind=kind,
                bedrooms=max(bedrooms, 1),
                monthly_rent=Decimal(
                    min(1100, 650 + 25 * rng.randint(0, 16) + (100 if bedrooms == 2 else 0))
                ),
                features=features,
                requirements=requirements,
                available_from=added_on,
                open_for_matching=False,
            )
            self.stamp(moment)
            Unit.objects.filter(pk=unit.pk).update(created_at=moment, updated_at=moment)
            units.append(unit)
        units.sort(key=lambda u: u.available_from)
        return units

    def record_matches(self, units: list[Unit]) -> None:
        rng = self.rng
        acces = self.users["acces"]
        specialists = [self.users["logement1"], self.users["logement2"]]
        programs = list(
            Program.objects.filter(
                kind__in=Program.HOUSING_FIRST_KINDS, organisation__short_name__in=MISSIONS
            )
            .select_related("organisation")
            .order_by("pk")
        )
        leads = {
            org: next(u for u in self.staff_by_org[org] if u.username.startswith("chef.")) for org in MISSIONS
        }
        rounds = 12
        first_day = self.today - datetime.timedelta(days=700)
        pending_units = list(units)
        for r in range(rounds):
            last = r == rounds - 1
            day = first_day + datetime.timedelta(days=r * 700 // (rounds - 1))
            if last:
                day = self.today - datetime.timedelta(days=18)
            openings: list[Opening] = []
            for _n in range(rng.randint(2, 3) if not last else 5):
                if not pending_units or (pending_units[0].available_from > day and not last):
                    break
                unit = pending_units.pop(0)
                program = rng.choice(programs) if rng.random() < 0.35 else None
                openings += access_services.openings_create(
                    actor=rng.choice(specialists),
                    unit=unit,
                    program=program,
                    opened_on=day,
                    note="Logement offert par le service logement du consortium",
                )
            program = rng.choice(programs)
            openings += access_services.openings_create(
                actor=leads[program.organisation.short_name],
                program=program,
                count=rng.randint(1, 2),
                opened_on=day,
                note="Places libérées dans l'équipe",
            )
            self.stamp(self.at(day))
            Opening.objects.filter(pk__in=[o.pk for o in openings]).update(created_at=self.at(day))
            mark = Match.objects.aggregate(m=Max("pk"))["m"] or 0
            for _attempt in range(2):
                created = access_services.matching_run(actor=acces, on=self.today)
                self.stamp(self.at(day))
                for index, match in enumerate(created):
                    self.follow_match(
                        match, day, IN_PROGRESS_TARGETS[index % 4] if last else "", leads, specialists
                    )
                if not created:
                    break
            # The round's matches, dated in that round.
            for match in Match.objects.filter(pk__gt=mark).order_by("pk"):
                steps = list(match.steps.order_by("pk"))
                moment = self.at(day)
                for step in steps:
                    step.at = min(moment, self.now)
                    moment = moment + datetime.timedelta(days=rng.randint(1, 6), hours=rng.randint(0, 5))
                MatchStep.objects.bulk_update(steps, ["at"])
                fields: dict[str, Any] = {
                    "proposed_at": steps[0].at,
                    "created_at": steps[0].at,
                    "last_step_at": steps[-1].at,
                }
                if match.status == MatchStatus.TRANSFERRED:
                    fields["transferred_at"] = steps[-1].at
                    Opening.objects.filter(pk=match.opening_id).update(closed_at=steps[-1].at)
                Match.objects.filter(pk=match.pk).update(**fields)
        # Recent matches: most moved on in the last days, a few stalled for more than five days.
        for match in Match.objects.filter(status__in=MATCH_IN_PROGRESS).order_by("pk"):
            stalled = rng.random() < 0.4
            ago = datetime.timedelta(
                days=rng.randint(6, 14) if stalled else rng.randint(0, 3), hours=rng.randint(1, 8)
            )
            moment = self.now - ago
            latest = match.steps.order_by("pk").last()
            assert latest is not None  # every match has its proposal step
            MatchStep.objects.filter(pk=latest.pk).update(at=moment)
            Match.objects.filter(pk=match.pk).update(
                last_step_at=moment,
                proposed_at=min(match.proposed_at, moment),
                created_at=min(match.proposed_at, moment),
            )

    def follow_match(self, match: Match, day: datetime.date, target: str, leads, specialists) -> None:
        """Take a new match through the steps to `target`, or to an outcome drawn at random."""
        rng = self.rng
        entry = match.entry
        worker = entry.reference_worker or self.users["acces"]
        opening = match.opening
        if not target:
            target = self._weighted(
                [("transferred", 55), ("person_declined", 18), ("provider_declined", 12), ("withdrawn", 15)]
            )
        program = opening.program
        provider = (
            rng.choice(specialists)
            if opening.unit_id or program is None
            else leads[program.organisation.short_name]
        )
        paths = {
            "proposed": [],
            "contacted": [("contacted", worker, "")],
            "person_accepted": [("contacted", worker, ""), ("person_accepted", worker, "")],
            "provider_accepted": [
                ("contacted", worker, ""),
                ("person_accepted", worker, ""),
                ("provider_accepted", provider, ""),
            ],
            "transferred": [
                ("contacted", worker, ""),
                ("person_accepted", worker, ""),
                ("provider_accepted", provider, ""),
                ("transferred", provider, ""),
            ],
            "person_declined": [("contacted", worker, "")] if rng.random() < 0.7 else [],
            "provider_declined": [("contacted", worker, ""), ("person_accepted", worker, "")],
            "withdrawn": [("contacted", worker, "")] if rng.random() < 0.5 else [],
        }
        steps = paths[target]
        if target in {"person_declined", "provider_declined", "withdrawn"}:
            steps = [
                *steps,
                (
                    target,
                    worker if target != "provider_declined" else provider,
                    rng.choice(MATCH_REASONS[target]),
                ),
            ]
        status: str = MatchStatus.PROPOSED
        for to_status, by, reason in steps:
            if to_status == "transferred":
                self.consent_for_transfer(match, day)
            match = access_services.match_step(
                actor=by, match=match, to_status=to_status, expected_status=status, reason=reason
            )
            status = to_status
        self.stamp(self.at(day))
        if target == "transferred" and opening.unit_id:
            change = ByNameStatusChange.objects.filter(entry=entry).order_by("-pk").first()
            if change is not None and change.to_status == ByNameStatus.HOUSED and change.on == self.today:
                previous = (
                    ByNameStatusChange.objects.filter(entry=entry)
                    .exclude(pk=change.pk)
                    .order_by("-on", "-pk")
                    .first()
                )
                since = previous.on if previous else entry.entered_on
                housed_on = min(
                    self.today,
                    max(
                        day + datetime.timedelta(days=rng.randint(7, 20)), since + datetime.timedelta(days=1)
                    ),
                )
                ByNameStatusChange.objects.filter(pk=change.pk).update(
                    on=housed_on, recorded_at=self.at(housed_on)
                )
                ByNameEntry.objects.filter(pk=entry.pk).update(
                    status_since=housed_on, last_contact_on=housed_on
                )

    def consent_for_transfer(self, match: Match, day: datetime.date) -> None:
        """The assisted transfer shares identity and coordinated access: the person consents to it first."""
        if not access_services.transfer_consent_gaps(match):
            return
        opening = match.opening
        # The program's organisation and the unit's holder both receive the triage data.
        receiving = sorted(
            {holder.organisation for holder in (opening.program, opening.unit) if holder is not None},
            key=lambda o: o.pk,
        )
        participant = match.participant
        home = self.case_managers[participant.organisation.short_name]
        services.consent_record(
            actor=match.entry.reference_worker if match.entry.reference_worker in home else home[0],
            participant=participant,
            organisations=receiving,
            categories=[Category.IDENTITY, Category.COORDINATED_ACCESS, Category.HOUSING],
            purpose=PURPOSE_TRANSFER,
            starts_on=max(self.today - datetime.timedelta(days=300), day),
            method=Consent.Method.WRITTEN,
        )

    def summary(self) -> dict[str, Any]:
        consortium = Consortium.objects.get(name=CONSORTIUM["name"])
        participants = Participant.objects.filter(organisation__consortium=consortium)
        statuses: dict[str, int] = {}
        for consent in Consent.objects.filter(participant__in=participants):
            statuses[consent.status()] = statuses.get(consent.status(), 0) + 1
        entries = AuditEntry.objects.filter(participant__in=participants)
        return {
            "organisations": Organisation.objects.filter(consortium=consortium).count(),
            "programs": Program.objects.filter(organisation__consortium=consortium).count(),
            "teams": Team.objects.filter(organisation__consortium=consortium).count(),
            "accounts": len(self.users),
            "participants": participants.count(),
            "probable duplicates": len(DUPLICATE_PAIRS),
            "aliases": Alias.objects.filter(participant__in=participants).count(),
            "identifiers": Identifier.objects.filter(participant__in=participants).count(),
            "consents": statuses,
            "documents": Document.objects.filter(participant__in=participants).count(),
            "audit entries (changes)": entries.filter(is_read=False).count(),
            "audit entries (reads)": entries.filter(is_read=True).count(),
            "living situations": LivingSituationPeriod.objects.filter(participant__in=participants).count(),
            "by-name list": dict(
                ByNameEntry.objects.filter(participant__in=participants)
                .values_list("status")
                .annotate(n=Count("pk"))
                .values_list("status", "n")
            ),
            "chronically homeless": ByNameEntry.objects.filter(
                participant__in=participants, is_chronic=True
            ).count(),
            "status changes": ByNameStatusChange.objects.filter(entry__participant__in=participants).count(),
            "referrals": dict(
                Referral.objects.filter(organisation__consortium=consortium)
                .values_list("status")
                .annotate(n=Count("pk"))
                .values_list("status", "n")
            ),
            "priority policies": dict(
                PriorityPolicy.objects.values_list("status")
                .annotate(n=Count("pk"))
                .values_list("status", "n")
            ),
            "ranked": ByNameEntry.objects.filter(priority_rank__isnull=False).count(),
            "housing units": Unit.objects.filter(organisation__consortium=consortium).count(),
            "openings": dict(
                Opening.objects.values_list("status").annotate(n=Count("pk")).values_list("status", "n")
            ),
            "matches": dict(
                Match.objects.values_list("status").annotate(n=Count("pk")).values_list("status", "n")
            ),
            "case conferencing": ByNameEntry.objects.filter(needs_conference=True).count(),
            "assessments": {
                f"{key} {status}": n
                for key, status, n in Administration.objects.filter(participant__in=participants)
                .values_list("version__instrument__key", "status")
                .annotate(n=Count("pk"))
                .order_by("version__instrument__key", "status")
            },
            **self.casework,
        }


def build_demo(seed: int = 2026) -> dict[str, Any]:
    """The whole demo consortium, in one transaction. It sends no email (police called, visits not ended, some
    sent when the transaction commits): the alerts in the app are enough."""
    with (
        override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"),
        transaction.atomic(),
    ):
        return DemoBuilder(seed).build()


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
        today = clock.today()
        Unit.objects.bulk_create(
            [
                Unit(
                    organisation=shared,
                    address=f"{rng.randint(100, 9999)}, rue d'essai {n}",
                    neighbourhood=NEIGHBOURHOODS[n % len(NEIGHBOURHOODS)],
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


def scale_by_name_entries(
    rows: list[Participant], rng: random.Random, structure: ScaleStructure
) -> list[ByNameEntry]:
    """One active by-name entry per participant, with a varied triage, homelessness, flags and profile."""
    today = clock.today()
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
                preferred_neighbourhoods=rng.sample(NEIGHBOURHOODS, k=2) if rng.random() < 0.5 else [],
                acuity_score=acuity,
                acuity_max=25 if acuity is not None else None,
                acuity_band=band if acuity is not None else "",
                acuity_on=entered if acuity is not None else None,
            )
        )
    return entries
