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

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import transaction
from django.db.models import SET_NULL
from django.utils.translation import gettext as _
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


# The rows one deletion removed (a cascade, in one request) are recorded this
# close to the row they depend on, by the same user.
DELETED_TOGETHER = timedelta(seconds=5)


@transaction.atomic
def restore_deleted(record, *, dependents=(), user=None, reason: str = "", notes=None):
    """Recreate the row of ``record`` (a deletion record) as it was, then its
    dependents, then its many-to-many links; write one version (``+``) by
    ``user`` with ``reason``. Returns the restored instance.

    ``dependents`` are ``(model, key)`` pairs: the models with a history whose
    ``key`` points to the row. Only their rows deleted together with it come
    back (deletion records by the same user within ``DELETED_TOGETHER`` of the
    row's): a row staff deleted before on its own (a séance, which has its own
    admin and import) stays deleted. A dependent that would clash with a live
    row (the same RCP and date) or that needs a row deleted since (a person)
    stays out.

    A key of the row or of a dependent to a row deleted since is emptied if it
    may be (``SET_NULL``). What was emptied or left out is appended to
    ``notes`` (a list, in French, for the user).

    Raises ValidationError, with nothing written, when the row no longer fits
    (another row took its slug since, or a row it needs, such as its organiser
    centre, was deleted since).
    """
    notes = [] if notes is None else notes
    model = record.instance_type
    pk_name = model._meta.pk.attname
    obj = record.instance
    cleared, missing = _check_keys(obj)
    if missing:
        raise ValidationError(missing)
    obj.validate_unique()
    obj.validate_constraints()
    notes.extend(cleared)
    previous = (
        model.history.filter(**{pk_name: obj.pk}, history_id__lt=record.history_id)
        .exclude(history_type="-")
        .order_by("-history_date", "-history_id")
        .first()
    )
    obj.skip_history_when_saving = True
    try:
        obj.save(force_insert=True)
        for dependent_model, key in dependents:
            notes.extend(_restore_dependents(obj, dependent_model, key, record))
        if previous is not None:
            restore_relations(obj, previous)
    finally:
        del obj.skip_history_when_saving
    record_version(obj, user=user, reason=short_reason(reason), history_type="+")
    move_after_commit(None, obj)
    return obj


def deleted_with(model, key: str, value, deletion):
    """The deletion records of the rows of ``model`` whose ``key`` pointed to
    ``value`` and that were deleted together with that row (``deletion`` is its
    deletion record) and are still deleted."""
    pk_name = model._meta.pk.attname
    return model.history.filter(
        **{f"{key}_id": value},
        history_type="-",
        history_user_id=deletion.history_user_id,
        history_date__gte=deletion.history_date - DELETED_TOGETHER,
        history_date__lte=deletion.history_date + DELETED_TOGETHER,
    ).exclude(**{f"{pk_name}__in": model._base_manager.values(pk_name)})


def _restore_dependents(obj, model, key: str, deletion) -> list[str]:
    """Recreate the rows of ``model`` deleted together with ``obj`` (``deletion``
    is its deletion record); return a note for each row left out or changed."""
    pk_name = model._meta.pk.attname
    deleted = deleted_with(model, key, obj.pk, deletion)
    done, notes = set(), []
    for dependent_record in deleted.order_by("-history_date", "-history_id"):
        key_value = getattr(dependent_record, pk_name)
        if key_value in done:
            continue
        done.add(key_value)
        dependent = dependent_record.instance
        cleared, missing = _check_keys(dependent)
        try:
            if missing:
                raise ValidationError(missing)
            dependent.full_clean()
        except ValidationError as error:
            notes.append(
                _("Pas de restauration pour «\u00a0%(name)s\u00a0» (%(model)s)\u00a0: %(reason)s")
                % {
                    "name": _name(dependent),
                    "model": model._meta.verbose_name,
                    "reason": " ".join(error.messages),
                }
            )
            continue
        notes.extend(cleared)
        dependent.save(force_insert=True)
        move_after_commit(None, dependent)
    return notes


def _check_keys(instance) -> tuple[list[str], list[str]]:
    """Find the foreign keys of ``instance`` (not saved) to rows that no longer
    exist. A key that may be emptied (``SET_NULL``) is emptied: one note each
    in the first list; one reason each why it cannot be saved in the second."""
    cleared, missing = [], []
    for field in instance._meta.concrete_fields:
        if not field.is_relation:
            continue
        value = getattr(instance, field.attname)
        if value is None:
            continue
        related = field.related_model
        target = field.target_field.attname
        if related._base_manager.filter(**{target: value}).exists():
            continue
        names = {"field": field.verbose_name, "target": _deleted_name(related, target, value)}
        if field.null and field.remote_field.on_delete is SET_NULL:
            setattr(instance, field.attname, None)
            cleared.append(
                _(
                    "Champ «\u00a0%(field)s\u00a0» vidé\u00a0: la fiche "
                    "«\u00a0%(target)s\u00a0» a été supprimée depuis."
                )
                % names
            )
        else:
            missing.append(
                _(
                    "la fiche «\u00a0%(target)s\u00a0» (%(field)s) a été supprimée "
                    "depuis\u00a0: restaurez-la d’abord."
                )
                % names
            )
    return cleared, missing


def _deleted_name(model, attname: str, value) -> str:
    """What staff called a deleted row: its name in its last version, if it has a history."""
    history = getattr(model, "history", None)
    last = None
    if history is not None:
        last = history.filter(**{attname: value}).order_by("-history_date", "-history_id").first()
    if last is not None:
        return _name(last.instance)
    return f"{model._meta.verbose_name} n°\u00a0{value}"


def _name(instance) -> str:
    try:
        return str(instance)
    except ObjectDoesNotExist:  # its __str__ reads a row deleted since
        return f"{instance._meta.verbose_name} n°\u00a0{instance.pk}"
