"""The patients', doctors', legal, privacy and accessibility pages become
editable pages: the text their templates held is now each page's Markdown,
so staff change it in the admin without a deployment.

What stays computed in the templates, around the text: the search form for
RCPs near a patient (doctors), the list of support lines with their phone
links (patients), the publication director and the host (legal: settings of
each deployment).

A page that staff had already written (the former « section » under the
template's text) keeps that text, after the seeded one under its own title.
"""

from django.db import migrations, models
from django.utils import timezone

from core.text import normalise

OLD_SECTION_TITLES = {
    "patients": "Informations du réseau pour les patients",
    "medecins": "Informations du réseau pour les médecins",
    "mentions-legales": "Informations complémentaires",
}

PATIENTS = """Un cancer du pancréas, de l’œsophage ou de la jonction œso-gastrique, du foie ou des voies biliaires demande une prise en charge rapide par une équipe qui en soigne souvent. Le réseau PAN-TOGETHER rassemble ces équipes partout en France.

## Ce que le réseau fait pour vous

- Votre dossier peut être discuté par une **réunion de concertation pluridisciplinaire (RCP)** spécialisée : chirurgiens, oncologues, radiologues, gastro-entérologues et pathologistes décident ensemble du meilleur traitement.
- Vous pouvez être soigné **près de chez vous** : les centres experts travaillent avec les hôpitaux de proximité, votre médecin traitant et vos spécialistes.
- Vous pouvez avoir accès à un **essai clinique** ouvert dans le réseau, même si vous habitez loin d’un grand centre.

Un mot vous échappe ? [Le glossaire](/glossaire/) explique en termes simples les mots que vous entendrez (RCP, centre expert, soins de support…).

## Trouver un centre et le joindre

Cherchez [le centre expert le plus proche de chez vous](/centres/) avec votre code postal. Chaque fiche donne le numéro de téléphone à appeler et la façon dont votre médecin peut vous adresser.

En général, c’est votre médecin (médecin traitant, gastro-entérologue, oncologue) qui prend contact avec le centre et envoie votre dossier. Vous pouvez aussi appeler le centre pour vous renseigner.

## Participer à un essai clinique

Un essai clinique permet de recevoir un traitement en cours d’évaluation, avec un suivi rapproché. [Cherchez les essais ouverts dans le réseau](/essais/) par cancer et près de chez vous, puis parlez-en à votre médecin : seule l’équipe de l’essai peut dire si vous pouvez y participer. [Phase, situation, ligne de traitement : les mots des essais expliqués](/essais/glossaire/).

## Demander un deuxième avis

Vous pouvez demander l’avis d’une autre équipe sur votre diagnostic ou sur le traitement proposé : le libre choix de son médecin et de son établissement de santé est un droit du patient. Ce n’est pas un manque de confiance, et les médecins y sont habitués.

- Parlez-en à votre médecin : il transmet votre dossier (comptes rendus, imagerie, résultats d’analyses) à l’équipe que vous choisissez.
- Les [centres experts du réseau](/centres/) donnent ces avis, souvent après avoir discuté votre dossier en réunion de concertation pluridisciplinaire de recours.

## Vous habitez en outre-mer

Votre dossier est d’abord discuté par l’équipe qui vous soigne sur place. Il peut aussi être présenté, en visioconférence et sans que vous vous déplaciez, à une réunion de concertation nationale de recours du réseau.

Si un traitement ne peut être fait qu’en métropole (chirurgie complexe, greffe, certains essais), l’équipe qui vous suit organise votre orientation vers un centre du réseau. Les frais de transport, et d’hébergement selon les cas, peuvent être pris en charge par l’Assurance maladie (votre caisse générale de sécurité sociale) sur prescription médicale et après accord préalable de la caisse : la demande se fait avant le départ. Les conditions (accompagnant, durée du séjour) dépendent de votre situation : renseignez-vous auprès de votre caisse et du service social de l’hôpital.

## Questions à poser à votre médecin

- Mon dossier a-t-il été présenté en réunion de concertation pluridisciplinaire ? Laquelle ?
- Un avis d’un centre expert du réseau est-il utile dans mon cas ?
- Existe-t-il un essai clinique auquel je pourrais participer ?
- Quels soins de support me sont proposés (nutrition, douleur, soutien psychologique, activité physique) ?
- Qui dois-je appeler en cas de problème entre deux rendez-vous ?

## Bon à savoir

Ce site ne recueille aucune information sur votre santé et ne remplace pas un avis médical. En cas d’urgence, appelez le 15 (ou le 112).
"""

