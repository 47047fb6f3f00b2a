"""Words of the demo's case management: goals in participants' own words, steps, contact notes, services of the
directory, incidents, calls. Demo content is data, not interface text: it is not translated. Mostly French, with
English for the participants who speak English."""

from __future__ import annotations

# --- the directory: about forty fictional Montréal services --------------------------------------------------
# (name, English name, kind, address, phone, description)
PROVIDERS: list[tuple[str, str, str, str, str, str]] = [
    # employment and education
    ("Carrefour Emploi Centre-Sud", "Centre-Sud Employment Hub", "employment",
     "1710, rue Amherst, Montréal", "514 555-0301", "Recherche d'emploi, CV, stages rémunérés pour personnes éloignées du marché du travail."),
    ("Atelier Boulot Hochelaga", "Hochelaga Work Workshop", "employment",
     "3560, rue Ontario Est, Montréal", "514 555-0302", "Plateau de travail payé à la journée (menuiserie, entretien), sans engagement."),
    ("Entreprise d'insertion Le Coup de pouce", "Coup de pouce social enterprise", "employment",
     "5200, rue Wellington, Verdun", "514 555-0303", "Parcours d'insertion de 26 semaines en cuisine et en entretien ménager."),
    ("Travail à la journée Ahuntsic", "Ahuntsic day labour", "employment",
     "10 450, rue Lajeunesse, Montréal", "514 555-0304", "Petits contrats payés le jour même."),
    ("Centre d'éducation des adultes Gédéon", "Gédéon adult education centre", "education",
     "2245, rue Moreau, Montréal", "514 555-0311", "Secondaire 5, francisation, horaire souple."),
    ("Alphabétisation Le Mot juste", "Le Mot juste literacy", "education",
     "4270, rue de Mentana, Montréal", "514 555-0312", "Ateliers de lecture et d'écriture en petits groupes."),
    # health
    ("Clinique médicale Sainte-Marie", "Sainte-Marie medical clinic", "health",
     "2390, rue Sainte-Catherine Est, Montréal", "514 555-0321", "Médecins de famille qui acceptent des patients sans rendez-vous le matin."),
    ("CLSC des Faubourgs — équipe de proximité", "Faubourgs CLSC outreach team", "health",
     "1705, rue de la Visitation, Montréal", "514 555-0322", "Infirmières de proximité, vaccination, soins de plaies."),
    ("Clinique dentaire solidaire Rosemont", "Rosemont community dental clinic", "health",
     "3000, rue Beaubien Est, Montréal", "514 555-0323", "Soins dentaires à faible coût, urgences le mardi."),
    ("Centre de santé Les Rives — équipe itinérance", "Les Rives health centre — homelessness team", "health",
     "3000, rue Notre-Dame Est, Montréal", "514 555-0118", "Suivi conjoint santé physique et mentale (organisation partenaire)."),
    # mental health
    ("Centre de crise Le Phare", "Le Phare crisis centre", "mental_health",
     "4650, rue Saint-Hubert, Montréal", "514 555-0331", "Intervention de crise 24/7, hébergement de crise de courte durée."),
    ("Clinique de psychiatrie communautaire Rosemont", "Rosemont community psychiatry", "mental_health",
     "5415, boulevard de l'Assomption, Montréal", "514 555-0332", "Évaluation psychiatrique et suivi, délai d'attente de 4 à 8 semaines."),
    ("Groupe d'entraide Entre-Nous", "Entre-Nous peer support group", "mental_health",
     "6260, rue Saint-Denis, Montréal", "514 555-0333", "Groupes d'entraide par et pour les personnes qui vivent avec un trouble de santé mentale."),
    ("Ligne d'écoute Nuit blanche", "Nuit blanche listening line", "mental_health",
     "", "514 555-0334", "Écoute téléphonique la nuit, de 20 h à 8 h."),
    # substance use and harm reduction
    ("Site de consommation supervisée L'Escale", "L'Escale supervised consumption site", "substance_use",
     "1300, rue Sanguinet, Montréal", "514 555-0341", "Consommation supervisée, matériel stérile, naloxone."),
    ("Clinique de traitement par agonistes opioïdes Berri", "Berri opioid agonist treatment clinic", "substance_use",
     "1550, rue Berri, Montréal", "514 555-0342", "Méthadone et buprénorphine, accès rapide."),
    ("Centre de réadaptation en dépendance Les Érables", "Les Érables addiction rehabilitation centre", "substance_use",
     "8500, boulevard Saint-Michel, Montréal", "514 555-0343", "Thérapie interne et externe, désintoxication."),
    ("Travail de rue Action-Réduction", "Action-Réduction street outreach", "substance_use",
     "2000, rue Frontenac, Montréal", "514 555-0344", "Travailleurs de rue, réduction des méfaits, distribution de naloxone."),
    # income
    ("Clinique d'impôts bénévole Centre-Sud", "Centre-Sud volunteer tax clinic", "income",
     "1855, rue Dufresne, Montréal", "514 555-0351", "Déclarations de revenus gratuites (février à avril, et sur rendez-vous)."),
    ("Fiducie volontaire Budget-Plus", "Budget-Plus voluntary trusteeship", "income",
     "3200, rue Hochelaga, Montréal", "514 555-0352", "Gestion budgétaire volontaire: loyer payé d'abord, argent de poche chaque semaine."),
    ("Coop budget de l'Est", "East-end budget co-op", "income",
     "5955, rue De Marseille, Montréal", "514 555-0353", "Consultations budgétaires, ouverture de compte, dettes."),
    ("Accompagnement aide sociale Verdun", "Verdun welfare accompaniment", "income",
     "4110, rue Wellington, Verdun", "514 555-0354", "Aide pour les demandes d'aide sociale et de solidarité sociale, contestations."),
    # legal aid
    ("Clinique juridique populaire du Plateau", "Plateau community legal clinic", "legal",
     "4450, rue Saint-Denis, Montréal", "514 555-0361", "Conseils juridiques gratuits, logement, amendes, dossiers criminels."),
    ("Bureau d'aide juridique — Centre-Sud", "Legal aid office — Centre-Sud", "legal",
     "2100, rue Ontario Est, Montréal", "514 555-0362", "Avocats de l'aide juridique (admissibilité financière)."),
    ("Accompagnement justice et itinérance", "Justice and homelessness accompaniment", "legal",
     "1, rue Notre-Dame Est, Montréal", "514 555-0363", "Règlement des constats d'infraction par des travaux compensatoires."),
    # food
    ("Cuisine collective La Marmite", "La Marmite community kitchen", "food",
     "2800, rue Adam, Montréal", "514 555-0371", "Cuisines collectives chaque semaine, on repart avec des portions."),
    ("Banque alimentaire Verdun Partage", "Verdun Partage food bank", "food",
     "600, rue Willibrord, Verdun", "514 555-0372", "Paniers le jeudi, sur inscription."),
    ("Popote roulante Ahuntsic", "Ahuntsic meals on wheels", "food",
     "10 780, rue Laverdure, Montréal", "514 555-0373", "Repas livrés trois fois par semaine."),
    # housing stability
    ("Programme de maintien en logement L'Ancre", "L'Ancre tenancy sustainment program", "housing_stability",
     "1600, rue Ontario Est, Montréal", "514 555-0381", "Soutien intensif pour éviter la perte du logement (avis d'éviction, arrérages)."),
    ("Comité logement Hochelaga", "Hochelaga housing committee", "housing_stability",
     "3750, rue Sainte-Catherine Est, Montréal", "514 555-0382", "Défense des droits des locataires, Tribunal administratif du logement."),
    ("Médiation locative Entente", "Entente tenancy mediation", "housing_stability",
     "4500, rue de Rouen, Montréal", "514 555-0383", "Médiation entre locataires, voisins et propriétaires."),
    ("Stabilité résidentielle avec accompagnement — Est", "Supported housing stability — East", "housing_stability",
     "8000, rue Sherbrooke Est, Montréal", "514 555-0384", "Supplément au loyer et accompagnement léger pour personnes stabilisées."),
    ("Maison de chambres supervisée Le Tournant", "Le Tournant supervised rooming house", "housing_stability",
     "1875, rue Logan, Montréal", "514 555-0385", "Chambres avec soutien communautaire sur place."),
    ("Logements transitoires La Passerelle", "La Passerelle transitional housing", "housing_stability",
     "5300, rue de Verdun, Verdun", "514 555-0386", "Logement de transition de 6 à 24 mois avec intervenante."),
    ("Programme de prévention des évictions Ahuntsic", "Ahuntsic eviction prevention program", "housing_stability",
     "10 100, boulevard Saint-Laurent, Montréal", "514 555-0387", "Fonds de dépannage pour arrérages et accompagnement au tribunal."),
    # community and culture
    ("Centre communautaire Le Relais", "Le Relais community centre", "community",
     "2515, rue Sainte-Catherine Est, Montréal", "514 555-0391", "Halte-accueil, activités, bénévolat."),
    ("Café de rue Le Mégaphone", "Le Mégaphone street café", "community",
     "3700, boulevard Saint-Laurent, Montréal", "514 555-0392", "Repas à 2 $, ateliers d'art, journal de rue."),
    ("Ateliers d'art Couleurs urbaines", "Couleurs urbaines art workshops", "community",
     "4980, rue Wellington, Verdun", "514 555-0393", "Peinture, musique et photo, deux après-midi par semaine."),
    ("Cercle autochtone Kanatha", "Kanatha Indigenous circle", "culture",
     "2001, boulevard Saint-Laurent, Montréal", "514 555-0394", "Services culturels et accompagnement pour les personnes des Premières Nations."),
    ("Maison inuit Ilaginniq", "Ilaginniq Inuit house", "culture",
     "1420, rue Saint-Urbain, Montréal", "514 555-0395", "Repas traditionnels, interprètes en inuktitut, liens avec le Nunavik."),
    # employment partner and other
    ("Tremplin Emploi", "Tremplin Emploi", "employment",
     "600, rue Jean-Talon Est, Montréal", "514 555-0117", "Accompagnement vers l'emploi (organisation partenaire)."),
    ("Vestiaire communautaire La Bonne Laine", "La Bonne Laine clothing bank", "other",
     "2620, rue Ontario Est, Montréal", "514 555-0396", "Vêtements et meubles gratuits sur référence."),
]  # fmt: skip

