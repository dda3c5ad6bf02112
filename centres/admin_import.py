"""Imports and exports in the admin (django-import-export), within the user's rights.

One mixin for every admin class that imports or exports (here, in rcp and in
trials): CSV as French Excel writes it and XLSX (core/spreadsheets.py); a
preview that counts what will be created, updated, left as is and rejected;
all or nothing (a file with one bad row writes nothing, at the preview and at
the confirmation alike); a centre's editor imports and exports only the rows
of their own centres (the resource checks each row, see centres/resources.py).
"""

from django import forms
from django.contrib import messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import BadRequest
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from import_export.admin import ImportExportMixin
from import_export.forms import ImportForm

from core.spreadsheets import FORMATS
from core.text import typo

from .admin_scoping import editable_centre_ids, editable_people, is_network_manager
from .resources import ImportScope

# Far more than the longest file the resources accept (ScopedResource.max_rows).
MAX_UPLOAD_BYTES = 10 * 1024 * 1024


class SizedImportForm(ImportForm):
    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                typo(
                    _("Fichier trop lourd : 10\u00a0Mo au plus. Découpez-le en plusieurs fichiers.")
                )
            )
        return upload


class ScopedImportExportMixin(ImportExportMixin):
    """Put before the ModelAdmin base, after CentreScopedAdminMixin."""

    formats = FORMATS
    import_form_class = SizedImportForm
    import_template_name = "admin/import_export/scoped_import.html"
    # Django's own admin log gets one entry per row created or changed.
    skip_admin_log = False

    def import_scope(self, request) -> ImportScope:
        if is_network_manager(request):
            return ImportScope()
        return ImportScope(
            centre_ids=editable_centre_ids(request),
            can_add=self.has_add_permission(request),
            people_ids=frozenset(editable_people(request).values_list("pk", flat=True)),
        )

    def get_resource_kwargs(self, request, *args, **kwargs):
        return {"scope": self.import_scope(request)}

    def get_import_data_kwargs(self, **kwargs):
        kwargs = super().get_import_data_kwargs(**kwargs)
        # At the confirmation too, one invalid row (the data changed since the
        # preview) rolls the whole file back.
        kwargs["rollback_on_validation_errors"] = True
        return kwargs

    def has_import_permission(self, request):
        return self.has_add_permission(request) or self.has_change_permission(request)

    def has_export_permission(self, request):
        return self.has_view_permission(request)

    def get_export_queryset(self, request):
        """The listed rows (filters and search included), within the user's reach.
        A filter the list does not know is a 400, as the list itself refuses it
        (Django's changelist answers it with « ?e=1 »), not a server error."""
        try:
            queryset = super().get_export_queryset(request)
        except IncorrectLookupParameters as error:
            raise BadRequest(_("Filtre inconnu dans l’adresse de l’export.")) from error
        return self.viewable(request, queryset)

    def process_result(self, result, request):
        """After the confirmation: the file imported whole, or (the data changed
        since the preview) not at all, said so and back to the import page."""
        if result.has_errors() or result.has_validation_errors():
            messages.error(
                request,
                typo(
                    _(
                        "Le fichier n’a pas été importé : rien n’a été enregistré, "
                        "les données ont changé depuis l’aperçu. Envoyez-le de nouveau "
                        "pour voir les erreurs."
                    )
                ),
            )
            opts = self.model._meta
            return HttpResponseRedirect(
                reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
            )
        return super().process_result(result, request)
