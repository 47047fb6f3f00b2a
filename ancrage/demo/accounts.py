"""The demo consortium's organisations and accounts: one list used by seed_demo, the login page and the README."""

from ancrage.core.permissions import Role

CONSORTIUM = {"name": "Consortium Logement d'abord Montréal (fictif)", "short_name": "CLAM"}

# short_name, name, kind
ORGANISATIONS = [
    ("MHS", "Mission Hochelaga Solidarité", "mission"),
    ("RDP", "Refuge du Plateau", "mission"),
    ("MVE", "Maison Verdun Entraide", "mission"),
    ("CAA", "Centre Ahuntsic Accueil", "mission"),
    ("SLC", "Service logement du consortium", "shared_service"),
    ("ACM", "Accès coordonné Montréal", "coordinated_access"),
    ("CSR", "Centre de santé Les Rives — équipe itinérance", "partner"),
    ("TRE", "Tremplin Emploi", "partner"),
]

MISSIONS = ["MHS", "RDP", "MVE", "CAA"]

# username, first name, last name, role, organisation short name
ACCOUNTS: list[tuple[str, str, str, str, str]] = [
    ("admin", "Alain", "Administrateur", Role.ADMINISTRATOR, "SLC"),
    ("coordination", "Marie-Claude", "Bélanger", Role.PROGRAM_MANAGER, "MHS"),
    ("donnees", "Karim", "Benali", Role.DATA_COORDINATOR, "SLC"),
    ("chef.hochelaga", "Isabelle", "Gagnon", Role.TEAM_LEAD, "MHS"),
    ("chef.plateau", "Mathieu", "Roy", Role.TEAM_LEAD, "RDP"),
    ("chef.verdun", "Nadia", "Pierre-Louis", Role.TEAM_LEAD, "MVE"),
    ("chef.ahuntsic", "François", "Côté", Role.TEAM_LEAD, "CAA"),
    ("gc.hochelaga1", "Julie", "Tremblay", Role.CASE_MANAGER, "MHS"),
    ("gc.hochelaga2", "Samuel", "Lavoie", Role.CASE_MANAGER, "MHS"),
    ("gc.hochelaga3", "Émilie", "Fortin", Role.CASE_MANAGER, "MHS"),
    ("gc.hochelaga4", "Olivier", "Gauthier", Role.CASE_MANAGER, "MHS"),
    ("gc.plateau1", "Catherine", "Morin", Role.CASE_MANAGER, "RDP"),
    ("gc.plateau2", "Jean-Philippe", "Bouchard", Role.CASE_MANAGER, "RDP"),
    ("gc.plateau3", "Sophie", "Ouellet", Role.CASE_MANAGER, "RDP"),
    ("gc.plateau4", "Wassim", "Haddad", Role.CASE_MANAGER, "RDP"),
    ("gc.verdun1", "Geneviève", "Pelletier", Role.CASE_MANAGER, "MVE"),
    ("gc.verdun2", "Maxime", "Lévesque", Role.CASE_MANAGER, "MVE"),
    ("gc.verdun3", "Annie", "Bergeron", Role.CASE_MANAGER, "MVE"),
    ("gc.verdun4", "Daniel", "Nguyen", Role.CASE_MANAGER, "MVE"),
    ("gc.ahuntsic1", "Valérie", "Girard", Role.CASE_MANAGER, "CAA"),
    ("gc.ahuntsic2", "Patrick", "Caron", Role.CASE_MANAGER, "CAA"),
    ("gc.ahuntsic3", "Mélanie", "Dubé", Role.CASE_MANAGER, "CAA"),
    ("gc.ahuntsic4", "Stéphane", "Poirier", Role.CASE_MANAGER, "CAA"),
    ("pair.hochelaga", "Robert", "Ménard", Role.PEER_SUPPORT, "MHS"),
    ("adjoint.plateau", "Linda", "Saint-Pierre", Role.PROGRAM_ASSISTANT, "RDP"),
    ("logement1", "Hélène", "Lefebvre", Role.HOUSING_SPECIALIST, "SLC"),
    ("logement2", "Marc-André", "Paquette", Role.HOUSING_SPECIALIST, "SLC"),
    ("loyer", "Chantal", "Vachon", Role.RENT_CLERK, "SLC"),
    ("acces", "Fatou", "Diallo", Role.COORDINATED_ACCESS, "ACM"),
    ("partenaire.sante", "Louise", "Brassard", Role.PARTNER, "CSR"),
    ("partenaire.emploi", "Hugo", "Desjardins", Role.PARTNER, "TRE"),
]

DEMO_ACCOUNTS = [
    {"username": u, "name": f"{f} {last}", "role": Role(r).label, "organisation": org}
    for (u, f, last, r, org) in ACCOUNTS
]