# Which directory entries are partner organisations of the consortium (consents can name them).
PROVIDER_PARTNERS = {
    "Centre de santé Les Rives — équipe itinérance": "CSR",
    "Tremplin Emploi": "TRE",
}

# --- contacts --------------------------------------------------------------------------------------------------
NOTES_FR = {
    "home": [
        "Visite à domicile. L'appartement est bien tenu. On a parlé du budget du mois et de sa sœur.",
        "Visite à domicile. Fatigué, dort mal depuis une semaine. On a revu la routine du soir.",
        "Visite à domicile. Voisin bruyant: on prépare une lettre au propriétaire ensemble.",
        "Visite à domicile. Frigo presque vide: épicerie faite ensemble, liste pour la semaine prochaine.",
        "Visite à domicile. Bonne humeur, a commencé à peindre. Montre fièrement ses toiles.",
        "Visite à domicile. Quelques bouteilles vides; en parle ouvertement, veut diminuer en semaine.",
        "Visite à domicile. Pas de chauffage dans la chambre: appel au concierge pendant la visite.",
        "Visite à domicile. Revue du plan de rétablissement, ajout d'une étape pour les impôts.",
        "Visite à domicile avec le pair aidant. Discussion sur les groupes d'entraide du quartier.",
        "Visite à domicile. Médication prise régulièrement; rendez-vous chez le médecin confirmé.",
    ],
    "community": [
        "Rencontre au café du coin. Parle de son ancien travail en cuisine, intéressé par un stage.",
        "Rencontre au parc. Moins anxieux qu'à la dernière visite. Marche d'une heure ensemble.",
        "Rencontre à la bibliothèque pour remplir le formulaire d'aide sociale.",
        "Croisé près du métro, court échange. Va bien, on confirme la visite de jeudi.",
        "Rencontre à la halte-accueil. A mangé, discute de ses démarches pour revoir sa fille.",
    ],
    "office": [
        "Rencontre au bureau pour signer le bail renouvelé.",
        "Passé au bureau chercher son courrier. Lettre de Revenu Québec lue ensemble.",
        "Rencontre au bureau: préparation du rendez-vous au tribunal du logement.",
    ],
    "phone": [
        "Appel pour rappeler le rendez-vous de demain à la clinique.",
        "Appel du participant: n'a plus de minutes sur son cellulaire, on se voit jeudi.",
        "Appel pour vérifier que tout va bien après la canicule. Va bien.",
        "Appel au propriétaire au sujet de la réparation promise.",
        "Message laissé, pas de retour.",
    ],
    "video": [
        "Appel vidéo: montre l'appartement après le ménage. Très fier.",
    ],
    "accompaniment": [
        "Accompagnement à la clinique dentaire. Deux extractions, tout s'est bien passé.",
        "Accompagnement au bureau d'aide sociale pour la révision du dossier.",
        "Accompagnement au premier rendez-vous chez Tremplin Emploi.",
        "Accompagnement à la cour municipale pour les constats. Entente de paiement obtenue.",
        "Accompagnement chez le psychiatre; nouvelle médication à essayer.",
        "Accompagnement à l'épicerie et à la pharmacie.",
    ],
}
NOTES_EN = {
    "home": [
        "Home visit. Apartment tidy. Talked about this month's budget and his sister.",
        "Home visit. Tired, sleeping badly this week. Went over the evening routine again.",
        "Home visit. Noisy neighbour: drafting a letter to the landlord together.",
        "Home visit. Fridge nearly empty: did the groceries together, list for next week.",
        "Home visit. Reviewed the recovery plan, added a step for taxes.",
    ],
    "community": [
        "Met at the coffee shop. Talked about his old kitchen job, interested in an internship.",
        "Met at the park. Less anxious than last time. Walked for an hour.",
    ],
    "office": ["Met at the office to sign the renewed lease."],
    "phone": [
        "Called to remind about tomorrow's clinic appointment.",
        "Left a message, no call back.",
    ],
    "video": ["Video call: showed the apartment after cleaning up."],
    "accompaniment": [
        "Went with them to the dental clinic. Two extractions, all went well.",
        "Went with them to the welfare office for the file review.",
    ],
}
PRIVATE_NOTES = [
    "À surveiller: odeur d'alcool le matin, plusieurs fois ce mois-ci.",
    "Tension avec l'ex-conjoint qui revient dans le quartier. En parler en équipe.",
    "A mentionné des idées noires, sans plan. Revu la stratégie de crise; suivi demain.",
    "Soupçon d'exploitation financière par un ami. Ne pas en parler devant lui.",
]
# Contacts without the participant: calls about them, and visits nobody answered.
ABSENT_NOTES = {
    "phone": [
        "Appel au propriétaire: le chauffe-eau sera réparé lundi.",
        "Appel à la pharmacie pour le renouvellement de l'ordonnance.",
        "Discussion avec l'infirmière du CLSC au sujet des soins de plaies.",
        "Appel à l'agente d'aide sociale: le chèque a été posté mardi.",
        "Appel au concierge: plainte de bruit réglée à l'amiable.",
    ],
    "other": [
        "Personne à la porte; message laissé sous la porte.",
        "Pas au rendez-vous convenu; on repassera jeudi.",
    ],
}

