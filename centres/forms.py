"""Forms that validate the query string of the public centre pages."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core import geo
from core.forms import ERROR_SUMMARY_RENDERER, KeyChoiceField, PlaceField

from .models import Axis, Centre, Department, Region, Service


class CentreFilterForm(forms.Form):
    """Filters of the directory `/centres/`, all optional, all kept in the URL."""

    default_renderer = ERROR_SUMMARY_RENDERER  # errors once, in the summary atop the form

    q = forms.CharField(
        label=_("Nom, ville ou mot-clé"),
        required=False,
        max_length=100,
        help_text=_(
            "Par exemple «\u00a0Brest\u00a0», «\u00a0pancréas\u00a0», «\u00a0saint etienne\u00a0»."
        ),
    )
    pres_de = PlaceField(
        help_text=_("Par exemple 29200 ou Quimper\u00a0: les centres les plus proches d’abord."),
    )
    axe = KeyChoiceField(
        label=_("Cancer"),
        queryset=Axis.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("Tous les cancers"),
    )
    region = KeyChoiceField(
        label=_("Région"),
        queryset=Region.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("Toutes les régions"),
    )
    departement = KeyChoiceField(
        label=_("Département"),
        queryset=Department.objects.all(),
        to_field_name="code",
        required=False,
        empty_label=_("Tous les départements"),
    )
    type = forms.ChoiceField(
        label=_("Type de centre"),
        choices=[("", _("Tous les types")), *Centre.Kind.choices],
        required=False,
    )
    service = KeyChoiceField(
        label=_("Service spécialisé"),
        queryset=Service.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("Tous les services"),
    )
    # Filled in by the "use my location" button (JavaScript, with consent).
    lat = forms.FloatField(required=False, min_value=-90, max_value=90, widget=forms.HiddenInput)
    lon = forms.FloatField(required=False, min_value=-180, max_value=180, widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        self.location = None
        self.place_choices = ()
        lat, lon = data.get("lat"), data.get("lon")
        if (lat is None) != (lon is None):
            raise ValidationError(_("La position transmise est incomplète."), code="position")
        found = data.get("pres_de")
        if found is not None:
            self.location = found.location
            self.place_choices = found.choices
        elif lat is not None:
            self.location = geo.Location(lat, lon, str(_("votre position")))
        return data

    def filter(self, queryset):
        """Apply the valid filters to a queryset of centres."""
        data = self.cleaned_data
        if data.get("axe"):
            queryset = queryset.for_axis(data["axe"])
        if data.get("region"):
            queryset = queryset.in_region(data["region"])
        if data.get("departement"):
            queryset = queryset.filter(department=data["departement"])
        if data.get("type"):
            queryset = queryset.filter(kind=data["type"])
        if data.get("service"):
            queryset = queryset.with_service(data["service"])
        if data.get("q"):
            queryset = queryset.search(data["q"])
        return queryset

    def is_filtered(self) -> bool:
        return any(self.cleaned_data.get(k) for k in self.fields if k not in ("lat", "lon")) or (
            self.location is not None
        )
