"""The network's facts and the demonstration data of the centres app.

`load()` is run by `manage.py demo_data` (and so by `make run`). It writes:

1. the facts (``is_demo=False``): the pilot centre, the three referent centres,
   the axes' referent centres and the coordinators named in the network's own
   material. Real people get no contact details here: only title, name and
   specialty.
2. clearly marked demonstration data (``is_demo=True``): about fifty expert
   centres and a few partner centres over mainland France, Corsica and the
   five overseas departments, with fictional teams. Phone numbers come only
   from the ranges ARCEP reserves for fiction, e-mails only from example.org,
   and no FINESS number is given: a patient must never be led to call or
   write to a real hospital on a made-up contact.

Everything is keyed on natural keys (centre slug, person names, role
scope) and only saved when a value differs, so a second run changes no row
and adds no history. The demo data is deterministic: each centre draws from
its own seeded random generator.
"""

import random
import re
from datetime import timedelta
from typing import NamedTuple

from django.utils import timezone
from django.utils.text import slugify

from . import geo
from .models import Axis, Centre, CentreAxis, Department, Person, Role, Service
from .search import normalise

AXIS_CODES = {"p": "pancreas", "o": "oesophage", "f": "foie-voies-biliaires"}

# --- Facts -----------------------------------------------------------------

FACT_CENTRES = [
    {
        "slug": "chu-brest",
        "name": "CHU de Brest — Hôpital Morvan",
        "short_name": "CHU de Brest",
        "kind": Centre.Kind.PILOT,
        "address": "2 avenue Foch",
        "postcode": "29200",
        "city": "Brest",
        "latitude": 48.38885,
        "longitude": -4.49580,
        "phone": "02 98 22 33 33",
        "axes": "pof",
        "referent_of": "oesophage",
        "description": (
            "Centre pilote du réseau PAN-TOGETHER, qui coordonne le réseau national, "
            "et centre référent de l’axe œsophage et jonction œso-gastrique."
        ),
    },
    {
        "slug": "chu-avicenne",
        "name": "CHU Avicenne, AP-HP",
        "short_name": "CHU Avicenne",
        "kind": Centre.Kind.REFERENT,
        "address": "125 rue de Stalingrad",
        "postcode": "93000",
        "city": "Bobigny",
        "latitude": 48.91420,
        "longitude": 2.42530,
        "phone": "01 48 95 55 55",
        "axes": "f",
        "referent_of": "foie-voies-biliaires",
        "description": "Centre référent de l’axe foie et voies biliaires du réseau PAN-TOGETHER.",
    },
    {
        "slug": "chu-pitie-salpetriere",
        "name": "CHU Pitié-Salpêtrière, AP-HP",
        "short_name": "Pitié-Salpêtrière",
        "kind": Centre.Kind.REFERENT,
        "address": "47-83 boulevard de l’Hôpital",
        "postcode": "75013",
        "city": "Paris",
        "latitude": 48.83810,
        "longitude": 2.36350,
        "phone": "01 42 16 00 00",
        "axes": "p",
        "referent_of": "pancreas",
        "description": "Centre référent de l’axe pancréas du réseau PAN-TOGETHER.",
    },
]

# title, first name, last name, specialty, roles as (kind, centre slug, axis slug)
FACT_PEOPLE = [
    (
        "pr",
        "Jean-Philippe",
        "Metges",
        "Oncologie médicale",
        [
            (Role.Kind.NATIONAL_COORDINATOR, "chu-brest", None),
            (Role.Kind.AXIS_COORDINATOR, "chu-brest", "oesophage"),
        ],
    ),
    (
        "dr",
        "Vincent",
        "Bourbonne",
        "Radiothérapie",
        [(Role.Kind.AXIS_COORDINATOR, "chu-brest", "oesophage")],
    ),
    (
        "pr",
        "Nathalie",
        "Ganne-Carrié",
        "Hépatologie",
        [(Role.Kind.AXIS_COORDINATOR, "chu-avicenne", "foie-voies-biliaires")],
    ),
    (
        "pr",
        "Pierre",
        "Nahon",
        "Hépatologie",
        [(Role.Kind.AXIS_COORDINATOR, "chu-avicenne", "foie-voies-biliaires")],
    ),
    (
        "pr",
        "Jean-Baptiste",
        "Bachet",
        "Gastro-entérologie et oncologie digestive",
        [(Role.Kind.AXIS_COORDINATOR, "chu-pitie-salpetriere", "pancreas")],
    ),
    (
        "pr",
        "Jean-Philippe",
        "Spano",
        "Oncologie médicale",
        [(Role.Kind.AXIS_COORDINATOR, "chu-pitie-salpetriere", "pancreas")],
    ),
]

# --- Demonstration centres -------------------------------------------------


class DemoCentre(NamedTuple):
    slug: str
    name: str
    short_name: str
    address: str
    postcode: str
    city: str
    axes: str  # letters of AXIS_CODES
    kind: str = Centre.Kind.EXPERT
    transplant: bool = False  # offers liver transplantation


