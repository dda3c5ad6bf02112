"""The query strings of the trials pages, validated before any query (see centres.forms):
the finder (and its Atom feed), a trial page's place, the printable selection."""

import re
from html import escape

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import flatatt
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from centres.models import Axis, Centre, Region
from core.forms import ERROR_SUMMARY_RENDERER, PlaceField

from .models import Phase, Setting, Status
from .querysets import OPEN_SITE_STATUSES

# The finder's status choices: URL key -> (trial status or None for all, label).
STATUS_FILTERS = {
    "recrute": Status.RECRUITING,
    "bientot": Status.NOT_YET_RECRUITING,
    "tous": None,
}
DEFAULT_STATUS = "recrute"
RADIUS_CHOICES = [(km, f"{km}\u00a0km") for km in (25, 50, 100, 200, 500)]
DEFAULT_RADIUS = 100


class QuickSelect(forms.Select):
    """A <select> written in Python, as Django's own widget writes it: a thousand
    centres rendered option by option through templates cost the finder ~100 ms."""

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, attrs)
        chosen = {str(v) for v in self.format_value(value)}
        options = "\n".join(
            f'<option value="{escape(str(key))}"{" selected" if str(key) in chosen else ""}>'
            f"{escape(str(label))}</option>"
            for key, label in self.choices
        )
        return mark_safe(  # noqa: S308 - every value and label escaped above
            f'<select name="{escape(name)}"{flatatt(attrs)}>\n{options}\n</select>'
        )


class ReferenceChoiceField(forms.ChoiceField):
    """A slug among a reference table's rows (axes, regions, centres), the choices
    read in one small query per request (`load`); cleans to the row's pk. A value
    that is not one of the slugs (NUL bytes, 10,000 characters) is an invalid
    choice, found without any query."""

    widget = QuickSelect

    def __init__(self, *, empty_label, **kwargs):
        super().__init__(choices=[("", empty_label)], required=False, **kwargs)
        self.empty_label = empty_label
        self.pks: dict[str, int] = {}

    def load(self, rows) -> None:
        """`rows`: (pk, slug, label) of the choices, in display order. Set as they are:
        Django's choices setter would normalise a thousand pairs on every request."""
        rows = list(rows)
        self.pks = {slug: pk for pk, slug, _label in rows}
        choices = [("", self.empty_label), *((slug, label) for _pk, slug, label in rows)]
        self._choices = self.widget.choices = choices

    def valid_value(self, value):
        return value in self.pks

    def clean(self, value):
        slug = super().clean(value)
        return self.pks.get(slug) if slug else None


