"""The editable pages, so that every environment has them after `migrate`: the
network's presentation and its glossary with a first text, and the sections
of the patients', doctors' and legal pages empty (shown once staff write
them). A page that exists is never changed: staff own its text."""

from django.db import migrations

NBSP = "\u00a0"

ABOUT = f"""PAN-TOGETHER est le réseau national d’excellence clinique labellisé par l’Institut national du cancer pour les cancers digestifs de mauvais pronostic{NBSP}: **pancréas**, **œsophage et jonction œso-gastrique**, **foie et voies biliaires**.

## Ses missions

- offrir la même qualité de soins partout en France, outre-mer compris{NBSP};
- donner un accès plus rapide aux centres de ressources et aux avis d’experts{NBSP};
- ouvrir les essais cliniques innovants à chaque patient, où qu’il habite{NBSP};
- proposer une prise en charge personnalisée et pluriprofessionnelle, du diagnostic aux soins de support.

## Son organisation

Le centre pilote est le CHU de Brest. Chaque axe est animé par un centre référent{NBSP}: le CHU de Brest pour l’œsophage et la jonction œso-gastrique, le CHU Avicenne (AP-HP) pour le foie et les voies biliaires, le CHU Pitié-Salpêtrière (AP-HP) pour le pancréas. Plus de cinquante centres experts, en métropole et outre-mer, signent des conventions régionales avec les hôpitaux de proximité, les médecins généralistes et les spécialistes.

Les dossiers sont discutés en réunions de concertation pluridisciplinaire (RCP), souvent en visioconférence, y compris en RCP nationales de recours.
"""

GLOSSARY = f"""## Adjuvant

Traitement donné après la chirurgie, pour réduire le risque de rechute.

## Essai clinique

Étude qui évalue un nouveau traitement ou une nouvelle façon de soigner, avec l’accord écrit du patient. Le statut «{NBSP}recrute{NBSP}» signifie que l’essai inclut de nouveaux participants.

## FINESS

Numéro national d’identification des établissements sanitaires et sociaux{NBSP}; il sert de clé dans les données ouvertes du réseau.

## Néoadjuvant

Traitement donné avant la chirurgie, par exemple pour réduire la taille de la tumeur.

## RCP

Réunion de concertation pluridisciplinaire{NBSP}: chirurgiens, oncologues, radiothérapeutes, radiologues, gastro-entérologues et pathologistes y décident ensemble du traitement proposé à chaque patient.

## RCP de recours

RCP nationale à laquelle un médecin peut soumettre un dossier complexe pour un second avis d’experts.
"""

PAGES = [
    (
        "a-propos",
        "À propos du réseau",
        "Le réseau PAN-TOGETHER, ses missions et son organisation.",
        ABOUT,
    ),
    (
        "glossaire",
        "Glossaire",
        "Les mots du réseau et des cancers digestifs, expliqués simplement.",
        GLOSSARY,
    ),
    ("patients", "Informations du réseau pour les patients", "", ""),
    ("medecins", "Informations du réseau pour les médecins", "", ""),
    ("mentions-legales", "Informations complémentaires", "", ""),
]


def create_pages(apps, schema_editor):
    Page = apps.get_model("content", "Page")
    for slug, title, summary, body in PAGES:
        Page.objects.get_or_create(
            slug=slug, defaults={"title": title, "summary": summary, "body": body}
        )


class Migration(migrations.Migration):
    dependencies = [("content", "0002_admin_groups")]

    operations = [migrations.RunPython(create_pages, migrations.RunPython.noop)]