P = Centre.Kind.PARTNER
# fmt: off
DEMO_CENTRES = [
    # Bretagne
    DemoCentre("chu-rennes-pontchaillou", "CHU de Rennes — Hôpital Pontchaillou", "CHU de Rennes", "2 rue Henri-Le-Guilloux", "35000", "Rennes", "pof", transplant=True),  # noqa: E501
    DemoCentre("centre-eugene-marquis", "Centre Eugène-Marquis", "Centre Eugène-Marquis", "Avenue de la Bataille-Flandres-Dunkerque", "35000", "Rennes", "po"),  # noqa: E501
    DemoCentre("ch-cornouaille-quimper", "Centre hospitalier de Cornouaille — Quimper", "CH de Cornouaille", "14 avenue Yves-Thépot", "29000", "Quimper", "po"),  # noqa: E501
    DemoCentre("chba-vannes", "Centre hospitalier Bretagne Atlantique — Vannes", "CHBA Vannes", "20 boulevard Général-Maurice-Guillaudot", "56000", "Vannes", "pf"),  # noqa: E501
    DemoCentre("ch-saint-brieuc", "Centre hospitalier Yves-Le Foll — Saint-Brieuc", "CH de Saint-Brieuc", "10 rue Marcel-Proust", "22000", "Saint-Brieuc", "po"),  # noqa: E501
    DemoCentre("ch-pays-de-morlaix", "Centre hospitalier des Pays de Morlaix", "CH de Morlaix", "15 rue de Kersaint-Gilly", "29600", "Morlaix", "o", kind=P),  # noqa: E501
    # Pays de la Loire
    DemoCentre("chu-nantes", "CHU de Nantes — Hôtel-Dieu", "CHU de Nantes", "1 place Alexis-Ricordeau", "44000", "Nantes", "pof", transplant=True),  # noqa: E501
    DemoCentre("ico-saint-herblain", "Institut de cancérologie de l’Ouest — site René-Gauducheau", "ICO Saint-Herblain", "Boulevard Jacques-Monod", "44800", "Saint-Herblain", "po"),  # noqa: E501
    DemoCentre("chu-angers", "CHU d’Angers", "CHU d’Angers", "4 rue Larrey", "49100", "Angers", "pf"),  # noqa: E501
    DemoCentre("ch-le-mans", "Centre hospitalier Le Mans", "CH du Mans", "194 avenue Rubillard", "72000", "Le Mans", "of"),  # noqa: E501
    # Normandie
    DemoCentre("chu-caen", "CHU de Caen Normandie", "CHU de Caen", "Avenue de la Côte-de-Nacre", "14000", "Caen", "pof"),  # noqa: E501
    DemoCentre("chu-rouen-charles-nicolle", "CHU de Rouen — Hôpital Charles-Nicolle", "CHU de Rouen", "1 rue de Germont", "76000", "Rouen", "pof"),  # noqa: E501
    # Centre-Val de Loire
    DemoCentre("chu-tours-trousseau", "CHU de Tours — Hôpital Trousseau", "CHU de Tours", "Avenue de la République", "37170", "Chambray-lès-Tours", "pof"),  # noqa: E501
    DemoCentre("chr-orleans", "Centre hospitalier régional d’Orléans", "CHR d’Orléans", "14 avenue de l’Hôpital", "45100", "Orléans", "pf"),  # noqa: E501
    # Hauts-de-France
    DemoCentre("chu-lille-huriez", "CHU de Lille — Hôpital Claude-Huriez", "CHU de Lille", "Rue Michel-Polonovski", "59000", "Lille", "pof", transplant=True),  # noqa: E501
    DemoCentre("centre-oscar-lambret", "Centre Oscar-Lambret", "Centre Oscar-Lambret", "3 rue Frédéric-Combemale", "59000", "Lille", "po"),  # noqa: E501
    DemoCentre("chu-amiens-picardie", "CHU Amiens-Picardie", "CHU d’Amiens", "1 rond-point du Professeur-Christian-Cabrol", "80000", "Amiens", "pf"),  # noqa: E501
    DemoCentre("ch-valenciennes", "Centre hospitalier de Valenciennes", "CH de Valenciennes", "Avenue Désandrouin", "59300", "Valenciennes", "p", kind=P),  # noqa: E501
    # Grand Est
    DemoCentre("hus-nouvel-hopital-civil", "Hôpitaux universitaires de Strasbourg — Nouvel Hôpital civil", "HUS", "1 place de l’Hôpital", "67000", "Strasbourg", "pof", transplant=True),  # noqa: E501
    DemoCentre("icans-strasbourg", "Institut de cancérologie Strasbourg Europe", "ICANS", "17 rue Albert-Calmette", "67200", "Strasbourg", "po"),  # noqa: E501
    DemoCentre("chru-nancy-brabois", "CHRU de Nancy — Hôpital de Brabois", "CHRU de Nancy", "Rue du Morvan", "54500", "Vandœuvre-lès-Nancy", "pf"),  # noqa: E501
    DemoCentre("chu-reims-robert-debre", "CHU de Reims — Hôpital Robert-Debré", "CHU de Reims", "Rue du Général-Kœnig", "51100", "Reims", "pof"),  # noqa: E501
    # Bourgogne-Franche-Comté
    DemoCentre("chu-dijon-bourgogne", "CHU Dijon Bourgogne — Hôpital François-Mitterrand", "CHU de Dijon", "14 rue Paul-Gaffarel", "21000", "Dijon", "pof"),  # noqa: E501
    DemoCentre("chu-besancon-minjoz", "CHU de Besançon — Hôpital Jean-Minjoz", "CHU de Besançon", "3 boulevard Alexandre-Fleming", "25000", "Besançon", "pof", transplant=True),  # noqa: E501
    # Auvergne-Rhône-Alpes
    DemoCentre("hcl-edouard-herriot", "Hospices civils de Lyon — Hôpital Édouard-Herriot", "HCL Édouard-Herriot", "5 place d’Arsonval", "69003", "Lyon", "pof"),  # noqa: E501
    DemoCentre("hcl-croix-rousse", "Hospices civils de Lyon — Hôpital de la Croix-Rousse", "HCL Croix-Rousse", "103 grande rue de la Croix-Rousse", "69004", "Lyon", "f", transplant=True),  # noqa: E501
    DemoCentre("hcl-lyon-sud", "Hospices civils de Lyon — Centre hospitalier Lyon-Sud", "HCL Lyon-Sud", "165 chemin du Grand-Revoyet", "69310", "Pierre-Bénite", "po"),  # noqa: E501
    DemoCentre("centre-leon-berard", "Centre Léon-Bérard", "Centre Léon-Bérard", "28 rue Laennec", "69008", "Lyon", "pf"),  # noqa: E501
    DemoCentre("chu-saint-etienne-nord", "CHU de Saint-Étienne — Hôpital Nord", "CHU de Saint-Étienne", "Avenue Albert-Raimond", "42270", "Saint-Priest-en-Jarez", "pof"),  # noqa: E501
    DemoCentre("chu-grenoble-alpes", "CHU Grenoble Alpes — Hôpital Michallon", "CHU Grenoble Alpes", "Boulevard de la Chantourne", "38700", "La Tronche", "pof", transplant=True),  # noqa: E501
    DemoCentre("chu-clermont-estaing", "CHU de Clermont-Ferrand — Hôpital Estaing", "CHU de Clermont-Ferrand", "1 place Lucie-et-Raymond-Aubrac", "63000", "Clermont-Ferrand", "pof"),  # noqa: E501
    DemoCentre("ch-annecy-genevois", "Centre hospitalier Annecy Genevois", "CH Annecy Genevois", "1 avenue de l’Hôpital", "74370", "Epagny Metz-Tessy", "p", kind=P),  # noqa: E501
    # Provence-Alpes-Côte d’Azur
    DemoCentre("ap-hm-timone", "AP-HM — Hôpital de la Timone", "AP-HM Timone", "264 rue Saint-Pierre", "13005", "Marseille", "pof"),  # noqa: E501
    DemoCentre("institut-paoli-calmettes", "Institut Paoli-Calmettes", "Institut Paoli-Calmettes", "232 boulevard de Sainte-Marguerite", "13009", "Marseille", "po"),  # noqa: E501
    DemoCentre("chu-nice-archet", "CHU de Nice — Hôpital l’Archet", "CHU de Nice", "151 route de Saint-Antoine-de-Ginestière", "06200", "Nice", "pf", transplant=True),  # noqa: E501
    DemoCentre("ch-avignon", "Centre hospitalier d’Avignon — Henri-Duffaut", "CH d’Avignon", "305 rue Raoul-Follereau", "84000", "Avignon", "f", kind=P),  # noqa: E501
    # Corse
    DemoCentre("ch-bastia", "Centre hospitalier de Bastia", "CH de Bastia", "Route Impériale", "20600", "Bastia", "po"),  # noqa: E501
    DemoCentre("ch-ajaccio", "Centre hospitalier d’Ajaccio — Notre-Dame-de-la-Miséricorde", "CH d’Ajaccio", "27 avenue de l’Impératrice-Eugénie", "20000", "Ajaccio", "pf"),  # noqa: E501
    # Occitanie
    DemoCentre("chu-toulouse-rangueil", "CHU de Toulouse — Hôpital Rangueil", "CHU de Toulouse", "1 avenue du Professeur-Jean-Poulhès", "31400", "Toulouse", "pof", transplant=True),  # noqa: E501
    DemoCentre("iuct-oncopole", "Institut universitaire du cancer de Toulouse — Oncopole", "IUCT-Oncopole", "1 avenue Irène-Joliot-Curie", "31100", "Toulouse", "po"),  # noqa: E501
    DemoCentre("chu-montpellier-saint-eloi", "CHU de Montpellier — Hôpital Saint-Éloi", "CHU de Montpellier", "80 avenue Augustin-Fliche", "34090", "Montpellier", "pof", transplant=True),  # noqa: E501
    DemoCentre("chu-nimes-caremeau", "CHU de Nîmes — Hôpital Carémeau", "CHU de Nîmes", "Place du Professeur-Robert-Debré", "30900", "Nîmes", "pf"),  # noqa: E501
    DemoCentre("ch-perpignan", "Centre hospitalier de Perpignan", "CH de Perpignan", "20 avenue du Languedoc", "66000", "Perpignan", "o", kind=P),  # noqa: E501
    # Nouvelle-Aquitaine
    DemoCentre("chu-bordeaux-haut-leveque", "CHU de Bordeaux — Hôpital Haut-Lévêque", "CHU de Bordeaux", "1 avenue Magellan", "33600", "Pessac", "pof", transplant=True),  # noqa: E501
    DemoCentre("institut-bergonie", "Institut Bergonié", "Institut Bergonié", "229 cours de l’Argonne", "33000", "Bordeaux", "po"),  # noqa: E501
    DemoCentre("chu-poitiers", "CHU de Poitiers — Hôpital de la Milétrie", "CHU de Poitiers", "2 rue de la Milétrie", "86000", "Poitiers", "pof"),  # noqa: E501
    DemoCentre("chu-limoges-dupuytren", "CHU de Limoges — Hôpital Dupuytren", "CHU de Limoges", "2 avenue Martin-Luther-King", "87000", "Limoges", "pf"),  # noqa: E501
    DemoCentre("ch-pau", "Centre hospitalier de Pau", "CH de Pau", "4 boulevard Hauterive", "64000", "Pau", "o", kind=P),  # noqa: E501
    # Île-de-France
    DemoCentre("aphp-beaujon", "AP-HP — Hôpital Beaujon", "AP-HP Beaujon", "100 boulevard du Général-Leclerc", "92110", "Clichy", "pf", transplant=True),  # noqa: E501
    DemoCentre("gustave-roussy", "Gustave-Roussy", "Gustave-Roussy", "114 rue Édouard-Vaillant", "94800", "Villejuif", "pof"),  # noqa: E501
    DemoCentre("aphp-henri-mondor", "AP-HP — Hôpital Henri-Mondor", "AP-HP Henri-Mondor", "1 rue Gustave-Eiffel", "94000", "Créteil", "f", transplant=True),  # noqa: E501
    DemoCentre("aphp-saint-antoine", "AP-HP — Hôpital Saint-Antoine", "AP-HP Saint-Antoine", "184 rue du Faubourg-Saint-Antoine", "75012", "Paris", "pf"),  # noqa: E501
    # Overseas departments
    DemoCentre("chu-guadeloupe", "CHU de la Guadeloupe", "CHU de la Guadeloupe", "Route de Chauvel", "97139", "Les Abymes", "pof"),  # noqa: E501
    DemoCentre("chu-martinique", "CHU de Martinique — Hôpital Pierre-Zobda-Quitman", "CHU de Martinique", "Route de Châteauboeuf", "97200", "Fort-de-France", "pof"),  # noqa: E501
    DemoCentre("ch-cayenne", "Centre hospitalier de Cayenne — Andrée-Rosemon", "CH de Cayenne", "Avenue des Flamboyants", "97300", "Cayenne", "pf"),  # noqa: E501
    DemoCentre("chu-reunion-felix-guyon", "CHU de La Réunion — site Félix-Guyon", "CHU de La Réunion (Nord)", "Allée des Topazes", "97400", "Saint-Denis", "pof"),  # noqa: E501
    DemoCentre("chu-reunion-sud", "CHU de La Réunion — site Sud", "CHU de La Réunion (Sud)", "Avenue François-Mitterrand", "97410", "Saint-Pierre", "po"),  # noqa: E501
    DemoCentre("ch-mayotte", "Centre hospitalier de Mayotte", "CH de Mayotte", "Rue de l’Hôpital", "97600", "Mamoudzou", "pf"),  # noqa: E501
]
# fmt: on