DOCTORS = """Médecin traitant, spécialiste de ville ou hospitalier : le réseau PAN-TOGETHER vous donne un accès rapide aux centres experts, aux réunions de concertation pluridisciplinaire (RCP) spécialisées et de recours, et aux essais cliniques du réseau.

## Adresser un patient

1. Trouvez le [centre expert](/centres/) le plus proche de votre patient pour son cancer (pancréas, œsophage et jonction œso-gastrique, foie et voies biliaires).
2. Sa fiche indique le téléphone à appeler, le secrétariat et les documents à joindre.
3. Joignez au minimum : compte rendu d’imagerie récent, histologie si disponible, antécédents et traitements, état général (score OMS).

## Présenter un dossier en RCP

Les RCP spécialisées du réseau se tiennent le plus souvent en visioconférence. Chaque fiche de RCP donne la prochaine séance encore possible et sa date limite d’envoi, ce que le dossier doit contenir, la fiche à remplir et l’adresse de messagerie sécurisée (MSSanté) du secrétariat. Le lien de visioconférence est transmis par le secrétariat aux médecins inscrits.

- [Quelle RCP pour mon patient ? Locale, régionale, de recours ou moléculaire](/rcp/quelle-rcp/)
- [Toutes les RCP du réseau](/rcp/)
- [Le calendrier des séances](/rcp/calendrier/)
- [S’abonner aux séances et aux dates limites d’envoi des RCP choisies](/rcp/abonnement/), dans votre agenda

## Orienter vers un essai clinique

Les centres experts ouvrent des essais pour tous les stades de la maladie. Parlez-en au centre expert dès la RCP : l’éligibilité est toujours décidée par l’équipe de l’essai.

- [Chercher un essai ouvert dans le réseau](/essais/), par cancer, situation, phase et distance
- [Les RCP du réseau](/rcp/), où l’inclusion dans un essai se discute

## Conventions avec les centres de proximité

Les centres experts signent des conventions régionales avec les hôpitaux de proximité, les médecins généralistes et les spécialistes, pour que le patient soit suivi près de chez lui entre les étapes faites au centre expert.
"""

LEGAL = """## Éditeur

Réseau PAN-TOGETHER, réseau national d’excellence clinique labellisé par l’Institut national du cancer. Centre pilote : CHU de Brest, 2 avenue Foch, 29609 Brest Cedex.

Contact : [écrire au réseau](/contact/).

## Contenus

Les fiches des centres sont tenues à jour par chaque centre ; la date de dernière relecture figure sur chaque fiche. Les informations de ce site ne remplacent pas un avis médical.

Les fiches marquées « Donnée de démonstration » illustrent le fonctionnement du portail et ne décrivent pas des centres, personnes ou coordonnées réels.

## Sources et licences des données

- Codes postaux et coordonnées des communes : « Base officielle des codes postaux » de La Poste, publiée sur data.gouv.fr sous Licence Ouverte / Open Licence (Etalab), version enrichie des coordonnées des communes.
- Codes officiels des régions et départements : Code officiel géographique de l’Insee (Licence Ouverte).
- Fond de carte interactif (si votre navigateur l’affiche) : © contributeurs OpenStreetMap, sous licence ODbL.
- Bibliothèque cartographique Leaflet (licence BSD-2-Clause).
"""

PRIVACY = """## Aucune donnée de santé

Ce site ne recueille aucune information sur la santé des patients. Aucun formulaire ne vous demande de décrire votre maladie ou vos traitements. Ne transmettez jamais de données médicales par courriel à une adresse trouvée sur ce site : passez par votre médecin.

## Recherche près de chez vous

Le code postal ou la commune que vous saisissez sert uniquement à calculer les distances aux centres ; il n’est pas conservé. Si vous choisissez « Utiliser ma position », votre navigateur vous demande votre accord ; la position est envoyée au serveur pour ce calcul seulement et n’est pas enregistrée.

## Coordonnées des professionnels

Les fiches publient uniquement les coordonnées professionnelles des équipes, avec leur accord. Pour faire rectifier ou retirer une information vous concernant, adressez-vous au centre concerné ou au centre pilote.

## Cookies

Le site public ne dépose aucun cookie de mesure d’audience ni de publicité. Seul l’espace d’administration, réservé aux équipes, utilise des cookies de session strictement nécessaires.
"""

