# ruff: noqa: E501  (the table below holds whole sentences of French text)
"""Demonstration trials: about forty fictional trials across the three axes.

`load()` is run by `manage.py demo_data` after the centres' demo data. Each
trial is first written as ClinicalTrials.gov API v2 JSON (built here from the
table below) and goes through the same import code as a real registry file;
then the fields staff write by hand (French title, summary, key eligibility,
axes, setting, publication) are set, as an editor would in the admin.

Everything is fictional and marked so: `is_demo=True` (the pages say it),
NCT numbers in the block NCT09900001-NCT09900099 that ClinicalTrials.gov has
not reached, EU CT numbers of the year 2099, investigators drawn from the
centres' fictional names, phone numbers from the ARCEP fiction ranges,
e-mails at example.org. Sites are the demo centres, looked up by slug; a
missing centre is skipped, and without any centre nothing is loaded.

Deterministic and idempotent: a second run changes no row.
"""

import random
from datetime import date
from typing import NamedTuple

from centres.demo import (
    DEMO_EMAIL_DOMAIN,
    FICTION_PHONE_PREFIXES,
    FIRST_NAMES_F,
    FIRST_NAMES_M,
    LAST_NAMES,
    phone_zone,
    typo,
)
from centres.models import Axis, Centre

from .models import Trial
from .services import CentreMatcher, ImportReport, import_document

NCT_BLOCK = "NCT099"
REVIEWED_ON = date(2026, 10, 1)
AXES = {"p": "pancreas", "o": "oesophage", "f": "foie-voies-biliaires"}
SPONSORS = {
    "coop": ("Groupe coopérateur exemple d’oncologie digestive (fictif)", "OTHER"),
    "chu": ("CHU exemple, promoteur académique (fictif)", "OTHER"),
    "unicancer": ("Fédération exemple des centres de lutte contre le cancer (fictive)", "NETWORK"),
    "pharma": ("Exemple Pharma (fictif)", "INDUSTRY"),
    "biotech": ("Exemple Biotech (fictive)", "INDUSTRY"),
}
# Facilities outside the network that some trials list (left for review in the admin).
OUTSIDE = {
    "parc-lyon": ("Clinique exemple du Parc", "Lyon", "69006"),
    "prive-marseille": ("Hôpital privé exemple Marseille", "Marseille", "13008"),
    "ch-vienne": ("Centre hospitalier exemple de Vienne", "Vienne", "38200"),
    "institut-paris": ("Institut exemple de cancérologie", "Paris", "75005"),
}


class DemoTrial(NamedTuple):
    n: int
    axis: str  # a letter of AXES
    acronym: str
    phases: str  # "PHASE3", "PHASE1 PHASE2", "NA", "" (observational)
    status: str
    setting: str
    sponsor: str  # a key of SPONSORS
    title_en: str
    conditions: str  # "; "-separated
    interventions: str  # "; "-separated
    ages: tuple[int | None, int | None]
    dates: str  # "start|primary completion|last registry update"
    sites: str  # centre slugs; "slug*" is not yet recruiting there; "+key" outside the network
    plain_title: str
    summary: str
    eligibility: str  # "; "-separated points