# ARCEP keeps these ten-thousand-number blocks out of service for films and
# fiction, one per zone. Overseas: Réunion and Mayotte share zone 02, the
# Antilles and Guyane zone 05.
FICTION_PHONE_PREFIXES = {
    "01": "01 99 00",
    "02": "02 61 91",
    "03": "03 53 01",
    "04": "04 65 71",
    "05": "05 36 49",
}
FICTION_PHONE_RE = re.compile(r"^(?:01 99 00|02 61 91|03 53 01|04 65 71|05 36 49) \d\d \d\d$")
_ZONE_BY_REGION = {
    "11": "01",
    "24": "02",
    "28": "02",
    "52": "02",
    "53": "02",
    "04": "02",
    "06": "02",
    "27": "03",
    "32": "03",
    "44": "03",
    "84": "04",
    "93": "04",
    "94": "04",
    "75": "05",
    "01": "05",
    "02": "05",
    "03": "05",
}
# Occitanie spans two zones: Languedoc-Roussillon dials 04, Midi-Pyrénées 05.
_ZONE_04_OCCITANIE = {"11", "30", "34", "48", "66"}

DEMO_EMAIL_DOMAIN = "example.org"

# --- Fictional people ------------------------------------------------------

FIRST_NAMES_F = (
    "Anne Camille Claire Élise Émilie Hélène Isabelle Julie Laure Léa Lucie Manon Marie "
    "Mathilde Nathalie Pauline Sandrine Sophie Valérie Aurélie Céline Chloé Gaëlle Inès "
    "Juliette Maëlle Margaux Nadia Océane Sarah Solène Yasmina Anaïs Agnès Bérénice"
).split()
FIRST_NAMES_M = (
    "Antoine Arnaud Benoît Cédric Damien David Étienne François Guillaume Hugo Julien "
    "Karim Laurent Louis Mathieu Maxime Nicolas Olivier Paul Pierre-Yves Romain Samuel "
    "Sébastien Thomas Victor Yann Bastien Clément Denis Florian Gilles Loïc Mehdi Tristan"
).split()
LAST_NAMES = (
    "Aubert Barbier Bertin Blanchard Bonnet Boucher Bouvier Brunet Carpentier Chevalier "
    "Clément Colin Collet Cordier Delmas Deschamps Dumont Dupuis Durand Fabre Faure Ferrand "
    "Fleury Fournier Gaillard Garnier Gautier Girard Guérin Hamel Hubert Jacquet Joly "
    "Lacroix Lambert Langlois Laurent Leclerc Lefèvre Lemoine Leroux Lucas Marchand Martel "
    "Masson Mercier Meunier Millet Moreau Noël Olivier Perrin Picard Poulain Prévost "
    "Renard Renaud Rivière Roche Rolland Roussel Roy Sanchez Schmitt Simon Tessier Vasseur "
    "Vidal Weber"
).split()
# A few names of the place, so that teams look local.
LOCAL_LAST_NAMES = {
    "53": "Le Gall|Le Goff|Kerbrat|Le Bihan|Tanguy|Guillou|Le Corre|Quéré".split("|"),
    "94": "Santoni|Mattei|Leca|Albertini|Casanova|Peretti".split("|"),
    "04": "Payet|Hoarau|Grondin|Técher|Fontaine|Maillot".split("|"),
    "06": "Madi|Abdallah|Soilihi|Ahamada|Attoumani|Combo".split("|"),
    "01": "Bellance|Lubin|Jean-Louis|Alexis|Pierre-Louis|Nestor".split("|"),
    "02": "Bellance|Lubin|Jean-Louis|Alexis|Pierre-Louis|Nestor".split("|"),
    "03": "Bellance|Lubin|Jean-Louis|Alexis|Pierre-Louis|Nestor".split("|"),
    "44": "Schmitt|Muller|Meyer|Weiss|Klein|Koehler".split("|"),
}

