"""The back-office's admin site: Django's, plus a second factor for pilot staff.

``PanTogetherAdminConfig`` replaces ``django.contrib.admin`` in INSTALLED_APPS
and makes ``PanTogetherAdminSite`` the default site, so ``admin.site`` (every
app's registrations, ``admin.site.admin_view`` in pantogether/urls.py) is this
one. When ``ADMIN_REQUIRE_2FA`` is on, the pilot centre's staff (superusers
and « Pilotage du réseau ») reach no admin page before they have confirmed a
one-time code from a device of theirs (django-otp): without a device they are
sent to enrol one, with one to type a code. Other staff may enrol a device too;
it is then asked at each login (accounts/views.py), but not required.
"""

from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.admin.apps import AdminConfig
from django.contrib.admin.sites import AdminSite
from django.http import HttpResponseRedirect
from django.urls import reverse


def requires_second_factor(request) -> bool:
    """True when this logged-in user must confirm a device before using the admin."""
    from centres.admin_scoping import NETWORK_GROUP  # models are not ready at import

    user = request.user
    # Not centres' is_network_manager(): it caches its answer on the request, and
    # the login page asks it (for the anonymous visitor) before the login.
    return (
        settings.ADMIN_REQUIRE_2FA
        and user.is_authenticated
        and user.is_active
        and user.is_staff
        and (user.is_superuser or user.groups.filter(name=NETWORK_GROUP).exists())
    )


def is_verified(user) -> bool:
    """A code was confirmed in this session. Read from the attribute OTPMiddleware
    sets, which a user just logged in by the login view does not have yet."""
    return getattr(user, "otp_device", None) is not None


# Session key: the user had a confirmed device when they logged in (or enrolled
# one since). Looked up once per login, not on every admin page.
HAS_DEVICE_KEY = "_accounts_has_device"


def remember_devices(request) -> None:
    """Note in the session whether the user who just logged in has a device."""
    from django_otp import user_has_device

    request.session[HAS_DEVICE_KEY] = user_has_device(request.user)


def lacks_second_factor(request) -> bool:
    """True when the user must confirm a device (required, or one is enrolled) and has not."""
    user = request.user
    if not user.is_authenticated or not user.is_staff or is_verified(user):
        return False
    return bool(request.session.get(HAS_DEVICE_KEY)) or requires_second_factor(request)


def second_factor_url(request, next_url: str) -> str:
    """Where a user who lacks the second factor goes: enrolment or verification."""
    from django_otp import user_has_device

    name = "accounts:otp_verify" if user_has_device(request.user) else "accounts:otp_setup"
    return f"{reverse(name)}?{urlencode({'next': next_url})}"


class PanTogetherAdminSite(AdminSite):
    site_header = "PAN-TOGETHER — administration"
    site_title = "PAN-TOGETHER"
    index_title = "Contenus du réseau"
    login_template = "accounts/admin_login.html"

    def has_permission(self, request):
        return super().has_permission(request) and not lacks_second_factor(request)

    def admin_view(self, view, cacheable=False):
        inner = super().admin_view(view, cacheable)

        @wraps(view)
        def guarded(request, *args, **kwargs):
            if lacks_second_factor(request):
                if request.path == reverse("admin:logout", current_app=self.name):
                    return view(request, *args, **kwargs)  # leaving needs no code
                return HttpResponseRedirect(second_factor_url(request, request.get_full_path()))
            return inner(request, *args, **kwargs)

        return guarded

    def login(self, request, extra_context=None):
        # A password alone is one factor: the login page hands over to the second.
        if request.method == "GET" and lacks_second_factor(request):
            next_url = request.GET.get("next") or reverse("admin:index", current_app=self.name)
            return HttpResponseRedirect(second_factor_url(request, next_url))
        response = super().login(request, extra_context)
        if request.method == "POST" and request.user.is_authenticated:
            remember_devices(request)
        if request.method == "POST" and lacks_second_factor(request):
            next_url = request.POST.get("next") or reverse("admin:index", current_app=self.name)
            return HttpResponseRedirect(second_factor_url(request, next_url))
        return response


class PanTogetherAdminConfig(AdminConfig):
    default_site = "accounts.admin_site.PanTogetherAdminSite"
