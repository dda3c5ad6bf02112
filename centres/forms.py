"""Forms that validate the query string of the public centre pages."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import geo
from .models import Axis, Centre, Department, Region, Service

_SAFE_KEY = re.compile(r"^[A-Za-z0-9_-]{1,80}$")


class KeyChoiceField(forms.ModelChoiceField):
    """A ModelChoiceField that refuses malformed keys before touching the database.

    PostgreSQL rejects NUL bytes in text parameters with an error; a value that
    cannot be a slug or a code is simply an invalid choice.
    """

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if not isinstance(value, str) or not _SAFE_KEY.match(value):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class CentreFilterForm(forms.Form):
    """Filters of the directory `/centres/`, all optional, all kept in the URL."""

    q = forms.CharField(
        label=_("Nom, ville ou mot-clé"),
        required=False,
        max_length=100,
        help_text=_("Par exemple « Brest », « pancréas », « saint etienne »."),
    )
    pres_de = forms.CharField(
        label=_("Près de (code postal ou commune)"),
        required=False,
        max_length=100,
        help_text=_("Par exemple 29200 ou Quimper : les centres les plus proches d’abord."),
    )
    axe = KeyChoiceField(
        label=_("Cancer (axe)"),
        queryset=Axis.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("Tous les axes"),
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
        if data.get("pres_de"):
            found = geo.lookup(data["pres_de"])
            if found.location:
                self.location = found.location
            elif found.choices:
                self.place_choices = found.choices
            else:
                self.add_error(
                    "pres_de",
                    ValidationError(
                        _(
                            "Nous ne trouvons pas « %(value)s » : saisissez un code postal "
                            "français à 5 chiffres (par exemple 29200) ou le nom d’une commune."
                        ),
                        params={"value": data["pres_de"]},
                        code="unknown_place",
                    ),
                )
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