# One entry per role, in the order a team is filled (2 to 5 people):
# kind, doctor?, specialties to draw from, label to draw from.
TEAM = [
    (
        Role.Kind.CENTRE_REFERENT,
        True,
        ["Chirurgie digestive", "Oncologie médicale", "Gastro-entérologie"],
        ["", "chirurgie hépato-bilio-pancréatique", "oncologie digestive"],
    ),
    (
        Role.Kind.SECRETARY,
        False,
        ["Secrétariat d’oncologie digestive"],
        ["rendez-vous et dossiers de RCP"],
    ),
    (
        Role.Kind.RCP_COORDINATOR,
        True,
        ["Oncologie médicale", "Gastro-entérologie", "Radiologie", "Radiothérapie"],
        ["RCP digestive hebdomadaire"],
    ),
    (
        Role.Kind.NURSE_COORDINATOR,
        False,
        ["IDEC (infirmière de coordination en cancérologie)"],
        ["annonce et suivi du parcours"],
    ),
    (
        Role.Kind.RESEARCH_CONTACT,
        True,
        ["Anatomo-pathologie", "Oncologie médicale", "Attachée de recherche clinique"],
        ["essais cliniques du réseau"],
    ),
]

SERVICES_BY_AXIS = {
    "pancreas": ["echo-endoscopie", "cpre", "chirurgie-hpb"],
    "oesophage": ["chirurgie-oeso-gastrique", "echo-endoscopie"],
    "foie-voies-biliaires": ["radiologie-interventionnelle", "chirurgie-hpb"],
}
COMMON_SERVICES = [
    "soins-de-support",
    "oncogeriatrie",
    "recherche-clinique",
    "biologie-moleculaire",
    "oncogenetique",
    "radiotherapie-stereotaxique",
]

