# ruff: noqa: E501  (prose: the texts read better unbroken)
"""The demo site's texts, in the office's own words (German and French; the home page
also in Italian and English). Legal figures are marked to be checked against the law
in force: the demo is not legal advice."""

CHECK = {
    "de": "(gemäss geltendem Recht zu prüfen)",
    "fr": "(à vérifier selon le droit en vigueur)",
}

HOME = {
    "de": {
        "title": "Gemeinsam für Arbeit trotz Gesundheitsproblemen",
        "intro": (
            "Die IV-Stelle unterstützt Arbeitgebende, wenn Mitarbeitende gesundheitlich "
            "ausfallen oder wenn sie Menschen mit Beeinträchtigungen eine Stelle geben "
            "möchten: früh, unkompliziert und mit einer festen Ansprechperson."
        ),
        "body": (
            "<p>Rufen Sie uns an, bevor eine Situation festgefahren ist. Wir beraten "
            "Sie auch ohne IV-Anmeldung, vertraulich und kostenlos. Im "
            "Arbeitgeberportal sehen Sie Ihre Daten, stellen Fragen, verlangen einen "
            "Rückruf und melden offene Stellen, Lehrstellen und Schnuppereinsätze.</p>"
        ),
    },
    "fr": {
        "title": "Ensemble pour l'emploi malgré les problèmes de santé",
        "intro": (
            "L'office AI soutient les employeurs lorsqu'un collaborateur tombe malade ou "
            "lorsqu'ils souhaitent engager une personne atteinte dans sa santé : tôt, "
            "simplement et avec un interlocuteur attitré."
        ),
        "body": (
            "<p>Appelez-nous avant qu'une situation ne se bloque. Nous vous conseillons "
            "aussi sans demande AI, de manière confidentielle et gratuite. Dans le "
            "portail employeurs, vous consultez vos données, posez vos questions, "
            "demandez un rappel et annoncez vos postes vacants, places d'apprentissage "
            "et stages.</p>"
        ),
    },
    "it": {
        "title": "Insieme per il lavoro nonostante i problemi di salute",
        "intro": (
            "L'ufficio AI sostiene i datori di lavoro quando un collaboratore si ammala "
            "o quando desiderano assumere una persona con problemi di salute: presto, "
            "in modo semplice e con una persona di riferimento fissa."
        ),
        "body": (
            "<p>Chiamateci prima che una situazione si blocchi. Vi consigliamo anche "
            "senza richiesta AI, in modo confidenziale e gratuito. Nel portale per i "
            "datori di lavoro trovate i vostri dati, ponete domande e chiedete di "
            "essere richiamati.</p>"
        ),
    },
    "en": {
        "title": "Working together: keeping people with health problems in work",
        "intro": (
            "The IV office supports employers when an employee's health gets in the way "
            "of work, or when they want to hire someone with a health impairment: "
            "early, without red tape and with one fixed contact person."
        ),
        "body": (
            "<p>Call us before a situation gets stuck. We advise you even without an IV "
            "application, confidentially and free of charge. International teams: we "
            "answer in English, too.</p>"
        ),
    },
}

