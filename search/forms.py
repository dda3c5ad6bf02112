"""The site search's query string."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import ERROR_SUMMARY_RENDERER

from .engine import KIND_CHOICES


class SearchForm(forms.Form):
    default_renderer = ERROR_SUMMARY_RENDERER  # errors once, in the summary atop the form

    q = forms.CharField(label=_("Rechercher sur le site"), max_length=100, required=False)
    type = forms.ChoiceField(
        label=_("Parmi"), choices=[("", _("Tout le site")), *KIND_CHOICES], required=False
    )
