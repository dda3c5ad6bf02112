"""Retired media: image files no row names any more, kept where nobody can fetch them.

A photo replaced, cleared or deleted must not stay public at its address (an
audit finding), yet history can bring back the row that named it (a revert to
an earlier version, a restore from the « corbeille »). So such a file is not
deleted: once the change commits, it moves out of the public media storage
into the retired directory (``RETIRED_MEDIA_ROOT``, by default the sibling of
MEDIA_ROOT named ``<MEDIA_ROOT>-retired``), which no URL serves. When a row
names such a file again, the file moves back, once that change commits.

A rollback moves nothing: files move in ``transaction.on_commit``, as the rows
that name them change. Only image fields are concerned (the photos of
centres and people, the news images). Imports no app.
"""

from pathlib import Path

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import FileSystemStorage
from django.db import models, transaction


def retired_root() -> Path:
    """The retired directory: ``RETIRED_MEDIA_ROOT``, else ``<MEDIA_ROOT>-retired``.

    It must not be under MEDIA_ROOT or the static directories, which are served.
    """
    media = Path(settings.MEDIA_ROOT).resolve()
    configured = getattr(settings, "RETIRED_MEDIA_ROOT", "")
    root = Path(configured).resolve() if configured else media.with_name(f"{media.name}-retired")
    served = [media, *(Path(p).resolve() for p in [settings.STATIC_ROOT, *_static_dirs()] if p)]
    for public in served:
        if root == public or root.is_relative_to(public) or public.is_relative_to(root):
            raise ImproperlyConfigured(
                f"RETIRED_MEDIA_ROOT ({root}) must be outside {public}, which is served."
            )
    return root


def _static_dirs():
    for entry in getattr(settings, "STATICFILES_DIRS", []):
        yield entry[1] if isinstance(entry, tuple | list) else entry


@checks.register(checks.Tags.security)
def check_retired_root(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """`manage.py check` (and every server start) refuses a served retired directory."""
    try:
        retired_root()
    except ImproperlyConfigured as error:
        return [checks.Error(str(error), id="core.E001")]
    return []


def retired_storage() -> FileSystemStorage:
    """The retired files, under the names they had in the public storage."""
    return FileSystemStorage(location=retired_root(), base_url=None, allow_overwrite=True)


def image_names(obj) -> dict[str, str]:
    """The stored file name of each image field of ``obj`` (attribute → name, "" if none)."""
    return {
        field.attname: (getattr(obj, field.attname).name or "")
        for field in obj._meta.concrete_fields
        if isinstance(field, models.ImageField)
    }


def move_after_commit(before, after) -> None:
    """Once the current transaction commits, retire the image files ``before``
    (a row as stored, or None) named and ``after`` (the row as saved, or None
    when deleted) does not, and bring back from retirement those ``after``
    names and ``before`` did not, when they are missing from public storage."""
    obj = after if after is not None else before
    if obj is None:
        return
    storages = {
        field.attname: field.storage
        for field in obj._meta.concrete_fields
        if isinstance(field, models.ImageField)
    }
    old = image_names(before) if before is not None else {}
    new = image_names(after) if after is not None else {}
    for attname, storage in storages.items():
        was, now = old.get(attname, ""), new.get(attname, "")
        if was == now:
            continue
        if was:
            transaction.on_commit(lambda s=storage, n=was: retire(s, n))
        if now:
            transaction.on_commit(lambda s=storage, n=now: bring_back(s, n))


def retire(storage, name: str) -> bool:
    """Move ``name`` from ``storage`` (public) to the retired storage. False if
    there was no such file."""
    if not storage.exists(name):
        return False
    _move(storage, retired_storage(), name)
    return True


def bring_back(storage, name: str) -> bool:
    """Move ``name`` back from the retired storage into ``storage``, if it is
    missing there and was retired. False if nothing moved."""
    retired = retired_storage()
    if storage.exists(name) or not retired.exists(name):
        return False
    _move(retired, storage, name)
    return True


def _move(source, target, name: str) -> None:
    with source.open(name, "rb") as file:
        saved = target.save(name, file)
    if saved != name:  # the target renamed it: keep the source, drop the copy
        target.delete(saved)
        return
    source.delete(name)