# fmt: off
TRIALS = [
    # --- Pancreas ---------------------------------------------------------
    DemoTrial(1, "p", "PANEO-D", "PHASE3", "RECRUITING", "neoadjuvant", "coop",
        "Neoadjuvant mFOLFIRINOX Versus Upfront Surgery in Resectable Pancreatic Cancer",
        "Pancreatic Ductal Adenocarcinoma; Resectable Pancreatic Cancer", "mFOLFIRINOX; Pancreatectomy",
        (18, 75), "2024-03-04|2028-06|2026-09-15",
        "chu-pitie-salpetriere hcl-edouard-herriot centre-leon-berard chu-nantes chu-lille-huriez chu-bordeaux-haut-leveque chu-brest ap-hm-timone +parc-lyon",
        "Chimiothérapie avant l’opération d’un cancer du pancréas opérable",
        "Aujourd’hui, un cancer du pancréas opérable est d’abord opéré, puis traité par chimiothérapie. Cet essai compare cette stratégie à une chimiothérapie donnée avant l’opération, pour savoir si elle permet de vivre plus longtemps. Le choix entre les deux stratégies est fait par tirage au sort.",
        "Cancer du pancréas (adénocarcinome) confirmé par une biopsie; Tumeur jugée opérable en RCP; Pas de chimiothérapie antérieure pour ce cancer; Être en assez bonne forme pour une chimiothérapie intensive"),
    DemoTrial(2, "p", "ADJU-DUR", "PHASE3", "RECRUITING", "adjuvant", "chu",
        "Three Versus Six Months of Adjuvant Chemotherapy After Pancreatic Cancer Resection",
        "Pancreatic Adenocarcinoma", "mFOLFIRINOX; Gemcitabine and capecitabine",
        (18, None), "2025-01-06|2029-01|2026-08-30",
        "hcl-lyon-sud chu-saint-etienne-nord chu-grenoble-alpes chu-dijon-bourgogne chu-rennes-pontchaillou chu-toulouse-rangueil aphp-beaujon",
        "Trois ou six mois de chimiothérapie après l’opération d’un cancer du pancréas ?",
        "Après l’opération d’un cancer du pancréas, une chimiothérapie de six mois est recommandée. Cet essai cherche à savoir si trois mois suffisent pour certains patients, avec moins d’effets indésirables, sans perdre en efficacité.",
        "Opéré(e) d’un cancer du pancréas depuis moins de 12 semaines; Bonne récupération après l’opération; Pas de métastase au scanner après l’opération"),
    DemoTrial(3, "p", "METAPAN-1", "PHASE2", "RECRUITING", "metastatic_1l", "pharma",
        "EXP-1180 Plus Chemotherapy as First-Line Treatment of Metastatic Pancreatic Cancer",
        "Metastatic Pancreatic Adenocarcinoma", "EXP-1180; NALIRIFOX",
        (18, None), "2025-05-12|2027-09|2026-10-02",
        "gustave-roussy centre-leon-berard institut-paoli-calmettes icans-strasbourg ico-saint-herblain iuct-oncopole chu-pitie-salpetriere",
        "Un nouvel anticorps associé à la chimiothérapie pour un cancer du pancréas métastatique",
        "Cet essai évalue un anticorps expérimental ajouté à la chimiothérapie habituelle, dès le premier traitement d’un cancer du pancréas qui s’est étendu à d’autres organes. Il mesure l’efficacité et la tolérance de l’association.",
        "Cancer du pancréas avec métastases, pas encore traité par chimiothérapie; Pouvoir se déplacer régulièrement dans le centre pour les perfusions et les examens"),
    DemoTrial(4, "p", "KRASTEP", "PHASE1 PHASE2", "RECRUITING", "metastatic_2l", "biotech",
        "Oral KRAS G12D Inhibitor in Previously Treated Pancreatic Cancer",
        "Pancreatic Cancer; KRAS G12D Mutation", "EXB-0412",
        (18, None), "2025-09-01|2027-12|2026-10-20",
        "gustave-roussy centre-leon-berard institut-bergonie centre-oscar-lambret",
        "Un médicament ciblant la mutation KRAS après une première chimiothérapie",
        "Certains cancers du pancréas portent une anomalie d’un gène appelé KRAS. Cet essai teste un comprimé qui cible cette anomalie, chez des patients dont la maladie a progressé après une première chimiothérapie.",
        "Cancer du pancréas avancé avec la mutation KRAS G12D (analyse de la tumeur); Au moins une chimiothérapie déjà reçue; Séjours courts à l’hôpital possibles au début du traitement"),
    DemoTrial(5, "p", "STEREO-PAN", "PHASE2", "RECRUITING", "locally_advanced", "unicancer",
        "Stereotactic Body Radiotherapy After Induction Chemotherapy in Locally Advanced Pancreatic Cancer",
        "Locally Advanced Pancreatic Cancer", "Stereotactic body radiotherapy; FOLFIRINOX",
        (18, 80), "2024-10-14|2027-04|2026-07-08",
        "hcl-edouard-herriot chu-clermont-estaing centre-eugene-marquis chu-nice-archet chu-reunion-felix-guyon",
        "Radiothérapie de haute précision pour un cancer du pancréas localement avancé",
        "Quand le cancer du pancréas touche des vaisseaux importants, l’opération n’est souvent pas possible d’emblée. Après quatre mois de chimiothérapie, cet essai ajoute une radiothérapie en cinq séances très précises, pour mieux contrôler la tumeur et parfois rendre l’opération possible.",
        "Cancer du pancréas localement avancé, sans métastase; Chimiothérapie d’induction terminée sans progression"),
    DemoTrial(6, "p", "NUTRIPAN", "NA", "RECRUITING", "supportive", "chu",
        "Nutritional Support and Adapted Physical Activity During Chemotherapy for Pancreatic Cancer",
        "Pancreatic Cancer; Cachexia", "Dietary counselling and oral supplements; Adapted physical activity",
        (18, None), "2024-06-03|2026-12|2026-05-19",
        "chu-angers chu-tours-trousseau chba-vannes ch-saint-brieuc chu-guadeloupe hcl-lyon-sud",
        "Nutrition et activité physique adaptée pendant la chimiothérapie",
        "La perte de poids et de muscles est fréquente pendant le traitement d’un cancer du pancréas. Cet essai compare un accompagnement renforcé (diététicienne, compléments, activité physique encadrée) au suivi habituel, pour préserver les forces et la qualité de vie.",
        "Cancer du pancréas traité par chimiothérapie, quel que soit le stade; Perte de poids récente"),
    DemoTrial(7, "p", "PLEXUS-PAIN", "PHASE3", "NOT_YET_RECRUITING", "supportive", "chu",
        "Early EUS-Guided Celiac Plexus Neurolysis for Pain in Pancreatic Cancer",
        "Pancreatic Cancer; Cancer Pain", "EUS-guided celiac plexus neurolysis",
        (18, None), "2026-11|2028-11|2026-09-22",
        "aphp-beaujon chu-pitie-salpetriere chu-lille-huriez chu-montpellier-saint-eloi",
        "Soulager tôt la douleur d’un cancer du pancréas par écho-endoscopie",
        "Cet essai évalue un geste fait pendant une écho-endoscopie, qui bloque les nerfs transmettant la douleur. Il compare ce geste réalisé dès le diagnostic au traitement habituel par médicaments.",
        "Cancer du pancréas non opérable; Douleurs abdominales ou dorsales liées au cancer"),
    DemoTrial(8, "p", "SURVEIL-TIPMP", "", "RECRUITING", "screening", "chu",
        "Surveillance of Intraductal Papillary Mucinous Neoplasms of the Pancreas",
        "Intraductal Papillary Mucinous Neoplasm; Pancreatic Cyst", "MRI and endoscopic ultrasound surveillance",
        (40, None), "2023-09-01|2030-09|2026-06-11",
        "aphp-beaujon chu-nantes hcl-edouard-herriot chu-caen",
        "Surveillance des kystes du pancréas (TIPMP)",
        "Les kystes du pancréas appelés TIPMP sont fréquents et le plus souvent bénins, mais certains peuvent évoluer. Cette étude suit des personnes porteuses de ces kystes pour mieux savoir qui surveiller, à quel rythme, et quand opérer.",
        "Kyste du pancréas de type TIPMP découvert au scanner ou à l’IRM; Pas de traitement particulier : des examens de surveillance"),
    DemoTrial(9, "p", "FAMPAN", "", "RECRUITING", "screening", "coop",
        "Pancreatic Cancer Screening in High-Risk Individuals With Familial or Genetic Predisposition",
        "Pancreatic Cancer; Hereditary Cancer Syndrome", "Annual MRI and endoscopic ultrasound",
        (40, 80), "2024-01-15|2031-01|2026-04-02",
        "chu-pitie-salpetriere chu-rouen-charles-nicolle chu-reims-robert-debre hcl-edouard-herriot* chu-nimes-caremeau",
        "Dépistage du cancer du pancréas dans les familles à risque",
        "Certaines familles comptent plusieurs cas de cancer du pancréas, ou portent une anomalie génétique qui en augmente le risque. Cette étude propose une surveillance par IRM et écho-endoscopie chaque année, et mesure son intérêt.",
        "Au moins deux proches parents atteints d’un cancer du pancréas, ou anomalie génétique connue (BRCA2, PALB2, CDKN2A…); Avis d’une consultation d’oncogénétique"),
    DemoTrial(10, "p", "PARPAN", "PHASE2", "ACTIVE_NOT_RECRUITING", "metastatic_1l", "pharma",
        "PARP Inhibitor Maintenance in BRCA-Mutated Metastatic Pancreatic Cancer",
        "Metastatic Pancreatic Cancer; BRCA Mutation", "EXP-2207",
        (18, None), "2022-11-07|2025-11|2026-03-16",
        "gustave-roussy centre-leon-berard institut-paoli-calmettes",
        "Traitement d’entretien par comprimés pour un cancer du pancréas avec mutation BRCA",
        "Chez les patients porteurs d’une mutation BRCA dont la maladie est stabilisée par la chimiothérapie, cet essai évalue un traitement d’entretien par comprimés. Les inclusions sont terminées ; les patients inclus continuent d’être suivis.",
        "Mutation BRCA1 ou BRCA2; Maladie contrôlée après au moins quatre mois de chimiothérapie"),
    DemoTrial(11, "p", "GERIAPAN", "PHASE3", "RECRUITING", "metastatic_1l", "coop",
        "Adapted Chemotherapy for Patients Aged 70 or Older With Metastatic Pancreatic Cancer",
        "Metastatic Pancreatic Cancer; Aged", "Gemcitabine; Gemcitabine plus nab-paclitaxel",
        (70, None), "2024-04-22|2028-04|2026-09-01",
        "chu-limoges-dupuytren chu-poitiers chu-besancon-minjoz chru-nancy-brabois hcl-lyon-sud chu-martinique",
        "Une chimiothérapie adaptée après 70 ans",
        "Les personnes âgées sont peu représentées dans les essais. Celui-ci compare deux chimiothérapies d’intensité différente chez des patients de 70 ans et plus, après une évaluation gériatrique, pour trouver le meilleur équilibre entre efficacité et qualité de vie.",
        "70 ans ou plus; Cancer du pancréas avec métastases, non encore traité; Évaluation gériatrique faite dans le centre"),
    DemoTrial(12, "p", "STENT-PRE", "NA", "COMPLETED", "resectable", "chu",
        "Metal Versus Plastic Biliary Stent Before Pancreatoduodenectomy",
        "Pancreatic Head Cancer; Obstructive Jaundice", "Self-expandable metal stent; Plastic stent",
        (18, None), "2021-02-01|2024-06|2025-11-30",
        "chu-amiens-picardie chu-caen",
        "Prothèse des voies biliaires avant l’opération : métallique ou plastique ?",
        "Quand la tumeur bloque l’écoulement de la bile, une prothèse est souvent posée avant l’opération. Cet essai, terminé, a comparé deux types de prothèses. Ses résultats sont en cours d’analyse.",
        "Essai terminé : plus aucune inclusion"),
    DemoTrial(13, "p", "RADIOLIM", "PHASE2", "TERMINATED", "neoadjuvant", "unicancer",
        "Preoperative Chemoradiotherapy in Borderline Resectable Pancreatic Cancer",
        "Borderline Resectable Pancreatic Cancer", "Chemoradiotherapy; mFOLFIRINOX",
        (18, 75), "2022-05-09|2025-05|2025-09-12",
        "chu-toulouse-rangueil chu-bordeaux-haut-leveque",
        "Radiochimiothérapie avant l’opération d’une tumeur du pancréas « limite »",
        "Cet essai a été arrêté avant son terme parce que trop peu de patients ont pu y participer. Il ne recrute plus.",
        "Essai arrêté : plus aucune inclusion"),
    DemoTrial(14, "p", "VACCIPAN", "PHASE1 PHASE2", "NOT_YET_RECRUITING", "adjuvant", "biotech",
        "Personalised mRNA Cancer Vaccine After Resection of Pancreatic Cancer",
        "Pancreatic Ductal Adenocarcinoma", "EXV-mRNA-07; mFOLFIRINOX",
        (18, 75), "2026-12|2029-06|2026-10-28",
        "gustave-roussy centre-leon-berard hcl-edouard-herriot",
        "Un vaccin thérapeutique personnalisé après l’opération",
        "Ce vaccin est fabriqué pour chaque patient à partir des caractéristiques de sa tumeur. Il est donné avec la chimiothérapie habituelle après l’opération, pour aider le système immunitaire à éviter une rechute. Les inclusions n’ont pas encore commencé.",
        "Opéré(e) d’un cancer du pancréas; Tumeur disponible pour l’analyse génétique"),
    DemoTrial(15, "p", "ECHOBIOP", "NA", "RECRUITING", "diagnosis", "chu",
        "New-Generation Needle for EUS-Guided Biopsy of Solid Pancreatic Masses",
        "Pancreatic Mass; Pancreatic Cancer", "EUS-guided fine needle biopsy",
        (18, None), "2025-02-03|2026-12|2026-06-30",
        "chu-nice-archet ap-hm-timone ch-bastia chu-dijon-bourgogne chu-saint-etienne-nord",
        "Mieux réussir la biopsie du pancréas du premier coup",
        "Le diagnostic d’une tumeur du pancréas repose sur une biopsie faite par écho-endoscopie. Cet essai compare deux aiguilles pour savoir laquelle donne plus souvent un diagnostic dès le premier examen.",
        "Masse du pancréas vue au scanner, nécessitant une biopsie"),
    # --- Oesophagus and gastro-oesophageal junction ----------------------
    DemoTrial(16, "o", "PERIO-IO", "PHASE3", "RECRUITING", "perioperative", "pharma",
        "Perioperative Anti-PD-1 Plus FLOT in Resectable Gastroesophageal Junction Adenocarcinoma",
        "Gastroesophageal Junction Adenocarcinoma; Esophageal Adenocarcinoma", "EXP-4471; FLOT",
        (18, None), "2024-09-16|2028-03|2026-10-05",
        "chu-brest chu-lille-huriez centre-oscar-lambret hcl-edouard-herriot chu-bordeaux-haut-leveque gustave-roussy chu-rennes-pontchaillou +prive-marseille",
        "Immunothérapie avant et après l’opération d’un cancer de la jonction œso-gastrique",
        "Cet essai ajoute une immunothérapie à la chimiothérapie FLOT, donnée avant et après l’opération, pour les adénocarcinomes de l’œsophage et de la jonction œso-gastrique. Il cherche à savoir si l’association réduit le risque de rechute.",
        "Adénocarcinome de l’œsophage ou de la jonction œso-gastrique opérable; Pas de métastase; Pas de maladie auto-immune active"),
    DemoTrial(17, "o", "PRESERV-O", "PHASE3", "RECRUITING", "resectable", "coop",
        "Active Surveillance Versus Surgery After Clinical Complete Response to Chemoradiotherapy",
        "Esophageal Cancer; Squamous Cell Carcinoma of Esophagus", "Active surveillance; Esophagectomy",
        (18, None), "2024-02-05|2029-02|2026-08-18",
        "chu-brest chu-caen chu-saint-etienne-nord ico-saint-herblain chu-toulouse-rangueil chu-reunion-felix-guyon",
        "Surveiller plutôt qu’opérer quand la radiochimiothérapie a fait disparaître la tumeur",
        "Après une radiochimiothérapie, la tumeur de l’œsophage n’est parfois plus visible. Cet essai compare une surveillance rapprochée, avec chirurgie seulement en cas de reprise, à l’opération systématique.",
        "Cancer de l’œsophage traité par radiochimiothérapie; Plus de tumeur visible aux examens de fin de traitement"),
    DemoTrial(18, "o", "ADJU-O-IO", "PHASE3", "ACTIVE_NOT_RECRUITING", "adjuvant", "pharma",
        "Adjuvant Immunotherapy After Neoadjuvant Chemoradiotherapy and Surgery for Esophageal Cancer",
        "Esophageal Cancer", "EXP-5120; Placebo",
        (18, None), "2022-03-14|2026-03|2026-02-10",
        "gustave-roussy chu-lille-huriez",
        "Immunothérapie après l’opération d’un cancer de l’œsophage",
        "Cet essai évalue une immunothérapie donnée pendant un an après l’opération. Les inclusions sont terminées ; les patients inclus sont suivis.",
        "Essai fermé aux inclusions"),
    DemoTrial(19, "o", "SQUAMO-1", "PHASE2", "RECRUITING", "metastatic_1l", "biotech",
        "Novel Bispecific Antibody With Chemotherapy in First-Line Advanced Esophageal Squamous Cell Carcinoma",
        "Esophageal Squamous Cell Carcinoma", "EXB-2290; Cisplatin and 5-fluorouracil",
        (18, None), "2025-06-02|2027-10|2026-09-29",
        "institut-paoli-calmettes icans-strasbourg centre-eugene-marquis chu-clermont-estaing hcl-lyon-sud",
        "Un nouvel anticorps pour un cancer épidermoïde de l’œsophage avancé",
        "Pour les cancers épidermoïdes de l’œsophage qui ne peuvent pas être opérés ou qui ont des métastases, cet essai ajoute un anticorps expérimental à la chimiothérapie de première ligne.",
        "Carcinome épidermoïde de l’œsophage avancé ou métastatique; Pas de traitement antérieur pour la maladie avancée"),
    DemoTrial(20, "o", "HER2-GO", "PHASE2", "RECRUITING", "metastatic_2l", "pharma",
        "Anti-HER2 Antibody-Drug Conjugate After First-Line Therapy in HER2-Positive Gastroesophageal Cancer",
        "Gastroesophageal Junction Adenocarcinoma; HER2-positive", "EXP-ADC-310",
        (18, None), "2025-03-10|2027-06|2026-10-14",
        "gustave-roussy chu-bordeaux-haut-leveque chu-nantes hcl-edouard-herriot",
        "Anticorps conjugué anti-HER2 après un premier traitement",
        "Certains cancers de la jonction œso-gastrique expriment la protéine HER2. Cet essai évalue un anticorps qui apporte la chimiothérapie directement aux cellules HER2, après progression sous un premier traitement.",
        "Adénocarcinome HER2 positif; Progression après un premier traitement comprenant un anti-HER2"),
    DemoTrial(21, "o", "PREHAB-O", "NA", "NOT_YET_RECRUITING", "supportive", "chu",
        "Immunonutrition and Prehabilitation Before Esophagectomy",
        "Esophageal Cancer", "Immunonutrition; Supervised exercise programme",
        (18, 85), "2026-12|2028-10|2026-10-30",
        "chu-brest ch-pays-de-morlaix ch-cornouaille-quimper ch-saint-brieuc",
        "Se préparer à l’opération de l’œsophage : nutrition et exercice",
        "Trois semaines avant l’opération, un programme d’immunonutrition et d’exercices encadrés pourrait réduire les complications. Cet essai le compare à la préparation habituelle. Les inclusions commencent bientôt.",
        "Opération de l’œsophage prévue pour un cancer; Pouvoir marcher sans aide"),
    DemoTrial(22, "o", "ROBOESO", "NA", "RECRUITING", "resectable", "coop",
        "Robot-Assisted Versus Thoracoscopic Minimally Invasive Esophagectomy",
        "Esophageal Cancer", "Robot-assisted esophagectomy; Thoracoscopic esophagectomy",
        (18, 80), "2024-11-04|2028-11|2026-07-21",
        "chu-lille-huriez chu-rouen-charles-nicolle chu-montpellier-saint-eloi chu-grenoble-alpes chu-dijon-bourgogne",
        "Opération de l’œsophage : robot ou cœlioscopie ?",
        "Les deux techniques permettent d’opérer par de petites incisions. Cet essai compare les complications respiratoires et la récupération après chacune d’elles.",
        "Cancer de l’œsophage opérable; Opération mini-invasive possible"),
    DemoTrial(23, "o", "DYSPHAGIE", "NA", "RECRUITING", "supportive", "chu",
        "Stent Plus Brachytherapy Versus Stent Alone for Malignant Dysphagia",
        "Esophageal Cancer; Dysphagia", "Esophageal stent; Brachytherapy",
        (18, None), "2025-04-07|2027-04|2026-08-04",
        "chu-martinique chu-guadeloupe chu-reunion-sud ch-perpignan ch-pau",
        "Mieux avaler quand le cancer de l’œsophage gêne le passage des aliments",
        "Quand la tumeur empêche d’avaler, une prothèse est souvent posée. Cet essai évalue l’ajout d’une curiethérapie (radiothérapie de contact) pour que l’amélioration dure plus longtemps.",
        "Difficulté à avaler due à un cancer de l’œsophage non opérable"),
    DemoTrial(24, "o", "DOSE-RT", "PHASE2 PHASE3", "SUSPENDED", "locally_advanced", "unicancer",
        "Radiotherapy Dose Escalation in Definitive Chemoradiotherapy for Esophageal Cancer",
        "Esophageal Cancer", "High-dose radiotherapy; Carboplatin and paclitaxel",
        (18, 80), "2023-06-12|2027-06|2026-05-02",
        "centre-eugene-marquis icans-strasbourg",
        "Radiothérapie à dose plus élevée pour un cancer de l’œsophage non opéré",
        "Cet essai est suspendu pour le moment : aucun nouveau patient n’y est inclus. Il reprendra peut-être après l’analyse demandée par son comité de surveillance.",
        "Essai suspendu : pas d’inclusion actuellement"),
    DemoTrial(25, "o", "BARRETT-IA", "", "RECRUITING", "screening", "chu",
        "Artificial Intelligence-Assisted Endoscopic Surveillance of Barrett's Esophagus",
        "Barrett Esophagus; Esophageal Adenocarcinoma", "AI-assisted endoscopy",
        (18, None), "2025-01-20|2027-07|2026-06-23",
        "chu-reims-robert-debre chu-tours-trousseau chu-nantes chu-besancon-minjoz",
        "L’intelligence artificielle pour surveiller l’endobrachyœsophage",
        "L’endobrachyœsophage (œsophage de Barrett) peut évoluer vers un cancer. Cette étude évalue un logiciel d’aide à la détection des lésions précoces pendant l’endoscopie de surveillance.",
        "Endobrachyœsophage connu, suivi par endoscopie"),
    DemoTrial(26, "o", "CLAUDIA-1", "PHASE3", "NOT_YET_RECRUITING", "metastatic_1l", "pharma",
        "Anti-Claudin 18.2 Antibody Plus Chemotherapy in First-Line Gastroesophageal Adenocarcinoma",
        "Gastroesophageal Junction Adenocarcinoma; Claudin 18.2", "EXP-CL18; FOLFOX",
        (18, None), "2026-12|2029-12|2026-10-22",
        "gustave-roussy institut-bergonie iuct-oncopole ap-hm-timone",
        "Un anticorps anti-claudine 18.2 dès le premier traitement",
        "Cet essai évaluera un anticorps dirigé contre une protéine, la claudine 18.2, présente sur certaines tumeurs de la jonction œso-gastrique. Les inclusions n’ont pas encore commencé.",
        "Adénocarcinome avancé exprimant la claudine 18.2; Pas de traitement antérieur pour la maladie avancée"),
    DemoTrial(27, "o", "NUTRIJEJ", "NA", "RECRUITING", "supportive", "chu",
        "Home Enteral Nutrition via Jejunostomy After Esophagectomy",
        "Esophageal Cancer; Malnutrition", "Home enteral nutrition",
        (18, None), "2024-05-13|2026-11|2026-04-14",
        "chu-poitiers ch-le-mans chu-caen chu-brest ch-bastia",
        "Nutrition par sonde à domicile après l’opération de l’œsophage",
        "Après l’opération de l’œsophage, manger suffisamment est difficile. Cet essai évalue une nutrition complémentaire par sonde, à domicile, pendant les trois premiers mois.",
        "Opération de l’œsophage prévue ou récente"),
    # --- Liver and biliary tract -----------------------------------------
    DemoTrial(28, "f", "HCC-ADJ-IO", "PHASE3", "RECRUITING", "adjuvant", "pharma",
        "Adjuvant Immunotherapy After Resection or Ablation of Hepatocellular Carcinoma",
        "Hepatocellular Carcinoma", "EXP-7730; Placebo",
        (18, None), "2024-07-01|2028-07|2026-09-09",
        "chu-avicenne aphp-beaujon aphp-henri-mondor hcl-croix-rousse chu-bordeaux-haut-leveque chu-montpellier-saint-eloi chu-rennes-pontchaillou",
        "Immunothérapie après le traitement d’un cancer du foie",
        "Après une opération ou une destruction par radiofréquence d’un carcinome hépatocellulaire, le risque de récidive reste élevé. Cet essai évalue une immunothérapie pendant un an pour le réduire.",
        "Carcinome hépatocellulaire traité par chirurgie ou radiofréquence; Fonction du foie conservée (Child-Pugh A)"),
    DemoTrial(29, "f", "TACE-PLUS", "PHASE3", "RECRUITING", "locally_advanced", "coop",
        "Chemoembolization Plus Immunotherapy in Intermediate-Stage Hepatocellular Carcinoma",
        "Hepatocellular Carcinoma; BCLC Stage B", "Transarterial chemoembolization; Atezolizumab; Bevacizumab",
        (18, None), "2024-02-19|2028-02|2026-10-08",
        "chu-avicenne chu-lille-huriez chu-grenoble-alpes hcl-croix-rousse chu-nice-archet chu-toulouse-rangueil chu-guadeloupe +ch-vienne",
        "Chimio-embolisation et immunothérapie pour un cancer du foie de stade intermédiaire",
        "La chimio-embolisation traite la tumeur du foie par les artères. Cet essai cherche à savoir si l’ajout d’une immunothérapie prolonge le contrôle de la maladie.",
        "Carcinome hépatocellulaire de stade intermédiaire, limité au foie; Fonction du foie conservée"),
    DemoTrial(30, "f", "HEPANOVA", "PHASE3", "RECRUITING", "metastatic_1l", "pharma",
        "Novel Combination Versus Atezolizumab-Bevacizumab in First-Line Advanced Hepatocellular Carcinoma",
        "Advanced Hepatocellular Carcinoma", "EXP-3310 plus EXP-3320; Atezolizumab; Bevacizumab",
        (18, None), "2025-02-24|2028-08|2026-10-16",
        "aphp-beaujon hcl-edouard-herriot hus-nouvel-hopital-civil chu-rennes-pontchaillou chru-nancy-brabois chu-reunion-felix-guyon",
        "Une nouvelle association d’immunothérapies pour un cancer du foie avancé",
        "Pour un carcinome hépatocellulaire avancé, cet essai compare une nouvelle association de deux médicaments au traitement de référence actuel, dès la première ligne.",
        "Carcinome hépatocellulaire avancé, non traité par médicament; Fonction du foie conservée"),
    DemoTrial(31, "f", "HCC-AFTER", "PHASE2", "RECRUITING", "metastatic_2l", "coop",
        "Second-Line Therapy After Immunotherapy in Advanced Hepatocellular Carcinoma",
        "Hepatocellular Carcinoma", "Cabozantinib; Regorafenib",
        (18, None), "2024-09-09|2027-03|2026-07-27",
        "chu-avicenne aphp-henri-mondor centre-leon-berard chu-besancon-minjoz",
        "Quel traitement après l’immunothérapie pour un cancer du foie ?",
        "Quand un cancer du foie progresse après une immunothérapie, plusieurs médicaments sont possibles. Cet essai compare deux d’entre eux pour guider ce choix.",
        "Carcinome hépatocellulaire ayant progressé après une immunothérapie"),
    DemoTrial(32, "f", "SIRT-FR", "PHASE2", "NOT_YET_RECRUITING", "locally_advanced", "chu",
        "Selective Internal Radiation Therapy With Personalised Dosimetry in Hepatocellular Carcinoma",
        "Hepatocellular Carcinoma; Portal Vein Tumor Thrombosis", "Yttrium-90 radioembolization",
        (18, None), "2027-01|2029-01|2026-11-02",
        "chu-rennes-pontchaillou chu-brest chu-angers",
        "Radiothérapie interne sélective avec dose personnalisée",
        "Des microbilles radioactives sont injectées dans l’artère du foie pour irradier la tumeur de l’intérieur. Cet essai adapte la dose à chaque patient. Les inclusions n’ont pas encore commencé.",
        "Carcinome hépatocellulaire limité au foie, non opérable"),
    DemoTrial(33, "f", "DEPIST-IRM", "", "RECRUITING", "screening", "chu",
        "Abbreviated MRI Versus Ultrasound for Liver Cancer Surveillance in Cirrhosis",
        "Liver Cirrhosis; Hepatocellular Carcinoma", "Abbreviated MRI; Ultrasound",
        (18, 80), "2024-03-25|2029-03|2026-05-28",
        "chu-avicenne chu-amiens-picardie chu-dijon-bourgogne chu-clermont-estaing ch-cayenne chu-martinique hcl-croix-rousse",
        "Surveiller le foie des personnes atteintes de cirrhose : IRM courte ou échographie ?",
        "Les personnes atteintes de cirrhose ont une échographie tous les six mois pour dépister un cancer du foie tôt. Cette étude compare l’échographie à une IRM courte, plus précise mais moins disponible.",
        "Cirrhose suivie dans le centre; Pas de cancer du foie connu"),
    DemoTrial(34, "f", "DOWN-TX", "PHASE2", "RECRUITING", "neoadjuvant", "coop",
        "Downstaging Before Liver Transplantation for Hepatocellular Carcinoma Beyond Milan Criteria",
        "Hepatocellular Carcinoma; Liver Transplantation", "Locoregional therapy; Atezolizumab; Bevacizumab",
        (18, 70), "2025-05-05|2029-05|2026-09-24",
        "aphp-beaujon hcl-croix-rousse chu-lille-huriez chu-montpellier-saint-eloi chu-besancon-minjoz chu-grenoble-alpes",
        "Réduire le cancer du foie pour permettre une greffe",
        "Quand la tumeur est trop étendue pour une greffe de foie, des traitements peuvent parfois la réduire. Cet essai évalue une stratégie associant traitements locaux et immunothérapie pour permettre la transplantation.",
        "Carcinome hépatocellulaire dépassant les critères habituels de greffe; Avis d’un centre de transplantation hépatique"),
    DemoTrial(35, "f", "FGFR-CCA", "PHASE2", "RECRUITING", "metastatic_2l", "biotech",
        "Oral FGFR2 Inhibitor in Previously Treated Cholangiocarcinoma With FGFR2 Fusion",
        "Intrahepatic Cholangiocarcinoma; FGFR2 Fusion", "EXB-2210",
        (18, None), "2024-05-20|2026-11|2026-08-12",
        "gustave-roussy centre-leon-berard chu-toulouse-rangueil aphp-saint-antoine",
        "Un traitement ciblé pour les cholangiocarcinomes avec une fusion FGFR2",
        "Environ un cholangiocarcinome intrahépatique sur sept porte une anomalie du gène FGFR2. Cet essai teste un comprimé qui la cible, après une première chimiothérapie.",
        "Cholangiocarcinome avec fusion FGFR2 (analyse moléculaire de la tumeur); Au moins un traitement antérieur"),
    DemoTrial(36, "f", "BILIA-1", "PHASE3", "RECRUITING", "metastatic_1l", "pharma",
        "Gemcitabine-Cisplatin and Immunotherapy With or Without EXP-9040 in Advanced Biliary Tract Cancer",
        "Biliary Tract Cancer; Cholangiocarcinoma; Gallbladder Cancer", "EXP-9040; Durvalumab; Gemcitabine; Cisplatin",
        (18, None), "2025-01-13|2028-01|2026-10-10",
        "aphp-saint-antoine hcl-edouard-herriot chu-lille-huriez chu-bordeaux-haut-leveque chu-nimes-caremeau ap-hm-timone chu-rouen-charles-nicolle +institut-paris",
        "Premier traitement d’un cancer des voies biliaires avancé : ajouter un nouveau médicament",
        "Pour les cancers des voies biliaires et de la vésicule biliaire avancés, le traitement de référence associe chimiothérapie et immunothérapie. Cet essai cherche à savoir si l’ajout d’un troisième médicament améliore les résultats.",
        "Cancer des voies biliaires ou de la vésicule, avancé ou métastatique; Pas de traitement antérieur pour la maladie avancée"),
    DemoTrial(37, "f", "ADJU-BIL", "PHASE3", "ACTIVE_NOT_RECRUITING", "adjuvant", "unicancer",
        "Adjuvant Chemotherapy After Resection of Biliary Tract Cancer",
        "Biliary Tract Cancer", "Capecitabine; Gemcitabine and cisplatin",
        (18, 80), "2021-09-06|2026-09|2026-01-19",
        "aphp-beaujon chu-rennes-pontchaillou",
        "Chimiothérapie après l’opération d’un cancer des voies biliaires",
        "Cet essai compare deux chimiothérapies après l’opération. Les inclusions sont terminées ; les patients inclus sont suivis.",
        "Essai fermé aux inclusions"),
    DemoTrial(38, "f", "DRAIN-HILE", "NA", "RECRUITING", "supportive", "chu",
        "Endoscopic Versus Percutaneous Biliary Drainage in Hilar Cholangiocarcinoma",
        "Hilar Cholangiocarcinoma; Obstructive Jaundice", "Endoscopic drainage; Percutaneous drainage",
        (18, None), "2024-10-07|2027-10|2026-07-15",
        "aphp-beaujon chu-poitiers chu-limoges-dupuytren chba-vannes chr-orleans",
        "Drainer la bile : par endoscopie ou à travers la peau ?",
        "Les tumeurs du hile du foie bloquent souvent l’écoulement de la bile et provoquent une jaunisse. Cet essai compare deux façons de drainer la bile, pour savoir laquelle entraîne le moins de complications.",
        "Jaunisse due à une tumeur du hile du foie; Drainage biliaire nécessaire"),
    DemoTrial(39, "f", "ACTIV-FOIE", "NA", "RECRUITING", "supportive", "chu",
        "Adapted Physical Activity in Patients With Cirrhosis and Hepatocellular Carcinoma",
        "Hepatocellular Carcinoma; Liver Cirrhosis; Sarcopenia", "Adapted physical activity programme",
        (18, None), "2025-03-03|2027-03|2026-06-04",
        "ch-mayotte chu-reunion-felix-guyon ch-avignon ch-ajaccio chu-reims-robert-debre",
        "Activité physique adaptée pendant le traitement d’un cancer du foie",
        "La fonte musculaire aggrave la fatigue et la tolérance des traitements. Cet essai propose un programme d’activité physique encadré, adapté à la cirrhose, et en mesure les bénéfices.",
        "Cancer du foie sur cirrhose, quel que soit le traitement; Pas de contre-indication cardiaque à l’effort"),
    DemoTrial(40, "f", "IDH-CCA", "PHASE2", "COMPLETED", "metastatic_2l", "biotech",
        "IDH1 Inhibitor in Previously Treated IDH1-Mutated Cholangiocarcinoma",
        "Cholangiocarcinoma; IDH1 Mutation", "EXB-1610",
        (18, None), "2021-06-14|2024-12|2025-10-06",
        "gustave-roussy centre-leon-berard",
        "Un traitement ciblé pour les cholangiocarcinomes avec mutation IDH1",
        "Cet essai, terminé, évaluait un médicament ciblant la mutation IDH1. Ses résultats seront publiés par son promoteur.",
        "Essai terminé : plus aucune inclusion"),
]
# fmt: on