class TrialFinderForm(forms.Form):
    """Filters of `/essais/`, all optional, all kept in the URL. The patient's three
    questions come first (which cancer, how old, where), the other criteria after."""

    default_renderer = ERROR_SUMMARY_RENDERER  # errors once, in the summary atop the form

    # The three questions.
    axe = ReferenceChoiceField(
        label=_("Quel cancer\u00a0?"), empty_label=_("Tous les cancers du réseau")
    )
    age = forms.IntegerField(
        label=_("Quel âge a la personne malade\u00a0?"),
        required=False,
        min_value=0,
        max_value=120,
        help_text=_("En années. Les essais dont les limites d’âge l’incluent."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    pres_de = PlaceField(
        label=_("Près d’où\u00a0? (code postal ou commune)"),
        example_postcode="69003",
        help_text=_("Par exemple 69003 ou Lyon\u00a0: les essais ouverts dans un centre proche."),
    )
    rayon = forms.TypedChoiceField(
        label=_("Distance maximale"),
        choices=RADIUS_CHOICES,
        coerce=int,
        required=False,
        empty_value=DEFAULT_RADIUS,
        initial=DEFAULT_RADIUS,
        widget=QuickSelect,
    )
    # The other criteria.
    q = forms.CharField(
        label=_("Mots-clés, acronyme ou numéro d’essai"),
        required=False,
        max_length=100,
        help_text=_(
            "Par exemple «\u00a0FOLFIRINOX\u00a0», «\u00a0cholangiocarcinome\u00a0» ou NCT01234567."
        ),
    )
    statut = forms.ChoiceField(
        label=_("Statut"),
        choices=[
            ("recrute", _("Recrute actuellement")),
            ("bientot", _("Pas encore ouvert aux inclusions")),
            ("tous", _("Tous les statuts")),
        ],
        required=False,
        widget=QuickSelect,
    )
    situation = forms.ChoiceField(
        label=_("Situation de la maladie"),
        choices=[("", _("Toutes les situations")), *Setting.choices],
        required=False,
        widget=QuickSelect,
    )
    phase = forms.ChoiceField(
        label=_("Phase"),
        choices=[("", _("Toutes les phases")), *Phase.choices],
        required=False,
        widget=QuickSelect,
    )
    region = ReferenceChoiceField(label=_("Région"), empty_label=_("Toutes les régions"))
    centre = ReferenceChoiceField(label=_("Centre du réseau"), empty_label=_("Tous les centres"))

    def __init__(self, data=None, *args, **kwargs):
        # The defaults are filled in so that the page shows what is applied
        # (a select without a selected option would show its first choice).
        data = data.copy() if data is not None else {}
        for name, default in (("statut", DEFAULT_STATUS), ("rayon", str(DEFAULT_RADIUS))):
            if not data.get(name):
                data[name] = default
        super().__init__(data, *args, **kwargs)
        # Three small queries (pk, slug, label) instead of model instances.
        self.fields["axe"].load(
            Axis.objects.order_by("order", "name").values_list("pk", "slug", "name")
        )
        self.fields["region"].load(
            Region.objects.order_by("name").values_list("pk", "slug", "name")
        )
        self.fields["centre"].load(
            (pk, slug, short or name)
            for pk, slug, short, name in Centre.objects.published()
            .order_by("name")
            .values_list("pk", "slug", "short_name", "name")
        )

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
            queryset = queryset.for_axis(data["axe"])  # a pk
        if data.get("age") is not None:
            queryset = queryset.for_age(data["age"])
        if data.get("situation"):
            queryset = queryset.filter(setting=data["situation"])
        if data.get("phase"):
            queryset = queryset.filter(phase=data["phase"])
        if data.get("region"):
            centres = Centre.objects.published().filter(department__region=data["region"])
            queryset = queryset.with_site_at(centres.values("pk"), site_statuses=self.site_statuses)
        if data.get("centre"):
            queryset = queryset.with_site_at([data["centre"]], site_statuses=self.site_statuses)
        if data.get("q"):
            queryset = queryset.search(data["q"])
        return queryset

    def is_filtered(self) -> bool:
        data = self.cleaned_data
        return (
            any(data.get(k) for k in ("q", "axe", "situation", "phase", "region", "centre"))
            or data.get("age") is not None
            or self.status_key != DEFAULT_STATUS
            or self.location is not None
        )


class TrialPlaceForm(forms.Form):
    """`?pres_de=` on a trial page: its network sites nearest first from that place."""

    pres_de = PlaceField(
        label=_("Classer les lieux par distance depuis (code postal ou commune)"),
        example_postcode="69003",
    )

    def clean(self):
        data = super().clean()
        found = data.get("pres_de")
        self.location = found.location if found is not None else None
        self.place_choices = found.choices if found is not None else ()
        return data


_PK = re.compile(r"^[0-9]{1,18}$")  # more digits would overflow the database's integer
MAX_SELECTION = 20


class TrialSelectionField(forms.MultipleChoiceField):
    """Trial numbers (`essai=12&essai=15`): digits only, at most MAX_SELECTION, checked
    before any query; cleans to the list of numbers."""

    def valid_value(self, value):
        return True

    def clean(self, value):
        values = super().clean(value)
        if len(values) > MAX_SELECTION:
            raise ValidationError(
                _("Choisissez au plus %(max)d essais à imprimer."),
                params={"max": MAX_SELECTION},
                code="too_many",
            )
        if not all(isinstance(v, str) and _PK.match(v) for v in values):
            raise ValidationError(_("Un des essais choisis n’existe pas."), code="invalid")
        return list(dict.fromkeys(int(v) for v in values))


class PrintForm(TrialPlaceForm):
    """The printable view: the trials chosen, and a place to order their sites by."""

    essai = TrialSelectionField(label=_("Essais à imprimer"), required=False)
