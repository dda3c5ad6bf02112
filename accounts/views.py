"""The second factor: enrolling an authenticator app, and typing its code.

Both pages sit outside the admin's own guard (accounts/admin_site.py), which
sends here every staff user who must confirm a device; they still ask for a
logged-in staff user. The QR code is drawn here as SVG (segno): no script, no
third-party service sees the secret.
"""

from base64 import b32encode
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.admin import site as admin_site
from django.contrib.admin.views.decorators import staff_member_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django_otp import login as otp_login
from django_otp import match_token, user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .admin_site import HAS_DEVICE_KEY, is_verified, requires_second_factor
from .forms import TokenForm

BACKUP_CODE_COUNT = 10


def _next_url(request) -> str:
    """The page asked for before the second factor, if it is on this site."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse("admin:index")


def _context(request, **extra) -> dict:
    return {**admin_site.each_context(request), "next": _next_url(request), **extra}


def _qr_svg(device: TOTPDevice, user) -> str:
    """The otpauth:// address as an SVG QR code, drawn by segno (trusted markup)."""
    label = "Code QR à scanner avec l’application d’authentification"
    svg = segno.make(device.config_url, error="m").svg_inline(
        scale=4, dark="#000", light="#fff", title=label
    )
    svg = svg.replace("<svg ", f'<svg role="img" aria-label="{label}" ', 1)
    return mark_safe(svg)  # segno's own markup, from our own key


def _grouped(secret: str) -> str:
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@never_cache
@sensitive_post_parameters("token")
@staff_member_required
def otp_setup(request):
    """Enrol a TOTP device: scan (or type) the secret, then confirm with a code.

    A user who already has a confirmed device is sent to verification: a
    device is replaced by the pilot staff (deleting it in the admin), not by
    whoever holds the password.
    """
    user = request.user
    if user_has_device(user):
        if is_verified(user):
            messages.info(request, "Votre appareil de double authentification est déjà actif.")
            return redirect(_next_url(request))
        return redirect(
            f"{reverse('accounts:otp_verify')}?{urlencode({'next': _next_url(request)})}"
        )

    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Application", confirmed=False)

    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            request.session[HAS_DEVICE_KEY] = True
            static, _ = StaticDevice.objects.get_or_create(
                user=user, name="Codes de secours", defaults={"confirmed": True}
            )
            static.token_set.all().delete()
            codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
            StaticToken.objects.bulk_create(StaticToken(device=static, token=c) for c in codes)
            return render(
                request,
                "accounts/otp_setup_done.html",
                _context(request, codes=codes, title="Double authentification activée"),
            )
        form.add_error(
            "token", "Ce code n’est pas le bon, ou il a expiré. Réessayez avec le code affiché."
        )

    secret = b32encode(device.bin_key).decode()
    return render(
        request,
        "accounts/otp_setup.html",
        _context(
            request,
            form=form,
            qr_svg=_qr_svg(device, user),
            secret=_grouped(secret),
            required=requires_second_factor(request),
            issuer=settings.OTP_TOTP_ISSUER,
            title="Activer la double authentification",
        ),
        status=400 if form.errors else 200,
    )


@never_cache
@sensitive_post_parameters("token")
@staff_member_required
def otp_verify(request):
    """Type a code from an enrolled device (or a backup code) to reach the admin."""
    user = request.user
    if is_verified(user):
        return redirect(_next_url(request))
    if not user_has_device(user):
        return redirect(
            f"{reverse('accounts:otp_setup')}?{urlencode({'next': _next_url(request)})}"
        )

    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # Each device counts its failures and makes the next try wait (django-otp).
        device = match_token(user, form.cleaned_data["token"])
        if device is not None:
            otp_login(request, device)
            return redirect(_next_url(request))
        form.add_error(
            "token",
            "Ce code n’est pas le bon, ou il a déjà servi, ou trop d’essais ont échoué\u00a0: "
            "attendez quelques secondes et réessayez avec le code affiché.",
        )
    return render(
        request,
        "accounts/otp_verify.html",
        _context(request, form=form, title="Double authentification"),
        status=400 if form.errors else 200,
    )
