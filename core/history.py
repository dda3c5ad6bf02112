"""Version history of the content, on django-simple-history.

``History`` is simple-history's ``HistoricalRecords`` that keeps a handle on
each model's recorder, so that a workflow which changes a row and then its
related rows (an admin save with inlines, a revert, a restore from the
« corbeille ») writes one version once everything is in place, with its
many-to-many rows as they ended up. Imports no app.
"""

from simple_history.models import HistoricalRecords

# simple-history's history_change_reason column (CharField(max_length=100)).
REASON_LENGTH = 100


def short_reason(text: str) -> str:
    """A change reason that fits its column: a reason naming a file can be longer,
    which PostgreSQL refuses (SQLite stores it whole)."""
    return text if len(text) <= REASON_LENGTH else text[: REASON_LENGTH - 1] + "…"


class History(HistoricalRecords):
    def finalize(self, sender, **kwargs):
        super().finalize(sender, **kwargs)
        if sender is self.cls:
            sender._meta.history_recorder = self


def record_version(instance, *, user=None, reason: str = "", history_type: str = "~") -> None:
    """Write one historical record of ``instance`` as it is now, many-to-many rows
    included, by ``user`` (else the request's) with ``reason``."""
    if user is not None:
        instance._history_user = user
    if reason:
        instance._change_reason = reason
    try:
        instance._meta.history_recorder.create_historical_record(instance, history_type)
    finally:
        instance.__dict__.pop("_change_reason", None)


def restore_relations(instance, record) -> None:
    """Put back the many-to-many rows ``record`` (a historical record of
    ``instance``) saw: links missing now are added, links it did not have are
    removed, and a through row's own fields take their old values.

    Rows go through the through model's ``save``/``delete``, so a through model
    with its own history records each change. A link to a row that no longer
    exists (a deleted user or axis) cannot come back and is skipped.
    """
    for field in record._history_m2m_fields:
        through = field.remote_field.through
        source = field.m2m_field_name()
        target = field.m2m_reverse_field_name()
        target_attname = through._meta.get_field(target).attname
        values = [
            f.attname
            for f in through._meta.concrete_fields
            if f.name not in ("id", source, target) and not f.primary_key
        ]
        old_rows = {
            row[target_attname]: row
            for row in getattr(record, field.name).values(target_attname, *values)
        }
        existing = set(
            field.related_model._base_manager.filter(pk__in=old_rows).values_list("pk", flat=True)
        )
        current = {
            getattr(row, target_attname): row
            for row in through._base_manager.filter(**{source: instance})
        }
        for key, row in current.items():
            if key not in old_rows:
                row.delete()
        for key, old in old_rows.items():
            if key not in existing:
                continue
            row = current.get(key) or through(**{source: instance, target_attname: key})
            changed = row._state.adding or any(getattr(row, n) != old[n] for n in values)
            if changed:
                for name in values:
                    setattr(row, name, old[name])
                row.save()