WEEKDAYS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi"]

AXIS_DETAILS = {
    "pancreas": [
        "Consultation dédiée aux tumeurs du pancréas le {day} matin ; avis chirurgical "
        "sous {n} jours.",
        "Parcours rapide « pancréas » : scanner et écho-endoscopie programmés en moins "
        "de {n} jours, RCP le {day}.",
        "Chirurgie pancréatique (duodénopancréatectomie céphalique, pancréatectomie "
        "gauche) et chimiothérapie néo-adjuvante discutée en RCP le {day}.",
    ],
    "oesophage": [
        "Consultation œso-gastrique le {day} ; œsophagectomie mini-invasive et "
        "réhabilitation améliorée après chirurgie.",
        "Radiochimiothérapie et chirurgie de l’œsophage décidées en RCP le {day} ; "
        "prise en charge nutritionnelle dès le diagnostic.",
        "Endoscopie interventionnelle (prothèses, dilatations) et avis chirurgical sous {n} jours.",
    ],
    "foie-voies-biliaires": [
        "RCP hépatobiliaire le {day} ; radiofréquence, chimio-embolisation et "
        "radiothérapie interne sélective.",
        "Consultation du carcinome hépatocellulaire et des cholangiocarcinomes le {day} ; "
        "drainage biliaire sous {n} jours.",
        "Chirurgie hépatique et biliaire, suivi des cirrhoses à risque en lien avec l’hépatologie.",
    ],
}

