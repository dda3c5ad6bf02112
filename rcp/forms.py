"""Forms that validate the query strings of the RCP pages and feeds."""

import re
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from centres.models import Axis, Centre, Region
from core.dates import day_name_lazy
from core.forms import ERROR_SUMMARY_RENDERER, KeyChoiceField, PlaceField

from .ics import REMINDERS
from .models import Rcp
from .recurrence import WEEKDAY_CODES

YEAR_MIN, YEAR_MAX = 2000, 2100
# The most RCPs one chosen set may hold (its feed's address stays short).
MAX_SELECTION = 40
WEEKDAY_CHOICES = [("", _("Tous les jours"))] + [
    (code, capfirst(day_name_lazy(i))) for i, code in enumerate(WEEKDAY_CODES[:5])
]


class _SlugNameChoices(forms.models.ModelChoiceIterator):
    """The options as (slug, label) rows, without a model instance each: the 500
    RCPs of the indicator page's menu, the hundreds of organisers of every
    directory and calendar page (Axis, Region and Rcp print their name)."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        yield from self.rows()

    def rows(self):
        return self.queryset.values_list("slug", "name")


class _OrganiserChoices(_SlugNameChoices):
    def rows(self):
        # Centre.__str__: the short name, else the name.
        for slug, short_name, name in self.queryset.values_list("slug", "short_name", "name"):
            yield (slug, short_name or name)


class SlugNameField(KeyChoiceField):
    """An axis, a region or an RCP chosen by its slug, named by its name."""

    iterator = _SlugNameChoices


class OrganiserField(KeyChoiceField):
    """A centre that organises RCPs, chosen by its slug."""

    iterator = _OrganiserChoices


class RcpFilterForm(forms.Form):
    """Filters of the directory `/rcp/`, also used by the calendar and the feed."""

    default_renderer = ERROR_SUMMARY_RENDERER  # errors once, in the summary atop the form

    q = forms.CharField(
        label=_("Nom, centre, ville ou mot-clé"),
        required=False,
        max_length=100,
        help_text=_(
            "Par exemple «\u00a0recours pancréas\u00a0», «\u00a0Brest\u00a0», "
            "«\u00a0moléculaire\u00a0»."
        ),
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
    centre = OrganiserField(
        label=_("Centre organisateur"),
        queryset=Centre.objects.none(),
        to_field_name="slug",
        required=False,
        empty_label=_("Tous les centres"),
    )
    portee = forms.ChoiceField(
        label=_("Type de RCP"),
        choices=[("", _("Tous les types"))] + list(Rcp.Scope.choices),
        required=False,
    )
    jour = forms.ChoiceField(label=_("Jour"), choices=WEEKDAY_CHOICES, required=False)
    mode = forms.ChoiceField(
        label=_("Modalité"),
        choices=[("", _("Toutes"))] + list(Rcp.Mode.choices),
        required=False,
    )
    pres_de = PlaceField(
        help_text=_(
            "Par exemple 29200 ou Quimper\u00a0: les RCP du centre organisateur le plus proche "
            "d’abord\u00a0; les RCP nationales de recours et moléculaires restent toutes listées."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["centre"].queryset = (
            Centre.objects.published()
            .filter(pk__in=Rcp.objects.published().values("organiser_id"))
            .order_by("name")
            # The chosen centre's filter and feed read no other field.
            .only("pk", "slug", "name", "short_name")
        )

    def clean(self):
        data = super().clean()
        found = data.get("pres_de")
        self.location = found.location if found else None
        self.place_choices = found.choices if found else ()
        return data

    def filter(self, queryset):
        """Apply the valid filters to a queryset of RCPs (the place orders them,
        it filters none: see the directory)."""
        data = self.cleaned_data
        if data.get("axe"):
            queryset = queryset.for_axis(data["axe"])
        if data.get("region"):
            queryset = queryset.in_region(data["region"])
        if data.get("centre"):
            queryset = queryset.organised_by(data["centre"])
        if data.get("portee"):
            queryset = queryset.filter(scope=data["portee"])
        if data.get("jour"):
            queryset = queryset.on_weekday(data["jour"])
        if data.get("mode"):
            queryset = queryset.filter(mode=data["mode"])
        if data.get("q"):
            queryset = queryset.search(data["q"])
        return queryset

    def is_filtered(self) -> bool:
        return any(self.cleaned_data.get(name) for name in RcpFilterForm.base_fields)

    def filter_params(self) -> dict[str, str]:
        """The valid filters as query-string values (for feed links)."""
        params = {}
        for name in RcpFilterForm.base_fields:
            if name == "pres_de":
                continue  # an order, not a filter: the feed holds the same RCPs
            value = self.cleaned_data.get(name)
            if value:
                params[name] = getattr(value, "slug", value)
        return params


class WeekField(forms.CharField):
    """An ISO week "2026-W48", as the date of its Monday."""

    pattern = re.compile(r"^(\d{4})-W(\d{1,2})\Z", re.ASCII)

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        match = self.pattern.match(value) if len(value) <= 10 else None
        if match:
            year, week = int(match.group(1)), int(match.group(2))
            if YEAR_MIN <= year <= YEAR_MAX:
                try:
                    return date.fromisocalendar(year, week, 1)
                except ValueError:
                    pass
        raise ValidationError(
            _("Semaine inconnue\u00a0: écrivez-la sous la forme 2026-W48 (entre 2000 et 2100)."),
            code="week",
        )


class MonthField(forms.CharField):
    """A month "2026-11", as the date of its first day."""

    pattern = re.compile(r"^(\d{4})-(\d{1,2})\Z", re.ASCII)

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        match = self.pattern.match(value) if len(value) <= 10 else None
        if match:
            year, month = int(match.group(1)), int(match.group(2))
            if YEAR_MIN <= year <= YEAR_MAX and 1 <= month <= 12:
                return date(year, month, 1)
        raise ValidationError(
            _("Mois inconnu\u00a0: écrivez-le sous la forme 2026-11 (entre 2000 et 2100)."),
            code="month",
        )


class CalendarForm(RcpFilterForm):
    """The calendar: the directory's filters, plus the week or the month shown."""

    pres_de = None  # the calendar is ordered by time, not by distance
    semaine = WeekField(label=_("Semaine"), required=False, widget=forms.HiddenInput)
    mois = MonthField(label=_("Mois"), required=False, widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        if data.get("semaine") and data.get("mois"):
            raise ValidationError(_("Choisissez une semaine ou un mois, pas les deux."))
        return data

    def period(self, today: date) -> tuple[str, date, date]:
        """("upcoming", "week" or "month", first day, last day) of the period to
        show: by default the seven days from today."""
        data = self.cleaned_data if self.is_bound else {}
        if data.get("mois"):
            first = data["mois"]
            return "month", first, first + relativedelta(day=31)  # capped at the month's end
        if data.get("semaine"):
            return "week", data["semaine"], data["semaine"] + timedelta(days=6)
        return "upcoming", today, today + timedelta(days=6)


def week_param(day: date) -> str:
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


def month_param(day: date) -> str:
    return f"{day.year}-{day.month:02d}"


class IndicatorForm(forms.Form):
    """Perimeter and period of the activity indicators `/rcp/indicateurs/`."""

    default_renderer = ERROR_SUMMARY_RENDERER  # errors once, in the summary atop the form

    # The default first: a browser shows the first option when none is chosen,
    # so the menu always shows the period displayed.
    PERIODS = [
        ("mois", _("Par mois")),
        ("quinzaine", _("Par quinzaine")),
        ("annee", _("Par année")),
    ]

    periode = forms.ChoiceField(label=_("Période"), choices=PERIODS, required=False, initial="mois")
    axe = SlugNameField(
        label=_("Cancer"),
        queryset=Axis.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("Tout le réseau"),
    )
    region = SlugNameField(
        label=_("Région"),
        queryset=Region.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("Toutes les régions"),
    )
    rcp = SlugNameField(
        label=_("RCP"),
        queryset=Rcp.objects.published(),
        to_field_name="slug",
        required=False,
        empty_label=_("Toutes les RCP"),
    )
    seuil = forms.IntegerField(
        label=_("Seuil d’alerte (baisse en %)"),
        required=False,
        min_value=1,
        max_value=90,
        help_text=_("Alerte quand les dossiers discutés baissent de plus de ce pourcentage."),
    )

    def settings(self) -> dict:
        data = self.cleaned_data if self.is_bound else {}
        return {
            "period": data.get("periode") or "mois",
            "axis": data.get("axe"),
            "region": data.get("region"),
            "rcp": data.get("rcp"),
            "threshold": data.get("seuil") or 20,
            "today": timezone.localdate(),
        }


class ReminderForm(forms.Form):
    """The optional reminder of a feed, before each submission deadline (`?rappel=1j`)."""

    rappel = forms.ChoiceField(
        label=_("Rappel avant la date limite d’envoi des dossiers"),
        choices=[("", _("Sans rappel"))]
        + [(key, label) for key, (label, *_r) in REMINDERS.items()],
        required=False,
    )


class SelectionField(forms.Field):
    """RCPs chosen by their slugs (`?rcp=a&rcp=b`): well-formed, distinct, bounded."""

    widget = forms.CheckboxSelectMultiple
    pattern = re.compile(r"^[-a-zA-Z0-9_]{1,120}\Z", re.ASCII)

    def to_python(self, value):
        if not value:
            return []
        if isinstance(value, str) or not isinstance(value, list | tuple):
            value = [value]
        slugs = []
        for item in value:
            if not isinstance(item, str) or not self.pattern.match(item):
                raise ValidationError(_("Identifiant de RCP invalide."), code="slug")
            if item not in slugs:
                slugs.append(item)
        if len(slugs) > MAX_SELECTION:
            raise ValidationError(
                _("Choisissez au plus %(max)d RCP."), code="too_many", params={"max": MAX_SELECTION}
            )
        return slugs


class FeedForm(RcpFilterForm):
    """The network feed `/rcp/agenda.ics`: the directory's filters, or a chosen
    set of RCPs, and the optional reminder."""

    rcp = SelectionField(label=_("RCP choisies"), required=False)
    rappel = ReminderForm.base_fields["rappel"]


class SelectionForm(forms.Form):
    """The subscription page of a chosen set of RCPs `/rcp/abonnement/`."""

    rcp = SelectionField(label=_("RCP choisies"), required=False)
    rappel = ReminderForm.base_fields["rappel"]