def nct(n: int) -> str:
    return f"{NCT_BLOCK}{n:05d}"


def _fiction_phone(centre: Centre, rng: random.Random) -> str:
    prefix = FICTION_PHONE_PREFIXES[phone_zone(centre.department)]
    return f"{prefix} {rng.randint(10, 99)} {rng.randint(10, 99)}"


def _person(rng: random.Random) -> str:
    first = rng.choice(FIRST_NAMES_F + FIRST_NAMES_M)
    return f"Dr {first} {rng.choice(LAST_NAMES)}"


def _date_struct(value: str) -> dict:
    return {"date": value, "type": "ESTIMATED" if value > "2026-11" else "ACTUAL"}


def _ages(ages) -> dict:
    low, high = ages
    result = {}
    if low is not None:
        result["minimumAge"] = f"{low} Years"
    if high is not None:
        result["maximumAge"] = f"{high} Years"
    return result


def _location(slug: str, trial: DemoTrial, centres: dict) -> dict | None:
    """A registry location: a demo centre by its name, or a facility outside the network."""
    rng = random.Random(f"pan-together-trial:{trial.n}:{slug}")
    if slug.startswith("+"):
        name, city, postcode = OUTSIDE[slug[1:]]
        return {
            "facility": name,
            "status": trial.status,
            "city": city,
            "zip": postcode,
            "country": "France",
        }
    not_yet = slug.endswith("*")
    centre = centres.get(slug.rstrip("*"))
    if centre is None:
        return None
    if trial.status == "RECRUITING":
        status = "NOT_YET_RECRUITING" if not_yet else "RECRUITING"
    else:
        status = trial.status
    return {
        "facility": centre.name,
        "status": status,
        "city": centre.city,
        "zip": centre.postcode,
        "country": "France",
        "contacts": [
            {"name": _person(rng), "role": "PRINCIPAL_INVESTIGATOR"},
            {
                "name": "Unité de recherche clinique",
                "role": "CONTACT",
                "phone": _fiction_phone(centre, rng),
                "email": f"essais.{centre.slug}@{DEMO_EMAIL_DOMAIN}",
            },
        ],
        "geoPoint": {"lat": centre.latitude, "lon": centre.longitude},
    }


