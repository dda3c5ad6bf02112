"""The admin's history pages: who changed what and when, and how to undo it.

- ``VersionedAdminMixin``: an admin save writes one version, after the form's
  many-to-many fields and the inlines are saved, so the version holds the
  links as they ended up (a centre's axes, services and editors); a save that
  changes nothing writes none. The history page shows each change as staff
  read it: the field's label, old → new, and for links the names added and
  removed. Reverting to a version puts its links back too.
- ``TrashAdminMixin``: « Corbeille », the deleted rows of a model, which
  network managers restore with the rows deleted with them (a centre's axes,
  services, editors and roles).

rcp and trials use the mixin too (they may import centres).
"""

import dataclasses
from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.template.defaultfilters import date as date_filter
from django.urls import path, reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from simple_history.template_utils import HistoricalRecordContextHelper

from core.history import record_version, restore_relations

from .admin_scoping import _NOT_SAVED, is_network_manager

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
    """« Corbeille »: the deleted rows, restorable by network managers.

    ``trash_dependents`` lists, for the model, the dependent models with their
    own history deleted with it, by the name of their key to it: their rows
    deleted with the row (the same second, or after its last version) come
    back with it. Its many-to-many links come back from its last version.
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

    def deleted_records(self):
        """The last record of each deleted row that is still deleted."""
        history = self.model.history
        pk_name = self.model._meta.pk.attname
        existing = self.model._base_manager.values(pk_name)
        deletions = (
            history.filter(history_type="-")
            .exclude(**{f"{pk_name}__in": existing})
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

    def trash_view(self, request):
        if not is_network_manager(request) or not self.has_add_permission(request):
            raise PermissionDenied
        if request.method == "POST":
            try:
                history_id = int(request.POST.get("history_id", ""))
            except ValueError:
                history_id = None
            record = next((r for r in self.deleted_records() if r.history_id == history_id), None)
            if record is None:
                messages.error(request, _("Cet élément n’est plus dans la corbeille."))
                return HttpResponseRedirect(request.path)
            obj = self.restore_deleted(request, record)
            messages.success(request, _("«\u00a0%s\u00a0» a été restauré.") % obj)
            return HttpResponseRedirect(
                reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])
            )
        context = {
            **self.admin_site.each_context(request),
            "title": _("Corbeille\u00a0: %s supprimés") % self.model._meta.verbose_name_plural,
            "opts": self.model._meta,
            "records": self.deleted_records(),
        }
        return render(request, "admin/history/trash.html", context)

    @transaction.atomic
    def restore_deleted(self, request, record):
        """Recreate the row of ``record`` (a deletion), then its dependents and links."""
        obj = record.instance
        previous = (
            self.model.history.filter(
                **{self.model._meta.pk.attname: obj.pk}, history_id__lt=record.history_id
            )
            .exclude(history_type="-")
            .order_by("-history_date", "-history_id")
            .first()
        )
        obj.skip_history_when_saving = True
        try:
            obj.save(force_insert=True)
            since = record.history_date - timedelta(seconds=1)
            if previous is not None and previous.history_date < since:
                since = previous.history_date
            for model_name, key in self.trash_dependents:
                self._restore_dependents(obj, model_name, key, since, record.history_date)
            if previous is not None:
                restore_relations(obj, previous)
        finally:
            del obj.skip_history_when_saving
        record_version(
            obj, user=request.user, reason=_("Restauré depuis la corbeille"), history_type="+"
        )
        return obj

    def _restore_dependents(self, obj, model_name, key, since, until) -> None:
        model = obj._meta.apps.get_model(obj._meta.app_label, model_name)
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
                continue  # it points to a row deleted since (a person): it stays out
            dependent.save(force_insert=True)
