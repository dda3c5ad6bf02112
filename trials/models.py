"""Clinical trials open in the network, their sites, and the aliases that match
registry facility names to the network's centres."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from centres.models import Axis, Centre
from core.history import History
from core.text import normalise

from .querysets import (
    GlossaryTermQuerySet,
    TrialQuerySet,
    TrialSiteQuerySet,
    status_check_limit,
)
from .validators import validate_eu_ct_number, validate_eudract_number, validate_nct_number


class Status(models.TextChoices):
    """Recruitment status, in the ClinicalTrials.gov vocabulary (overall and per site)."""

    RECRUITING = "RECRUITING", _("Recrute")
    NOT_YET_RECRUITING = "NOT_YET_RECRUITING", _("Pas encore ouvert aux inclusions")
    ENROLLING_BY_INVITATION = "ENROLLING_BY_INVITATION", _("Inclusions sur invitation")
    ACTIVE_NOT_RECRUITING = "ACTIVE_NOT_RECRUITING", _("En cours, ne recrute plus")
    SUSPENDED = "SUSPENDED", _("Suspendu")
    TERMINATED = "TERMINATED", _("Arrêté avant son terme")
    COMPLETED = "COMPLETED", _("Terminé")
    WITHDRAWN = "WITHDRAWN", _("Retiré avant toute inclusion")
    UNKNOWN = "UNKNOWN", _("Statut inconnu (registre non mis à jour)")
    # Expanded-access records use these.
    AVAILABLE = "AVAILABLE", _("Accès élargi disponible")
    NO_LONGER_AVAILABLE = "NO_LONGER_AVAILABLE", _("Accès élargi terminé")
    TEMPORARILY_NOT_AVAILABLE = "TEMPORARILY_NOT_AVAILABLE", _("Accès élargi suspendu")
    APPROVED_FOR_MARKETING = "APPROVED_FOR_MARKETING", _("Autorisé sur le marché")
    WITHHELD = "WITHHELD", _("Information non communiquée")


class Phase(models.TextChoices):
    """Phase as ClinicalTrials.gov gives it (a list joined: ["PHASE1", "PHASE2"])."""

    EARLY_PHASE1 = "EARLY_PHASE1", _("Phase 1 précoce")
    PHASE1 = "PHASE1", _("Phase 1")
    PHASE1_PHASE2 = "PHASE1_PHASE2", _("Phase 1-2")
    PHASE2 = "PHASE2", _("Phase 2")
    PHASE2_PHASE3 = "PHASE2_PHASE3", _("Phase 2-3")
    PHASE3 = "PHASE3", _("Phase 3")
    PHASE4 = "PHASE4", _("Phase 4")
    NA = "NA", _("Sans phase (hors médicament)")


class Setting(models.TextChoices):
    """Where in the course of the disease the trial applies."""

    SCREENING = "screening", _("Dépistage")
    DIAGNOSIS = "diagnosis", _("Diagnostic")
    RESECTABLE = "resectable", _("Tumeur opérable (chirurgie)")
    NEOADJUVANT = "neoadjuvant", _("Avant la chirurgie (néoadjuvant)")
    PERIOPERATIVE = "perioperative", _("Avant et après la chirurgie (périopératoire)")
    ADJUVANT = "adjuvant", _("Après la chirurgie (adjuvant)")
    LOCALLY_ADVANCED = "locally_advanced", _("Localement avancé")
    METASTATIC_1L = "metastatic_1l", _("Métastatique, 1re ligne")
    METASTATIC_2L = "metastatic_2l", _("Métastatique, 2e ligne et au-delà")
    SUPPORTIVE = "supportive", _("Soins de support")
    OTHER = "other", _("Autre")


class EnrollmentType(models.TextChoices):
    """What the registry's enrolment count is (`enrollmentInfo.type`)."""

    ESTIMATED = "ESTIMATED", _("Participants prévus")
    ACTUAL = "ACTUAL", _("Participants inclus")


