"""The network's geography and people: axes, regions, departments, centres,
services, people and their roles."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.history import History
from core.text import normalise

from .freshness import Freshness, review_rhythm_field
from .images import PhotoField
from .querysets import CentreQuerySet, PersonQuerySet, RoleQuerySet
from .validators import (
    normalise_phone,
    validate_finess,
    validate_in_france,
    validate_phone,
    validate_postcode,
)


class PhoneField(models.CharField):
    """A French phone number, validated and stored in one display form."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 25)
        super().__init__(*args, **kwargs)
        self.validators.append(validate_phone)

    def to_python(self, value):
        value = super().to_python(value)
        return normalise_phone(value) if value else value


class Axis(models.Model):
    """One of the network's three anatomical axes (pancreas, oesophagus, liver)."""

    slug = models.SlugField(_("identifiant d’URL"), max_length=60, unique=True)
    name = models.CharField(_("nom"), max_length=120, unique=True)
    short_name = models.CharField(_("nom court"), max_length=40)
    description = models.TextField(_("présentation"), blank=True)
    colour = models.CharField(
        _("couleur"),
        max_length=7,
        validators=[RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Couleur au format #RRGGBB."))],
        help_text=_("Couleur des repères sur la carte, au format #RRGGBB."),
    )
    order = models.PositiveSmallIntegerField(_("ordre"), default=0)
    referent_centre = models.ForeignKey(
        "Centre",
        verbose_name=_("centre référent"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="referent_axes",
    )
    last_reviewed = models.DateField(_("dernière relecture"), null=True, blank=True)
    history = History()

    class Meta:
        verbose_name = _("axe")
        verbose_name_plural = _("axes")
        ordering = ["order", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return f"{reverse('centres:directory')}?axe={self.slug}"


class Region(models.Model):
    """A French region, with its official INSEE code (overseas included)."""

    code = models.CharField(_("code INSEE"), max_length=3, unique=True)
    name = models.CharField(_("nom"), max_length=80, unique=True)
    slug = models.SlugField(_("identifiant d’URL"), max_length=80, unique=True)
    is_overseas = models.BooleanField(_("outre-mer"), default=False)
    history = History()

    class Meta:
        verbose_name = _("région")
        verbose_name_plural = _("régions")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Department(models.Model):
    """A French department, with its official code (01…95, 2A, 2B, 971…976)."""

    code = models.CharField(_("code"), max_length=3, unique=True)
    name = models.CharField(_("nom"), max_length=80)
    slug = models.SlugField(_("identifiant d’URL"), max_length=80, unique=True)
    region = models.ForeignKey(
        Region, verbose_name=_("région"), on_delete=models.PROTECT, related_name="departments"
    )
    history = History()

    class Meta:
        verbose_name = _("département")
        verbose_name_plural = _("départements")
        ordering = ["code"]

    def __str__(self):
        return f"{self.name} ({self.code})"

    def postcode_prefix(self) -> str:
        """The first digits every postcode of the department starts with."""
        if self.code in ("2A", "2B"):
            return "20"
        return self.code


class Service(models.Model):
    """A specialised service a centre offers (echo-endoscopy, HPB surgery...)."""

    slug = models.SlugField(_("identifiant d’URL"), max_length=60, unique=True)
    name = models.CharField(_("nom"), max_length=120, unique=True)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveSmallIntegerField(_("ordre"), default=0)
    history = History()

    class Meta:
        verbose_name = _("service spécialisé")
        verbose_name_plural = _("services spécialisés")
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


class CentreAxis(models.Model):
    """A centre's activity on one axis, with what is specific to it."""

    centre = models.ForeignKey(
        "Centre", verbose_name=_("centre"), on_delete=models.CASCADE, related_name="axis_links"
    )
    axis = models.ForeignKey(
        Axis, verbose_name=_("axe"), on_delete=models.PROTECT, related_name="centre_links"
    )
    details = models.TextField(
        _("précisions"),
        blank=True,
        help_text=_("Activité, consultations dédiées, particularités pour cet axe."),
    )
    phone = PhoneField(_("téléphone dédié"), blank=True)
    # Centre.history keeps a snapshot of these rows named HistoricalCentreAxis.
    history = History(custom_model_name="HistoricalCentreAxisRow")

    class Meta:
        verbose_name = _("axe du centre")
        verbose_name_plural = _("axes du centre")
        ordering = ["axis__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["centre", "axis"],
                name="centre_axis_unique",
                violation_error_message=_("Ce centre a déjà cet axe."),
            ),
        ]

    def __str__(self):
        return f"{self.centre} — {self.axis}"


class Centre(models.Model):
    """A hospital of the network: the pilot, a referent, an expert or a partner centre."""

    class Kind(models.TextChoices):
        PILOT = "pilot", _("Centre pilote")
        REFERENT = "referent", _("Centre référent")
        EXPERT = "expert", _("Centre expert")
        PARTNER = "partner", _("Centre partenaire")

    name = models.CharField(_("nom"), max_length=200)
    short_name = models.CharField(
        _("nom usuel"), max_length=80, blank=True, help_text=_("Par exemple « CHU de Brest ».")
    )
    slug = models.SlugField(_("identifiant d’URL"), max_length=120, unique=True)
    kind = models.CharField(_("type"), max_length=10, choices=Kind, default=Kind.EXPERT)
    finess = models.CharField(
        _("numéro FINESS"),
        max_length=9,
        blank=True,
        validators=[validate_finess],
        help_text=_("9 caractères, celui de l’établissement géographique."),
    )
    address = models.CharField(_("adresse"), max_length=255)
    postcode = models.CharField(_("code postal"), max_length=5, validators=[validate_postcode])
    city = models.CharField(_("commune"), max_length=100)
    department = models.ForeignKey(
        Department, verbose_name=_("département"), on_delete=models.PROTECT, related_name="centres"
    )
    latitude = models.FloatField(
        _("latitude"), validators=[MinValueValidator(-90), MaxValueValidator(90)]
    )
    longitude = models.FloatField(
        _("longitude"), validators=[MinValueValidator(-180), MaxValueValidator(180)]
    )
    phone = PhoneField(_("téléphone"), help_text=_("Standard ou accueil des patients."))
    email = models.EmailField(_("courriel"), blank=True)
    website = models.URLField(_("site web"), blank=True)
    description = models.TextField(
        _("présentation"), blank=True, help_text=_("Texte au format Markdown.")
    )
    referral = models.TextField(
        _("comment adresser un patient"),
        blank=True,
        help_text=_("À qui écrire ou téléphoner, quels documents joindre (Markdown)."),
    )
    photo = PhotoField(_("photo"), upload_to="centres/", blank=True)
    photo_alt = models.CharField(
        _("description de la photo"),
        max_length=200,
        blank=True,
        help_text=_("Pour les personnes qui ne voient pas l’image."),
    )
    axes = models.ManyToManyField(
        Axis, verbose_name=_("axes"), through=CentreAxis, related_name="centres", blank=True
    )
    services = models.ManyToManyField(
        Service, verbose_name=_("services spécialisés"), related_name="centres", blank=True
    )
    editors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("éditeurs"),
        related_name="edited_centres",
        blank=True,
        help_text=_("Comptes de l’équipe du centre autorisés à modifier ses contenus."),
    )
    is_published = models.BooleanField(_("publié"), default=True)
    is_demo = models.BooleanField(
        _("donnée de démonstration"),
        default=False,
        help_text=_("Affiché comme tel sur le site public."),
    )
    last_reviewed = models.DateField(_("dernière relecture"), null=True, blank=True)
    review_every_months = review_rhythm_field()
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)
    search_text = models.TextField(editable=False, default="")
    history = History(
        excluded_fields=["search_text", "updated_at"], m2m_fields=["axes", "services", "editors"]
    )

    objects = CentreQuerySet.as_manager()

    class Meta:
        verbose_name = _("centre")
        verbose_name_plural = _("centres")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["finess"],
                condition=~Q(finess=""),
                name="centre_finess_unique",
                violation_error_message=_("Un centre porte déjà ce numéro FINESS."),
            ),
            models.CheckConstraint(
                condition=Q(latitude__gte=-90, latitude__lte=90)
                & Q(longitude__gte=-180, longitude__lte=180),
                name="centre_coordinates_range",
                violation_error_message=_("Coordonnées hors des bornes terrestres."),
            ),
        ]
        indexes = [models.Index(fields=["is_published", "kind"], name="centre_pub_kind_idx")]

    def __str__(self):
        return self.short_name or self.name

    def save(self, *args, **kwargs):
        self.search_text = normalise(
            " ".join([self.name, self.short_name, self.city, self.postcode, self.finess])
        )
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("centres:detail", kwargs={"slug": self.slug})

    def clean(self):
        errors = {}
        try:
            validate_in_france(self.latitude, self.longitude)
        except ValidationError as exc:
            errors["latitude"] = exc.messages
        if self.department_id and self.postcode and len(self.postcode) == 5:
            prefix = self.department.postcode_prefix()
            if not self.postcode.startswith(prefix):
                errors["postcode"] = _(
                    "Le code postal %(postcode)s ne correspond pas au département %(dep)s."
                ) % {"postcode": self.postcode, "dep": self.department}
        if errors:
            raise ValidationError(errors)

    @property
    def freshness(self) -> Freshness:
        """Last update, last check, and whether they are older than the rhythm."""
        return Freshness.of(self)