_TYPO = [(" :", "\u00a0:"), (" ;", "\u202f;"), (" ?", "\u202f?"), (" !", "\u202f!")]
_TYPO += [("« ", "«\u00a0"), (" »", "\u00a0»")]


def typo(text: str) -> str:
    """French typography: no-break spaces before : ; ? ! and inside « »."""
    for plain, fine in _TYPO:
        text = text.replace(plain, fine)
    return text


# --- Writing ---------------------------------------------------------------


class _Tally:
    def __init__(self):
        self.created = 0
        self.updated = 0

    def count(self, created: bool, changed: bool) -> None:
        if created:
            self.created += 1
        elif changed:
            self.updated += 1


def _upsert(model, lookup: dict, values: dict, tally: _Tally):
    """Create or update one row by its natural key, saving only what changed.

    Unlike `update_or_create`, an unchanged row is not saved again: a second
    run writes no history record and keeps `updated_at`.
    """
    obj = model.objects.filter(**lookup).first()
    created = obj is None
    if created:
        obj = model(**lookup, **values)
    else:
        changed = {f: v for f, v in values.items() if getattr(obj, f) != v}
        if not changed:
            return obj
        for field, value in changed.items():
            setattr(obj, field, value)
    obj.full_clean()
    obj.save()
    tally.count(created, True)
    return obj


def _axes() -> dict[str, Axis]:
    """The three axes by slug; they come with the data migration."""
    axes = {a.slug: a for a in Axis.objects.all()}
    missing = set(AXIS_CODES.values()) - set(axes)
    if missing:
        raise RuntimeError(
            f"Axes absents ({', '.join(sorted(missing))}) : lancez d’abord « manage.py migrate »."
        )
    return axes


def _link_axes(centre: Centre, wanted: dict[Axis, tuple[str, str]], tally, *, prune: bool):
    """Give the centre these axes, with their details and dedicated phone."""
    for axis, (details, phone) in wanted.items():
        _upsert(
            CentreAxis,
            {"centre_id": centre.pk, "axis_id": axis.pk},
            {"details": details, "phone": phone},
            tally,
        )
    if prune:
        CentreAxis.objects.filter(centre=centre).exclude(axis__in=[a.pk for a in wanted]).delete()


def _set_referent(axis: Axis, centre: Centre, tally: _Tally) -> None:
    """Make the centre the axis's referent (saved only if it was not)."""
    if axis.referent_centre_id != centre.pk:
        axis.referent_centre = centre
        axis.save(update_fields=["referent_centre"])
        tally.count(False, True)


def _person_roles(person: Person, roles: list[tuple[str, Centre, Axis | None, str, int]], tally):
    """Give the person these roles (kind, centre, axis, label, order); return their ids."""
    kept = []
    for kind, centre, axis, label, order in roles:
        role = _upsert(
            Role,
            {
                "person_id": person.pk,
                "kind": kind,
                "centre_id": centre.pk if centre else None,
                "axis_id": axis.pk if axis else None,
            },
            {"label": label, "order": order},
            tally,
        )
        kept.append(role.pk)
    return kept


def load_facts(tally: _Tally) -> dict[str, Centre]:
    """The pilot and referent centres, the axes' referents and the coordinators."""
    axes = _axes()
    departments = {d.code: d for d in Department.objects.all()}
    centres = {}
    for fact in FACT_CENTRES:
        place = geo.postcode_places(fact["postcode"])[0]
        values = {
            k: v for k, v in fact.items() if k not in ("slug", "axes", "referent_of", "description")
        }
        values.update(
            department_id=departments[place.department].pk,
            description=typo(fact["description"]),
            finess="",
            is_demo=False,
            is_published=True,
        )
        centre = _upsert(Centre, {"slug": fact["slug"]}, values, tally)
        centres[fact["slug"]] = centre
        # Add the axes, never remove one an editor added in the admin.
        existing = {link.axis_id: link for link in CentreAxis.objects.filter(centre=centre)}
        for code in fact["axes"]:
            axis = axes[AXIS_CODES[code]]
            if axis.pk not in existing:
                CentreAxis.objects.create(centre=centre, axis=axis)
                tally.count(True, True)
        _set_referent(axes[fact["referent_of"]], centre, tally)
    for order, (title, first, last, specialty, roles) in enumerate(FACT_PEOPLE):
        person = _upsert(
            Person,
            {"first_name": first, "last_name": last},
            {"title": title, "specialty": specialty, "is_demo": False},
            tally,
        )
        _person_roles(
            person,
            [
                (kind, centres[slug], axes[axis] if axis else None, "", order)
                for kind, slug, axis in roles
            ],
            tally,
        )
    return centres


