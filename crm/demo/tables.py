"""The demo's tables: offices and staff, places, sectors, names, sentences.

Shares follow the study (employer-cooperation-study.md §1.4 Tab. 1 for sectors, §6 for
office sizes and decision limits). Insurer and pension-fund names are invented.
Tables are `|`-separated text so that they read as tables.
"""

from dataclasses import dataclass

from ..models import (
    LegalForm,
    PersonFunction,
    RegisterStatus,
    RelationshipStatus,
    SizeClass,
)


def rows(text: str) -> list[list[str]]:
    """Non-empty lines split at `|`, each cell stripped."""
    return [
        [cell.strip() for cell in line.split("|")]
        for line in text.strip().splitlines()
        if line.strip()
    ]


@dataclass(frozen=True)
class Place:
    postcode: str
    municipality: str
    language: str  # language region
    area_code: str  # telephone area code without the leading 0


@dataclass(frozen=True)
class OfficeSpec:
    code: str
    name: str
    canton: str
    languages: list[str]  # the first is the office's working language
    share: int  # percent of the demo employers
    reaction_time_target_days: int
    onsite_decision_limit_chf: int
    teams: list[str]
    staff: str  # "username | first | last | role | team index | languages"
    places: str  # "postcode | municipality | language region | area code"

    @property
    def language(self) -> str:
        return self.languages[0]

    def place_list(self) -> list[Place]:
        """Repeated lines weigh more (Bern, Lausanne, Lugano)."""
        return [Place(*row) for row in rows(self.places)]

    def staff_rows(self) -> list[list[str]]:
        return rows(self.staff)


