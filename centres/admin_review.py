"""The « Vérifié, rien n’a changé » button of a change page kept by a centre.

One click stamps today's date as the last check (``last_reviewed``), and
nothing else: « modifié le » keeps its date (the public page says when the
content last changed and when it was last checked), and the check is a record
of the row's history with its reason. Used by the centre and RCP admins, next
to ``CentreScopedAdminMixin``, which decides who may change which row.
"""

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.dates import format_date

CHECK_REASON = "Vérifié, rien n’a changé"


class VerifiedButtonAdminMixin:
    change_form_template = "admin/change_form_verified.html"

    def get_urls(self):
        opts = self.model._meta
        return [
            path(
                "<path:object_id>/verifie/",
                self.admin_site.admin_view(require_POST(self.verified_view)),
                name=f"{opts.app_label}_{opts.model_name}_verified",
            ),
            *super().get_urls(),
        ]

    def verified_view(self, request, object_id):
        """Stamp today's check on a row the user may change (POST only)."""
        object_id = unquote(object_id)
        self._require_valid_key(object_id)
        obj = self.get_object(request, object_id)
        if obj is None:
            raise Http404
        if not self.has_change_permission(request, obj):
            raise PermissionDenied
        today = timezone.localdate()
        obj.last_reviewed = today
        obj._change_reason = CHECK_REASON
        # Only this column: « modifié le » (auto_now) is not written.
        obj.save(update_fields=["last_reviewed"])
        label = str(self.model._meta.get_field("last_reviewed").verbose_name)
        self.log_change(request, obj, [{"changed": {"fields": [label]}}])
        self.message_user(
            request,
            _("« %(obj)s » : vérification enregistrée le %(date)s, sans autre changement.")
            % {"obj": obj, "date": format_date(today, weekday=False)},
            messages.SUCCESS,
        )
        opts = self.model._meta
        return HttpResponseRedirect(
            reverse(
                f"admin:{opts.app_label}_{opts.model_name}_change",
                args=[obj.pk],
                current_app=self.admin_site.name,
            )
        )
