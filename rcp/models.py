"""RCP meetings: the RCP and its schedule, exceptions to it, and meetings held."""

from datetime import date, datetime, time, timedelta
from functools import cached_property
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from centres.freshness import Freshness, review_rhythm_field
from centres.models import Axis, Centre, Person, PhoneField
from core.dates import format_date, format_time
from core.history import History
from core.text import normalise, typo

from . import holidays, recurrence, specialties
from .frenchdates import TIMEZONE_CHOICES
from .querysets import RcpActivityQuerySet, RcpQuerySet
from .specialties import NATIONAL_MIN_SPECIALTIES, NATIONAL_REQUIRED, Specialty
from .validators import (
    validate_case_form,
    validate_mssante,
    validate_rrule,
    validate_slug_not_reserved,
)

FIRST_DATE_MIN = date(2000, 1, 1)
FIRST_DATE_MAX = date(2100, 12, 31)


class Rcp(models.Model):
    """A multidisciplinary team meeting (RCP) of the network, with its schedule."""

    class Scope(models.TextChoices):
        LOCAL = "local", _("RCP locale")
        REGIONAL = "regional", _("RCP régionale")
        RECOURSE = "recourse", _("RCP nationale de recours")
        MOLECULAR = "molecular", _("RCP moléculaire ou génomique")
        OTHER = "other", _("Autre RCP")

    class Mode(models.TextChoices):
        ON_SITE = "onsite", _("Sur place")
        VIDEO = "video", _("Visioconférence")
        HYBRID = "hybrid", _("Sur place et en visioconférence")

    name = models.CharField(_("nom"), max_length=200)
    slug = models.SlugField(
        _("identifiant d’URL"), max_length=120, unique=True, validators=[validate_slug_not_reserved]
    )
    axes = models.ManyToManyField(Axis, verbose_name=_("axes"), related_name="rcps")
    scope = models.CharField(_("portée"), max_length=10, choices=Scope, default=Scope.REGIONAL)
    organiser = models.ForeignKey(
        Centre,
        verbose_name=_("centre organisateur"),
        on_delete=models.PROTECT,
        related_name="organised_rcps",
    )
    participants = models.ManyToManyField(
        Centre,
        verbose_name=_("centres participants"),
        related_name="participating_rcps",
        blank=True,
    )
    description = models.TextField(
        _("présentation"),
        blank=True,
        help_text=_("Dossiers concernés, spécialités présentes (Markdown)."),
    )
    coordinator = models.ForeignKey(
        Person,
        verbose_name=_("coordination médicale"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="coordinated_rcps",
    )
    secretary = models.ForeignKey(
        Person,
        verbose_name=_("secrétariat (personne)"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="rcp_secretariats",
    )
    secretariat_phone = PhoneField(_("téléphone du secrétariat"), blank=True)
    secretariat_email = models.EmailField(_("courriel du secrétariat"), blank=True)
    secretariat_mssante = models.EmailField(
        _("messagerie sécurisée de santé (MSSanté) du secrétariat"),
        blank=True,
        validators=[validate_mssante],
        help_text=_(
            "Adresse où envoyer les dossiers (données de santé) : une adresse MSSanté, "
            "par exemple rcp.digestif@chu-exemple.mssante.fr."
        ),
    )
    mode = models.CharField(_("modalité"), max_length=10, choices=Mode, default=Mode.VIDEO)
    place = models.CharField(
        _("lieu"),
        max_length=255,
        blank=True,
        help_text=_("Salle et bâtiment, pour une RCP sur place ou hybride."),
    )
    video_url = models.URLField(_("lien de visioconférence"), max_length=500, blank=True)
    video_url_is_public = models.BooleanField(
        _("lien de visioconférence public"),
        default=False,
        help_text=_(
            "Décoché : le lien n’apparaît jamais sur le site, la page indique comment "
            "l’obtenir auprès du secrétariat."
        ),
    )
    submission = models.TextField(
        _("comment présenter un dossier"),
        blank=True,
        help_text=_("Inscription, documents à joindre, à qui écrire (Markdown)."),
    )
    case_form = models.FileField(
        _("fiche de présentation du dossier"),
        upload_to="rcp/fiches/",
        blank=True,
        validators=[validate_case_form],
        help_text=_("PDF ou document bureautique (.docx, .odt…), 5 Mo au plus."),
    )
    deadline_days_before = models.PositiveSmallIntegerField(
        _("date limite : jours avant la séance"),
        default=2,
        validators=[MaxValueValidator(30)],
    )
    deadline_time = models.TimeField(_("date limite : heure"), default=time(12, 0))
    deadline_skips_weekend = models.BooleanField(
        _("avancer la date limite au jour ouvré précédent"),
        default=True,
        help_text=_(
            "Si elle tombe un week-end ou un jour férié du territoire du centre organisateur."
        ),
    )
    meets_on_holidays = models.BooleanField(
        _("se réunit aussi les jours fériés"),
        default=False,
        help_text=_(
            "Décoché : une séance qui tombe un jour férié du territoire du centre organisateur "
            "n’a pas lieu (une exception « maintenue » peut la garder)."
        ),
    )
    rrule = models.CharField(
        _("règle de récurrence (RRULE)"),
        max_length=recurrence.MAX_LENGTH,
        validators=[validate_rrule],
        help_text=_("Au format RFC 5545, par exemple FREQ=WEEKLY;INTERVAL=2;BYDAY=TU."),
    )
    first_date = models.DateField(
        _("première séance"),
        help_text=_(
            "Une date de séance : elle fixe aussi la semaine de départ d’un rythme « un sur deux »."
        ),
    )
    start_time = models.TimeField(_("heure de début (heure locale)"), default=time(14, 0))
    duration_minutes = models.PositiveSmallIntegerField(
        _("durée (minutes)"),
        default=120,
        validators=[MinValueValidator(15), MaxValueValidator(600)],
    )
    timezone = models.CharField(
        _("fuseau horaire"), max_length=40, choices=TIMEZONE_CHOICES, default="Europe/Paris"
    )
    is_published = models.BooleanField(_("publiée"), default=True)
    is_demo = models.BooleanField(
        _("donnée de démonstration"),
        default=False,
        help_text=_("Affiché comme tel sur le site public."),
    )
    last_reviewed = models.DateField(_("dernière relecture"), null=True, blank=True)
    review_every_months = review_rhythm_field()
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)
    # Normalised copies of the instance's own fields, for filters and search.
    weekdays = models.CharField(max_length=20, editable=False, default="")
    search_text = models.TextField(editable=False, default="")
    history = History(
        excluded_fields=["search_text", "weekdays", "updated_at"],
        m2m_fields=["axes", "participants"],
    )

    objects = RcpQuerySet.as_manager()

    class Meta:
        verbose_name = _("RCP")
        verbose_name_plural = _("RCP")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(deadline_days_before__lte=30),
                name="rcp_deadline_days_range",
                violation_error_message=_("La date limite est au plus 30 jours avant la séance."),
            ),
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=15, duration_minutes__lte=600),
                name="rcp_duration_range",
                violation_error_message=_("La durée va de 15 minutes à 10 heures."),
            ),
            models.CheckConstraint(
                condition=Q(timezone__in=[key for key, _label in TIMEZONE_CHOICES]),
                name="rcp_timezone_known",
                violation_error_message=_("Fuseau horaire inconnu."),
            ),
            models.CheckConstraint(
                condition=Q(first_date__gte=FIRST_DATE_MIN, first_date__lte=FIRST_DATE_MAX),
                name="rcp_first_date_range",
                violation_error_message=_("La première séance est entre 2000 et 2100."),
            ),
        ]
        indexes = [models.Index(fields=["is_published", "scope"], name="rcp_pub_scope_idx")]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.normalise_fields()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("rcp:detail", kwargs={"slug": self.slug})

    def clean(self):
        errors = {}
        rule = self._parsed_rule()
        if self.first_date and not FIRST_DATE_MIN <= self.first_date <= FIRST_DATE_MAX:
            errors["first_date"] = _("La première séance doit être entre 2000 et 2100.")
        elif rule is not None and self.first_date:
            if not recurrence.is_occurrence(rule, self.first_date, self.first_date):
                errors["first_date"] = _(
                    "Le %(date)s n’est pas une date de la règle : indiquez la date d’une "
                    "vraie séance (elle fixe le point de départ du rythme)."
                ) % {"date": format_date(self.first_date)}
            else:
                start = max(self.first_date, timezone.localdate())
                if recurrence.first_after(rule, self.first_date, start, 730) is None:
                    errors["rrule"] = _(
                        "Cette règle ne donne aucune séance dans les deux ans à venir : "
                        "vérifiez-la (ou dépubliez la RCP si elle ne se réunit plus)."
                    )
        if (
            self.deadline_days_before == 0
            and self.deadline_time
            and self.start_time
            and self.deadline_time >= self.start_time
        ):
            errors["deadline_time"] = _(
                "Le jour même, la date limite doit précéder l’heure de début de la séance."
            )
        if self.video_url_is_public and not self.video_url:
            errors["video_url_is_public"] = _("Il n’y a pas de lien à rendre public.")
        if errors:
            raise ValidationError(errors)

    @property
    def freshness(self) -> Freshness:
        """Last update, last check, and whether they are older than the rhythm."""
        return Freshness.of(self)

    def normalise_fields(self) -> None:
        """Fill the copies used by filters and search (call before a bulk_create)."""
        self.weekdays = self._weekday_codes()
        self.search_text = normalise(" ".join([self.name, self.place, self.get_scope_display()]))

    def _parsed_rule(self):
        try:
            return recurrence.parse(self.rrule)
        except recurrence.RuleError:
            return None

    def _weekday_codes(self) -> str:
        rule = self._parsed_rule()
        if rule is None:
            return ""
        if rule.byday:
            days = rule.weekdays
        elif rule.freq == "WEEKLY" and self.first_date:
            days = (self.first_date.weekday(),)
        else:
            days = ()
        return ",".join(recurrence.WEEKDAY_CODES[d] for d in days)

    @cached_property
    def rule(self) -> recurrence.Rule | None:
        """The parsed rule, or None if the stored text is not a valid rule."""
        return self._parsed_rule()

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)  # ZoneInfo keeps one instance per key

    @property
    def zone_label(self) -> str:
        """ "heure de La Réunion"."""
        from .frenchdates import zone_name

        return zone_name(self.timezone)

    @property
    def schedule_text(self) -> str | None:
        """The rhythm in French ("un mardi sur deux"), without the time."""
        from .frenchdates import describe_rule

        rule = self._parsed_rule()
        return describe_rule(rule, self.first_date) if rule and self.first_date else None

    @property
    def deadline_text(self) -> str:
        """The rule of the deadline in French ("2 jours avant, à 12 h 00")."""
        days = self.deadline_days_before
        when = "la veille" if days == 1 else "le jour même" if days == 0 else f"{days} jours avant"
        text = f"{when} à {format_time(self.deadline_time)}"
        if self.deadline_skips_weekend and days:
            text += " (le jour ouvré précédent si ce jour tombe un week-end ou un jour férié)"
        return text

    def case_form_file(self):
        """The form to fill in: the RCP's own, else the default of its first axis
        that has one (axes and their guides prefetched by `for_detail`)."""
        if self.case_form:
            return self.case_form
        for guide in self.case_guides():
            if guide.case_form:
                return guide.case_form
        return None

    def case_guides(self) -> list["AxisCaseGuide"]:
        """The minimum data sets of its axes, in the axes' order."""
        found = []
        for axis in self.axes.all():
            try:
                found.append(axis.case_guide)
            except AxisCaseGuide.DoesNotExist:
                continue
        return found

    def members_by_specialty(self) -> list[tuple[str, list]]:
        """(French specialty name, people) in the vocabulary's order (members
        prefetched by `for_detail`)."""
        grouped: dict[str, list] = {}
        for member in self.members.all():
            grouped.setdefault(member.specialty, []).append(member.person)
        labels = dict(Specialty.choices)
        return [(str(labels[code]), grouped[code]) for code in Specialty.values if code in grouped]

    @property
    def video_link_is_shown(self) -> bool:
        return bool(self.video_url and self.video_url_is_public)

    @property
    def holiday_calendar(self) -> str:
        """The public holidays it follows: its organising centre's territory."""
        if self.organiser_id is None:
            return ""
        return holidays.territory(self.organiser.department.code)

    def holiday_on(self, day: date) -> str | None:
        """The name of the public holiday of its territory on that day, if any."""
        return holidays.holiday_name(day, self.holiday_calendar)

    def deadline_for(self, meeting_day: date) -> datetime:
        """When files must be sent for a meeting on that local day, in the RCP's
        zone: moved back to the previous working day of its territory if asked."""
        day = meeting_day - timedelta(days=self.deadline_days_before)
        if self.deadline_skips_weekend and self.deadline_days_before:
            day = holidays.previous_working_day(day, self.holiday_calendar)
        return datetime.combine(day, self.deadline_time, tzinfo=self.zone)