OFFICES = [
    OfficeSpec(
        code="BE",
        name="IV-Stelle Bern",
        canton="BE",
        languages=["de", "fr"],
        share=50,
        reaction_time_target_days=5,
        onsite_decision_limit_chf=5000,
        teams=[
            "Arbeitgeberberatung Region Mittelland",
            "Arbeitgeberberatung Oberland und Emmental",
            "Arbeitgeberberatung Seeland und Berner Jura",
        ],
        staff="""
            be.staff       | Regula  | Zbinden   | integration    | 0 | de,fr
            be.lead        | Thomas  | Aebischer | team_lead      | 0 | de
            be.placement   | Nicole  | Gerber    | placement      | 1 | de
            be.acquisition | Martin  | Steiner   | acquisition    | 2 | de,fr
            be.comms       | Sandra  | Wyss      | communications |   | de,fr,en
        """,
        places="""
            3011 | Bern                | de | 31
            3011 | Bern                | de | 31
            3013 | Bern                | de | 31
            3014 | Bern                | de | 31
            3027 | Bern                | de | 31
            3098 | Köniz               | de | 31
            3072 | Ostermundigen       | de | 31
            3063 | Ittigen             | de | 31
            3052 | Zollikofen          | de | 31
            3053 | Münchenbuchsee      | de | 31
            3076 | Worb                | de | 31
            3110 | Münsingen           | de | 31
            3123 | Belp                | de | 31
            3150 | Schwarzenburg       | de | 31
            3510 | Konolfingen         | de | 31
            3250 | Lyss                | de | 32
            3270 | Aarberg             | de | 32
            3232 | Ins                 | de | 32
            2502 | Biel/Bienne         | de | 32
            2503 | Biel/Bienne         | fr | 32
            2560 | Nidau               | de | 32
            3400 | Burgdorf            | de | 34
            3550 | Langnau im Emmental | de | 34
            3360 | Herzogenbuchsee     | de | 62
            4900 | Langenthal          | de | 62
            3600 | Thun                | de | 33
            3600 | Thun                | de | 33
            3612 | Steffisburg         | de | 33
            3700 | Spiez               | de | 33
            3714 | Frutigen            | de | 33
            3800 | Interlaken          | de | 33
            3860 | Meiringen           | de | 33
            3792 | Saanen              | de | 33
            2740 | Moutier             | fr | 32
            2610 | Saint-Imier         | fr | 32
            2720 | Tramelan            | fr | 32
            2710 | Tavannes            | fr | 32
            2520 | La Neuveville       | fr | 32
        """,
    ),
    OfficeSpec(
        code="VD",
        name="Office AI du canton de Vaud",
        canton="VD",
        languages=["fr"],
        share=30,
        reaction_time_target_days=3,
        onsite_decision_limit_chf=20000,
        teams=[
            "Team Grande Entreprise",
            "Conseil employeurs Lausanne et Ouest",
            "Conseil employeurs Nord vaudois et Broye",
        ],
        staff="""
            vd.staff       | Sophie  | Rochat  | integration    | 1 | fr,de
            vd.lead        | Laurent | Favre   | team_lead      | 0 | fr,en
            vd.placement   | Nicolas | Jaquier | placement      | 2 | fr
            vd.acquisition | Céline  | Pittet  | acquisition    | 0 | fr,en
            vd.comms       | Julie   | Bovet   | communications |   | fr,de
        """,
        places="""
            1003 | Lausanne          | fr | 21
            1004 | Lausanne          | fr | 21
            1005 | Lausanne          | fr | 21
            1007 | Lausanne          | fr | 21
            1010 | Lausanne          | fr | 21
            1020 | Renens            | fr | 21
            1008 | Prilly            | fr | 21
            1009 | Pully             | fr | 21
            1024 | Ecublens          | fr | 21
            1023 | Crissier          | fr | 21
            1030 | Bussigny          | fr | 21
            1066 | Epalinges         | fr | 21
            1095 | Lutry             | fr | 21
            1110 | Morges            | fr | 21
            1163 | Etoy              | fr | 21
            1180 | Rolle             | fr | 21
            1196 | Gland             | fr | 22
            1260 | Nyon              | fr | 22
            1304 | Cossonay          | fr | 21
            1337 | Vallorbe          | fr | 21
            1350 | Orbe              | fr | 24
            1400 | Yverdon-les-Bains | fr | 24
            1400 | Yverdon-les-Bains | fr | 24
            1450 | Sainte-Croix      | fr | 24
            1510 | Moudon            | fr | 21
            1530 | Payerne           | fr | 26
            1040 | Echallens         | fr | 21
            1800 | Vevey             | fr | 21
            1814 | La Tour-de-Peilz  | fr | 21
            1820 | Montreux          | fr | 21
            1860 | Aigle             | fr | 24
            1880 | Bex               | fr | 24
        """,
    ),
    OfficeSpec(
        code="TI",
        name="Ufficio AI del Cantone Ticino",
        canton="TI",
        languages=["it"],
        share=20,
        reaction_time_target_days=7,
        onsite_decision_limit_chf=5000,
        teams=[
            "Consulenza datori di lavoro Sopraceneri",
            "Consulenza datori di lavoro Sottoceneri",
        ],
        staff="""
            ti.staff       | Chiara  | Bernasconi | integration    | 1 | it,de
            ti.lead        | Marco   | Lepori     | team_lead      | 1 | it
            ti.placement   | Davide  | Rezzonico  | placement      | 0 | it,fr
            ti.acquisition | Giulia  | Cattaneo   | acquisition    | 0 | it,de
            ti.comms       | Sara    | Pedrazzini | communications |   | it,de,fr
        """,
        places="""
            6900 | Lugano            | it | 91
            6900 | Lugano            | it | 91
            6900 | Massagno          | it | 91
            6500 | Bellinzona        | it | 91
            6500 | Bellinzona        | it | 91
            6517 | Arbedo-Castione   | it | 91
            6600 | Locarno           | it | 91
            6600 | Muralto           | it | 91
            6648 | Minusio           | it | 91
            6612 | Ascona            | it | 91
            6616 | Losone            | it | 91
            6596 | Gordola           | it | 91
            6850 | Mendrisio         | it | 91
            6830 | Chiasso           | it | 91
            6834 | Morbio Inferiore  | it | 91
            6855 | Stabio            | it | 91
            6874 | Castel San Pietro | it | 91
            6826 | Riva San Vitale   | it | 91
            6710 | Biasca            | it | 91
            6760 | Faido             | it | 91
            6780 | Airolo            | it | 91
            6814 | Lamone            | it | 91
            6928 | Manno             | it | 91
            6934 | Bioggio           | it | 91
            6952 | Canobbio          | it | 91
            6982 | Agno              | it | 91
            6988 | Tresa             | it | 91
            6592 | Sant'Antonino     | it | 91
            6950 | Capriasca         | it | 91
        """,
    ),
]