class Person(models.Model):
    """A professional of the network. Professional contact details only."""

    class Title(models.TextChoices):
        PR = "pr", _("Pr")
        DR = "dr", _("Dr")
        MR = "m", _("M.")
        MRS = "mme", _("Mme")
        NONE = "", _("(aucun)")

    title = models.CharField(_("titre"), max_length=3, choices=Title, blank=True)
    first_name = models.CharField(_("prénom"), max_length=80)
    last_name = models.CharField(_("nom"), max_length=80)
    specialty = models.CharField(_("spécialité"), max_length=120, blank=True)
    email = models.EmailField(_("courriel professionnel"), blank=True)
    phone = PhoneField(_("téléphone professionnel"), blank=True)
    photo = PhotoField(_("photo"), upload_to="people/", blank=True)
    is_demo = models.BooleanField(_("donnée de démonstration"), default=False)
    last_reviewed = models.DateField(_("dernière relecture"), null=True, blank=True)
    history = History()

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("personne")
        verbose_name_plural = _("personnes")
        ordering = ["last_name", "first_name"]
        indexes = [models.Index(fields=["last_name", "first_name"], name="person_name_idx")]

    def __str__(self):
        return " ".join(
            p
            for p in (
                self.get_title_display() if self.title else "",
                self.first_name,
                self.last_name,
            )
            if p
        )


