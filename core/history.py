"""Version history of the content, on django-simple-history.

``History`` is simple-history's ``HistoricalRecords`` that keeps a handle on
each model's recorder, so that a workflow which changes a row and then its
related rows (an admin save with inlines, a revert, a restore from the
« corbeille ») writes one version once everything is in place, with its
many-to-many rows as they ended up. ``deleted_records`` and
``restore_deleted`` are the « corbeille » of any model with a history: a
deleted row comes back with the dependent rows deleted with it and the links
of its last version; a photo it named comes back from the retired media
(core/retired_media.py). Imports no app.
"""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from simple_history.models import HistoricalRecords

from .retired_media import move_after_commit

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


def deleted_records(model) -> list:
    """The deletion record of each row of ``model`` that is still deleted, the
    most recent deletion first (one per row: a row deleted, restored and deleted
    again shows once)."""
    pk_name = model._meta.pk.attname
    deletions = (
        model.history.filter(history_type="-")
        .exclude(**{f"{pk_name}__in": model._base_manager.values(pk_name)})
        .select_related("history_user")
        .order_by("-history_date", "-history_id")
    )
    seen, records = set(), []
    for record in deletions:
        key = getattr(record, pk_name)
        if key not in seen:
            seen.add(key)
            records.append(record)
    return records


@transaction.atomic
def restore_deleted(record, *, dependents=(), user=None, reason: str = ""):
    """Recreate the row of ``record`` (a deletion record) as it was, then its
    dependents, then its many-to-many links; write one version (``+``) by
    ``user`` with ``reason``. Returns the restored instance.

    ``dependents`` are ``(model, key)`` pairs: the models with a history whose
    ``key`` points to the row. Their rows deleted with it (the same second, or
    since the row's last version: rows an admin had to delete first, such as an
    RCP's protected activity) come back with their own keys. A dependent that
    points to a row deleted since (a person) stays out.

    Raises ValidationError, with nothing written, when the row no longer fits
    (another row took its slug since).
    """
    model = record.instance_type
    pk_name = model._meta.pk.attname
    obj = record.instance
    obj.validate_unique()
    obj.validate_constraints()
    previous = (
        model.history.filter(**{pk_name: obj.pk}, history_id__lt=record.history_id)
        .exclude(history_type="-")
        .order_by("-history_date", "-history_id")
        .first()
    )
    since = record.history_date - timedelta(seconds=1)
    if previous is not None and previous.history_date < since:
        since = previous.history_date
    obj.skip_history_when_saving = True
    try:
        obj.save(force_insert=True)
        for dependent_model, key in dependents:
            _restore_dependents(obj, dependent_model, key, since, record.history_date)
        if previous is not None:
            restore_relations(obj, previous)
    finally:
        del obj.skip_history_when_saving
    record_version(obj, user=user, reason=short_reason(reason), history_type="+")
    move_after_commit(None, obj)
    return obj


def _restore_dependents(obj, model, key: str, since, until) -> None:
    pk_name = model._meta.pk.attname
    deleted = model.history.filter(
        **{f"{key}_id": obj.pk},
        history_type="-",
        history_date__gt=since,
        history_date__lte=until,
    ).exclude(**{f"{pk_name}__in": model._base_manager.values(pk_name)})
    done = set()
    for dependent_record in deleted.order_by("-history_date", "-history_id"):
        key_value = getattr(dependent_record, pk_name)
        if key_value in done:
            continue
        done.add(key_value)
        dependent = dependent_record.instance
        try:
            dependent.full_clean(validate_unique=False, validate_constraints=False)
        except ValidationError:
            continue
        dependent.save(force_insert=True)
        move_after_commit(None, dependent)