def study_json(trial: DemoTrial, centres: dict) -> dict:
    """The trial as ClinicalTrials.gov API v2 would give it (fictional content)."""
    start, completion, updated = trial.dates.split("|")
    sponsor, sponsor_class = SPONSORS[trial.sponsor]
    conditions = trial.conditions.split("; ")
    interventions = trial.interventions.split("; ")
    locations = [
        loc for slug in trial.sites.split() if (loc := _location(slug, trial, centres)) is not None
    ]
    study_type = "OBSERVATIONAL" if not trial.phases else "INTERVENTIONAL"
    age_text = f"Age {trial.ages[0]} years or older" if trial.ages[0] else "Adults"
    criteria = (
        "Inclusion Criteria:\n\n"
        + "".join(f"* {c}\n" for c in conditions)
        + f"* {age_text}\n* ECOG performance status 0-1\n* Signed informed consent\n\n"
        "Exclusion Criteria:\n\n* Other active cancer\n* Pregnancy or breastfeeding\n"
    )
    return {
        "protocolSection": {
            "identificationModule": {
                "nctId": nct(trial.n),
                "orgStudyIdInfo": {"id": f"DEMO-{trial.acronym}"},
                "secondaryIdInfos": (
                    [{"id": f"2099-5{trial.n:05d}-12-00", "type": "CTIS"}]
                    if trial.phases and trial.phases != "NA"
                    else []
                ),
                "organization": {"fullName": sponsor, "class": sponsor_class},
                "briefTitle": trial.title_en,
                "officialTitle": f"{trial.title_en}: a Fictional Demonstration Study",
                "acronym": trial.acronym,
            },
            "statusModule": {
                "overallStatus": trial.status,
                "startDateStruct": _date_struct(start),
                "primaryCompletionDateStruct": _date_struct(completion),
                "lastUpdatePostDateStruct": {"date": updated, "type": "ACTUAL"},
            },
            "sponsorCollaboratorsModule": {
                "leadSponsor": {"name": sponsor, "class": sponsor_class}
            },
            "descriptionModule": {
                "briefSummary": (
                    f"Fictional study for the PAN-TOGETHER portal demonstration: {trial.title_en}."
                )
            },
            "conditionsModule": {"conditions": conditions},
            "designModule": {
                "studyType": study_type,
                "phases": trial.phases.split() if trial.phases else [],
                "enrollmentInfo": {"count": 40 + trial.n * 13 % 400, "type": "ESTIMATED"},
            },
            "armsInterventionsModule": {
                "interventions": [{"type": "OTHER", "name": name} for name in interventions]
            },
            "eligibilityModule": {
                "eligibilityCriteria": criteria,
                "sex": "ALL",
                **_ages(trial.ages),
            },
            "contactsLocationsModule": {"locations": locations},
        },
        "hasResults": False,
    }