EMPLOYERS = {
    "de": {
        "title": "Für Arbeitgebende",
        "slug": "arbeitgebende",
        "intro": (
            "Was die IV für Ihren Betrieb tun kann, wer Ihre Ansprechperson ist und wie "
            "Sie uns am schnellsten erreichen."
        ),
        "text": (
            "<p>Die meisten Arbeitgebenden brauchen uns selten, aber dann schnell. "
            "Darum erhält jeder Betrieb, mit dem wir zusammenarbeiten, eine feste "
            "Ansprechperson. Sie kennt Ihren Betrieb und koordiniert, wenn mehrere "
            "Fälle oder Versicherungen beteiligt sind.</p>"
        ),
        "faq": [
            (
                "Dürfen wir die IV-Stelle anrufen, ohne dass eine Anmeldung vorliegt?",
                "<p>Ja. Die fallunabhängige Beratung steht allen Arbeitgebenden offen "
                "(Art. 41 Abs. 1 Bst. f<sup>bis</sup> IVV, "
                + CHECK["de"]
                + "). Wir besprechen die Situation ohne Namen.</p>",
            ),
            (
                "Wann sollen wir eine Meldung zur Früherfassung machen?",
                "<p>Wenn eine Mitarbeiterin oder ein Mitarbeiter mindestens 30 Tage am "
                "Stück oder wiederholt über ein Jahr arbeitsunfähig ist "
                + CHECK["de"]
                + ". Im Zweifel: rufen Sie uns an.</p>",
            ),
            (
                "Kostet die Unterstützung der IV etwas?",
                "<p>Beratung, Früherfassung und Frühintervention sind für Sie "
                "kostenlos. Bei Arbeitsversuch und Einarbeitungszuschuss beteiligt sich "
                "die IV an den Kosten; Einzelheiten auf den Seiten der Instrumente.</p>",
            ),
        ],
        "card": (
            "Arbeitgeberdienst",
            "Beratung, Rückrufe, Meldung offener Stellen",
            "031 379 77 77",
            "arbeitgeber@iv-be.example",
            "Montag bis Freitag, 8–12 und 13.30–17 Uhr",
        ),
        "cta": (
            "Ins Arbeitgeberportal",
            "Ihre Firmendaten, Ihre feste Ansprechperson, Fragen und Rückrufe.",
            "Zum Portal",
        ),
        "video": (
            "Wie ein Arbeitsversuch abläuft – ein Betrieb erzählt",
            "https://www.youtube-nocookie.com/watch?v=iv-arbeitsversuch",
            "4 Minuten",
        ),
    },
    "fr": {
        "title": "Employeurs",
        "slug": "employeurs",
        "intro": (
            "Ce que l'AI peut faire pour votre entreprise, qui est votre interlocuteur "
            "et comment nous joindre au plus vite."
        ),
        "text": (
            "<p>La plupart des employeurs ont rarement besoin de nous, mais alors "
            "rapidement. C'est pourquoi chaque entreprise avec laquelle nous "
            "collaborons a un interlocuteur attitré. Il connaît votre entreprise et "
            "coordonne lorsque plusieurs cas ou assurances sont concernés.</p>"
        ),
        "faq": [
            (
                "Pouvons-nous appeler l'office AI sans qu'une demande ait été déposée ?",
                "<p>Oui. Le conseil indépendant d'un cas est ouvert à tous les "
                "employeurs (art. 41, al. 1, let. f<sup>bis</sup> RAI, "
                + CHECK["fr"]
                + "). Nous discutons de la situation sans nom.</p>",
            ),
            (
                "Quand faut-il faire une communication de détection précoce ?",
                "<p>Lorsqu'une collaboratrice ou un collaborateur est en incapacité de "
                "travail pendant au moins 30 jours d'affilée ou à plusieurs reprises "
                "sur une année "
                + CHECK["fr"]
                + ". En cas de doute : appelez-nous.</p>",
            ),
            (
                "Le soutien de l'AI est-il payant ?",
                "<p>Le conseil, la détection précoce et l'intervention précoce sont "
                "gratuits pour vous. Pour le placement à l'essai et l'allocation "
                "d'initiation au travail, l'AI participe aux coûts ; voir les pages "
                "des mesures.</p>",
            ),
        ],
        "card": (
            "Service employeurs",
            "Conseil, rappels, annonce de postes vacants",
            "031 379 77 78",
            "employeurs@iv-be.example",
            "Du lundi au vendredi, 8 h–12 h et 13 h 30–17 h",
        ),
        "cta": (
            "Vers le portail employeurs",
            "Les données de votre entreprise, votre interlocuteur, questions et rappels.",
            "Ouvrir le portail",
        ),
        "video": (
            "Comment se déroule un placement à l'essai – une entreprise raconte",
            "https://www.youtube-nocookie.com/watch?v=ai-placement-essai",
            "4 minutes",
        ),
    },
}