VISIT_PLACES = [
    "Domicile",
    "Domicile (visite avec le pair aidant)",
    "Café du coin, rue Ontario",
    "Parc Morgan",
    "Clinique médicale Sainte-Marie",
    "Bureau d'aide sociale",
    "Halte-accueil Le Relais",
]

# --- referrals, incidents, calls, risk, exits --------------------------------------------------------------------
NEEDS = {
    "employment": "Veut retravailler à temps partiel, en cuisine de préférence.",
    "education": "Souhaite terminer son secondaire 5.",
    "health": "Pas de médecin de famille; douleurs chroniques au dos.",
    "mental_health": "Anxiété importante, souhaite une évaluation et un suivi.",
    "substance_use": "Veut commencer un traitement par agonistes opioïdes.",
    "income": "Manque d'argent chaque fin de mois; veut de l'aide pour son budget.",
    "legal": "Plusieurs constats d'infraction impayés, mandat possible.",
    "food": "Frigo vide en fin de mois.",
    "housing_stability": "Avis de retard de loyer; risque de perte du logement.",
    "community": "Isolé, cherche une activité de groupe.",
    "culture": "Veut reprendre contact avec sa culture et sa communauté.",
    "other": "A besoin de meubles et de vêtements d'hiver.",
}
REFERRAL_NOTES = {
    "sent": "Formulaire de référence envoyé avec l'accord de la personne.",
    "appointment_set": "Rendez-vous confirmé par téléphone.",
    "accompanied": "Accompagné au premier rendez-vous.",
    "linked": "Suivi commencé; la personne y retourne seule.",
    "declined": "La personne préfère attendre; on en reparlera.",
    "no_show": "Ne s'est pas présenté au rendez-vous; on propose une nouvelle date.",
}