def phone_zone(department: Department) -> str:
    """The first two digits of a landline in the department's zone."""
    if department.region.code == "76":
        return "04" if department.code in _ZONE_04_OCCITANIE else "05"
    return _ZONE_BY_REGION[department.region.code]


def _place(postcode: str, city: str) -> geo.Place:
    """The commune of the postcode file that the centre's address names."""
    wanted = normalise(city)
    for place in geo.postcode_places(postcode):
        name = normalise(place.commune)
        # "Paris 15", "Lyon 03", "Marseille 05": arrondissements of the city.
        if name == wanted or name.startswith(wanted + " "):
            return place
    raise ValueError(f"{postcode} {city} n’est pas dans centres/data/postcodes-fr.csv")


AXIS_CANCERS = {
    "pancreas": "du pancréas",
    "oesophage": "de l’œsophage (jonction œso-gastrique comprise)",
    "foie-voies-biliaires": "du foie et des voies biliaires",
}
UNIVERSITY_PREFIXES = ("CHU", "CHRU", "AP-H", "Hospices", "Hôpitaux")


def _description(spec: DemoCentre, axis_slugs: list[str], rng: random.Random) -> str:
    parts = [AXIS_CANCERS[s] for s in axis_slugs]
    cancers = "cancers " + (", ".join(parts[:-1]) + " et " if len(parts) > 1 else "")
    cancers += parts[-1]
    if spec.kind == Centre.Kind.PARTNER:
        return typo(
            f"Centre de proximité lié par convention aux centres experts de la région. "
            f"L’équipe assure le diagnostic, la chimiothérapie et les soins de support près "
            f"du domicile ; les {cancers} sont discutés en RCP avec un centre expert.\n\n"
            f"- consultation d’oncologie digestive {rng.choice(['deux', 'trois'])} jours par "
            f"semaine ;\n- hôpital de jour de chimiothérapie ;\n- lien direct avec "
            f"l’infirmière de coordination du centre expert."
        )
    if spec.name.startswith(UNIVERSITY_PREFIXES):
        intro = (
            f"Établissement universitaire : l’équipe d’oncologie digestive réunit chirurgiens, "
            f"gastro-entérologues, oncologues, radiologues et pathologistes autour des {cancers}"
        )
    elif spec.name.startswith("Centre hospitalier"):
        intro = f"Centre hospitalier expert de son territoire pour les {cancers}"
    else:
        intro = f"Centre de lutte contre le cancer, expert pour les {cancers}"
    day = rng.choice(WEEKDAYS)
    return typo(
        f"{intro}.\n\n"
        f"- RCP d’oncologie digestive chaque {day}, ouverte en visioconférence aux "
        f"médecins du territoire ;\n"
        f"- consultation d’annonce et accompagnement par une infirmière de coordination ;\n"
        f"- accès aux essais cliniques du réseau PAN-TOGETHER ;\n"
        f"- soins de support dès le diagnostic (nutrition, douleur, psychologie).\n\n"
        f"Premier rendez-vous proposé en {rng.choice([5, 7, 8, 10])} jours ouvrés en moyenne."
    )


def _referral(phone: str, email: str, rng: random.Random) -> str:
    return typo(
        f"Appelez le secrétariat d’oncologie digestive au {phone} (du lundi au vendredi, "
        f"de 9 h à {rng.choice([16, 17, 18])} h) ou écrivez à {email}.\n\n"
        f"Joignez à la demande :\n\n"
        f"1. la lettre du médecin qui adresse le patient, avec ses antécédents et ses "
        f"traitements ;\n"
        f"2. les comptes rendus d’imagerie (scanner thoraco-abdomino-pelvien, IRM, "
        f"écho-endoscopie) et, si possible, les images ;\n"
        f"3. le compte rendu d’anatomo-pathologie s’il existe ;\n"
        f"4. un bilan biologique récent (dont le CA 19-9 pour le pancréas).\n\n"
        f"Pour une discussion en RCP, envoyez le dossier au plus tard "
        f"{rng.choice(['48 h', 'la veille à midi', 'trois jours'])} avant la réunion."
    )


def _unique_name(rng, used: set, female: bool, local: list[str]) -> tuple[str, str]:
    while True:
        first = rng.choice(FIRST_NAMES_F if female else FIRST_NAMES_M)
        last = rng.choice(local) if local and rng.random() < 0.5 else rng.choice(LAST_NAMES)
        if (first, last) not in used:
            used.add((first, last))
            return first, last