class RcpException(models.Model):
    """One meeting of the rule cancelled, or moved to another day or time."""

    class Kind(models.TextChoices):
        CANCELLED = "cancelled", _("Annulée")
        MOVED = "moved", _("Déplacée")
        HELD = "held", _("Maintenue malgré le jour férié")

    rcp = models.ForeignKey(
        Rcp, verbose_name=_("RCP"), on_delete=models.CASCADE, related_name="exceptions"
    )
    original_date = models.DateField(_("séance concernée (date prévue)"))
    kind = models.CharField(_("changement"), max_length=10, choices=Kind)
    new_date = models.DateField(_("nouvelle date"), null=True, blank=True)
    new_start_time = models.TimeField(
        _("nouvelle heure"),
        null=True,
        blank=True,
        help_text=_("Laisser vide pour garder l’heure habituelle."),
    )
    note = models.CharField(
        _("motif"),
        max_length=255,
        blank=True,
        help_text=_("Affiché sur le site et dans les agendas."),
    )
    history = History()

    class Meta:
        verbose_name = _("séance annulée ou déplacée")
        verbose_name_plural = _("séances annulées ou déplacées")
        ordering = ["original_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["rcp", "original_date"],
                name="rcp_exception_unique",
                violation_error_message=_("Cette séance a déjà un changement enregistré."),
            ),
            models.CheckConstraint(
                condition=(
                    Q(kind__in=["cancelled", "held"], new_date__isnull=True)
                    & Q(new_start_time__isnull=True)
                    | Q(kind="moved", new_date__isnull=False)
                ),
                name="rcp_exception_consistent",
                violation_error_message=_(
                    "Une séance déplacée a une nouvelle date ; une séance annulée ou maintenue "
                    "n’en a pas."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.rcp} — {format_date(self.original_date)} : {self.get_kind_display().lower()}"

    def clean(self):
        errors = {}
        if self.kind == self.Kind.MOVED and not self.new_date:
            errors["new_date"] = _("Indiquez la nouvelle date de la séance déplacée.")
        if self.kind in (self.Kind.CANCELLED, self.Kind.HELD):
            self.new_date = None
            self.new_start_time = None
        # In the admin's inline, the RCP may not be saved yet: check its new rule.
        # (An unset RCP raises RelatedObjectDoesNotExist, an AttributeError.)
        rcp = getattr(self, "rcp", None)
        if rcp is not None and rcp.first_date and self.original_date:
            rule = rcp._parsed_rule()
            if rule is not None and not recurrence.is_occurrence(
                rule, rcp.first_date, self.original_date
            ):
                errors["original_date"] = _(
                    "Il n’y a pas de séance prévue le %(date)s : choisissez une date du calendrier "
                    "de la RCP."
                ) % {"date": format_date(self.original_date)}
            elif self.kind == self.Kind.HELD:
                if rcp.meets_on_holidays:
                    errors["kind"] = _(
                        "Cette RCP se réunit déjà les jours fériés : il n’y a rien à maintenir."
                    )
                elif rcp.holiday_on(self.original_date) is None:
                    errors["kind"] = _(
                        "Le %(date)s n’est pas un jour férié pour cette RCP : la séance a lieu "
                        "de toute façon."
                    ) % {"date": format_date(self.original_date)}
        if (
            self.kind == self.Kind.MOVED
            and self.new_date
            and self.new_date == self.original_date
            and self.new_start_time is None
        ):
            errors["new_start_time"] = _(
                "La séance reste le même jour : indiquez la nouvelle heure."
            )
        if errors:
            raise ValidationError(errors)


class RcpActivity(models.Model):
    """One meeting held, with what it did: the figures regional networks publish."""

    class Source(models.TextChoices):
        MANUAL = "manual", _("Saisie")
        IMPORT = "import", _("Import CSV")
        DEMO = "demo", _("Démonstration")

    rcp = models.ForeignKey(
        Rcp, verbose_name=_("RCP"), on_delete=models.PROTECT, related_name="activities"
    )
    date = models.DateField(_("date de la séance"))
    files_discussed = models.PositiveIntegerField(_("dossiers discutés"))
    first_presentations = models.PositiveIntegerField(_("dont premières présentations"), default=0)
    doctors_present = models.PositiveSmallIntegerField(_("médecins présents"))
    specialties_present = models.PositiveSmallIntegerField(_("spécialités représentées"))
    specialties = models.CharField(
        _("spécialités présentes"),
        max_length=200,
        blank=True,
        validators=[specialties.validate_codes],
        help_text=_("Pour compter les séances au quorum (facultatif)."),
    )
    centres_represented = models.PositiveSmallIntegerField(_("centres représentés"), default=1)
    source = models.CharField(
        _("origine"), max_length=10, choices=Source, default=Source.MANUAL, editable=False
    )
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)
    history = History(excluded_fields=["updated_at"])

    objects = RcpActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("séance tenue")
        verbose_name_plural = _("activité\u00a0: séances tenues")
        ordering = ["-date", "rcp__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["rcp", "date"],
                name="rcp_activity_unique",
                violation_error_message=_("Cette séance est déjà enregistrée pour cette RCP."),
            ),
            models.CheckConstraint(
                condition=Q(first_presentations__lte=F("files_discussed")),
                name="rcp_activity_first_le_files",
                violation_error_message=_(
                    "Les premières présentations ne peuvent pas dépasser les dossiers discutés."
                ),
            ),
        ]
        indexes = [models.Index(fields=["date"], name="rcp_activity_date_idx")]

    def __str__(self):
        return f"{self.rcp} — {format_date(self.date)}"

    def save(self, *args, **kwargs):
        self.normalise_fields()
        super().save(*args, **kwargs)

    def clean(self):
        if self.date and self.date > timezone.localdate():
            raise ValidationError({"date": _("Une séance tenue ne peut pas être dans le futur.")})

    def normalise_fields(self) -> None:
        """Specialties in their stored order, and counted in specialties_present
        (call before a bulk_create)."""
        codes = set(specialties.split(self.specialties))
        self.specialties = specialties.join(codes)
        if self.specialties_present is not None and len(codes) > self.specialties_present:
            self.specialties_present = len(codes)