INCIDENTS = {
    "police_called": [
        "Police appelée par un voisin pour du bruit pendant la nuit. Aucune arrestation.",
        "Altercation dans le hall de l'immeuble; la police est venue, personne n'a été arrêté.",
    ],
    "arrest": ["Arrêté pour vol à l'étalage; libéré sous conditions le lendemain."],
    "hospital": [
        "Transporté à l'urgence pour une chute dans l'escalier. Sorti le lendemain.",
        "Hospitalisé trois jours pour une pneumonie.",
    ],
    "overdose": [
        "Surdose d'opioïdes chez un ami; naloxone donnée par l'ami, transporté à l'urgence. Va bien.",
    ],
    "eviction_notice": [
        "Avis de résiliation du bail reçu pour retards de loyer répétés.",
        "Le propriétaire a déposé une demande au Tribunal administratif du logement (bruit).",
    ],
    "victimisation": ["Agressé et volé près du métro. Plainte déposée."],
    "mental_health_crisis": ["Crise d'angoisse importante; accompagné au centre de crise Le Phare."],
    "property_damage": ["Porte de l'appartement endommagée pendant une dispute. Réparation à prévoir."],
    "other": ["Dégât d'eau venant de l'appartement du dessus; relogé deux nuits."],
}
INCIDENT_WEIGHTS = [
    ("police_called", 16),
    ("hospital", 20),
    ("overdose", 8),
    ("eviction_notice", 10),
    ("mental_health_crisis", 12),
    ("victimisation", 7),
    ("arrest", 7),
    ("property_damage", 6),
    ("other", 5),
]
PARTNER_SOURCES = {
    "eviction_notice": "Propriétaire — Gestion immobilière Lafontaine (avis écrit)",
    "hospital": "Travailleuse sociale de l'urgence, hôpital du secteur",
    "arrest": "Agent de probation",
}