# instrument: (de, fr), each a dict of the page's fields
INSTRUMENTS = [
    (
        "early_detection",
        {
            "title": "Früherfassung",
            "slug": "frueherfassung",
            "summary": "Melden Sie uns früh, wenn eine Person gesundheitsbedingt "
            "ausfällt: je früher, desto mehr Möglichkeiten.",
            "what_it_is": "<p>Mit einer Meldung zur Früherfassung klären wir zusammen "
            "mit der betroffenen Person, ob Massnahmen der IV angezeigt sind. Die "
            "Meldung ist noch keine IV-Anmeldung.</p>",
            "for_whom": "<p>Für Mitarbeitende, die mindestens 30 Tage ununterbrochen "
            "oder innerhalb eines Jahres wiederholt kurz arbeitsunfähig waren "
            + CHECK["de"]
            + ".</p>",
            "duration": "<p>Wir melden uns innert weniger Arbeitstage; das "
            "Erstgespräch findet meist innert zwei Wochen statt.</p>",
            "employer_cost": "<p>Keine.</p>",
            "how_to_apply": "<p>Mit dem Formular «Meldung Früherfassung» oder im "
            "Gespräch mit Ihrer Ansprechperson. Informieren Sie die Person vorher.</p>",
            "legal_basis": "Art. 3a–3c IVG " + CHECK["de"],
        },
        {
            "title": "Détection précoce",
            "slug": "detection-precoce",
            "summary": "Signalez-nous tôt une absence pour raison de santé : plus "
            "c'est tôt, plus les possibilités sont nombreuses.",
            "what_it_is": "<p>Avec une communication de détection précoce, nous "
            "examinons avec la personne concernée si des mesures de l'AI sont "
            "indiquées. Ce n'est pas encore une demande AI.</p>",
            "for_whom": "<p>Pour les collaborateurs en incapacité de travail pendant "
            "30 jours sans interruption ou à plusieurs reprises sur une année "
            + CHECK["fr"]
            + ".</p>",
            "duration": "<p>Nous vous répondons en quelques jours ouvrables ; le "
            "premier entretien a lieu en général dans les deux semaines.</p>",
            "employer_cost": "<p>Aucun.</p>",
            "how_to_apply": "<p>Avec le formulaire « Communication de détection "
            "précoce » ou par un entretien avec votre interlocuteur. Informez la "
            "personne au préalable.</p>",
            "legal_basis": "art. 3a–3c LAI " + CHECK["fr"],
        },
    ),
    (
        "early_intervention",
        {
            "title": "Frühintervention",
            "slug": "fruehintervention",
            "summary": "Rasche, unbürokratische Massnahmen, damit eine Person ihre "
            "Stelle behalten kann.",
            "what_it_is": "<p>Arbeitsplatzanpassungen, Kurse, Coaching oder eine "
            "interne Umplatzierung – bevor über eine Rente gesprochen wird.</p>",
            "for_whom": "<p>Für Mitarbeitende, die bei der IV angemeldet sind und deren "
            "Stelle gefährdet ist.</p>",
            "duration": "<p>In der Regel bis zu zwölf Monate " + CHECK["de"] + ".</p>",
            "employer_cost": "<p>Die IV übernimmt die Kosten der Massnahmen bis zu "
            "einem Höchstbetrag pro Person " + CHECK["de"] + ".</p>",
            "how_to_apply": "<p>Ihre Ansprechperson klärt mit Ihnen und der Person, "
            "welche Massnahme passt, und entscheidet rasch.</p>",
            "legal_basis": "Art. 7d IVG " + CHECK["de"],
        },
        {
            "title": "Intervention précoce",
            "slug": "intervention-precoce",
            "summary": "Des mesures rapides et simples pour qu'une personne puisse "
            "garder son poste.",
            "what_it_is": "<p>Adaptation du poste, cours, coaching ou changement de "
            "poste interne – avant de parler de rente.</p>",
            "for_whom": "<p>Pour les collaborateurs annoncés à l'AI dont le poste est "
            "menacé.</p>",
            "duration": "<p>En règle générale jusqu'à douze mois "
            + CHECK["fr"]
            + ".</p>",
            "employer_cost": "<p>L'AI prend en charge les coûts des mesures jusqu'à un "
            "montant maximal par personne " + CHECK["fr"] + ".</p>",
            "how_to_apply": "<p>Votre interlocuteur examine avec vous et la personne "
            "la mesure adaptée et décide rapidement.</p>",
            "legal_basis": "art. 7d LAI " + CHECK["fr"],
        },
    ),
    (
        "trial_placement",
        {
            "title": "Arbeitsversuch",
            "slug": "arbeitsversuch",
            "summary": "Lernen Sie eine Person im Betrieb kennen, bevor Sie sich "
            "festlegen – ohne Lohnkosten.",
            "what_it_is": "<p>Eine Person arbeitet bei Ihnen zur Probe. Sie prüfen, ob "
            "sie die Stelle ausfüllen kann; es entsteht kein Arbeitsverhältnis.</p>",
            "for_whom": "<p>Für Betriebe, die einer Person aus der IV-Eingliederung "
            "eine Chance geben möchten.</p>",
            "duration": "<p>Bis zu 180 Tage " + CHECK["de"] + ".</p>",
            "employer_cost": "<p>Keine Lohnkosten: die Person erhält ein Taggeld der "
            "IV. Sie betreuen die Person im Alltag.</p>",
            "how_to_apply": "<p>Melden Sie einen Schnupper- oder Versuchsplatz im "
            "Arbeitgeberportal oder bei Ihrer Ansprechperson.</p>",
            "legal_basis": "Art. 18a IVG " + CHECK["de"],
        },
        {
            "title": "Placement à l'essai",
            "slug": "placement-a-lessai",
            "summary": "Découvrez une personne dans votre entreprise avant de vous "
            "engager – sans coûts salariaux.",
            "what_it_is": "<p>Une personne travaille chez vous à l'essai. Vous "
            "vérifiez si elle peut occuper le poste ; aucun contrat de travail n'est "
            "conclu.</p>",
            "for_whom": "<p>Pour les entreprises qui veulent donner une chance à une "
            "personne en réadaptation AI.</p>",
            "duration": "<p>Jusqu'à 180 jours " + CHECK["fr"] + ".</p>",
            "employer_cost": "<p>Pas de coûts salariaux : la personne reçoit une "
            "indemnité journalière de l'AI. Vous l'encadrez au quotidien.</p>",
            "how_to_apply": "<p>Annoncez une place d'essai dans le portail employeurs "
            "ou auprès de votre interlocuteur.</p>",
            "legal_basis": "art. 18a LAI " + CHECK["fr"],
        },
    ),
    (
        "onboarding_subsidy",
        {
            "title": "Einarbeitungszuschuss",
            "slug": "einarbeitungszuschuss",
            "summary": "Sie stellen eine Person an; die IV beteiligt sich an den "
            "Lohnkosten, bis sie eingearbeitet ist.",
            "what_it_is": "<p>Ein Beitrag an den Lohn während der Einarbeitung, "
            "solange die Leistung noch nicht dem Lohn entspricht.</p>",
            "for_whom": "<p>Für Arbeitgebende, die eine Person aus der "
            "IV-Arbeitsvermittlung fest anstellen.</p>",
            "duration": "<p>Bis zu 180 Tage " + CHECK["de"] + ".</p>",
            "employer_cost": "<p>Sie zahlen den vereinbarten Lohn; die IV erstattet "
            "einen Teil davon, höchstens bis zum Taggeld " + CHECK["de"] + ".</p>",
            "how_to_apply": "<p>Vor Beginn des Arbeitsverhältnisses mit Ihrer "
            "Ansprechperson vereinbaren.</p>",
            "legal_basis": "Art. 18b IVG " + CHECK["de"],
        },
        {
            "title": "Allocation d'initiation au travail",
            "slug": "allocation-initiation",
            "summary": "Vous engagez une personne ; l'AI participe au salaire jusqu'à "
            "ce qu'elle soit formée.",
            "what_it_is": "<p>Une contribution au salaire pendant la période "
            "d'initiation, tant que le rendement ne correspond pas encore au "
            "salaire.</p>",
            "for_whom": "<p>Pour les employeurs qui engagent une personne suivie par "
            "le placement de l'AI.</p>",
            "duration": "<p>Jusqu'à 180 jours " + CHECK["fr"] + ".</p>",
            "employer_cost": "<p>Vous versez le salaire convenu ; l'AI en rembourse une "
            "partie, au plus le montant de l'indemnité journalière "
            + CHECK["fr"]
            + ".</p>",
            "how_to_apply": "<p>À convenir avec votre interlocuteur avant le début des "
            "rapports de travail.</p>",
            "legal_basis": "art. 18b LAI " + CHECK["fr"],
        },
    ),
    (
        "job_coaching",
        {
            "title": "Job Coaching",
            "slug": "job-coaching",
            "summary": "Ein Coach begleitet Ihre Mitarbeiterin oder Ihren Mitarbeiter "
            "und Ihr Team am Arbeitsplatz.",
            "what_it_is": "<p>Regelmässige Begleitung vor Ort: Abläufe klären, "
            "Belastung einschätzen, Vorgesetzte beraten.</p>",
            "for_whom": "<p>Für Mitarbeitende mit psychischen oder körperlichen "
            "Beeinträchtigungen und ihre Vorgesetzten.</p>",
            "duration": "<p>Nach Bedarf, auch nach Abschluss der Eingliederung.</p>",
            "employer_cost": "<p>Keine; die IV bezahlt das Coaching.</p>",
            "how_to_apply": "<p>Sprechen Sie Ihre Ansprechperson an.</p>",
            "legal_basis": "Art. 14quater IVG " + CHECK["de"],
        },
        {
            "title": "Job coaching",
            "slug": "job-coaching-fr",
            "summary": "Un coach accompagne votre collaborateur et votre équipe sur "
            "le lieu de travail.",
            "what_it_is": "<p>Un accompagnement régulier sur place : clarifier les "
            "tâches, évaluer la charge, conseiller les supérieurs.</p>",
            "for_whom": "<p>Pour les collaborateurs atteints dans leur santé psychique "
            "ou physique et leurs supérieurs.</p>",
            "duration": "<p>Selon les besoins, aussi après la fin de la "
            "réadaptation.</p>",
            "employer_cost": "<p>Aucun ; l'AI finance le coaching.</p>",
            "how_to_apply": "<p>Adressez-vous à votre interlocuteur.</p>",
            "legal_basis": "art. 14quater LAI " + CHECK["fr"],
        },
    ),
    (
        "advice",
        {
            "title": "Fallunabhängige Beratung",
            "slug": "beratung",
            "summary": "Rat bei unklaren Situationen, auch ohne IV-Anmeldung und "
            "ohne Namen.",
            "what_it_is": "<p>Wir beraten Sie, wenn eine Situation im Team unklar ist, "
            "und schulen Vorgesetzte, zum Beispiel im Umgang mit psychischen "
            "Belastungen.</p>",
            "for_whom": "<p>Für alle Arbeitgebenden im Kanton, unabhängig von der "
            "Grösse.</p>",
            "duration": "<p>Ein Gespräch oder eine Begleitung über mehrere Wochen.</p>",
            "employer_cost": "<p>Keine.</p>",
            "how_to_apply": "<p>Rückruf im Portal verlangen oder den Arbeitgeberdienst "
            "anrufen.</p>",
            "legal_basis": "Art. 41 Abs. 1 Bst. fbis IVV " + CHECK["de"],
        },
        {
            "title": "Conseil indépendant d'un cas",
            "slug": "conseil",
            "summary": "Des conseils en cas de situation peu claire, même sans demande "
            "AI et sans nom.",
            "what_it_is": "<p>Nous vous conseillons lorsqu'une situation est peu claire "
            "dans l'équipe et formons les cadres, par exemple face aux difficultés "
            "psychiques.</p>",
            "for_whom": "<p>Pour tous les employeurs du canton, quelle que soit leur "
            "taille.</p>",
            "duration": "<p>Un entretien ou un accompagnement sur plusieurs "
            "semaines.</p>",
            "employer_cost": "<p>Aucun.</p>",
            "how_to_apply": "<p>Demander un rappel dans le portail ou appeler le "
            "service employeurs.</p>",
            "legal_basis": "art. 41, al. 1, let. fbis RAI " + CHECK["fr"],
        },
    ),
]