class Role(models.Model):
    """What a person does in the network: at a centre, for an axis, or both."""

    class Kind(models.TextChoices):
        NATIONAL_COORDINATOR = "national", _("Coordination nationale")
        AXIS_COORDINATOR = "axis", _("Coordination d’axe")
        CENTRE_REFERENT = "referent", _("Référent du centre")
        RCP_COORDINATOR = "rcp", _("Coordination de RCP")
        SECRETARY = "secretary", _("Secrétariat")
        RESEARCH_CONTACT = "research", _("Contact recherche clinique")
        NURSE_COORDINATOR = "nurse", _("Infirmier ou infirmière de coordination")

    person = models.ForeignKey(
        Person, verbose_name=_("personne"), on_delete=models.CASCADE, related_name="roles"
    )
    kind = models.CharField(_("rôle"), max_length=10, choices=Kind)
    centre = models.ForeignKey(
        Centre,
        verbose_name=_("centre"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="roles",
    )
    axis = models.ForeignKey(
        Axis,
        verbose_name=_("axe"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="roles",
    )
    label = models.CharField(
        _("précision"), max_length=120, blank=True, help_text=_("Par exemple « chirurgie HPB ».")
    )
    order = models.PositiveSmallIntegerField(_("ordre"), default=0)
    history = History()

    objects = RoleQuerySet.as_manager()

    class Meta:
        verbose_name = _("rôle")
        verbose_name_plural = _("rôles")
        ordering = ["order", "kind", "person__last_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="national") | Q(centre__isnull=False) | Q(axis__isnull=False),
                name="role_has_scope",
                violation_error_message=_(
                    "Un rôle se rattache à un centre, à un axe, ou aux deux "
                    "(sauf la coordination nationale)."
                ),
            ),
            # NULL never equals NULL in a unique index: without the Coalesce,
            # two identical roles without a centre (or an axis) would both pass.
            # Primary keys start at 1, so 0 stands for "none".
            models.UniqueConstraint(
                F("person"),
                F("kind"),
                Coalesce("centre", Value(0)),
                Coalesce("axis", Value(0)),
                name="role_unique",
                violation_error_message=_("Cette personne a déjà ce rôle."),
            ),
        ]

    def __str__(self):
        where = " — ".join(str(x) for x in (self.centre, self.axis) if x)
        return f"{self.person} : {self.get_kind_display()}" + (f" ({where})" if where else "")


class ReviewReminder(models.Model):
    """One e-mail sent by `review_reminders` about what a centre has to check.

    A run of reminders starts with a first e-mail to the centre's editors, goes
    on with a reminder two weeks later and a copy to the pilot staff four weeks
    later while something is still due, and is closed when nothing is due.
    """

    class Stage(models.IntegerChoices):
        FIRST = 1, _("Premier envoi")
        REMINDER = 2, _("Relance")
        PILOT_COPY = 3, _("Relance avec copie au pilotage")

    centre = models.ForeignKey(
        Centre,
        verbose_name=_("centre"),
        on_delete=models.CASCADE,
        related_name="review_reminders",
    )
    stage = models.PositiveSmallIntegerField(_("étape"), choices=Stage)
    sent_at = models.DateTimeField(_("envoyé le"))
    recipients = models.TextField(_("destinataires"), blank=True)
    items = models.TextField(_("éléments signalés"), blank=True)
    is_closed = models.BooleanField(
        _("réglé"), default=False, help_text=_("Plus rien n’était à vérifier au passage suivant.")
    )

    class Meta:
        verbose_name = _("rappel de vérification")
        verbose_name_plural = _("rappels de vérification")
        ordering = ["-sent_at"]

    def __str__(self):
        return f"{self.centre} — {self.get_stage_display()} ({self.sent_at:%Y-%m-%d})"