class Trial(models.Model):
    """A clinical trial open (or about to open) in the network."""

    class StudyType(models.TextChoices):
        INTERVENTIONAL = "INTERVENTIONAL", _("Interventionnel")
        OBSERVATIONAL = "OBSERVATIONAL", _("Observationnel")
        EXPANDED_ACCESS = "EXPANDED_ACCESS", _("Accès élargi")

    class SponsorType(models.TextChoices):
        ACADEMIC = "academic", _("Académique (hôpital, université, groupe coopérateur)")
        INDUSTRY = "industry", _("Industriel")
        OTHER = "other", _("Autre")

    class Sex(models.TextChoices):
        ALL = "ALL", _("Femmes et hommes")
        FEMALE = "FEMALE", _("Femmes")
        MALE = "MALE", _("Hommes")

    class Source(models.TextChoices):
        MANUAL = "manual", _("Saisie manuelle")
        REGISTRY = "registry", _("ClinicalTrials.gov")

    # Written by staff, for patients, in French. Never overwritten by an import.
    plain_title = models.CharField(
        _("titre en langage courant"),
        max_length=300,
        blank=True,
        help_text=_("En français, pour les patients. Laissé intact par les imports."),
    )
    plain_summary = models.TextField(
        _("résumé pour les patients"),
        blank=True,
        help_text=_("Markdown. En français, sans jargon. Laissé intact par les imports."),
    )
    key_eligibility = models.TextField(
        _("principaux critères, en clair"),
        blank=True,
        help_text=_("Markdown. Qui peut y participer, en quelques points simples."),
    )
    axes = models.ManyToManyField(Axis, verbose_name=_("axes"), related_name="trials", blank=True)
    setting = models.CharField(_("situation"), max_length=20, choices=Setting, blank=True)

    # From the registry (or typed by staff for a trial outside ClinicalTrials.gov).
    brief_title = models.CharField(_("titre court du registre"), max_length=400, blank=True)
    official_title = models.TextField(_("titre officiel"), blank=True)
    acronym = models.CharField(_("acronyme"), max_length=40, blank=True)
    nct_number = models.CharField(
        _("numéro NCT"),
        max_length=11,
        blank=True,
        validators=[validate_nct_number],
        help_text=_("Identifiant ClinicalTrials.gov, par exemple NCT01234567."),
    )
    eu_ct_number = models.CharField(
        _("numéro EU CT"),
        max_length=17,
        blank=True,
        validators=[validate_eu_ct_number],
        help_text=_("Registre européen (CTIS), par exemple 2023-501234-12-00."),
    )
    eudract_number = models.CharField(
        _("numéro EudraCT"),
        max_length=14,
        blank=True,
        validators=[validate_eudract_number],
        help_text=_("Ancien registre européen, par exemple 2019-001234-56."),
    )
    org_study_id = models.CharField(_("référence du promoteur"), max_length=60, blank=True)
    study_type = models.CharField(
        _("type d’étude"), max_length=20, choices=StudyType, default=StudyType.INTERVENTIONAL
    )
    phase = models.CharField(_("phase"), max_length=15, choices=Phase, blank=True)
    status = models.CharField(
        _("statut (registre)"),
        max_length=30,
        choices=Status,
        default=Status.NOT_YET_RECRUITING,
        help_text=_("Statut général de l’essai, dans le vocabulaire de ClinicalTrials.gov."),
    )
    conditions = models.TextField(_("pathologies"), blank=True, help_text=_("Une par ligne."))
    keywords = models.TextField(_("mots-clés"), blank=True, help_text=_("Un par ligne."))
    interventions = models.TextField(
        _("traitements étudiés"), blank=True, help_text=_("Un par ligne.")
    )
    sponsor = models.CharField(_("promoteur"), max_length=200, blank=True)
    sponsor_type = models.CharField(
        _("type de promoteur"), max_length=10, choices=SponsorType, blank=True
    )
    registry_summary = models.TextField(_("résumé du registre (anglais)"), blank=True)
    eligibility_criteria = models.TextField(_("critères complets du registre"), blank=True)
    sex = models.CharField(_("sexe"), max_length=6, choices=Sex, default=Sex.ALL)
    min_age = models.PositiveSmallIntegerField(
        _("âge minimum (ans)"), null=True, blank=True, validators=[MaxValueValidator(120)]
    )
    max_age = models.PositiveSmallIntegerField(
        _("âge maximum (ans)"), null=True, blank=True, validators=[MaxValueValidator(120)]
    )
    enrollment = models.PositiveIntegerField(_("nombre de participants"), null=True, blank=True)
    enrollment_type = models.CharField(
        _("participants prévus ou inclus"),
        max_length=10,
        choices=EnrollmentType,
        blank=True,
        help_text=_("Selon le registre : le nombre prévu, ou celui des participants inclus."),
    )
    coordinator = models.CharField(_("investigateur coordonnateur"), max_length=200, blank=True)
    contact_name = models.CharField(_("contact central : nom"), max_length=200, blank=True)
    contact_phone = models.CharField(_("contact central : téléphone"), max_length=40, blank=True)
    contact_email = models.EmailField(_("contact central : courriel"), blank=True)
    start_date = models.DateField(_("début"), null=True, blank=True)
    primary_completion_date = models.DateField(
        _("fin prévue du recueil principal"), null=True, blank=True
    )
    registry_updated = models.DateField(
        _("dernière mise à jour du registre"), null=True, blank=True
    )

    # Bookkeeping.
    source = models.CharField(_("source"), max_length=10, choices=Source, default=Source.MANUAL)
    last_imported_at = models.DateTimeField(
        _("dernière lecture dans le registre"),
        null=True,
        blank=True,
        editable=False,
        help_text=_(
            "Mise à jour à chaque import de l’essai, même sans changement. "
            "Au-delà de 45 jours, son statut est présenté comme non vérifié."
        ),
    )
    status_changed_at = models.DateTimeField(
        _("statut changé le"),
        null=True,
        blank=True,
        editable=False,
        help_text=_(
            "Quand l’essai a été créé ou que son statut a changé : la date des entrées du "
            "flux Atom des recherches."
        ),
    )
    needs_review = models.BooleanField(
        _("à revoir"),
        default=False,
        help_text=_("Le statut ou les dates du registre ont changé depuis le dernier import."),
    )
    review_note = models.TextField(_("changements à revoir"), blank=True)
    # The registry's changes since staff last reviewed the trial, by what changed
    # ("status", "site:<registry key>"...): {"label", "old", "new"}. The import
    # writes review_note from it, so that the note never grows on repeated runs.
    review_changes = models.JSONField(
        _("changements à revoir (détail)"), default=dict, blank=True, editable=False
    )
    is_published = models.BooleanField(_("publié"), default=False)
    is_demo = models.BooleanField(
        _("donnée de démonstration"),
        default=False,
        help_text=_("Affiché comme tel sur le site public."),
    )
    last_reviewed = models.DateField(_("dernière relecture"), null=True, blank=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)
    search_text = models.TextField(editable=False, default="")
    history = History(excluded_fields=["search_text", "updated_at"], m2m_fields=["axes"])

    objects = TrialQuerySet.as_manager()

    class Meta:
        verbose_name = _("essai clinique")
        verbose_name_plural = _("essais cliniques")
        ordering = [models.F("start_date").desc(nulls_last=True), "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["nct_number"],
                condition=~Q(nct_number=""),
                name="trial_nct_number_unique",
                violation_error_message=_("Un essai porte déjà ce numéro NCT."),
            ),
            models.UniqueConstraint(
                fields=["eu_ct_number"],
                condition=~Q(eu_ct_number=""),
                name="trial_eu_ct_number_unique",
                violation_error_message=_("Un essai porte déjà ce numéro EU CT."),
            ),
            models.CheckConstraint(
                condition=~Q(source="registry") | ~Q(nct_number=""),
                name="trial_registry_has_nct",
                violation_error_message=_("Un essai importé du registre a un numéro NCT."),
            ),
            models.CheckConstraint(
                condition=~Q(plain_title="") | ~Q(brief_title=""),
                name="trial_has_title",
                violation_error_message=_("Donnez au moins un titre à l’essai."),
            ),
            models.CheckConstraint(
                condition=Q(min_age__isnull=True)
                | Q(max_age__isnull=True)
                | Q(min_age__lte=models.F("max_age")),
                name="trial_age_range",
                violation_error_message=_("L’âge minimum dépasse l’âge maximum."),
            ),
        ]
        indexes = [
            models.Index(fields=["is_published", "status"], name="trial_pub_status_idx"),
        ]

    def __str__(self):
        label = self.acronym or self.display_title
        return f"{label} ({self.nct_number})" if self.nct_number else label

    def save(self, *args, **kwargs):
        self.search_text = self.compute_search_text()
        if not self.needs_review:
            self.review_changes = {}  # reviewed: the next changes start afresh
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("trials:detail", kwargs={"pk": self.pk})

    def compute_search_text(self) -> str:
        """The normalised text the finder's search runs on (see core.text)."""
        return normalise(
            " ".join(
                [
                    self.plain_title,
                    self.brief_title,
                    self.official_title,
                    self.acronym,
                    self.nct_number,
                    self.eu_ct_number,
                    self.eudract_number,
                    self.org_study_id,
                    self.conditions,
                    self.keywords,
                    self.interventions,
                    self.sponsor,
                ]
            )
        )

    @property
    def display_title(self) -> str:
        return self.plain_title or self.brief_title

    @property
    def title_is_french(self) -> bool:
        """False when only the registry's English title is there to show."""
        return bool(self.plain_title)

    @property
    def is_recruiting(self) -> bool:
        """What the registry last said: see `status_is_unverified` before trusting it."""
        return self.status == Status.RECRUITING

    @property
    def status_is_unverified(self) -> bool:
        """The rule of TrialQuerySet.status_checked, for a trial already loaded."""
        if self.source != self.Source.REGISTRY or self.is_demo:
            return False
        return self.last_imported_at is None or self.last_imported_at < status_check_limit()

    @property
    def condition_list(self) -> list[str]:
        return [line.strip() for line in self.conditions.splitlines() if line.strip()]

    @property
    def intervention_list(self) -> list[str]:
        return [line.strip() for line in self.interventions.splitlines() if line.strip()]

    @property
    def ctgov_url(self) -> str:
        return f"https://clinicaltrials.gov/study/{self.nct_number}" if self.nct_number else ""

    @property
    def eu_ct_url(self) -> str:
        if not self.eu_ct_number:
            return ""
        return (
            "https://euclinicaltrials.eu/search-for-clinical-trials/"
            f"?lang=fr&EUCT={self.eu_ct_number}"
        )

    @property
    def eudract_url(self) -> str:
        if not self.eudract_number:
            return ""
        return (
            f"https://www.clinicaltrialsregister.eu/ctr-search/search?query={self.eudract_number}"
        )