NEWS = {
    "de": (
        "Aktuelles",
        "aktuelles",
        "Neuigkeiten für Arbeitgebende aus der IV-Stelle.",
        [
            (
                "Arbeitgeberfrühstück im März: psychische Gesundheit im Betrieb",
                "arbeitgeberfruehstueck-maerz",
                "Wie erkennen Vorgesetzte früh, dass jemand Unterstützung braucht? "
                "Wir laden zum Frühstück mit kurzen Inputs und Austausch ein.",
            ),
            (
                "Neu: das Arbeitgeberportal",
                "neu-arbeitgeberportal",
                "Firmendaten prüfen, Rückruf verlangen, Schnupperplätze melden: "
                "das Portal steht allen Betrieben offen, mit denen wir zusammenarbeiten.",
            ),
        ],
    ),
    "fr": (
        "Actualités",
        "actualites",
        "Les nouvelles de l'office AI pour les employeurs.",
        [
            (
                "Petit-déjeuner employeurs en mars : la santé psychique au travail",
                "petit-dejeuner-mars",
                "Comment les cadres reconnaissent-ils tôt qu'une personne a besoin de "
                "soutien ? Nous vous invitons à un petit-déjeuner avec échanges.",
            ),
            (
                "Nouveau : le portail employeurs",
                "nouveau-portail",
                "Vérifier vos données, demander un rappel, annoncer des places de "
                "stage : le portail est ouvert à toutes les entreprises partenaires.",
            ),
        ],
    ),
}

