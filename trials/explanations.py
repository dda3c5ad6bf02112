"""Plain-French explanations of the registry's words (phases, situations, statuses),
for the glossary page linked from the finder and from each trial page."""

from .models import Phase, Setting, Status

PHASES = {
    Phase.EARLY_PHASE1: "Tout premier essai chez l’humain, à très petite dose, chez quelques "
    "personnes, pour voir comment le produit se comporte dans l’organisme.",
    Phase.PHASE1: "Premiers essais d’un traitement chez l’humain\u00a0: on cherche la bonne dose "
    "et on surveille la tolérance, chez un petit nombre de patients.",
    Phase.PHASE1_PHASE2: "Un même essai enchaîne les deux étapes\u00a0: trouver la dose, puis "
    "commencer à mesurer si le traitement agit.",
    Phase.PHASE2: "Le traitement est donné à quelques dizaines ou centaines de patients pour "
    "savoir s’il agit sur la maladie et comment il est toléré.",
    Phase.PHASE2_PHASE3: "Un même essai enchaîne les deux étapes\u00a0: vérifier que le "
    "traitement agit, puis le comparer au traitement habituel.",
    Phase.PHASE3: "Le nouveau traitement est comparé au traitement habituel, souvent par tirage "
    "au sort, chez plusieurs centaines de patients\u00a0: c’est l’étape qui peut changer la "
    "façon de soigner.",
    Phase.PHASE4: "Le traitement est déjà autorisé\u00a0: on suit ses effets chez beaucoup de "
    "patients et dans la durée.",
    Phase.NA: "L’essai n’évalue pas de médicament\u00a0: chirurgie, radiothérapie, activité "
    "physique, nutrition, organisation des soins…",
}

SETTINGS = {
    Setting.SCREENING: "Chercher la maladie avant qu’elle ne donne de symptômes, chez des "
    "personnes à risque.",
    Setting.DIAGNOSIS: "Mieux reconnaître la maladie ou mieux en mesurer l’étendue (examens, "
    "biopsies, imagerie).",
    Setting.RESECTABLE: "La tumeur peut être enlevée par une opération.",
    Setting.NEOADJUVANT: "Un traitement (chimiothérapie, radiothérapie) donné avant "
    "l’opération, pour réduire la tumeur et faciliter son ablation.",
    Setting.PERIOPERATIVE: "Un traitement donné en partie avant et en partie après l’opération.",
    Setting.ADJUVANT: "Un traitement donné après l’opération, pour diminuer le risque que la "
    "maladie revienne.",
    Setting.LOCALLY_ADVANCED: "La tumeur s’étend aux organes ou aux vaisseaux voisins et ne "
    "peut pas être opérée d’emblée, mais elle ne s’est pas étendue à distance.",
    Setting.METASTATIC_1L: "La maladie s’est étendue à d’autres organes (métastases)\u00a0; "
    "l’essai porte sur le premier traitement donné à ce stade («\u00a01re ligne\u00a0»).",
    Setting.METASTATIC_2L: "La maladie s’est étendue à d’autres organes\u00a0; l’essai porte "
    "sur un traitement donné après un premier traitement qui n’agit plus ou n’a pas été "
    "toléré («\u00a02e ligne\u00a0» et au-delà).",
    Setting.SUPPORTIVE: "Améliorer la vie pendant la maladie et ses traitements\u00a0: "
    "douleur, nutrition, fatigue, activité physique, soutien psychologique.",
    Setting.OTHER: "Une autre situation, décrite sur la page de l’essai.",
}

STATUSES = {
    Status.RECRUITING: "L’essai accueille de nouveaux participants.",
    Status.NOT_YET_RECRUITING: "L’essai est prévu mais n’accueille pas encore de participants.",
    Status.ENROLLING_BY_INVITATION: "L’équipe de l’essai propose elle-même la participation à "
    "certains patients.",
    Status.ACTIVE_NOT_RECRUITING: "L’essai se poursuit avec ses participants, mais n’en "
    "accueille plus de nouveaux.",
    Status.SUSPENDED: "Les inclusions sont arrêtées pour un temps.",
    Status.TERMINATED: "L’essai a été arrêté avant la fin prévue.",
    Status.COMPLETED: "L’essai est fini.",
    Status.WITHDRAWN: "L’essai a été abandonné avant d’accueillir un premier participant.",
    Status.UNKNOWN: "Le registre n’a pas été mis à jour depuis longtemps\u00a0: on ne sait "
    "pas où en est l’essai.",
    Status.AVAILABLE: "Un traitement encore à l’essai peut être demandé par le médecin pour "
    "un patient (accès élargi).",
    Status.NO_LONGER_AVAILABLE: "L’accès élargi à ce traitement est fermé.",
    Status.TEMPORARILY_NOT_AVAILABLE: "L’accès élargi à ce traitement est suspendu pour un temps.",
    Status.APPROVED_FOR_MARKETING: "Le traitement est autorisé et peut être prescrit hors essai.",
    Status.WITHHELD: "Le promoteur ne communique pas le statut.",
}


def explained(choices, texts) -> list[tuple[str, str, str]]:
    """(value, French label, explanation) for every choice."""
    return [(value, label, texts[value]) for value, label in choices.choices]
