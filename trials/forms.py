"""The finder's query string, validated before any query (see centres.forms)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from centres.models import Axis, Centre, Region
from core.forms import KeyChoiceField, PlaceField

from .models import Phase, Setting, Status
from .querysets import OPEN_SITE_STATUSES

# The finder's status choices: URL key -> (trial status or None for all, label).
STATUS_FILTERS = {
    "recrute": Status.RECRUITING,
    "bientot": Status.NOT_YET_RECRUITING,
    "tous": None,
}
DEFAULT_STATUS = "recrute"
RADIUS_CHOICES = [(25, "25 km"), (50, "50 km"), (100, "100 km"), (200, "200 km"), (500, "500 km")]
DEFAULT_RADIUS = 100


class TrialFinderForm(forms.Form):
    """Filters of `/essais/`, all optional, all kept in the URL."""

    q = forms.CharField(
        label=_("Mots-clés, acronyme ou numéro d’essai"),
        required=False,
        max_length=100,
        help_text=_("Par exemple « FOLFIRINOX », « cholangiocarcinome » ou NCT01234567."),
    )
    axe = KeyChoiceField(
        label=_("Cancer (axe)"),
        queryset=Axis.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("Tous les axes"),
    )
    statut = forms.ChoiceField(
        label=_("Statut"),
        choices=[
            ("recrute", _("Recrute actuellement")),
            ("bientot", _("Pas encore ouvert aux inclusions")),
            ("tous", _("Tous les statuts")),
        ],
        required=False,
    )
    pres_de = PlaceField(
        example_postcode="69003",
        help_text=_("Par exemple 69003 ou Lyon : les essais ouverts dans un centre proche."),
    )
    rayon = forms.TypedChoiceField(
        label=_("Distance maximale"),
        choices=RADIUS_CHOICES,
        coerce=int,
        required=False,
        empty_value=DEFAULT_RADIUS,
        initial=DEFAULT_RADIUS,
    )
    situation = forms.ChoiceField(
        label=_("Situation de la maladie"),
        choices=[("", _("Toutes les situations")), *Setting.choices],
        required=False,
    )
    phase = forms.ChoiceField(
        label=_("Phase"),
        choices=[("", _("Toutes les phases")), *Phase.choices],
        required=False,
    )
    region = KeyChoiceField(
        label=_("Région"),
        queryset=Region.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("Toutes les régions"),
    )
    centre = KeyChoiceField(
        label=_("Centre du réseau"),
        queryset=Centre.objects.published(),
        to_field_name="slug",
        required=False,
        empty_label=_("Tous les centres"),
    )

    def __init__(self, data=None, *args, **kwargs):
        # The defaults are filled in so that the page shows what is applied
        # (a select without a selected option would show its first choice).
        data = data.copy() if data is not None else {}
        for name, default in (("statut", DEFAULT_STATUS), ("rayon", str(DEFAULT_RADIUS))):
            if not data.get(name):
                data[name] = default
        super().__init__(data, *args, **kwargs)

    def clean(self):
        data = super().clean()
        self.location = None
        self.place_choices = ()
        found = data.get("pres_de")
        if found is not None:
            self.location = found.location
            self.place_choices = found.choices
        return data

    @property
    def status_key(self) -> str:
        return (getattr(self, "cleaned_data", {}) or {}).get("statut") or DEFAULT_STATUS

    @property
    def trial_status(self) -> str | None:
        return STATUS_FILTERS[self.status_key]

    @property
    def site_statuses(self):
        """The site statuses that count as open for the chosen trial status (None: any)."""
        status = self.trial_status
        return OPEN_SITE_STATUSES[status] if status else None

    @property
    def radius(self) -> int:
        return self.cleaned_data.get("rayon") or DEFAULT_RADIUS

    def filter(self, queryset):
        """Apply the valid filters (the place aside, see the view) to published trials."""
        data = self.cleaned_data
        if self.trial_status:
            queryset = queryset.with_status(self.trial_status)
        if data.get("axe"):
            queryset = queryset.for_axis(data["axe"])
        if data.get("situation"):
            queryset = queryset.filter(setting=data["situation"])
        if data.get("phase"):
            queryset = queryset.filter(phase=data["phase"])
        if data.get("region"):
            centres = Centre.objects.published().in_region(data["region"]).values("pk")
            queryset = queryset.with_site_at(centres, site_statuses=self.site_statuses)
        if data.get("centre"):
            queryset = queryset.with_site_at([data["centre"].pk], site_statuses=self.site_statuses)
        if data.get("q"):
            queryset = queryset.search(data["q"])
        return queryset

    def is_filtered(self) -> bool:
        data = self.cleaned_data
        return (
            any(data.get(k) for k in ("q", "axe", "situation", "phase", "region", "centre"))
            or self.status_key != DEFAULT_STATUS
            or self.location is not None
        )
