"""Names, places and phrases the demo draws from: people, consents, the list, matching, casework staff."""

from __future__ import annotations

import datetime
import unicodedata

from ancrage.organisations.models import Program

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


NEIGHBOURHOODS = [
    "Hochelaga-Maisonneuve", "Plateau-Mont-Royal", "Verdun", "Ahuntsic", "Rosemont", "Villeray",
    "Centre-Sud", "Pointe-Saint-Charles", "Côte-des-Neiges", "Mercier-Est",
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
    "Mercier-Est": ["rue Hochelaga", "rue Sherbrooke Est", "avenue Souligny"],
}
# Why the housing team holds a unit out of matching for a while (a few demo units are on hold today).
HOLD_REASONS = [
    "Travaux de peinture et de plancher jusqu'à la fin du mois",
    "Le propriétaire attend l'inspection des détecteurs de fumée",
    "Dégât d'eau : réparation de la salle de bain en cours",
]
# What a worker notes when reaching a person proposed for a place.
CONTACT_NOTES = [
    "Jointe au refuge, elle veut visiter cette semaine",
    "Joint par téléphone chez sa sœur; rappel prévu jeudi",
    "Vu au centre de jour; intéressé, veut en parler à son intervenante",
    "Message laissé à l'accueil du refuge, rappel reçu le lendemain",
]
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


DAY = datetime.timedelta(days=1)
# The demo's own team lead, peer support worker and on-call worker for each mission (README lists them).
LEADS = {"MHS": "chef.hochelaga", "RDP": "chef.plateau", "MVE": "chef.verdun", "CAA": "chef.ahuntsic"}
PEERS = {"MHS": "pair.hochelaga"}
# Who is on call this week (shifts rotate weekly, Monday 8:30 to Monday 8:30).
ON_CALL_NOW = {"MHS": "gc.hochelaga2", "RDP": "gc.plateau1", "MVE": "gc.verdun2", "CAA": "gc.ahuntsic3"}
# The case manager whose screens the README points to: a full caseload with every flag.
SHOWCASE = "gc.hochelaga1"
