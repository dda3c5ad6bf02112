"""The network's own content: news, documents and the pages staff edit in Markdown."""

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from centres.images import PhotoField
from centres.models import Axis
from core.history import History
from core.text import normalise
from rcp.validators import case_form_extension

from .validators import validate_document


class PublishedQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)


class NewsQuerySet(PublishedQuerySet):
    def published(self):
        """Published and dated today or before (a news item can be prepared ahead)."""
        return self.filter(is_published=True, published_on__lte=timezone.localdate())


class NewsItem(models.Model):
    """A news item (actualité) of the network."""

    title = models.CharField(_("titre"), max_length=200)
    slug = models.SlugField(_("identifiant d’URL"), max_length=120, unique=True)
    published_on = models.DateField(
        _("date de publication"),
        default=timezone.localdate,
        help_text=_("L’actualité paraît sur le site à partir de ce jour."),
    )
    summary = models.CharField(
        _("résumé"), max_length=300, help_text=_("Une ou deux phrases, pour la liste et le flux.")
    )
    body = models.TextField(_("texte"), help_text=_("Markdown : titres, listes, liens."))
    image = PhotoField(_("image"), upload_to="actualites/", blank=True)
    image_alt = models.CharField(
        _("description de l’image"),
        max_length=200,
        blank=True,
        help_text=_("Pour les personnes qui ne voient pas l’image."),
    )
    axes = models.ManyToManyField(Axis, verbose_name=_("axes"), related_name="news", blank=True)
    is_published = models.BooleanField(_("publiée"), default=False)
    is_demo = models.BooleanField(
        _("donnée de démonstration"),
        default=False,
        help_text=_("Affiché comme tel sur le site public."),
    )
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)
    search_text = models.TextField(editable=False, default="")
    history = History(excluded_fields=["search_text", "updated_at"], m2m_fields=["axes"])

    objects = NewsQuerySet.as_manager()

    class Meta:
        verbose_name = _("actualité")
        verbose_name_plural = _("actualités")
        ordering = ["-published_on", "-pk"]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.search_text = normalise(" ".join([self.title, self.summary, self.body]))
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("content:news_detail", kwargs={"slug": self.slug})


class Document(models.Model):
    """A document to download: recommendation, referral or RCP form, report."""

    class Category(models.TextChoices):
        RECOMMENDATION = "recommendation", _("Recommandation")
        REFERRAL = "referral", _("Fiche d’adressage")
        RCP_FORM = "rcp_form", _("Fiche RCP")
        REPORT = "report", _("Rapport d’activité")
        OTHER = "other", _("Autre document")

    title = models.CharField(_("titre"), max_length=200)
    slug = models.SlugField(_("identifiant d’URL"), max_length=120, unique=True)
    category = models.CharField(_("catégorie"), max_length=20, choices=Category)
    axis = models.ForeignKey(
        Axis,
        verbose_name=_("axe"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
        help_text=_("Vide : tout le réseau."),
    )
    description = models.TextField(_("description"), blank=True, help_text=_("Markdown."))
    file = models.FileField(
        _("fichier"),
        upload_to="documents/",
        validators=[validate_document],
        help_text=_("PDF ou document bureautique (.docx, .odt, .xlsx…), 10 Mo au plus."),
    )
    published_on = models.DateField(_("date du document"), default=timezone.localdate)
    is_published = models.BooleanField(_("publié"), default=False)
    is_demo = models.BooleanField(
        _("donnée de démonstration"),
        default=False,
        help_text=_("Affiché comme tel sur le site public."),
    )
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)
    search_text = models.TextField(editable=False, default="")
    history = History(excluded_fields=["search_text", "updated_at"])

    objects = PublishedQuerySet.as_manager()

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-published_on", "title", "pk"]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.search_text = normalise(
            " ".join([self.title, self.description, self.get_category_display()])
        )
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("content:document_download", kwargs={"slug": self.slug})

    @property
    def extension(self) -> str:
        return case_form_extension(self.file.name)


class Page(models.Model):
    """A page of text staff keep in Markdown: about the network, the glossary,
    the patients' and doctors' pages, the legal, privacy and accessibility
    pages (their templates add only what is computed: forms, settings)."""

    class Slug(models.TextChoices):
        ABOUT = "a-propos", _("À propos du réseau")
        GLOSSARY = "glossaire", _("Glossaire")
        PATIENTS = "patients", _("Patients et proches")
        DOCTORS = "medecins", _("Médecins")
        LEGAL = "mentions-legales", _("Mentions légales")
        PRIVACY = "donnees-personnelles", _("Données personnelles")
        ACCESSIBILITY = "accessibilite", _("Déclaration d’accessibilité")
        CONTACT = "contact", _("Contact")

    slug = models.SlugField(_("page"), max_length=40, unique=True, choices=Slug)
    title = models.CharField(_("titre"), max_length=200)
    summary = models.CharField(
        _("description"), max_length=300, blank=True, help_text=_("Pour les moteurs de recherche.")
    )
    body = models.TextField(_("texte"), blank=True, help_text=_("Markdown."))
    is_published = models.BooleanField(_("publiée"), default=True)
    last_reviewed = models.DateField(_("dernière relecture"), null=True, blank=True)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)
    search_text = models.TextField(editable=False, default="")
    history = History(excluded_fields=["search_text", "updated_at"])

    objects = PublishedQuerySet.as_manager()

    class Meta:
        verbose_name = _("page éditable")
        verbose_name_plural = _("pages éditables")
        ordering = ["slug"]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.search_text = normalise(" ".join([self.title, self.summary, self.body]))
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        names = {
            self.Slug.ABOUT: "content:about",
            self.Slug.GLOSSARY: "content:glossary",
            self.Slug.PATIENTS: "patients",
            self.Slug.DOCTORS: "doctors",
            self.Slug.LEGAL: "legal",
            self.Slug.PRIVACY: "privacy",
            self.Slug.ACCESSIBILITY: "accessibility",
            self.Slug.CONTACT: "contact",
        }
        return reverse(names[self.slug])