def _manual_fields(trial: DemoTrial) -> dict:
    """What the network's staff would write in the admin."""
    points = "\n".join(f"- {typo(point)}" for point in trial.eligibility.split("; "))
    return {
        "plain_title": typo(trial.plain_title),
        "plain_summary": typo(trial.summary),
        "key_eligibility": points,
        "setting": trial.setting,
        "is_published": True,
        "is_demo": True,
        "last_reviewed": REVIEWED_ON,
        "needs_review": False,
        "review_note": "",
    }


def load(*, stdout) -> None:
    """Import the demo trials through the registry import, then add the staff's fields."""
    centres = {c.slug: c for c in Centre.objects.select_related("department__region")}
    if not centres:
        stdout.write("Essais : aucun centre en base, essais de démonstration non chargés.")
        return
    axes = {a.slug: a for a in Axis.objects.all()}
    report = ImportReport()
    page = {"studies": [study_json(trial, centres) for trial in TRIALS]}
    import_document(page, source="démonstration", report=report, matcher=CentreMatcher())
    if report.errors:
        raise RuntimeError("Demo trials do not import: " + " | ".join(report.errors))
    found = {t.nct_number: t for t in Trial.objects.filter(nct_number__startswith=NCT_BLOCK)}
    touched = 0
    for spec in TRIALS:
        trial = found[nct(spec.n)]
        wanted = _manual_fields(spec)
        changed = [name for name, value in wanted.items() if getattr(trial, name) != value]
        if changed:
            for name in changed:
                setattr(trial, name, wanted[name])
            trial.full_clean()
            trial.save()
            touched += 1
        axis = axes[AXES[spec.axis]]
        if [a.pk for a in trial.axes.all()] != [axis.pk]:
            trial.axes.set([axis])
            touched += 1
    stdout.write(
        typo(
            f"Essais : {len(TRIALS)} de démonstration ({len(report.created)} créés, "
            f"{len(report.updated)} mis à jour par l’import, {touched} retouches éditoriales) ; "
            f"{len(report.unmatched)} lieux hors réseau à rapprocher dans l’admin."
        )
    )
