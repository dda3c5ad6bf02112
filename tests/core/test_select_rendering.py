"""The select boxes the public forms write in Python are Django's, to the byte."""

from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe

from core.forms import ERROR_SUMMARY_RENDERER


class Choices(forms.Form):
    plain = forms.ChoiceField(
        choices=[("", "Tous"), ("a&b", "Bretagne & <Pays de la Loire>"), (3, 1.5)],
        required=False,
    )
    grouped = forms.ChoiceField(
        choices=[("", "Aucun"), ("Métropole", [("29", "Finistère"), ("35", "Ille-et-Vilaine")])],
        widget=forms.Select(attrs={"class": "wide", "data-x": '"q"', "disabled": False}),
    )
    several = forms.MultipleChoiceField(
        choices=[("x", mark_safe("<b>x</b>")), ("y", "y")], required=False
    )


def test_selects_are_written_as_djangos_templates_write_them():
    data = {"plain": "a&b", "grouped": "35", "several": ["x", "y"]}
    for form_data in (None, data):
        fast = Choices(form_data, renderer=ERROR_SUMMARY_RENDERER)
        slow = Choices(form_data, renderer=DjangoTemplates())
        for name in ("plain", "grouped", "several"):
            assert str(fast[name]) == str(slow[name])
