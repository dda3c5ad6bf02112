"""The admin's history pages: who changed what and when, and how to undo it.

- ``VersionedAdminMixin``: an admin save writes one version, after the form's
  many-to-many fields and the inlines are saved, so the version holds the
  links as they ended up (a centre's axes, services and editors); a save that
  changes nothing writes none. The history page shows each change as staff
  read it: the field's label, old → new, and for links the names added and
  removed. Reverting to a version puts its links back too, and its photo
  (moved back from the retired media, core/retired_media.py).
- ``TrashAdminMixin``: « Corbeille », the deleted rows of a model (centres,
  RCPs, trials, people, news, documents), restored with the rows deleted with
  them (a centre's axes, services, editors and roles; an RCP's exceptions,
  members, activity, axes and participating centres; a trial's sites and axes;
  a person's roles; a news item's axes) and its photo. Network managers see
  them all, a centre's coordinators their own centres' only (people: by the
  roles deleted with them; trials, news and documents: none).

rcp and trials use the mixin too (they may import centres).
"""

import dataclasses

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models.constants import LOOKUP_SEP
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.template.defaultfilters import date as date_filter
from django.urls import path, reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from simple_history.template_utils import HistoricalRecordContextHelper

from core.history import deleted_records, record_version, restore_deleted, restore_relations

from .admin_scoping import _NOT_SAVED, editable_centre_ids, is_network_manager

_REVERTING = "_pantogether_reverting"  # the object a revert saved
_VERSION = "_pantogether_version"  # the version a history page shows