def load_demo(tally: _Tally) -> list[Centre]:
    """The demonstration centres and their fictional teams (deterministic)."""
    axes = _axes()
    services = {s.slug: s for s in Service.objects.all()}
    departments = {d.code: d for d in Department.objects.select_related("region")}
    today = timezone.localdate()
    used_names = {(first, last) for _, first, last, _, _ in FACT_PEOPLE}
    centres = []
    for index, spec in enumerate(DEMO_CENTRES):
        rng = random.Random(f"pan-together-demo:{spec.slug}")
        place = _place(spec.postcode, spec.city)
        department = departments[place.department]
        prefix = FICTION_PHONE_PREFIXES[phone_zone(department)]
        block = f"{prefix} {10 + index:02d}"  # 100 numbers of this centre
        email = f"onco-digestif.{spec.slug}@{DEMO_EMAIL_DOMAIN}"
        centre_axes = [axes[AXIS_CODES[c]] for c in spec.axes]
        centre = _upsert(
            Centre,
            {"slug": spec.slug},
            {
                "name": spec.name,
                "short_name": spec.short_name,
                "kind": spec.kind,
                "finess": "",
                "address": spec.address,
                "postcode": spec.postcode,
                "city": spec.city,
                "department_id": department.pk,
                # The commune's point, moved a little so that centres of one
                # city do not sit on top of each other on the map.
                "latitude": round(place.latitude + rng.uniform(-0.01, 0.01), 5),
                "longitude": round(place.longitude + rng.uniform(-0.01, 0.01), 5),
                "phone": f"{block} 00",
                "email": email,
                "website": "",
                "description": _description(spec, [a.slug for a in centre_axes], rng),
                "referral": _referral(f"{block} 01", email, rng),
                "is_published": True,
                "is_demo": True,
                "last_reviewed": today - timedelta(days=rng.randint(3, 350)),
            },
            tally,
        )
        centres.append(centre)
        wanted_axes = {}
        for axis in centre_axes:
            detail = rng.choice(AXIS_DETAILS[axis.slug])
            detail = detail.format(day=rng.choice(WEEKDAYS), n=rng.choice([7, 10, 15]))
            phone = f"{block} 1{axis.order}" if rng.random() < 0.35 else ""
            wanted_axes[axis] = (typo(detail), phone)
        _link_axes(centre, wanted_axes, tally, prune=True)

        slugs = []
        for axis in centre_axes:
            slugs += SERVICES_BY_AXIS[axis.slug]
        if spec.transplant:
            slugs.append("transplantation-hepatique")
        slugs = list(dict.fromkeys(slugs))  # de-duplicate, keep the order
        if spec.kind == Centre.Kind.PARTNER:
            slugs = slugs[:1] + ["soins-de-support", "oncogeriatrie"][: rng.randint(1, 2)]
        else:
            slugs = (slugs + rng.sample(COMMON_SERVICES, 3))[: rng.randint(3, 6)]
        wanted_services = {services[s] for s in slugs}
        if set(centre.services.all()) != wanted_services:
            centre.services.set(wanted_services)

        size = 2 if spec.kind == Centre.Kind.PARTNER else rng.randint(2, 5)
        local = LOCAL_LAST_NAMES.get(department.region.code, [])
        team = []
        for j, (kind, doctor, specialties, labels) in enumerate(TEAM[:size]):
            female = rng.random() < 0.6
            first, last = _unique_name(rng, used_names, female, local)
            specialty = rng.choice(specialties)
            if doctor and not specialty.startswith("Attachée"):
                university = spec.name.startswith(UNIVERSITY_PREFIXES)
                title = "pr" if university and kind == Role.Kind.CENTRE_REFERENT else "dr"
            else:
                title = "mme" if female else "m"
                if not female:
                    specialty = specialty.replace("Attachée", "Attaché").replace(
                        "infirmière", "infirmier"
                    )
            person = _upsert(
                Person,
                {"first_name": first, "last_name": last, "is_demo": True},
                {
                    "title": title,
                    "specialty": specialty,
                    "email": f"{slugify(first)}.{slugify(last)}@{DEMO_EMAIL_DOMAIN}",
                    "phone": f"{block} {20 + j:02d}" if not doctor or j == 0 else "",
                    "last_reviewed": centre.last_reviewed,
                },
                tally,
            )
            axis = centre_axes[0] if kind == Role.Kind.RCP_COORDINATOR else None
            kept = _person_roles(person, [(kind, centre, axis, rng.choice(labels), j)], tally)
            Role.objects.filter(person=person).exclude(pk__in=kept).delete()
            team.append(person.pk)
        # A smaller team than in an earlier version of this table: drop the others.
        Role.objects.filter(centre=centre, person__is_demo=True).exclude(person__in=team).delete()
    # Fictional people left without a role by such a change go too.
    Person.objects.filter(is_demo=True, roles__isnull=True).delete()
    return centres


def load(*, stdout) -> None:
    """Write the facts, then the demonstration data; print a one-line summary."""
    tally = _Tally()
    facts = load_facts(tally)
    demo = load_demo(tally)
    stdout.write(
        typo(
            f"Centres : {len(facts)} du réseau (faits) et {len(demo)} de démonstration ; "
            f"{Person.objects.count()} personnes, {Role.objects.count()} rôles en base ; "
            f"{tally.created} lignes créées, {tally.updated} mises à jour."
        )
    )
