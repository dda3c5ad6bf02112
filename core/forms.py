"""Form fields the public search forms share (the centre directory, the RCPs, the trials)."""

import re
from html import escape as html_escape

from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import DjangoTemplates
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData
from django.utils.timezone import template_localtime
from django.utils.translation import gettext_lazy as _

from . import geo

_SAFE_KEY = re.compile(r"^[A-Za-z0-9_-]{1,80}$")
_POSTCODE = re.compile(r"\b\d{5}\b")


class ErrorSummaryRenderer(DjangoTemplates):
    """Renders a field without its errors: the form's error summary
    (templates/includes/error_summary.html) shows each error once, at the top of
    the form, in an element with the id the field's aria-describedby points to.

    Select boxes are written in Python, to the byte what Django's templates
    write: those include a template per option, and the department list alone
    (a hundred options) cost more than the rest of the directory page.
    """

    field_template_name = "core/forms/field.html"

    def render(self, template_name, context, request=None):
        if template_name == SELECT_TEMPLATE and _plain_options(context["widget"]):
            return _select_html(context["widget"])
        return super().render(template_name, context, request=request)


SELECT_TEMPLATE = "django/forms/widgets/select.html"
OPTION_TEMPLATE = "django/forms/widgets/select_option.html"


def _plain_options(widget: dict) -> bool:
    """Every option drawn by Django's own option template (not a custom one)."""
    return all(
        option["template_name"] == OPTION_TEMPLATE
        for _group, options, _index in widget["optgroups"]
        for option in options
    )


def _printed(value) -> str:
    """A value as ``{{ value }}`` prints it: localised, escaped unless safe."""
    if type(value) is str:  # most labels: nothing to localise
        return html_escape(value)  # what django.utils.html.escape does, without its wrappers
    return conditional_escape(localize(template_localtime(value)))


def _formatted(value) -> str:
    """A value as ``{{ value|stringformat:'s' }}`` prints it (not localised)."""
    if type(value) is str:
        return html_escape(value)
    text = str(value)
    return text if isinstance(value, SafeData) else conditional_escape(text)


def _attrs_html(attrs: dict) -> str:
    """What django/forms/widgets/attrs.html writes."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        parts.append(
            f" {_printed(name)}" if value is True else f' {_printed(name)}="{_formatted(value)}"'
        )
    return "".join(parts)


def _select_html(widget: dict) -> str:
    """What django/forms/widgets/select.html and select_option.html write."""
    parts = [f'<select name="{_printed(widget["name"])}"{_attrs_html(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_printed(group_name)}">')
        for option in options:
            parts.append(
                f'\n  <option value="{_formatted(option["value"])}"'
                f"{_attrs_html(option['attrs'])}>{_printed(option['label'])}</option>\n"
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


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