class TrialSite(models.Model):
    """Where a trial recruits: a network centre, or a facility the registry names
    that matches no centre (kept for review)."""

    class Source(models.TextChoices):
        MANUAL = "manual", _("Saisie manuelle")
        REGISTRY = "registry", _("ClinicalTrials.gov")

    trial = models.ForeignKey(
        Trial, verbose_name=_("essai"), on_delete=models.CASCADE, related_name="sites"
    )
    centre = models.ForeignKey(
        Centre,
        verbose_name=_("centre du réseau"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="trial_sites",
    )
    facility_name = models.CharField(
        _("établissement (registre)"),
        max_length=255,
        blank=True,
        help_text=_("Nom donné par le registre, gardé pour rapprocher le lieu d’un centre."),
    )
    facility_city = models.CharField(_("commune (registre)"), max_length=100, blank=True)
    facility_postcode = models.CharField(_("code postal (registre)"), max_length=10, blank=True)
    facility_country = models.CharField(_("pays (registre)"), max_length=60, blank=True)
    status = models.CharField(
        _("statut local"),
        max_length=30,
        choices=Status,
        blank=True,
        help_text=_("Vide\u00a0: celui de l’essai."),
    )
    investigator = models.CharField(_("investigateur local"), max_length=200, blank=True)
    contact_name = models.CharField(_("contact : nom"), max_length=200, blank=True)
    contact_phone = models.CharField(_("contact : téléphone"), max_length=40, blank=True)
    contact_email = models.EmailField(_("contact : courriel"), blank=True)
    source = models.CharField(_("source"), max_length=10, choices=Source, default=Source.MANUAL)
    centre_confirmed = models.BooleanField(
        _("centre confirmé par l’équipe"),
        default=False,
        help_text=_("Un import ne change jamais le centre d’un lieu que l’équipe a confirmé."),
    )
    dropped_on = models.DateField(
        _("plus cité par le registre depuis le"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Le registre ne cite plus ce lieu : il est gardé, fermé, plutôt que supprimé."),
    )
    registry_key = models.CharField(
        _("clé du lieu dans le registre"), max_length=400, blank=True, editable=False
    )
    history = History()

    objects = TrialSiteQuerySet.as_manager()

    class Meta:
        verbose_name = _("lieu de l’essai")
        verbose_name_plural = _("lieux de l’essai")
        ordering = ["centre__city", "facility_city", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(centre__isnull=False) | ~Q(facility_name=""),
                name="trialsite_centre_or_facility",
                violation_error_message=_(
                    "Choisissez un centre du réseau ou donnez le nom de l’établissement."
                ),
            ),
            models.UniqueConstraint(
                fields=["trial", "registry_key"],
                condition=~Q(registry_key=""),
                name="trialsite_registry_key_unique",
                violation_error_message=_("Ce lieu du registre figure déjà dans cet essai."),
            ),
        ]
        indexes = [
            models.Index(fields=["centre", "status"], name="trialsite_centre_status_idx"),
            # TrialSiteQuerySet.governing: "does the registry list this trial here?"
            models.Index(
                fields=["trial", "centre"],
                condition=Q(source="registry"),
                name="trialsite_registry_idx",
            ),
        ]

    def __str__(self):
        where = (
            str(self.centre) if self.centre_id else f"{self.facility_name} ({self.facility_city})"
        )
        return f"{where} — {self.trial}"

    @property
    def effective_status(self) -> str:
        """The status to show: the site's own, never more open than the trial's.

        A site marked recruiting in a trial the registry says is closed shows the
        trial's status: a page must never show recruiting when the registry does not.
        """
        trial_status = self.trial.status
        if not self.status:
            return trial_status
        if self.status == Status.RECRUITING and trial_status != Status.RECRUITING:
            return trial_status
        return self.status

    def get_effective_status_display(self) -> str:
        return Status(self.effective_status).label

    @property
    def is_recruiting(self) -> bool:
        return self.effective_status == Status.RECRUITING

    @property
    def place_label(self) -> str:
        """The centre, or the registry's facility (for staff: see `facility_label`)."""
        if self.centre_id:
            return str(self.centre)
        return self.facility_label

    @property
    def facility_label(self) -> str:
        """The facility as the registry names it, "" if staff typed none (the public
        pages use it for a site outside the published centres)."""
        if not self.facility_name:
            return ""
        city = f" ({self.facility_city})" if self.facility_city else ""
        return f"{self.facility_name}{city}"


class UnmatchedSite(TrialSite):
    """Registry sites in France that match no centre and that staff have not yet
    said are outside the network: the admin's review list."""

    class Meta:
        proxy = True
        verbose_name = _("lieu à rapprocher d’un centre")
        verbose_name_plural = _("lieux à rapprocher d’un centre")


def facility_key(name: str, city: str) -> str:
    """How a registry facility is recognised from one import to the next."""
    return f"{normalise(name)}|{normalise_city(city)}"


def normalise_city(city: str) -> str:
    """A city as the registry may spell it: "Lyon Cedex 03" and "LYON" are "lyon"."""
    words = normalise(city).split()
    if "cedex" in words:
        words = words[: words.index("cedex")]
    return " ".join(words)


class FacilityAlias(models.Model):
    """A registry facility name that staff said is a given centre, or outside the
    network (no centre); later imports follow the decision."""

    facility_name = models.CharField(_("établissement (registre)"), max_length=255)
    facility_city = models.CharField(_("commune (registre)"), max_length=100, blank=True)
    centre = models.ForeignKey(
        Centre,
        verbose_name=_("centre du réseau"),
        on_delete=models.CASCADE,
        related_name="facility_aliases",
        null=True,
        blank=True,
        help_text=_("Vide\u00a0: un établissement hors du réseau."),
    )
    key = models.CharField(_("clé"), max_length=400, unique=True, editable=False)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    history = History()

    class Meta:
        verbose_name = _("alias d’établissement")
        verbose_name_plural = _("alias d’établissements")
        ordering = ["facility_name"]

    def __str__(self):
        centre = self.centre or _("hors réseau")
        return f"{self.facility_name} ({self.facility_city}) → {centre}"

    def save(self, *args, **kwargs):
        self.key = facility_key(self.facility_name, self.facility_city)
        super().save(*args, **kwargs)


class GlossaryTerm(models.Model):
    """A registry term (a condition, a treatment) and how to say it in French on the
    public pages. Kept by staff in the admin; seeded with the common terms of the
    network's cancers and their treatments."""

    class Kind(models.TextChoices):
        CONDITION = "condition", _("Maladie")
        INTERVENTION = "intervention", _("Traitement ou intervention")

    english = models.CharField(
        _("terme du registre (anglais)"),
        max_length=200,
        help_text=_("Tel que ClinicalTrials.gov l’écrit ; casse et accents sont ignorés."),
    )
    french = models.CharField(_("en français"), max_length=300)
    kind = models.CharField(_("type"), max_length=12, choices=Kind, default=Kind.CONDITION)
    key = models.CharField(_("clé"), max_length=200, unique=True, editable=False)
    history = History()

    objects = GlossaryTermQuerySet.as_manager()

    class Meta:
        verbose_name = _("terme du glossaire")
        verbose_name_plural = _("glossaire des termes du registre")
        ordering = ["english"]

    def __str__(self):
        return f"{self.english} → {self.french}"

    def save(self, *args, **kwargs):
        self.key = normalise(self.english)
        super().save(*args, **kwargs)

    def validate_unique(self, exclude=None):
        super().validate_unique(exclude)
        key = normalise(self.english)
        if GlossaryTerm.objects.filter(key=key).exclude(pk=self.pk).exists():
            raise ValidationError({"english": _("Ce terme figure déjà dans le glossaire.")})
