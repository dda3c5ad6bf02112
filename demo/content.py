"""Demonstration news and documents, marked as such (the network's own are
written by its staff in the admin)."""

from datetime import timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from centres.models import Axis
from content.models import Document, NewsItem
from core.text import typo

from . import Writer
from .rcps import demo_case_form_pdf

NBSP = "\u00a0"
NEWS = [
    (
        "demonstration-nouvelles-rcp-recours",
        "Démonstration\u00a0: les RCP nationales de recours ouvertes à tous les médecins",
        "Exemple d’actualité\u00a0: tout médecin peut soumettre un dossier complexe aux RCP "
        "nationales de recours du réseau.",
        "Cette actualité est une **donnée de démonstration**.\n\n## Comment faire\n\n"
        f"- choisir la RCP sur la page des RCP{NBSP};\n- envoyer le dossier par MSSanté "
        "avant la date limite.\n",
        "pancreas",
        10,
    ),
    (
        "demonstration-essais-ouverts",
        "Démonstration\u00a0: trois nouveaux essais ouverts dans le réseau",
        "Exemple d’actualité\u00a0: de nouveaux essais cliniques recrutent dans les centres "
        "du réseau.",
        "Cette actualité est une **donnée de démonstration**. Consultez la page des essais "
        "cliniques pour la liste à jour.\n",
        "oesophage",
        30,
    ),
]
DOCUMENTS = [
    ("demonstration-fiche-adressage", "Démonstration\u00a0: fiche d’adressage", "referral", None),
    (
        "demonstration-fiche-rcp-pancreas",
        "Démonstration\u00a0: fiche RCP pancréas",
        "rcp_form",
        "pancreas",
    ),
]


def load(writer: Writer) -> str:
    today = timezone.localdate()
    axes = {axis.slug: axis for axis in Axis.objects.all()}
    for slug, title, summary, body, axis, days in NEWS:
        item, created = writer.upsert(
            NewsItem,
            {"slug": slug},
            {
                "title": title,
                "summary": summary,
                "body": body,
                "published_on": today - timedelta(days=days),
                "is_published": True,
                "is_demo": True,
            },
            label=f"Actualité {slug}",
        )
        if writer.may_change(item, created) and axis in axes:
            writer.set_relation(item, "axes", [axes[axis]], label=f"Actualité {slug}")
    for slug, title, category, axis in DOCUMENTS:
        if Document.objects.filter(slug=slug).exists():
            continue
        document = Document(
            slug=slug,
            title=title,
            category=category,
            axis=axes.get(axis),
            description="Document de **démonstration**\u00a0: ne pas utiliser pour un patient.",
            published_on=today,
            is_published=True,
            is_demo=True,
        )
        document.file.save(f"{slug}.pdf", ContentFile(demo_case_form_pdf(title)), save=False)
        document.full_clean()
        document.save()
        writer.created += 1
    news = NewsItem.objects.filter(is_demo=True).count()
    documents = Document.objects.filter(is_demo=True).count()
    return typo(f"Actualités\u00a0: {news} actualités et {documents} documents de démonstration.")
