"""Every row the portal's content lives in, to compare before and after a request.

The apps' models, their many-to-many tables and their historical tables
(django-simple-history registers those in the app of the model), and the
admin's LogEntry. Sessions and django-axes' access logs are left out: logging
in writes them, whatever the page does.
"""

from django.apps import apps
from django.contrib.admin.models import LogEntry

APPS = ("centres", "rcp", "trials")


def _models():
    for label in APPS:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            if not model._meta.proxy:  # a proxy's rows are its concrete model's
                yield model
    yield LogEntry


def snapshot() -> dict[str, dict]:
    """{model label: {pk: {column: value}}} for every row of every model above."""
    tables = {}
    for model in _models():
        columns = [field.attname for field in model._meta.concrete_fields]
        rows = model._base_manager.order_by("pk").values_list(*columns)
        pk_index = columns.index(model._meta.pk.attname)
        tables[model._meta.label] = {
            row[pk_index]: dict(zip(columns, row, strict=True)) for row in rows
        }
    return tables


def differences(before: dict, after: dict) -> list[str]:
    """What changed between two snapshots, one line per row added, removed or changed."""
    lines = []
    for label in sorted(before.keys() | after.keys()):
        old, new = before.get(label, {}), after.get(label, {})
        for pk in sorted(old.keys() - new.keys(), key=str):
            lines.append(f"{label} #{pk} deleted: {old[pk]}")
        for pk in sorted(new.keys() - old.keys(), key=str):
            lines.append(f"{label} #{pk} added: {new[pk]}")
        for pk in sorted(old.keys() & new.keys(), key=str):
            changed = {
                column: (old[pk][column], new[pk][column])
                for column in old[pk]
                if old[pk][column] != new[pk][column]
            }
            if changed:
                lines.append(f"{label} #{pk} changed (before, after): {changed}")
    return lines
