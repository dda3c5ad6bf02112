"""Query strings of the documents page, validated before any query."""

from django import forms
from django.utils.translation import gettext_lazy as _

from centres.models import Axis
from core.forms import ERROR_SUMMARY_RENDERER, KeyChoiceField

from .models import Document


class DocumentFilterForm(forms.Form):
    default_renderer = ERROR_SUMMARY_RENDERER  # errors once, in the summary atop the form

    categorie = forms.ChoiceField(
        label=_("Catégorie"),
        choices=[("", _("Toutes les catégories")), *Document.Category.choices],
        required=False,
    )
    axe = KeyChoiceField(
        label=_("Cancer"),
        queryset=Axis.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("Tous les cancers"),
    )

    def filter(self, queryset):
        data = self.cleaned_data
        if data.get("categorie"):
            queryset = queryset.filter(category=data["categorie"])
        if data.get("axe"):
            queryset = queryset.filter(axis=data["axe"])
        return queryset

    def is_filtered(self) -> bool:
        return any(self.cleaned_data.get(name) for name in self.fields)


class PageNumberForm(forms.Form):
    page = forms.IntegerField(required=False, min_value=1, max_value=100_000)