class RcpMember(models.Model):
    """A doctor who sits at an RCP, with the specialty they bring."""

    rcp = models.ForeignKey(
        Rcp, verbose_name=_("RCP"), on_delete=models.CASCADE, related_name="members"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("personne"), on_delete=models.CASCADE, related_name="rcp_seats"
    )
    specialty = models.CharField(_("spécialité"), max_length=20, choices=Specialty)
    order = models.PositiveSmallIntegerField(_("ordre"), default=0)
    history = History()

    class Meta:
        verbose_name = _("membre de la RCP")
        verbose_name_plural = _("membres de la RCP")
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["rcp", "person", "specialty"],
                name="rcp_member_unique",
                violation_error_message=_(
                    "Cette personne est déjà membre de la RCP pour cette spécialité."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.person} ({self.get_specialty_display()}) — {self.rcp}"


class QuorumRule(models.Model):
    """The network's quorum rule for an RCP: how many different specialties,
    and which ones must be there. One row, kept by the pilot centre."""

    min_specialties = models.PositiveSmallIntegerField(
        _("nombre minimal de spécialités différentes"),
        default=NATIONAL_MIN_SPECIALTIES,
        validators=[MinValueValidator(1), MaxValueValidator(len(Specialty.values))],
    )
    required_specialties = models.CharField(
        _("spécialités obligatoires"),
        max_length=200,
        blank=True,
        default=specialties.join(NATIONAL_REQUIRED),
        validators=[specialties.validate_codes],
    )
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)
    history = History()

    class Meta:
        verbose_name = _("règle de quorum des RCP")
        verbose_name_plural = _("règle de quorum des RCP")
        constraints = [
            models.CheckConstraint(
                condition=Q(pk=1),
                name="rcp_quorum_rule_single",
                violation_error_message=_("Il n’y a qu’une règle de quorum."),
            ),
        ]

    def __str__(self):
        required = ", ".join(specialties.names(self.required_specialties)) or "aucune"
        return typo(f"Au moins {self.min_specialties} spécialités ; obligatoires : {required}")

    @classmethod
    def current(cls) -> "QuorumRule":
        """The rule in force (the national rule if none was stored)."""
        return cls.objects.filter(pk=1).first() or cls(pk=1)

    @property
    def required(self) -> list[str]:
        return specialties.split(self.required_specialties)

    def gaps(self, codes) -> list[str]:
        """What these specialties lack to meet the rule (empty when they meet it)."""
        return specialties.missing(codes, minimum=self.min_specialties, required=self.required)