def _display(field, value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("oui") if value else _("non")
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    return value


class ReadableChanges(HistoricalRecordContextHelper):
    """Each change of a version as staff read it, in French."""

    def context_for_delta_changes(self, delta):
        rows = []
        for change in delta.changes:
            field = self.model._meta.get_field(change.field)
            label = capfirst(field.verbose_name)
            if field.many_to_many:
                rows.append({"field": label, **self._links_changed(field, change)})
                continue
            change = dataclasses.replace(
                change, old=_display(field, change.old), new=_display(field, change.new)
            )
            formatted = self.format_delta_change(change)
            rows.append({"field": label, "old": formatted.old, "new": formatted.new})
        return rows

    @staticmethod
    def _links_changed(field, change) -> dict:
        target = field.m2m_reverse_field_name()

        def by_name(rows):
            return {str(row[target]): row for row in rows}

        old, new = by_name(change.old), by_name(change.new)
        return {
            "added": sorted(new.keys() - old.keys()),
            "removed": sorted(old.keys() - new.keys()),
            "edited": sorted(k for k in old.keys() & new.keys() if old[k] != new[k]),
        }


class VersionedAdminMixin:
    """One version per admin save, with its links; readable history; revert with links.

    Put it before ``SimpleHistoryAdmin`` (and the scoping mixin) in the bases.
    """

    object_history_list_template = "admin/history/object_history_list.html"
    # Each version's diff reads its links and the previous version's: two
    # queries per many-to-many field per version (simple-history does not
    # prefetch them). 100 versions of a centre took 705 queries, 2.7 s.
    history_list_per_page = 25

    def get_historical_record_context_helper(self, request, historical_record):
        return ReadableChanges(self.model, historical_record)

    def save_model(self, request, obj, form, change):
        # The version is written in save_related, once the links are saved
        # (by history_form_view for a revert, which saves the m2m after this).
        obj.skip_history_when_saving = True
        try:
            super().save_model(request, obj, form, change)
        finally:
            if not hasattr(request, _REVERTING):
                del obj.skip_history_when_saving

    def save_related(self, request, form, formsets, change):
        obj = form.instance
        obj.skip_history_when_saving = True
        try:
            super().save_related(request, form, formsets, change)
        finally:
            del obj.skip_history_when_saving
        self._record_version(request, obj, form, formsets, change)

    def _record_version(self, request, obj, form, formsets, change) -> None:
        m2m_names = {f.name for f in obj._meta.many_to_many}
        related_changed = bool(m2m_names & set(form.changed_data)) or any(
            formset.has_changed() for formset in formsets
        )
        if change and getattr(obj, _NOT_SAVED, False) and not related_changed:
            return
        record_version(obj, user=request.user, history_type="~" if change else "+")

    def get_form(self, request, obj=None, change=False, **kwargs):
        """On a version's page, the form's link fields (editors) show the version's."""
        form = super().get_form(request, obj, change, **kwargs)
        record = getattr(request, _VERSION, None)
        if record is None:
            return form
        initial = {}
        for field in record._history_m2m_fields:
            if field.name in form.base_fields:
                target = field.remote_field.through._meta.get_field(
                    field.m2m_reverse_field_name()
                ).attname
                initial[field.name] = list(
                    getattr(record, field.name).values_list(target, flat=True)
                )

        class VersionForm(form):
            def __init__(self, *args, **kwargs):
                kwargs["initial"] = {**initial, **(kwargs.get("initial") or {})}
                super().__init__(*args, **kwargs)

        return VersionForm

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """Revert: the old version's fields and links, then one version."""
        history = self.model.history
        self._require_valid_key(version_id, history.model._meta.pk)
        record = history.filter(pk=version_id).first()
        setattr(request, _VERSION, record)
        if request.method != "POST":
            return super().history_form_view(request, object_id, version_id, extra_context)
        setattr(request, _REVERTING, None)
        with transaction.atomic():
            response = super().history_form_view(request, object_id, version_id, extra_context)
            obj = getattr(request, _REVERTING)
            if obj is None or not isinstance(response, HttpResponseRedirect):
                return response  # the form had errors: nothing saved
            try:
                restore_relations(obj, record)
            finally:
                del obj.skip_history_when_saving  # set by save_model
            when = date_filter(timezone.localtime(record.history_date), "j F Y à H:i")
            record_version(obj, user=request.user, reason=_("Retour à la version du %s") % when)
        return response

    def log_change(self, request, obj, message):
        if hasattr(request, _REVERTING):
            # The revert view saves the form and its m2m without save_related:
            # keep the object, and let the view write the version.
            setattr(request, _REVERTING, obj)
        return super().log_change(request, obj, message)


class TrashAdminMixin:
    """« Corbeille »: the deleted rows of the model, listed and restored in the admin.

    The model's admin uses CentreScopedAdminMixin. Restoring recreates the row
    (see ``core.history.restore_deleted``), so it asks for the model's « add »
    permission. Network managers see every deleted row; a centre's
    coordinators see, and restore, only those of their own centres, read from
    the deleted row itself (``trash_centre_field``): another centre's deletion
    answers 404, as its live row would. A model whose centre cannot be read
    from the row alone (a trial, shared by its sites' centres) is for network
    managers only, unless its admin overrides ``may_open_trash`` and
    ``in_trash_scope`` (a person: by the roles deleted with them).

    ``trash_dependents`` lists, by model name in the model's app, the dependent
    models with their own history and the name of their key to the row: their
    rows deleted with it come back with it. Its many-to-many links come back
    from its last version.
    """

    trash_dependents: tuple[tuple[str, str], ...] = ()

    def get_urls(self):
        opts = self.model._meta
        name = f"{opts.app_label}_{opts.model_name}"
        return [
            path(
                "corbeille/",
                self.admin_site.admin_view(self.trash_view),
                name=f"{name}_trash",
            ),
        ] + super().get_urls()

    @property
    def trash_centre_field(self) -> str | None:
        """The attribute of a deleted row's record naming the centre that owned it
        (from ``centre_lookup``), or None if the row alone does not say."""
        lookup = self.centre_lookup
        if lookup == "pk":
            return self.model._meta.pk.attname
        if not lookup or LOOKUP_SEP in lookup:
            return None
        field = self.model._meta.get_field(lookup)
        return field.attname if field.many_to_one else None

    def may_open_trash(self, request) -> bool:
        if not self.has_add_permission(request):
            return False
        return is_network_manager(request) or self.trash_centre_field is not None

    def in_trash_scope(self, request, record) -> bool:
        """Whether the user may see and restore this deleted row."""
        if is_network_manager(request):
            return True
        field = self.trash_centre_field
        return field is not None and getattr(record, field) in editable_centre_ids(request)

    def deleted_records(self, request):
        """The deleted rows the user may restore, the most recent deletion first."""
        return [r for r in deleted_records(self.model) if self.in_trash_scope(request, r)]

    def trash_view(self, request):
        if not self.may_open_trash(request):
            raise PermissionDenied
        if request.method == "POST":
            return self._restore_from_trash(request)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Corbeille\u00a0: %s") % self.model._meta.verbose_name_plural,
            "opts": self.model._meta,
            "records": self.deleted_records(request),
        }
        return render(request, "admin/history/trash.html", context)

    def _restore_from_trash(self, request):
        try:
            history_id = int(request.POST.get("history_id", ""))
        except ValueError:
            history_id = None
        history = self.model.history
        asked = history.filter(history_id=history_id, history_type="-").first()
        if asked is not None and not self.in_trash_scope(request, asked):
            raise Http404  # another centre's row, restored or not: not theirs to know
        record = next(
            (r for r in self.deleted_records(request) if r.history_id == history_id), None
        )
        if record is None:
            messages.error(request, _("Cet élément n’est plus dans la corbeille."))
            return HttpResponseRedirect(request.path)
        notes = []
        try:
            obj = self.restore_deleted(request, record, notes)
        except ValidationError as error:
            messages.error(
                request,
                _("Impossible de restaurer «\u00a0%(name)s\u00a0»\u00a0: %(reason)s")
                % {"name": record.history_object, "reason": " ".join(error.messages)},
            )
            return HttpResponseRedirect(request.path)
        done = _("Restauration faite\u00a0: «\u00a0%s\u00a0».") % obj
        messages.success(request, " ".join([done, *notes]))
        return HttpResponseRedirect(
            reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])
        )

    def restore_deleted(self, request, record, notes=None):
        """Recreate the row of ``record`` (a deletion), then its dependents and links;
        what was emptied or left out goes to ``notes``."""
        app = self.model._meta.app_config
        dependents = [(app.get_model(name), key) for name, key in self.trash_dependents]
        return restore_deleted(
            record,
            dependents=dependents,
            user=request.user,
            reason=_("Restauré depuis la corbeille"),
            notes=notes,
        )