ON_CALL_CALLS = [
    ("Le participant", "Angoissé, n'arrive pas à dormir.", "Écoute 20 minutes; rappel de la stratégie de crise.", False),
    ("Le participant", "A perdu ses clés, bloqué dehors.", "Appel au concierge, qui a ouvert.", False),
    ("Voisin du participant", "Bruit et cris dans l'appartement.", "Appel au participant, qui s'est calmé. Visite demain.", True),
    ("Urgence de l'hôpital du secteur", "Le participant est à l'urgence après une chute.", "Informations données avec son accord; visite à l'hôpital demain.", True),
    ("Propriétaire", "Dégât d'eau, doit entrer dans le logement.", "Participant joint, accepte l'entrée demain 9 h.", True),
    ("Service de police", "Vérification de bien-être demandée par la famille.", "Participant joint, va bien. Famille rassurée.", False),
    ("Centre de crise Le Phare", "Le participant est hébergé chez eux pour la nuit.", "Noté; l'intervenant principal le verra demain.", True),
    ("Le participant", "Veut parler, se sent seul.", "Écoute; invitation au café de rue demain.", False),
]  # fmt: skip

RISK_PLANS = [
    (1, "low", "Agité lors de deux visites, crie puis se calme.", False, None, False,
     "Visites plus courtes; éviter les sujets d'argent en fin de mois."),
    (2, "moderate", "Menaces verbales envers le concierge; objets lancés pendant une visite.", True, None, False,
     "Visites à deux; garder la porte d'entrée dégagée."),
    (2, "moderate", "Comportements désorganisés, refuse sa médication depuis un mois.", False, None, True,
     "Évaluation psychiatrique demandée; contact avec la clinique de psychiatrie."),
    (3, "high", "A menacé une intervenante avec un couteau lors d'une crise.", True, 30, True,
     "Rencontres au bureau seulement pour 30 jours, visites à deux ensuite; police avisée si menace."),
]  # fmt: skip

