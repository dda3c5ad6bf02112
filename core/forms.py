"""Form fields the public search forms share (the centre directory, the RCPs, the trials)."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import DjangoTemplates
from django.utils.translation import gettext_lazy as _

from . import geo

_SAFE_KEY = re.compile(r"^[A-Za-z0-9_-]{1,80}$")
_POSTCODE = re.compile(r"\b\d{5}\b")


class ErrorSummaryRenderer(DjangoTemplates):
    """Renders a field without its errors: the form's error summary
    (templates/includes/error_summary.html) shows each error once, at the top of
    the form, in an element with the id the field's aria-describedby points to."""

    field_template_name = "core/forms/field.html"


# One instance for every form: a renderer builds its template engine once, and a
# form given the class would build a new one (and read its templates) per request.
ERROR_SUMMARY_RENDERER = ErrorSummaryRenderer()


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


class PlaceField(forms.CharField):
    """« Près de (code postal ou commune) », looked up offline (core.geo).

    Cleans to a ``geo.Lookup``: a location to measure distances from, or the
    communes to choose from when the name is shared; None when left empty. A
    place that is neither a known postcode nor a commune is an error.
    """

    def __init__(self, *, example_postcode: str = "29200", **kwargs):
        kwargs.setdefault("label", _("Près de (code postal ou commune)"))
        kwargs.setdefault("max_length", 100)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.example_postcode = example_postcode

    def clean(self, value) -> geo.Lookup | None:
        text = super().clean(value)
        if not text:
            return None
        found = geo.lookup(text)
        if found.location is None and not found.choices and _POSTCODE.search(text):
            # Five digits typed, as asked: the answer is that this code does not exist.
            raise ValidationError(
                _(
                    "Ce code postal n’existe pas\u00a0: «\u00a0%(value)s\u00a0». Vérifiez-le, "
                    "ou saisissez le nom de la commune."
                ),
                params={"value": text},
                code="unknown_postcode",
            )
        if found.location is None and not found.choices:
            raise ValidationError(
                _(
                    "Nous ne trouvons pas «\u00a0%(value)s\u00a0»\u00a0: saisissez un code postal "
                    "français à 5\u00a0chiffres (par exemple %(example)s) ou le nom d’une commune."
                ),
                params={"value": text, "example": self.example_postcode},
                code="unknown_place",
            )
        return found