# Sector groups with their share in the study's Tab. 1 (n=109), then NOGA 2008 classes
# with a trade word in de | fr | it. "{m}" marks public bodies named after the place.
SECTORS_TEXT = """
manufacturing  | 35
  10.71 | Bäckerei          | Boulangerie           | Panetteria
  10.51 | Käserei           | Fromagerie            | Caseificio
  16.23 | Holzbau           | Charpente             | Carpenteria
  18.12 | Druckerei         | Imprimerie            | Tipografia
  22.29 | Kunststofftechnik | Plastiques            | Materie plastiche
  25.62 | Mechanik          | Mécanique             | Meccanica
  26.52 | Uhren             | Horlogerie            | Orologeria
  27.12 | Elektrotechnik    | Électrotechnique      | Elettrotecnica
  28.29 | Maschinenbau      | Machines              | Macchine
  21.20 | Pharma            | Pharma                | Farmaceutica
public         | 21
  84.11 | Gemeinde {m}      | Commune de {m}        | Comune di {m}
  86.10 | Spital {m}        | Hôpital de {m}        | Ospedale di {m}
  87.10 | Alterszentrum {m} | EMS {m}               | Casa anziani {m}
  88.10 | Spitex {m}        | Soins à domicile {m}  | Cure a domicilio {m}
  85.20 | Schule {m}        | École de {m}          | Scuola comunale di {m}
  88.99 | Werkstätte {m}    | Atelier protégé {m}   | Laboratorio protetto {m}
trade          | 18
  45.20 | Garage            | Garage                | Garage
  47.11 | Lebensmittel      | Alimentation          | Alimentari
  46.90 | Handel            | Commerce              | Commercio
  47.73 | Apotheke          | Pharmacie             | Farmacia
  47.59 | Wohnen            | Ameublement           | Arredamenti
  49.41 | Transporte        | Transports            | Trasporti
  52.10 | Logistik          | Logistique            | Logistica
construction   | 15
  41.20 | Bau               | Construction          | Costruzioni
  42.11 | Strassenbau       | Génie civil           | Genio civile
  43.21 | Elektro           | Électricité           | Impianti elettrici
  43.22 | Haustechnik       | Sanitaire             | Impianti sanitari
  43.34 | Malerei           | Peinture              | Pittura
  43.91 | Bedachungen       | Couverture            | Coperture
other_services | 7
  96.02 | Coiffure          | Coiffure              | Parrucchieria
  81.21 | Reinigung         | Nettoyage             | Pulizie
  81.30 | Gartenbau         | Paysagisme            | Giardinaggio
  80.10 | Sicherheit        | Sécurité              | Sicurezza
  78.20 | Personal          | Personnel             | Personale
finance        | 5
  64.19 | Regionalbank      | Banque                | Banca
  65.12 | Versicherungen    | Assurances            | Assicurazioni
  66.19 | Vermögen          | Gestion de fortune    | Gestione patrimoniale
ict            | 3
  62.01 | Software          | Software              | Software
  62.02 | Informatik        | Informatique          | Informatica
  58.14 | Verlag            | Éditions              | Edizioni
hospitality    | 2
  55.10 | Hotel             | Hôtel                 | Albergo
  56.10 | Restaurant        | Restaurant            | Ristorante
  56.21 | Catering          | Traiteur              | Catering
professional   | 2
  69.20 | Treuhand          | Fiduciaire            | Fiduciaria
  71.11 | Architektur       | Architectes           | Architettura
  71.12 | Ingenieure        | Ingénieurs            | Ingegneria
  73.11 | Werbung           | Communication         | Comunicazione
real_estate    | 1
  68.31 | Immobilien        | Immobilier            | Immobiliare
  68.32 | Verwaltungen      | Gérance               | Amministrazioni
"""
PUBLIC_ONLY = {"84.11", "85.20"}  # a municipality or a school is a public body
LANGS = ("de", "fr", "it")


def _sectors() -> dict[str, tuple[int, list[tuple[str, dict[str, str]]]]]:
    """sector group → (share, [(NOGA class, {language: trade word})])."""
    sectors: dict[str, tuple[int, list]] = {}
    for row in rows(SECTORS_TEXT):
        if len(row) == 2:
            group = row[0]
            sectors[group] = (int(row[1]), [])
        else:
            sectors[group][1].append((row[0], dict(zip(LANGS, row[1:], strict=True))))
    return sectors


SECTORS = _sectors()

