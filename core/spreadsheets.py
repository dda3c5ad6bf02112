"""Spreadsheet files as French staff open them: the admin's import and export formats.

Excel in French writes and reads « CSV (séparateur : point-virgule) »: the comma
is the decimal separator, so cells are separated by semicolons, and Excel only
reads UTF-8 (accents) when the file starts with a byte order mark. The import
takes what Excel writes (BOM or not, semicolons; a comma-separated file from
another tool is read too) and XLSX.

``PlainDiff`` is the import preview's old → new cells without the inline
styles the CSP refuses.
"""

import csv
import re
from datetime import date, datetime, time

from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from import_export.formats import base_formats
from import_export.resources import Diff
from import_export.widgets import (
    BooleanWidget,
    DateWidget,
    ForeignKeyWidget,
    ManyToManyWidget,
    TimeWidget,
)

from .text import typo

BOM = "\ufeff"
DELIMITER = ";"
# The colours diff-match-patch writes on each <del> and <ins> (the cell's text is escaped).
_DIFF_STYLE = re.compile(r'<(del|ins) style="background:#[0-9a-f]{6};">')


class PlainDiff(Diff):
    """The preview's changes as <del> and <ins>, without inline styles: the CSP
    refuses them (the page showed no colours and the console errors)."""

    def as_html(self):
        return [mark_safe(_DIFF_STYLE.sub(r"<\1>", html)) for html in super().as_html()]


class ExcelCSV(base_formats.CSV):
    """CSV for French Excel: UTF-8 with a BOM, semicolon-separated.

    Read as bytes: the file is decoded here, as UTF-8 or, failing that, as
    Windows-1252 (Excel's « CSV (séparateur : point-virgule) » under Windows).
    """

    def get_title(self):
        return "csv"

    def is_binary(self):
        return True

    def get_read_mode(self):
        return "rb"

    def create_dataset(self, in_stream, **kwargs):
        if isinstance(in_stream, bytes):
            try:
                in_stream = in_stream.decode("utf-8-sig")
            except UnicodeDecodeError:
                in_stream = in_stream.decode("cp1252")
        in_stream = in_stream.removeprefix(BOM)
        kwargs.setdefault("delimiter", _delimiter(in_stream))
        return super().create_dataset(in_stream, **kwargs)

    def export_data(self, dataset, **kwargs):
        kwargs.setdefault("delimiter", DELIMITER)
        return BOM + super().export_data(dataset, **kwargs)


class XLSX(base_formats.XLSX):
    """Excel's own format (read from the first sheet)."""


FORMATS = [ExcelCSV, XLSX]


def _delimiter(text: str) -> str:
    """Semicolons unless the header line is separated otherwise (a comma or a tab)."""
    header = text.split("\n", 1)[0]
    try:
        return csv.Sniffer().sniff(header, delimiters=";,\t").delimiter
    except csv.Error:
        return DELIMITER


class FrenchDateWidget(DateWidget):
    """Dates written 2026-11-17 (as exported) or 17/11/2026 (as Excel saves them);
    an XLSX cell holds a date-time."""

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)
        self.formats = ("%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y")

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, str):
            value = value.strip()
        try:
            return super().clean(value, row, **kwargs)
        except ValueError:
            raise ValueError(
                _("date « %(value)s » illisible ou inexistante (AAAA-MM-JJ ou JJ/MM/AAAA).")
                % {"value": value}
            ) from None

    def render(self, value, obj=None, **kwargs):
        if isinstance(value, date) and kwargs.get("force_native_type"):
            return value
        return value.isoformat() if value else ""


class FrenchTimeWidget(TimeWidget):
    """Times written 14:00 or 14:00:00."""

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)
        self.formats = ("%H:%M", "%H:%M:%S", "%Hh%M", "%Hh")

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, datetime):
            return value.time()
        if isinstance(value, str):
            value = value.strip()
        try:
            return super().clean(value, row, **kwargs)
        except ValueError:
            raise ValueError(
                _("heure « %(value)s » illisible (HH:MM).") % {"value": value}
            ) from None

    def render(self, value, obj=None, **kwargs):
        if isinstance(value, time):
            return value.strftime("%H:%M")
        return ""


class FrenchBooleanWidget(BooleanWidget):
    """oui / non (1 / 0, vrai / faux and Excel's TRUE / FALSE are read too)."""

    TRUE_VALUES = [True, 1, "1", "oui", "vrai", "true", "o", "x"]
    FALSE_VALUES = [False, 0, "0", "non", "faux", "false", "n", ""]

    def clean(self, value, row=None, **kwargs):
        key = value.strip().lower() if isinstance(value, str) else value
        if key is None or key in self.FALSE_VALUES:
            return False
        if key in self.TRUE_VALUES:
            return True
        raise ValueError(_("« %(value)s » n’est ni « oui » ni « non ».") % {"value": value})

    def render(self, value, obj=None, **kwargs):
        return "oui" if value else "non"


class KeyWidget(ForeignKeyWidget):
    """A foreign key written as the related row's natural key (a slug, a code);
    an unknown key is a clear error, not an exception."""

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, str):
            value = value.strip()
        if value in (None, ""):
            return None
        # A file names the same few rows on every line (its RCP, its centre):
        # one query each. The widget is copied for each import, and so is this.
        cache = self.__dict__.setdefault("_found", {})
        found = cache.get(value)
        if found is None:
            found = self.get_queryset(value, row, **kwargs).filter(**{self.field: value}).first()
            if found is not None:
                cache[value] = found
        if found is None:
            raise ValueError(
                typo(
                    _("%(model)s inconnu : « %(value)s »")
                    % {"model": self.model._meta.verbose_name, "value": value}
                )
            )
        return found


class KeysWidget(ManyToManyWidget):
    """Several related rows by natural key, separated by « | »."""

    def __init__(self, model, field, **kwargs):
        super().__init__(model, separator="|", field=field, **kwargs)

    def clean(self, value, row=None, **kwargs):
        keys = [k.strip() for k in str(value or "").split(self.separator) if k.strip()]
        found = self.model.objects.filter(**{f"{self.field}__in": keys})
        missing = set(keys) - {getattr(obj, self.field) for obj in found}
        if missing:
            raise ValueError(
                _("inconnu(s) : %(keys)s")
                % {"keys": ", ".join(f"« {k} »" for k in sorted(missing))}
            )
        return found

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return self.separator.join(sorted(str(getattr(o, self.field)) for o in value.all()))
