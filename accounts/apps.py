from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.apps import DefaultConfig as OTPStaticConfig
from django_otp.plugins.otp_totp.apps import DefaultConfig as OTPTOTPConfig


class AccountsConfig(AppConfig):
    """Staff accounts: invitations, password reset, the admin's second factor."""

    default = True
    name = "accounts"
    verbose_name = _("Comptes")


class AuthenticatorAppsConfig(OTPTOTPConfig):
    """django-otp's TOTP devices, under a French name in the admin menu."""

    default = False
    verbose_name = _("Double authentification\u00a0: applications")


class BackupCodesConfig(OTPStaticConfig):
    """django-otp's backup codes, under a French name in the admin menu."""

    default = False
    verbose_name = _("Double authentification\u00a0: codes de secours")