# Skewed like the economy: many micro and small firms, few large ones.
SIZES = {
    SizeClass.MICRO: 55,
    SizeClass.SMALL: 30,
    SizeClass.MEDIUM: 11,
    SizeClass.LARGE: 4,
}
SIZE_RANK = {size: rank for rank, size in enumerate(SizeClass)}
FTE_RANGE = {
    SizeClass.MICRO: (1.0, 9.9),
    SizeClass.SMALL: (10.0, 49.9),
    SizeClass.MEDIUM: (50.0, 249.9),
}
# Weights by size rank (micro, small, medium, large); public bodies have their own.
FORMS_PRIVATE = {
    LegalForm.SOLE: (30, 2, 0, 0),
    LegalForm.GMBH: (45, 40, 12, 0),
    LegalForm.AG: (15, 50, 78, 83),
    LegalForm.PARTNERSHIP: (7, 5, 0, 0),
    LegalForm.COOPERATIVE: (1, 3, 6, 9),
    LegalForm.ASSOCIATION: (2, 0, 0, 0),
    LegalForm.BRANCH: (0, 0, 4, 8),
}
FORMS_PUBLIC = {
    LegalForm.PUBLIC: (40, 45, 50, 55),
    LegalForm.FOUNDATION: (25, 30, 30, 25),
    LegalForm.ASSOCIATION: (35, 20, 10, 5),
    LegalForm.AG: (0, 5, 10, 15),
}
# Legal name patterns in de, fr, it; "{}" is the name without its legal form.
FORM_PATTERNS = {
    LegalForm.AG: ("{} AG", "{} SA", "{} SA"),
    LegalForm.GMBH: ("{} GmbH", "{} Sàrl", "{} Sagl"),
    LegalForm.COOPERATIVE: (
        "{} Genossenschaft",
        "{} société coopérative",
        "{} società cooperativa",
    ),
    LegalForm.ASSOCIATION: ("Verein {}", "Association {}", "Associazione {}"),
    LegalForm.FOUNDATION: ("Stiftung {}", "Fondation {}", "Fondazione {}"),
    LegalForm.BRANCH: (
        "{} GmbH, Zweigniederlassung Schweiz",
        "{} SAS, succursale suisse",
        "{} S.r.l., succursale svizzera",
    ),
}
PARTNERSHIP = {"de": "& Co.", "fr": "& Cie", "it": "& Co."}
OWN_PENSION_FUND = {
    "de": "Pensionskasse {}",
    "fr": "Caisse de pension {}",
    "it": "Cassa pensione {}",
}
MAILBOX = {"de": "info", "fr": "contact", "it": "info"}
SECOND_LANGUAGE = {"de": "fr", "fr": "de", "it": "de"}

REGISTER_STATUSES = {
    RegisterStatus.ACTIVE: 980,
    RegisterStatus.LIQUIDATION: 15,
    RegisterStatus.DELETED: 5,
}
STATUSES = {
    RelationshipStatus.ACTIVE: 40,
    RelationshipStatus.NEW: 15,
    RelationshipStatus.REACTIVATION: 7,
    RelationshipStatus.DORMANT: 28,
    RelationshipStatus.STOPPED: 10,
}
# Employer survey by office type (§6): A 44, B 23, C 42; intensity follows the type.
TYPES = {"A": 44, "B": 23, "C": 42}
INTENSITIES = {
    "A": {"collaborate": 60, "align": 30, "inform": 10},
    "B": {"align": 60, "collaborate": 20, "inform": 20},
    "C": {"inform": 65, "align": 30, "collaborate": 5},
}
CAPABILITIES = {  # probability by size rank
    "has_health_management": (0.05, 0.15, 0.40, 0.75),
    "has_case_management": (0.02, 0.08, 0.25, 0.60),
    "has_job_coaching": (0.01, 0.04, 0.12, 0.30),
    "can_offer_adapted_work": (0.20, 0.35, 0.50, 0.65),
}
# Functions after the CEO, weights by size rank.
FUNCTIONS = {
    PersonFunction.HR: (5, 30, 40, 40),
    PersonFunction.LINE_MANAGER: (25, 30, 30, 30),
    PersonFunction.SECRETARIAT: (40, 25, 10, 5),
    PersonFunction.DISABILITY_MANAGER: (0, 3, 15, 20),
    PersonFunction.OTHER: (30, 12, 5, 5),
}

