"""Words of the demo's recovery plans: goals in participants' own words, strengths, stages, reviews. Demo content
is data, not interface text: it is not translated."""

from __future__ import annotations

# --- recovery plans ------------------------------------------------------------------------------------------
# domain -> [(goal in French, goal in English, [(step fr, step en, who)])]
GOALS: dict[str, list[tuple[str, str, list[tuple[str, str, str]]]]] = {
    "housing": [
        (
            "Garder mon appartement et m'y sentir chez moi",
            "Keep my apartment and feel at home there",
            [
                (
                    "Acheter un rideau et une lampe pour le salon",
                    "Buy a curtain and a lamp for the living room",
                    "participant",
                ),
                (
                    "Faire le tour de l'immeuble avec le concierge",
                    "Walk round the building with the janitor",
                    "both",
                ),
                (
                    "Appeler le propriétaire pour la réparation de la toilette",
                    "Call the landlord about the toilet repair",
                    "case_manager",
                ),
            ],
        ),
        (
            "Payer mon loyer à temps chaque mois",
            "Pay my rent on time every month",
            [
                (
                    "Signer le paiement direct du loyer à l'aide sociale",
                    "Sign up for direct rent payment from welfare",
                    "both",
                ),
                ("Noter la date du loyer dans mon calendrier", "Mark rent day on my calendar", "participant"),
            ],
        ),
        (
            "Que mes amis arrêtent de venir dormir chez moi sans demander",
            "Stop friends crashing at my place without asking",
            [
                ("Pratiquer comment dire non à mes chums", "Practise saying no to my buddies", "both"),
                (
                    "Changer la serrure avec l'accord du propriétaire",
                    "Change the lock with the landlord's agreement",
                    "case_manager",
                ),
            ],
        ),
    ],
    "health": [
        (
            "Avoir un médecin de famille",
            "Get a family doctor",
            [
                (
                    "M'inscrire au guichet d'accès à un médecin de famille",
                    "Register with the family doctor waiting list",
                    "both",
                ),
                (
                    "Aller au sans rendez-vous de la clinique Sainte-Marie",
                    "Go to the Sainte-Marie walk-in clinic",
                    "participant",
                ),
            ],
        ),
        (
            "Faire soigner mes dents, j'ai mal depuis des mois",
            "Get my teeth fixed, they've hurt for months",
            [
                (
                    "Prendre rendez-vous à la clinique dentaire solidaire",
                    "Book at the community dental clinic",
                    "case_manager",
                ),
                ("Y aller ensemble le premier coup", "Go together the first time", "both"),
            ],
        ),
        (
            "Mieux m'occuper de mon diabète",
            "Take better care of my diabetes",
            [
                (
                    "Prendre mes pilules le matin avec le café",
                    "Take my pills in the morning with coffee",
                    "participant",
                ),
                ("Demander un glucomètre à la pharmacie", "Ask the pharmacy for a glucose meter", "both"),
            ],
        ),
    ],
    "mental_health": [
        (
            "Dormir mieux et avoir moins d'angoisse",
            "Sleep better and feel less anxious",
            [
                (
                    "Essayer la routine du soir qu'on a écrite ensemble",
                    "Try the evening routine we wrote together",
                    "participant",
                ),
                ("Parler de mes nuits au médecin", "Tell the doctor about my nights", "participant"),
            ],
        ),
        (
            "Reprendre contact avec mon psychiatre",
            "Get back in touch with my psychiatrist",
            [
                (
                    "Appeler la clinique pour un nouveau rendez-vous",
                    "Call the clinic for a new appointment",
                    "case_manager",
                ),
                ("M'accompagner au rendez-vous", "Come with me to the appointment", "both"),
            ],
        ),
        (
            "Sortir de chez moi au moins trois fois par semaine",
            "Get out of the house at least three times a week",
            [
                ("Aller au café de rue le mercredi", "Go to the street café on Wednesdays", "participant"),
                ("Faire une marche au parc pendant les visites", "Walk in the park during visits", "both"),
            ],
        ),
    ],
    "substance_use": [
        (
            "Boire moins la semaine, garder ça pour la fin de semaine",
            "Drink less during the week, keep it for weekends",
            [
                ("Noter combien je bois chaque jour", "Write down how much I drink each day", "participant"),
                (
                    "En parler à chaque visite sans jugement",
                    "Talk about it at each visit, no judgement",
                    "both",
                ),
            ],
        ),
        (
            "Consommer de façon plus sécuritaire, jamais seul",
            "Use more safely, never alone",
            [
                (
                    "Avoir toujours une trousse de naloxone chez moi",
                    "Always keep a naloxone kit at home",
                    "participant",
                ),
                (
                    "Visiter le site de consommation supervisée avec l'intervenant",
                    "Visit the supervised consumption site with my worker",
                    "both",
                ),
            ],
        ),
        (
            "Commencer un traitement à la méthadone",
            "Start methadone treatment",
            [
                ("Prendre rendez-vous à la clinique Berri", "Book at the Berri clinic", "case_manager"),
                (
                    "Aller chercher ma dose chaque jour à la pharmacie",
                    "Pick up my dose at the pharmacy every day",
                    "participant",
                ),
            ],
        ),
    ],
    "income": [
        (
            "Avoir mon chèque à temps et ne plus manquer d'argent le 20",
            "Get my cheque on time and stop running out by the 20th",
            [
                ("Faire un budget simple avec l'intervenante", "Make a simple budget with my worker", "both"),
                ("Rencontrer la fiducie Budget-Plus", "Meet the Budget-Plus trusteeship", "both"),
            ],
        ),
        (
            "Faire mes impôts pour avoir le crédit de solidarité",
            "File my taxes to get the solidarity credit",
            [
                (
                    "Retrouver mes relevés des trois dernières années",
                    "Find my slips for the last three years",
                    "both",
                ),
                ("Aller à la clinique d'impôts bénévole", "Go to the volunteer tax clinic", "participant"),
            ],
        ),
        (
            "Ouvrir un compte de banque",
            "Open a bank account",
            [
                ("Refaire ma carte d'assurance maladie", "Replace my health insurance card", "both"),
                (
                    "Aller à la caisse avec deux pièces d'identité",
                    "Go to the credit union with two pieces of ID",
                    "participant",
                ),
            ],
        ),
    ],
    "work": [
        (
            "Retourner travailler, même à temps partiel",
            "Go back to work, even part time",
            [
                ("Refaire mon CV", "Redo my CV", "both"),
                (
                    "Rencontrer une conseillère de Tremplin Emploi",
                    "Meet a Tremplin Emploi counsellor",
                    "participant",
                ),
            ],
        ),
        (
            "Faire du bénévolat à la banque alimentaire",
            "Volunteer at the food bank",
            [
                ("Appeler la coordonnatrice des bénévoles", "Call the volunteer coordinator", "participant"),
            ],
        ),
        (
            "Finir mon secondaire 5",
            "Finish high school",
            [
                ("Visiter le centre d'éducation des adultes", "Visit the adult education centre", "both"),
                ("M'inscrire à la session d'hiver", "Register for the winter term", "participant"),
            ],
        ),
    ],
    "relationships": [
        (
            "Revoir ma fille",
            "See my daughter again",
            [
                ("Écrire une lettre à ma fille", "Write a letter to my daughter", "participant"),
                (
                    "Trouver un endroit neutre pour une première rencontre",
                    "Find a neutral place for a first meeting",
                    "both",
                ),
            ],
        ),
        (
            "Me faire des amis qui ne consomment pas",
            "Make friends who don't use",
            [
                ("Essayer le groupe d'entraide du jeudi", "Try the Thursday peer group", "participant"),
            ],
        ),
        (
            "Reparler à ma mère",
            "Talk to my mother again",
            [
                ("L'appeler pour sa fête", "Call her on her birthday", "participant"),
            ],
        ),
    ],
    "daily_life": [
        (
            "Faire mon épicerie moi-même",
            "Do my own grocery shopping",
            [
                ("Faire une liste avant d'y aller", "Make a list before going", "participant"),
                ("Y aller ensemble les deux premières fois", "Go together the first two times", "both"),
            ],
        ),
        (
            "Apprendre à cuisiner des repas simples",
            "Learn to cook simple meals",
            [
                (
                    "M'inscrire à la cuisine collective La Marmite",
                    "Sign up for La Marmite community kitchen",
                    "case_manager",
                ),
            ],
        ),
        (
            "Garder mon appart propre sans que ça me stresse",
            "Keep my place clean without stressing",
            [
                (
                    "Sortir les vidanges le mardi soir",
                    "Take the garbage out on Tuesday evenings",
                    "participant",
                ),
                ("Faire un grand ménage ensemble une fois", "Do one big clean together", "both"),
            ],
        ),
    ],
    "legal": [
        (
            "Régler mes contraventions",
            "Deal with my tickets",
            [
                (
                    "Rencontrer l'accompagnement justice et itinérance",
                    "Meet the justice and homelessness program",
                    "both",
                ),
                ("Faire mes heures de travaux compensatoires", "Do my community work hours", "participant"),
            ],
        ),
        (
            "Respecter mes conditions de probation",
            "Keep to my probation conditions",
            [
                (
                    "Noter mes rendez-vous avec l'agent de probation",
                    "Note my probation officer appointments",
                    "participant",
                ),
            ],
        ),
    ],
    "culture": [
        (
            "Retourner dans ma communauté cet été",
            "Go back to my community this summer",
            [
                (
                    "Demander l'aide du conseil de bande pour le billet",
                    "Ask the band council to help with the ticket",
                    "both",
                ),
            ],
        ),
        (
            "Participer aux activités du cercle autochtone",
            "Take part in the Indigenous circle's activities",
            [
                (
                    "Aller au repas communautaire du vendredi",
                    "Go to the Friday community meal",
                    "participant",
                ),
            ],
        ),
    ],
}