LOST_OUTCOMES = [
    "Pas vu au refuge depuis trois semaines.",
    "Aucune admission à l'urgence du secteur.",
    "Pas de personne à ce nom au centre de détention.",
    "Un ami dit l'avoir vu près du métro Frontenac la semaine dernière.",
    "Sa sœur n'a pas de nouvelles.",
]
REASSIGN_REASONS = [
    "Départ en congé de maternité de l'intervenante.",
    "Rééquilibrage des charges de cas de l'équipe.",
    "À la demande du participant, qui préfère une intervenante.",
    "Conflit avec l'intervenant; proposé par le participant et accepté par l'équipe.",
    "Départ de l'intervenant de l'organisme.",
]
OVER_RATIO_REASONS = [
    "Le participant connaît déjà cette intervenante depuis le refuge; lien de confiance à préserver.",
    "Seule intervenante qui parle la langue du participant.",
    "Temporaire: un poste est en affichage, on rééquilibre dans un mois.",
]
EXIT_NOTES = {
    "graduation": "Stable en logement depuis plus d'un an; souhaite voler de ses propres ailes.",
    "planned": "Fin de suivi préparée avec la personne sur deux mois.",
    "unplanned": "Fin de suivi non prévue.",
}
# F1: a graduation to social housing needs no rent supplement, and the exit says so.
READINESS_NOTE = "Logement social au loyer proportionnel au revenu : aucun supplément au loyer requis."
# B12: an unplanned exit while a re-engagement plan is still open says why all the same.
LOST_CONTACT_EXIT_REASON = (
    "Recherches faites dans les refuges, les hôpitaux et ses lieux habituels; la personne a dit à un "
    "partenaire ne plus vouloir du service."
)
SHELTER_JUSTIFICATION = (
    "Expulsé du logement par jugement; aucune place en logement transitoire ni chez la famille cette semaine. "
    "Le refuge est temporaire, les références de stabilité résidentielle sont en cours."
)

# The consent a person gives before another organisation of the consortium follows them in its program.
SERVING_CONSENT_PURPOSE = (
    "Suivi intensif par l'organisme du programme où la personne a été jumelée : son identité, ses notes de "
    "suivi, sa santé et les risques, pour l'accompagner."
)