# Reasons for a cooperation assessment, in the office's language, by type.
FIRST_ASSESSMENT = {
    "de": "Ersteinschätzung: ",
    "fr": "Première évaluation : ",
    "it": "Prima valutazione: ",
}
REASONS_TEXT = """
de | A | Entwickelt mit uns neue Lösungen, z. B. Arbeitsversuche im Betrieb.
de | A | Regelmässige Runde Tische; bietet aktiv Schonarbeitsplätze an.
de | A | Gemeinsames Pilotprojekt zur Früherfassung vereinbart.
de | B | Abläufe mit dem HR abgestimmt; feste Ansprechpersonen auf beiden Seiten.
de | B | Meldet Früherfassungen zuverlässig, Fallbesprechungen nach Bedarf.
de | B | Koordination der Eingliederungsmassnahmen funktioniert gut.
de | C | Kontakt nur bei konkreten Fällen, meist auf Anfrage des Betriebs.
de | C | Wünscht Information, aber keine regelmässige Zusammenarbeit.
de | C | Wenig Kapazität im Betrieb; Anfragen werden einzeln beantwortet.
fr | A | Développe avec nous de nouvelles solutions, p. ex. des stages d'essai.
fr | A | Tables rondes régulières ; propose activement des postes adaptés.
fr | A | Projet pilote commun de détection précoce convenu.
fr | B | Processus coordonnés avec les RH ; interlocuteurs attitrés des deux côtés.
fr | B | Annonce les cas de détection précoce de manière fiable.
fr | B | La coordination des mesures de réadaptation fonctionne bien.
fr | C | Contacts uniquement pour des cas concrets, surtout sur demande.
fr | C | Souhaite être informé, sans collaboration régulière.
fr | C | Peu de ressources ; les demandes sont traitées au cas par cas.
it | A | Sviluppa con noi nuove soluzioni, ad es. tentativi di lavoro in azienda.
it | A | Tavole rotonde regolari; offre attivamente posti di lavoro adattati.
it | A | Concordato un progetto pilota comune di rilevamento tempestivo.
it | B | Processi coordinati con le risorse umane; interlocutori fissi.
it | B | Segnala in modo affidabile i casi di rilevamento tempestivo.
it | B | Il coordinamento dei provvedimenti d'integrazione funziona bene.
it | C | Contatti solo per casi concreti, perlopiù su richiesta dell'azienda.
it | C | Desidera essere informata, senza collaborazione regolare.
it | C | Poche risorse in azienda; le richieste sono trattate caso per caso.
"""
# Invented names: no real insurer or pension fund is meant.
INSURERS_TEXT = """
insurer | de | Aaretal Kollektivversicherung AG
insurer | de | Gantrisch Versicherungen AG
insurer | de | Emmentaler Taggeldkasse
insurer | de | Mittelland Krankentaggeld AG
insurer | fr | Mutuelle du Léman SA
insurer | fr | Assurances collectives du Jorat SA
insurer | fr | Caisse des Métiers romands
insurer | it | Assicurazioni Ceresio SA
insurer | it | Cassa malattia Monte Generoso
insurer | it | Verbano Assicurazioni SA
pension | de | Pensionskasse Gewerbe Mittelland
pension | de | Sammelstiftung Aaretal
pension | de | Vorsorgestiftung Oberland
pension | de | Personalvorsorge Seeland
pension | fr | Fondation de prévoyance Lémanique
pension | fr | Caisse de pension du Jorat
pension | fr | Fondation collective Romandie Prévoyance
pension | it | Fondazione di previdenza Monte Brè
pension | it | Cassa pensione Artigiani Ticino
pension | it | Fondazione collettiva Sottoceneri
"""
STREETS_TEXT = """
de | Bahnhofstrasse | Hauptstrasse | Industriestrasse | Dorfstrasse | Gewerbestrasse
de | Bernstrasse | Schulhausstrasse | Seestrasse | Kirchgasse | Mühleweg
fr | Rue de la Gare | Avenue de la Gare | Rue du Centre | Route de Lausanne
fr | Chemin des Vignes | Rue de l'Industrie | Grand-Rue | Rue du Lac | Rue du Midi
it | Via Cantonale | Via San Gottardo | Via Industria | Via alla Stazione
it | Via Ponte Tresa | Via Lugano | Via Vincenzo Vela | Via Pretorio | Via Motta
"""


def _by_key(text: str) -> dict[tuple[str, str], list[str]]:
    """`a | b | value` rows → {(a, b): [values]}."""
    found: dict[tuple[str, str], list[str]] = {}
    for first, second, value in rows(text):
        found.setdefault((first, second), []).append(value)
    return found


REASONS = _by_key(REASONS_TEXT)  # (language, type) → sentences
INSURERS = _by_key(INSURERS_TEXT)  # ("insurer" | "pension", language) → names
STREETS: dict[str, list[str]] = {}
for _row in rows(STREETS_TEXT):
    STREETS.setdefault(_row[0], []).extend(_row[1:])