STRENGTHS = [
    (
        "Je suis débrouillard, j'ai survécu à la rue pendant des années.",
        "I'm resourceful, I survived years on the street.",
    ),
    ("Je suis fidèle en amitié et je sais écouter.", "I'm a loyal friend and a good listener."),
    ("Je suis bonne en cuisine et j'aime recevoir.", "I'm a good cook and I like having people over."),
    ("Je suis manuel, je répare des vélos.", "I'm good with my hands, I fix bikes."),
    ("J'ai de l'humour, même dans les mauvais jours.", "I keep my sense of humour, even on bad days."),
    ("Je dessine et j'écris des chansons.", "I draw and write songs."),
]
INTERESTS = [
    ("Le hockey, la musique country, les chats.", "Hockey, country music, cats."),
    ("La pêche, les casse-têtes, la radio.", "Fishing, puzzles, the radio."),
    (
        "Le dessin, les films d'action, marcher au bord du fleuve.",
        "Drawing, action movies, walking by the river.",
    ),
    ("Le jardinage, la couture, le bingo.", "Gardening, sewing, bingo."),
    ("Les échecs, l'histoire, la bibliothèque.", "Chess, history, the library."),
]
ASPIRATIONS = [
    (
        "Avoir une vie tranquille dans mon appartement, avec un chat.",
        "A quiet life in my own place, with a cat.",
    ),
    ("Retravailler un jour et revoir mes enfants.", "Work again some day and see my kids."),
    ("Être en santé pour mes petits-enfants.", "Be healthy for my grandchildren."),
    ("Aider d'autres personnes qui sortent de la rue.", "Help other people getting off the street."),
    ("Retourner aux études en mécanique.", "Go back to school for mechanics."),
]
CRISIS = [
    ("Quand ça va mal, je vais marcher et j'appelle Robert ou l'équipe. Pas d'alcool le soir même.",
     "When it's bad I go for a walk and call Robert or the team. No drinking that night."),
    ("Si je n'ouvre pas la porte deux visites de suite, appeler ma sœur (numéro au dossier).",
     "If I don't open the door two visits in a row, call my sister (number on file)."),
    ("Signes que ça ne va pas: je ne dors plus, je jette mes affaires. M'amener au Phare plutôt qu'à l'urgence.",
     "Warning signs: I stop sleeping, I throw my things out. Take me to Le Phare rather than the ER."),
    ("Je garde une trousse de naloxone sur le frigo. Mon voisin sait s'en servir.",
     "I keep a naloxone kit on the fridge. My neighbour knows how to use it."),
]  # fmt: skip
AFTER_HOURS = [
    (
        "Le soir et la fin de semaine: appeler la garde de l'organisme au 514 555-0199. En cas de danger: 911.",
        "Evenings and weekends: call the on-call line at 514 555-0199. If in danger: 911.",
    ),
    (
        "Après 17 h: ligne Nuit blanche pour parler, garde de l'équipe si urgent.",
        "After 5 pm: Nuit blanche line to talk, the team's on-call if urgent.",
    ),
]
RESOURCES = [
    (
        "Café de rue Le Mégaphone, pharmacie au coin, clinique Sainte-Marie.",
        "Le Mégaphone street café, the corner pharmacy, Sainte-Marie clinic.",
    ),
    (
        "Banque alimentaire le jeudi, bibliothèque du quartier, parc Morgan.",
        "Food bank on Thursdays, the local library, Morgan park.",
    ),
    (
        "Centre communautaire Le Relais, halte-accueil, groupe d'entraide du jeudi.",
        "Le Relais community centre, drop-in, Thursday peer group.",
    ),
]
STAGES = [
    ("precontemplation", 8),
    ("contemplation", 18),
    ("preparation", 22),
    ("action", 32),
    ("maintenance", 14),
    ("relapse_prevention", 6),
]
REVIEW_COMMENTS = [
    "Plan relu avec l'intervenante. Beaux progrès sur le logement; garder l'accent sur la santé.",
    "Objectifs toujours pertinents selon la personne. Ajouter une stratégie pour l'été (canicule).",
    "Plan à jour, signé. Revoir l'objectif de travail: la personne préfère le bénévolat pour l'instant.",
    "La personne s'est approprié son plan. Aucun changement demandé.",
]
