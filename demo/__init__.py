"""The demonstration data: fictional centres, teams, RCPs and trials, marked as such.

Not product code: the portal runs without it. `manage.py demo_data` (and so
`make run`) calls `load()`. The tables are data files in `demo/data/`; the
modules here turn them into rows: `centres` (centres, their axes, services
and teams), `rcps` (RCPs, exceptions, activity), `trials` (through the
registry import). The network's real facts (axes, pilot and referent
centres, coordinators) are not demonstration: a data migration of the
centres app brings them.

Two modes:

- by default, only what is missing is created; a row that exists is never
  changed, nor are its relations (staff edits, unpublishing, a removed axis
  all survive a rerun). Meetings held since the last run get their activity
  rows, as those are new rows.
- `reset=True` puts the demonstration rows back as the tables say, and only
  those (rows marked ``is_demo``, demo activity): every change is listed in
  French in `Writer.changes`, so the command can say it before committing.
"""

from dataclasses import dataclass, field

from django.db import models


@dataclass
class Writer:
    """Creates missing rows; with `reset`, also brings demo rows back, noting each change."""

    reset: bool = False
    created: int = 0
    updated: int = 0
    changes: list[str] = field(default_factory=list)

    def note(self, text: str) -> None:
        self.changes.append(text)

    def may_change(self, obj: models.Model, is_new: bool) -> bool:
        """Whether the relations and children of this row are written: a new row's,
        or, on reset, a demonstration row's."""
        return is_new or (self.reset and getattr(obj, "is_demo", True))

    def upsert(self, model, lookup: dict, values: dict, *, label: str, clean: dict | None = None):
        """(row, created?) by natural key; an existing row is left alone unless resetting
        a demonstration row, whose differing fields are then listed and saved."""
        obj = model.objects.filter(**lookup).first()
        if obj is None:
            obj = model(**lookup, **values)
            obj.full_clean(**(clean or {}))
            obj.save()
            self.created += 1
            if self.reset:
                self.note(f"{label} : créé")
            return obj, True
        if not self.reset or not getattr(obj, "is_demo", True):
            return obj, False
        changed = {name: v for name, v in values.items() if getattr(obj, name) != v}
        if changed:
            for name, value in changed.items():
                before, after = _show(getattr(obj, name)), _show(value)
                self.note(f"{label} : {_verbose(model, name)} « {before} » → « {after} »")
                setattr(obj, name, value)
            obj.full_clean(**(clean or {}))
            obj.save()
            self.updated += 1
        return obj, False

    def set_relation(self, obj, name: str, wanted, *, label: str) -> None:
        """Give a many-to-many relation exactly these rows (noted when it changes)."""
        manager = getattr(obj, name)
        current = set(manager.all())
        wanted = set(wanted)
        if current != wanted:
            if current and self.reset:
                added = ", ".join(sorted(str(x) for x in wanted - current)) or "—"
                removed = ", ".join(sorted(str(x) for x in current - wanted)) or "—"
                self.note(f"{label} : {_verbose(type(obj), name)} ajout {added}, retrait {removed}")
            manager.set(wanted)

    def delete(self, queryset, *, label: str) -> None:
        """Delete rows the tables no longer hold (on reset only)."""
        count = queryset.count()
        if count:
            self.note(f"{label} : {count} supprimé(s)")
            queryset.delete()


def _verbose(model, name: str) -> str:
    try:
        return str(model._meta.get_field(name).verbose_name)
    except Exception:  # noqa: BLE001 - a plain attribute
        return name


def _show(value) -> str:
    if isinstance(value, bool):
        return "oui" if value else "non"
    text = "" if value is None else str(value)
    text = " ".join(text.split())
    return text if len(text) <= 60 else text[:59] + "…"


def load(*, stdout, reset: bool = False) -> Writer:
    """Write the demonstration data (see the module docstring); return what was done."""
    from . import centres, content, rcps, trials

    writer = Writer(reset=reset)
    for loader in (centres.load, rcps.load, trials.load, content.load):
        stdout.write(loader(writer))
    return writer
