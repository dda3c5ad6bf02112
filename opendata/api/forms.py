"""Query strings of the API: the public pages' own filter forms, plus paging and
`updated_since`. Every parameter goes through a Django form: a bad value (NUL
byte, unknown slug, number out of range) is a 400, never a database error."""

from django import forms
from django.utils.translation import gettext_lazy as _

from centres.forms import CentreFilterForm
from centres.models import Axis, Centre, Role
from core.forms import KeyChoiceField
from rcp.forms import RcpFilterForm
from trials.forms import TrialFinderForm

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 100
MAX_PAGE = 100_000
SINCE_MIN_YEAR, SINCE_MAX_YEAR = 2000, 2100


class PageForm(forms.Form):
    """Paging and incremental sync, common to every list."""

    page = forms.IntegerField(
        label=_("Page"),
        required=False,
        min_value=1,
        max_value=MAX_PAGE,
        help_text=_("1 par défaut."),
    )
    page_size = forms.IntegerField(
        label=_("Éléments par page"),
        required=False,
        min_value=1,
        max_value=MAX_PAGE_SIZE,
        help_text=_("50 par défaut, 100 au plus."),
    )
    updated_since = forms.DateTimeField(
        label=_("Modifiés depuis"),
        required=False,
        help_text=_(
            "Date et heure ISO 8601 (2026-12-01T08:00:00+01:00) : seuls les éléments modifiés "
            "depuis (heure de Paris si le fuseau manque), y compris quand une donnée "
            "liée change\u00a0: séance annulée d’une RCP, lieu d’un essai, axes d’un centre."
        ),
    )

    def clean_updated_since(self):
        # A date far out converts to UTC past year 9999 (an OverflowError, a 500 on SQLite).
        value = self.cleaned_data.get("updated_since")
        if value is not None and not SINCE_MIN_YEAR <= value.year <= SINCE_MAX_YEAR:
            raise forms.ValidationError(
                _("Donnez une date entre %(low)s et %(high)s."),
                params={"low": SINCE_MIN_YEAR, "high": SINCE_MAX_YEAR},
                code="updated_since_range",
            )
        return value

    def paging(self) -> tuple[int, int]:
        data = self.cleaned_data
        return data.get("page") or 1, data.get("page_size") or DEFAULT_PAGE_SIZE


class ReferenceListForm(PageForm):
    """Axes, regions, departments: small lists, paged like the others."""

    updated_since = None


class CentreListForm(CentreFilterForm, PageForm):
    """/api/centres/: the filters of /centres/ (`lat` and `lon` included)."""


class RcpListForm(RcpFilterForm, PageForm):
    """/api/rcp/: the filters of /rcp/."""


class TrialListForm(TrialFinderForm, PageForm):
    """/api/essais/: the filters of /essais/, every status by default (the
    page shows the recruiting trials first)."""

    def __init__(self, data=None, *args, **kwargs):
        data = data.copy() if data is not None else {}
        if not data.get("statut"):
            data["statut"] = "tous"
        super().__init__(data, *args, **kwargs)


class PersonListForm(PageForm):
    """/api/personnes/: people named on the public pages, by centre, axis or role."""

    centre = KeyChoiceField(
        label=_("Centre"),
        queryset=Centre.objects.published(),
        to_field_name="slug",
        required=False,
    )
    axe = KeyChoiceField(
        label=_("Axe"), queryset=Axis.objects.all(), to_field_name="slug", required=False
    )
    role = forms.ChoiceField(
        label=_("Rôle"), choices=[("", _("Tous")), *Role.Kind.choices], required=False
    )