class AxisCaseGuide(models.Model):
    """What an RCP file must contain for one axis (its minimum data set), and
    the axis's default case form, kept by the pilot centre."""

    axis = models.OneToOneField(
        Axis, verbose_name=_("axe"), on_delete=models.CASCADE, related_name="case_guide"
    )
    minimum_data = models.TextField(
        _("données minimales du dossier"),
        help_text=_("Un élément par ligne, dans l’ordre où le secrétariat les attend."),
    )
    case_form = models.FileField(
        _("fiche de présentation par défaut"),
        upload_to="rcp/fiches-axes/",
        blank=True,
        validators=[validate_case_form],
        help_text=_(
            "Proposée par les RCP de l’axe qui n’ont pas leur propre fiche (PDF, DOCX ou "
            "ODT, 5 Mo au plus)."
        ),
    )
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)
    history = History()

    class Meta:
        verbose_name = _("dossier RCP d’un axe")
        verbose_name_plural = _("dossiers RCP par axe")
        ordering = ["axis__order"]

    def __str__(self):
        return f"Dossier RCP — {self.axis.short_name}"

    @property
    def items(self) -> list[str]:
        """The items of the minimum data set, one per non-empty line."""
        return [line.strip(" -*•\t") for line in self.minimum_data.splitlines() if line.strip()]