ACCESSIBILITY = """Le réseau PAN-TOGETHER s’engage à rendre son site accessible conformément à l’article 47 de la loi n° 2005-102 du 11 février 2005.

Cette déclaration d’accessibilité s’applique au portail PAN-TOGETHER.

## État de conformité

Le portail est **partiellement conforme** avec le référentiel général d’amélioration de l’accessibilité (RGAA), version 4.1, en l’absence d’audit complet par un organisme indépendant.

## Ce qui est vérifié à chaque modification du site

- Chaque page publique est contrôlée automatiquement (outil axe-core, règles WCAG 2.1 niveaux A et AA) et validée par le validateur HTML du W3C.
- Chaque page a un seul titre de niveau 1, une hiérarchie de titres sans saut, un lien d’évitement, des zones de navigation nommées, une langue déclarée et des champs de formulaire étiquetés.
- Le site fonctionne sans JavaScript, au clavier, sur téléphone et avec un zoom à 200 %.

## Contenus non accessibles

La carte interactive (fond de carte OpenStreetMap) n’est pas pleinement utilisable au clavier ni avec un lecteur d’écran ; la même information est donnée par la liste des centres qui l’accompagne.

## Retour d’information et contact

Si vous n’arrivez pas à accéder à un contenu ou à un service, écrivez au centre pilote (CHU de Brest) pour être orienté vers une alternative accessible ou obtenir le contenu sous une autre forme.

## Voies de recours

Si vous constatez un défaut d’accessibilité vous empêchant d’accéder à un contenu ou une fonctionnalité du site, que vous nous le signalez et que vous ne parvenez pas à obtenir une réponse de notre part, vous êtes en droit de faire parvenir vos doléances ou une demande de saisine au Défenseur des droits.
"""

PAGES = [
    (
        "patients",
        "Vous êtes patient ou proche",
        "Comment le réseau PAN-TOGETHER aide les patients atteints d’un cancer du pancréas, "
        "de l’œsophage, du foie ou des voies biliaires, et leurs proches.",
        PATIENTS,
    ),
    (
        "medecins",
        "Vous êtes médecin",
        "Adresser un patient à un centre expert PAN-TOGETHER, présenter un dossier en RCP "
        "spécialisée, orienter vers un essai clinique.",
        DOCTORS,
    ),
    ("mentions-legales", "Mentions légales", "", LEGAL),
    ("donnees-personnelles", "Données personnelles", "", PRIVACY),
    ("accessibilite", "Déclaration d’accessibilité", "", ACCESSIBILITY),
]

SLUG_CHOICES = [
    ("a-propos", "À propos du réseau"),
    ("glossaire", "Glossaire"),
    ("patients", "Patients et proches"),
    ("medecins", "Médecins"),
    ("mentions-legales", "Mentions légales"),
    ("donnees-personnelles", "Données personnelles"),
    ("accessibilite", "Déclaration d’accessibilité"),
]


def keep_version(apps, page, reason):
    """Record the row as it is in its history (the admin shows it and can
    restore it) before the migration rewrites it."""
    apps.get_model("content", "HistoricalPage").objects.create(
        id=page.id,
        slug=page.slug,
        title=page.title,
        summary=page.summary,
        body=page.body,
        is_published=page.is_published,
        last_reviewed=page.last_reviewed,
        history_date=timezone.now(),
        history_type="~",
        history_change_reason=reason,
    )


def seed_pages(apps, schema_editor):
    Page = apps.get_model("content", "Page")
    for slug, title, summary, body in PAGES:
        page = Page.objects.filter(slug=slug).first()
        if page is None:
            page = Page(slug=slug, title=title, summary=summary, body=body)
        elif slug in OLD_SECTION_TITLES:
            # Until now this row was only a section under the template's text: the
            # text comes first, the section after it under its title when it was
            # published (an unpublished draft stays in the page's history only).
            written = page.body.strip()
            if written:
                keep_version(apps, page, "Avant le passage de la page dans l’administration")
            if written and page.is_published:
                body = f"{body}\n## {page.title}\n\n{written}\n"
            page.title = title
            page.summary = page.summary or summary
            page.body = body
            page.is_published = True  # every page is linked from the site's footer
        else:
            continue  # a whole page staff already wrote: theirs
        page.search_text = normalise(" ".join([page.title, page.summary, page.body]))
        page.save()


class Migration(migrations.Migration):
    dependencies = [("content", "0004_history_everywhere")]

    operations = [
        migrations.AlterField(
            model_name="page",
            name="slug",
            field=models.SlugField(
                choices=SLUG_CHOICES, max_length=40, unique=True, verbose_name="page"
            ),
        ),
        migrations.AlterField(
            model_name="historicalpage",
            name="slug",
            field=models.SlugField(
                choices=SLUG_CHOICES, db_index=True, max_length=40, verbose_name="page"
            ),
        ),
        migrations.RunPython(seed_pages, migrations.RunPython.noop),
    ]
