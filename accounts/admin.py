"""The users' admin: Django's, plus « Inviter un éditeur de centre » for pilot staff;
and the second factor's devices, which pilot staff may see and remove.

The pilot centre's staff (« Pilotage du réseau ») may list the accounts and
invite a centre's editor; changing an account (its groups, its superuser
status) stays with the permissions Django gives, i.e. superusers. A user who
lost their phone asks the pilot staff to remove their device (and backup
codes), then enrols a new one at their next login; a device is never shown
nor edited here (its key is the secret), and only superusers remove a
superuser's.
"""

from smtplib import SMTPException

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from centres.admin_scoping import CentreScopedAdminMixin, is_network_manager

from .forms import InviteEditorForm
from .services import invite_editor

User = get_user_model()


class _UserAdmin(UserAdmin):
    """Django's UserAdmin.get_form takes ``change`` by keyword only; the scoping
    mixin passes it by position."""

    def get_form(self, request, obj=None, change=False, **kwargs):
        return super().get_form(request, obj, change=change, **kwargs)


class AccountAdmin(CentreScopedAdminMixin, _UserAdmin):
    # Not a centre's rows; the mixin brings its guards against hostile list
    # parameters and keys (a 400, never a 500).
    centre_lookup = None
    change_list_template = "accounts/admin/user_change_list.html"
    list_display = ("username", "email", "first_name", "last_name", "is_staff", "last_login")

    def has_module_permission(self, request):
        return super().has_module_permission(request) or is_network_manager(request)

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) or is_network_manager(request)

    def get_urls(self):
        return [
            path(
                "inviter/",
                self.admin_site.admin_view(self.invite_view),
                name="accounts_invite_editor",
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "can_invite": is_network_manager(request)}
        return super().changelist_view(request, extra_context)

    def invite_view(self, request):
        """Create a centre editor's account from an e-mail and send the invitation."""
        if not is_network_manager(request):
            raise PermissionDenied
        form = InviteEditorForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                user = invite_editor(
                    email=data["email"],
                    centre=data["centre"],
                    first_name=data["first_name"],
                    last_name=data["last_name"],
                    base_url=f"{request.scheme}://{request.get_host()}",
                    invited_by=request.user,
                )
            except (SMTPException, OSError):
                messages.warning(
                    request,
                    "Le compte a été créé, mais l’e-mail d’invitation n’a pas pu être "
                    "envoyé\u00a0: la personne peut demander le lien depuis "
                    "«\u00a0Mot de passe oublié\u00a0?\u00a0» sur la page de connexion.",
                )
                return redirect("admin:auth_user_changelist")
            self.log_addition(request, user, [{"added": {}}])
            messages.success(
                request,
                f"Invitation envoyée à {user.email}\u00a0: le compte pourra modifier "
                f"«\u00a0{data['centre']}\u00a0» une fois son mot de passe choisi.",
            )
            return redirect("admin:auth_user_changelist")
        context = {
            **self.admin_site.each_context(request),
            "title": "Inviter un éditeur de centre",
            "form": form,
            "opts": self.opts,
            "changelist_url": reverse("admin:auth_user_changelist"),
        }
        return TemplateResponse(
            request,
            "accounts/admin/invite_editor.html",
            context,
            status=400 if form.errors else 200,
        )


class DeviceAdmin(CentreScopedAdminMixin, admin.ModelAdmin):
    centre_lookup = None
    list_display = ("user", "name", "confirmed", "created_at", "last_used_at")
    list_filter = ("confirmed",)
    list_select_related = ("user",)
    search_fields = ("user__username", "user__email")
    fields = ("user", "name", "confirmed", "created_at", "last_used_at")
    readonly_fields = fields
    actions = ["delete_selected"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(user__is_superuser=False)

    def has_module_permission(self, request):
        return is_network_manager(request)

    def has_view_permission(self, request, obj=None):
        return is_network_manager(request)

    def has_delete_permission(self, request, obj=None):
        return is_network_manager(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


if admin.site.is_registered(User):
    admin.site.unregister(User)
admin.site.register(User, AccountAdmin)
for _device in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_device):
        admin.site.unregister(_device)
    admin.site.register(_device, DeviceAdmin)
