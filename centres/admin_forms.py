"""What every scoped admin form adds: a save keeps what its user could not choose.

The admin offers a centre's coordinator only their own centres (see
admin_scoping.py). A stored value outside those choices (an RCP's other
participating centres) is not rendered, so a browser never sends it back, and
Django's form would drop it on save. ``KeepUnchosenValuesForm`` keeps such
values and tells the user, and reports no change where the user made none, so
that an unchanged save writes nothing.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _


def _may_leave_out(queryset) -> bool:
    """Whether a choice field's queryset may lack rows of its model (filtered or cut)."""
    query = queryset.query
    return bool(query.has_filters()) or query.is_sliced or query.combinator is not None


def _same_text(field: forms.CharField, initial, data) -> bool:
    """Whether a submitted text is the stored one: browsers send a textarea's
    newlines as CRLF, and the field strips what surrounds the text."""
    try:
        before, after = field.to_python(initial), field.to_python(data)
    except ValidationError:
        return False
    if isinstance(before, str) and isinstance(after, str):
        return before.replace("\r\n", "\n") == after.replace("\r\n", "\n")
    return before == after


class KeepUnchosenValuesForm:
    """A model form that keeps what its user cannot choose, and sees no change
    where there is none.

    A choice field whose queryset leaves rows out (another centre, for a
    centre's coordinator) does not render a stored value outside it, so a
    browser never sends it back: Django would drop it on save. Here:

    - a many-to-many field keeps those values, adds them back to what was
      chosen, and lists them read-only in its help text;
    - a single choice outside the list is shown disabled and kept as it is;
    - neither counts as a change, nor does a text that differs from the
      stored one only by its newlines (CRLF from a browser) or surrounding
      whitespace (that text is kept byte for byte).

    Every scoped admin form and inline form gets it (``get_form`` and
    ``get_formset`` of CentreScopedAdminMixin).
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kept_choices: dict[str, list] = {}
        self._comparison = None
        if self.instance.pk is None:
            return
        for name, field in self.fields.items():
            if isinstance(field, forms.ModelChoiceField) and not field.disabled:
                self._keep_unchosen(name, field)

    def _keep_unchosen(self, name: str, field: forms.ModelChoiceField) -> None:
        """Find the stored values the field cannot offer; keep and show them."""
        if field.queryset is None or not _may_leave_out(field.queryset):
            return
        multiple = isinstance(field, forms.ModelMultipleChoiceField)
        initial = self.get_initial_for_field(field, name)
        if multiple:
            keys = [str(key) for key in field.prepare_value(initial or [])]
        else:
            value = field.prepare_value(initial)
            keys = [] if value in field.empty_values else [str(value)]
        if not keys:
            return
        key_field = field.to_field_name or "pk"
        offered = field.queryset.filter(**{f"{key_field}__in": keys}).values_list(key_field)
        offered = {str(key) for (key,) in offered}
        outside = [key for key in keys if key not in offered]
        if not outside:
            return
        unchosen = field.queryset.model._default_manager.filter(**{f"{key_field}__in": outside})
        if multiple:
            self.kept_choices[name] = list(unchosen)
            note = format_html(
                _("Conservés tels quels (vous ne pouvez pas les choisir ici)\u00a0: {}."),
                ", ".join(field.label_from_instance(obj) for obj in self.kept_choices[name]),
            )
        else:
            field.queryset = unchosen
            field.disabled = True
            note = _("Conservé tel quel (vous ne pouvez pas le choisir ici).")
        field.help_text = format_html("{} {}", field.help_text, note) if field.help_text else note

    def _compare(self):
        """(Changed fields, fields Django finds changed that hold the stored value)."""
        if self._comparison is None:
            by_django = super().changed_data
            same = {name for name in by_django if self._holds_stored_value(name)}
            self._comparison = ([name for name in by_django if name not in same], same)
        return self._comparison

    def _holds_stored_value(self, name: str) -> bool:
        field, bound = self.fields[name], self[name]
        if name in self.kept_choices:
            kept = {str(field.prepare_value(obj)) for obj in self.kept_choices[name]}
            stored = {str(key) for key in field.prepare_value(bound.initial or [])} - kept
            return stored == {str(key) for key in bound.data or []}
        if isinstance(field, forms.CharField):
            return _same_text(field, bound.initial, bound.data)
        return False

    @property
    def changed_data(self):
        # A property, not Django's cached_property: it must win over the value
        # that cached_property stores on the instance when _compare() reads it.
        return self._compare()[0]

    def clean(self):
        # Before the form's own clean, which may compute a value from others.
        for name in self._compare()[1] - self.kept_choices.keys():
            if name in self.cleaned_data:
                self.cleaned_data[name] = self[name].initial
        cleaned = super().clean()
        data = self.cleaned_data if cleaned is None else cleaned
        for name, kept in self.kept_choices.items():
            if name in data:
                keys = [obj.pk for obj in data[name]] + [obj.pk for obj in kept]
                data[name] = self.fields[name].queryset.model._default_manager.filter(pk__in=keys)
        return cleaned


def keeping_unchosen_values(form_class):
    """The form class, with KeepUnchosenValuesForm in front."""
    if issubclass(form_class, KeepUnchosenValuesForm):
        return form_class
    return type(form_class.__name__, (KeepUnchosenValuesForm, form_class), {})