DIRECTORY = {
    "de": ("Kontakte", "kontakte", "Wen Sie wofür anrufen, nach Region."),
    "fr": ("Contacts", "contacts", "Qui appeler pour quoi, par région."),
}
# area, region, name, function (de, fr), phone, email
DIRECTORY_ENTRIES = [
    (
        "employer_service",
        "",
        "Arbeitgeberdienst",
        ("Beratung und Rückrufe", "Conseil et rappels"),
        "031 379 77 77",
        "arbeitgeber@iv-be.example",
    ),
    (
        "early_detection",
        "Bern-Mittelland",
        "Sandra Zürcher",
        ("Früherfassung", "Détection précoce"),
        "031 379 77 21",
        "sandra.zuercher@iv-be.example",
    ),
    (
        "early_detection",
        "Berner Jura",
        "Julien Tschan",
        ("Früherfassung", "Détection précoce"),
        "032 481 77 22",
        "julien.tschan@iv-be.example",
    ),
    (
        "placement",
        "Bern-Mittelland",
        "Marco Gerber",
        ("Arbeitsvermittlung", "Placement"),
        "031 379 77 31",
        "marco.gerber@iv-be.example",
    ),
    (
        "placement",
        "Oberland",
        "Lea Wyss",
        ("Arbeitsvermittlung", "Placement"),
        "033 227 77 32",
        "lea.wyss@iv-be.example",
    ),
    (
        "iiz",
        "",
        "Regula Bärtschi",
        ("IIZ-Ansprechperson Sozialdienste", "Répondante CII services sociaux"),
        "031 379 77 41",
        "iiz@iv-be.example",
    ),
    (
        "iiz",
        "",
        "Thomas Moser",
        (
            "IIZ-Ansprechperson RAV und Berufsberatung",
            "Répondant CII ORP et orientation",
        ),
        "031 379 77 42",
        "iiz@iv-be.example",
    ),
    (
        "benefits",
        "",
        "Beitragsabteilung",
        ("Beiträge und Taggelder", "Cotisations et indemnités journalières"),
        "031 379 77 51",
        "beitraege@iv-be.example",
    ),
]
IIZ_NOTE = {
    "de": "Für Sozialarbeitende: Koordinaten per Mail melden, wenn noch keine "
    "Eingliederungsfachperson ernannt ist (Vereinbarung IIZ).",
    "fr": "Pour les assistants sociaux : communiquer vos coordonnées par e-mail tant "
    "qu'aucun spécialiste en réadaptation n'est désigné (convention CII).",
}