# The directory's descriptions in English, by the service's (French) name: a directory entry reads in the
# reader's language (issue 12, part 8).
PROVIDER_DESCRIPTIONS_EN: dict[str, str] = {
    "Carrefour Emploi Centre-Sud": "Job search, résumés, paid internships for people far from the job market.",
    "Atelier Boulot Hochelaga": "Day-paid work (carpentry, maintenance), no commitment.",
    "Entreprise d'insertion Le Coup de pouce": "A 26-week work-integration path in kitchen and housekeeping.",
    "Travail à la journée Ahuntsic": "Small jobs paid the same day.",
    "Centre d'éducation des adultes Gédéon": "High school diploma, French classes, flexible hours.",
    "Alphabétisation Le Mot juste": "Reading and writing workshops in small groups.",
    "Clinique médicale Sainte-Marie": "Family doctors who see walk-in patients in the morning.",
    "CLSC des Faubourgs — équipe de proximité": "Outreach nurses, vaccination, wound care.",
    "Clinique dentaire solidaire Rosemont": "Low-cost dental care, emergencies on Tuesdays.",
    "Centre de santé Les Rives — équipe itinérance": "Joint physical and mental health follow-up (partner organisation).",
    "Centre de crise Le Phare": "Crisis intervention 24/7, short crisis stays.",
    "Clinique de psychiatrie communautaire Rosemont": "Psychiatric assessment and follow-up, 4 to 8 weeks' wait.",
    "Groupe d'entraide Entre-Nous": "Peer support groups by and for people living with a mental illness.",
    "Ligne d'écoute Nuit blanche": "A listening line at night, 8 p.m. to 8 a.m.",
    "Site de consommation supervisée L'Escale": "Supervised consumption, sterile supplies, naloxone.",
    "Clinique de traitement par agonistes opioïdes Berri": "Methadone and buprenorphine, quick access.",
    "Centre de réadaptation en dépendance Les Érables": "Residential and outpatient therapy, detox.",
    "Travail de rue Action-Réduction": "Street workers, harm reduction, naloxone distribution.",
    "Clinique d'impôts bénévole Centre-Sud": "Free tax returns (February to April, and by appointment).",
    "Fiducie volontaire Budget-Plus": "Voluntary money management: rent paid first, pocket money every week.",
    "Coop budget de l'Est": "Budget consultations, opening a bank account, debts.",
    "Accompagnement aide sociale Verdun": "Help with social assistance and social solidarity claims and appeals.",
    "Clinique juridique populaire du Plateau": "Free legal advice: housing, fines, criminal records.",
    "Bureau d'aide juridique — Centre-Sud": "Legal aid lawyers (financial eligibility).",
    "Accompagnement justice et itinérance": "Settling tickets through community work.",
    "Cuisine collective La Marmite": "Collective kitchens every week; you leave with portions.",
    "Banque alimentaire Verdun Partage": "Food baskets on Thursdays, on registration.",
    "Popote roulante Ahuntsic": "Meals delivered three times a week.",
    "Programme de maintien en logement L'Ancre": "Intensive support to avoid losing housing (eviction notices, arrears).",
    "Comité logement Hochelaga": "Tenants' rights, the housing tribunal (Tribunal administratif du logement).",
    "Médiation locative Entente": "Mediation between tenants, neighbours and landlords.",
    "Stabilité résidentielle avec accompagnement — Est": "Rent supplement and light support for people who are stable.",
    "Maison de chambres supervisée Le Tournant": "Rooms with community support on site.",
    "Logements transitoires La Passerelle": "Transitional housing for 6 to 24 months with a worker.",
    "Programme de prévention des évictions Ahuntsic": "Emergency fund for arrears and support at the tribunal.",
    "Centre communautaire Le Relais": "Drop-in centre, activities, volunteering.",
    "Café de rue Le Mégaphone": "$2 meals, art workshops, street newspaper.",
    "Ateliers d'art Couleurs urbaines": "Painting, music and photography, two afternoons a week.",
    "Cercle autochtone Kanatha": "Cultural services and support for First Nations people.",
    "Maison inuit Ilaginniq": "Traditional meals, Inuktitut interpreters, links with Nunavik.",
    "Tremplin Emploi": "Support towards employment (partner organisation).",
    "Vestiaire communautaire La Bonne Laine": "Free clothes and furniture on referral.",
}
